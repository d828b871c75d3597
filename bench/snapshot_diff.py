"""Does a regenerated snapshot reproduce the committed one? Compares two snapshot folders' CSV files cell by cell.

    .venv/bin/python bench/snapshot_diff.py docs/results/cifar10-sample /path/to/regenerated/cifar10-sample
    .venv/bin/python bench/snapshot_diff.py docs/results/cifar10-sample ../other/results/cifar10-sample/tables \
        --glob 'rum_*.csv'

Wall-clock quantities differ from run to run and are left out: columns whose name says time (seconds, speed-up)
and the claims rows that compare timings. Every other cell must match (numbers within 1e-9 relative). Prints a
Markdown table (file, cells compared, cells differing) and exits 1 when anything differs. `--added-columns`: a
change that only adds columns (a new metric) passes when the old file's columns are all there and unchanged; the
added ones are listed.
"""

from __future__ import annotations

import argparse
import math
import sys
from pathlib import Path

import pandas as pd

TIME_WORDS = ("seconds", "speedup", "time")
# claims whose numbers are wall-clock times (their verdict can move with machine load)
TIMING_CLAIMS = ("survey.certified_fast", "survey.summation_fast", "survey.sisa_cheaper", "survey.hdus_fast")


def _is_time_column(name: str) -> bool:
    return any(word in name.lower() for word in TIME_WORDS)


def _same(a, b) -> bool:
    if isinstance(a, float) and isinstance(b, float):
        if math.isnan(a) and math.isnan(b):
            return True
        return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-12)
    return str(a) == str(b)


def compare_csv(old: Path, new: Path, added_columns: bool = False) -> tuple[int, list[str]]:
    """(cells compared, descriptions of the cells that differ). added_columns: compare the old file's columns only,
    when the new file has them all (and the same rows)."""
    a = pd.read_csv(old, keep_default_na=False, na_values=[""])
    b = pd.read_csv(new, keep_default_na=False, na_values=[""])
    if added_columns and set(a.columns) <= set(b.columns) and len(a) == len(b):
        b = b[list(a.columns)]
    if list(a.columns) != list(b.columns) or len(a) != len(b):
        return 0, [f"{old.name}: shape or columns differ ({a.shape} vs {b.shape})"]
    if "id" in a.columns:
        keep = ~a["id"].isin(TIMING_CLAIMS)
        a, b = a[keep].reset_index(drop=True), b[keep.to_numpy()].reset_index(drop=True)
    cols = [c for c in a.columns if not _is_time_column(c)]
    diffs, n = [], 0
    for col in cols:
        for i, (x, y) in enumerate(zip(a[col], b[col], strict=True)):
            n += 1
            if not _same(x, y):
                diffs.append(f"{old.name} row {i} {col}: {x!r} vs {y!r}")
    return n, diffs


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("old", type=Path)
    parser.add_argument("new", type=Path)
    parser.add_argument("--glob", default="*.csv", help="which files of OLD to compare (e.g. one paper's)")
    parser.add_argument("--added-columns", action="store_true", help="NEW may add columns; OLD's are compared")
    args = parser.parse_args(argv)
    rows, problems = [], []
    for old in sorted(args.old.glob(args.glob)):
        new = args.new / old.name
        if not new.exists():
            problems.append(f"{old.name}: missing from {args.new}")
            continue
        n, diffs = compare_csv(old, new, args.added_columns)
        rows.append(f"| {old.name} | {n} | {len(diffs)} |")
        if args.added_columns:
            extra = [c for c in pd.read_csv(new, nrows=0).columns if c not in pd.read_csv(old, nrows=0).columns]
            if extra:
                print(f"{old.name}: added columns {', '.join(extra)}", file=sys.stderr)
        problems += diffs
    print("| file | cells compared | cells differing |\n|---|---:|---:|\n" + "\n".join(rows))
    for p in problems[:50]:
        print(p, file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main())
