"""Papers and survey families as plug-ins: one interface, one registry.

An experiment of the workflow (the baselines table, a paper, a survey family) is an `Experiment`: its config
check, the settings it reads (its config section with derived values filled in), its scenarios, the models it
evaluates on a scenario, its outputs per target rule, its scale line and its claims files. The plan
(`plan.py`) asks every active experiment for these and knows nothing of any one of them.

Experiments are found in the packages of this library: a package with a `plugin.py` that defines
`EXPERIMENTS = [...]` contributes them (`tmu/plugin.py`, `rum/plugin.py`, ...). Adding a paper is one package
with such a module, one rule file `rules/<key>.smk` (included by the Snakefile through the registry), its
section of `schemas/config.schema.yaml` and its tests; no shared file changes. Nothing here imports torch.
"""

from __future__ import annotations

import functools
import importlib
import pkgutil
from dataclasses import dataclass, field
from pathlib import Path

_HERE = Path(__file__).resolve().parent


@dataclass(frozen=True)
class DatasetFacts:
    """What a config check knows of the dataset: class names, and the training set's class counts when the
    data was read (None with `dataset.verify: false`, a plan-only check)."""

    name: str
    class_names: list[str]
    counts: list[int] | None = None
    holdout_per_class: int = 0
    fine_names: list[str] | None = None

    @property
    def n_train(self) -> int | None:
        return int(sum(self.counts)) if self.counts is not None else None


def static_facts(dataset: dict) -> DatasetFacts:
    """The dataset facts known without reading it: class names (indices as names when the kind has none), fine
    names, the hold-out."""
    from .data import dataset_kind

    kind = dataset_kind(dataset["name"])
    names = kind.class_names or [str(c) for c in range(kind.num_classes)]
    holdout = int(dataset.get("holdout_per_class") or 0)
    return DatasetFacts(dataset["name"], list(names), None, holdout, kind.fine_names)


@dataclass(frozen=True)
class Method:
    """An unlearning job's method: the `methods/` module that runs, its hyperparameters, and the other
    method modules it calls (a sequence's steps), whose code the job depends on too."""

    module: str
    hp: dict = field(default_factory=dict)
    calls: tuple[str, ...] = ()


