"""L1-sparse (Jia et al. 2023, "Model sparsity can simplify machine unlearning"; RUM's `FT_prune`): fine-tune on
D_r with an L1 penalty on all weights, loss = CE + a_t * ||theta||_1, where a_t decays linearly from `alpha` at the
first epoch to 0 after the last (as in the authors' code), pushing the model towards a sparse solution."""

from __future__ import annotations

import torch
import torch.nn.functional as F

from ..training import optimize
from .base import UnlearnData

REQUIRED = ("alpha",)
SPACE = {"lr": [0.01, 0.03, 0.1], "epochs": [1, 2], "alpha": [0.0001, 0.001]}  # the tuning grid (tuning/__init__.py)


def l1_norm(model) -> torch.Tensor:
    return sum(p.abs().sum() for p in model.parameters() if p.requires_grad)


def unlearn(model, data: UnlearnData, hp: dict, *, seed: int):
    alpha, epochs = float(hp["alpha"]), max(1, int(hp.get("epochs", 1)))
    loader = data.loader(*data.retain, hp["batch_size"], seed)
    state = {"weight": alpha}

    def batches(epoch):
        state["weight"] = alpha * (1.0 - epoch / epochs)
        return loader

    def loss_fn(batch):
        xb, yb = batch
        return F.cross_entropy(model(xb), yb) + state["weight"] * l1_norm(model)

    optimize(model, batches, loss_fn, hp, tag="l1_sparse")
    return model
