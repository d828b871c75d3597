"""The spiking network on one (scenario, seed): the gold model retrained on D_r, fine-tuning on D_r, the
three-phase unlearning (selective retraining, synaptic pruning, adaptive thresholds), and that followed by
recovery on D_r. Outputs go where `evaluate` reads every model's."""

import copy
import time

import torch

from unlearn.checkpoints import data_info, load_bundle, load_model, save_probs, set_threads
from unlearn.io import load_json, save_json, setup_logging
from unlearn.snn import unlearn as snn_unlearn
from unlearn.training import fit, resolve_device, train_from_scratch

log = setup_logging(snakemake.log[0], "snn_unlearn", torch_job=True)
set_threads(snakemake.threads)
w, cfg = snakemake.wildcards, snakemake.params["snn"]
seed = int(w["seed"])
device = resolve_device(snakemake.config["device"], snakemake.config["speed"])
batch = snakemake.config["evaluation"]["batch_size"]
bundle = load_bundle(snakemake.input["data"])
info, x, y = data_info(bundle), bundle["train_x"], bundle["train_y"]
forget = torch.tensor(load_json(snakemake.input["forget"])["indices"], dtype=torch.long)
keep = torch.ones(len(y), dtype=torch.bool)
keep[forget] = False
xr, yr = x[keep], y[keep]
original = load_model(snakemake.input["original"], device)[0]


def write(name, model, seconds, **extra):
    save_probs(model, bundle, snakemake.output[f"{name}_probs"], batch_size=batch, device=device)
    record = {"method": name, "scenario": w["scenario"], "seed": seed, "device": str(device), "seconds": seconds,
              "forget_size": len(forget), "train_size": len(y), **extra}  # fmt: skip
    save_json(record, snakemake.output[f"{name}_run"])
    log.info("%s: %.1fs %s", name, seconds, extra)


start = time.perf_counter()
gold, _ = train_from_scratch(cfg["model"], info, xr, yr, cfg["train"], seed=seed, device=device,
                             tag=f"snn retrain {w['scenario']} s{seed}")  # fmt: skip
write("snn_retrain", gold, time.perf_counter() - start)

model = copy.deepcopy(original)
start = time.perf_counter()
fit(model, xr, yr, cfg["finetune"], seed=seed, device=device, tag="snn finetune")
write("snn_finetune", model, time.perf_counter() - start)

model = copy.deepcopy(original)
report = snn_unlearn.unlearn(model, x, y, forget, cfg["unlearn"], seed=seed, device=device)
write("snn_unlearn", model, report["seconds"], **{k: v for k, v in report.items() if k != "seconds"})

start = time.perf_counter()
recover = {**cfg["finetune"], "epochs": cfg["unlearn"]["recover_epochs"]}
fit(model, xr, yr, recover, seed=seed + 1, device=device, tag="snn recovery")
pruned_kept = all(bool((layer.weight[model.mask(name) == 0] == 0).all()) for name, layer in model.synapse_layers())
write("snn_recover", model, report["seconds"] + time.perf_counter() - start, recover_epochs=recover["epochs"],
      pruned_stay_removed=pruned_kept)  # fmt: skip
