"""Unlearning in spiking networks (the survey, paper 003) as a plug-in: the SNN's original model per seed, its
scenarios snn_<name> (forget sets like any other), the SNN retrained (gold), fine-tuned, unlearned and recovered on
each (rules/snn.smk), scored by the ordinary evaluation against the SNN's gold model; the table, figure, claims."""

from __future__ import annotations

from .. import forget
from ..plugins import DatasetFacts, Experiment, with_seeds
from . import GOLD, ORIGINAL, PREFIX, models, scenarios


class Snn(Experiment):
    key = "snn"
    title = "Survey (003)"
    position = 6
    targets = ("snn", "survey")
    per_seed_models = (ORIGINAL,)

    def check(self, config: dict, data: DatasetFacts) -> None:
        counts = data.counts if data.counts is not None else [10**9] * len(data.class_names)
        for name, spec in config["snn"]["scenarios"].items():
            if f"{PREFIX}{name}" in config["scenarios"]:
                raise ValueError(f"snn.scenarios.{name}: clashes with scenarios.{PREFIX}{name}")
            try:
                forget.forget_size(spec, counts)
            except forget.ScenarioError as exc:
                raise ValueError(f"snn.scenarios.{name}.{exc}") from None

    def settings(self, config: dict, data: DatasetFacts) -> dict:
        return with_seeds(config, "snn")

    def scenarios(self, plan) -> dict[str, dict]:
        return scenarios(plan.settings(self.key))

    def evaluates(self, plan, scenario: str, seed: int) -> list[str]:
        return models() if scenario in self.scenarios(plan) else []

    def gold(self, plan, scenario: str) -> str | None:
        return GOLD if scenario in self.scenarios(plan) else None

    def table_scale(self, plan) -> str:
        cfg = plan.settings(self.key)
        return (
            f"Scale: dataset {plan.config['dataset']['name']}, spiking MLP hidden {cfg['model']['hidden']}, "
            f"{cfg['model']['steps']} time steps, {cfg['train']['epochs']} epochs, seeds {cfg['seeds']}"
        )

    def outputs(self, plan) -> list[str]:
        return [*plan.table("snn"), *plan.table("snn_claims"), *plan.figure("snn_accuracy_loss")]

    def claims(self, plan) -> list[str]:
        return [f"{plan.tables}/snn_claims.csv"]

    def scale(self, plan) -> str:
        return self.table_scale(plan).replace("Scale: ", "spiking networks: ")


EXPERIMENTS = [Snn()]