class Experiment:
    """One paper's (or family's) part of the workflow. Every method has a default that adds nothing, so a
    plug-in defines only what it has. `plan` is the `Plan` being read (plan.py); `plan.settings(key)` is this
    experiment's section as returned by `settings`."""

    key: str = ""  # its config section: absent or empty = not run
    title: str = ""  # the `paper` column of its claims rows, e.g. "TMU (001)"
    position: int = 100  # order in `all`, in the comparison page, among the models of a shared scenario
    targets: tuple[str, ...] = ()  # the target rules its outputs belong to (default: its key)
    rules: str | None = None  # its rule file (default rules/<key>.smk)
    per_seed_models: tuple[str, ...] = ()  # models trained once per seed, not per scenario (models/<name>/s<seed>)

    def target_names(self) -> tuple[str, ...]:
        return self.targets or (self.key,)

    def rule_file(self) -> str:
        return self.rules or f"rules/{self.key}.smk"

    def active(self, config: dict) -> bool:
        return bool(config.get(self.key))

    # -- the config ------------------------------------------------------------------------------------------
    def check(self, config: dict, data: DatasetFacts) -> None:
        """Raise ValueError('<field>: <problem>') for what the schema cannot express. Never changes config."""

    def settings(self, config: dict, data: DatasetFacts) -> dict:
        """The section as the plan and the rules read it: a copy with derived values (seeds defaulted, names
        resolved). The config itself stays as validated."""
        return dict(config.get(self.key) or {})

    def params(self, plan, *keys) -> dict:
        """The part of its settings a rule reads (changing another key does not rerun that rule)."""
        cfg = plan.settings(self.key)
        return {k: cfg[k] for k in keys}

    # -- the experiment --------------------------------------------------------------------------------------
    def seeds(self, plan) -> list[int]:
        return list(plan.settings(self.key).get("seeds") or [])

    def original_seeds(self, plan) -> list[int]:
        """Seeds whose original model (`train_original`) it reads."""
        return []

    def scenarios(self, plan) -> dict[str, dict]:
        """Its own forget sets: name -> spec (kinds of forget.KINDS are made by `forget_set`, others by its
        rules)."""
        return {}

    def methods(self, plan) -> dict[str, Method]:
        """Unlearning jobs it adds beyond the `methods:` entries (e.g. RUM's sequences)."""
        return {}

    def evaluates(self, plan, scenario: str, seed: int) -> list[str]:
        """The models it scores on (scenario, seed), in table order ([] when the scenario is not its own)."""
        return []

    def gold(self, plan, scenario: str) -> str | None:
        """The gold model of one of its scenarios when it is not `retrain`."""
        return None

    def unlearn_inputs(self, plan, method: str, scenario: str, seed: int) -> dict[str, str]:
        """Extra inputs of one unlearning job (e.g. TMU's partition of D_f)."""
        return {}

    # -- what it writes --------------------------------------------------------------------------------------
    def outputs(self, plan) -> list[str]:
        """Its tables, claims files and figures."""
        return []

    def claims(self, plan) -> list[str]:
        """Its claims CSVs, gathered by the comparison page."""
        return []

    def scale(self, plan) -> str:
        """Its part of the comparison page's Scale column (parts of one `title` are joined with '; ')."""
        return ""

    def regime(self, plan) -> dict:
        """What the regime checks read of it: {"metrics": metric files, "kinds": [(scenario, kind)], other named
        inputs: a file each}."""
        return {}

    def shadow_models(self, plan) -> list[str]:
        """Files of models it trains on seeded random shares of D that LiRA can use as shadows (lira.py), each an
        npz with in_mask, phi and phi_test (K x N, K x N, K x M); [] when it has none."""
        return []


@functools.lru_cache(maxsize=1)
def discover() -> tuple[Experiment, ...]:
    """Every experiment of the library's packages (`<package>/plugin.py: EXPERIMENTS`), by position."""
    found: list[Experiment] = []
    for info in pkgutil.iter_modules([str(_HERE)]):
        if info.ispkg and (_HERE / info.name / "plugin.py").is_file():
            found += importlib.import_module(f"{__package__}.{info.name}.plugin").EXPERIMENTS
    return tuple(sorted(found, key=lambda e: e.position))


# -- helpers the experiments' checks share -------------------------------------------------------------------
def check_methods(config: dict, field_name: str, names, exclude=("retrain",)) -> None:
    """Each name must be a method configured under `methods` (and not one of `exclude`)."""
    for name in names:
        if name not in config["methods"] or name in exclude:
            not_ = " or ".join(exclude)
            raise ValueError(f"{field_name}: '{name}' must be a method configured under `methods` (not {not_})")


def check_schedule(field_name: str, block: dict) -> None:
    """Step milestones (in epochs) must fall inside the training they decay: 0 < m < epochs."""
    epochs, milestones = block.get("epochs", 1), block.get("milestones") or []
    if milestones and block.get("schedule", "constant") != "step":
        raise ValueError(f"{field_name}.milestones: only read with schedule: step (set it or drop them)")
    for m in milestones:
        if not 0 < m < epochs:
            raise ValueError(
                f"{field_name}.milestones: {m} is outside the training (epochs {epochs}); the learning rate would "
                f"never decay there; use values in (0, {epochs})"
            )


def check_seeds(config: dict, section: str) -> None:
    """An experiment that reuses the original models: its seeds must be top-level seeds."""
    extra = sorted(set(config[section].get("seeds") or []) - set(config["seeds"]))
    if extra:
        raise ValueError(f"{section}.seeds: {extra} not in the top-level seeds ({section.upper()} reuses their models)")


def with_seeds(config: dict, section: str) -> dict:
    """A copy of the section whose seeds default to the top-level ones."""
    cfg = dict(config[section])
    cfg["seeds"] = list(cfg.get("seeds") or config["seeds"])
    return cfg
