"""The logit-scaled confidence phi = log(p_y / (1 - p_y)) that LiRA (lira.py) reads, on its own: the shadow models
store it (rum/subset_models.py, scripts/lira_shadows.py), so a change to the attack reruns the evaluations, not the
models. numpy only."""

from __future__ import annotations

import numpy as np

TINY = 1e-45  # the reference code's floor inside both logs


def logit_confidence(probs: np.ndarray, labels: np.ndarray) -> np.ndarray:
    """phi = log p_y - log sum_{j != y} p_j for each row of softmax outputs (float64). 1 - p_y is summed from the
    other classes' probabilities, as the reference code does, so a confident float32 softmax keeps its precision."""
    p = np.asarray(probs, dtype=np.float64)
    rows = np.arange(len(labels))
    p_y = p[rows, labels]
    other = p.copy()
    other[rows, labels] = 0.0
    return np.log(p_y + TINY) - np.log(other.sum(axis=1) + TINY)
