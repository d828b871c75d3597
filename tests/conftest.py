"""Shared fixtures: repository paths, the CIFAR sample beside the checkout, tiny tensors."""

from __future__ import annotations

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
