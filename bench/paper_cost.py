"""Expected compute of the paper-scale configs, from a measured per-epoch training cost.

    .venv/bin/python bench/paper_cost.py [--device auto|cpu|cuda] [--images 1024] [configs/paper/*.yaml]

For each config: the full-recipe trainings its DAG holds (the original models, the gold `retrain`
models, RUM's memorization subset models, LiRA's own shadow models; counted from `snakemake -n` with
configs/plan-only.yaml, so no dataset is needed; a subset or shadow model counts as its share of D)
x the recipe's epochs x the training-set size gives training image-epochs;
one epoch of the config's model is timed here on `--images` random CIFAR-sized images with the
config's batch size, augmentation included, and scaled to the whole set. Unlearning, feature and
evaluation jobs (a few epochs each) are left out: the estimate is a lower bound dominated by the
trainings. With the tuned overlay (configs/tuned.yaml) each config also gets the validation sets' gold models and
every trial's epochs (each counted as a pass over D: an upper bound, most methods pass over D_f or a part of D_r).
Prints a Markdown table, in float32; on a GPU node `make gpu-check` (bench/gpu_check.py) gives
the same projection in float32 and with each config's `speed` setting (bf16 + channels_last on CUDA).
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import time
from pathlib import Path

import torch
import yaml

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

from unlearn.models import build_model  # noqa: E402
from unlearn.training import fit, resolve_device  # noqa: E402

TRAIN_IMAGES = {"cifar10": 50_000, "cifar100": 50_000}


def planned_trainings(config: Path) -> dict[str, int]:
    """Full trainings in the DAG: original models, retrain jobs, memorization models (+ models per job)."""
    cmd = [sys.executable, "-m", "snakemake", "-n", "--cores", "1", "-s", str(REPO / "Snakefile"), "-d", str(REPO)]
    cmd += ["--configfile", str(config), str(REPO / "configs" / "plan-only.yaml")]
    out = subprocess.run(cmd, capture_output=True, text=True, cwd=REPO)
    if out.returncode != 0:
        raise SystemExit(f"{config}: dry run failed:\n{out.stdout[-2000:]}{out.stderr[-2000:]}")
    text = out.stdout + out.stderr
    stats = dict(re.findall(r"^(\w+)\s+(\d+)$", text.split("Job stats:")[1].split("total")[0], flags=re.M))
    retrain = len(set(re.findall(r"wildcards: (scenario=\S+, seed=\d+, method=retrain)", text)))
    return {
        "original": int(stats.get("train_original", 0)),
        "retrain": retrain,
        "memorization_jobs": int(stats.get("rum_memorization_models", 0)),
        "lira_jobs": int(stats.get("lira_shadows", 0)),
    }


def tuning_epochs(config: Path) -> tuple[int, float]:
    """(validation gold models, trial epochs) the tuned overlay adds: one `retrain` per validation set, and per
    trials job every grid point's epochs plus the configured values' (run beside the grid)."""
    from unlearn.config import load_config
    from unlearn.plan import Plan
    from unlearn.tuning import cost

    cfg = load_config([config, REPO / "configs/tuned.yaml", REPO / "configs/plan-only.yaml"],
                      REPO / "schemas/config.schema.yaml")  # fmt: skip
    plan = Plan(cfg)
    tuning = plan.experiment("tuning")
    epochs = 0.0
    for path in tuning.records(plan):
        method = Path(path).stem
        base = dict(cfg["methods"][method] or {})
        points = tuning.points(plan, method)
        configured = {k: base[k] for k in points[0] if k in base}
        epochs += sum(cost({**base, **p}) for p in points) + (0 if configured in points else cost(base))
    return len(tuning.validation_sets(plan)), epochs


def epoch_seconds(cfg: dict, device, images: int) -> float:
    """Seconds for one epoch over `images` CIFAR-sized images with the config's model and recipe."""
    name = cfg["dataset"]["name"]
    info = {"in_channels": 3, "image_size": 32, "num_classes": 100 if name == "cifar100" else 10}
    info |= {"mean": [0.5] * 3, "std": [0.25] * 3}
    gen = torch.Generator().manual_seed(0)
    x = torch.randint(0, 256, (images, 3, 32, 32), dtype=torch.uint8, generator=gen)
    y = torch.randint(0, info["num_classes"], (images,), generator=gen)
    model = build_model(cfg["model"], info).to(device)
    recipe = {**cfg["train"], "epochs": 1}
    fit(model, x[: recipe["batch_size"] * 2], y[: recipe["batch_size"] * 2], recipe, seed=0, device=device, tag="warm")
    if device.type == "cuda":
        torch.cuda.synchronize()
    start = time.perf_counter()
    fit(model, x, y, recipe, seed=0, device=device, tag="timed")
    if device.type == "cuda":
        torch.cuda.synchronize()
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("configs", nargs="*", type=Path)
    parser.add_argument("--device", default="auto")
    parser.add_argument("--images", type=int, default=1024)
    args = parser.parse_args()
    configs = args.configs or sorted((REPO / "configs" / "paper").glob("*.yaml"))
    device = resolve_device(args.device)
    name = torch.cuda.get_device_name() if device.type == "cuda" else f"CPU, {torch.get_num_threads()} threads"
    print(f"device: {name}; epoch timed on {args.images} images, scaled to the training set\n")
    print("| config | model | epochs | trainings (orig + retrain + memorization + LiRA shadows) | s / epoch "
          "| hours (authors' values) | of which LiRA shadows | + tuned overlay: validation gold models, trial epochs "
          "| hours (tuned) |")  # fmt: skip
    print("|---|---|---|---|---|---|---|---|---|")
    for path in configs:
        cfg = yaml.safe_load(path.read_text())
        n = TRAIN_IMAGES[cfg["dataset"]["name"]]
        plan = planned_trainings(path)
        mem_cfg, mia = cfg.get("rum", {}).get("memorization", {}), cfg.get("mia") or {}
        # each subset model trains on its share of D (the schema's defaults: 70% memorization, halves for LiRA)
        mem = min(plan["memorization_jobs"] * int(mem_cfg.get("models_per_job", 10)), int(mem_cfg.get("models", 20)))
        mem *= float(mem_cfg.get("fraction", 0.7))
        lira = min(plan["lira_jobs"] * int(mia.get("shadows_per_job", 8)), int(mia.get("shadows") or 0))
        lira *= float(mia.get("fraction", 0.5))
        trainings = plan["original"] + plan["retrain"] + mem + lira
        sec = epoch_seconds(cfg, device, args.images) * n / args.images
        hours = trainings * cfg["train"]["epochs"] * sec / 3600
        lira_hours = lira * cfg["train"]["epochs"] * sec / 3600
        model = f"{cfg['model']['name']} x{cfg['model'].get('width', 1.0)}"
        counts = f"{trainings:g} ({plan['original']} + {plan['retrain']} + {mem:g} + {lira:g})"
        golds, trial_epochs = tuning_epochs(path)
        tuned = hours + (golds * cfg["train"]["epochs"] + trial_epochs) * sec / 3600
        print(f"| {path.name} | {model} | {cfg['train']['epochs']} | {counts} | {sec:.0f} | {hours:,.0f} "
              f"| {lira_hours:,.1f} | {golds}, {trial_epochs:g} | {tuned:,.0f} |")  # fmt: skip


if __name__ == "__main__":
    main()
