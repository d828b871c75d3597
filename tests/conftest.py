"""Shared fixtures: repository paths, the CIFAR sample beside the checkout, tiny tensors; helpers that show what a
method trains on."""

from __future__ import annotations

import dataclasses
import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
CIFAR_SAMPLE = Path(os.environ.get("CIFAR10_SAMPLE", REPO.parent / "shared" / "data" / "cifar-10-batches-py"))


@pytest.fixture
def repo() -> Path:
    return REPO


@pytest.fixture
def cifar_sample() -> Path:
    if not (CIFAR_SAMPLE / "data_batch_1").is_file():
        pytest.skip(f"CIFAR-10 sample not found at {CIFAR_SAMPLE} (expected ../shared beside the checkout)")
    return CIFAR_SAMPLE


MARK = 255  # D_f images get this top-left pixel (0 in every digits image): a batch shows whether it holds D_f rows


def mark_forget(data):
    """A copy of an `UnlearnData` whose D_f images carry MARK in their top-left pixel."""
    x = data.x.clone()
    x[data.forget_idx, 0, 0, 0] = MARK
    return dataclasses.replace(data, x=x)


def capture_optimize(monkeypatch, module) -> dict:
    """Replace `module.optimize` with a recorder: the method builds its batches and loss, nothing trains. After the
    method has run, the dict holds the model it would train ("model"), "batches" (epoch -> batches) and "loss"."""
    seen: dict = {}

    def record(model, batches, loss_fn, hp, tag):
        seen.update(model=model, batches=batches, loss=loss_fn)

    monkeypatch.setattr(module, "optimize", record)
    return seen
