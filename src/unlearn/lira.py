"""LiRA, the per-example likelihood-ratio membership attack (Carlini et al. 2022), for D_f against D_test.

numpy + scipy only. For every target example i the attack reads

  phi_i       the logit-scaled confidence log(p_y / (1 - p_y)) of the model under attack (`logit_confidence`:
              1 - p_y is summed from the other classes' probabilities, as the reference code does, so a
              confident float32 softmax keeps its precision)
  shadows     phi_i over K shadow models, and which of them trained on i (`in_mask`, K x N): the memorization
              subset models (RUM) or `mia: {shadows: K}`; no shadow trained on D_test, so every test example
              has K out-models

and scores it two ways:

  offline     against the out-Gaussian N(mu_out_i, sigma_out_i^2) fitted to the out-models' phi_i: the
              one-sided test of the paper (eq. 4), score = log P[Z < phi_i] (higher: more likely a member)
  online      the log-likelihood ratio log N(phi_i; mu_in_i, sigma_in) - log N(phi_i; mu_out_i, sigma_out)
              where in-models exist; an example no shadow trained on (every test example) takes
              mu_in_i = mu_out_i + the mean in-out shift over the examples that have both

sigma: per example where an example has at least `min_models` models on that side, else the global value (the
pooled standard deviation around each example's mean, over all examples with >= 2 such models); Carlini et al.
recommend the global ("fixed") variance below ~64 shadows. An example with no out-model has no score (NaN): it
is left out of AUC and TPR, and `lira` reports how many were.

`lira` reports, for D_f (members) against D_test (non-members): the AUC, and the TPR at 1% and 0.1% FPR, the
threshold set on D_test's scores alone (`tpr_at_fpr`). `summary` / `record_fields` turn it into an evaluation
record's keys (scripts/evaluate.py); evaluation.py does not import this module, so the tuning trials (which
evaluate without LiRA) do not rerun when the attack changes.
"""

from __future__ import annotations

import numpy as np
from scipy.stats import norm

from . import metrics as M
from .phi import TINY, logit_confidence  # noqa: F401  (re-exported: lira.logit_confidence)

FPRS = {"tpr_1": 0.01, "tpr_01": 0.001}
KEYS = ("in_mask", "phi", "phi_test")


