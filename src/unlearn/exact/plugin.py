"""The survey's exact and certified methods (paper 003) as a plug-in: SISA, certified removal and summation-form
naive Bayes on `exact.scenarios` (rules/exact.smk), scored beside every other method; and the survey's
cost-vs-quality figure (rules/survey.smk), drawn when any of the survey's families runs."""

from __future__ import annotations

from ..plugins import DatasetFacts, Experiment, check_seeds, with_seeds
from ..tables import model_text
from . import METHODS, check_shards

SURVEY = "Survey (003)"
FAMILIES = ("exact", "hdus", "snn")  # the survey's families the cost-vs-quality figure shows


class Exact(Experiment):
    key = "exact"
    title = SURVEY
    position = 4
    targets = ("survey",)

    def check(self, config: dict, data: DatasetFacts) -> None:
        cfg = config["exact"]
        for name in cfg["scenarios"]:
            if name not in config["scenarios"]:
                raise ValueError(f"exact.scenarios: '{name}' is not a `scenarios` entry")
        check_seeds(config, "exact")
        n_train = data.n_train if data.n_train is not None else 10**9
        try:
            check_shards(n_train, cfg["sisa"]["shards"], cfg["sisa"]["slices"])
        except ValueError as exc:
            raise ValueError(f"exact.{exc}") from None

    def settings(self, config: dict, data: DatasetFacts) -> dict:
        return with_seeds(config, "exact")

    def original_seeds(self, plan) -> list[int]:
        return self.seeds(plan)

    def evaluates(self, plan, scenario: str, seed: int) -> list[str]:
        cfg = plan.settings(self.key)
        return list(METHODS) if scenario in cfg["scenarios"] and seed in cfg["seeds"] else []

    def report_inputs(self, plan) -> dict[str, list[str]]:
        """Every metric record of the `scenarios` entries and the exact methods' run records."""
        cfg = plan.settings(self.key)
        runs = [f"{plan.run}/models/{sc}/s{seed}/{m}.json"
                for sc in cfg["scenarios"] for seed in cfg["seeds"] for m in METHODS]  # fmt: skip
        return {"metrics": plan.metric_files(plan.config_scenarios, plan.seeds), "runs": runs}

    def table_scale(self, plan) -> str:
        cfg = plan.settings(self.key)
        return (
            f"Scale: dataset {plan.config['dataset']['name']}, model {model_text(plan.config['model'])}, "
            f"{plan.config['train']['epochs']} training epochs, seeds {cfg['seeds']}; "
            f"SISA S = {cfg['sisa']['shards']}, R = {cfg['sisa']['slices']}"
        )

    def outputs(self, plan) -> list[str]:
        return [*plan.table("exact_methods"), *plan.table("survey_claims")]

    def claims(self, plan) -> list[str]:
        return [f"{plan.tables}/survey_claims.csv"]

    def scale(self, plan) -> str:
        cfg = plan.settings(self.key)
        return "exact methods: " + plan.scale_text(cfg["seeds"], f", scenarios {cfg['scenarios']}")


class CostFigure(Experiment):
    """The survey's cost-vs-quality figure: every method's time to unlearn against its ToW, one panel per
    scenario of the `scenarios` entries, HDUS's departure and the SNN's scenarios."""

    key = "cost_vs_quality"
    title = SURVEY
    position = 7
    targets = ("survey",)
    rules = "rules/survey.smk"

    def active(self, config: dict) -> bool:
        return any(config.get(family) for family in FAMILIES)

    def metrics(self, plan) -> list[str]:
        files = plan.metric_files(plan.config_scenarios, plan.seeds)
        for family in ("hdus", "snn"):
            if plan.active(family):
                exp = plan.experiment(family)
                files += plan.metric_files(exp.scenarios(plan), exp.seeds(plan))
        return files

    def outputs(self, plan) -> list[str]:
        return plan.figure("cost_vs_quality")


EXPERIMENTS = [Exact(), CostFigure()]
