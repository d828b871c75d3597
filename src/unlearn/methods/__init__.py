"""Unlearning methods: one module each, one signature.

Every module in this package (except `base`) defines

    REQUIRED: tuple[str, ...]   # method-specific hyperparameters the config entry must give
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


def required_hparams(name: str) -> tuple[str, ...]:
    """The method-specific keys its config entry must give (read without importing torch)."""
    import ast

    tree = ast.parse((_HERE / f"{name}.py").read_text())
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(getattr(t, "id", None) == "REQUIRED" for t in node.targets):
            return tuple(ast.literal_eval(node.value))
    return ()


def module_path(name: str) -> Path:
    return _HERE / f"{name}.py"
