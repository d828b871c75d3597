"""The spiking network's original model on all of D (survey, paper 003: unlearning in SNNs)."""

import time

from unlearn.checkpoints import data_info, load_bundle, save_model, save_probs, set_threads
from unlearn.io import setup_logging
from unlearn.training import resolve_device, train_from_scratch

log = setup_logging(snakemake.log[0], "snn_train", torch_job=True)
set_threads(snakemake.threads)
seed, cfg = int(snakemake.wildcards["seed"]), snakemake.params["snn"]
device = resolve_device(snakemake.config["device"], snakemake.config["speed"])
bundle = load_bundle(snakemake.input["data"])
info = data_info(bundle)
start = time.perf_counter()
model, history = train_from_scratch(cfg["model"], info, bundle["train_x"], bundle["train_y"], cfg["train"],
                                    seed=seed, device=device, tag=f"snn original s{seed}")  # fmt: skip
seconds = time.perf_counter() - start
log.info("trained the SNN original model (seed %d) in %.1fs", seed, seconds)
save_model(model, snakemake.output["model"], spec=cfg["model"], info=info, seed=seed, config={"train": cfg["train"]},
           extra={"history": history, "seconds": seconds})  # fmt: skip
save_probs(model, bundle, snakemake.output["probs"], batch_size=snakemake.config["evaluation"]["batch_size"],
           device=device)  # fmt: skip
