"""Shared fixtures and the workflow harness: repository paths, the CIFAR sample beside the checkout, the tiny test
configs (tests/configs/*.yaml), copies of the workflow run by a real Snakemake, digits tensors, helpers that show
what a method trains on, and a small folder in the CIFAR-100 layout."""

from __future__ import annotations

import dataclasses
import os
import pickle
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

REPO = Path(__file__).resolve().parents[1]
CONFIGS = REPO / "tests" / "configs"
CIFAR_SAMPLE = Path(os.environ.get("CIFAR10_SAMPLE", REPO.parent / "shared" / "data" / "cifar-10-batches-py"))
# what a copy of the workflow needs to run (tests run copies, never the checkout's results/)
WORKFLOW_FILES = ["Snakefile", "rules", "scripts", "src", "schemas", "report", "envs", "paper_values", "profiles",
                  "config.yaml"]  # fmt: skip
SPEC = {"name": "smallcnn", "width": 0.25}  # the unit tests' model and recipe on digits
RECIPE = {"epochs": 2, "batch_size": 64, "lr": 0.05, "momentum": 0.9, "augment": {"crop_pad": 1}}


@pytest.fixture
def repo() -> Path:
    return REPO


@pytest.fixture
def cifar_sample() -> Path:
    if not (CIFAR_SAMPLE / "data_batch_1").is_file():
        pytest.skip(f"CIFAR-10 sample not found at {CIFAR_SAMPLE} (expected ../shared beside the checkout)")
    return CIFAR_SAMPLE


@pytest.fixture(scope="module")
def digits():
    """The digits training set as tensors and its data info."""
    import torch

    from unlearn.checkpoints import data_info
    from unlearn.data import load_digits

    torch.set_num_threads(1)
    bundle = load_digits().to_tensors()
    return bundle, data_info(bundle)


def tiny_config(name: str) -> dict:
    """A test config, tests/configs/<name>.yaml, as a dict."""
    return yaml.safe_load((CONFIGS / f"{name}.yaml").read_text())


# ---- the workflow harness: copies of the workflow, real Snakemake runs ------------------------------------------
def snakemake(workdir, *args, config="tiny.yaml", check=True):
    """Snakemake on the copy in `workdir` with its config file `config`; AssertionError with its output on failure."""
    cmd = [sys.executable, "-m", "snakemake", "-s", str(workdir / "Snakefile"), "-d", str(workdir)]
    cmd += ["--configfile", str(workdir / config), "--cores", "2", *args]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=1200, env={**os.environ, "PYTHONPATH": ""})
    if check and proc.returncode != 0:
        raise AssertionError(f"snakemake {' '.join(args)} failed:\n{proc.stdout[-3000:]}\n{proc.stderr[-6000:]}")
    return proc


def job_stats(dry_run_output: str) -> dict[str, int]:
    """Rule -> job count from the "Job stats" table of `snakemake -n` ({} when nothing is to be done)."""
    if "Nothing to be done" in dry_run_output:
        return {}
    counts = {}
    for line in dry_run_output.split("Job stats:")[1].split("\n")[3:]:
        parts = line.split()
        if len(parts) != 2 or parts[0] == "total":
            break
        counts[parts[0]] = int(parts[1])
    return counts


def planned_jobs(workdir, config="tiny.yaml") -> dict[str, int]:
    """Rule -> job count that a dry run would execute now."""
    return job_stats(snakemake(workdir, "-n", config=config).stdout)


def write_config(workdir, cfg, name="tiny.yaml"):
    (workdir / name).write_text(yaml.safe_dump(cfg, sort_keys=False))


def copy_workflow(tmp_path_factory, name, cfg, config_name="tiny.yaml"):
    """A copy of the workflow in a fresh folder, with `cfg` written as `config_name`."""
    work = tmp_path_factory.mktemp(name)
    for item in WORKFLOW_FILES:
        src = REPO / item
        (shutil.copytree if src.is_dir() else shutil.copy2)(src, work / item)
    write_config(work, cfg, config_name)
    return work


def run_copy(tmp_path_factory, name, cfg):
    """A copy of the workflow in a fresh folder with `cfg` as tiny.yaml, run once end to end."""
    work = copy_workflow(tmp_path_factory, name, cfg)
    snakemake(work)
    return work


# ---- what a method trains on ---------------------------------------------------------------------------------
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


# ---- data in the official layouts ------------------------------------------------------------------------------
def write_cifar100(root, n_train=400, n_test=100, seed=0):
    """A small folder in the official cifar-100-python layout: fine label i % 100, coarse label (i % 100) // 5."""
    import numpy as np

    from unlearn.data import CIFAR_NAMES

    rng = np.random.default_rng(seed)
    root.mkdir()
    for name, n in (("train", n_train), ("test", n_test)):
        fine = np.arange(n) % 100
        with open(root / name, "wb") as fh:
            pickle.dump({"fine_labels": fine.tolist(), "coarse_labels": (fine // 5).tolist(),
                         "data": rng.integers(0, 256, (n, 3072), dtype=np.uint8)}, fh)  # fmt: skip
    with open(root / "meta", "wb") as fh:
        pickle.dump({"fine_label_names": CIFAR_NAMES["cifar100"], "coarse_label_names": CIFAR_NAMES["cifar20"]}, fh)
    return root
