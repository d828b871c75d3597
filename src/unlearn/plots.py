"""Figures (PNG + PDF). Matplotlib with the Agg backend; no display needed."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from .metrics import t_interval
from .tables import method_order


def baselines_figure(long: pd.DataFrame, png, pdf) -> None:
    """Per scenario (columns): accuracy on D_f / D_r / D_test per method (top) and ToW ± 95% CI (bottom)."""
    scenarios = list(dict.fromkeys(long["scenario"]))
    methods = method_order(list(dict.fromkeys(long["method"])))
    fig, axes = plt.subplots(2, len(scenarios), figsize=(3.6 * len(scenarios), 6.2), squeeze=False, sharey="row")
    x = np.arange(len(methods))
    for j, scenario in enumerate(scenarios):
        part = long[long["scenario"] == scenario]
        ax = axes[0, j]
        for k, (col, label) in enumerate([("acc_forget", "D_f"), ("acc_retain", "D_r"), ("acc_test", "D_test")]):
            means = [part.loc[part["method"] == m, col].mean() * 100 for m in methods]
            ax.bar(x + (k - 1) * 0.27, means, width=0.27, label=label)
        ax.set_title(scenario)
        ax.set_xticks(x, methods, rotation=60, ha="right", fontsize=8)
        ax.set_ylim(0, 105)
        if j == 0:
            ax.set_ylabel("accuracy (%)")
            ax.legend(fontsize=8, loc="lower left")
        ax = axes[1, j]
        stats = [t_interval(part.loc[part["method"] == m, "tow"].tolist()) for m in methods]
        ax.bar(
            x, [s[0] for s in stats], yerr=[0 if np.isnan(s[1]) else s[1] for s in stats], color="tab:gray", capsize=3
        )
        ax.set_xticks(x, methods, rotation=60, ha="right", fontsize=8)
        ax.set_ylim(0, 1.05)
        if j == 0:
            ax.set_ylabel("ToW (↑, 95% CI)")
    fig.tight_layout()
    fig.savefig(png, dpi=150)
    fig.savefig(pdf)
    plt.close(fig)
