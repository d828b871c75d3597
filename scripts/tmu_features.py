"""TMU, one (scenario, seed): build the twin problem and compute NF, AF, CF on both problems.

Twin problem: D_t = held-out images of the forget class (Eq. 3 size, augmented copies when the pool is
short); twin model M_t = M_o fine-tuned on D_t (+ D); D_t's generalization labels = M_o's correctness
(M_o is the twin problem's gold model). Features of D_t are taken under M_t, those of D_f under M_o.
"""

import copy
import time

import numpy as np
import torch

from unlearn.checkpoints import data_info, load_bundle, load_model, set_threads
from unlearn.io import load_json, save_json, save_npz, setup_logging
from unlearn.loader import predict_proba
from unlearn.tmu import FEATURE_NAMES
from unlearn.tmu.features import adversarial_feature, augmented_copies, nearest_distance_feature, per_sample_loss
from unlearn.tmu.twin import choose_twin, twin_size
from unlearn.training import fit, resolve_device, train_from_scratch

log = setup_logging(snakemake.log[0], "tmu_features", torch_job=True)
set_threads(snakemake.threads)
w = snakemake.wildcards
seed = int(w["seed"])
device = resolve_device(snakemake.config["device"], snakemake.config["speed"])
tmu, recipe, spec = snakemake.params["tmu"], snakemake.params["recipe"], snakemake.params["model"]
feat, bs = tmu["features"], snakemake.config["evaluation"]["batch_size"]
start = time.perf_counter()

bundle = load_bundle(snakemake.input["data"])
forget = load_json(snakemake.input["forget"])
cls = int(forget["spec"]["class"])
x, y = bundle["train_x"], bundle["train_y"]
f_idx = torch.tensor(forget["indices"], dtype=torch.long)
retain_mask = torch.ones(len(y), dtype=torch.bool)
retain_mask[f_idx] = False

# --- the twin data D_t --------------------------------------------------------------------------------------
size = twin_size(len(f_idx), len(y))
pool = torch.nonzero(bundle["holdout_y"] == cls).flatten().numpy()
chosen, is_copy = choose_twin(pool, size, seed)
x_t = bundle["holdout_x"][torch.from_numpy(chosen)].clone()
augment = tmu["twin"].get("augment") or recipe.get("augment") or {}
if not (augment.get("crop_pad") or augment.get("flip")):
    augment = {"crop_pad": 1}
copies = torch.from_numpy(is_copy)
x_t[copies] = augmented_copies(x_t[copies], augment, seed)
y_t = torch.full((size,), cls, dtype=torch.long)
log.info("class %d: |D_f|=%d, |D|=%d -> |D_t|=%d (Eq. 3): %d held-out images + %d augmented copies",
         cls, len(f_idx), len(y), size, int((~is_copy).sum()), int(is_copy.sum()))  # fmt: skip

# --- generalization labels of the twin problem: its gold model is M_o --------------------------------------
original = load_model(snakemake.input["original"], device)[0]
twin_easy = (predict_proba(original, x_t, bs, device).argmax(1) == y_t).numpy().astype(np.int64)

# --- the twin model M_t --------------------------------------------------------------------------------------
twin = copy.deepcopy(original)
twin_recipe = {k: v for k, v in tmu["twin"].items() if k not in ("data", "augment")}
twin_recipe["augment"] = recipe.get("augment", {})
xs, ys = (torch.cat([x, x_t]), torch.cat([y, y_t])) if tmu["twin"]["data"] == "all" else (x_t, y_t)
torch.manual_seed(seed)
fit(twin, xs, ys, twin_recipe, seed=seed, device=device, tag=f"twin {w['scenario']} s{seed}")
twin_acc_t = float((predict_proba(twin, x_t, bs, device).argmax(1) == y_t).float().mean())

# --- NF: the remaining data of each problem (original: D_r; twin: D = D_r + D_f), forget class only --------
k = feat["nf_k"]
ref_original = x[retain_mask & (y == cls)]
ref_twin = x[y == cls]
nf_f = nearest_distance_feature(original, x[f_idx], ref_original, k, batch_size=bs, device=device)
nf_t = nearest_distance_feature(twin, x_t, ref_twin, k, batch_size=bs, device=device)

# --- AF: PGD on each problem's own "original" model ---------------------------------------------------------
af_f = adversarial_feature(original, x[f_idx], y[f_idx], feat["af_eps"], feat["af_steps"], device=device)
af_t = adversarial_feature(twin, x_t, y_t, feat["af_eps"], feat["af_steps"], device=device)

# --- CF: one curriculum model from scratch on a share of D_r plus both forget sets --------------------------
gen = torch.Generator().manual_seed(seed)
r_idx = torch.nonzero(retain_mask).flatten()
part = r_idx[torch.randperm(len(r_idx), generator=gen)[: max(1, round(feat["cf_fraction"] * len(r_idx)))]]
cf_x, cf_y = torch.cat([x[part], x[f_idx], x_t]), torch.cat([y[part], y[f_idx], y_t])
cf_recipe = {**recipe, "epochs": feat["cf_epochs"], "schedule": "constant"}
curriculum, _ = train_from_scratch(
    spec, data_info(bundle), cf_x, cf_y, cf_recipe, seed=seed + 1000, device=device, tag=f"curriculum s{seed}"
)
cf_f = per_sample_loss(curriculum, x[f_idx], y[f_idx], device=device)
cf_t = per_sample_loss(curriculum, x_t, y_t, device=device)

forget_features = torch.stack([nf_f, af_f, cf_f], dim=1).numpy()
twin_features = torch.stack([nf_t, af_t, cf_t], dim=1).numpy()
for name, i in zip(FEATURE_NAMES, range(3), strict=True):
    easy, hard = twin_features[twin_easy == 1, i], twin_features[twin_easy == 0, i]
    log.info("twin set %s: easy mean %.4f (n=%d), hard mean %s (n=%d)", name,
             easy.mean() if len(easy) else float("nan"), len(easy),
             f"{hard.mean():.4f}" if len(hard) else "-", len(hard))  # fmt: skip
seconds = time.perf_counter() - start
save_npz(
    snakemake.output["features"],
    twin_features=twin_features,
    twin_easy=twin_easy,
    twin_copy=is_copy,
    forget_features=forget_features,
    forget_idx=f_idx.numpy(),
)
save_json(
    {
        "scenario": w["scenario"],
        "seed": seed,
        "class": cls,
        "n_forget": len(f_idx),
        "n_train": len(y),
        "twin_size": size,
        "twin_holdout_images": int((~is_copy).sum()),
        "twin_augmented_copies": int(is_copy.sum()),
        "twin_holdout_indices": chosen.tolist(),
        "twin_easy": int(twin_easy.sum()),
        "twin_hard": int(len(twin_easy) - twin_easy.sum()),
        "twin_model_acc_twin_set": twin_acc_t,
        "features": list(FEATURE_NAMES),
        "seconds": seconds,
    },
    snakemake.output["info"],
)
log.info(
    "twin set: %d easy / %d hard; features done in %.1fs",
    int(twin_easy.sum()),
    len(twin_easy) - int(twin_easy.sum()),
    seconds,
)
