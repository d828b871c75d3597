"""Claim verdicts (held / not held / inconclusive) on hand-computed per-seed numbers, the regime line, the regime
checks and the one-page comparison."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from unlearn import claims as C
from unlearn import comparison, regime

T975_2 = 4.302652729911275  # Student t, 97.5% quantile, 2 degrees of freedom


def test_compare_held_when_the_interval_clears_zero():
    j = C.compare([1.0, 1.1, 0.9])
    half = T975_2 * 0.1 / math.sqrt(3)
    assert j.verdict == C.HELD and j.n == 3
    assert j.mean == pytest.approx(1.0) and j.lo == pytest.approx(1.0 - half) and j.hi == pytest.approx(1.0 + half)


def test_compare_not_held_inconclusive_and_too_few_seeds():
    assert C.compare([-1.0, -1.1, -0.9]).verdict == C.NOT_HELD
    wide = C.compare([1.0, 2.0, 3.0])  # mean 2, half-width 4.30 * 1 / sqrt(3) = 2.48 -> [-0.48, 4.48]
    assert wide.verdict == C.INCONCLUSIVE and wide.lo == pytest.approx(2 - T975_2 / math.sqrt(3))
    two = C.compare([5.0, 6.0])  # a clear difference, but a comparison needs 3 seeds
    assert two.verdict == C.INCONCLUSIVE and two.mean == pytest.approx(5.5) and "needs at least 3" in two.basis
    assert C.compare([float("nan")]).verdict == C.NOT_TESTED
    assert C.compare([0.0, 0.0, 0.0]).verdict == C.NOT_HELD, "exactly no difference on every seed is not 'uncertain'"


def test_level_against_a_threshold():
    zero = C.level([0.0, 0.0, 0.0], 0.01, at_most=True)  # constant values: a zero-width interval on the right side
    assert zero.verdict == C.HELD and zero.mean == 0.0
    assert C.level([0.5, 0.6, 0.4], 0.05, at_most=True).verdict == C.NOT_HELD
    assert C.level([0.97, 0.98, 0.99], 0.95, at_most=False).verdict == C.HELD
    assert C.level([0.90, 0.99, 0.96], 0.95, at_most=False).verdict == C.INCONCLUSIVE  # straddles 0.95
    one = C.level([0.2], 0.05, at_most=True)  # fewer than 3 seeds: the mean decides, and the basis says so
    assert one.verdict == C.NOT_HELD and "no interval" in one.basis


def test_combine_and_counts():
    held, bad, unsure = C.compare([1, 1.1, 0.9]), C.compare([-1, -1.1, -0.9]), C.compare([1, 2, 3])
    assert C.combine([held, held], "x").verdict == C.HELD
    assert C.combine([held, unsure], "x").verdict == C.INCONCLUSIVE
    assert C.combine([held, unsure, bad], "x").verdict == C.NOT_HELD
    assert C.combine([C.not_tested("no")], "x").verdict == C.NOT_TESTED
    rows = [C.Claim("P", f"p.{i}", "c", "", "", j) for i, j in enumerate([held, bad, unsure, C.number([1.0, 2.0])])]
    df = C.frame(rows)
    assert C.counts(df) == "1 held, 1 not held, 1 inconclusive of 3 tested"
    text = C.markdown(df, "Title", "pre", "why")
    cells = [line.split("|")[4].strip() for line in text.splitlines() if line.startswith("| c ")]
    assert cells[:3] == ["**held**", "**not held**", "inconclusive"], "the verdict column, in claim order"
    assert "Headline numbers beside the paper's" in text and "1 held, 1 not held, 1 inconclusive of 3 tested" in text


def test_regime_line_from_model_outputs():
    train_y, test_y = np.array([0, 1, 1, 0]), np.array([0, 1])
    fit = {"train": np.eye(2)[train_y], "test": np.eye(2)[[0, 0]]}  # 100% train, 50% test
    under = {"train": np.eye(2)[[0, 1, 0, 0]], "test": np.eye(2)[[0, 1]]}  # 75% train, 100% test
    originals = regime.original_stats([fit, under], [0, 1], train_y, test_y)
    assert originals["train_acc"].tolist() == [1.0, 0.75] and originals["test_acc"].tolist() == [0.5, 1.0]
    gold = pd.DataFrame([{"scenario": "a", "seed": 0, "method": "retrain", "acc_retain": 0.995, "acc_test": 0.4}])
    s = regime.summary(originals, regime.gold_stats(gold))
    assert not s["fits"] and s["original"]["train_min"] == 0.75 and s["gold"]["train_mean"] == 0.995
    text = regime.text(s)
    assert text.startswith("Regime: original models 87.5% on D (min 75.0%) / 75.0% on D_test (2 models)")
    assert "gold models 99.5% on their D_r (min 99.5%) / 40.0% on D_test (1 model)" in text and "**not met**" in text
    assert "met." in regime.text(regime.summary(originals.iloc[:1], regime.gold_stats(gold)))
    # every model must fit, not the mean: 99.5% on average with one model at 98.5% is not the regime
    close = pd.DataFrame({"seed": [0, 1, 2], "train_acc": [1.0, 1.0, 0.985], "test_acc": [0.5] * 3})
    s = regime.summary(close, regime.gold_stats(gold))
    assert s["original"]["train_mean"] == pytest.approx(0.995) and s["fits"] is False
    assert regime.summary(close.iloc[:2], regime.gold_stats(gold))["fits"] is True


def _regime_records(gold_forget_random):
    rows = []
    for seed, g in zip((0, 1, 2), gold_forget_random, strict=True):
        rows += [
            {"scenario": "full", "seed": seed, "method": "retrain", "acc_forget": 0.0, "acc_retain": 1.0,
             "acc_test": 0.45, "mia_efficacy": 0.9},
            {"scenario": "full", "seed": seed, "method": "original", "acc_forget": 1.0, "acc_retain": 1.0,
             "acc_test": 0.46, "mia_efficacy": 0.1},
            {"scenario": "rand", "seed": seed, "method": "retrain", "acc_forget": g, "acc_retain": 0.999,
             "acc_test": 0.44, "mia_efficacy": 0.6 + 0.01 * seed},
            {"scenario": "rand", "seed": seed, "method": "original", "acc_forget": 1.0, "acc_retain": 1.0,
             "acc_test": 0.46, "mia_efficacy": 0.2},
        ]  # fmt: skip
    return pd.DataFrame(rows)


@pytest.mark.parametrize(
    ("gold_random", "gap_verdict"), [((0.45, 0.44, 0.46), C.HELD), ((0.95, 0.9, 0.92), C.NOT_HELD)]
)
def test_regime_claims_follow_the_numbers(gold_random, gap_verdict):
    originals = pd.DataFrame({"seed": [0, 1, 2], "train_acc": [1.0, 0.999, 1.0], "test_acc": [0.46, 0.45, 0.47]})
    kinds = {"full": "full_class", "rand": "random"}
    rows = {c.id: c for c in comparison.regime_claims(_regime_records(gold_random), originals, kinds, None)}
    assert rows["regime.original_fits"].judgement.verdict == C.HELD
    assert rows["regime.gold_fits"].judgement.verdict == C.HELD
    assert rows["regime.forgotten_class.full"].judgement.verdict == C.HELD
    assert rows["regime.memorization_gap.rand"].judgement.verdict == gap_verdict
    assert rows["regime.mia_separates.rand"].judgement.verdict == C.HELD
    underfit = originals.assign(train_acc=[1.0, 0.98, 1.0])
    rows = {c.id: c for c in comparison.regime_claims(_regime_records(gold_random), underfit, kinds, None)}
    assert rows["regime.original_fits"].judgement.verdict == C.NOT_HELD, "every model must fit, not the mean"


def test_regime_table_lists_every_original_and_gold_model_with_its_own_accuracies():
    originals = pd.DataFrame({"seed": [0, 1], "train_acc": [1.0, 0.98], "test_acc": [0.46, 0.44]})
    records = _regime_records((0.45, 0.44, 0.46))
    table = comparison.regime_table(originals, pd.concat([records, records.iloc[:1]]))  # a repeated record: one row
    assert table["model"].tolist() == ["original"] * 2 + ["gold"] * 6
    assert table.iloc[1].tolist() == ["original", "", 1, 0.98, 0.44]
    gold = table[table["model"] == "gold"].set_index(["scenario", "seed"])
    assert gold.loc[("rand", 2)].tolist() == ["gold", 0.999, 0.44] and gold.loc[("full", 0), "test_acc"] == 0.45


def test_comparison_page_lists_every_row_with_its_verdict():
    rows = [
        C.Claim("TMU (001)", "tmu.a", "TMU claim", "4.2", "3.0", C.compare([1, 1.1, 0.9])),
        C.Claim("RUM (002)", "rum.b", "RUM claim", "0.9", "0.8", C.compare([-1, -1.1, -0.9])),
        C.Claim("RUM (002)", "rum.c", "RUM number", "0.9", "0.8", C.number([0.8, 0.8])),
    ]
    text = comparison.comparison_markdown(C.frame(rows), {"TMU (001)": "scale T"}, "Regime: x", "Run y")
    lines = [line for line in text.splitlines() if line.startswith("| ") and "Paper |" not in line]
    assert lines[0].startswith("| TMU (001) | TMU claim | 4.2 | 3.0 | **held** |") and lines[0].endswith("| scale T |")
    assert "| RUM claim | 0.9 | 0.8 | **not held** |" in lines[1] and "| —" in lines[2]
    assert "TMU (001): 1 held, 0 not held, 0 inconclusive of 1 tested" in text


def test_every_row_carries_what_its_verdict_is_computed_from():
    judgements = [C.compare([1, 1.1, 0.9]), C.compare([-1, -1.1, -0.9]), C.compare([1, 2, 3]), C.compare([4, 5]),
                  C.compare([0, 0, 0]),
                  C.level([0.0, 0.0, 0.0], 0.01, at_most=True), C.level([0.5, 0.6, 0.4], 0.05, at_most=True),
                  C.level([0.97, 0.98, 0.99], 0.95, at_most=False),
                  C.level([0.9, 0.99, 0.96], 0.95, at_most=False)]  # fmt: skip
    df = C.frame([C.Claim("P", f"p.{i}", "c", "", "", j) for i, j in enumerate(judgements)])
    assert [C.recomputed_verdict(r) for _, r in df.iterrows()] == df["verdict"].tolist()
    flipped = df.iloc[0].copy()
    flipped[["ci_low", "ci_high"]] = [-2.0, -1.0]
    assert C.recomputed_verdict(flipped) == C.NOT_HELD, "flip the numbers and the verdict flips"
