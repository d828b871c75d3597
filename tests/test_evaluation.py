"""The evaluation record: gold against itself, and the gold summary read back from its own record."""

import numpy as np
import pytest

from unlearn.evaluation import evaluate, summary_from_record


def fake_outputs(rng, labels, skill):
    """Softmax-like outputs that put `skill` extra mass on the true label."""
    p = rng.dirichlet(np.ones(5), size=len(labels))
    p[np.arange(len(labels)), labels] += skill
    return p / p.sum(1, keepdims=True)


@pytest.fixture
def problem():
    rng = np.random.default_rng(0)
    train_y, test_y = rng.integers(0, 5, 400), rng.integers(0, 5, 100)
    forget = np.flatnonzero(train_y == 2)
    gold = {"train": fake_outputs(rng, train_y, 1.0), "test": fake_outputs(rng, test_y, 0.5)}
    gold["train"][forget] = fake_outputs(rng, train_y[forget], 0.0)  # the gold model never saw D_f
    other = {"train": fake_outputs(rng, train_y, 2.0), "test": fake_outputs(rng, test_y, 0.5)}
    return gold, other, train_y, test_y, forget


def test_gold_against_itself_is_perfectly_aligned(problem):
    gold, _, train_y, test_y, forget = problem
    r = evaluate(gold, gold, train_y, test_y, forget, [2], seed=0)
    assert r["tow"] == 1.0 and r["tow_mia"] == 1.0 and r["mia_gap"] == 0.0 and r["delta_forget"] == 0.0
    assert r["activation_distance"] == 0.0 and r["acc_test_forgotten"] == r["gold_acc_test_forgotten"]
    assert r["n_forget"] == len(forget) and r["n_retain"] == 400 - len(forget)


def test_gold_summary_from_its_record_gives_the_same_record(problem):
    gold, other, train_y, test_y, forget = problem
    gold_record = evaluate(gold, gold, train_y, test_y, forget, [2], seed=1)
    direct = evaluate(other, gold, train_y, test_y, forget, [2], seed=1)
    reused = evaluate(other, gold, train_y, test_y, forget, [2], seed=1, gold_summary=summary_from_record(gold_record))
    assert reused == direct
    assert direct["acc_forget"] > direct["gold_acc_forget"] and direct["tow"] < 1.0
