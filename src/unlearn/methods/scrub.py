"""SCRUB (Kurmanji et al. 2023): the student (a copy of the original model) is pulled away from the original
teacher on D_f and kept close to it on D_r.

Each epoch: if epoch < `msteps`, a max-step pass over D_f minimising -KL(teacher || student); then a min-step
pass over D_r minimising ce_weight * CE + kd_weight * KL(teacher || student) (the authors' gamma and alpha).
KL on softmax outputs at temperature `temperature` (the authors' kd_T), scaled by T^2 as in their DistillKL.
One optimiser for both passes.
"""

from __future__ import annotations

import copy

import torch
import torch.nn.functional as F

from ..training import optimize
from .base import UnlearnData

REQUIRED = ("msteps",)
OPTIONAL = ("temperature", "kd_weight", "ce_weight")  # defaults 4.0, 0.001, 0.99
SPACE = {"lr": [0.001, 0.005, 0.02], "epochs": [2, 3], "msteps": [1, 2]}  # the tuning grid (tuning/__init__.py)


def distill_kl(student_logits, teacher_logits, temperature: float) -> torch.Tensor:
    t = float(temperature)
    log_p = F.log_softmax(student_logits / t, dim=1)
    q = F.softmax(teacher_logits / t, dim=1)
    return F.kl_div(log_p, q, reduction="batchmean") * t * t


class _Passes:
    """One SCRUB epoch: ("max", batch) over D_f (when max steps are on), then ("min", batch) over D_r."""

    def __init__(self, forget, retain, with_max: bool):
        self.forget, self.retain, self.with_max = forget, retain, with_max

    def __len__(self):
        return (len(self.forget) if self.with_max else 0) + len(self.retain)

    def __iter__(self):
        if self.with_max:
            for batch in self.forget:
                yield "max", batch
        for batch in self.retain:
            yield "min", batch


def unlearn(model, data: UnlearnData, hp: dict, *, seed: int):
    teacher = copy.deepcopy(model).eval()
    for p in teacher.parameters():
        p.requires_grad_(False)
    t = float(hp.get("temperature", 4.0))
    kd_weight, ce_weight = float(hp.get("kd_weight", 0.001)), float(hp.get("ce_weight", 0.99))
    forget = data.loader(*data.forget, hp["batch_size"], seed + 1)
    retain = data.loader(*data.retain, hp["batch_size"], seed)
    msteps = int(hp["msteps"])

    def loss_fn(tagged):
        kind, (xb, yb) = tagged
        out = model(xb)
        with torch.no_grad():
            ref = teacher(xb)
        if kind == "max":
            return -distill_kl(out, ref, t)
        return ce_weight * F.cross_entropy(out, yb) + kd_weight * distill_kl(out, ref, t)

    optimize(model, lambda epoch: _Passes(forget, retain, epoch < msteps), loss_fn, hp, tag="scrub")
    return model
