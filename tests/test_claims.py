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
    one = C.level([0.2], 0.05, at_most=True)  # fewer than 3 seeds: inconclusive, as the printed rule says
    assert one.verdict == C.INCONCLUSIVE and one.mean == pytest.approx(0.2) and "needs at least 3" in one.basis


def test_inconclusive_rows_say_what_they_could_have_detected():
    wide = C.compare([1.0, 2.0, 3.0])  # half-width t * s / sqrt(n) = 4.3027 * 1 / sqrt(3) = 2.484
    assert wide.detectable == pytest.approx(T975_2 / math.sqrt(3))
    assert "under 3 seeds, a difference below ±2.48 is not detectable" in wide.basis
    straddle = C.level([0.90, 0.99, 0.96], 0.95, at_most=False)  # sd 0.04583, half 4.3027 * 0.04583 / sqrt(3)
    assert straddle.detectable == pytest.approx(T975_2 * np.std([0.90, 0.99, 0.96], ddof=1) / math.sqrt(3))
    assert "a margin below ±0.114 is not detectable" in straddle.basis
    assert "not detectable" not in C.compare([1.0, 1.1, 0.9]).basis, "a decided row does not say it"


def test_the_printed_rule_is_the_rule_the_code_applies():
    """Each sentence of RULE, checked against a case built to sit on its edge."""
    rule = C.RULE
    assert f"fewer than {C.MIN_SEEDS} seeds" in rule and C.MIN_SEEDS == 3
    # "held when the 95% t-interval ... lies on the paper's side of 0"
    assert "**held** when the 95% t-interval" in rule and C.compare([1.0, 1.1, 0.9]).verdict == C.HELD
    assert "**not held** when it lies on the other side" in rule and C.compare([-1, -1.1, -0.9]).verdict == C.NOT_HELD
    assert "every seed shows exactly no difference" in rule and C.compare([0, 0, 0]).verdict == C.NOT_HELD
    assert "inconclusive otherwise or with fewer than 3 seeds" in rule
    assert C.compare([5.0, 6.0]).verdict == C.INCONCLUSIVE and C.compare([1, 2, 3]).verdict == C.INCONCLUSIVE
    # "a level claim is judged the same way ... (inconclusive with fewer than 3 seeds)"
    assert "level claim is judged the same way" in rule and "(inconclusive with fewer than 3 seeds)" in rule
    assert C.level([0.0, 0.0], 0.01, at_most=True).verdict == C.INCONCLUSIVE
    assert C.level([0.5, 0.6, 0.4], 0.05, at_most=True).verdict == C.NOT_HELD
    # the no-op margin as printed
    assert "within 2 points" in rule and "within 0.02" in rule and C.NOOP_MARGIN == 0.02
    assert C.did_not_unlearn(0.98 + 1e-9, 1.0, 0.5) != "" and C.did_not_unlearn(0.979, 1.0, 0.5) == ""
    assert "**vacuous**" in rule


def test_a_method_that_did_not_unlearn_is_named():
    # the method's D_f accuracy within 2 points of the original's, the gold model's far from it: a no-op
    assert C.did_not_unlearn(0.99, 1.0, 0.0).startswith("D_f accuracy 99.0% vs the original's 100.0% (gold 0.0%)")
    assert C.did_not_unlearn(0.90, 1.0, 0.0) == "", "it moved 10 points"
    assert C.did_not_unlearn(1.0, 1.0, 0.99) == "", "the gold model stays put too: nothing to unlearn"
    # MIA, where measured, must also have stayed put
    assert C.did_not_unlearn(1.0, 1.0, 0.5, mia=0.30, mia_original=0.10) == ""
    assert "MIA-efficacy 0.110 vs 0.100" in C.did_not_unlearn(1.0, 1.0, 0.5, mia=0.11, mia_original=0.10)
    assert C.did_not_unlearn(float("nan"), 1.0, 0.5) == ""


def _noop_records():
    rows = []
    for seed in (0, 1, 2):
        for method, acc, mia in [("original", 1.0, 0.10), ("retrain", 0.0, 1.0), ("finetune", 0.995, 0.11),
                                 ("neggrad", 0.40, 0.60), ("amnesiac", 0.99, 0.50)]:  # fmt: skip
            rows.append({"scenario": "cls", "seed": seed, "method": method, "acc_forget": acc, "mia_efficacy": mia})
        rows.append({"scenario": "other", "seed": seed, "method": "neggrad", "acc_forget": 1.0, "mia_efficacy": 0.1})
    return pd.DataFrame(rows)


