"""The K subset models behind the memorization scores (torch): model k is trained from scratch with the run's
recipe on its subset S_k of D, and leaves behind, for every sample of D,

  correct     whether the final model classifies it right          (the Feldman-Zhang estimator)
  confidence  its true-label probability averaged over the epochs  (the confidence proxy)
  divergence  symmetric KL of the outputs before/after fine-tuning on D \\ S_k (holdout retraining proxy;
              meaningful for i in S_k)
  phi         the final model's logit-scaled confidence log(p_y / (1 - p_y)) on every sample of D, and
  phi_test    on every sample of D_test: what LiRA (lira.py) fits its per-example Gaussians to (phi.py)

The same function trains LiRA's own shadow models (`mia: {shadows: K}`): no probe, no holdout retraining.
"""

from __future__ import annotations

import copy
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F

from ..loader import TensorLoader, predict_proba
from ..models import build_model
from ..phi import logit_confidence
from ..training import fit, optimize, seed_everything
from .memorization import subset_mask


def true_label_prob(model, x, y, batch_size, device) -> torch.Tensor:
    probs = predict_proba(model, x, batch_size, device)
    return probs[torch.arange(len(y)), y.cpu()]


def symmetric_kl(p: torch.Tensor, q: torch.Tensor, eps: float = 1e-12) -> torch.Tensor:
    p, q = p.clamp_min(eps), q.clamp_min(eps)
    return ((p - q) * (p.log() - q.log())).sum(1)


class _EpochProbe:
    """Loader wrapper for `training.optimize`: on each new epoch, record the true-label confidence of the model as
    the previous epoch left it (the loop asks for an epoch's batches right before running them)."""

    def __init__(self, model, loader, x, y, batch_size, device):
        self.model, self.loader, self.x, self.y = model, loader, x, y
        self.batch_size, self.device, self.records = batch_size, device, []

    def record(self):
        self.records.append(true_label_prob(self.model, self.x, self.y, self.batch_size, self.device))
        self.model.train()

    def __call__(self, epoch):
        if epoch > 0:
            self.record()
        return self.loader


def train_subset_model(spec, info, x, y, recipe, holdout: dict, *, k: int, fraction: float, batch_size, device,
                       test=None, base_seed: int = 10_000, probe: bool = True, tag="memorization model"):  # fmt: skip
    """Train model k on S_k; return numpy arrays {in_mask, correct, confidence, divergence, phi} over all of D, and
    phi_test over D_test when `test` = (x_test, y_test) is given. probe=False skips the per-epoch confidence pass
    (confidence is then NaN). base_seed: the seed of model 0's subset and training (k adds to it)."""
    n = len(y)
    mask = subset_mask(n, k, fraction, base_seed)
    idx = torch.from_numpy(np.flatnonzero(mask))
    seed = int(base_seed) + int(k)
    seed_everything(seed)
    model = build_model(spec, info).to(device)
    loader = TensorLoader(
        x[idx], y[idx], recipe["batch_size"], shuffle=True, augment=recipe.get("augment"), seed=seed, device=device
    )
    probe = _EpochProbe(model, loader, x, y, batch_size, device) if probe else None

    def loss_fn(batch):
        xb, yb = batch
        return F.cross_entropy(model(xb), yb, label_smoothing=float(recipe.get("label_smoothing", 0.0)))

    optimize(model, probe if probe is not None else (lambda epoch: loader), loss_fn, recipe, tag=f"{tag} {k}")
    before = predict_proba(model, x, batch_size, device)
    if probe is not None:
        probe.records.append(before[torch.arange(n), y.cpu()])  # the last epoch's: the final model's
        confidence = torch.stack(probe.records).mean(0).numpy()
    else:
        confidence = np.full(n, np.nan)
    correct = (before.argmax(1) == y.cpu()).numpy()
    record = {"in_mask": mask, "correct": correct, "confidence": confidence,
              "phi": logit_confidence(before.numpy(), y.cpu().numpy())}  # fmt: skip
    if test is not None:
        test_probs = predict_proba(model, test[0], batch_size, device)
        record["phi_test"] = logit_confidence(test_probs.numpy(), test[1].cpu().numpy())
    divergence = np.full(n, np.nan)
    if holdout.get("epochs", 0) > 0 and (~mask).any():
        tuned = copy.deepcopy(model)
        out = torch.from_numpy(np.flatnonzero(~mask))
        fit(tuned, x[out], y[out], {**recipe, **holdout, "schedule": "constant"}, seed=seed, device=device,
            tag=f"holdout retraining {k}")  # fmt: skip
        after = predict_proba(tuned, x, batch_size, device)
        divergence = symmetric_kl(before, after).numpy()
    return {**record, "divergence": divergence}


def train_range(ks, train_one, parts_dir, key: str, log=None) -> list[dict]:
    """`train_one(k)` for every k in `ks`, resumable model by model: each finished model's record is kept in
    `parts_dir/model_<k>.npz` with `key` (a fingerprint of what it was trained on and with); a restarted job
    (preempted, timed out) reuses the parts whose key matches and trains only the rest. The caller removes
    `parts_dir` once its output is written."""
    from ..io import save_npz

    parts_dir = Path(parts_dir)
    records = []
    for k in ks:
        part = parts_dir / f"model_{k}.npz"
        if part.exists():
            with np.load(part) as saved:
                if str(saved["key"]) == key:
                    records.append({name: saved[name] for name in saved.files if name != "key"})
                    if log is not None:
                        log.info("model %d: reused from %s (finished before a restart)", k, part)
                    continue
            if log is not None:
                log.warning("%s belongs to another run (recipe, data or model changed); training again", part)
        record = train_one(k)
        parts_dir.mkdir(parents=True, exist_ok=True)
        save_npz(part, key=np.array(key), **record)
        records.append(record)
    return records
