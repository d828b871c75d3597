"""U-LiRA's unlearned shadows of one (scenario, seed, method): each shadow original u, trained on its share S_u of
D, unlearns D_f & S_u with the method's values (tuned where the test job's are), its retain set S_u minus D_f; the
unlearned shadows' logit-scaled confidences on D and D_test are kept with the masks (lira.ulira reads them)."""

import time

import numpy as np
import torch

from unlearn import methods
from unlearn.checkpoints import data_info, load_bundle, load_model, set_threads
from unlearn.io import load_json, save_npz, setup_logging
from unlearn.loader import predict_proba
from unlearn.methods.base import UnlearnData
from unlearn.phi import logit_confidence
from unlearn.training import resolve_device, seed_everything
from unlearn.tuning import tuned_values

log = setup_logging(snakemake.log[0], "ulira_unlearn", torch_job=True)
set_threads(snakemake.threads)
w = snakemake.wildcards
seed, method, module = int(w["seed"]), w["method"], snakemake.params["module"]
hp = dict(snakemake.params["hp"])
if snakemake.input.get("tuned"):  # the same choices the test job of this method reads
    tuned = snakemake.input["tuned"]
    records = [load_json(p) for p in ([tuned] if isinstance(tuned, str) else tuned)]
    hp, chosen = tuned_values(method, module, hp, records, methods.tune_from(module))
    log.info("tuned values: %s", chosen)
device = resolve_device(snakemake.config["device"], snakemake.config["speed"])
bundle = load_bundle(snakemake.input["data"])
x, y, info = bundle["train_x"], bundle["train_y"], data_info(bundle)
recipe, batch = snakemake.params["recipe"], snakemake.config["evaluation"]["batch_size"]
forget = np.asarray(load_json(snakemake.input["forget"])["indices"], dtype=np.int64)
out = {"in_mask": [], "phi": [], "phi_test": []}
start = time.perf_counter()
for path in snakemake.input["originals"]:
    model, ckpt = load_model(path, device)
    mask = ckpt["in_mask"].numpy().astype(bool)
    idx = np.flatnonzero(mask)
    own = np.flatnonzero(np.isin(idx, forget))  # D_f & S_u, as positions in the shadow's own training set
    data = UnlearnData(x=x[idx], y=y[idx], forget_idx=torch.from_numpy(own), num_classes=info["num_classes"],
                       device=device, augment=recipe.get("augment", {}), model_spec=snakemake.params["model"],
                       info=info, recipe=recipe)  # fmt: skip
    seed_everything(seed)
    model = methods.get(module).unlearn(model, data, hp, seed=seed)
    out["in_mask"].append(mask)
    out["phi"].append(logit_confidence(predict_proba(model, x, batch, device).numpy(), y.numpy()))
    out["phi_test"].append(logit_confidence(predict_proba(model, bundle["test_x"], batch, device).numpy(),
                                            bundle["test_y"].numpy()))  # fmt: skip
    log.info("%s on shadow %s: unlearned %d of D_f's %d samples (%d retained)", method, path, len(own), len(forget),
             len(idx) - len(own))  # fmt: skip
seconds = time.perf_counter() - start
save_npz(snakemake.output[0], seconds=np.array(seconds), **{k: np.stack(v) for k, v in out.items()})
log.info("%d unlearned shadows in %.1fs", len(out["phi"]), seconds)
