"""RUM's figures (paper 002): ES partitions in embedding space, difficulty per partition, memorization scores."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..plots import plt, save
from ..reporting import display_name
from . import LEVELS
from .report import FACTOR_TITLES

MAX_RETAIN_POINTS = 4000  # drawn retain samples per panel (a fixed random subset; all forget samples are drawn)


def es_partitions(pca: np.ndarray, forget: dict, es: dict, png, pdf) -> None:
    """One panel per ES level: the 2-D PCA projection of D's embeddings, forget set vs retain set."""
    fig, axes = plt.subplots(1, len(LEVELS), figsize=(4.2 * len(LEVELS), 4.0), sharex=True, sharey=True)
    rng = np.random.default_rng(0)
    for ax, level in zip(axes, LEVELS, strict=True):
        mask = np.zeros(len(pca), dtype=bool)
        mask[forget[level]] = True
        retain = np.flatnonzero(~mask)
        if len(retain) > MAX_RETAIN_POINTS:
            retain = rng.choice(retain, MAX_RETAIN_POINTS, replace=False)
        ax.scatter(pca[retain, 0], pca[retain, 1], s=4, c="tab:blue", alpha=0.35, label="retain", linewidths=0)
        ax.scatter(pca[mask, 0], pca[mask, 1], s=8, c="gold", edgecolors="k", linewidths=0.2, label="forget")
        ax.set_title(f"({'abc'[LEVELS.index(level)]}) {level} ES (ES = {es[level]:.1f})")
        ax.set_xlabel("PC 1")
    axes[0].set_ylabel("PC 2")
    axes[0].legend(loc="best", fontsize=8, markerscale=2)
    fig.tight_layout()
    save(fig, png, pdf)


def difficulty(table: pd.DataFrame, png, pdf) -> None:
    """ToW of each method on the low / medium / high ES (left) and memorization (right) forget sets."""
    fig, axes = plt.subplots(1, 2, figsize=(9.5, 3.8), sharey=True)
    x = np.arange(len(LEVELS))
    for ax, (factor, title) in zip(axes, FACTOR_TITLES.items(), strict=True):
        part = table[(table["factor"] == factor) & (table["method"] != "retrain")]
        for i, method in enumerate(dict.fromkeys(part["method"])):
            rows = part[part["method"] == method].set_index("level").loc[list(LEVELS)]
            err = np.nan_to_num(rows["tow_ci95"].to_numpy(dtype=float))
            ax.errorbar(
                x + (i - 1.5) * 0.05, rows["tow_mean"], yerr=err, marker="o", capsize=3, label=display_name(method)
            )
        ax.set_xticks(x, [f"{lv}\n{title}" for lv in LEVELS])
        ax.set_title(f"forget sets by {title}")
        ax.grid(axis="y", alpha=0.3)
    axes[0].set_ylabel("ToW ↑ (mean ± 95% CI over seeds)")
    axes[1].legend(fontsize=8)
    fig.tight_layout()
    save(fig, png, pdf)


def memorization(scores: dict, png, pdf) -> None:
    """Histogram of the memorization scores; the scores against the confidence and holdout proxies."""
    mem = scores["memorization"]
    ok = np.isfinite(mem)
    fig, axes = plt.subplots(1, 3, figsize=(12.5, 3.6))
    axes[0].hist(mem[ok], bins=np.linspace(-1, 1, 41), color="tab:gray")
    axes[0].set_yscale("log")
    axes[0].set_xlabel("memorization score (Feldman-Zhang)")
    axes[0].set_ylabel("samples")
    for ax, key, label in (
        (axes[1], "confidence", "confidence proxy"),
        (axes[2], "holdout", "holdout-retraining proxy"),
    ):
        both = ok & np.isfinite(scores[key])
        ax.scatter(mem[both], scores[key][both], s=3, alpha=0.4, linewidths=0)
        ax.set_xlabel("memorization score")
        ax.set_ylabel(label)
    fig.tight_layout()
    save(fig, png, pdf)
