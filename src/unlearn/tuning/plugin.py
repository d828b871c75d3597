"""Fair tuning as a plug-in: the validation forget sets (one per scenario kind the tuned jobs meet), their gold
models (the ordinary `retrain` jobs), one trials job per (validation set, method) (rules/tuning.smk), and the chosen
values each tuned unlearning job reads (its `tuned` input). The test forget sets, their gold models and their
metrics are never a tuning job's input (tests/test_tuning.py checks the DAG)."""

from __future__ import annotations

from .. import forget
from .. import methods as registry
from ..plugins import DatasetFacts, Experiment
from . import OBJECTIVES, grid, is_validation, tuning_kind, validation_name, validation_spec


class Tuning(Experiment):
    key = "tuning"
    title = "Tuning"
    position = 90  # after every experiment whose jobs it tunes

    def active(self, config: dict) -> bool:
        return bool((config.get("tuning") or {}).get("enabled"))

    def check(self, config: dict, data: DatasetFacts) -> None:
        cfg = config["tuning"]
        for name in cfg.get("methods") or []:
            if name not in config["methods"] or name == "retrain":
                raise ValueError(f"tuning.methods: '{name}' must be a method configured under `methods` (not retrain)")
            if not self._tunable(config, name):
                raise ValueError(
                    f"tuning.methods: '{name}' has no search space (give SPACE in methods/{name}.py or "
                    f"tuning.space.{name})"
                )
        c = cfg.get("validation", {}).get("class")
        if c is not None and c >= len(data.class_names):
            raise ValueError(f"tuning.validation.class: {c} is out of range 0..{len(data.class_names) - 1}")
        from ..plan import Plan

        plan = Plan(config, data=data)
        self.validation_sets(plan)  # a class or a template missing raises here, naming the field

    # -- which jobs it tunes -----------------------------------------------------------------------------------
    @staticmethod
    def _tunable(config: dict, name: str) -> bool:
        return bool(registry.space(name) or config["tuning"]["space"].get(name) or registry.tune_from(name))

    def space(self, plan, name: str) -> dict[str, list]:
        """A method's grid: its module's SPACE with the config's `tuning.space.<name>` keys on top."""
        return {**registry.space(name), **plan.settings(self.key)["space"].get(name, {})}

    def tuned(self, plan) -> list[str]:
        """The configured methods tuned (tuning.methods, default every one with a space, retrain aside)."""
        cfg = plan.settings(self.key)
        if cfg.get("methods") is not None:
            return list(cfg["methods"])
        return [m for m in plan.config["methods"] if m != "retrain" and self._tunable(plan.config, m)]

    def sources(self, plan, name: str) -> list[str]:
        """The methods whose choices one unlearning job of `name` takes: its own; a sequence's steps'; the method a
        TUNE_FROM key names."""
        tuned, method = set(self.tuned(plan)), plan.methods[name]
        if method.module == "sequence":
            names = [s for s in dict.fromkeys(method.hp["methods"]) if s in tuned]
        elif name not in tuned:
            names = []
        elif registry.tune_from(method.module):
            key, default = registry.tune_from(method.module)
            names = [method.hp.get(key, default)]
        else:
            names = [name]
        return [s for s in names if self.space(plan, s)]

    def test_scenarios(self, plan) -> dict[str, dict]:
        """Every other experiment's forget sets (the test sets), in plan order."""
        out: dict[str, dict] = {}
        for e in plan.experiments:
            if e is not self:
                out.update(e.scenarios(plan))
        return out

    def jobs(self, plan) -> dict[tuple[str, str], list[str]]:
        """{(test scenario, method): the methods whose choices it takes} of every tuned unlearning job."""
        cached = plan.__dict__.get("_tuning_jobs")
        if cached is not None:
            return cached
        out: dict[tuple[str, str], list[str]] = {}
        seeds = self._seeds(plan)
        for sc in self.test_scenarios(plan):
            models = dict.fromkeys(m for seed in seeds for m in plan.models(sc, seed))
            for m in models:
                if m in plan.methods and m != plan.gold(sc) and m not in plan.per_seed_models:
                    found = self.sources(plan, m)
                    if found:
                        out[(sc, m)] = found
        plan.__dict__["_tuning_jobs"] = out
        return out

    def validation_sets(self, plan) -> dict[str, dict]:
        """{val_<kind>: spec}: one per kind the tuned jobs meet, of the size of that kind's first test set."""
        tests = self.test_scenarios(plan)
        seeds = self._seeds(plan)
        labelled = [{"spec": spec, "seeds": seeds} for spec in tests.values() if spec["kind"] in forget.KINDS]
        chosen = plan.settings(self.key).get("validation", {})
        out: dict[str, dict] = {}
        for sc, _ in self.jobs(plan):
            kind = tuning_kind(tests[sc])
            name = validation_name(kind)
            if name in out:
                continue
            template = next((spec for spec in tests.values() if spec["kind"] == kind), None)
            if template is None:
                raise ValueError(
                    f"tuning: scenario '{sc}' ({tests[sc]['kind']}) is tuned on a {kind} validation set, whose size"
                    f" comes from a `scenarios` entry of kind {kind}; add one (or leave its methods out of"
                    " tuning.methods)"
                )
            n_fine = len(plan.data.fine_names) if plan.data.fine_names else None
            out[name] = validation_spec(template, labelled, len(plan.data.class_names), n_fine, chosen)
        return out

    def _seeds(self, plan) -> list[int]:
        return sorted({*plan.seeds, *(s for e in plan.experiments if e is not self for s in e.seeds(plan))})

    @staticmethod
    def seed(plan) -> int:
        """The seed tuning runs on: the first top-level seed."""
        return int(plan.seeds[0])

    def record(self, plan, validation: str, method: str) -> str:
        return f"{plan.run}/tuning/{validation}/{method}.json"

    def records(self, plan) -> list[str]:
        """Every trials job's output, by method then validation set."""
        tests = self.test_scenarios(plan)
        jobs = self.jobs(plan).items()
        pairs = {(s, validation_name(tuning_kind(tests[sc]))) for (sc, _), found in jobs for s in found}
        return [self.record(plan, v, m) for m, v in sorted(pairs, key=lambda p: (self._order(plan, p[0]), p[1]))]

    @staticmethod
    def _order(plan, name: str) -> int:
        names = list(plan.config["methods"])
        return names.index(name) if name in names else len(names)

    def points(self, plan, method: str) -> list[dict]:
        """The grid points of one method's trials, in order (each runs on top of its configured values)."""
        cfg = plan.settings(self.key)
        return grid(self.space(plan, method), cfg.get("n_trials"), cfg["seed"])

    def objective(self, plan) -> str:
        return plan.settings(self.key)["objective"]

    def note(self, plan) -> str:
        """The table headers' line on where the hyperparameters come from."""
        label = OBJECTIVES[self.objective(plan)][0]
        tuned = list(dict.fromkeys(m for (_, m) in self.jobs(plan)))
        return (
            f"Hyperparameters: tuned on validation forget sets (objective {label}; tuning.md, tuned.md) for "
            f"{', '.join(tuned) or 'no method'}; configured values for the others."
        )

    # -- the experiment ----------------------------------------------------------------------------------------
    def scenarios(self, plan) -> dict[str, dict]:
        return self.validation_sets(plan)

    def unlearn_inputs(self, plan, method: str, scenario: str, seed: int) -> dict:
        if is_validation(scenario):
            return {}
        found = self.jobs(plan).get((scenario, method))
        if not found:
            return {}
        validation = validation_name(tuning_kind(self.test_scenarios(plan)[scenario]))
        return {"tuned": [self.record(plan, validation, s) for s in found]}

    def outputs(self, plan) -> list[str]:
        return [*plan.table("tuning", ("csv", "md")), *plan.table("tuned", ("csv", "md")), *plan.figure("tuning")]


EXPERIMENTS = [Tuning()]
