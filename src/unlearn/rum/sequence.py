"""RUM's meta-algorithm (paper 002, §5): unlearn a forget set S as a sequence of parts, each with its own method.

Step k runs method_k on the model the previous step left, with D_f = part_k and D_r =
  D \\ (part_1 + ... + part_k) (retain="seen_parts", default: parts not yet reached stay in D_r, as the authors'
                              code does for the memorization sequences behind the paper's RUM table), or
  D \\ S                      (retain="forget_set": the whole request is known up front, as the authors' code
                              does for its ES sequences). Then methods that only train on D_r (Fine-tune,
                              L1-sparse) make the same model whatever the parts and their order.
"""

from __future__ import annotations

import dataclasses
import logging

import torch

from .. import methods as registry
from ..methods.base import UnlearnData

log = logging.getLogger("unlearn.rum")
RETAIN_MODES = ("forget_set", "seen_parts")


def run_sequence(model, data: UnlearnData, parts, steps, *, retain: str = "seen_parts", seed: int):
    """parts: index tensors into D (in order); steps: [(method name, hyperparameters)], one per part.
    `data.forget_idx` must be the union of the parts. Returns (model, one record per step)."""
    if len(parts) != len(steps):
        raise ValueError(f"run_sequence: {len(parts)} parts but {len(steps)} steps")
    if retain not in RETAIN_MODES:
        raise ValueError(f"run_sequence: retain must be one of {', '.join(RETAIN_MODES)}, not {retain!r}")
    parts = [torch.as_tensor(p, dtype=torch.long) for p in parts]
    union = torch.cat(parts)
    if len(union) != len(data.forget_idx) or set(union.tolist()) != set(data.forget_idx.tolist()):
        raise ValueError("run_sequence: the parts are not a partition of the forget set")
    records, seen = [], []
    for k, (part, (name, hp)) in enumerate(zip(parts, steps, strict=True)):
        if name == "retrain":
            raise ValueError("run_sequence: retrain is not a step (it starts from scratch)")
        seen.append(part)
        step = dataclasses.replace(data, forget_idx=part)
        excluded = data.forget_idx if retain == "forget_set" else torch.cat(seen)
        keep = torch.ones(len(data.y), dtype=torch.bool)
        keep[excluded] = False
        step.retain_idx = torch.nonzero(keep).flatten()
        log.info("step %d/%d: %s on %d samples, |D_r| = %d", k + 1, len(parts), name, len(part), len(step.retain_idx))
        model = registry.get(name).unlearn(model, step, dict(hp), seed=seed + 100 * k)
        records.append({"step": k + 1, "method": name, "forget": part.tolist(), "n_retain": len(step.retain_idx)})
    return model, records
