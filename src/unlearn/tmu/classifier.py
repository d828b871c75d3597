"""TMU's generalization-label classifier (paper 001, §4.4): an MLP (64, 32) with ReLU, trained with SGD on
the twin set's features and applied to D_f. Label 1 = easy (the gold model classifies it correctly).

scikit-learn's MLPClassifier with solver="sgd" is the paper's recipe (fixed learning rate 0.01, momentum
0.9, 100 epochs); its `alpha` is an L2 penalty standing in for the paper's weight decay. Features are
standardised with the twin set's mean and std (the paper does not say; the three features differ in scale
by orders of magnitude).
"""

from __future__ import annotations

import warnings

import numpy as np

from . import FEATURE_SETS


def standardise(train: np.ndarray, other: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    mean, std = train.mean(axis=0), train.std(axis=0)
    std = np.where(std > 0, std, 1.0)
    return (train - mean) / std, (other - mean) / std


def fit_predict(x_twin: np.ndarray, y_twin: np.ndarray, x_forget: np.ndarray, cfg: dict, seed: int) -> dict:
    """Train on the twin set, predict D_f. Returns {"easy": 0/1 per D_f sample, "twin_accuracy", "degenerate"}.

    A twin set with one label only (e.g. the original model classifies every D_t image right) cannot train a
    classifier: every D_f sample then gets that label, and `degenerate` says so.
    """
    y_twin = np.asarray(y_twin, dtype=np.int64)
    labels = np.unique(y_twin)
    if len(labels) < 2:
        const = int(labels[0]) if len(labels) else 1
        return {"easy": [const] * len(x_forget), "twin_accuracy": 1.0, "degenerate": True}
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.neural_network import MLPClassifier

    xt, xf = standardise(np.asarray(x_twin, dtype=np.float64), np.asarray(x_forget, dtype=np.float64))
    clf = MLPClassifier(
        hidden_layer_sizes=tuple(cfg["hidden"]),
        activation="relu",
        solver="sgd",
        learning_rate="constant",
        learning_rate_init=float(cfg["lr"]),
        momentum=float(cfg["momentum"]),
        nesterovs_momentum=False,
        alpha=float(cfg["weight_decay"]),
        batch_size=min(200, len(xt)),
        max_iter=int(cfg["epochs"]),
        shuffle=True,
        random_state=int(seed),
        n_iter_no_change=int(cfg["epochs"]) + 1,  # train the full epochs, as the paper does
        tol=0.0,
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        clf.fit(xt, y_twin)
    return {
        "easy": clf.predict(xf).astype(int).tolist(),
        "twin_accuracy": float((clf.predict(xt) == y_twin).mean()),
        "degenerate": False,
    }


def partition(twin_features, twin_easy, forget_features, cfg: dict, seed: int) -> dict:
    """One classifier per feature set of the ablation (NF+AF+CF, NF, AF, CF) -> its D_f labels."""
    out = {}
    for name, cols in FEATURE_SETS.items():
        cols = list(cols)
        out[name] = fit_predict(twin_features[:, cols], twin_easy, forget_features[:, cols], cfg, seed)
    return out


def label_accuracy(predicted_easy, gold_correct) -> float:
    """Share of D_f whose predicted easy/hard label matches the gold model's correctness."""
    p, g = np.asarray(predicted_easy, dtype=bool), np.asarray(gold_correct, dtype=bool)
    if p.shape != g.shape:
        raise ValueError(f"label_accuracy: {p.shape} predictions for {g.shape} gold labels")
    return float((p == g).mean()) if len(p) else float("nan")
