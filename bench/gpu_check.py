"""`make gpu-check`: the paper-scale path on one GPU, in one command (under 8 minutes on an H100).

    .venv/bin/python bench/gpu_check.py [--data DIR] [--out DIR] [--skip-compile] [--skip-dag] [--skip-projection]

(a) Training throughput of the paper configs' model (full-width ResNet-18, batch 128, crop+flip) on the
    CIFAR-10 sample, through the workflow's own training loop (`training.fit`: data on the device, batched
    augmentation) in float32, bf16 autocast, bf16 + channels_last and bf16 + channels_last + torch.compile,
    beside the authors' kind of loop (torchvision DataLoader, PIL transforms in worker processes, float32).
(b) A reduced paper DAG on CUDA end to end (configs/gpu-check.yaml: original, gold, two methods, evaluation,
    the baselines table) through Snakemake, with its wall time and table.
(c) Each paper config's projected GPU-hours for its full trainings (original, gold, memorization models),
    from epoch times measured here in float32 and with the config's speed setting (auto: bf16 + channels_last).

Prints Markdown tables and writes them to OUT/gpu-check.md (default results/gpu-check/). Without a CUDA GPU
it says so in one line and exits with status 2 (`--allow-cpu` runs a tiny version of every step on the
CPU, to test the script itself).
"""

from __future__ import annotations

import argparse
import os
import platform
import socket
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F
import yaml

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))
sys.path.insert(0, str(REPO / "bench"))

from loader_throughput import torchvision_loader  # noqa: E402
from paper_cost import TRAIN_IMAGES, planned_trainings  # noqa: E402

from unlearn.data import load_cifar  # noqa: E402
from unlearn.models import build_model  # noqa: E402
from unlearn.optim import SGD  # noqa: E402
from unlearn.training import Speed, fit, resolve_speed, seed_everything, set_speed  # noqa: E402

RECIPE = {"batch_size": 128, "lr": 0.05, "momentum": 0.9, "weight_decay": 5e-4}
RECIPE["augment"] = {"crop_pad": 4, "flip": True}
VARIANTS = [
    ("fp32", Speed()),
    ("bf16", Speed(autocast=torch.bfloat16)),
    ("bf16 + channels_last", Speed(torch.bfloat16, True, None)),
    ("bf16 + channels_last + compile", Speed(torch.bfloat16, True, "default")),
    ("bf16 + channels_last + compile reduce-overhead (CUDA graphs)", Speed(torch.bfloat16, True, "reduce-overhead")),
]


def sync(device):
    if device.type == "cuda":
        torch.cuda.synchronize()


def info_for(num_classes, mean=(0.49, 0.48, 0.45), std=(0.25, 0.24, 0.26)):
    return {"in_channels": 3, "image_size": 32, "num_classes": num_classes, "mean": list(mean), "std": list(std)}


def ours(x, y, spec, speed, device, epochs, batch_size=128, num_classes=10):
    """(images/s, seconds of the untimed first epoch) of `training.fit` under `speed`."""
    previous = set_speed(speed)
    try:
        seed_everything(0)
        model = build_model(spec, info_for(num_classes)).to(device)
        recipe = {**RECIPE, "batch_size": batch_size, "epochs": 1}
        start = time.perf_counter()
        fit(model, x, y, recipe, seed=0, device=device, tag="warm-up")  # compilation, cuDNN autotuning
        sync(device)
        first = time.perf_counter() - start
        start = time.perf_counter()
        fit(model, x, y, {**recipe, "epochs": epochs}, seed=1, device=device, tag="timed")
        sync(device)
        return epochs * len(x) / (time.perf_counter() - start), first
    finally:
        set_speed(previous)


def authors_loop(x, y, spec, device, epochs, workers):
    """Images/s of a torchvision DataLoader + PIL transforms loop (the authors' kind), float32, NCHW."""
    model = build_model(spec, info_for(10)).to(device)
    opt = SGD(model.parameters(), lr=0.05, momentum=0.9, weight_decay=5e-4)
    loader = torchvision_loader(x, y, RECIPE["batch_size"], workers)

    def epoch():
        n = 0
        for xb, yb in loader:
            xb, yb = xb.to(device, non_blocking=True), yb.to(device, non_blocking=True)
            loss = F.cross_entropy(model(xb), yb)
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()
            n += len(xb)
        return n

    model.train()
    start = time.perf_counter()
    epoch()
    sync(device)
    first = time.perf_counter() - start
    start, n = time.perf_counter(), 0
    for _ in range(epochs):
        n += epoch()
    sync(device)
    return n / (time.perf_counter() - start), first


