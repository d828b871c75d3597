"""SMU (paper 000) as a plug-in: its three settings run on `scenarios` entries (sharing their forget sets, gold
models and baselines with the baselines table), SMU and its baselines on them, the logit-dispersion rules
(rules/smu.smk), the tables and claims."""

from __future__ import annotations

from ..plugins import DatasetFacts, Experiment, check_methods, check_seeds, with_seeds
from . import KINDS, methods, settings


class Smu(Experiment):
    key = "smu"
    title = "SMU (000)"
    position = 3

    def check(self, config: dict, data: DatasetFacts) -> None:
        cfg = config["smu"]
        for setting, name in cfg["scenarios"].items():
            if name not in config["scenarios"]:
                raise ValueError(f"smu.scenarios.{setting}: '{name}' is not a `scenarios` entry")
            kind, allowed = config["scenarios"][name]["kind"], KINDS[setting]
            if kind not in allowed:
                raise ValueError(
                    f"smu.scenarios.{setting}: scenario '{name}' is {kind}; SMU's {setting} setting needs "
                    + " or ".join(allowed)
                )
        if "smu" not in config["methods"]:
            raise ValueError("methods.smu: required by the `smu` section (SMU's hyperparameters)")
        check_methods(config, "smu.baselines", cfg["baselines"], exclude=("retrain", "smu"))
        if not (self.augment(config).get("crop_pad") or self.augment(config).get("flip")):
            raise ValueError(
                "methods.smu.augment: SMU compares two augmented views of each image; set crop_pad or flip there "
                "(or in train.augment)"
            )
        check_seeds(config, "smu")

    def settings(self, config: dict, data: DatasetFacts) -> dict:
        return with_seeds(config, "smu")

    @staticmethod
    def augment(config: dict) -> dict:
        """SMU's two views: its own `augment`, else the recipe's."""
        return config["methods"]["smu"].get("augment") or config["train"].get("augment") or {}

    # -- the experiment ------------------------------------------------------------------------------------------
    def setting_scenarios(self, plan) -> dict[str, str]:
        """{setting: scenario} in SMU's order (full-class, sub-class, random)."""
        return settings(plan.settings(self.key))

    def table_models(self, plan) -> list[str]:
        """The models of SMU's tables: gold, original, the baselines, SMU."""
        return methods(plan.settings(self.key))

    def original_seeds(self, plan) -> list[int]:
        return self.seeds(plan)

    def evaluates(self, plan, scenario: str, seed: int) -> list[str]:
        if scenario in self.setting_scenarios(plan).values() and seed in self.seeds(plan):
            return self.table_models(plan)
        return []

    def pairs(self, plan) -> list[tuple[str, int]]:
        return [(sc, seed) for sc in self.setting_scenarios(plan).values() for seed in self.seeds(plan)]

    def metrics(self, plan) -> list[str]:
        return plan.metric_files(list(self.setting_scenarios(plan).values()), self.seeds(plan))

    def dispersion_inputs(self, plan) -> dict[str, list[str]]:
        """The original, gold and SMU models of every SMU (scenario, seed), and their forget sets."""
        pairs, run = self.pairs(plan), plan.run
        return {
            "forget": [plan.forget_file(sc, seed) for sc, seed in pairs],
            "original": [f"{run}/models/original/s{seed}.pt" for _, seed in pairs],
            "retrain": [f"{run}/models/{sc}/s{seed}/retrain.pt" for sc, seed in pairs],
            "smu": [f"{run}/models/{sc}/s{seed}/smu.pt" for sc, seed in pairs],
        }

    def table_scale(self, plan) -> dict:
        return {**plan.table_scale(self.seeds(plan)), "scenarios": self.setting_scenarios(plan)}

    # -- what it writes ------------------------------------------------------------------------------------------
    def outputs(self, plan) -> list[str]:
        return [
            *[f for s in self.setting_scenarios(plan) for f in plan.table(f"smu_{s}", ("csv", "md", "tex"))],
            *plan.table("smu_claims", ("md", "csv")),
            *plan.table("smu_logit_dispersion"),
            *plan.figure("smu_logit_dispersion"),
        ]

    def claims(self, plan) -> list[str]:
        return [f"{plan.tables}/smu_claims.csv"]

    def scale(self, plan) -> str:
        return plan.scale_text(self.seeds(plan))


EXPERIMENTS = [Smu()]
