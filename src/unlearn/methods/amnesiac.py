"""Amnesiac unlearning (Graves et al. 2021): train on D_f relabelled with random wrong labels,
then repair on D_r for `repair_epochs` epochs with the same optimiser settings."""

from __future__ import annotations

from .base import UnlearnData, cross_entropy_epochs, random_other_labels

REQUIRED = ("repair_epochs",)
SPACE = {"lr": [0.003, 0.01, 0.03], "epochs": [1, 2], "repair_epochs": [0, 1]}  # the tuning grid (tuning/__init__.py)


def unlearn(model, data: UnlearnData, hp: dict, *, seed: int):
    xf, yf = data.forget
    cross_entropy_epochs(
        model, data, xf, random_other_labels(yf, data.num_classes, seed), hp, seed=seed, tag="amnesiac"
    )
    if int(hp["repair_epochs"]) > 0:
        repair = {**hp, "epochs": int(hp["repair_epochs"])}
        cross_entropy_epochs(model, data, *data.retain, repair, seed=seed + 1, tag="amnesiac-repair")
    return model
