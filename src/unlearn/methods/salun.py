"""SalUn (Fan et al. 2024, "Saliency unlearning"): a weight saliency mask from the forget loss, then Random
Labeling restricted to the masked weights. Two published forms, chosen by `variant` (SPEC.md):

- `paper` (default; the SalUn paper and its authors' code): mask = 1 for the `threshold` share of weights with
  the largest |d CE(D_f) / d theta| at the original model (one global ranking over all weights); then train on
  D_r (true labels) together with D_f (random *wrong* labels, drawn once, seeded), every gradient multiplied by
  the mask.
- `rum_code` (RUM's released fork, `generate_mask.py` + `unlearn/RL.py`, which produced RUM's table): the
  gradients of -CE(D_f) are summed over the forget batches while the model takes an SGD step after each batch
  (gradient ascent, on a copy here: the unlearning starts from the original model as in their scripts); the
  global ranking is ascending and ranks below `threshold` x #weights are kept, i.e. the *least* salient share
  (this looks like a slip in their code: the comment says "top 10%"); the forget labels are drawn uniformly
  from all classes (the true one allowed) anew every epoch.
"""

from __future__ import annotations

import copy

import torch
import torch.nn.functional as F

from ..training import make_optimizer, optimize
from .base import UnlearnData, cross_entropy_epochs, random_other_labels

REQUIRED = ("threshold",)
OPTIONAL = ("variant",)  # default "paper"
CHOICES = {"variant": ("paper", "rum_code")}
SPACE = {"lr": [0.003, 0.01, 0.03], "epochs": [1, 2], "threshold": [0.3, 0.5]}  # the tuning grid (tuning/__init__.py)


def _global_mask(grads: dict[str, torch.Tensor], threshold: float, largest: bool) -> dict[str, torch.Tensor]:
    flat = torch.cat([g.flatten() for g in grads.values()])
    if largest:  # the paper: the top `threshold` share
        keep = max(1, round(float(threshold) * flat.numel()))
        cutoff = flat.topk(keep).values.min()
        return {n: (g >= cutoff).to(g.dtype) for n, g in grads.items()}
    # RUM's code: ranks of an ascending sort below int(threshold * n) -> the least salient share
    ranks = torch.empty_like(flat, dtype=torch.long)
    ranks[torch.argsort(flat, stable=True)] = torch.arange(flat.numel(), device=flat.device)
    keep = (ranks < int(flat.numel() * float(threshold))).to(flat.dtype)
    out, start = {}, 0
    for n, g in grads.items():
        out[n] = keep[start : start + g.numel()].reshape(g.shape)
        start += g.numel()
    return out


def saliency_mask(model, data: UnlearnData, threshold: float, batch_size: int) -> dict[str, torch.Tensor]:
    """{parameter name: 0/1 mask}: the top `threshold` share of |gradient of the summed D_f loss| (paper)."""
    model.eval()
    model.zero_grad(set_to_none=True)
    for xb, yb in data.loader(*data.forget, batch_size, seed=0, shuffle=False):
        F.cross_entropy(model(xb), yb, reduction="sum").backward()
    named = [(n, p) for n, p in model.named_parameters() if p.requires_grad]
    grads = {n: (p.grad.abs() if p.grad is not None else torch.zeros_like(p)) for n, p in named}
    model.zero_grad(set_to_none=True)
    return _global_mask(grads, threshold, largest=True)


def rum_code_mask(model, data: UnlearnData, hp: dict, *, seed: int) -> dict[str, torch.Tensor]:
    """RUM's `save_gradient_ratio`: sum the gradients of -CE over shuffled forget batches while a copy of the
    model steps by them (SGD with the method's lr, momentum, weight decay); keep the least salient share."""
    work = copy.deepcopy(model)
    work.eval()
    opt = make_optimizer(work.parameters(), hp)
    named = [(n, p) for n, p in work.named_parameters() if p.requires_grad]
    sums = {n: torch.zeros_like(p) for n, p in named}
    for xb, yb in data.loader(*data.forget, hp["batch_size"], seed=seed, shuffle=True):
        loss = -F.cross_entropy(work(xb), yb)
        opt.zero_grad()
        loss.backward()
        opt.step()
        with torch.no_grad():
            for n, p in named:
                if p.grad is not None:
                    sums[n] += p.grad
    return _global_mask({n: g.abs() for n, g in sums.items()}, hp["threshold"], largest=False)


class _RedrawnForgetLabels:
    """One epoch over D_r + D_f where D_f's labels are drawn uniformly (true one allowed) for this epoch."""

    def __init__(self, data: UnlearnData, hp: dict, seed: int, epoch: int):
        xf, yf = data.forget
        xr, yr = data.retain
        gen = torch.Generator().manual_seed(int(seed) * 1000 + epoch)
        labels = torch.randint(0, data.num_classes, yf.shape, generator=gen).to(yf.device)
        self.loader = data.loader(torch.cat([xf, xr]), torch.cat([labels, yr]), hp["batch_size"], seed=seed + epoch)

    def __len__(self):
        return len(self.loader)

    def __iter__(self):
        return iter(self.loader)


def unlearn(model, data: UnlearnData, hp: dict, *, seed: int):
    rum = hp.get("variant", "paper") == "rum_code"
    mask = (
        rum_code_mask(model, data, hp, seed=seed)
        if rum
        else saliency_mask(model, data, hp["threshold"], hp["batch_size"])
    )
    handles = [p.register_hook(lambda g, m=mask[n]: g * m) for n, p in model.named_parameters() if n in mask]
    try:
        if rum:

            def loss(batch):
                return F.cross_entropy(model(batch[0]), batch[1])

            optimize(model, lambda epoch: _RedrawnForgetLabels(data, hp, seed, epoch), loss, hp, tag="salun rum_code")
        else:
            xf, yf = data.forget
            xr, yr = data.retain
            x = torch.cat([xr, xf])
            y = torch.cat([yr, random_other_labels(yf, data.num_classes, seed)])
            cross_entropy_epochs(model, data, x, y, hp, seed=seed, tag="salun")
    finally:
        for h in handles:
            h.remove()
    return model
