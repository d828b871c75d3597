"""SMU's figure (paper 000): logit dispersion across augmented views, before / after SMU and for the gold model."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..plots import plt, save
from . import TITLES

MODELS = [("original", "Original (before)"), ("smu", "SMU (after)"), ("retrain", "Retrain (gold)")]
GROUPS = [("forget", "D_f", "tab:red"), ("retain", "D_r", "tab:blue"), ("test", "D_test", "tab:gray")]


def logit_dispersion(samples: pd.DataFrame, png, pdf) -> None:
    """One panel per setting: per-sample cosine dispersion (box: quartiles, whiskers 5-95%), by model and group."""
    settings = [s for s in TITLES if s in set(samples["setting"])]
    fig, axes = plt.subplots(1, len(settings), figsize=(4.4 * len(settings), 3.8), squeeze=False, sharey=True)
    width = 0.26
    for ax, setting in zip(axes[0], settings, strict=True):
        part = samples[samples["setting"] == setting]
        for k, (group, label, colour) in enumerate(GROUPS):
            data = [part.loc[(part["model"] == m) & (part["group"] == group), "cosine"].to_numpy() for m, _ in MODELS]
            pos = np.arange(len(MODELS)) + (k - 1) * width
            box = ax.boxplot(data, positions=pos, widths=width * 0.9, whis=(5, 95), showfliers=False, patch_artist=True)
            for patch in box["boxes"]:
                patch.set(facecolor=colour, alpha=0.55)
            for median in box["medians"]:
                median.set(color="k")
            ax.plot([], [], color=colour, lw=6, alpha=0.55, label=label)
        ax.set_xticks(np.arange(len(MODELS)), [t for _, t in MODELS], fontsize=8)
        ax.set_title(TITLES[setting].split(" (")[0])
        ax.set_yscale("symlog", linthresh=1e-4)
    axes[0, 0].set_ylabel("1 − cos(z₁, z₂) of two views' logits")
    axes[0, 0].legend(fontsize=8, loc="upper left")
    fig.tight_layout()
    save(fig, png, pdf)
