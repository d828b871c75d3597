"""HDUS (the survey, paper 003) as a plug-in: clients on parts of D, a client's departure as scenario `hdus`
(its forget set comes from rules/hdus.smk), the network before and after it and its gold network scored by the
ordinary evaluation, the tables and claims."""

from __future__ import annotations

from ..plugins import DatasetFacts, Experiment, with_seeds
from ..tables import model_text
from . import GOLD, MODELS, SCENARIO, batches, check


class Hdus(Experiment):
    key = "hdus"
    title = "Survey (003)"
    position = 5
    targets = ("hdus", "survey")

    def check(self, config: dict, data: DatasetFacts) -> None:
        check(config["hdus"], data.n_train, data.holdout_per_class)
        if SCENARIO in config["scenarios"]:
            raise ValueError(f"scenarios.{SCENARIO}: the name is HDUS's departure scenario; rename it")

    def settings(self, config: dict, data: DatasetFacts) -> dict:
        """The main models' recipe defaults to the top-level `train`, the seeds to the top-level ones."""
        cfg = with_seeds(config, "hdus")
        if cfg.get("train") is None:
            cfg["train"] = dict(config["train"])
        return cfg

    def scenarios(self, plan) -> dict[str, dict]:
        return {SCENARIO: {"kind": "client"}}

    def evaluates(self, plan, scenario: str, seed: int) -> list[str]:
        return list(MODELS) if scenario == SCENARIO else []

    def gold(self, plan, scenario: str) -> str | None:
        return GOLD if scenario == SCENARIO else None

    def path(self, plan, seed, name: str) -> str:
        return f"{plan.run}/hdus/s{seed}/{name}"

    def client_models(self, plan, seed) -> list[str]:
        return [self.path(plan, seed, f"clients_{a}-{b}.pt") for a, b in batches(plan.settings(self.key))]

    def table_scale(self, plan) -> str:
        cfg = plan.settings(self.key)
        return (
            f"Scale: dataset {plan.config['dataset']['name']}, {cfg['clients']} clients ({cfg['partition']} parts "
            f"of D, {cfg['topology']} topology), main models {', '.join(model_text(m) for m in cfg['models'])}, "
            f"seed model {model_text(cfg['seed_model'])}, {cfg['train']['epochs']} epochs, client {cfg['depart']} "
            f"leaves, seeds {cfg['seeds']}"
        )

    def outputs(self, plan) -> list[str]:
        return [*plan.table("hdus"), *plan.table("hdus_clients"), *plan.table("hdus_claims")]

    def claims(self, plan) -> list[str]:
        return [f"{plan.tables}/hdus_claims.csv"]

    def scale(self, plan) -> str:
        return self.table_scale(plan).replace("Scale: ", "HDUS: ")


EXPERIMENTS = [Hdus()]
