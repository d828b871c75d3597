"""Which training recipe puts the CIFAR-10 sample in the papers' regime (models that fit their training data)?

    .venv/bin/python bench/recipe_regime.py [--runs 3] [--jobs 2] [--candidates a,b,...] [--quick]

Each candidate recipe is trained `--runs` times on the sample config's D (the CIFAR-10 sample minus the TMU
hold-out): run 0 on all of D with seed 0 (as an original model), run r > 0 on D minus a seeded random 100
images with seed r (as a gold model on its D_r). Every model of a run must fit, so the table reports the
*lowest* accuracy on its own training set (no augmentation) over the runs, the mean test accuracy, and the mean
wall time of one training on one thread (`--jobs` trainings run side by side, as the pipeline runs its
single-thread jobs two at a time on 2 cores). The papers' regime is train accuracy >= 99% for every run; among
the recipes that reach it, the best test accuracy inside the time budget is the one
`configs/cifar10-sample.yaml` uses. `--quick` (the test suite) runs two tiny candidates on 512 images, 1 epoch.
"""

from __future__ import annotations

import argparse
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import numpy as np
import torch
import yaml

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

from unlearn.checkpoints import data_info  # noqa: E402
from unlearn.data import load_dataset  # noqa: E402
from unlearn.loader import predict_proba  # noqa: E402
from unlearn.training import train_from_scratch  # noqa: E402

BASE = {"batch_size": 128, "optimizer": "sgd", "lr": 0.05, "momentum": 0.9, "weight_decay": 5e-4, "schedule": "cosine"}
NO_AUG = {"crop_pad": 0, "flip": False}
FLIP = {"crop_pad": 0, "flip": True}
S2 = {"stem_stride": 2}  # every layer on 16x16: a quarter of the compute

# name -> (model spec, recipe): the orientation point at full resolution, then the stride-2 stem's candidates
B64 = {"batch_size": 64}
CANDIDATES = {
    "w0.125-noaug-20": ({"width": 0.125}, {**BASE, "epochs": 20, "augment": NO_AUG}),
    "s2-w0.125-noaug-18": ({"width": 0.125, **S2}, {**BASE, "epochs": 18, "augment": NO_AUG}),
    "s2-w0.125-flip-20": ({"width": 0.125, **S2}, {**BASE, "epochs": 20, "augment": FLIP}),
    "s2-w0.25-noaug-12": ({"width": 0.25, **S2}, {**BASE, "epochs": 12, "augment": NO_AUG}),
    "s2-w0.125-noaug-18-b64": ({"width": 0.125, **S2}, {**BASE, **B64, "epochs": 18, "augment": NO_AUG}),
    "s2-w0.125-noaug-20-b64": ({"width": 0.125, **S2}, {**BASE, **B64, "epochs": 20, "augment": NO_AUG}),
    "s2-w0.125-noaug-22-b64": ({"width": 0.125, **S2}, {**BASE, **B64, "epochs": 22, "augment": NO_AUG}),
    "s2-w0.1875-noaug-18-b64": ({"width": 0.1875, **S2}, {**BASE, **B64, "epochs": 18, "augment": NO_AUG}),
}
QUICK = {
    "w0.125-noaug-1": ({"width": 0.125}, {**BASE, "epochs": 1, "augment": NO_AUG}),
    "s2-w0.125-flip-1": ({"width": 0.125, **S2}, {**BASE, "epochs": 1, "augment": FLIP}),
}
FIT = 0.99  # the papers' regime: the model fits its own training data
DROP = 100  # images left out of D in runs r > 0 (a gold model's D_r)


def sample_dataset() -> dict:
    """The sample config's dataset section (so the benchmark measures the D the workflow trains on)."""
    cfg = yaml.safe_load((REPO / "configs" / "cifar10-sample.yaml").read_text())["dataset"]
    cfg["root"] = str((REPO / cfg["root"]).resolve())
    return cfg


def load(quick: bool) -> dict:
    bundle = load_dataset(sample_dataset()).to_tensors()
    if quick:
        for key in ("train_x", "train_y", "test_x", "test_y"):
            bundle[key] = bundle[key][:512]
    return bundle


def accuracy(model, x, y) -> float:
    return float((predict_proba(model, x, 512, "cpu").argmax(1) == y).float().mean())


