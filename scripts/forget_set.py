"""Write the forget set of one (scenario, seed) as an index file."""

import numpy as np

from unlearn.forget import forget_indices, forgotten_classes
from unlearn.io import save_json, setup_logging

log = setup_logging(snakemake.log[0], "forget_set")
spec = dict(snakemake.params["spec"])
seed = int(snakemake.wildcards["seed"])
stored = np.load(snakemake.input["labels"])
labels = stored["train"]
idx = forget_indices(labels, spec, seed, stored["train_fine"] if "train_fine" in stored.files else None)
counts = np.bincount(labels[idx], minlength=int(labels.max()) + 1)
log.info("%s seed %d: %d samples, per class %s", snakemake.wildcards["scenario"], seed, len(idx), counts.tolist())
save_json(
    {
        "scenario": snakemake.wildcards["scenario"],
        "spec": spec,
        "seed": seed,
        "forgotten_classes": forgotten_classes(spec),
        "forgotten_fine": int(spec["fine"]) if spec["kind"] == "fine_class" else None,
        "indices": idx.tolist(),
    },
    snakemake.output[0],
)
