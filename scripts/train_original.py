"""Train the original model M_o on all of D with the recipe, and store its outputs."""

import time

from unlearn.checkpoints import data_info, load_bundle, save_model, save_probs, set_threads
from unlearn.io import setup_logging
from unlearn.training import Resume, resolve_device, train_from_scratch

log = setup_logging(snakemake.log[0], "train_original", torch_job=True)
set_threads(snakemake.threads)
seed = int(snakemake.wildcards["seed"])
device = resolve_device(snakemake.config["device"], snakemake.config["speed"])
bundle = load_bundle(snakemake.input["data"])
info = data_info(bundle)
recipe, spec = snakemake.params["recipe"], snakemake.params["model"]

resume = Resume(snakemake.params["resume"])  # epoch checkpoint: a killed job continues from it
start = time.perf_counter()
model, history = train_from_scratch(
    spec,
    info,
    bundle["train_x"],
    bundle["train_y"],
    recipe,
    seed=seed,
    device=device,
    tag=f"original s{seed}",
    resume=resume,
)
seconds = time.perf_counter() - start + resume.earlier_seconds
log.info("trained original model (seed %d) in %.1fs on %s", seed, seconds, device)
save_model(
    model,
    snakemake.output["model"],
    spec=spec,
    info=info,
    seed=seed,
    config={"train": recipe},
    extra={"history": history, "seconds": seconds},
)
save_probs(
    model, bundle, snakemake.output["probs"], batch_size=snakemake.config["evaluation"]["batch_size"], device=device
)
resume.clear()
