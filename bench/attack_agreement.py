"""Where the population attacks and LiRA disagree: one row per (scenario, model) of a baselines table.

    .venv/bin/python bench/attack_agreement.py results/<name>/tables/baselines.csv [--md out.md]

For each row: MIA-efficacy, MIA-entropy and LiRA's TPR at 1% FPR (offline, and online), each beside the gold
model's, and whether each attack *catches* the model, by rules fixed before any run:

  MIA-efficacy  catches when the model's score (share of D_f called non-member) is more than 0.05 below gold's
  MIA-entropy   catches when the model's score (share of D_f called member) is more than 0.05 above gold's
  LiRA          catches when the model's TPR at 1% FPR is above the 97.5% binomial bound for |D_f| at FPR 1%
                (comparison.lira_bound: what a model that never saw D_f reaches by chance)

`agreement`: "both catch", "neither", "LiRA only" (the population attacks pass a model LiRA catches) or
"population only". The gold model's rows are the reference and are left out. Means over seeds, as the table.
Below it: the regime check of each scenario (comparison.py's `lira_regime` claim, on the run's per-seed records:
the gold model near the FPR, the original above the bound), as the `regime` rule judges it.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from unlearn.comparison import lira_bound, regime_claims
from unlearn.evaluation import load_records
from unlearn.io import load_json

MIA_MARGIN = 0.05


def agreement(table: pd.DataFrame, n_forget: dict[str, int]) -> pd.DataFrame:
    """table: a baselines.csv; n_forget: |D_f| per scenario. One row per non-gold model."""
    rows = []
    for scenario, part in table.groupby("scenario", sort=False):
        gold = part[part["method"] == "retrain"]
        if gold.empty or "lira_tpr_1_mean" not in part:
            continue
        g = gold.iloc[0]
        bound = lira_bound(n_forget[scenario])
        for r in part[part["method"] != "retrain"].itertuples(index=False):
            eff = g.mia_efficacy_mean - r.mia_efficacy_mean > MIA_MARGIN
            ent = r.mia_entropy_mean - g.mia_entropy_mean > MIA_MARGIN
            lira = r.lira_tpr_1_mean > bound
            population = eff or ent
            verdict = {(True, True): "both catch", (False, False): "neither", (False, True): "LiRA only",
                       (True, False): "population only"}[(population, lira)]  # fmt: skip
            rows.append({
                "scenario": scenario, "method": r.method,
                "MIA-efficacy (gold)": f"{r.mia_efficacy_mean:.3f} ({g.mia_efficacy_mean:.3f})",
                "MIA-entropy (gold)": f"{r.mia_entropy_mean:.3f} ({g.mia_entropy_mean:.3f})",
                "LiRA TPR@1% (gold)": f"{r.lira_tpr_1_mean:.3f} ({g.lira_tpr_1_mean:.3f})",
                "LiRA-online TPR@1%": f"{r.lira_online_tpr_1_mean:.3f}",
                "bound": f"{bound:.3f}",
                "caught by": ", ".join(n for n, c in (("efficacy", eff), ("entropy", ent), ("LiRA", lira)) if c) or "–",
                "agreement": verdict,
            })  # fmt: skip
    return pd.DataFrame(rows)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("table", type=Path, help="results/<name>/tables/baselines.csv")
    parser.add_argument("--md", type=Path, help="also write the table as Markdown")
    args = parser.parse_args(argv)
    table = pd.read_csv(args.table)
    run = args.table.parents[1] / "run"
    scenarios = list(table["scenario"].unique())
    records = pd.DataFrame(load_records(sorted(p for sc in scenarios for p in (run / "metrics" / sc).glob("s*.json"))))
    n_forget = {sc: int(records.loc[records["scenario"] == sc, "n_forget"].iloc[0]) for sc in scenarios}
    kinds = {sc: load_json(next((run / "forget" / sc).glob("s*.json")))["spec"]["kind"] for sc in scenarios}
    out = agreement(table, n_forget)
    counts = out["agreement"].value_counts().to_string()
    no_fit = pd.DataFrame({"train_acc": [float("nan")], "test_acc": [float("nan")]})  # only the LiRA rows are kept
    regime = [c for c in regime_claims(records, no_fit, kinds, None) if ".lira_regime." in c.id]
    lines = ["| claim | ours | verdict | basis |", "|---|---|---|---|"]
    lines += [f"| {c.claim} | {c.ours} | {c.judgement.verdict} | {c.judgement.basis} |" for c in regime]
    text = (out.to_markdown(index=False, disable_numparse=True) + "\n\n" + counts + "\n\n" + "\n".join(lines)
            + "\n")  # fmt: skip
    print(text)
    if args.md:
        args.md.write_text(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
