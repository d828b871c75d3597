"""Metrics of every model of one (scenario, seed) -- the methods' outputs and, for the baselines, the original
model -- against the gold model (the first model: `retrain`, or the SNN's / HDUS's own). The gold model's MIA fits
are done once and reused."""

import json

import numpy as np

from unlearn import lira as L
from unlearn.evaluation import evaluate, summarize
from unlearn.forget import forgotten_test_mask
from unlearn.io import load_json, save_json, setup_logging

log = setup_logging(snakemake.log[0], "evaluate")
w = snakemake.wildcards
seed, models = int(w["seed"]), list(snakemake.params["models"])
forget = load_json(snakemake.input["forget"])
labels = np.load(snakemake.input["labels"])
train_y, test_y = labels["train"], labels["test"]
forget_idx = np.asarray(forget["indices"], dtype=np.int64)
# the test images of what the scenario removes entirely: its class, or (CIFAR-20) its fine class
forgotten = forgotten_test_mask(forget["spec"], test_y, labels["test_fine"] if "test_fine" in labels.files else None)
probs = {m: np.load(p) for m, p in zip(models, snakemake.input["probs"], strict=True)}
runs = {load_json(p)["method"]: load_json(p) for p in snakemake.input["runs"]}
probs = {m: {"train": p["train"], "test": p["test"]} for m, p in probs.items()}


# LiRA's shadows (the memorization models, or its own); none configured: no LiRA keys in the records
def files(name):
    """A named input as a list (Snakemake gives a one-file input as a string)."""
    value = snakemake.input[name]
    return [value] if isinstance(value, str) else list(value)


shadows = L.load_shadows(files("shadows")) if files("shadows") else None
if shadows is not None and shadows["in_mask"].shape[1] != len(train_y):
    raise ValueError(f"LiRA shadows cover {shadows['in_mask'].shape[1]} samples of D, the labels {len(train_y)}")
min_models = int(snakemake.params["lira_min_models"])
# U-LiRA: each listed model's unlearned shadows (mia.unlearned_shadows)
ulira = dict(zip(snakemake.params["ulira_models"], files("ulira"), strict=True))
gold_name = models[0]
gold = summarize(probs[gold_name], train_y, test_y, forget_idx, forgotten, seed)
gold_lira = None if shadows is None else L.summary(probs[gold_name], train_y, test_y, forget_idx, shadows, min_models)
records = []
for model in models:
    record = evaluate(probs[model], probs[gold_name], train_y, test_y, forget_idx, forgotten, seed, gold_summary=gold)
    if shadows is not None:  # LiRA, beside the gold model's
        own = gold_lira if model == gold_name else L.summary(probs[model], train_y, test_y, forget_idx, shadows,
                                                                   min_models)  # fmt: skip
        record.update(L.record_fields(own, gold_lira))
    if model in ulira:
        with np.load(ulira[model]) as f:
            unlearned = {"in_mask": f["in_mask"], "phi": f["phi"]}
        record.update(L.ulira_fields(probs[model], probs[gold_name], train_y, forget_idx, unlearned, min_models))
    seconds = runs[model]["seconds"] if model in runs else None
    seconds = float("nan") if seconds is None else seconds  # the originals, the network before a departure
    record.update({"scenario": w["scenario"], "seed": seed, "method": model, "seconds": seconds})
    keys = ("method", "acc_forget", "acc_retain", "acc_test", "tow", "mia_efficacy", "lira_tpr_1", "lira_auc",
            "ulira_auc")  # fmt: skip
    log.info("%s", json.dumps({k: record[k] for k in keys if k in record}))
    records.append(record)
save_json(records, snakemake.output[0])
