"""Each metric on a hand-computed case."""

import math

import numpy as np
import pytest

from unlearn import metrics as M


def test_accuracy_counts_argmax_hits():
    probs = np.array([[0.9, 0.1], [0.2, 0.8], [0.6, 0.4], [0.3, 0.7]])
    assert M.accuracy(probs, np.array([0, 1, 1, 0])) == 0.5
    assert math.isnan(M.accuracy(probs[:0], np.array([], dtype=int)))


def test_alignment_delta_is_in_points():
    assert M.alignment_delta(0.87, 0.92) == pytest.approx(5.0)
    assert M.alignment_delta(0.92, 0.87) == pytest.approx(5.0)


def test_activation_distance_mean_l2():
    pu = np.array([[1.0, 0.0], [0.5, 0.5]])
    pg = np.array([[0.0, 1.0], [0.5, 0.5]])
    assert M.activation_distance(pu, pg) == pytest.approx(math.sqrt(2) / 2)


def test_entropy_and_true_label_prob():
    probs = np.array([[0.5, 0.5], [1.0, 0.0]])
    assert M.entropy(probs) == pytest.approx([math.log(2), 0.0], abs=1e-9)
    assert M.true_label_prob(probs, np.array([1, 0])).tolist() == [0.5, 1.0]


def test_mia_efficacy_separable_confidences():
    # members are confident (0.95+), non-members are not (<0.5): a forget set that looks like
    # members is predicted member (score 0), one that looks like test data is non-member (score 1)
    retain = np.linspace(0.95, 1.0, 50)
    test = np.linspace(0.05, 0.45, 50)
    assert M.mia_efficacy(retain, test, np.full(10, 0.99)) == 0.0
    assert M.mia_efficacy(retain, test, np.full(10, 0.2)) == 1.0
    assert M.mia_efficacy(retain, test, np.array([0.99] * 3 + [0.2] * 7)) == pytest.approx(0.7)


def test_mia_entropy_predicts_low_entropy_as_member():
    retain = np.linspace(0.0, 0.1, 40)
    test = np.linspace(1.0, 2.0, 20)  # unbalanced on purpose: class_weight="balanced"
    assert M.mia_entropy(retain, test, np.full(5, 0.05)) == 1.0
    assert M.mia_entropy(retain, test, np.full(5, 1.8)) == 0.0


def test_gap_tow_and_tow_mia():
    gold = {"forget": 0.9, "retain": 1.0, "test": 0.8}
    unl = {"forget": 0.5, "retain": 0.9, "test": 0.8}
    assert M.gap(0.3, 0.1) == pytest.approx(0.2)
    assert M.tow(gold, gold) == 1.0
    assert M.tow(unl, gold) == pytest.approx(0.6 * 0.9 * 1.0)
    assert M.tow_mia(unl, gold, 0.25) == pytest.approx(0.75 * 0.9)


def test_t_interval_matches_hand_computation():
    mean, half = M.t_interval([1.0, 2.0, 3.0])
    # std (ddof=1) = 1, t_{0.975, 2} = 4.302653, half = 4.302653 / sqrt(3)
    assert mean == 2.0
    assert half == pytest.approx(4.302653 / math.sqrt(3), rel=1e-5)
    assert math.isnan(M.t_interval([0.5])[1])
