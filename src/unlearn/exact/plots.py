"""The survey's cost-vs-quality figure (PNG + PDF)."""

from __future__ import annotations

import pandas as pd

from ..plots import plt, save
from . import METHODS


def marker(method: str) -> str:
    """Stars: the survey's exact, decentralized and spiking-network methods; squares: gold models; dots: the rest."""
    if method in (*METHODS, "hdus", "snn_unlearn", "snn_recover"):
        return "*"
    return "s" if method.endswith("retrain") else "o"


def cost_vs_quality(long: pd.DataFrame, png, pdf) -> None:
    """Time to unlearn (log x) against ToW for every method of the run, one panel per scenario (4 per row).
    Models without a time (the originals, the network before a departure) are left out."""
    long = long.assign(seconds=pd.to_numeric(long["seconds"], errors="coerce"))
    part = long[(long["method"] != "original") & long["seconds"].notna()]
    scenarios = list(dict.fromkeys(part["scenario"]))
    methods = list(dict.fromkeys(part["method"]))
    colors = {m: plt.cm.tab20(i % 20) for i, m in enumerate(methods)}
    cols = min(4, len(scenarios))
    rows = -(-len(scenarios) // cols)
    fig, axes = plt.subplots(rows, cols, figsize=(4.2 * cols, 4.0 * rows), squeeze=False, sharey=True)
    for ax in axes.flat[len(scenarios) :]:
        ax.set_visible(False)
    for ax, scenario in zip(axes.flat, scenarios, strict=False):
        sub = part[part["scenario"] == scenario].groupby("method", sort=False)[["seconds", "tow"]].mean()
        for method, row in sub.iterrows():
            ax.scatter(max(row["seconds"], 1e-4), row["tow"], color=colors[method], marker=marker(method), s=60,
                       label=method)  # fmt: skip
            ax.annotate(method, (max(row["seconds"], 1e-4), row["tow"]), fontsize=7, xytext=(3, 3),
                        textcoords="offset points")  # fmt: skip
        ax.set_xscale("log")
        ax.set_title(scenario)
        ax.set_xlabel("time to unlearn (s, log)")
        ax.set_ylim(0, 1.05)
    for row_axes in axes:
        row_axes[0].set_ylabel("ToW (↑)")
    fig.tight_layout()
    save(fig, png, pdf)
