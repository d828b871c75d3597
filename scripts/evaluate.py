"""Metrics of one model (a method's output, or the original) against the gold model on one (scenario, seed)."""

import json

import numpy as np

from unlearn.evaluation import evaluate, summary_from_record
from unlearn.io import load_json, save_json, setup_logging

log = setup_logging(snakemake.log[0], "evaluate")
w = snakemake.wildcards
forget = load_json(snakemake.input["forget"])
labels = np.load(snakemake.input["labels"])
probs_u, probs_g = np.load(snakemake.input["probs"]), np.load(snakemake.input["gold"])
gold_record = snakemake.input.get("gold_metrics")
record = evaluate(
    {"train": probs_u["train"], "test": probs_u["test"]},
    {"train": probs_g["train"], "test": probs_g["test"]},
    labels["train"],
    labels["test"],
    np.asarray(forget["indices"], dtype=np.int64),
    forget["forgotten_classes"],
    seed=int(w["seed"]),
    gold_summary=summary_from_record(load_json(gold_record)) if gold_record else None,
)
seconds = load_json(snakemake.input["run"])["seconds"] if snakemake.input.get("run") else float("nan")
record.update({"scenario": w["scenario"], "seed": int(w["seed"]), "method": w["evaluated"], "seconds": seconds})
log.info("%s", json.dumps({k: record[k] for k in ("method", "acc_forget", "acc_retain", "acc_test", "tow")}))
save_json(record, snakemake.output[0])
