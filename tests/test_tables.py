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


def test_each_scenario_and_method_aggregates_only_its_own_records():
    """Two scenarios x three methods x three seeds, every value different: each cell is the mean ± std (ToW: the
    95% t-interval) of exactly its own per-seed records."""
    rows = []
    for s_i, scenario in enumerate(["full", "sub"]):
        for m_i, method in enumerate(["retrain", "original", "finetune"]):
            for seed in (0, 1, 3):  # seeds need not be 0..n-1
                base = 0.1 * s_i + 0.2 * m_i
                row = {col: float("nan") for col, *_ in BASELINE_COLUMNS}
                row.update({"scenario": scenario, "method": method, "seed": seed,
                            "acc_forget": base + 0.01 * seed, "tow": 0.3 + base + 0.02 * seed})  # fmt: skip
                rows.append(row)
    long = pd.DataFrame(rows)
    agg = aggregate(long, ["sub", "full"], ["finetune", "original", "retrain"]).set_index(["scenario", "method"])
    assert list(agg.index) == [(s, m) for s in ("sub", "full") for m in ("retrain", "original", "finetune")]
    for (scenario, method), row in agg.iterrows():
        base = 0.1 * (scenario == "sub") + 0.2 * ["retrain", "original", "finetune"].index(method)
        assert row["acc_forget_mean"] == pytest.approx(base + 0.04 / 3), (scenario, method)
        assert row["acc_forget_std"] == pytest.approx(0.01 * math.sqrt(7 / 3))  # seeds 0, 1, 3: var = 7/3
        assert row["tow_mean"] == pytest.approx(0.3 + base + 0.08 / 3)
        assert row["tow_ci95"] == pytest.approx(4.302653 * 0.02 * math.sqrt(7 / 3) / math.sqrt(3), rel=1e-5)
        assert row["n_seeds"] == 3
    shown = display_table(aggregate(long, ["sub", "full"], ["finetune"]))
    assert shown["Acc D_f (%)"].tolist() == ["51.3 ± 1.5", "41.3 ± 1.5"], "percent cells: mean and std both scaled"
    assert shown["ToW"].tolist() == ["0.827 ± 0.076", "0.727 ± 0.076"]


def test_repeated_seed_rows_count_once_in_n_seeds():
    long = records()
    agg = aggregate(pd.concat([long, long[long["seed"] == 0]]), ["sub"], ["finetune"])
    assert agg["n_seeds"].iloc[0] == 3


def test_a_column_with_some_blank_cells_is_kept_with_a_dash():
    long = records()
    long.loc[long["method"] == "finetune", "seconds"] = [1.0, 2.0, 3.0]  # the original model has no time
    shown = display_table(aggregate(long, ["sub"], ["retrain", "original", "finetune"])).set_index("Method")
    assert shown["Time (s)"].tolist() == ["–", "–", "2.00 ± 1.00"]


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
