"""RUM memorization: the Feldman-Zhang scores and the two proxies from all subset models, and the forget sets made
from them -- low / medium / high (rum_mem_<level>) and their union rum_mix with its ordered and shuffled parts."""

from pathlib import Path

import numpy as np

from unlearn.io import save_json, save_npz, setup_logging
from unlearn.rum import LEVELS, MIX, scenario_name
from unlearn.rum.memorization import (
    confidence_proxy,
    feldman_zhang,
    holdout_proxy,
    memorization_sets,
    shuffled_parts,
    spearman,
)

log = setup_logging(snakemake.log[0], "rum_memorization")
n, seeds = int(snakemake.params["n"]), list(snakemake.params["seeds"])
parts = [np.load(p) for p in snakemake.input["models"]]
stack = {key: np.concatenate([p[key] for p in parts]) for key in ("in_mask", "correct", "confidence", "divergence")}
n_train = len(np.load(snakemake.input["labels"])["train"])
if stack["in_mask"].shape[1] != n_train:
    raise ValueError(f"memorization models cover {stack['in_mask'].shape[1]} samples, D has {n_train}")
mem = feldman_zhang(stack["in_mask"], stack["correct"])
conf = confidence_proxy(stack["in_mask"], stack["confidence"])
hold = holdout_proxy(stack["in_mask"], stack["divergence"])
sets = memorization_sets(mem, n)
summary = {
    "models": len(stack["in_mask"]),
    "n_train": n_train,
    "unscored": int(np.isnan(mem).sum()),
    "mem_mean": float(np.nanmean(mem)),
    "mem_share_above_0.5": float(np.nanmean(mem > 0.5)),
    "spearman_confidence": spearman(mem, conf),
    "spearman_holdout": spearman(mem, hold),
    "level_mem_mean": {lv: float(mem[idx].mean()) for lv, idx in sets.items()},
}
log.info("%s", summary)
save_npz(snakemake.output["scores"], memorization=mem, confidence=conf, holdout=hold,
         times_in=stack["in_mask"].sum(0), times_out=(~stack["in_mask"]).sum(0))  # fmt: skip
save_json(summary, snakemake.output["record"])

union = np.sort(np.concatenate([sets[lv] for lv in LEVELS]))
for path in snakemake.output["forget"]:  # .../forget/<scenario>/s<seed>.json
    scenario, seed = Path(path).parent.name, int(Path(path).stem[1:])
    if seed not in seeds:
        raise RuntimeError(f"rum_memorization: unexpected output {path}")
    record = {"scenario": scenario, "seed": seed, "forgotten_classes": []}
    if scenario == MIX:
        record["spec"] = {"kind": "rum", "factor": "mem", "level": "mix"}
        record["indices"] = union.tolist()
        record["parts"] = {
            "rumf": [sets[lv].tolist() for lv in LEVELS],
            "shuffle": [p.tolist() for p in shuffled_parts(union, len(LEVELS), seed)],
        }
    else:
        level = next(lv for lv in LEVELS if scenario == scenario_name("mem", lv))
        record["spec"] = {"kind": "rum", "factor": "mem", "level": level}
        record["indices"] = sets[level].tolist()
    save_json(record, path)
