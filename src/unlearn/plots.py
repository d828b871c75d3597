"""Figures (PNG + PDF). Matplotlib with the Agg backend; no display needed."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from .tables import method_order

ACCURACIES = [("acc_forget", "D_f"), ("acc_retain", "D_r"), ("acc_test", "D_test")]


def baselines_figure(long: pd.DataFrame, png, pdf) -> None:
    """Per scenario (columns, in the table's order): accuracy on D_f / D_r / D_test per method (top,
    mean over seeds) and ToW (bottom: bar = mean over seeds, dots = the individual seeds)."""
    scenarios = list(dict.fromkeys(long["scenario"]))
    methods = method_order(list(dict.fromkeys(long["method"])))
    fig, axes = plt.subplots(2, len(scenarios), figsize=(3.6 * len(scenarios), 6.4), squeeze=False, sharey="row")
    x = np.arange(len(methods))
    for j, scenario in enumerate(scenarios):
        part = long[long["scenario"] == scenario]
        top, bottom = axes[0, j], axes[1, j]
        for k, (col, label) in enumerate(ACCURACIES):
            means = [part.loc[part["method"] == m, col].mean() * 100 for m in methods]
            top.bar(x + (k - 1) * 0.27, means, width=0.27, label=label)
        top.set_title(scenario)
        top.set_ylim(0, 105)
        for i, m in enumerate(methods):
            values = part.loc[part["method"] == m, "tow"].to_numpy(dtype=float)
            bottom.bar(i, values.mean(), color="tab:gray", width=0.7)
            bottom.plot(np.full(len(values), i), values, "k.", markersize=5)
        bottom.set_ylim(0, 1.05)
        for ax in (top, bottom):
            ax.set_xticks(x, methods, rotation=60, ha="right", fontsize=8)
    axes[0, 0].set_ylabel("accuracy (%)")
    axes[1, 0].set_ylabel("ToW (↑; dots = seeds)")
    handles, labels = axes[0, 0].get_legend_handles_labels()
    fig.legend(handles, labels, loc="upper center", ncol=3, fontsize=9, frameon=False)
    fig.tight_layout(rect=(0, 0, 1, 0.95))
    fig.savefig(png, dpi=150)
    fig.savefig(pdf)
    plt.close(fig)
