"""U-LiRA's shadow original k (`mia: {unlearned_shadows: ...}`): trained by the run's recipe from scratch on its
seeded random share of D (phi.ULIRA_SEED + k), saved with its in/out mask for the unlearning runs on it."""

import time

import numpy as np
import torch

from unlearn.checkpoints import data_info, load_bundle, save_model, set_threads
from unlearn.io import setup_logging
from unlearn.models import build_model
from unlearn.phi import ULIRA_SEED
from unlearn.rum.memorization import subset_mask
from unlearn.training import Resume, fit, resolve_device, seed_everything

log = setup_logging(snakemake.log[0], "ulira_original", torch_job=True)
set_threads(snakemake.threads)
k = int(snakemake.wildcards["k"])
recipe, spec = dict(snakemake.params["recipe"]), snakemake.params["model"]
fraction = float(snakemake.params["fraction"])
device = resolve_device(snakemake.config["device"], snakemake.config["speed"])
bundle = load_bundle(snakemake.input["data"])
x, y, info = bundle["train_x"], bundle["train_y"], data_info(bundle)
mask = subset_mask(len(y), k, fraction, ULIRA_SEED)
idx = torch.from_numpy(np.flatnonzero(mask))
seed = ULIRA_SEED + k
seed_everything(seed)
model = build_model(spec, info).to(device)
start = time.perf_counter()
resume = Resume(snakemake.params["resume"])
fit(model, x[idx], y[idx], recipe, seed=seed, device=device, tag=f"U-LiRA shadow original {k}", resume=resume)
log.info("shadow original %d on %d of %d samples: %.1fs", k, len(idx), len(y), time.perf_counter() - start)
save_model(model, snakemake.output[0], spec=spec, info=info, seed=seed, config={"train": recipe, "fraction": fraction},
           extra={"in_mask": torch.from_numpy(mask)})  # fmt: skip
resume.clear()
