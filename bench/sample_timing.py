"""Where a finished run's time went, per paper target: the jobs each target needs and their measured job times.

    .venv/bin/python bench/sample_timing.py [--configfile configs/cifar10-sample.yaml] [--cores 2]

For each target (baselines, tmu, rum, smu, survey, tuning, all) it asks Snakemake which jobs the target needs from
scratch (`snakemake -n --forceall <target>`), reads those jobs' benchmark files from the finished run (wall time
of each job, as Snakemake measured it) and prints a Markdown table: jobs, summed job time (core-seconds: every
job is single-threaded) and that sum over the cores, a lower bound of the target's wall time on its own (the
measured wall time of a whole run includes idle cores at the end and Snakemake's own scheduling).
"""

from __future__ import annotations

import argparse
import csv
import re
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
TARGETS = ["baselines", "tmu", "rum", "smu", "survey", "tuning", "all"]


def target_benchmarks(target: str, config: str) -> list[Path]:
    cmd = [sys.executable, "-m", "snakemake", "-n", "--forceall", "--nolock", "--cores", "1", target]
    cmd += ["--configfile", config]
    out = subprocess.run(cmd, cwd=REPO, capture_output=True, text=True)
    if out.returncode != 0:
        raise SystemExit(f"{target}: dry run failed:\n{out.stdout[-2000:]}{out.stderr[-2000:]}")
    return [REPO / p for p in re.findall(r"^\s+benchmark: (\S+)$", out.stdout + out.stderr, flags=re.M)]


def job_seconds(path: Path) -> float | None:
    if not path.exists():
        return None
    with path.open() as f:
        row = next(csv.DictReader(f, delimiter="\t"))
    return float(row["s"])


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--configfile", default="configs/cifar10-sample.yaml")
    parser.add_argument("--cores", type=int, default=2)
    parser.add_argument("--target", action="append", default=[])
    args = parser.parse_args(argv)
    print(f"Config {args.configfile}: job times of the finished run, per target ({args.cores} cores)\n")
    print("| target | jobs | jobs measured | summed job time (min) | over the cores (min) |")
    print("|---|---:|---:|---:|---:|")
    for target in args.target or TARGETS:
        paths = target_benchmarks(target, args.configfile)
        times = [t for t in (job_seconds(p) for p in paths) if t is not None]
        total = sum(times) / 60
        print(f"| {target} | {len(paths)} | {len(times)} | {total:.1f} | {total / args.cores:.1f} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
