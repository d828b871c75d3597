"""The exact-methods table (survey, paper 003) and the cost-vs-quality figure over every method of a run."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from . import METHODS

NAMES = {"sisa": "SISA", "certified": "Certified removal", "summation": "Summation form (NB)"}
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
    out["ToW"] = table["tow"].map(lambda v: f"{v:.3f}")
    out["unlearn (s)"] = table["seconds"].map(lambda v: "" if np.isnan(v) else f"{v:.3g}")
    out["retrain (s)"] = table["retrain_seconds"].map(lambda v: "" if np.isnan(v) else f"{v:.3g}")
    out["exact"] = table["exact"]
    return out


def cost_vs_quality(long: pd.DataFrame, png, pdf) -> None:
    """Time to unlearn (log x) against ToW for every method of the run, one panel per scenario."""
    part = long[(long["method"] != "original") & long["seconds"].notna()]
    scenarios = list(dict.fromkeys(part["scenario"]))
    methods = list(dict.fromkeys(part["method"]))
    colors = {m: plt.cm.tab20(i % 20) for i, m in enumerate(methods)}
    fig, axes = plt.subplots(1, len(scenarios), figsize=(4.2 * len(scenarios), 4.0), squeeze=False, sharey=True)
    for ax, scenario in zip(axes[0], scenarios, strict=True):
        sub = part[part["scenario"] == scenario].groupby("method", sort=False)[["seconds", "tow"]].mean()
        for method, row in sub.iterrows():
            marker = "*" if method in METHODS else ("s" if method == "retrain" else "o")
            ax.scatter(max(row["seconds"], 1e-4), row["tow"], color=colors[method], marker=marker, s=60, label=method)
            ax.annotate(method, (max(row["seconds"], 1e-4), row["tow"]), fontsize=7, xytext=(3, 3),
                        textcoords="offset points")  # fmt: skip
        ax.set_xscale("log")
        ax.set_title(scenario)
        ax.set_xlabel("time to unlearn (s, log)")
        ax.set_ylim(0, 1.05)
    axes[0, 0].set_ylabel("ToW (↑)")
    fig.tight_layout()
    fig.savefig(png, dpi=150)
    fig.savefig(pdf)
    plt.close(fig)
