"""SalUn (Fan et al. 2024, "Saliency unlearning"): a weight saliency mask from the forget loss, then Random
Labeling restricted to the salient weights.

mask = 1 for the `threshold` share of weights with the largest |d CE(D_f) / d theta| (one global ranking over
all weights, as the authors' `generate_mask.py` does), 0 elsewhere; then train on D_r (true labels) together with
D_f (random wrong labels, drawn once, seeded), with every gradient multiplied by the mask.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F

from .base import UnlearnData, cross_entropy_epochs, random_other_labels

REQUIRED = ("threshold",)


def saliency_mask(model, data: UnlearnData, threshold: float, batch_size: int) -> dict[str, torch.Tensor]:
    """{parameter name: 0/1 mask}: the top `threshold` share of |gradient of the summed D_f loss|."""
    model.eval()
    model.zero_grad(set_to_none=True)
    for xb, yb in data.loader(*data.forget, batch_size, seed=0, shuffle=False):
        F.cross_entropy(model(xb), yb, reduction="sum").backward()
    named = [(n, p) for n, p in model.named_parameters() if p.requires_grad]
    grads = {n: (p.grad.abs() if p.grad is not None else torch.zeros_like(p)) for n, p in named}
    flat = torch.cat([g.flatten() for g in grads.values()])
    keep = max(1, round(float(threshold) * flat.numel()))
    cutoff = flat.topk(keep).values.min()
    model.zero_grad(set_to_none=True)
    return {n: (g >= cutoff).to(g.dtype) for n, g in grads.items()}


def unlearn(model, data: UnlearnData, hp: dict, *, seed: int):
    mask = saliency_mask(model, data, hp["threshold"], hp["batch_size"])
    handles = [p.register_hook(lambda g, m=mask[n]: g * m) for n, p in model.named_parameters() if n in mask]
    xf, yf = data.forget
    xr, yr = data.retain
    x = torch.cat([xr, xf])
    y = torch.cat([yr, random_other_labels(yf, data.num_classes, seed)])
    try:
        cross_entropy_epochs(model, data, x, y, hp, seed=seed, tag="salun")
    finally:
        for h in handles:
            h.remove()
    return model
