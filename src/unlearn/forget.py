"""Forget-set scenarios (SPEC.md): each a pure function of (training labels, scenario spec, seed).

A spec is one entry of the config's `scenarios` mapping:
  {kind: full_class,    class: c}                 all training samples of class c
  {kind: sub_class,     class: c, n: n}           n random samples of class c (TMU's sense)
  {kind: partial_class, class: c, fraction: p}    round(p * |class c|) random samples of class c (SMU's "sub-class")
  {kind: random,        n: n}  or  {fraction: p}  uniformly random training samples
  {kind: fine_class,    fine: f}                  every training sample of fine class f (CIFAR-20: the models
                                                  learn the super-classes; SPEC's rocket/mushroom/baby/lamp/sea)
Indices are sorted positions into the training set.
"""

from __future__ import annotations

import numpy as np

KINDS = ("full_class", "sub_class", "partial_class", "random", "fine_class")
CLASS_KINDS = ("full_class", "sub_class", "partial_class")


class ScenarioError(ValueError):
    pass


def forget_size(spec: dict, class_counts: list[int]) -> int:
    """Size of the forget set a spec asks for; ScenarioError naming the field when impossible."""
    kind = spec["kind"]
    if kind not in KINDS:
        raise ScenarioError(f"kind: unknown scenario kind '{kind}'; allowed: {', '.join(KINDS)}")
    total = int(sum(class_counts))
    if kind == "fine_class":  # the size is the fine class's, known from the fine labels (the forget_set job)
        if spec.get("fine") is None:
            raise ScenarioError("fine: required for kind fine_class (a fine class index or name)")
        return 1
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


def forget_indices(labels: np.ndarray, spec: dict, seed: int, fine: np.ndarray | None = None) -> np.ndarray:
    """Sorted training-set indices of the forget set for `spec` and `seed` (`fine`: the fine labels, for
    fine_class scenarios)."""
    labels = np.asarray(labels)
    if spec["kind"] == "fine_class":
        if fine is None:
            raise ScenarioError("kind: fine_class needs a dataset with fine labels (dataset.name: cifar20)")
        chosen = np.flatnonzero(np.asarray(fine) == int(spec["fine"]))
        chosen = np.setdiff1d(chosen, excluded_indices(labels, spec.get("exclude") or [], fine))
        if len(chosen) == 0 or len(chosen) == len(labels):
            raise ScenarioError(f"fine: fine class {spec['fine']} has {len(chosen)} of {len(labels)} training samples")
        return chosen.astype(np.int64)
    counts = np.bincount(labels, minlength=int(labels.max()) + 1).tolist()
    n = forget_size(spec, counts)
    rng = np.random.default_rng(int(seed))
    pool = np.flatnonzero(labels == int(spec["class"])) if spec["kind"] in CLASS_KINDS else np.arange(len(labels))
    excluded = excluded_indices(labels, spec.get("exclude") or [], fine)
    if len(excluded):
        pool = np.setdiff1d(pool, excluded)
        if spec["kind"] != "full_class" and n > len(pool):
            raise ScenarioError(f"n: {n} samples asked for, {len(pool)} left once the test forget sets are excluded")
    chosen = pool if spec["kind"] == "full_class" else rng.choice(pool, size=n, replace=False)
    return np.sort(chosen).astype(np.int64)


def excluded_indices(labels: np.ndarray, exclude: list[dict], fine: np.ndarray | None = None) -> np.ndarray:
    """The union of other forget sets ([{spec, seeds}]), recomputed from their specs: a validation forget set's
    pool leaves out every test forget set without reading their files (tuning/__init__.py)."""
    found = [forget_indices(labels, e["spec"], s, fine) for e in exclude for s in e["seeds"]]
    return np.unique(np.concatenate(found)) if found else np.zeros(0, dtype=np.int64)


def forgotten_classes(spec: dict) -> list[int]:
    """Classes removed entirely by a scenario (used for test accuracy on forgotten vs remaining classes)."""
    return [int(spec["class"])] if spec["kind"] == "full_class" else []


def forgotten_test_mask(spec: dict, test_y: np.ndarray, fine_test: np.ndarray | None = None) -> np.ndarray:
    """Test images of what a scenario removes entirely: its class (full_class) or its fine class (fine_class);
    none for the other kinds. The tables' "forgotten / remaining classes" test accuracies split on it."""
    if spec["kind"] == "fine_class":
        return np.asarray(fine_test) == int(spec["fine"])
    return np.isin(np.asarray(test_y), forgotten_classes(spec))
