"""NegGrad (Golatkar et al. 2020): gradient ascent on the forget set's cross-entropy."""

from __future__ import annotations

import torch.nn.functional as F

from ..training import optimize
from .base import UnlearnData

REQUIRED = ()
# the tuning grid (tuning/__init__.py): ascent: from a no-op to collapsing D_r
SPACE = {"lr": [0.001, 0.003, 0.01, 0.03], "epochs": [1, 2]}


def unlearn(model, data: UnlearnData, hp: dict, *, seed: int):
    x, y = data.forget
    loader = data.loader(x, y, hp["batch_size"], seed)

    def loss_fn(batch):
        xb, yb = batch
        return -F.cross_entropy(model(xb), yb)

    optimize(model, lambda epoch: loader, loss_fn, hp, tag="neggrad")
    return model
