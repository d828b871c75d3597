"""Aggregation over seeds and rendering."""

import math

import pandas as pd
import pytest

from unlearn.tables import BASELINE_COLUMNS, aggregate, display_table, method_order, to_latex, to_markdown


def records():
    rows = []
    for method, tows in [("finetune", [0.8, 0.9, 1.0]), ("retrain", [1.0, 1.0, 1.0]), ("original", [0.5, 0.5, 0.5])]:
        for seed, t in enumerate(tows):
            row = {col: 0.5 for col, *_ in BASELINE_COLUMNS}
            row.update({"scenario": "sub", "method": method, "seed": seed, "tow": t, "seconds": float("nan")})
            rows.append(row)
    return pd.DataFrame(rows)


def test_gold_first_then_original_then_config_order():
    assert method_order(["finetune", "original", "neggrad", "retrain"]) == [
        "retrain",
        "original",
        "finetune",
        "neggrad",
    ]


def test_mean_std_and_t_interval_over_seeds():
    agg = aggregate(records(), ["sub"], ["finetune", "retrain", "original"])
    assert agg["method"].tolist() == ["retrain", "original", "finetune"]
    ft = agg[agg["method"] == "finetune"].iloc[0]
    assert ft["tow_mean"] == pytest.approx(0.9)
    assert ft["tow_std"] == pytest.approx(0.1)
    assert ft["tow_ci95"] == pytest.approx(4.302653 * 0.1 / math.sqrt(3), rel=1e-5)
    assert ft["n_seeds"] == 3


def test_display_cells_and_formats():
    shown = display_table(aggregate(records(), ["sub"], ["retrain", "finetune"]))
    assert "Time (s)" not in shown.columns, "all-NaN columns are dropped"
    row = shown[shown["Method"] == "finetune"].iloc[0]
    assert row["ToW"] == "0.900 ± 0.248"
    assert row["Acc D_f (%)"] == "50.0 ± 0.0"
    md = to_markdown(shown, "T", "Scale: x")
    assert md.startswith("# T\n\nScale: x") and "| finetune" in md
    assert r"$\pm$" in to_latex(shown, "cap")
    tex = to_latex(shown, "Regime: 100.0% on D_r.\n\nThe regime: **not met**.")
    assert r"\caption{Regime: 100.0\% on D\_r. The regime: not met.}" in tex, "% and _ escaped, Markdown dropped"
