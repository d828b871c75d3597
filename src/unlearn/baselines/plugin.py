"""The baselines experiment as a plug-in: the config's `scenarios` x `seeds` x `baselines` methods."""

from __future__ import annotations

from .. import methods as registry
from ..plugins import DatasetFacts, Experiment


class Baselines(Experiment):
    key = "baselines"
    title = "Baselines"
    position = 0
    per_seed_models = ("original",)

    def active(self, config: dict) -> bool:
        return True  # the run's core: the scenarios, the original and gold models

    def check(self, config: dict, data: DatasetFacts) -> None:
        for name in config.get("baselines") or []:
            if name not in config["methods"]:
                raise ValueError(f"baselines: '{name}' is not configured under `methods`")
            if not registry.standalone(name):
                raise ValueError(
                    f"baselines: '{name}' runs only inside its paper's experiment (it needs "
                    f"{', '.join(registry.needs(name))}, which that experiment's rules make)"
                )

    def settings(self, config: dict, data: DatasetFacts) -> dict:
        """methods: the table's methods (default: every configured method that runs on any forget set), the gold
        model first when the config's list leaves it out."""
        chosen = config.get("baselines")
        methods = list(chosen) if chosen is not None else [m for m in config["methods"] if registry.standalone(m)]
        if "retrain" not in methods:
            methods = ["retrain", *methods]
        return {"methods": methods, "seeds": list(config["seeds"])}

    def scenarios(self, plan) -> dict[str, dict]:
        return dict(plan.config_scenarios)

    def original_seeds(self, plan) -> list[int]:
        return plan.seeds

    def table_models(self, plan) -> list[str]:
        """The models of the baselines table: the original and the table's methods (the gold model among them)."""
        return ["original", *plan.settings(self.key)["methods"]]

    def evaluates(self, plan, scenario: str, seed: int) -> list[str]:
        return self.table_models(plan) if scenario in plan.config_scenarios else []

    def outputs(self, plan) -> list[str]:
        return [*plan.table("baselines", ("csv", "md", "tex")), *plan.figure("baselines")]

    def regime(self, plan) -> dict[str, list]:
        kinds = [(name, spec["kind"]) for name, spec in plan.config_scenarios.items()]
        return {"metrics": plan.metric_files(plan.config_scenarios, plan.seeds), "kinds": kinds}


EXPERIMENTS = [Baselines()]
