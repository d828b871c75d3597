"""HDUS: train clients first..last -- each one's main model on its own part of D, and its seed model distilled
from it on the reference set (the held-out pool)."""

from unlearn.checkpoints import data_info, load_bundle, set_threads
from unlearn.hdus.clients import train_client
from unlearn.io import load_json, save_torch, setup_logging
from unlearn.training import resolve_device

log = setup_logging(snakemake.log[0], "hdus_clients", torch_job=True)
set_threads(snakemake.threads)
first, last = int(snakemake.wildcards["first"]), int(snakemake.wildcards["last"])
seed, cfg = int(snakemake.wildcards["seed"]), snakemake.params["hdus"]
device = resolve_device(snakemake.config["device"], snakemake.config["speed"])
bundle = load_bundle(snakemake.input["data"])
info, x, y, ref_x = data_info(bundle), bundle["train_x"], bundle["train_y"], bundle["holdout_x"]
clients = load_json(snakemake.input["clients"])["clients"]
records = []
for c in clients[first : last + 1]:
    idx = c["indices"]
    rec = train_client(cfg, info, x[idx], y[idx], ref_x, c["client"], seed=seed, device=device)
    log.info("client %d: %d samples, main %s, seed model %s, %.1fs", c["client"], len(idx), rec["main_spec"],
             rec["seed_spec"], rec["seconds"])  # fmt: skip
    records.append(rec)
save_torch({"clients": records}, snakemake.output[0])
