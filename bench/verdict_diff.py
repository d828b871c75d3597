"""Two runs' verdicts side by side: each claim of `paper_comparison.csv` in one snapshot folder beside the same claim
in another (e.g. the configured values before tuning and the tuned values after), and the counts per paper.

    .venv/bin/python bench/verdict_diff.py docs/results/cifar10-sample-configured docs/results/cifar10-sample \
        --labels configured tuned

Prints two Markdown tables: per paper, how many claims are held / not held / inconclusive / vacuous / not tested in
each run ("a → b"); then every judged claim with its verdict in each run and what ours measured, a "changed" mark
where the verdicts differ. Claims in one run only are listed with "–" for the other. Headline numbers (not
judged) are left out. Exit status 0.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from unlearn import claims as C


def _read(folder: Path) -> pd.DataFrame:
    path = folder / "paper_comparison.csv" if folder.is_dir() else folder
    if not path.exists():
        raise SystemExit(f"verdict_diff: {path} not found (a snapshot folder with paper_comparison.csv)")
    df = pd.read_csv(path, keep_default_na=False, dtype=str)
    return df[df["verdict"] != C.NUMBER]


def counts(before: pd.DataFrame, after: pd.DataFrame) -> pd.DataFrame:
    """One row per paper (in the order they first appear): 'before → after' for every verdict (claims.counts_table
    of each run)."""
    papers = list(dict.fromkeys([*before["paper"], *after["paper"]]))
    a, b = (C.counts_table(df).set_index("Paper").reindex(papers, fill_value=0) for df in (before, after))
    out = a.astype(str).where(a == b, a.astype(str) + " → " + b.astype(str))
    return out.reset_index()


def side_by_side(before: pd.DataFrame, after: pd.DataFrame, labels: tuple[str, str]) -> pd.DataFrame:
    """Every claim id of either run, in the after run's order (then the before run's leftovers)."""
    a, b = before.set_index("id"), after.set_index("id")
    rows = []
    for cid in dict.fromkeys([*after["id"], *before["id"]]):
        x = a.loc[cid] if cid in a.index else None
        y = b.loc[cid] if cid in b.index else None
        ref = y if y is not None else x
        vx = x["verdict"] if x is not None else "–"
        vy = y["verdict"] if y is not None else "–"
        rows.append(
            {
                "Paper": ref["paper"],
                "Claim": ref["claim"],
                f"{labels[0]}": vx,
                f"{labels[1]}": vy,
                "changed": "yes" if vx != vy else "",
                f"ours ({labels[0]})": x["ours"] if x is not None else "–",
                f"ours ({labels[1]})": y["ours"] if y is not None else "–",
            }
        )
    return pd.DataFrame(rows)


def markdown(df: pd.DataFrame) -> str:
    """A Markdown table whose cells may hold '|' (a claim about |D_f|): escaped, one line per row."""

    def cell(v) -> str:
        return str(v).replace("|", "\\|").replace("\n", " ")

    rows = [" | ".join(map(cell, df.columns)), " | ".join("---" for _ in df.columns)]
    rows += [" | ".join(map(cell, r)) for r in df.itertuples(index=False)]
    return "\n".join(f"| {r} |" for r in rows)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("before", type=Path, help="snapshot folder (or its paper_comparison.csv)")
    ap.add_argument("after", type=Path, help="snapshot folder (or its paper_comparison.csv)")
    ap.add_argument("--labels", nargs=2, default=("before", "after"), metavar=("BEFORE", "AFTER"))
    ap.add_argument("--changed-only", action="store_true", help="list only the claims whose verdict differs")
    ap.add_argument("--verdicts-only", action="store_true", help="leave out the measured values (ours) columns")
    args = ap.parse_args(argv)
    before, after = _read(args.before), _read(args.after)
    labels = tuple(args.labels)
    table = side_by_side(before, after, labels)
    if args.verdicts_only:
        table = table[["Paper", "Claim", *labels, "changed"]]
    changed = table[table["changed"] == "yes"]
    print(f"Verdict counts per paper, {labels[0]} → {labels[1]}:\n")
    print(markdown(counts(before, after)))
    print(f"\n{len(changed)} of {len(table)} claims changed verdict.\n")
    print(markdown(changed if args.changed_only else table))
    return 0


if __name__ == "__main__":
    sys.exit(main())
