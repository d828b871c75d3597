"""The evaluation record on a hand-built case: two models that differ on every set, every column checked against a
value worked out by hand; which rows each MIA is fitted on; the seeded member sample; the gold summary reuse."""

import math

import numpy as np
import pytest

from unlearn import evaluation as E
from unlearn import metrics as M

# Four kinds of softmax rows over 4 classes (true label first; `_row` rotates them onto a label):
SURE = [0.94, 0.02, 0.02, 0.02]  # right and confident: true-label prob 0.94, entropy 0.293 (member-like)
UNSURE = [0.4, 0.2, 0.2, 0.2]  # right but unsure: 0.4, entropy 1.332 (test-like)
WRONG = [0.2, 0.6, 0.1, 0.1]  # wrong: 0.2, entropy 1.089 (test-like)
SURE_WRONG = [0.02, 0.94, 0.02, 0.02]  # confidently wrong: 0.02 (non-member for MIA-efficacy) but entropy 0.293
# (member for MIA-entropy): the one kind on which the two MIA conventions disagree


def _row(kind, label):
    return np.roll(np.array(kind, dtype=float), label)


def _rows(kinds, labels):
    return np.stack([_row(k, y) for k, y in zip(kinds, labels, strict=True)])


# D: 16 retain rows (0..15) and D_f = rows 16..19; D_test: 8 rows, two of them of the forgotten class 3
TRAIN_Y = np.array([0, 1, 2, 0, 1, 2, 0, 1, 2, 0, 1, 2, 0, 1, 2, 0, 3, 3, 3, 3])
TEST_Y = np.array([3, 3, 0, 1, 2, 0, 1, 2])
FORGET = np.arange(16, 20)

# unlearned model: D_r 16/16 right; D_f 3/4 right (2 sure, 1 unsure, 1 sure-wrong); test: class 3 0/2, others 5/6
U = {
    "train": _rows([SURE] * 16 + [SURE, SURE, UNSURE, SURE_WRONG], TRAIN_Y),
    "test": _rows([WRONG, WRONG] + [UNSURE] * 5 + [WRONG], TEST_Y),
}
# gold model: D_r 15/16 right (row 5 wrong); D_f 2/4 right (2 unsure, 2 wrong); test: class 3 1/2, others 3/6
G = {
    "train": _rows([SURE] * 5 + [WRONG] + [SURE] * 10 + [UNSURE, UNSURE, WRONG, WRONG], TRAIN_Y),
    "test": _rows([UNSURE, WRONG] + [UNSURE] * 3 + [WRONG] * 3, TEST_Y),
}


def record(seed=0):
    return E.evaluate(U, G, TRAIN_Y, TEST_Y, FORGET, [3], seed=seed)


def test_every_column_of_a_record_where_the_models_differ():
    r = record()
    acc = {k: r[f"acc_{k}"] for k in E.ACC_KEYS}
    gold = {k: r[f"gold_acc_{k}"] for k in E.ACC_KEYS}
    assert acc == {"forget": 0.75, "retain": 1.0, "test": 0.625, "test_forgotten": 0.0, "test_remaining": 5 / 6}
    assert gold == {"forget": 0.5, "retain": 15 / 16, "test": 0.5, "test_forgotten": 0.5, "test_remaining": 0.5}
    assert r["delta_forget"] == pytest.approx(25.0)
    # MIA-efficacy = share of D_f predicted non-member from its true-label probability: the unlearned model's
    # unsure and sure-wrong rows (2 of 4); every gold row (all have low confidence)
    assert (r["mia_efficacy"], r["gold_mia_efficacy"]) == (0.5, 1.0)
    # MIA-entropy = share of D_f predicted member from its entropy: the two sure rows and the sure-wrong one (3 of
    # 4) for the unlearned model; none of the gold model's (all high entropy)
    assert (r["mia_entropy"], r["gold_mia_entropy"]) == (0.75, 0.0)
    # the gaps, one with the unlearned value below the gold one and one above it, are both positive
    assert (r["mia_gap"], r["mia_entropy_gap"]) == (0.5, 0.75)
    # ToW: forget 1 - |0.75 - 0.5|, retain 1 - 1/16, test 1 - |0.625 - 0.5|; ToW-MIA: the MIA-efficacy gap instead
    assert r["tow"] == pytest.approx(0.75 * 0.9375 * 0.875)
    assert r["tow_mia"] == pytest.approx(0.5 * 0.9375 * 0.875)
    # activation distance on D_f: |SURE - UNSURE| twice, |UNSURE - WRONG| and |SURE_WRONG - WRONG| (same label)
    d_sure_unsure = math.sqrt(0.54**2 + 3 * 0.18**2)
    d_unsure_wrong = math.sqrt(0.2**2 + 0.4**2 + 2 * 0.1**2)
    d_surewrong_wrong = math.sqrt(0.18**2 + 0.34**2 + 2 * 0.08**2)
    expected = (2 * d_sure_unsure + d_unsure_wrong + d_surewrong_wrong) / 4
    assert r["activation_distance"] == pytest.approx(expected, abs=1e-12)
    assert (r["n_forget"], r["n_retain"], r["n_test"]) == (4, 16, 8)


