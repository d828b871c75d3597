"""Forget-set scenarios (SPEC.md): each a pure function of (training labels, scenario spec, seed).

A spec is one entry of the config's `scenarios` mapping:
  {kind: full_class,    class: c}                 all training samples of class c
  {kind: sub_class,     class: c, n: n}           n random samples of class c (TMU's sense)
  {kind: partial_class, class: c, fraction: p}    round(p * |class c|) random samples of class c (SMU's "sub-class")
  {kind: random,        n: n}  or  {fraction: p}  uniformly random training samples
Indices are sorted positions into the training set.
"""

from __future__ import annotations

import numpy as np

KINDS = ("full_class", "sub_class", "partial_class", "random")
CLASS_KINDS = ("full_class", "sub_class", "partial_class")


class ScenarioError(ValueError):
    pass


def forget_size(spec: dict, class_counts: list[int]) -> int:
    """Size of the forget set a spec asks for; ScenarioError naming the field when impossible."""
    kind = spec["kind"]
    if kind not in KINDS:
        raise ScenarioError(f"kind: unknown scenario kind '{kind}'; allowed: {', '.join(KINDS)}")
    total = int(sum(class_counts))
    if kind in CLASS_KINDS:
        c = spec.get("class")
        if c is None:
            raise ScenarioError(f"class: required for kind {kind}")
        if not 0 <= int(c) < len(class_counts):
            raise ScenarioError(f"class: {c} is out of range; allowed: 0..{len(class_counts) - 1}")
        available = int(class_counts[int(c)])
    else:
        available = total
    if kind == "full_class":
        n = available
    elif "n" in spec and spec["n"] is not None:
        n = int(spec["n"])
        if kind == "partial_class":
            raise ScenarioError("n: partial_class takes 'fraction', not 'n'")
    elif "fraction" in spec and spec["fraction"] is not None:
        if kind == "sub_class":
            raise ScenarioError("fraction: sub_class takes 'n', not 'fraction'")
        n = round(float(spec["fraction"]) * available)
    else:
        needs = {"sub_class": "n", "partial_class": "fraction"}.get(kind, "n or fraction")
        raise ScenarioError(f"n: kind {kind} needs {needs}")
    if n < 1:
        raise ScenarioError(f"n: forget set would be empty (asks for {n})")
    if n > available:
        where = f"class {spec.get('class')}" if kind in CLASS_KINDS else "the training set"
        raise ScenarioError(f"n: forget size {n} is larger than {where} ({available} samples)")
    if kind != "full_class" and n >= total:
        raise ScenarioError(f"n: forget size {n} leaves no retain data")
    return n


def forget_indices(labels: np.ndarray, spec: dict, seed: int) -> np.ndarray:
    """Sorted training-set indices of the forget set for `spec` and `seed`."""
    labels = np.asarray(labels)
    counts = np.bincount(labels, minlength=int(labels.max()) + 1).tolist()
    n = forget_size(spec, counts)
    rng = np.random.default_rng(int(seed))
    pool = np.flatnonzero(labels == int(spec["class"])) if spec["kind"] in CLASS_KINDS else np.arange(len(labels))
    chosen = pool if spec["kind"] == "full_class" else rng.choice(pool, size=n, replace=False)
    return np.sort(chosen).astype(np.int64)


def forgotten_classes(spec: dict) -> list[int]:
    """Classes removed entirely by a scenario (used for test accuracy on forgotten vs remaining classes)."""
    return [int(spec["class"])] if spec["kind"] == "full_class" else []