def test_vacuous_comparisons_on_hand_built_records():
    records = _noop_records()
    # finetune stayed at 99.5% with MIA 0.11: a no-op; amnesiac kept D_f accuracy but moved MIA 0.40: not one
    reasons = C.noop_reasons(records, "cls", ["finetune", "neggrad", "amnesiac"])
    assert list(reasons) == ["finetune"] and "D_f accuracy 99.5% vs the original's 100.0%" in reasons["finetune"]
    assert C.noop_reasons(records, "other", ["neggrad"]) == {}, "no original/gold rows: nothing to judge against"
    beats = C.compare([0.5, 0.6, 0.55])  # would be held
    judged = C.vacuous(beats, reasons)
    assert judged.verdict == C.VACUOUS and judged.mean == beats.mean and judged.lo == beats.lo
    assert judged.basis.startswith("vacuous: finetune did not unlearn (D_f accuracy 99.5%")
    assert C.vacuous(beats, {}) is beats
    df = C.frame([C.Claim("P", "p.0", "c", "", "", judged), C.Claim("P", "p.1", "c", "", "", beats)])
    assert C.counts(df) == "1 held, 0 not held, 0 inconclusive of 1 tested; 1 vacuous"
    assert [C.recomputed_verdict(r) for _, r in df.iterrows()] == [None, C.HELD]
    # a claim of parts: the vacuous part set aside, the rest decides; all vacuous -> vacuous
    both = C.combine([judged, C.compare([-1, -1.1, -0.9])], "x")
    assert both.verdict == C.NOT_HELD and "1 vacuous part(s) set aside: finetune did not unlearn" in both.basis
    assert C.combine([judged, judged], "x").verdict == C.VACUOUS


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
    records = _regime_records(gold_random)
    records.loc[2, "acc_retain"] = 0.985  # one gold model (rand, seed 0) below 99% on its D_r
    rows = {c.id: c for c in comparison.regime_claims(records, originals, kinds, None)}
    assert rows["regime.gold_fits"].judgement.verdict == C.NOT_HELD, "every gold model must fit, not the mean"
    assert rows["regime.gold_fits"].judgement.lo == pytest.approx(0.985)


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
    lines = [line for line in text.splitlines() if line.startswith("| ") and "Paper |" not in line
             and line.count("|") == 8]  # the claims table's rows (7 cells), not the counts table's  # fmt: skip
    assert lines[0].startswith("| TMU (001) | TMU claim | 4.2 | 3.0 | **held** |") and lines[0].endswith("| scale T |")
    assert "| RUM claim | 0.9 | 0.8 | **not held** |" in lines[1] and "| —" in lines[2]
    assert "TMU (001): 1 held, 0 not held, 0 inconclusive of 1 tested" in text
    assert "| TMU (001) |      1 |          0 |              0 |         0 |            0 |" in text, "the counts table"
    assert "| RUM (002) |      0 |          1 |              0 |         0 |            0 |" in text
    assert C.RULE in text


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


def test_claims_this_run_cannot_test_are_listed_with_what_they_need():
    items = [("cifar100", "Holds on CIFAR-100", "Table 2", "dataset cifar100"), ("arch", "Holds on VGG", "–", "VGG")]
    rows = C.elsewhere("P (9)", "p", "cifar10", items)
    assert [r.id for r in rows] == ["p.elsewhere.cifar100", "p.elsewhere.arch"]
    assert (
        rows[0].judgement.verdict == C.NOT_TESTED
        and rows[0].judgement.basis == "not tested here: needs dataset cifar100"
    )
    assert [r.id for r in C.elsewhere("P (9)", "p", "cifar100", items)] == ["p.elsewhere.arch"], "the run is on it"


def test_a_property_of_every_run_is_decided_on_any_number_of_runs():
    one = C.every([1.0], 1.0, what="exact")
    assert (
        one.verdict == C.HELD
        and one.kind == "every"
        and one.basis == "exact: min 1 over 1 runs (every one must be ≥ 1)"
    )
    assert C.every([1.0, 0.0, 1.0], 1.0).verdict == C.NOT_HELD, "one run not exact: not held, whatever the mean"
    df = C.frame([C.Claim("P", "p.0", "c", "", "", one), C.Claim("P", "p.1", "c", "", "", C.every([1, 0], 1.0))])
    assert [C.recomputed_verdict(r) for _, r in df.iterrows()] == [C.HELD, C.NOT_HELD]
