"""The exact-methods table (survey, paper 003) and the survey's claims (the figure is in exact/plots.py)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from . import METHODS

NAMES = {"sisa": "SISA (majority vote)", "certified": "Certified removal", "summation": "Summation form (NB)"}
COLUMNS = ["acc_forget", "acc_retain", "acc_test", "mia_efficacy", "tow", "seconds", "retrain_seconds"]


def exact_table(long: pd.DataFrame, runs: list[dict]) -> pd.DataFrame:
    """Per (scenario, method): metrics averaged over seeds, time to unlearn and to retrain, exactness.

    Rows: the gold model (Retrain: its time is the time to retrain the network), the original model, and
    the three exact methods (time to retrain = training that model from scratch on D_r)."""
    runs_df = pd.DataFrame(runs)
    keep = long[long["method"].isin(["retrain", "original", *METHODS])].copy()
    cols = ["scenario", "seed", "method", "retrain_seconds", "exact", "retrains"]
    keep = keep.merge(runs_df.reindex(columns=cols), how="left", on=["scenario", "seed", "method"])
    gold = keep["method"] == "retrain"
    keep.loc[gold, "retrain_seconds"] = keep.loc[gold, "seconds"]
    rows = []
    for (scenario, method), part in keep.groupby(["scenario", "method"], sort=False):
        row = {"scenario": scenario, "method": method, "seeds": len(part)}
        row |= {c: float(part[c].astype(float).mean()) for c in COLUMNS}
        row["lira_tpr_1"] = float(part["lira_tpr_1"].astype(float).mean()) if "lira_tpr_1" in part else float("nan")
        flags = part["exact"].dropna()
        row["exact"] = "" if flags.empty else ("yes" if bool(flags.astype(bool).all()) else "NO")
        retrains = part["retrains"].dropna()
        if not retrains.empty:  # certified removal: requests that overran the budget and retrained
            row["exact"] += f" ({retrains.astype(float).mean():.3g} retrains)"
        rows.append(row)
    order = {m: i for i, m in enumerate(["retrain", "original", *METHODS])}
    table = pd.DataFrame(rows)
    return table.sort_values(["scenario", "method"], key=lambda s: s.map(order) if s.name == "method" else s)


def display(table: pd.DataFrame) -> pd.DataFrame:
    out = pd.DataFrame({"scenario": table["scenario"], "method": table["method"].map(lambda m: NAMES.get(m, m))})
    for col, name in (("acc_forget", "Acc D_f"), ("acc_retain", "Acc D_r"), ("acc_test", "Acc D_test")):
        out[name] = (table[col] * 100).map(lambda v: f"{v:.1f}")
    out["MIA"] = table["mia_efficacy"].map(lambda v: f"{v:.3f}")
    if "lira_tpr_1" in table and table["lira_tpr_1"].notna().any():  # LiRA ran (shadow models)
        out["LiRA TPR@1%FPR"] = table["lira_tpr_1"].map(lambda v: "–" if np.isnan(v) else f"{v:.3f}")
    out["ToW"] = table["tow"].map(lambda v: f"{v:.3f}")
    out["unlearn (s)"] = table["seconds"].map(lambda v: "" if np.isnan(v) else f"{v:.3g}")
    out["retrain (s)"] = table["retrain_seconds"].map(lambda v: "" if np.isnan(v) else f"{v:.3g}")
    out["exact"] = table["exact"]
    return out


# ---- claims (the survey's statements about these methods) ----------------------------------------------------
PAPER = "Survey (003)"
FAST_FACTOR = 10.0  # "much faster than retraining": at least this many times faster (the survey's example: ~390x)


def guo(paper: pd.DataFrame) -> dict:
    """Guo et al.'s timing as the survey reports it (paper_values/survey_certified.csv): seconds per removed point,
    seconds to retrain, and the setting they were measured in."""
    row = {m: paper[paper["method"] == m].iloc[0] for m in ("certified", "retrain")}
    setting = f"Guo et al., {str(row['certified']['dataset']).upper()}, {row['certified']['model']} model"
    return {
        "per_point": float(row["certified"]["value"]),
        "retrain": float(row["retrain"]["value"]),
        "setting": setting,
    }


def paper_timing(paper: pd.DataFrame) -> str:
    """'0.04 s per point vs 15.6 s to retrain (Guo et al., MNIST, linear model)'."""
    g = guo(paper)
    return f"{g['per_point']:g} s per point vs {g['retrain']:g} s to retrain ({g['setting']})"


def why(paper: pd.DataFrame) -> str:
    g = guo(paper)
    return (
        f"the survey reports Guo et al.'s linear model on MNIST ({g['per_point']:g} s per point vs {g['retrain']:g} s "
        "to retrain); here the certified model is a linear head on the original network's frozen features of ~5,000 "
        "CIFAR images, so its retraining takes well under a second; SISA's savings depend on how many shards a forget "
        "set touches, and a random 10% forget set touches all of them."
    )


def claims(runs: list[dict], long: pd.DataFrame, paper: pd.DataFrame) -> list:
    """The survey's claims on the exact / certified methods, judged on per-(scenario, seed) records; paper: the
    survey's numbers (paper_values/survey_certified.csv)."""
    from .. import claims as C

    df = pd.DataFrame(runs)
    out = []

    def add(cid, claim, paper_text, ours_text, judgement):
        out.append(C.Claim(PAPER, f"survey.{cid}", claim, paper_text, ours_text, judgement))

    def part(method):
        return df[df["method"] == method].reset_index(drop=True)

    cr = part("certified")
    if len(cr):
        per_point = cr["seconds"] / cr["requests"].clip(lower=1)
        g = guo(paper)
        point_x, set_x = cr["retrain_seconds"] / per_point, cr["retrain_seconds"] / cr["seconds"]
        add("certified_fast", f"Certified removal removes a data point much faster than retraining the model (here: "
            f"at least {FAST_FACTOR:g}× faster per point)",
            f"{paper_timing(paper)}: {g['retrain'] / g['per_point']:.0f}×",
            f"{per_point.mean():.3g} s per point vs {cr['retrain_seconds'].mean():.3g} s to retrain the head: "
            f"{point_x.mean():.3g}×",
            C.level(point_x, FAST_FACTOR, at_most=False, what="retrain / per-point time"))  # fmt: skip
        add("certified_fast_set", f"… and removes the whole forget set faster than one retraining (here: at least "
            f"{FAST_FACTOR:g}× faster)", f"not reported (at {g['per_point']:g} s per point, "
            f"{g['retrain'] / g['per_point']:.0f} points cost one retraining)",
            f"{cr['seconds'].mean():.3g} s for {cr['requests'].mean():.0f} points vs {cr['retrain_seconds'].mean():.3g}"
            f" s to retrain: {set_x.mean():.3g}×",
            C.level(set_x, FAST_FACTOR, at_most=False, what="retrain / forget-set time"))  # fmt: skip
        add("certified_certified", "Certified removal stays within its (ε, δ) budget (retraining when it would not)",
            "certified (theory)", f"{int(cr['exact'].astype(bool).sum())} of {len(cr)} runs within the budget",
            C.every(cr["exact"].astype(float), 1.0, what="within budget (1 = yes)"))  # fmt: skip
    sisa = part("sisa")
    if len(sisa):
        checked = sisa[sisa["exact"].notna()]
        add("sisa_exact", "SISA is exact: the unlearned shards equal shards trained without D_f",
            "exact (by construction)",
            f"{int(checked['exact'].astype(bool).sum())} of {len(checked)} runs bit-identical",
            C.every(checked["exact"].astype(float), 1.0, what="identical (1 = yes)")
            if len(checked) else C.not_tested("exactness check off"))  # fmt: skip
        saved = 1 - sisa["samples_reprocessed"] / sisa["samples_full"]
        add("sisa_cheaper", "SISA unlearns for less than retraining: only the affected shards, from the affected slice",
            "cheaper than retraining (no number)",
            f"reprocesses {100 * (1 - saved.mean()):.0f}% of a full SISA training's samples "
            f"({sisa['seconds'].mean():.3g} s vs {sisa['retrain_seconds'].mean():.3g} s)",
            C.compare(saved, "share of samples saved"))  # fmt: skip
    nb = part("summation")
    if len(nb):
        add("summation_exact", "Summation-form (statistical-query) unlearning is exact: equal to a refit on D_r",
            "exact (by construction)", f"largest gap to the refit {nb['max_stat_gap'].max():.2g}",
            C.every(nb["exact"].astype(float), 1.0, what="exact (1 = yes)"))  # fmt: skip
        add("summation_fast", "Summation-form unlearning is faster than refitting",
            "faster than retraining (no number)",
            f"{nb['seconds'].mean():.3g} s vs {nb['retrain_seconds'].mean():.3g} s",
            C.compare(nb["retrain_seconds"] - nb["seconds"], "refit − forget (s)"))  # fmt: skip
    return out


CLAIMS_TITLE = "The survey (paper 003): exact and certified unlearning"
CLAIMS_NOTE = "One row of numbers per (scenario, seed) run of the exact methods."
