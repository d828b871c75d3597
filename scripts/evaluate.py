"""Metrics of every model of one (scenario, seed) -- the methods' outputs and, for the baselines, the original
model -- against the gold model (retrain). The gold model's MIA fits are done once and reused."""

import json

import numpy as np

from unlearn.evaluation import evaluate, summarize
from unlearn.io import load_json, save_json, setup_logging

log = setup_logging(snakemake.log[0], "evaluate")
w = snakemake.wildcards
seed, models = int(w["seed"]), list(snakemake.params["models"])
forget = load_json(snakemake.input["forget"])
labels = np.load(snakemake.input["labels"])
train_y, test_y = labels["train"], labels["test"]
forget_idx, forgotten = np.asarray(forget["indices"], dtype=np.int64), forget["forgotten_classes"]
if forget.get("forgotten_fine") is not None:  # CIFAR-20: the fine class's test images are the forgotten ones
    forgotten = labels["test_fine"] == int(forget["forgotten_fine"])
probs = {m: np.load(p) for m, p in zip(models, snakemake.input["probs"], strict=True)}
runs = {load_json(p)["method"]: load_json(p) for p in snakemake.input["runs"]}
probs = {m: {"train": p["train"], "test": p["test"]} for m, p in probs.items()}

gold = summarize(probs["retrain"], train_y, test_y, forget_idx, forgotten, seed)
records = []
for model in models:
    record = evaluate(probs[model], probs["retrain"], train_y, test_y, forget_idx, forgotten, seed, gold_summary=gold)
    seconds = runs[model]["seconds"] if model in runs else float("nan")
    record.update({"scenario": w["scenario"], "seed": seed, "method": model, "seconds": seconds})
    log.info("%s", json.dumps({k: record[k] for k in ("method", "acc_forget", "acc_retain", "acc_test", "tow")}))
    records.append(record)
save_json(records, snakemake.output[0])
