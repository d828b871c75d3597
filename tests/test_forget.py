"""Forget-set scenarios: size, class, determinism, errors."""

import re

import numpy as np
import pytest

from unlearn.forget import ScenarioError, forget_indices, forget_size

LABELS = np.repeat(np.arange(5), [10, 20, 30, 40, 50])  # 150 samples, class c has 10*(c+1)


def test_full_class_takes_the_whole_class():
    idx = forget_indices(LABELS, {"kind": "full_class", "class": 2}, seed=0)
    assert len(idx) == 30 and set(LABELS[idx]) == {2}
    assert np.array_equal(idx, np.flatnonzero(LABELS == 2))


def test_sub_class_n_samples_of_the_class():
    idx = forget_indices(LABELS, {"kind": "sub_class", "class": 3, "n": 7}, seed=1)
    assert len(idx) == 7 and set(LABELS[idx]) == {3} and len(set(idx)) == 7
    assert np.all(np.diff(idx) > 0)


def test_partial_class_fraction_of_the_class():
    idx = forget_indices(LABELS, {"kind": "partial_class", "class": 4, "fraction": 0.1}, seed=0)
    assert len(idx) == 5 and set(LABELS[idx]) == {4}


def test_random_n_and_fraction():
    assert len(forget_indices(LABELS, {"kind": "random", "n": 12}, seed=0)) == 12
    idx = forget_indices(LABELS, {"kind": "random", "fraction": 0.2}, seed=0)
    assert len(idx) == 30 and len(set(LABELS[idx])) > 1


@pytest.mark.parametrize(
    "spec",
    [
        {"kind": "sub_class", "class": 3, "n": 7},
        {"kind": "partial_class", "class": 4, "fraction": 0.3},
        {"kind": "random", "n": 20},
    ],
)
def test_deterministic_in_seed(spec):
    a = forget_indices(LABELS, spec, seed=3)
    assert np.array_equal(a, forget_indices(LABELS, spec, seed=3))
    assert not np.array_equal(a, forget_indices(LABELS, spec, seed=4))


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ({"kind": "full_class", "class": 5}, "class: 5 is out of range; allowed: 0..4"),
        ({"kind": "sub_class", "class": 0, "n": 11}, "n: forget size 11 is larger than class 0 (10 samples)"),
        ({"kind": "random", "n": 151}, "larger than the training set"),
        ({"kind": "random", "n": 150}, "leaves no retain data"),
        ({"kind": "sub_class", "class": 1}, "n: kind sub_class needs n"),
        ({"kind": "everything"}, "kind: unknown scenario kind 'everything'"),
    ],
)
def test_impossible_specs_name_the_field(spec, message):
    with pytest.raises(ScenarioError, match=re.escape(message)):
        forget_size(spec, np.bincount(LABELS).tolist())