def _side_stats(phi: np.ndarray, mask: np.ndarray, min_models: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per-example mean and sigma of phi (K x N) over the models where mask is True, and their count; sigma is
    the global pooled value where fewer than `min_models` (or < 2) models are on that side."""
    count = mask.sum(axis=0)
    total = np.where(mask, phi, 0.0).sum(axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = np.where(count > 0, total / np.maximum(count, 1), np.nan)
        resid = np.where(mask, phi - mean, 0.0)
        sq = (resid**2).sum(axis=0)
        per_example = np.where(count > 1, np.sqrt(sq / np.maximum(count, 1)), np.nan)
    pooled_n = count[count > 1].sum()
    global_sigma = float(np.sqrt(sq[count > 1].sum() / pooled_n)) if pooled_n else float("nan")
    sigma = np.where(count >= max(int(min_models), 2), per_example, global_sigma)
    return mean, sigma, count


def fit_shadows(phi: np.ndarray, in_mask: np.ndarray, min_models: int = 8) -> dict:
    """The in- and out-Gaussians of each example from shadow phi (K x N) and in_mask (K x N, True: trained on it)."""
    phi, in_mask = np.asarray(phi, dtype=np.float64), np.asarray(in_mask, dtype=bool)
    if phi.shape != in_mask.shape:
        raise ValueError(f"lira: shadow phi has shape {phi.shape}, in_mask {in_mask.shape}")
    mu_out, sd_out, n_out = _side_stats(phi, ~in_mask, min_models)
    mu_in, sd_in, n_in = _side_stats(phi, in_mask, min_models)
    both = (n_in > 0) & (n_out > 0)
    shift = float(np.mean(mu_in[both] - mu_out[both])) if both.any() else float("nan")
    _, sd_in_global, _ = _side_stats(phi, in_mask, np.iinfo(np.int64).max)  # every example on the global sigma
    sd_in_global = float(sd_in_global[0]) if len(sd_in_global) else float("nan")
    mu_in = np.where(n_in > 0, mu_in, mu_out + shift)
    sd_in = np.where(n_in > 0, sd_in, sd_in_global)
    return {"mu_out": mu_out, "sd_out": sd_out, "n_out": n_out, "mu_in": mu_in, "sd_in": sd_in, "n_in": n_in,
            "shift": shift}  # fmt: skip


def offline_score(phi: np.ndarray, fit: dict) -> np.ndarray:
    """log P[Z < phi], Z ~ N(mu_out, sd_out^2): the one-sided offline test (NaN where no out-model)."""
    with np.errstate(invalid="ignore", divide="ignore"):
        return norm.logcdf(np.asarray(phi, dtype=np.float64), fit["mu_out"], fit["sd_out"])


def online_score(phi: np.ndarray, fit: dict) -> np.ndarray:
    """log N(phi; mu_in, sd_in) - log N(phi; mu_out, sd_out) (NaN where no out-model)."""
    phi = np.asarray(phi, dtype=np.float64)
    with np.errstate(invalid="ignore", divide="ignore"):
        return norm.logpdf(phi, fit["mu_in"], fit["sd_in"]) - norm.logpdf(phi, fit["mu_out"], fit["sd_out"])


def tpr_at_fpr(member: np.ndarray, nonmember: np.ndarray, fpr: float) -> float:
    """The fraction of members scored above the threshold that flags at most `fpr` of the non-members: with the
    non-members' scores sorted high to low, t_1 >= t_2 >= ..., and m = floor(fpr * n) false positives allowed,
    the threshold is t_{m+1} and a score counts as a member when strictly above it."""
    member, nonmember = np.asarray(member, dtype=np.float64), np.asarray(nonmember, dtype=np.float64)
    if len(member) == 0 or len(nonmember) == 0:
        return float("nan")
    allowed = int(np.floor(fpr * len(nonmember) + 1e-9))
    threshold = np.sort(nonmember)[::-1][min(allowed, len(nonmember) - 1)]
    return float(np.mean(member > threshold))


def auc(member: np.ndarray, nonmember: np.ndarray) -> float:
    """P[score(member) > score(non-member)] + P[tie] / 2 (the Mann-Whitney form of the ROC AUC)."""
    from scipy.stats import rankdata

    member, nonmember = np.asarray(member, dtype=np.float64), np.asarray(nonmember, dtype=np.float64)
    if len(member) == 0 or len(nonmember) == 0:
        return float("nan")
    ranks = rankdata(np.concatenate([member, nonmember]))
    n_m, n_n = len(member), len(nonmember)
    return float((ranks[:n_m].sum() - n_m * (n_m + 1) / 2) / (n_m * n_n))


def attack_metrics(member: np.ndarray, nonmember: np.ndarray) -> dict:
    """AUC and the TPR at each FPR of FPRS; NaN scores (no out-model) left out."""
    member, nonmember = np.asarray(member), np.asarray(nonmember)
    member, nonmember = member[~np.isnan(member)], nonmember[~np.isnan(nonmember)]
    out = {"auc": auc(member, nonmember)}
    out.update({key: tpr_at_fpr(member, nonmember, fpr) for key, fpr in FPRS.items()})
    return out


def lira(phi_train: np.ndarray, phi_test: np.ndarray, shadows: dict, forget_idx, min_models: int = 8) -> dict:
    """The attack on D_f (rows forget_idx of D) against D_test. phi_*: the target model's logit confidences on D
    and D_test; shadows: {"in_mask": K x N, "phi": K x N, "phi_test": K x M}. Returns {offline: {auc, tpr_1,
    tpr_01}, online: {...}, n_unscored}."""
    forget_idx = np.asarray(forget_idx, dtype=np.int64)
    in_mask = np.asarray(shadows["in_mask"], dtype=bool)
    k, n = in_mask.shape
    m = np.shape(shadows["phi_test"])[1]
    # fitted on every example of D and D_test, so the global sigma and the in-out shift do not depend on D_f
    phi = np.concatenate([np.asarray(shadows["phi"]), np.asarray(shadows["phi_test"])], axis=1)
    fit = fit_shadows(phi, np.concatenate([in_mask, np.zeros((k, m), dtype=bool)], axis=1), min_models)
    rows = np.concatenate([forget_idx, n + np.arange(m)])
    fit = {key: (v[rows] if isinstance(v, np.ndarray) else v) for key, v in fit.items()}
    target = np.concatenate([np.asarray(phi_train)[forget_idx], np.asarray(phi_test)])
    n_f = len(forget_idx)
    out = {}
    for name, score in (("offline", offline_score), ("online", online_score)):
        s = score(target, fit)
        out[name] = attack_metrics(s[:n_f], s[n_f:])
    out["n_unscored"] = int((fit["n_out"][:n_f] == 0).sum())
    return out


def load_shadows(paths) -> dict:
    """The shadow files' in_mask, phi and phi_test, stacked in file order (K x N, K x N, K x M)."""
    parts = [np.load(p) for p in paths]
    for p, part in zip(paths, parts, strict=True):
        missing = [k for k in KEYS if k not in part.files]
        if missing:
            raise ValueError(f"{p}: no {', '.join(missing)} (trained before LiRA; delete it to retrain)")
    return {k: np.concatenate([part[k] for part in parts]) for k in KEYS}


def ulira(phi_u: np.ndarray, phi_g: np.ndarray, shadows: dict, forget_idx, min_models: int = 8) -> dict:
    """U-LiRA (Hayes et al. 2024): can a per-example test tell the unlearned model from the gold one on D_f?

    shadows: U shadow originals, each trained on its random share S_u of D and then unlearned by the method under
    test on D_f & S_u (with S_u minus D_f as its retain set): {"in_mask": U x N (S_u), "phi": U x N (phi after
    unlearning)}. For each example i of D_f, the shadows that trained on i and unlearned it give the "unlearned"
    Gaussian, those that never saw i the "retrained" one (both went through the same unlearning run). Each model's
    phi_i is scored by the likelihood ratio unlearned / retrained (`online_score`); members: the unlearned model's
    D_f scores, non-members: the gold model's. Returns {auc, tpr_1, tpr_01, n_unscored}: AUC 0.5 and TPR at the
    FPR mean the unlearning looks like retraining to this attack."""
    forget_idx = np.asarray(forget_idx, dtype=np.int64)
    fit = fit_shadows(np.asarray(shadows["phi"])[:, forget_idx], np.asarray(shadows["in_mask"], bool)[:, forget_idx],
                      min_models)  # fmt: skip
    s_u = online_score(np.asarray(phi_u)[forget_idx], fit)
    s_g = online_score(np.asarray(phi_g)[forget_idx], fit)
    out = attack_metrics(s_u, s_g)
    out["n_unscored"] = int((fit["n_out"] == 0).sum())
    return out


# ---- evaluation record keys (scripts/evaluate.py) ----------------------------------------------------------------
def summary(probs: dict, train_y, test_y, forget_idx, shadows: dict, min_models: int = 8) -> dict:
    """LiRA on one model's softmax outputs {"train", "test"}: {offline: {auc, tpr_1, tpr_01}, online: {...},
    n_unscored, shadows (K)}."""
    phi_tr, phi_te = logit_confidence(probs["train"], train_y), logit_confidence(probs["test"], test_y)
    out = lira(phi_tr, phi_te, shadows, forget_idx, min_models)
    out["shadows"] = len(shadows["in_mask"])
    return out


def fields(s: dict, prefix: str = "") -> dict:
    """A summary's record keys: lira_<metric> (offline), lira_online_<metric>, lira_unscored, lira_shadows."""
    out = {f"{prefix}lira_{k}": v for k, v in s["offline"].items()}
    out.update({f"{prefix}lira_online_{k}": v for k, v in s["online"].items()})
    return {**out, f"{prefix}lira_unscored": s["n_unscored"], f"{prefix}lira_shadows": s["shadows"]}


def record_fields(own: dict, gold: dict) -> dict:
    """A model's LiRA keys beside the gold model's (gold_lira_*), and the gaps: lira_gap = |TPR@1% - gold's|,
    lira_auc_gap = |AUC - gold's|."""
    out = fields(own)
    out.update({k: v for k, v in fields(gold, "gold_").items() if "unscored" not in k and "shadows" not in k})
    out["lira_gap"] = M.gap(own["offline"]["tpr_1"], gold["offline"]["tpr_1"])
    out["lira_auc_gap"] = M.gap(own["offline"]["auc"], gold["offline"]["auc"])
    return out


def ulira_fields(probs_u: dict, probs_g: dict, train_y, forget_idx, shadows: dict, min_models: int = 8) -> dict:
    """U-LiRA's record keys for a model with unlearned shadows (`ulira`): ulira_auc, ulira_tpr_1, ulira_tpr_01 (the
    model's D_f against the gold model's D_f), ulira_unscored, ulira_shadows."""
    phi_u, phi_g = logit_confidence(probs_u["train"], train_y), logit_confidence(probs_g["train"], train_y)
    out = ulira(phi_u, phi_g, shadows, forget_idx, min_models)
    keys = {f"ulira_{k}": v for k, v in out.items() if k != "n_unscored"}
    return {**keys, "ulira_unscored": out["n_unscored"], "ulira_shadows": len(shadows["in_mask"])}
