"""SSD, Selective Synaptic Dampening (Foster et al. 2024): no training; weights that matter far more to D_f
than to D are shrunk.

Importances are diagonal Fisher estimates: the mean over mini-batches of the squared gradient of the batch
cross-entropy, on D_f (I_f) and on all of D (I_D), without augmentation, in eval mode (as the authors'
`calc_importance`). A weight is selected when I_f > `selection` * I_D (the paper's alpha, 10) and multiplied by
beta = min(`dampening` * I_D / I_f, 1) (the paper's lambda, 1); every other weight is left as it is.
"""

from __future__ import annotations

import logging

import torch
import torch.nn.functional as F

from ..loader import TensorLoader
from .base import UnlearnData

REQUIRED = ("dampening", "selection")
# the tuning grid (tuning/__init__.py): no training: lambda and alpha
SPACE = {"dampening": [0.5, 1.0, 2.0], "selection": [1.0, 10.0, 50.0]}
log = logging.getLogger("unlearn.methods.ssd")


def importances(model, x, y, batch_size: int, device) -> dict[str, torch.Tensor]:
    """{parameter name: mean over batches of grad^2} of the cross-entropy on (x, y)."""
    model.eval()
    named = [(n, p) for n, p in model.named_parameters() if p.requires_grad]
    total = {n: torch.zeros_like(p) for n, p in named}
    loader = TensorLoader(x, y, batch_size, shuffle=False, device=device)
    for xb, yb in loader:
        model.zero_grad(set_to_none=True)
        F.cross_entropy(model(xb), yb).backward()
        for n, p in named:
            if p.grad is not None:
                total[n] += p.grad.detach() ** 2
    model.zero_grad(set_to_none=True)
    return {n: t / max(1, len(loader)) for n, t in total.items()}


@torch.no_grad()
def dampen(model, forget_imp: dict, full_imp: dict, dampening: float, selection: float) -> dict:
    """Shrink the selected weights in place; returns {"selected": count, "total": count}."""
    selected = total = 0
    for n, p in model.named_parameters():
        if n not in forget_imp:
            continue
        i_f, i_d = forget_imp[n], full_imp[n]
        mask = i_f > selection * i_d
        beta = torch.clamp(dampening * i_d / i_f.clamp_min(1e-30), max=1.0)
        p.mul_(torch.where(mask, beta, torch.ones_like(beta)))
        selected += int(mask.sum())
        total += mask.numel()
    return {"selected": selected, "total": total}


def unlearn(model, data: UnlearnData, hp: dict, *, seed: int):
    bs = int(hp["batch_size"])
    full = importances(model, data.x, data.y, bs, data.device)
    forget = importances(model, *data.forget, bs, data.device)
    counts = dampen(model, forget, full, float(hp["dampening"]), float(hp["selection"]))
    log.info(
        "ssd: dampened %d of %d weights (%.3f%%)", counts["selected"], counts["total"],
        100.0 * counts["selected"] / max(1, counts["total"]),
    )  # fmt: skip
    return model
