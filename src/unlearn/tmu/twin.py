"""The twin problem's data (paper 001, §4.2): how many extra forget-class images D_t the twin model is
fine-tuned on, and which ones (numpy only)."""

from __future__ import annotations

import numpy as np


def twin_size(n_forget: int, n_train: int) -> int:
    """|D_t| so the twin problem keeps the original forgetting ratio (paper Eq. 3).

    Original problem: forget D_f, keep D_r, with D = D_r + D_f (n_train images). Twin problem: forget D_t,
    keep D (its "gold model" is the original model). Eq. 3: |D_t| / |D| = |D_f| / |D_r|.
    """
    n_forget, n_train = int(n_forget), int(n_train)
    if not 0 < n_forget < n_train:
        raise ValueError(f"twin_size: need 0 < |D_f| ({n_forget}) < |D| ({n_train})")
    return max(1, round(n_forget * n_train / (n_train - n_forget)))


def choose_twin(pool: np.ndarray, size: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Pick D_t from `pool` (held-out indices of the forget class): `size` of them at random when the pool
    is large enough, else all of them plus random repeats that are to become augmented copies.

    Returns (indices into the hold-out set, bool mask of the rows that are augmented copies).
    """
    pool = np.asarray(pool, dtype=np.int64)
    if len(pool) == 0:
        raise ValueError("choose_twin: no held-out images of the forget class (dataset.holdout_per_class)")
    rng = np.random.default_rng(int(seed))
    if len(pool) >= size:
        chosen = np.sort(rng.choice(pool, size=size, replace=False))
        return chosen, np.zeros(size, dtype=bool)
    repeats = rng.choice(pool, size=size - len(pool), replace=True)
    chosen = np.concatenate([np.sort(pool), repeats])
    return chosen, np.arange(size) >= len(pool)
