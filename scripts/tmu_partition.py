"""TMU, one (scenario, seed): train the generalization-label classifier on the twin set and split D_f into
predicted easy / hard, once per feature set of the ablation (the configured set is the one TMU uses).
Never reads the gold model: its correctness on D_f is only compared with these labels in the tables."""

import numpy as np

from unlearn.io import save_json, setup_logging
from unlearn.tmu.classifier import partition

log = setup_logging(snakemake.log[0], "tmu_partition")
seed = int(snakemake.wildcards["seed"])
cfg = snakemake.params["classifier"]
f = np.load(snakemake.input["features"])
result = partition(f["twin_features"], f["twin_easy"], f["forget_features"], cfg, seed)
for name, r in result.items():
    log.info(
        "%-9s twin-set accuracy %.3f, D_f predicted easy %d / hard %d%s",
        name,
        r["twin_accuracy"],
        sum(r["easy"]),
        len(r["easy"]) - sum(r["easy"]),
        " (one-label twin set)" if r["degenerate"] else "",
    )
save_json(
    {
        "scenario": snakemake.wildcards["scenario"],
        "seed": seed,
        "used": cfg["features"],
        "forget_idx": f["forget_idx"].tolist(),
        "twin_easy": int(f["twin_easy"].sum()),
        "twin_size": len(f["twin_easy"]),
        "twin_copies": int(f["twin_copy"].sum()) if "twin_copy" in f else None,
        "feature_sets": result,
    },
    snakemake.output[0],
)
