"""Wall time of the whole workflow on a config from scratch, then of a rerun with nothing changed.

    .venv/bin/python bench/pipeline_timing.py [--configfile config.yaml] [--cores 2] [--target rum ...]

Runs in a temporary copy of the workflow (your results/ are untouched) and prints a Markdown table. With
`--target`, only those targets are built (e.g. one paper: tmu, rum, smu, survey), from scratch.
"""

from __future__ import annotations

import argparse
import re
import shutil
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
    cmd += ["--configfile", config]
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
        noop, noop_jobs = run(work, config, args.cores, args.target)
    what = f"targets {', '.join(args.target)}" if args.target else "everything"
    print(f"Config {args.configfile}; {what}; {args.cores} cores\n")
    print("| run | wall time (s) | jobs |")
    print("|---|---:|---:|")
    print(f"| from scratch | {fresh:.1f} | {jobs} |")
    print(f"| again, nothing changed | {noop:.1f} | {noop_jobs} |")


if __name__ == "__main__":
    main()