def test_gaps_are_symmetric_when_the_models_swap_roles():
    swapped = E.evaluate(G, U, TRAIN_Y, TEST_Y, FORGET, [3], seed=0)
    r = record()
    for col in ("mia_gap", "mia_entropy_gap", "delta_forget", "tow", "tow_mia", "activation_distance"):
        assert swapped[col] == pytest.approx(r[col]), col
    assert (swapped["mia_efficacy"], swapped["gold_mia_efficacy"]) == (1.0, 0.5)


def test_a_fine_class_mask_selects_the_forgotten_test_rows():
    mask = np.zeros(len(TEST_Y), dtype=bool)
    mask[[2, 7]] = True  # two test rows of classes 0 and 2: the unlearned model gets the first right
    r = E.evaluate(U, G, TRAIN_Y, TEST_Y, FORGET, mask, seed=0)
    assert (r["acc_test_forgotten"], r["acc_test_remaining"]) == (0.5, 4 / 6)


@pytest.fixture
def fit_sets(monkeypatch):
    """The arrays each MIA function receives (members, non-members, targets), recorded and passed through."""
    seen = {}

    def spy(name):
        real = getattr(M, name)

        def call(members, non_members, targets):
            seen.setdefault(name, []).append((members.copy(), non_members.copy(), targets.copy()))
            return real(members, non_members, targets)

        return call

    for name in ("mia_efficacy", "mia_entropy"):
        monkeypatch.setattr(M, name, spy(name))
    return seen


def _distinct_model():
    """Outputs whose true-label probability and entropy identify the row: 0.5 + i/100 for training row i."""
    k = 4
    p_train = 0.5 + np.arange(len(TRAIN_Y)) / 100
    p_test = 0.1 + np.arange(len(TEST_Y)) / 100

    def rows(p, y):
        out = np.repeat(((1 - p) / (k - 1))[:, None], k, axis=1)
        out[np.arange(len(y)), y] = p
        return out

    return {"train": rows(p_train, TRAIN_Y), "test": rows(p_test, TEST_Y)}, p_train, p_test


def test_each_mia_is_fitted_on_its_own_rows(fit_sets):
    model, p_train, p_test = _distinct_model()
    E.summarize(model, TRAIN_Y, TEST_Y, FORGET, [3], seed=0)
    members, non_members, targets = fit_sets["mia_efficacy"][0]
    # MIA-efficacy (SalUn/RUM): |D_test| members drawn from D_r, all of D_test as non-members, D_f as targets
    assert len(members) == len(TEST_Y) and set(members) <= set(p_train[:16])
    assert np.array_equal(non_members, p_test) and np.array_equal(targets, p_train[16:])
    # MIA-entropy (SSD): all of D_r as members, in order; D_test as non-members; D_f as targets
    ent = M.entropy(model["train"])
    members, non_members, targets = fit_sets["mia_entropy"][0]
    assert np.array_equal(members, ent[:16]) and np.array_equal(targets, ent[16:])
    assert np.array_equal(non_members, M.entropy(model["test"]))


def test_the_member_sample_is_seeded_random_and_never_from_d_f(fit_sets):
    model, _, _ = _distinct_model()
    for seed in (0, 0, 1, 2):
        E.summarize(model, TRAIN_Y, TEST_Y, FORGET, [3], seed=seed)
    s0, s0_again, s1, s2 = (np.round((m - 0.5) * 100).astype(int) for m, _, _ in fit_sets["mia_efficacy"])
    assert np.array_equal(s0, s0_again), "the same seed draws the same members"
    assert not np.array_equal(np.sort(s0), np.sort(s1)) and not np.array_equal(np.sort(s1), np.sort(s2))
    for s in (s0, s1, s2):
        assert len(set(s)) == 8 and set(s) <= set(range(16)), "8 distinct retain rows, no D_f row"
    assert not all(np.array_equal(np.sort(s), np.arange(8)) for s in (s0, s1, s2)), "not the first |D_test| rows"


def test_gold_summary_from_its_record_gives_the_same_record():
    gold_record = E.evaluate(G, G, TRAIN_Y, TEST_Y, FORGET, [3], seed=1)
    reused = E.evaluate(U, G, TRAIN_Y, TEST_Y, FORGET, [3], seed=1, gold_summary=E.summary_from_record(gold_record))
    assert reused == record(seed=1)
