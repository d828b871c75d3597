"""Wall time of the whole workflow on a config from scratch, then of reruns with nothing changed.

    .venv/bin/python bench/pipeline_timing.py [--configfile config.yaml] [--cores 2] [--target rum ...] [--noop 5]

Runs in a temporary copy of the workflow (your results/ are untouched) and prints a Markdown table: the run from
scratch, the median (and range) of `--noop` reruns with nothing changed, and beside it the same for a one-rule
workflow with nothing to do (Snakemake's own start-up on this machine: the floor of any no-op rerun). With
`--target`, only those targets are built (e.g. one paper: tmu, rum, smu, survey), from scratch.
"""

from __future__ import annotations

import argparse
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
FILES = [
    "Snakefile",
    "rules",
    "scripts",
    "src",
    "schemas",
    "report",
    "envs",
    "profiles",
    "paper_values",
    "config.yaml",
    "configs",
]


def run(work, config, cores, targets=()):
    cmd = [sys.executable, "-m", "snakemake", "--profile", "profiles/local", "--cores", str(cores), *targets]
    cmd += ["--configfile", config] if config else ["-s", "Snakefile"]
    start = time.perf_counter()
    proc = subprocess.run(cmd, cwd=work, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if proc.returncode != 0:
        sys.exit(f"snakemake failed:\n{proc.stderr[-4000:]}")
    done = re.findall(r"(\d+) of (\d+) steps", proc.stderr)
    return seconds, (done[-1][1] if done else "0")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--configfile", default="config.yaml")
    parser.add_argument("--cores", type=int, default=2)
    parser.add_argument("--target", action="append", default=[], help="build only this target (repeatable)")
    parser.add_argument("--keep", type=Path, help="run in this new folder and keep it (default: a temporary one)")
    parser.add_argument("--noop", type=int, default=3, help="reruns with nothing changed (median and range)")
    args = parser.parse_args()
    if args.keep:
        args.keep.mkdir(parents=True)  # must be new: the timing is from scratch
    with tempfile.TemporaryDirectory(dir=REPO.parent) as tmp:
        work = args.keep.resolve() if args.keep else Path(tmp)
        for name in FILES:
            src = REPO / name
            (shutil.copytree if src.is_dir() else shutil.copy2)(src, work / name)
        config = str((REPO / args.configfile).resolve())
        fresh, jobs = run(work, config, args.cores, args.target)
        noops = [run(work, config, args.cores, args.target) for _ in range(args.noop)]
        floor_dir = Path(tmp) / "one-rule"
        floor_dir.mkdir()
        (floor_dir / "Snakefile").write_text("rule all:\n    input: []\n")
        shutil.copytree(work / "profiles", floor_dir / "profiles")
        floors = [run(floor_dir, None, args.cores)[0] for _ in range(args.noop)]
    what = f"targets {', '.join(args.target)}" if args.target else "everything"
    print(f"Config {args.configfile}; {what}; {args.cores} cores\n")
    print("| run | wall time (s) | jobs |")
    print("|---|---:|---:|")
    print(f"| from scratch | {fresh:.1f} | {jobs} |")
    print(f"| again, nothing changed (median of {len(noops)}) | {spread([t for t, _ in noops])} | {noops[-1][1]} |")
    print(f"| a one-rule workflow, nothing to do (median of {len(floors)}) | {spread(floors)} | 0 |")


def spread(times: list[float]) -> str:
    """'4.1 (3.6-4.6)': the median and range."""
    if len(times) == 1:
        return f"{times[0]:.1f}"
    return f"{statistics.median(times):.1f} ({min(times):.1f}-{max(times):.1f})"


if __name__ == "__main__":
    main()
