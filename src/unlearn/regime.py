"""The regime a run's models sit in: how well the original and gold models fit their own training data.

Every paper studies models that fit their training data (~100% train accuracy) and generalise much less well
to unseen data; only then is there something to unlearn (the gap between seen and unseen data). Each table
and claims file states the regime of the models behind it in one line: the original models' accuracy on D
and on D_test, and the gold models' accuracy on their own training set D_r and on D_test.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

FIT = 0.99  # the papers' regime: a model fits its training data


def original_stats(probs: list[dict], seeds: list[int], train_y, test_y) -> pd.DataFrame:
    """One row per original model: seed, accuracy on D (its training set) and on D_test."""
    rows = [
        {
            "seed": int(seed),
            "train_acc": float((p["train"].argmax(1) == train_y).mean()),
            "test_acc": float((p["test"].argmax(1) == test_y).mean()),
        }
        for p, seed in zip(probs, seeds, strict=True)
    ]
    return pd.DataFrame(rows, columns=["seed", "train_acc", "test_acc"])


def gold_stats(records: pd.DataFrame) -> pd.DataFrame:
    """One row per gold model (method `retrain` of a (scenario, seed)): accuracy on its D_r and on D_test."""
    gold = records[records["method"] == "retrain"].drop_duplicates(["scenario", "seed"])
    return pd.DataFrame(
        {
            "scenario": gold["scenario"].astype(str).to_numpy(),
            "seed": gold["seed"].astype(int).to_numpy(),
            "train_acc": gold["acc_retain"].astype(float).to_numpy(),
            "test_acc": gold["acc_test"].astype(float).to_numpy(),
        }
    )


def summary(originals: pd.DataFrame, golds: pd.DataFrame) -> dict:
    def part(df):
        if df.empty:
            return {"n": 0}
        return {
            "n": len(df),
            "train_mean": float(df["train_acc"].mean()),
            "train_min": float(df["train_acc"].min()),
            "test_mean": float(df["test_acc"].mean()),
        }

    out = {"original": part(originals), "gold": part(golds)}
    fitted = [out[k]["train_min"] >= FIT for k in ("original", "gold") if out[k]["n"]]
    out["fits"] = bool(fitted) and all(fitted)
    return out


def text(s: dict) -> str:
    """'Regime: original models 100.0% on D (min 99.9%) / 42.0% on D_test (3 models); gold models ... : met.'"""

    def part(name, train_set, p):
        if not p["n"]:
            return f"{name}: none"
        return (
            f"{name} {100 * p['train_mean']:.1f}% on {train_set} (min {100 * p['train_min']:.1f}%) / "
            f"{100 * p['test_mean']:.1f}% on D_test ({p['n']} model{'s' if p['n'] != 1 else ''})"
        )

    verdict = "met" if s["fits"] else "**not met**"
    return (
        f"Regime: {part('original models', 'D', s['original'])}; {part('gold models', 'their D_r', s['gold'])}. "
        f"The papers' regime (every model ≥ {100 * FIT:.0f}% on its own training set): {verdict}."
    )


def from_files(original_probs: list[str], seeds: list[int], labels_path: str, records: pd.DataFrame) -> str:
    """The regime line of a table from the original models' outputs and the table's own metric records."""
    labels = np.load(labels_path)
    probs = [np.load(p) for p in original_probs]
    originals = original_stats(probs, seeds, labels["train"], labels["test"])
    return text(summary(originals, gold_stats(records)))
