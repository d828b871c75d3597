"""Fine-tune: continue training on D_r only (catastrophic forgetting of D_f), usually with a larger lr."""

from __future__ import annotations

from .base import UnlearnData, cross_entropy_epochs

REQUIRED = ()
# the tuning grid (tuning/__init__.py): from too little to move D_f to a big step on D_r
SPACE = {"lr": [0.01, 0.03, 0.1], "epochs": [1, 2]}


def unlearn(model, data: UnlearnData, hp: dict, *, seed: int):
    x, y = data.retain
    cross_entropy_epochs(model, data, x, y, hp, seed=seed, tag="finetune")
    return model
