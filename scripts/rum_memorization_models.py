"""RUM memorization: train subset models first..last (each on its own random share of D) and keep, for every
sample of D, their correctness, epoch-averaged true-label confidence and holdout-retraining divergence, and their
logit-scaled confidences on D and D_test (LiRA's shadow outputs)."""

import json
import shutil
import time
from pathlib import Path

import numpy as np

from unlearn.checkpoints import data_info, load_bundle, set_threads
from unlearn.io import save_npz, setup_logging
from unlearn.rum.subset_models import train_range, train_subset_model
from unlearn.training import data_hash, resolve_device

log = setup_logging(snakemake.log[0], "rum_memorization_models", torch_job=True)
set_threads(snakemake.threads)
first, last = int(snakemake.wildcards["first"]), int(snakemake.wildcards["last"])
mem, recipe = snakemake.params["memorization"], dict(snakemake.params["recipe"])
if mem.get("epochs"):
    recipe["epochs"] = mem["epochs"]
holdout = {**mem["holdout"], "batch_size": recipe["batch_size"]}
device = resolve_device(snakemake.config["device"], snakemake.config["speed"])
bundle = load_bundle(snakemake.input["data"])
x, y, info = bundle["train_x"], bundle["train_y"], data_info(bundle)
test = (bundle["test_x"], bundle["test_y"])
parts = Path(snakemake.output[0] + ".parts")  # finished models of this job, kept across a restart
key = json.dumps({"model": snakemake.params["model"], "recipe": recipe, "holdout": holdout, "mem": mem,
                  "data": data_hash(x, y)}, sort_keys=True, default=str)  # fmt: skip


def train_one(k):
    start = time.perf_counter()
    rec = train_subset_model(snakemake.params["model"], info, x, y, recipe, holdout, k=k, fraction=mem["fraction"],
                             batch_size=snakemake.config["evaluation"]["batch_size"], device=device,
                             test=test)  # fmt: skip
    in_acc, out_acc = rec["correct"][rec["in_mask"]].mean(), rec["correct"][~rec["in_mask"]].mean()
    log.info("model %d/%d: acc on its subset %.3f, on the rest %.3f (%.1fs)", k, last, in_acc, out_acc,
             time.perf_counter() - start)  # fmt: skip
    return rec


FIELDS = ("in_mask", "correct", "confidence", "divergence", "phi", "phi_test")
records = train_range(range(first, last + 1), train_one, parts, key, log)
save_npz(
    snakemake.output[0],
    models=np.arange(first, last + 1),
    **{name: np.stack([r[name] for r in records]) for name in FIELDS},
)
shutil.rmtree(parts, ignore_errors=True)