def throughput(args, device, x, y) -> list[str]:
    spec = {"name": "resnet18", "width": args.width}
    lines = [
        f"### (a) Training throughput: ResNet-18 x{args.width:g}, batch 128, crop+flip, {len(x):,} CIFAR-10 images, "
        f"{args.epochs} timed epochs after one untimed",
        "",
        "| loop | precision / layout | images/s | s per 50k-image epoch | vs authors' loop | first epoch (s) |",
        "|---|---|---:|---:|---:|---:|",
    ]
    rows = []
    ips, first = authors_loop(x.numpy(), y.numpy(), spec, device, args.epochs, args.workers)
    rows.append(("torchvision DataLoader + PIL transforms", f"fp32, {args.workers} workers", ips, first))
    base = ips
    for label, speed in VARIANTS:
        if speed.compile and args.skip_compile:
            continue
        try:
            ips, first = ours(x, y, spec, speed, device, args.epochs)
        except Exception as err:  # e.g. no compiler for torch.compile: the other rows still count
            lines.append(f"FAILED {label}: {type(err).__name__}: {str(err).splitlines()[0][:300]}")
            continue
        rows.append(("ours: training.fit (TensorLoader)", label, ips, first))
        print(f"  {label}: {ips:,.0f} images/s (first epoch {first:.1f} s)", flush=True)
    failures = [line for line in lines if line.startswith("FAILED")]
    lines = [line for line in lines if not line.startswith("FAILED")]
    for loop, label, ips, first in rows:
        lines.append(f"| {loop} | {label} | {ips:,.0f} | {50_000 / ips:.1f} | {ips / base:.1f}x | {first:.1f} |")
    lines += ["", *failures] if failures else []
    return lines


