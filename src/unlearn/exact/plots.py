"""The survey's cost-vs-quality figure (PNG + PDF)."""

from __future__ import annotations

import pandas as pd

from ..plots import plt, save
from . import METHODS


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
    save(fig, png, pdf)
