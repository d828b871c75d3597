"""NegGrad+ (Kurmanji et al. 2023): descent on D_r and ascent on D_f in the same step,
loss = alpha * CE(D_r batch) - (1 - alpha) * CE(D_f batch). One epoch = one pass over D_r."""

from __future__ import annotations

import torch.nn.functional as F

from ..training import optimize
from .base import Paired, UnlearnData

REQUIRED = ("alpha",)
SPACE = {"lr": [0.01, 0.03, 0.1], "epochs": [1, 2], "alpha": [0.9, 0.99]}  # the tuning grid (tuning/__init__.py)


def unlearn(model, data: UnlearnData, hp: dict, *, seed: int):
    alpha = float(hp["alpha"])
    retain = data.loader(*data.retain, hp["batch_size"], seed)
    paired = Paired(retain, data.loader(*data.forget, hp["batch_size"], seed + 1))

    def loss_fn(batch):
        (xr, yr), (xf, yf) = batch
        return alpha * F.cross_entropy(model(xr), yr) - (1 - alpha) * F.cross_entropy(model(xf), yf)

    optimize(model, lambda epoch: paired, loss_fn, hp, tag="neggrad_plus")
    return model
