"""Write the forget set of one (scenario, seed) as an index file."""

import numpy as np

from unlearn.forget import forget_indices, forgotten_classes
from unlearn.io import save_json, setup_logging

log = setup_logging(snakemake.log[0], "forget_set")
spec = dict(snakemake.params["spec"])
seed = int(snakemake.wildcards["seed"])
labels = np.load(snakemake.input["labels"])["train"]
idx = forget_indices(labels, spec, seed)
counts = np.bincount(labels[idx], minlength=int(labels.max()) + 1)
log.info("%s seed %d: %d samples, per class %s", snakemake.wildcards["scenario"], seed, len(idx), counts.tolist())
save_json(
    {
        "scenario": snakemake.wildcards["scenario"],
        "spec": spec,
        "seed": seed,
        "forgotten_classes": forgotten_classes(spec),
        "indices": idx.tolist(),
    },
    snakemake.output[0],
)
