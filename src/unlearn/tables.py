"""Aggregate per-seed metric records into tables: mean ± std over seeds, ToW with a 95% t-interval.

Writes CSV (machines), Markdown (people) and LaTeX (papers). The row order is the config's scenario
order, then Retrain (gold) first, Original second, the other methods in config order.
"""

from __future__ import annotations

import math

import pandas as pd

from . import claims as C
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
    # LiRA (lira.py): absent, so dropped from the display, without shadow models
    ("lira_auc", "LiRA AUC", 1, 3),
    ("lira_tpr_1", "LiRA TPR@1%FPR", 1, 3),
    ("lira_tpr_01", "LiRA TPR@0.1%FPR", 1, 3),
    ("lira_online_tpr_1", "LiRA-online TPR@1%FPR", 1, 3),
    ("lira_gap", "LiRA TPR@1% gap", 1, 3),
    ("ulira_auc", "U-LiRA AUC", 1, 3),  # U-LiRA (mia.unlearned_shadows): unlearned vs gold on D_f; 0.5 ideal
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
                values = part[col].astype(float) if col in part else pd.Series(float("nan"), index=part.index)
                row[f"{col}_mean"] = values.mean()
                row[f"{col}_std"] = values.std(ddof=1) if len(values) > 1 else float("nan")
                if col in CI_COLUMNS:
                    row[f"{col}_ci95"] = t_interval(values.tolist())[1]
            rows.append(row)
    return mark_noops(pd.DataFrame(rows))


NOOP = "did not unlearn"
KEEP = ("original", "retrain")  # the reference rows: never marked


def mark_noops(agg: pd.DataFrame, margin: float = C.NOOP_MARGIN) -> pd.DataFrame:
    """agg with a `did_not_unlearn` column: why a method's row did not unlearn (claims.did_not_unlearn on the
    means, against the same scenario's original and gold rows), '' where it did or for the reference rows."""
    agg = agg.copy()
    if agg.empty or "acc_forget_mean" not in agg:
        agg["did_not_unlearn"] = ""
        return agg

    def ref(scenario, method, col):
        hit = agg.loc[(agg["scenario"] == scenario) & (agg["method"] == method), col]
        return float(hit.iloc[0]) if len(hit) else float("nan")

    why = []
    for r in agg.itertuples(index=False):
        if r.method in KEEP or str(r.method).endswith("_paper"):
            why.append("")
            continue
        mia = getattr(r, "mia_efficacy_mean", float("nan"))
        why.append(C.did_not_unlearn(r.acc_forget_mean, ref(r.scenario, "original", "acc_forget_mean"),
                                     ref(r.scenario, "retrain", "acc_forget_mean"), mia,
                                     ref(r.scenario, "original", "mia_efficacy_mean"), margin))  # fmt: skip
    agg["did_not_unlearn"] = why
    return agg


def method_cell(name: str, why) -> str:
    """'finetune (did not unlearn)' for a marked row, else the name."""
    return f"{name} ({NOOP})" if isinstance(why, str) and why else name


def noop_note(agg: pd.DataFrame) -> str:
    """The sentence a table prints under its note when it marks a row, stating the margin; '' when none."""
    if "did_not_unlearn" not in agg or not (agg["did_not_unlearn"].fillna("") != "").any():
        return ""
    return NOOP_NOTE


NOOP_NOTE = (
    f'"({NOOP})": the method\'s mean D_f accuracy stayed within {100 * C.NOOP_MARGIN:g} points of the original '
    f"model's (and its MIA-efficacy within {C.NOOP_MARGIN:g}, where measured) while the gold model's moved farther: "
    "it did nothing measurable, and a comparison against it is vacuous (shown, not counted)."
)


def format_cell(mean, spread, scale, decimals) -> str:
    if mean is None or (isinstance(mean, float) and math.isnan(mean)):
        return "–"
    text = f"{mean * scale:.{decimals}f}"
    if spread is not None and not (isinstance(spread, float) and math.isnan(spread)):
        text += f" ± {spread * scale:.{decimals}f}"
    return text


def display_table(agg: pd.DataFrame) -> pd.DataFrame:
    """Human-readable cells 'mean ± std' (ToW: 'mean ± 95% CI half-width'); empty columns dropped."""
    marks = agg["did_not_unlearn"] if "did_not_unlearn" in agg else [""] * len(agg)
    methods = [method_cell(str(m), w) for m, w in zip(agg["method"], marks, strict=True)]
    out = pd.DataFrame({"Scenario": agg["scenario"], "Method": methods})
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
