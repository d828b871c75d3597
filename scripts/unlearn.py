"""Run one unlearning method on one (scenario, seed) and store the model, its outputs and its cost."""

import time

import torch

from unlearn import methods
from unlearn.checkpoints import data_info, load_bundle, load_model, save_model, save_probs, set_threads
from unlearn.io import load_json, save_json, setup_logging
from unlearn.methods.base import UnlearnData
from unlearn.training import Resume, resolve_device, seed_everything
from unlearn.tuning import tuned_values

log = setup_logging(snakemake.log[0], "unlearn", torch_job=True)
set_threads(snakemake.threads)
w = snakemake.wildcards
seed, method, hp = int(w["seed"]), w["method"], dict(snakemake.params["hp"])
if snakemake.input.get("tuned"):  # the choices made on the validation forget sets (rules/tuning.smk)
    tuned = snakemake.input["tuned"]
    records = [load_json(p) for p in ([tuned] if isinstance(tuned, str) else tuned)]
    module = snakemake.params["module"]
    hp, chosen = tuned_values(method, module, hp, records, methods.tune_from(module))
    log.info("tuned values (%s): %s", ", ".join(f"{r['method']} on {r['scenario']}" for r in records), chosen)
device = resolve_device(snakemake.config["device"], snakemake.config["speed"])
bundle = load_bundle(snakemake.input["data"])
forget = load_json(snakemake.input["forget"])
recipe, spec, info = snakemake.params["recipe"], snakemake.params["model"], data_info(bundle)

forget_easy = None
if snakemake.input.get("partition"):  # TMU: the predicted easy/hard split of D_f
    part = load_json(snakemake.input["partition"])
    if part["forget_idx"] != forget["indices"]:
        raise ValueError(f"{snakemake.input['partition']} was made for another forget set")
    forget_easy = torch.tensor(part["feature_sets"][part["used"]]["easy"], dtype=torch.bool)
    log.info(
        "TMU split of D_f (%s): %d easy / %d hard", part["used"], int(forget_easy.sum()), int((~forget_easy).sum())
    )
data = UnlearnData(
    x=bundle["train_x"],
    y=bundle["train_y"],
    forget_idx=torch.tensor(forget["indices"], dtype=torch.long),
    num_classes=info["num_classes"],
    device=device,
    augment=recipe.get("augment", {}),
    model_spec=spec,
    info=info,
    recipe=recipe,
    forget_easy=forget_easy,
    parts=forget.get("parts"),  # RUM: the forget set's ordered and shuffled parts (a sequence's steps)
    resume=Resume(snakemake.params["resume"]),  # Retrain's epoch checkpoint: a killed job continues from it
)
model = load_model(snakemake.input["original"], device)[0] if snakemake.input.get("original") else None
seed_everything(seed)
start = time.perf_counter()
model = methods.get(snakemake.params["module"]).unlearn(model, data, hp, seed=seed)
seconds = time.perf_counter() - start + data.resume.earlier_seconds
log.info("%s on %s seed %d: %.2fs (|D_f|=%d)", method, w["scenario"], seed, seconds, len(data.forget_idx))

meta = {"method": method, "scenario": w["scenario"], "seed": seed, "hp": hp, "seconds": seconds, "device": str(device)}
save_model(model, snakemake.output["model"], spec=spec, info=info, seed=seed, config={"hp": hp, "train": recipe})
save_probs(
    model, bundle, snakemake.output["probs"], batch_size=snakemake.config["evaluation"]["batch_size"], device=device
)
save_json(meta, snakemake.output["run"])
data.resume.clear()