def reduced_dag(args, device) -> list[str]:
    """configs/gpu-check.yaml through Snakemake (`baselines` target) with the data root of --data."""
    cfg = yaml.safe_load((REPO / "configs" / "gpu-check.yaml").read_text())
    cfg["dataset"]["root"] = str(Path(args.data).resolve())
    cfg["device"] = device.type
    if args.allow_cpu and device.type == "cpu":  # the flow only: tiny model, 1 epoch
        cfg["name"], cfg["model"]["width"], cfg["train"]["epochs"] = "gpu-check-cpu", 0.125, 1
    out = Path(args.out)
    config_path = out / "gpu-check-config.yaml"
    config_path.write_text(yaml.safe_dump(cfg, sort_keys=False))
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO / "src"), os.environ.get("PYTHONPATH")]))}
    cmd = [sys.executable, "-m", "snakemake", "baselines", "--cores", str(args.cores), "--forceall"]
    cmd += ["--directory", str(REPO), "--configfile", str(config_path)]
    start = time.perf_counter()
    done = subprocess.run(cmd, cwd=REPO, env=env, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    (out / "gpu-check-snakemake.log").write_text(done.stdout + done.stderr)
    lines = [f"### (b) Reduced paper DAG on {device.type}: `snakemake baselines` on configs/gpu-check.yaml", ""]
    if done.returncode != 0:
        tail = "\n".join((done.stdout + done.stderr).splitlines()[-25:])
        return [*lines, f"FAILED (exit {done.returncode}) after {seconds:.0f} s; last lines:", "```", tail, "```"]
    run = REPO / "results" / cfg["name"]
    logs = sorted((run / "run" / "logs").rglob("*.log"))
    on_device = sum(f"device {device.type}" in p.read_text() for p in logs)
    jobs = sum(1 for line in done.stderr.splitlines() if line.startswith("rule ") or line.startswith("localrule "))
    table = run / "tables" / "baselines.md"
    lines += [
        f"{jobs} jobs in {seconds:.0f} s wall ({args.cores} cores); {on_device} job logs report device {device.type}.",
        f"Table ({table.relative_to(REPO)}):",
        "",
        table.read_text().strip() if table.exists() else "(missing)",
    ]
    return lines


def projection(args, device, x_all) -> list[str]:
    """Projected GPU-hours of each paper config's full trainings, from epoch times measured here."""
    configs = sorted((REPO / "configs" / "paper").glob("*.yaml"))
    cache: dict = {}
    lines = [
        f"### (c) Projected GPU-hours of the paper configs' full trainings on {device_name(device)}",
        "",
        "Full trainings only (original, gold `retrain` models, RUM's memorization models at half of D each), "
        "counted from each config's DAG (`snakemake -n`); unlearning, features and evaluation (a few epochs "
        "each) come on top. Epoch time measured here on the sample, scaled to 50,000 images.",
        "",
        "| config | model, batch | epochs | trainings | s/epoch fp32 | s/epoch config speed | GPU-h fp32 "
        "| GPU-h config speed |",
        "|---|---|---:|---:|---:|---:|---:|---:|",
    ]
    for path in configs:
        cfg = yaml.safe_load(path.read_text())
        n = TRAIN_IMAGES[cfg["dataset"]["name"]]
        plan = planned_trainings(path)
        per_job = int(cfg.get("rum", {}).get("memorization", {}).get("models_per_job", 0))
        mem = plan["memorization_jobs"] * per_job * 0.5
        trainings = plan["original"] + plan["retrain"] + mem
        spec = {k: v for k, v in cfg["model"].items()}
        if args.allow_cpu and device.type == "cpu":
            spec["width"] = args.width
        batch = int(cfg["train"]["batch_size"])
        classes = 100 if cfg["dataset"]["name"] == "cifar100" else 10
        config_speed = resolve_speed(cfg.get("speed"), torch.device("cuda"))
        secs = []
        for speed in (Speed(), config_speed):
            key = (yaml.safe_dump(spec), batch, classes, speed)
            if key not in cache:
                y = torch.randint(0, classes, (len(x_all),), generator=torch.Generator().manual_seed(0))
                ips, _ = ours(x_all, y, spec, speed, device, 1, batch, classes)
                cache[key] = n / ips
            secs.append(cache[key])
        epochs = int(cfg["train"]["epochs"])
        hours = [trainings * epochs * s / 3600 for s in secs]
        model = f"{spec['name']} x{spec.get('width', 1.0)}, {batch}"
        lines.append(
            f"| {path.name} | {model} | {epochs} | {trainings:g} | {secs[0]:.1f} | {secs[1]:.1f} | "
            f"{hours[0]:,.0f} | {hours[1]:,.0f} |"
        )
        print(f"  {path.name}: {trainings:g} trainings, {hours[1]:,.0f} GPU-h at the config's speed", flush=True)
    return lines


def device_name(device) -> str:
    if device.type == "cuda":
        return torch.cuda.get_device_name(device)
    return f"CPU ({platform.processor() or platform.machine()}, {torch.get_num_threads()} threads)"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", default=str(REPO.parent / "shared" / "data" / "cifar-10-batches-py"))
    parser.add_argument("--out", default=str(REPO / "results" / "gpu-check"))
    parser.add_argument("--epochs", type=int, default=3, help="timed epochs per variant (a)")
    parser.add_argument("--workers", type=int, default=8, help="DataLoader workers of the authors' loop (a)")
    parser.add_argument("--cores", type=int, default=4, help="snakemake --cores for (b)")
    parser.add_argument("--skip-compile", action="store_true")
    parser.add_argument("--skip-dag", action="store_true")
    parser.add_argument("--skip-projection", action="store_true")
    parser.add_argument("--allow-cpu", action="store_true", help="run a tiny version on the CPU (tests the script)")
    args = parser.parse_args()

    if not torch.cuda.is_available() and not args.allow_cpu:
        visible = os.environ.get("CUDA_VISIBLE_DEVICES", "unset")
        print(
            f"gpu-check needs a CUDA GPU: torch {torch.__version__} sees none on host {socket.gethostname()} "
            f"(CUDA_VISIBLE_DEVICES={visible}); run it on a GPU node, e.g. srun --gres=gpu:1 make gpu-check",
            file=sys.stderr,
        )
        return 2
    device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
    args.width = 1.0 if device.type == "cuda" else 0.125
    if device.type == "cpu":
        args.epochs, args.workers = 1, 2
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    if not (Path(args.data) / "data_batch_1").is_file():
        print(f"gpu-check: --data {args.data}: no CIFAR-10 batches there (data_batch_1 missing)", file=sys.stderr)
        return 2
    ds = load_cifar("cifar10", args.data)
    x, y = torch.from_numpy(np.ascontiguousarray(ds.train_x)), torch.from_numpy(ds.train_y.astype(np.int64))
    if device.type == "cpu":
        x, y = x[:256], y[:256]
    head = [
        f"## gpu-check on {device_name(device)}",
        "",
        f"host {socket.gethostname()}; torch {torch.__version__}; CUDA {torch.version.cuda}; "
        f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}",
        "",
    ]
    sections, start = [head], time.perf_counter()
    steps = [("(a) throughput", lambda: throughput(args, device, x, y))]
    if not args.skip_dag:
        steps.append(("(b) reduced paper DAG", lambda: reduced_dag(args, device)))
    if not args.skip_projection:
        steps.append(("(c) projected GPU-hours", lambda: projection(args, device, x)))
    for title, step in steps:  # each step on its own: one failing still leaves the others' numbers
        print(title, flush=True)
        try:
            sections.append(step())
        except Exception:  # reported in the output; the run goes on
            import traceback

            sections.append([f"### {title}", "", "FAILED:", "```", traceback.format_exc()[-3000:], "```"])
        print("\n".join(sections[-1]), flush=True)
        (out / "gpu-check.md").write_text("\n\n".join("\n".join(s) for s in sections) + "\n")
    sections.append([f"gpu-check took {time.perf_counter() - start:.0f} s."])
    text = "\n\n".join("\n".join(s) for s in sections) + "\n"
    (out / "gpu-check.md").write_text(text)
    print("\n" + text)
    failed = any(line.startswith("FAILED") for section in sections for line in section)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
