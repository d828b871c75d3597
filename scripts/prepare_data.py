"""Read the configured dataset once and store it as uint8 tensors (+ labels as numpy for light rules)."""

import sys

import numpy as np

from unlearn.data import load_dataset
from unlearn.io import save_json, save_npz, save_torch, setup_logging

log = setup_logging(snakemake.log[0], "prepare_data")
try:
    ds = load_dataset(snakemake.params["dataset"])
except ValueError as exc:
    log.error("%s", exc)
    sys.exit(1)
bundle = ds.to_tensors()
log.info(
    "%s: %d train / %d test images of shape %s, %d classes",
    snakemake.params["dataset"]["name"],
    len(ds.train_y),
    len(ds.test_y),
    tuple(ds.train_x.shape[1:]),
    ds.num_classes,
)
save_torch(bundle, snakemake.output["data"])
holdout_y = ds.holdout_y if ds.holdout_y is not None else ds.train_y[:0]
if len(holdout_y):
    log.info(
        "held out %d training images (%d per class) for TMU's twin data",
        len(holdout_y),
        len(holdout_y) // ds.num_classes,
    )
save_npz(
    snakemake.output["labels"],
    train=ds.train_y,
    test=ds.test_y,
    holdout=holdout_y,
    class_names=np.array(ds.class_names),
    **(
        {"train_fine": ds.fine_y, "test_fine": ds.fine_test_y, "fine_names": np.array(ds.fine_names)}
        if ds.fine_y is not None
        else {}
    ),
)
# the deterministic hold-out split, as positions in the source training set (after max_train_per_class)
held = [] if ds.holdout_idx is None else ds.holdout_idx.tolist()
save_json(
    {
        "holdout_per_class": int(snakemake.params["dataset"].get("holdout_per_class") or 0),
        "split_seed": int(snakemake.params["dataset"].get("split_seed", 0)),
        "n_train": len(ds.train_y),
        "holdout_source_indices": held,
    },
    snakemake.output["split"],
)
