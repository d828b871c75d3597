"""Do two checkouts plan the same jobs? Compares their dry runs job for job, for every config.

    .venv/bin/python bench/plan_diff.py ../before-checkout            # this checkout against another one
    .venv/bin/python bench/plan_diff.py OLD NEW --config config.yaml  # two checkouts, one config

For each config (paper configs with configs/plan-only.yaml, so no CIFAR is needed) both checkouts' workflows are
dry-run from an empty folder beside ../shared; each job is read as (rule, wildcards, outputs, data inputs), its
code inputs (library modules, paper values) aside, since their lists are what a redesign may change. Prints a
Markdown table (config, jobs per checkout, jobs only in one, per-rule counts equal) and exits 1 on any
difference. A redesign that changes no behaviour plans the same jobs reading the same data.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
CONFIGS = [
    "config.yaml",
    "configs/cifar10-sample.yaml",
    *sorted(str(p.relative_to(REPO)) for p in (REPO / "configs" / "paper").glob("*.yaml")),
]
CODE = re.compile(r"(^|/)(src/unlearn/|paper_values/)")


def dry_run(checkout: Path, config: str) -> str:
    """The dry run's output, from an empty folder beside ../shared (where the sample config looks)."""
    extra = [str(checkout / "configs/plan-only.yaml")] if config.startswith("configs/paper/") else []
    with tempfile.TemporaryDirectory(dir=checkout.parent, prefix="plan-diff-") as work:
        cmd = [sys.executable, "-m", "snakemake", "-n", "--cores", "1", "-s", str(checkout / "Snakefile"), "-d", work]
        cmd += ["--configfile", str(checkout / config), *extra]
        proc = subprocess.run(cmd, capture_output=True, text=True)
    if proc.returncode != 0:
        raise SystemExit(f"{checkout}: dry run of {config} failed:\n{proc.stderr[-3000:]}")
    return proc.stdout


def jobs(text: str) -> Counter:
    """(rule, wildcards, outputs, data inputs) of every job of a dry run."""
    found: Counter = Counter()
    for block in re.split(r"\n(?=(?:local)?rule \w+:)", text):
        head = re.match(r"(?:local)?rule (\w+):", block)
        if not head:
            continue
        fields = dict(re.findall(r"^    (\w+): (.*)$", block, flags=re.M))
        inputs = [p for p in fields.get("input", "").split(", ") if p and not CODE.search(p)]
        found[(head.group(1), fields.get("wildcards", ""), fields.get("output", ""), tuple(sorted(inputs)))] += 1
    return found


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("old", type=Path)
    parser.add_argument("new", type=Path, nargs="?", default=REPO)
    parser.add_argument("--config", action="append", help="only this config (repeatable; default: every config)")
    args = parser.parse_args(argv)
    old, new = args.old.resolve(), args.new.resolve()
    rows, problems = [], []
    for config in args.config or CONFIGS:
        a, b = jobs(dry_run(old, config)), jobs(dry_run(new, config))
        only_old, only_new = a - b, b - a
        per_rule = Counter(k[0] for k in a.elements()) == Counter(k[0] for k in b.elements())
        rows.append(f"| `{config}` | {sum(a.values())} | {sum(b.values())} | {sum(only_old.values())} | "
                    f"{sum(only_new.values())} | {'yes' if per_rule else 'NO'} |")  # fmt: skip
        problems += [f"{config}: only in {old.name}: {job}" for job in list(only_old)[:5]]
        problems += [f"{config}: only in {new.name}: {job}" for job in list(only_new)[:5]]
    print(f"| config | jobs ({old.name}) | jobs ({new.name}) | only in {old.name} | only in {new.name} | "
          "per-rule counts equal |\n|---|---:|---:|---:|---:|---|\n" + "\n".join(rows))  # fmt: skip
    for p in problems:
        print(p, file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main())
