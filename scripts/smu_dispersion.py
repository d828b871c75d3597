"""SMU's premise measured (paper 000): logit dispersion across two augmented views, for D_f / D_r / D_test, of the
original model (before), SMU (after) and the gold model, on every SMU (scenario, seed)."""

import numpy as np
import pandas as pd

from unlearn.checkpoints import load_bundle, load_model, set_threads
from unlearn.evaluation import load_records
from unlearn.io import load_json, save_text, setup_logging
from unlearn.regime import from_files as regime_line
from unlearn.reporting import display_name
from unlearn.smu.dispersion import sample, view_dispersion
from unlearn.training import resolve_device

log = setup_logging(snakemake.log[0], "smu_dispersion", torch_job=True)
set_threads(snakemake.threads)
inp, params = snakemake.input, snakemake.params
device = resolve_device(snakemake.config["device"], snakemake.config["speed"])
opts, augment = params["dispersion"], params["augment"]
bundle = load_bundle(inp["data"])
train_x, test_x = bundle["train_x"], bundle["test_x"]
setting_of = {scenario: setting for setting, scenario in params["settings"].items()}

rows = []
for i, path in enumerate(inp["forget"]):
    forget = load_json(path)
    scenario, seed = forget["scenario"], int(forget["seed"])
    f_idx = np.asarray(forget["indices"], dtype=np.int64)
    mask = np.ones(len(train_x), dtype=bool)
    mask[f_idx] = False
    groups = {
        "forget": (train_x, sample(f_idx, opts["samples"], seed)),
        "retain": (train_x, sample(np.flatnonzero(mask), opts["samples"], seed + 1)),
        "test": (test_x, sample(np.arange(len(test_x)), opts["samples"], seed + 2)),
    }
    for model_name in ("original", "smu", "retrain"):
        model = load_model(inp[model_name][i], device)[0]
        for group, (x, idx) in groups.items():
            cos, l2 = view_dispersion(model, x[idx], augment, pairs=opts["pairs"], seed=seed, device=device)
            rows += [
                {"setting": setting_of[scenario], "scenario": scenario, "seed": seed, "model": model_name,
                 "group": group, "index": int(j), "cosine": float(c), "l2": float(d)}
                for j, c, d in zip(idx, cos, l2, strict=True)
            ]  # fmt: skip
        log.info("%s seed %d %s: dispersion measured", scenario, seed, model_name)
samples = pd.DataFrame(rows)
save_text(samples.to_csv(index=False, float_format="%.6g"), snakemake.output["samples"])

per_seed = samples.groupby(["setting", "model", "group", "seed"], sort=False)[["cosine", "l2"]].mean().reset_index()
summary = per_seed.groupby(["setting", "model", "group"], sort=False).agg(
    cosine_mean=("cosine", "mean"), cosine_std=("cosine", "std"), l2_mean=("l2", "mean"), l2_std=("l2", "std"),
    n_seeds=("seed", "nunique"),
).reset_index()  # fmt: skip
save_text(summary.to_csv(index=False, float_format="%.6g"), snakemake.output["csv"])
wide = summary.pivot_table(index=["setting", "model"], columns="group", values="cosine_mean", sort=False)
wide = wide.reset_index()
wide["model"] = [display_name(m, "smu") for m in wide["model"]]
wide = wide.rename(columns={"setting": "Setting", "model": "Model", "forget": "D_f", "retain": "D_r", "test": "D_test"})
note = (
    f"Mean over samples (at most {opts['samples']} per set) and seeds {sorted(samples['seed'].unique().tolist())} of "
    f"1 − cos(z₁, z₂), the cosine distance between the logits of two augmented views (SMU's crop/flip, "
    f"{opts['pairs']} pairs per sample); the L2 distance is in the CSV. The paper's premise: unseen data "
    "(Retrain on D_f) is more dispersed than learned data; SMU should move D_f from the original's value towards it."
)
records = pd.DataFrame(load_records(inp["metrics"]))
note += "\n\n" + regime_line(inp["originals"], params["seeds"], inp["labels"], records)
md = f"# SMU: logit dispersion across augmented views\n\n{note}\n\n{wide.to_markdown(index=False, floatfmt='.4g')}\n"
save_text(md, snakemake.output["md"])
log.info("\n%s", wide.to_string(index=False))
