"""Read the configured dataset once and store it as uint8 tensors (+ labels as numpy for light rules)."""

import sys

from unlearn.data import load_dataset
from unlearn.io import save_npz, save_torch, setup_logging

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
save_npz(snakemake.output["labels"], train=ds.train_y, test=ds.test_y)
