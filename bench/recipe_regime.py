"""Which training recipe puts the CIFAR-10 sample in the papers' regime (models that fit their training data)?

    .venv/bin/python bench/recipe_regime.py [--threads 1] [--quick] [--candidates a,b,...]

Trains each candidate recipe once (seed 0) on the sample config's D (the CIFAR-10 sample minus the TMU
hold-out) and prints a Markdown table: accuracy on its own training set (no augmentation), test accuracy,
and the wall time of the training on `--threads` threads (the pipeline runs single-thread jobs, two at a
time on 2 cores). The papers' regime is train accuracy >= 99%; among those that reach it, the recipe with
the best test accuracy that fits the time budget is the one `configs/cifar10-sample.yaml` uses. `--quick`
(used by the test suite) runs two tiny candidates on 512 images for one epoch.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

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
CROP_FLIP = {"crop_pad": 4, "flip": True}

# name -> (model spec, recipe). "s2" = stem stride 2 (every layer on 16x16: a quarter of the compute)
CANDIDATES = {
    "w0.125-noaug-20": ({"width": 0.125}, {**BASE, "epochs": 20, "augment": NO_AUG}),
    "w0.25-noaug-12": ({"width": 0.25}, {**BASE, "epochs": 12, "augment": NO_AUG}),
    "s2-w0.125-noaug-12": ({"width": 0.125, "stem_stride": 2}, {**BASE, "epochs": 12, "augment": NO_AUG}),
    "s2-w0.125-noaug-15": ({"width": 0.125, "stem_stride": 2}, {**BASE, "epochs": 15, "augment": NO_AUG}),
    "s2-w0.125-noaug-18": ({"width": 0.125, "stem_stride": 2}, {**BASE, "epochs": 18, "augment": NO_AUG}),
    "s2-w0.125-flip-20": ({"width": 0.125, "stem_stride": 2}, {**BASE, "epochs": 20, "augment": FLIP}),
    "s2-w0.1875-noaug-15": ({"width": 0.1875, "stem_stride": 2}, {**BASE, "epochs": 15, "augment": NO_AUG}),
    "s2-w0.25-noaug-8": ({"width": 0.25, "stem_stride": 2}, {**BASE, "epochs": 8, "augment": NO_AUG}),
    "s2-w0.25-noaug-12": ({"width": 0.25, "stem_stride": 2}, {**BASE, "epochs": 12, "augment": NO_AUG}),
    "s2-w0.25-flip-12": ({"width": 0.25, "stem_stride": 2}, {**BASE, "epochs": 12, "augment": FLIP}),
    "s2-w0.25-flip-16": ({"width": 0.25, "stem_stride": 2}, {**BASE, "epochs": 16, "augment": FLIP}),
    "s2-w0.25-cropflip-20": ({"width": 0.25, "stem_stride": 2}, {**BASE, "epochs": 20, "augment": CROP_FLIP}),
}
QUICK = {
    "w0.125-noaug-1": ({"width": 0.125}, {**BASE, "epochs": 1, "augment": NO_AUG}),
    "s2-w0.125-flip-1": ({"width": 0.125, "stem_stride": 2}, {**BASE, "epochs": 1, "augment": FLIP}),
}
FIT = 0.99  # the papers' regime: the model fits its own training data


def sample_dataset() -> dict:
    """The sample config's dataset section (so the benchmark measures the D the workflow trains on)."""
    cfg = yaml.safe_load((REPO / "configs" / "cifar10-sample.yaml").read_text())["dataset"]
    cfg["root"] = str((REPO / cfg["root"]).resolve())
    return cfg


def accuracy(model, x, y) -> float:
    return float((predict_proba(model, x, 512, "cpu").argmax(1) == y).float().mean())


def measure(bundle: dict, model: dict, recipe: dict, seed: int = 0) -> dict:
    info = data_info(bundle)
    start = time.perf_counter()
    model, history = train_from_scratch(
        {"name": "resnet18", **model}, info, bundle["train_x"], bundle["train_y"], recipe,
        seed=seed, device=torch.device("cpu"), tag="regime",
    )  # fmt: skip
    seconds = time.perf_counter() - start
    return {
        "train_acc": accuracy(model, bundle["train_x"], bundle["train_y"]),
        "test_acc": accuracy(model, bundle["test_x"], bundle["test_y"]),
        "seconds": seconds,
        "final_loss": history[-1]["loss"],
    }


def table(rows: list[dict], n_train: int, n_test: int, threads: int) -> str:
    lines = [
        f"Recipe candidates on the CIFAR-10 sample (|D| = {n_train:,} training / {n_test:,} test images; "
        f"CIFAR ResNet-18; SGD lr {BASE['lr']} momentum {BASE['momentum']} wd {BASE['weight_decay']}, cosine, "
        f"batch {BASE['batch_size']}; seed 0; {threads} thread(s)):",
        "",
        "| candidate | width | stem stride | epochs | augmentation | train acc (%) | test acc (%) | final loss "
        "| seconds | fits (≥ 99%) |",
        "|---|---:|---:|---:|---|---:|---:|---:|---:|---|",
    ]
    for r in rows:
        aug = r["augment"]
        aug_text = "crop+flip" if aug.get("crop_pad") and aug.get("flip") else ("flip" if aug.get("flip") else "none")
        lines.append(
            f"| {r['name']} | {r['model']['width']} | {r['model'].get('stem_stride', 1)} | {r['epochs']} | {aug_text} "
            f"| {100 * r['train_acc']:.1f} | "
            f"{100 * r['test_acc']:.1f} | {r['final_loss']:.3f} | {r['seconds']:.0f} | "
            f"{'yes' if r['train_acc'] >= FIT else 'no'} |"
        )
    return "\n".join(lines)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--quick", action="store_true", help="two tiny candidates on 512 images (for the tests)")
    parser.add_argument("--candidates", default="", help="comma-separated names (default: all)")
    args = parser.parse_args(argv)
    torch.set_num_threads(args.threads)
    bundle = load_dataset(sample_dataset()).to_tensors()
    candidates = QUICK if args.quick else CANDIDATES
    if args.quick:
        for key in ("train_x", "train_y", "test_x", "test_y"):
            bundle[key] = bundle[key][:512]
    names = [n for n in args.candidates.split(",") if n] or list(candidates)
    unknown = sorted(set(names) - set(candidates))
    if unknown:
        parser.error(f"--candidates: unknown {', '.join(unknown)}; allowed: {', '.join(candidates)}")
    rows = []
    for name in names:
        model, recipe = candidates[name]
        r = measure(bundle, model, recipe)
        rows.append({"name": name, "model": model, "epochs": recipe["epochs"], "augment": recipe["augment"], **r})
        print(f"{name}: train {100 * r['train_acc']:.1f}% test {100 * r['test_acc']:.1f}% {r['seconds']:.0f}s",
              file=sys.stderr, flush=True)  # fmt: skip
    print(table(rows, len(bundle["train_y"]), len(bundle["test_y"]), args.threads))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
