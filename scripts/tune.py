"""One method's trials on one validation forget set, against that set's gold model: every trial's metrics and the
chosen values (which the method's tuned unlearning jobs read)."""

import numpy as np
import torch

from unlearn.checkpoints import data_info, load_bundle, load_model, set_threads
from unlearn.io import load_json, save_json, setup_logging
from unlearn.methods.base import UnlearnData
from unlearn.training import resolve_device
from unlearn.tuning.trials import run_trials

log = setup_logging(snakemake.log[0], "tune", torch_job=True)
set_threads(snakemake.threads)
params, w = snakemake.params, snakemake.wildcards
device = resolve_device(snakemake.config["device"], snakemake.config["speed"])
bundle, forget = load_bundle(snakemake.input["data"]), load_json(snakemake.input["forget"])
labels = dict(np.load(snakemake.input["labels"]))
gold = dict(np.load(snakemake.input["gold"]))
recipe, info = params["recipe"], data_info(bundle)
data = UnlearnData(
    x=bundle["train_x"],
    y=bundle["train_y"],
    forget_idx=torch.tensor(forget["indices"], dtype=torch.long),
    num_classes=info["num_classes"],
    device=device,
    augment=recipe.get("augment", {}),
    model_spec=params["model"],
    info=info,
    recipe=recipe,
)
original = load_model(snakemake.input["original"], device)[0]
log.info("tuning %s on %s (|D_f| = %d): %d trials, objective %s", w["method"], w["scenario"], len(data.forget_idx),
         len(params["points"]), params["objective"])  # fmt: skip
result = run_trials(
    w["method"], dict(params["base"]), list(params["points"]), original, data, bundle["test_x"], gold, labels,
    forget, seed=int(params["seed"]), objective=params["objective"],
    batch_size=snakemake.config["evaluation"]["batch_size"],
)  # fmt: skip
save_json({**result, "scenario": w["scenario"], "space": params["space"], "device": str(device)}, snakemake.output[0])
