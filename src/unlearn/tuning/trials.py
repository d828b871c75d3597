"""Running one method's trials on one validation forget set, in one process (start-up paid once): each trial
unlearns a fresh copy of the original model, is scored against the validation set's gold model, and the choice
follows the declared objective (tuning/__init__.py)."""

from __future__ import annotations

import copy
import logging
import time

import numpy as np
import torch

from .. import methods
from ..evaluation import evaluate, summarize
from ..forget import forgotten_test_mask
from ..loader import predict_proba
from ..methods.base import UnlearnData
from ..training import seed_everything
from . import choose, cost, objective_value

log = logging.getLogger("tune")
KEPT = ("acc_forget", "acc_retain", "acc_test", "gold_acc_forget", "gold_acc_retain", "gold_acc_test",
        "mia_efficacy", "gold_mia_efficacy", "mia_gap", "tow", "tow_mia")  # fmt: skip


def run_trials(method: str, base: dict, points: list[dict], original, data: UnlearnData, test_x, gold_probs: dict,
               labels: dict, forget: dict, *, seed: int, objective: str, batch_size: int) -> dict:  # fmt: skip
    """Every trial's metrics and the chosen one: {"method", "objective", "trials": [...], "chosen": {...}}. A trial
    runs the configured hyperparameters (`base`) with one grid point on top; the configured values themselves run
    too when they are no grid point (`configured: true`, never chosen: the tables show them beside the choice)."""
    train_y, test_y = labels["train"], labels["test"]
    forget_idx = np.asarray(forget["indices"], dtype=np.int64)
    forgotten = forgotten_test_mask(forget["spec"], test_y, labels.get("test_fine"))
    gold = summarize(gold_probs, train_y, test_y, forget_idx, forgotten, seed)
    module = methods.get(method)
    configured = {k: base[k] for k in (points[0] if points else {}) if k in base}
    runs = [(point, point == configured) for point in points]
    if configured and not any(flag for _, flag in runs):
        runs.append((configured, True))
    records = []
    for i, (point, is_configured) in enumerate(runs):
        hp = {**base, **point}
        seed_everything(seed)
        start = time.perf_counter()
        model = module.unlearn(copy.deepcopy(original), data, dict(hp), seed=seed)
        seconds = time.perf_counter() - start
        probs = {
            "train": predict_proba(model, data.x, batch_size, data.device).numpy(),
            "test": predict_proba(model, test_x, batch_size, data.device).numpy(),
        }
        metrics = evaluate(probs, gold_probs, train_y, test_y, forget_idx, forgotten, seed, gold_summary=gold)
        metrics = {k: float(metrics[k]) for k in KEPT}
        record = {"trial": i, "point": point, "hp": hp, "metrics": metrics, "seconds": seconds, "cost": cost(hp),
                  "configured": is_configured, "in_space": i < len(points)}  # fmt: skip
        record["objective"] = objective_value(metrics, objective)
        log.info("%s trial %d/%d %s: acc D_f %.3f D_r %.3f test %.3f, %s %.4f (%.1fs)", method, i + 1, len(runs),
                 point, metrics["acc_forget"], metrics["acc_retain"], metrics["acc_test"], objective,
                 record["objective"], seconds)  # fmt: skip
        records.append(record)
        del model
        if str(data.device).startswith("cuda"):
            torch.cuda.empty_cache()
    best = choose(records[: len(points)], objective)
    log.info("%s: chose trial %d %s", method, best, records[best]["point"])
    return {"method": method, "objective": objective, "trials": records, "chosen": records[best]}
