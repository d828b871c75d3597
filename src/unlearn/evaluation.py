"""One evaluation record: a model's outputs against the gold model's on D_f, D_r and D_test.

`summarize` computes what depends on one model only (accuracies, the two MIA scores); `evaluate`
compares a model's summary with the gold model's. One `evaluate` job handles every model of a
(scenario, seed), so the gold summary is computed once there and passed in (an MIA fit on CIFAR-10
scale data takes ~10 s); its metrics file is a list of records, read back with `load_records`.

With shadow models (lira.py) a summary also holds LiRA's offline and online attack on D_f against D_test
(record keys lira_*, lira_online_*; `lira_gap`: |TPR@1%FPR - the gold model's|); without, those keys are absent.
"""

from __future__ import annotations

import numpy as np

from . import lira as L
from . import metrics as M

ACC_KEYS = ("forget", "retain", "test", "test_forgotten", "test_remaining")


def _split(train_y, forget_idx, seed, n_test):
    retain_mask = np.ones(len(train_y), dtype=bool)
    retain_mask[forget_idx] = False
    retain_idx = np.flatnonzero(retain_mask)
    rng = np.random.default_rng(int(seed))
    shadow = rng.choice(retain_idx, size=min(n_test, len(retain_idx)), replace=False)
    return retain_idx, shadow


def lira_summary(probs: dict, train_y, test_y, forget_idx, shadows: dict, min_models: int) -> dict:
    """LiRA on one model: {offline: {auc, tpr_1, tpr_01}, online: {...}, n_unscored, shadows (K)}."""
    phi_tr, phi_te = L.logit_confidence(probs["train"], train_y), L.logit_confidence(probs["test"], test_y)
    out = L.lira(phi_tr, phi_te, shadows, forget_idx, min_models)
    out["shadows"] = len(shadows["in_mask"])
    return out


def summarize(probs: dict, train_y, test_y, forget_idx, forgotten_classes, seed: int, shadows: dict | None = None,
              lira_min_models: int = 8) -> dict:  # fmt: skip
    """Accuracies and MIA scores of one model. probs: {"train": N x K, "test": M x K} softmax outputs.
    forgotten_classes: the classes a scenario removes, or a boolean mask over D_test (fine_class scenarios).

    MIA-efficacy uses a seeded sample of |D_test| retain points as members (SPEC.md); MIA-entropy
    uses all of D_r with balanced class weights. shadows (lira.load_shadows): also LiRA's attack.
    """
    retain_idx, shadow = _split(train_y, forget_idx, seed, len(test_y))
    if isinstance(forgotten_classes, np.ndarray) and forgotten_classes.dtype == bool:  # a mask over D_test
        test_forgotten = forgotten_classes
    else:
        test_forgotten = np.isin(test_y, forgotten_classes)
    tr, te = probs["train"], probs["test"]
    conf_tr, conf_te = M.true_label_prob(tr, train_y), M.true_label_prob(te, test_y)
    ent_tr, ent_te = M.entropy(tr), M.entropy(te)
    out = {
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
    if shadows is not None:
        out["lira"] = lira_summary(probs, train_y, test_y, forget_idx, shadows, lira_min_models)
    return out


def lira_fields(summary: dict, prefix: str = "") -> dict:
    """The record keys of a summary's LiRA part: lira_<metric> (offline), lira_online_<metric>, lira_unscored,
    lira_shadows; {} without one."""
    lira = summary.get("lira")
    if not lira:
        return {}
    out = {f"{prefix}lira_{k}": v for k, v in lira["offline"].items()}
    out.update({f"{prefix}lira_online_{k}": v for k, v in lira["online"].items()})
    out.update({f"{prefix}lira_unscored": lira["n_unscored"], f"{prefix}lira_shadows": lira["shadows"]})
    return out


def ulira_fields(probs_u: dict, probs_g: dict, train_y, forget_idx, shadows: dict, min_models: int = 8) -> dict:
    """U-LiRA's record keys for a model with unlearned shadows (lira.ulira): ulira_auc, ulira_tpr_1, ulira_tpr_01
    (the model's D_f against the gold model's D_f), ulira_unscored, ulira_shadows."""
    phi_u, phi_g = L.logit_confidence(probs_u["train"], train_y), L.logit_confidence(probs_g["train"], train_y)
    out = L.ulira(phi_u, phi_g, shadows, forget_idx, min_models)
    fields = {f"ulira_{k}": v for k, v in out.items() if k != "n_unscored"}
    return {**fields, "ulira_unscored": out["n_unscored"], "ulira_shadows": len(shadows["in_mask"])}


def load_records(paths) -> list[dict]:
    """The records of every model in the given metrics files (one list per (scenario, seed))."""
    from .io import load_json

    return [record for path in paths for record in load_json(path)]


def summary_from_record(record: dict) -> dict:
    """The gold model's summary, read back from its own evaluation record."""
    out = {
        "acc": {k: record[f"acc_{k}"] for k in ACC_KEYS},
        "mia_efficacy": record["mia_efficacy"],
        "mia_entropy": record["mia_entropy"],
    }
    if "lira_auc" in record:
        out["lira"] = {
            side: {k: record[f"lira_{pre}{k}"] for k in ("auc", *L.FPRS)}
            for side, pre in (("offline", ""), ("online", "online_"))
        }
        out["lira"].update(n_unscored=record["lira_unscored"], shadows=record["lira_shadows"])
    return out


def evaluate(
    probs_u: dict,
    probs_g: dict,
    train_y: np.ndarray,
    test_y: np.ndarray,
    forget_idx: np.ndarray,
    forgotten_classes: list[int],
    seed: int,
    gold_summary: dict | None = None,
    shadows: dict | None = None,
    lira_min_models: int = 8,
) -> dict:
    """Flat dict of every metric of the model with outputs probs_u against the gold model (probs_g).

    gold_summary: the gold model's `summarize` result when already known (else computed from probs_g).
    shadows: LiRA's shadow outputs (lira.load_shadows), or None (no LiRA keys).
    """
    u = summarize(probs_u, train_y, test_y, forget_idx, forgotten_classes, seed, shadows, lira_min_models)
    g = gold_summary or summarize(probs_g, train_y, test_y, forget_idx, forgotten_classes, seed, shadows,
                                  lira_min_models)  # fmt: skip
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
    if "lira" in u and "lira" in g:
        record.update(lira_fields(u))
        record.update({k: v for k, v in lira_fields(g, "gold_").items() if "unscored" not in k and "shadows" not in k})
        record["lira_gap"] = M.gap(u["lira"]["offline"]["tpr_1"], g["lira"]["offline"]["tpr_1"])
        record["lira_auc_gap"] = M.gap(u["lira"]["offline"]["auc"], g["lira"]["offline"]["auc"])
    return record
