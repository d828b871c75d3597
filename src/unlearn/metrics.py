"""Evaluation metrics (SPEC.md), each a pure function of model outputs. numpy + scikit-learn only.

Accuracies are fractions in [0, 1]; `alignment_delta` is in points (0..100), as TMU reports it.
"""

from __future__ import annotations

import math

import numpy as np


def accuracy(probs: np.ndarray, labels: np.ndarray) -> float:
    """Fraction of rows whose argmax equals the label (NaN for an empty set)."""
    if len(labels) == 0:
        return float("nan")
    return float(np.mean(np.argmax(probs, axis=1) == labels))


def alignment_delta(acc_unlearned: float, acc_gold: float) -> float:
    """TMU's alignment Delta = |Acc(M_u, D_f) - Acc(M_g, D_f)| in points."""
    return 100.0 * abs(acc_unlearned - acc_gold)


def activation_distance(probs_u: np.ndarray, probs_g: np.ndarray) -> float:
    """Mean over samples of the L2 distance between the two models' softmax outputs."""
    return float(np.mean(np.linalg.norm(probs_u - probs_g, axis=1)))


def true_label_prob(probs: np.ndarray, labels: np.ndarray) -> np.ndarray:
    return probs[np.arange(len(labels)), labels]


def entropy(probs: np.ndarray) -> np.ndarray:
    p = np.clip(probs, 1e-12, 1.0)
    return -np.sum(p * np.log(p), axis=1)


def mia_efficacy(retain_conf: np.ndarray, test_conf: np.ndarray, forget_conf: np.ndarray) -> float:
    """RUM/SalUn MIA: SVC(C=3, rbf, gamma='auto') on true-label confidence, retain = member (1), test = 0.

    `retain_conf` should hold |D_test| retain samples. Returns the fraction of D_f predicted non-member.
    """
    from sklearn.svm import SVC

    x = np.concatenate([retain_conf, test_conf]).reshape(-1, 1)
    y = np.concatenate([np.ones(len(retain_conf)), np.zeros(len(test_conf))])
    clf = SVC(C=3, gamma="auto", kernel="rbf").fit(x, y)
    return float(1.0 - clf.predict(forget_conf.reshape(-1, 1)).mean())


def mia_entropy(retain_ent: np.ndarray, test_ent: np.ndarray, forget_ent: np.ndarray) -> float:
    """SMU/SSD/Bad Teacher MIA: balanced logistic regression on softmax entropy, retain = 1, test = 0.

    Returns the fraction of D_f predicted member (SMU's "MIA 0.00" is this score).
    """
    from sklearn.linear_model import LogisticRegression

    x = np.concatenate([retain_ent, test_ent]).reshape(-1, 1)
    y = np.concatenate([np.ones(len(retain_ent)), np.zeros(len(test_ent))])
    clf = LogisticRegression(class_weight="balanced").fit(x, y)
    return float(clf.predict(forget_ent.reshape(-1, 1)).mean())


def gap(value_unlearned: float, value_gold: float) -> float:
    """|metric(M_u) - metric(M_g)|, e.g. the MIA gap."""
    return abs(value_unlearned - value_gold)


def tow(acc_u: dict, acc_g: dict) -> float:
    """Tug-of-War (RUM): product over forget/retain/test of (1 - |acc_u - acc_g|), accuracies as fractions."""
    return float(np.prod([1.0 - abs(acc_u[k] - acc_g[k]) for k in ("forget", "retain", "test")]))


def tow_mia(acc_u: dict, acc_g: dict, mia_gap_value: float) -> float:
    """ToW with the forget-accuracy factor replaced by 1 - MIA gap."""
    return float((1.0 - mia_gap_value) * np.prod([1.0 - abs(acc_u[k] - acc_g[k]) for k in ("retain", "test")]))


def t_interval(values, confidence: float = 0.95) -> tuple[float, float]:
    """Mean and half-width of the Student-t confidence interval over seeds (half-width NaN for one value)."""
    from scipy import stats

    v = np.asarray([x for x in values if not (isinstance(x, float) and math.isnan(x))], dtype=float)
    if len(v) == 0:
        return float("nan"), float("nan")
    if len(v) == 1:
        return float(v[0]), float("nan")
    half = stats.t.ppf(0.5 + confidence / 2, len(v) - 1) * v.std(ddof=1) / math.sqrt(len(v))
    return float(v.mean()), float(half)
