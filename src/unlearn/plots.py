"""Figures (PNG + PDF). Matplotlib with the Agg backend; no display needed."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from .tables import method_order

# how every figure looks: the config's `plots:` section (changing it reruns only the plotting rules)
STYLE = {"dpi": 150, "font_size": 10.0, "style": "default"}


def configure(style: dict | None) -> None:
    """Apply the config's `plots:` section (a matplotlib style, the base font size, the PNG resolution)."""
    STYLE.update(style or {})
    plt.style.use(STYLE["style"])
    plt.rcParams["font.size"] = float(STYLE["font_size"])


def save(fig, png, pdf) -> None:
    """Write a figure as PNG (at the configured dpi) and PDF, then free it."""
    fig.savefig(png, dpi=int(STYLE["dpi"]))
    fig.savefig(pdf)
    plt.close(fig)


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
    save(fig, png, pdf)


TMU_FIG3_LINES = [
    ("NF+AF+CF", "TMU classifier (NF+AF+CF)", "tab:blue", "o-"),
    ("tmu_model", "TMU unlearned model", "tab:cyan", "s--"),
    ("bad_teacher_model", "Bad Teacher unlearned model", "tab:red", "^-"),
    ("all_easy", "all easy (trivial)", "tab:gray", ":"),
]


def tmu_fig3(labels: pd.DataFrame, class_name: str, png, pdf) -> None:
    """TMU Fig. 3: accuracy of the predicted generalization labels on D_f as |D_f| grows (lines = mean
    over seeds, dots = seeds). A model's labels are its own correctness on D_f."""
    fig, ax = plt.subplots(figsize=(5.2, 3.8))
    for source, label, color, style in TMU_FIG3_LINES:
        part = labels[labels["source"] == source]
        if part.empty:
            continue
        mean = part.groupby("n")["label_acc"].mean()
        ax.plot(mean.index, mean.values, style, color=color, label=label)
        ax.plot(part["n"], part["label_acc"], ".", color=color, alpha=0.5, markersize=4)
    ax.set_xscale("log")
    sizes = sorted(labels["n"].unique())
    ax.set_xticks(sizes, [str(s) for s in sizes])
    ax.minorticks_off()
    ax.set_xlabel(f"|D_f| (forget class {class_name})")
    ax.set_ylabel("label accuracy vs gold model (%)")
    ax.set_ylim(0, 102)
    ax.legend(fontsize=8, loc="lower left")
    fig.tight_layout()
    save(fig, png, pdf)
