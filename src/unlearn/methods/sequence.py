"""A sequence of methods, one per part of the forget set: RUM's meta-algorithm (paper 002, §5; rum/sequence.py).

Not configured under `methods:`: the RUM experiment builds each sequence from methods that are (rum/plugin.py).
hp = {"sequence": which parts of the forget file ("rumf": the memorization levels in order, "shuffle": random
equal parts), "methods": a method name per part, "hp": their hyperparameters, "retain": what D_r is at each step}.
The parts come with the forget set (`data.parts`, the forget file's "parts").
"""

from __future__ import annotations

from ..rum.sequence import run_sequence
from .base import UnlearnData

REQUIRED = ("sequence", "methods", "hp", "retain")
CONFIGURABLE = False
NEEDS = ("parts",)


def unlearn(model, data: UnlearnData, hp: dict, *, seed: int):
    if not data.parts or hp["sequence"] not in data.parts:
        raise ValueError(f"sequence: the forget set has no '{hp['sequence']}' parts (data.parts)")
    steps = list(zip(hp["methods"], hp["hp"], strict=True))
    model, _ = run_sequence(model, data, data.parts[hp["sequence"]], steps, retain=hp["retain"], seed=seed)
    return model
