"""Retrain (the gold model): train from scratch on D_r with the same recipe as the original."""

from __future__ import annotations

from ..training import train_from_scratch
from .base import UnlearnData

REQUIRED = ()


def unlearn(model, data: UnlearnData, hp: dict, *, seed: int):
    x, y = data.retain
    gold, _ = train_from_scratch(
        data.model_spec, data.info, x, y, data.recipe, seed=seed, device=data.device, tag="retrain", resume=data.resume
    )
    return gold
