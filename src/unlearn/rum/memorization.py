"""Memorization scores (paper 002, §3.2; Feldman & Zhang 2020) and their cheap proxies, numpy only.

Feldman-Zhang estimator from K models, model k trained on a random subset S_k (a `fraction` of D):

    mem(i) = mean_{k: i in S_k} [f_k(x_i) = y_i]  -  mean_{k: i not in S_k} [f_k(x_i) = y_i]

NaN where i is in every subset or in none (K too small); such samples are left out of the partitions.
Proxies, from the same K models (no extra training runs besides holdout retraining's short fine-tune):
  confidence   mean over the epochs of training (and over the models that trained on i) of the softmax
               probability of the true label -- a learning-speed proxy; expected to fall as mem rises;
  holdout      holdout retraining (Carlini et al. 2019): fine-tune model k on D \\ S_k and measure the symmetric KL
               divergence of its outputs on i in S_k before and after; expected to rise with mem.
"""

from __future__ import annotations

import numpy as np


def subset_mask(n: int, k: int, fraction: float, base_seed: int = 10_000) -> np.ndarray:
    """Model k's training subset of D: round(fraction * n) samples drawn without replacement (seeded by k)."""
    rng = np.random.default_rng(int(base_seed) + int(k))
    mask = np.zeros(int(n), dtype=bool)
    mask[rng.choice(int(n), size=max(1, round(float(fraction) * n)), replace=False)] = True
    return mask


def _masked_mean(values: np.ndarray, mask: np.ndarray) -> np.ndarray:
    count = mask.sum(0)
    total = np.where(mask, values, 0.0).sum(0)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(count > 0, total / np.maximum(count, 1), np.nan)


def feldman_zhang(in_mask: np.ndarray, correct: np.ndarray) -> np.ndarray:
    """mem(i) from K x N arrays: in_mask[k, i] (i in S_k) and correct[k, i] (model k classifies i right)."""
    in_mask, correct = np.asarray(in_mask, dtype=bool), np.asarray(correct, dtype=np.float64)
    if in_mask.shape != correct.shape:
        raise ValueError(f"feldman_zhang: shapes differ {in_mask.shape} vs {correct.shape}")
    return _masked_mean(correct, in_mask) - _masked_mean(correct, ~in_mask)


def confidence_proxy(in_mask: np.ndarray, confidence: np.ndarray) -> np.ndarray:
    """Mean over the models that trained on i of their epoch-averaged true-label confidence on i."""
    return _masked_mean(np.asarray(confidence, dtype=np.float64), np.asarray(in_mask, dtype=bool))


def holdout_proxy(in_mask: np.ndarray, divergence: np.ndarray) -> np.ndarray:
    """Mean over the models that trained on i of the holdout-retraining divergence on i."""
    return _masked_mean(np.asarray(divergence, dtype=np.float64), np.asarray(in_mask, dtype=bool))


def memorization_sets(scores: np.ndarray, n: int) -> dict[str, np.ndarray]:
    """{low, medium, high: sorted indices}: high = the n highest scores, low = the n lowest, medium = the n closest
    to 0.5 among the rest (so the three are disjoint). NaN scores are never chosen. Ties break by index."""
    scores = np.asarray(scores, dtype=np.float64)
    valid = np.flatnonzero(~np.isnan(scores))
    if len(valid) < 3 * n:
        raise ValueError(f"memorization_sets: {len(valid)} scored samples, need 3 x n = {3 * n}")
    order = valid[np.lexsort((valid, -scores[valid]))]  # descending score, then index
    high, low = order[:n], order[::-1][:n]
    rest = np.setdiff1d(valid, np.concatenate([high, low]))
    medium = rest[np.lexsort((rest, np.abs(scores[rest] - 0.5)))][:n]
    return {"low": np.sort(low), "medium": np.sort(medium), "high": np.sort(high)}


def shuffled_parts(indices, parts: int, seed: int) -> list[np.ndarray]:
    """A random partition of `indices` into `parts` equal-size parts (np.array_split sizes), seeded."""
    rng = np.random.default_rng(int(seed))
    return [np.sort(p) for p in np.array_split(rng.permutation(np.asarray(indices, dtype=np.int64)), parts)]


def spearman(a, b) -> float:
    """Spearman rank correlation over the samples where both are finite (NaN with fewer than 3)."""
    from scipy.stats import spearmanr

    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    ok = np.isfinite(a) & np.isfinite(b)
    if ok.sum() < 3:
        return float("nan")
    return float(spearmanr(a[ok], b[ok]).statistic)
