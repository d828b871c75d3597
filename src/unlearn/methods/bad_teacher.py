"""Bad Teacher (Chundawat et al. 2023): the student (a copy of the original) distils the competent
teacher (the original) on a fraction of D_r and an incompetent, randomly initialised teacher on D_f.

loss = KL(softmax(teacher / T) || log_softmax(student / T)), teacher = incompetent on D_f, competent on D_r.
"""

from __future__ import annotations

import copy

import torch
import torch.nn.functional as F

from ..models import build_model
from ..training import optimize
from .base import UnlearnData

REQUIRED = ("temperature", "retain_fraction")
SPACE = {"lr": [0.0001, 0.001, 0.01], "epochs": [1, 2]}  # the tuning grid (tuning/__init__.py): adam's learning rates


def unlearn(model, data: UnlearnData, hp: dict, *, seed: int):
    temperature = float(hp["temperature"])
    competent = copy.deepcopy(model).eval()
    torch.manual_seed(seed)
    incompetent = build_model(data.model_spec, data.info).to(data.device).eval()

    gen = torch.Generator().manual_seed(int(seed))
    xr, yr = data.retain
    keep = torch.randperm(len(yr), generator=gen)[: max(1, round(float(hp["retain_fraction"]) * len(yr)))]
    xf, _ = data.forget
    x = torch.cat([xr[keep], xf])
    is_forget = torch.cat([torch.zeros(len(keep), dtype=torch.long), torch.ones(len(xf), dtype=torch.long)])
    loader = data.loader(x, is_forget, hp["batch_size"], seed)

    def loss_fn(batch):
        xb, fb = batch
        with torch.no_grad():
            good = F.softmax(competent(xb) / temperature, dim=1)
            bad = F.softmax(incompetent(xb) / temperature, dim=1)
            mask = fb.float()[:, None]
            target = mask * bad + (1 - mask) * good
        student = F.log_softmax(model(xb) / temperature, dim=1)
        return F.kl_div(student, target, reduction="batchmean")

    optimize(model, lambda epoch: loader, loss_fn, hp, tag="bad_teacher")
    return model
