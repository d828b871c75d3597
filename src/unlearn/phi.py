"""What the shadow models behind LiRA (lira.py) store, kept apart from the attack: the logit-scaled confidence
phi = log(p_y / (1 - p_y)) and the seeds of LiRA's and U-LiRA's own shadows. The shadow models' rules import this
module, not lira.py, so a change to the attack (or to metrics.py, which it imports) reruns the evaluations, not the
models. numpy only."""

from __future__ import annotations

import numpy as np

TINY = 1e-45  # the reference code's floor inside both logs
SHADOW_SEED = 20_000  # model k of LiRA's own shadows (`mia.shadows`) trains on subset k seeded SHADOW_SEED + k
ULIRA_SEED = 30_000  # U-LiRA's shadow originals (`mia.unlearned_shadows`), likewise


def logit_confidence(probs: np.ndarray, labels: np.ndarray) -> np.ndarray:
    """phi = log p_y - log sum_{j != y} p_j for each row of softmax outputs (float64). 1 - p_y is summed from the
    other classes' probabilities, as the reference code does, so a confident float32 softmax keeps its precision."""
    p = np.asarray(probs, dtype=np.float64)
    rows = np.arange(len(labels))
    p_y = p[rows, labels]
    other = p.copy()
    other[rows, labels] = 0.0
    return np.log(p_y + TINY) - np.log(other.sum(axis=1) + TINY)
