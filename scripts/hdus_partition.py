"""HDUS: the clients' parts of D, their neighbours and architectures (not which client leaves: changing that
retrains nothing)."""

import numpy as np

from unlearn import hdus
from unlearn.io import save_json, setup_logging

log = setup_logging(snakemake.log[0], "hdus_partition")
cfg, seed = snakemake.params["hdus"], int(snakemake.wildcards["seed"])
labels = np.load(snakemake.input["labels"])["train"]
parts = hdus.partition(labels, cfg["clients"], cfg["partition"], seed)
neighbours = hdus.topology(cfg["clients"], cfg["topology"], cfg["k"], seed)
k = int(labels.max()) + 1
clients = [
    {
        "client": i,
        "indices": part.tolist(),
        "neighbours": neighbours[i],
        "model": hdus.client_model(cfg, i),
        "class_counts": np.bincount(labels[part], minlength=k).tolist(),
    }
    for i, part in enumerate(parts)
]
for c in clients:
    log.info("client %d: %d samples, classes %s, neighbours %s, model %s", c["client"], len(c["indices"]),
             c["class_counts"], c["neighbours"], c["model"])  # fmt: skip
save_json({"seed": seed, "partition": cfg["partition"], "topology": cfg["topology"], "clients": clients},
          snakemake.output["clients"])  # fmt: skip
