"""The report helpers every paper's tables and claims share: method display names, per-seed series and their paired
differences, and the claims file's Markdown (one signature for every paper)."""

from __future__ import annotations

import pandas as pd

from . import claims as C

# how the tables print a method: the common name, and where a paper's own tables name it otherwise, that paper's
DISPLAY_NAMES = {
    "retrain": "Retrain",
    "original": "Original",
    "finetune": "Fine-tune",
    "neggrad": "NegGrad",
    "neggrad_plus": "NegGrad+",
    "random_label": "Random-label",
    "amnesiac": "Amnesiac",
    "bad_teacher": "Bad Teacher",
    "l1_sparse": "L1-sparse",
    "salun": "SalUn",
    "scrub": "SCRUB",
    "ssd": "SSD",
    "smu": "SMU",
    "tmu": "TMU",
    "rum": "RUM",
}
PAPER_NAMES = {
    "tmu": {"retrain": "Gold", "finetune": "Fine-tuning", "neggrad": "Negative Gradient",
            "random_label": "Random Labeling"},
    "smu": {"finetune": "Finetune", "bad_teacher": "BadT"},
}  # fmt: skip


def display_name(method: str, paper: str | None = None) -> str:
    """'Bad Teacher'; with paper="smu", 'BadT' (its tables' name); an unknown method: its own name."""
    return PAPER_NAMES.get(paper, {}).get(method) or DISPLAY_NAMES.get(method, method)


def per_seed(records: pd.DataFrame, scenario: str, method: str, metric: str) -> pd.Series:
    """A metric of one method on one scenario, one value per seed (the mean where a seed has several rows)."""
    part = records[(records["scenario"] == scenario) & (records["method"] == method)]
    return part.groupby("seed")[metric].mean()


def lira_text(records: pd.DataFrame, scenario: str, models: dict[str, str], metric: str = "lira_tpr_1") -> str:
    """'; LiRA TPR@1%FPR SMU 0.030, Retrain 0.010': LiRA's number beside a population attack's in a claim's `ours`
    text (label -> method, means over seeds); '' where LiRA did not run (no shadow models)."""
    if metric not in records:
        return ""
    parts = []
    for label, method in models.items():
        v = per_seed(records, scenario, method, metric).dropna()
        if len(v):
            parts.append(f"{label} {float(v.mean()):.3f}")
    what = {"lira_tpr_1": "LiRA TPR@1%FPR", "lira_gap": "LiRA TPR@1% gap"}[metric]
    return f"; {what} {', '.join(parts)}" if parts else ""


def paired_diff(a: pd.Series, b: pd.Series) -> pd.Series:
    """a - b on the seeds (index values) both have: the paired per-seed differences a claim is judged on."""
    both = a.index.intersection(b.index)
    return a[both] - b[both]


def claims_markdown(rows: list[C.Claim], *, title: str, why: str, scale: str, regime: str = "", note: str = "") -> str:
    """A claims file: title, the scale line, the regime line, a note on how the claims are read, the verdicts, the
    headline numbers beside the paper's, and why the run may differ from the paper."""
    preamble = "\n\n".join(part for part in (scale, regime, note) if part)
    return C.markdown(C.frame(rows), title, preamble, why)
