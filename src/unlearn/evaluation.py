"""One evaluation record: a model's outputs against the gold model's on D_f, D_r and D_test.

`summarize` computes what depends on one model only (accuracies, the two MIA scores); `evaluate`
compares a model's summary with the gold model's. One `evaluate` job handles every model of a
(scenario, seed), so the gold summary is computed once there and passed in (an MIA fit on CIFAR-10
scale data takes ~10 s); its metrics file is a list of records, read back with `load_records`.
"""

from __future__ import annotations

import numpy as np

from . import metrics as M

ACC_KEYS = ("forget", "retain", "test", "test_forgotten", "test_remaining")


def _split(train_y, forget_idx, seed, n_test):
    retain_mask = np.ones(len(train_y), dtype=bool)
    retain_mask[forget_idx] = False
    retain_idx = np.flatnonzero(retain_mask)
    rng = np.random.default_rng(int(seed))
    shadow = rng.choice(retain_idx, size=min(n_test, len(retain_idx)), replace=False)
    return retain_idx, shadow


def summarize(probs: dict, train_y, test_y, forget_idx, forgotten_classes, seed: int) -> dict:
    """Accuracies and MIA scores of one model. probs: {"train": N x K, "test": M x K} softmax outputs.
    forgotten_classes: the classes a scenario removes, or a boolean mask over D_test (fine_class scenarios).

    MIA-efficacy uses a seeded sample of |D_test| retain points as members (SPEC.md); MIA-entropy
    uses all of D_r with balanced class weights.
    """
    retain_idx, shadow = _split(train_y, forget_idx, seed, len(test_y))
    if isinstance(forgotten_classes, np.ndarray) and forgotten_classes.dtype == bool:  # a mask over D_test
        test_forgotten = forgotten_classes
    else:
        test_forgotten = np.isin(test_y, forgotten_classes)
    tr, te = probs["train"], probs["test"]
    conf_tr, conf_te = M.true_label_prob(tr, train_y), M.true_label_prob(te, test_y)
    ent_tr, ent_te = M.entropy(tr), M.entropy(te)
    return {
        "acc": {
            "forget": M.accuracy(tr[forget_idx], train_y[forget_idx]),
            "retain": M.accuracy(tr[retain_idx], train_y[retain_idx]),
            "test": M.accuracy(te, test_y),
            "test_forgotten": M.accuracy(te[test_forgotten], test_y[test_forgotten]),
            "test_remaining": M.accuracy(te[~test_forgotten], test_y[~test_forgotten]),
        },
        "mia_efficacy": M.mia_efficacy(conf_tr[shadow], conf_te, conf_tr[forget_idx]),
        "mia_entropy": M.mia_entropy(ent_tr[retain_idx], ent_te, ent_tr[forget_idx]),
    }


def load_records(paths) -> list[dict]:
    """The records of every model in the given metrics files (one list per (scenario, seed))."""
    from .io import load_json

    return [record for path in paths for record in load_json(path)]


def summary_from_record(record: dict) -> dict:
    """The gold model's summary, read back from its own evaluation record."""
    return {
        "acc": {k: record[f"acc_{k}"] for k in ACC_KEYS},
        "mia_efficacy": record["mia_efficacy"],
        "mia_entropy": record["mia_entropy"],
    }


def evaluate(
    probs_u: dict,
    probs_g: dict,
    train_y: np.ndarray,
    test_y: np.ndarray,
    forget_idx: np.ndarray,
    forgotten_classes: list[int],
    seed: int,
    gold_summary: dict | None = None,
) -> dict:
    """Flat dict of every metric of the model with outputs probs_u against the gold model (probs_g).

    gold_summary: the gold model's `summarize` result when already known (else computed from probs_g).
    """
    u = summarize(probs_u, train_y, test_y, forget_idx, forgotten_classes, seed)
    g = gold_summary or summarize(probs_g, train_y, test_y, forget_idx, forgotten_classes, seed)
    record = {f"acc_{k}": v for k, v in u["acc"].items()}
    record.update({f"gold_acc_{k}": v for k, v in g["acc"].items()})
    gap_eff = M.gap(u["mia_efficacy"], g["mia_efficacy"])
    record.update(
        {
            "delta_forget": M.alignment_delta(u["acc"]["forget"], g["acc"]["forget"]),
            "activation_distance": M.activation_distance(probs_u["train"][forget_idx], probs_g["train"][forget_idx]),
            "mia_efficacy": u["mia_efficacy"],
            "mia_entropy": u["mia_entropy"],
            "gold_mia_efficacy": g["mia_efficacy"],
            "gold_mia_entropy": g["mia_entropy"],
            "mia_gap": gap_eff,
            "mia_entropy_gap": M.gap(u["mia_entropy"], g["mia_entropy"]),
            "tow": M.tow(u["acc"], g["acc"]),
            "tow_mia": M.tow_mia(u["acc"], g["acc"], gap_eff),
            "n_forget": len(forget_idx),
            "n_retain": len(train_y) - len(forget_idx),
            "n_test": len(test_y),
        }
    )
    return record
