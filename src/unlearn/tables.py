"""Aggregate per-seed metric records into tables: mean ± std over seeds, ToW with a 95% t-interval.

Writes CSV (machines), Markdown (people) and LaTeX (papers). The row order is the config's scenario
order, then Retrain (gold) first, Original second, the other methods in config order.
"""

from __future__ import annotations

import math

import pandas as pd

from .metrics import t_interval

# (column, header, scale, decimals): accuracies shown in %, the rest as is
BASELINE_COLUMNS = [
    ("acc_forget", "Acc D_f (%)", 100, 1),
    ("acc_retain", "Acc D_r (%)", 100, 1),
    ("acc_test", "Acc D_test (%)", 100, 1),
    ("acc_test_forgotten", "Acc test, forgotten cls (%)", 100, 1),
    ("acc_test_remaining", "Acc test, remaining cls (%)", 100, 1),
    ("delta_forget", "Δ D_f vs gold (pts)", 1, 1),
    ("activation_distance", "Act. dist.", 1, 3),
    ("mia_efficacy", "MIA-efficacy", 1, 3),
    ("mia_gap", "MIA gap", 1, 3),
    ("mia_entropy", "MIA-entropy", 1, 3),
    ("mia_entropy_gap", "MIA-entropy gap", 1, 3),
    ("tow", "ToW", 1, 3),
    ("tow_mia", "ToW-MIA", 1, 3),
    ("seconds", "Time (s)", 1, 2),
]
CI_COLUMNS = ("tow", "tow_mia")


def method_order(methods: list[str]) -> list[str]:
    first = [m for m in ("retrain", "original") if m in methods]
    return first + [m for m in methods if m not in first]


def aggregate(long: pd.DataFrame, scenarios: list[str], methods: list[str]) -> pd.DataFrame:
    """One row per (scenario, method): <metric>_mean, <metric>_std, and <metric>_ci95 for ToW columns."""
    rows = []
    for scenario in scenarios:
        for method in method_order(methods):
            part = long[(long["scenario"] == scenario) & (long["method"] == method)]
            if part.empty:
                continue
            row = {"scenario": scenario, "method": method, "n_seeds": int(part["seed"].nunique())}
            for col, *_ in BASELINE_COLUMNS:
                values = part[col].astype(float)
                row[f"{col}_mean"] = values.mean()
                row[f"{col}_std"] = values.std(ddof=1) if len(values) > 1 else float("nan")
                if col in CI_COLUMNS:
                    row[f"{col}_ci95"] = t_interval(values.tolist())[1]
            rows.append(row)
    return pd.DataFrame(rows)


def format_cell(mean, spread, scale, decimals) -> str:
    if mean is None or (isinstance(mean, float) and math.isnan(mean)):
        return "–"
    text = f"{mean * scale:.{decimals}f}"
    if spread is not None and not (isinstance(spread, float) and math.isnan(spread)):
        text += f" ± {spread * scale:.{decimals}f}"
    return text


def display_table(agg: pd.DataFrame) -> pd.DataFrame:
    """Human-readable cells 'mean ± std' (ToW: 'mean ± 95% CI half-width'); empty columns dropped."""
    out = pd.DataFrame({"Scenario": agg["scenario"], "Method": agg["method"]})
    for col, header, scale, decimals in BASELINE_COLUMNS:
        if agg[f"{col}_mean"].isna().all():
            continue
        spread_col = f"{col}_ci95" if col in CI_COLUMNS else f"{col}_std"
        out[header] = [
            format_cell(m, s, scale, decimals) for m, s in zip(agg[f"{col}_mean"], agg[spread_col], strict=True)
        ]
    return out


def model_text(model: dict) -> str:
    """'resnet18 (width 0.125, stem stride 2)' from a config's model section."""
    parts = [f"width {model['width']}"] if "width" in model else []
    parts += [f"stem stride {model['stem_stride']}"] if model.get("stem_stride", 1) != 1 else []
    return model["name"] + (f" ({', '.join(parts)})" if parts else "")


def scale_note(scale: dict) -> str:
    return (
        f"Scale: dataset {scale['dataset']}, model {model_text(scale['model'])}, {scale['epochs']} training epochs, "
        f"seeds {scale['seeds']} (mean ± std over seeds; ToW/ToW-MIA: mean ± 95% t-interval half-width)."
        + hyperparameter_note(scale)
    )


def hyperparameter_note(scale: dict) -> str:
    """' Hyperparameters: tuned on ... / configured values.' (plan.Plan.hyperparameters), or nothing."""
    return f" {scale['hyperparameters']}" if scale.get("hyperparameters") else ""


def to_markdown(display: pd.DataFrame, title: str, note: str) -> str:
    return f"# {title}\n\n{note}\n\n{display.to_markdown(index=False)}\n"


def to_latex(display: pd.DataFrame, caption: str) -> str:
    """A LaTeX table; the caption's Markdown (bold, line breaks) dropped, its % and _ escaped."""
    caption = " ".join(caption.replace("**", "").replace("%", r"\%").replace("_", r"\_").split())
    body = display.to_latex(index=False, escape=True, caption=caption)
    return body.replace("±", r"$\pm$").replace("Δ", r"$\Delta$")
