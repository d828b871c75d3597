"""Unlearning methods: one module each, one signature.

Every module in this package (except `base`) defines

    REQUIRED: tuple[str, ...]   # method-specific hyperparameters the config entry must give
    OPTIONAL: tuple[str, ...]   # (optional) method-specific keys it may give; anything else is a config error
    CHOICES: dict[str, tuple]   # (optional) the allowed values of a key, e.g. {"variant": ("paper", "rum_code")}
    NEEDS: tuple[str, ...]      # (optional) UnlearnData fields only a paper's rules provide (TMU: forget_easy);
                                # such a method runs only inside that paper's experiment, never in `baselines`
    CONFIGURABLE: bool          # (optional) False for a composite an experiment builds (RUM's `sequence`)
    SPACE: dict[str, list]      # (optional) its tuning grid (tuning/__init__.py); config: tuning.space.<name>
    TUNE_FROM: tuple[str, str]  # (optional) (key, default): tuned as the method that key names (TMU's `hard`)
    def unlearn(model, data: UnlearnData, hp: dict, *, seed: int) -> torch.nn.Module

`model` is a copy of the original model (already on data.device); `hp` is the method's config entry
(common optimiser keys: epochs, lr, batch_size, optimizer, momentum, weight_decay, schedule).
Adding a method is one module here plus one entry under `methods:` in the config.
"""

from __future__ import annotations

import functools
import importlib
import pkgutil
from pathlib import Path

_HERE = Path(__file__).resolve().parent
_PRIVATE = {"base"}


def modules() -> list[str]:
    """Every method module of this package (no import of torch needed)."""
    return sorted(m.name for m in pkgutil.iter_modules([str(_HERE)]) if m.name not in _PRIVATE)


def available() -> list[str]:
    """The method names a config's `methods:` may configure (every module but the composites)."""
    return [m for m in modules() if _constant(m, "CONFIGURABLE", True)]


def needs(name: str) -> tuple[str, ...]:
    """The UnlearnData fields only a paper's rules provide (its NEEDS)."""
    return tuple(_constant(name, "NEEDS", ()))


def standalone(name: str) -> bool:
    """Whether the method runs on any forget set (it NEEDS nothing a paper's own rules provide)."""
    return not needs(name)


def get(name: str):
    if name not in modules():
        raise ValueError(f"methods: unknown method '{name}'; allowed: {', '.join(available())}")
    return importlib.import_module(f"{__name__}.{name}")


@functools.cache
def _tree(name: str):
    import ast

    return ast.parse((_HERE / f"{name}.py").read_text())


def _constant(name: str, constant: str, default):
    """A literal constant of a method module (REQUIRED, OPTIONAL, CHOICES, NEEDS, CONFIGURABLE), read without
    importing it (or torch)."""
    import ast

    tree = _tree(name)
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


def space(name: str) -> dict[str, list]:
    """The method's own tuning grid (its SPACE; {} when it has none)."""
    return dict(_constant(name, "SPACE", {}))


def tune_from(name: str) -> tuple[str, str] | None:
    """(key, default) when the method takes the choice of the method that key names (its TUNE_FROM)."""
    value = _constant(name, "TUNE_FROM", None)
    return tuple(value) if value else None


def module_path(name: str) -> Path:
    return _HERE / f"{name}.py"
