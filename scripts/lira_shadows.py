"""LiRA's own shadow models first..last (`mia: {shadows: K}`): each trained by the run's recipe from scratch on its
seeded random share of D, leaving its in/out mask and its logit-scaled confidence on D and D_test (lira.py)."""

import json
import shutil
import time
from pathlib import Path

import numpy as np

from unlearn.checkpoints import data_info, load_bundle, set_threads
from unlearn.io import save_npz, setup_logging
from unlearn.phi import SHADOW_SEED
from unlearn.rum.subset_models import train_range, train_subset_model
from unlearn.training import data_hash, resolve_device

log = setup_logging(snakemake.log[0], "lira_shadows", torch_job=True)
set_threads(snakemake.threads)
first, last = int(snakemake.wildcards["first"]), int(snakemake.wildcards["last"])
recipe, fraction = dict(snakemake.params["recipe"]), float(snakemake.params["fraction"])
device = resolve_device(snakemake.config["device"], snakemake.config["speed"])
bundle = load_bundle(snakemake.input["data"])
x, y, info = bundle["train_x"], bundle["train_y"], data_info(bundle)
test = (bundle["test_x"], bundle["test_y"])
parts = Path(snakemake.output[0] + ".parts")  # finished models of this job, kept across a restart
key = json.dumps({"model": snakemake.params["model"], "recipe": recipe, "fraction": fraction,
                  "data": data_hash(x, y)}, sort_keys=True, default=str)  # fmt: skip


def train_one(k):
    start = time.perf_counter()
    rec = train_subset_model(snakemake.params["model"], info, x, y, recipe, {"epochs": 0}, k=k, fraction=fraction,
                             batch_size=snakemake.config["evaluation"]["batch_size"], device=device, test=test,
                             base_seed=SHADOW_SEED, probe=False, tag="LiRA shadow model")  # fmt: skip
    in_acc, out_acc = rec["correct"][rec["in_mask"]].mean(), rec["correct"][~rec["in_mask"]].mean()
    log.info("shadow %d/%d: acc on its share %.3f, on the rest %.3f (%.1fs)", k, last, in_acc, out_acc,
             time.perf_counter() - start)  # fmt: skip
    return rec


start = time.perf_counter()
records = train_range(range(first, last + 1), train_one, parts, key, log)
save_npz(
    snakemake.output[0],
    models=np.arange(first, last + 1),
    **{name: np.stack([r[name] for r in records]) for name in ("in_mask", "phi", "phi_test")},
)
shutil.rmtree(parts, ignore_errors=True)
log.info("%d shadow models in %.1fs", last - first + 1, time.perf_counter() - start)