def train_run(job: tuple) -> dict:
    """One training of one candidate: run 0 on D (seed 0), run r > 0 on D minus DROP seeded images (seed r)."""
    name, model_spec, recipe, run, quick = job
    torch.set_num_threads(1)
    bundle = load(quick)
    keep = np.arange(len(bundle["train_y"]))
    if run > 0:
        drop = np.random.default_rng(run).choice(len(keep), size=min(DROP, len(keep) // 10), replace=False)
        keep = np.setdiff1d(keep, drop)
    x, y = bundle["train_x"][keep], bundle["train_y"][keep]
    start = time.perf_counter()
    model, _ = train_from_scratch({"name": "resnet18", **model_spec}, data_info(bundle), x, y, recipe, seed=run,
                                  device=torch.device("cpu"), tag=f"{name} run {run}")  # fmt: skip
    seconds = time.perf_counter() - start
    out = {"name": name, "run": run, "train_acc": accuracy(model, x, y), "seconds": seconds}
    out["test_acc"] = accuracy(model, bundle["test_x"], bundle["test_y"])
    print(f"{name} run {run}: train {100 * out['train_acc']:.1f}% test {100 * out['test_acc']:.1f}% "
          f"{seconds:.0f}s", file=sys.stderr, flush=True)  # fmt: skip
    return out


def _aug_text(aug: dict) -> str:
    return "crop+flip" if aug.get("crop_pad") and aug.get("flip") else ("flip" if aug.get("flip") else "none")


def table(candidates: dict, results: list[dict], n_train: int, n_test: int, runs: int, jobs: int) -> str:
    lines = [
        f"Recipe candidates on the CIFAR-10 sample (|D| = {n_train:,} training / {n_test:,} test images; CIFAR "
        f"ResNet-18; SGD lr {BASE['lr']}, momentum {BASE['momentum']}, weight decay {BASE['weight_decay']}, cosine; "
        f"{runs} run(s) each: D with seed 0, then D minus {DROP} random images with seeds "
        f"1..{runs - 1}; one thread per training, {jobs} side by side):",
        "",
        "| candidate | width | stem stride | batch | epochs | augmentation | train acc, lowest run (%) "
        "| train acc, mean (%) | test acc, mean (%) | seconds per training | every run fits (≥ 99%) |",
        "|---|---:|---:|---:|---:|---|---:|---:|---:|---:|---|",
    ]
    for name, (model, recipe) in candidates.items():
        rs = [r for r in results if r["name"] == name]
        train = [r["train_acc"] for r in rs]
        lines.append(
            f"| {name} | {model['width']} | {model.get('stem_stride', 1)} | {recipe['batch_size']} "
            f"| {recipe['epochs']} "
            f"| {_aug_text(recipe['augment'])} | {100 * min(train):.1f} | {100 * np.mean(train):.1f} "
            f"| {100 * np.mean([r['test_acc'] for r in rs]):.1f} | {np.mean([r['seconds'] for r in rs]):.0f} "
            f"| {'yes' if min(train) >= FIT else 'no'} |"
        )
    return "\n".join(lines)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=3, help="trainings per candidate (run 0: all of D)")
    parser.add_argument("--jobs", type=int, default=2, help="trainings side by side (one thread each)")
    parser.add_argument("--quick", action="store_true", help="two tiny candidates on 512 images (for the tests)")
    parser.add_argument("--candidates", default="", help="comma-separated names (default: all)")
    parser.add_argument("--first-run", type=int, default=0, help="skip runs below this (0: include all of D)")
    args = parser.parse_args(argv)
    pool = QUICK if args.quick else CANDIDATES
    names = [n for n in args.candidates.split(",") if n] or list(pool)
    unknown = sorted(set(names) - set(pool))
    if unknown:
        parser.error(f"--candidates: unknown {', '.join(unknown)}; allowed: {', '.join(pool)}")
    chosen = {n: pool[n] for n in names}
    runs = 1 if args.quick else args.runs
    work = [(n, m, r, run, args.quick) for n, (m, r) in chosen.items() for run in range(args.first_run, runs)]
    if args.jobs > 1:
        with ProcessPoolExecutor(args.jobs) as ex:
            results = list(ex.map(train_run, work))
    else:
        results = [train_run(w) for w in work]
    bundle = load(args.quick)
    print(table(chosen, results, len(bundle["train_y"]), len(bundle["test_y"]), runs, args.jobs))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
