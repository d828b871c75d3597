"""Entanglement of the forget and retain sets in embedding space (paper 002, §3.1), numpy only.

ES(R, S) = [ mean_{i in R} ||phi_i - mu_R||^2 + mean_{j in S} ||phi_j - mu_S||^2 ]
           / ( 1/2 [ ||mu_R - mu||^2 + ||mu_S - mu||^2 ] )

with phi the original model's penultimate embedding (no augmentation), mu_R, mu_S the two sets' means and mu the
mean of all of D. High ES: the two sets are spread wide relative to how far apart their centres are.

ES forget sets (the authors' code, SPEC.md): sort D by squared distance of its embedding to the global centroid,
cut the order into `groups` equal groups, and take the first n of groups `picks` = (low, medium, high).
centroid="class" measures the distance to the mean of the sample's own class instead (the authors'
`get_distance` takes the number of classes as `num_clusters`; its source is not in their release, so which
centroid they used cannot be checked -- the option lets a run compare).
"""

from __future__ import annotations

import numpy as np

from . import LEVELS


def entanglement_score(emb: np.ndarray, forget_idx) -> float:
    """ES(D \\ S, S) for embeddings emb (N x d) and forget indices S."""
    emb = np.asarray(emb, dtype=np.float64)
    mask = np.zeros(len(emb), dtype=bool)
    mask[np.asarray(forget_idx, dtype=np.int64)] = True
    if mask.all() or not mask.any():
        raise ValueError("entanglement_score: the forget and the retain set must both be non-empty")
    r, s = emb[~mask], emb[mask]
    mu, mu_r, mu_s = emb.mean(0), r.mean(0), s.mean(0)
    within = ((r - mu_r) ** 2).sum(1).mean() + ((s - mu_s) ** 2).sum(1).mean()
    between = 0.5 * (((mu_r - mu) ** 2).sum() + ((mu_s - mu) ** 2).sum())
    return float(within / between) if between > 0 else float("inf")


def centroid_order(emb: np.ndarray, labels=None) -> np.ndarray:
    """Indices of D by squared distance of the embedding to the global centroid -- or, given labels, to the
    centroid of the sample's class -- nearest first, ties by index."""
    emb = np.asarray(emb, dtype=np.float64)
    if labels is None:
        centre = emb.mean(0, keepdims=True)
    else:
        labels = np.asarray(labels)
        centre = np.zeros_like(emb)
        for c in np.unique(labels):
            centre[labels == c] = emb[labels == c].mean(0)
    d = ((emb - centre) ** 2).sum(1)
    return np.argsort(d, kind="stable")


def es_groups(emb: np.ndarray, groups: int, labels=None) -> list[np.ndarray]:
    """The centroid order cut into `groups` equal consecutive groups (np.array_split sizes)."""
    if not 1 <= groups <= len(emb):
        raise ValueError(f"es_groups: {groups} groups for {len(emb)} samples")
    return np.array_split(centroid_order(emb, labels), groups)


def es_forget_sets(emb: np.ndarray, groups: int, picks, n: int, labels=None) -> dict[str, np.ndarray]:
    """{low, medium, high: sorted indices}: the first n (in centroid order) of groups picks[0], picks[1], picks[2].
    labels: per-class centroids (centroid="class"); None: the global centroid."""
    parts = es_groups(emb, groups, labels)
    out = {}
    for level, g in zip(LEVELS, picks, strict=True):
        if not 0 <= g < groups:
            raise ValueError(f"es_forget_sets: group {g} out of range 0..{groups - 1}")
        if len(parts[g]) < n:
            raise ValueError(f"es_forget_sets: group {g} has {len(parts[g])} samples, fewer than n={n}")
        out[level] = np.sort(parts[g][:n])
    return out


def pca_2d(emb: np.ndarray) -> np.ndarray:
    """2-D projection onto the two leading principal components (for the partition figure), deterministic sign."""
    x = np.asarray(emb, dtype=np.float64)
    x = x - x.mean(0)
    _, _, vt = np.linalg.svd(x, full_matrices=False)
    comps = vt[:2]
    comps *= np.sign(comps[np.arange(len(comps)), np.abs(comps).argmax(1)])[:, None]
    out = x @ comps.T
    return out if out.shape[1] == 2 else np.pad(out, ((0, 0), (0, 2 - out.shape[1])))
