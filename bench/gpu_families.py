"""The survey's HDUS and spiking-network families on CUDA: their DAG parts end to end through Snakemake, per config.

    python bench/gpu_families.py [--configs config.yaml configs/cifar10-sample.yaml] [--cores 8] [--out DIR]

Runs `snakemake hdus snn --config device=cuda` on each config (in this checkout: results/<name>/), then prints
a Markdown table per config: each rule's job count and summed job time (its benchmark files), HDUS's exactness
on the GPU (every departure, every seed: is the network after a departure equal to the retrained one, and are
the retrained clients' weights bit-identical?), and the SNN and HDUS tables. With --out, the same text and the
tables are written there. Without a CUDA GPU it exits with status 2.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import time
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[1]


def benchmarks(run: Path) -> list[tuple[str, int, float]]:
    rows = []
    for rule in ("snn_train", "snn_unlearn", "hdus_partition", "hdus_clients", "hdus_depart", "evaluate"):
        files = sorted((run / "benchmarks" / rule).glob("*.tsv"))
        if rule == "evaluate":
            files = [f for f in files if f.stem.startswith(("hdus", "snn_"))]
        seconds = sum(float(f.read_text().splitlines()[1].split("\t")[0]) for f in files)
        rows.append((rule, len(files), seconds))
    return rows


def report(config: Path, wall: float) -> str:
    name = yaml.safe_load(config.read_text())["name"]
    out = REPO / "results" / name
    lines = [f"## {config} (run `{name}`): `snakemake hdus snn` on CUDA, {wall:.0f} s wall", ""]
    lines += ["| rule | jobs | summed job time (s) |", "|---|---:|---:|"]
    lines += [f"| {r} | {n} | {s:.1f} |" for r, n, s in benchmarks(out / "run")]
    lines += ["", "| seed | device | departures exact | largest gap | retrained weights identical | unlearn (s) | "
              "retrain affected (s) |", "|---|---|---|---:|---|---:|---:|"]  # fmt: skip
    for path in sorted((out / "run" / "hdus").glob("s*/departure.json")):
        d = json.loads(path.read_text())
        deps = d["departures"]
        exact = sum(bool(x["exact"]) for x in deps)
        gap = max(x["max_gap"] for x in deps)
        lines.append(f"| {d['seed']} | {d['device']} | {exact} of {len(deps)} | {gap:.3g} | {d['retrained_identical']} "
                     f"| {d['unlearn_seconds']:.2g} | {d['retrain_seconds']:.3g} |")  # fmt: skip
    for table in ("hdus.md", "hdus_clients.md", "snn.md", "hdus_claims.md", "snn_claims.md"):
        path = out / "tables" / table
        if path.exists():
            lines += ["", path.read_text().strip()]
    return "\n".join(lines) + "\n"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--configs", nargs="+", default=["config.yaml", "configs/cifar10-sample.yaml"])
    ap.add_argument("--cores", type=int, default=8)
    ap.add_argument("--out", type=Path)
    args = ap.parse_args()
    import torch

    if not torch.cuda.is_available():
        print(f"gpu_families needs a CUDA GPU: torch {torch.__version__} sees none", file=sys.stderr)
        return 2
    print(f"GPU: {torch.cuda.get_device_name(0)}, torch {torch.__version__}\n")
    texts = []
    for config in args.configs:
        cmd = [sys.executable, "-m", "snakemake", "-s", str(REPO / "Snakefile"), "-d", str(REPO)]
        cmd += ["--cores", str(args.cores), "--keep-going", "hdus", "snn", "--config", "device=cuda"]
        cmd += ["--configfile", config]
        start = time.perf_counter()
        proc = subprocess.run(cmd, capture_output=True, text=True, cwd=REPO)
        wall = time.perf_counter() - start
        if proc.returncode != 0:
            print(proc.stderr[-4000:], file=sys.stderr)
        text = report(REPO / config, wall)
        print(text, flush=True)
        texts.append(text)
    if args.out:
        args.out.mkdir(parents=True, exist_ok=True)
        (args.out / "gpu_families.md").write_text("\n".join(texts))
        for config in args.configs:
            name = yaml.safe_load((REPO / config).read_text())["name"]
            shutil.copy(REPO / "results" / name / "figures" / "snn_accuracy_loss.png", args.out / f"snn_{name}.png")
    return 0


if __name__ == "__main__":
    sys.exit(main())
