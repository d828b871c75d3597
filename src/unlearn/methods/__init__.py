"""Unlearning methods: one module each, one signature.

Every module in this package (except `base`) defines

    REQUIRED: tuple[str, ...]   # method-specific hyperparameters the config entry must give
    OPTIONAL: tuple[str, ...]   # (optional) method-specific keys it may give; anything else is a config error
    CHOICES: dict[str, tuple]   # (optional) the allowed values of a key, e.g. {"variant": ("paper", "rum_code")}
    def unlearn(model, data: UnlearnData, hp: dict, *, seed: int) -> torch.nn.Module

`model` is a copy of the original model (already on data.device); `hp` is the method's config entry
(common optimiser keys: epochs, lr, batch_size, optimizer, momentum, weight_decay, schedule).
Adding a method is one module here plus one entry under `methods:` in the config.
"""

from __future__ import annotations

import importlib
import pkgutil
from pathlib import Path

_HERE = Path(__file__).resolve().parent
_PRIVATE = {"base"}


def available() -> list[str]:
    """Method names: the modules of this package (no import of torch needed)."""
    return sorted(m.name for m in pkgutil.iter_modules([str(_HERE)]) if m.name not in _PRIVATE)


def get(name: str):
    if name not in available():
        raise ValueError(f"methods: unknown method '{name}'; allowed: {', '.join(available())}")
    return importlib.import_module(f"{__name__}.{name}")


def _constant(name: str, constant: str, default):
    """A literal constant of a method module (REQUIRED, OPTIONAL, CHOICES), read without importing it (or torch)."""
    import ast

    tree = ast.parse((_HERE / f"{name}.py").read_text())
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(getattr(t, "id", None) == constant for t in node.targets):
            return ast.literal_eval(node.value)
    return default


def _declared(name: str, constant: str) -> tuple[str, ...]:
    """A tuple constant of a method module (REQUIRED, OPTIONAL)."""
    return tuple(_constant(name, constant, ()))


def choices(name: str) -> dict[str, tuple]:
    """The allowed values of a method's keys (its CHOICES), read without importing it."""
    return dict(_constant(name, "CHOICES", {}))


def required_hparams(name: str) -> tuple[str, ...]:
    """The method-specific keys its config entry must give."""
    return _declared(name, "REQUIRED")


def own_hparams(name: str) -> tuple[str, ...]:
    """Every method-specific key its config entry may give: REQUIRED plus OPTIONAL (the common optimiser keys
    come on top); any other key is a config error."""
    return _declared(name, "REQUIRED") + _declared(name, "OPTIONAL")


def module_path(name: str) -> Path:
    return _HERE / f"{name}.py"
