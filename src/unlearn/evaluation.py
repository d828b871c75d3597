"""One evaluation record: a model's outputs against the gold model's on D_f, D_r and D_test."""

from __future__ import annotations

import numpy as np

from . import metrics as M


def evaluate(
    probs_u: dict,
    probs_g: dict,
    train_y: np.ndarray,
    test_y: np.ndarray,
    forget_idx: np.ndarray,
    forgotten_classes: list[int],
    seed: int,
) -> dict:
    """probs_*: {"train": N x K, "test": M x K} softmax outputs. Returns a flat dict of metrics.

    MIA-efficacy uses a seeded sample of |D_test| retain points as members (SPEC.md); MIA-entropy
    uses all of D_r with balanced class weights.
    """
    retain_mask = np.ones(len(train_y), dtype=bool)
    retain_mask[forget_idx] = False
    retain_idx = np.flatnonzero(retain_mask)
    rng = np.random.default_rng(int(seed))
    shadow = rng.choice(retain_idx, size=min(len(test_y), len(retain_idx)), replace=False)
    test_forgotten = np.isin(test_y, forgotten_classes)

    def summary(p):
        tr, te = p["train"], p["test"]
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

    u, g = summary(probs_u), summary(probs_g)
    record = {f"acc_{k}": v for k, v in u["acc"].items()}
    record.update({f"gold_acc_{k}": v for k, v in g["acc"].items()})
    gap_eff = M.gap(u["mia_efficacy"], g["mia_efficacy"])
    gap_ent = M.gap(u["mia_entropy"], g["mia_entropy"])
    record.update(
        {
            "delta_forget": M.alignment_delta(u["acc"]["forget"], g["acc"]["forget"]),
            "activation_distance": M.activation_distance(probs_u["train"][forget_idx], probs_g["train"][forget_idx]),
            "mia_efficacy": u["mia_efficacy"],
            "mia_entropy": u["mia_entropy"],
            "gold_mia_efficacy": g["mia_efficacy"],
            "gold_mia_entropy": g["mia_entropy"],
            "mia_gap": gap_eff,
            "mia_entropy_gap": gap_ent,
            "tow": M.tow(u["acc"], g["acc"]),
            "tow_mia": M.tow_mia(u["acc"], g["acc"], gap_eff),
            "n_forget": len(forget_idx),
            "n_retain": len(retain_idx),
            "n_test": len(test_y),
        }
    )
    return record
