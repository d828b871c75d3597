"""Random Labeling (Golatkar et al. 2020; TMU's baseline): train on D_r together with D_f relabelled
with random wrong labels (drawn once, seeded)."""

from __future__ import annotations

import torch

from .base import UnlearnData, cross_entropy_epochs, random_other_labels

REQUIRED = ()
SPACE = {"lr": [0.001, 0.003, 0.01, 0.03], "epochs": [1, 2]}  # the tuning grid (tuning/__init__.py)


def unlearn(model, data: UnlearnData, hp: dict, *, seed: int):
    xf, yf = data.forget
    xr, yr = data.retain
    x = torch.cat([xr, xf])
    y = torch.cat([yr, random_other_labels(yf, data.num_classes, seed)])
    cross_entropy_epochs(model, data, x, y, hp, seed=seed, tag="random_label")
    return model
