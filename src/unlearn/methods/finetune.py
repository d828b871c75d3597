"""Fine-tune: continue training on D_r only (catastrophic forgetting of D_f), usually with a larger lr."""

from __future__ import annotations

from .base import UnlearnData, cross_entropy_epochs

REQUIRED = ()


def unlearn(model, data: UnlearnData, hp: dict, *, seed: int):
    x, y = data.retain
    cross_entropy_epochs(model, data, x, y, hp, seed=seed, tag="finetune")
    return model
