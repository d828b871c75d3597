"""Siamese Machine Unlearning (paper 000): the experiment's plan, read by the workflow without torch.

SMU's three settings run on entries of the config's `scenarios` (`smu.scenarios` maps each setting to one), so
the baselines experiment and SMU share forget sets, gold models and the baselines' runs; SMU adds its own
method, its baselines not already run there, the logit-dispersion figure and its tables.
"""

from __future__ import annotations

SETTINGS = ("fullclass", "subclass", "random")
# the scenario kinds each setting accepts (SMU's "sub-class" is a fraction of one class: partial_class)
KINDS = {"fullclass": ("full_class",), "subclass": ("partial_class", "sub_class"), "random": ("random",)}
TITLES = {"fullclass": "full-class", "subclass": "sub-class (a fraction of one class)", "random": "random"}


def settings(cfg: dict | None) -> dict[str, str]:
    """{setting: config scenario name}, in SETTINGS order."""
    if not cfg:
        return {}
    return {s: cfg["scenarios"][s] for s in SETTINGS if s in cfg["scenarios"]}


def scenarios(cfg: dict | None) -> list[str]:
    return list(settings(cfg).values())


def methods(cfg: dict | None) -> list[str]:
    """The models of SMU's tables: gold, original, the baselines, SMU."""
    if not cfg:
        return []
    return ["retrain", "original", *(m for m in cfg["baselines"] if m not in ("retrain", "original", "smu")), "smu"]
