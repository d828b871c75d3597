"""RUM (paper 002) as a plug-in: the ES and memorization forget sets its rules make (rules/rum.smk), the gold model
and the `difficulty` methods on each, every method's vanilla / shuffle / RUM_F run and RUM on rum_mix (the
sequences: methods/sequence.py), the tables, figures and claims."""

from __future__ import annotations

from ..plugins import DatasetFacts, Experiment, Method, check_methods, check_seeds, with_seeds
from . import (
    LEVELS,
    MIX,
    difficulty_scenarios,
    memorization_batches,
    scenario_name,
    scenarios,
    sequence_methods,
    sequence_plan,
    table_methods,
)


class Rum(Experiment):
    key = "rum"
    title = "RUM (002)"
    position = 2

    def check(self, config: dict, data: DatasetFacts) -> None:
        cfg = self.settings(config, data)
        for field, names in (
            ("rum.methods", cfg["methods"]),
            ("rum.difficulty", cfg["difficulty"]),
            ("rum.select", list(cfg["select"].values())),
        ):
            check_methods(config, field, names)
        check_seeds(config, "rum")
        es = cfg["entanglement"]
        if max(es["picks"]) >= es["groups"]:
            raise ValueError(f"rum.entanglement.picks: groups are 0..{es['groups'] - 1}")
        n_train = data.n_train
        if n_train is not None:
            if 3 * cfg["n"] >= n_train:
                raise ValueError(f"rum.n: 3 x {cfg['n']} leaves no retain data of |D| = {n_train}")
            if cfg["n"] > n_train // es["groups"]:
                raise ValueError(
                    f"rum.n: {cfg['n']} is larger than an ES group ({n_train} / {es['groups']} groups "
                    f"= {n_train // es['groups']} samples)"
                )
        clash = sorted(name for name in config["scenarios"] if name.startswith("rum_"))
        if clash:
            raise ValueError(f"scenarios.{clash[0]}: names starting rum_ are reserved for RUM")

    def settings(self, config: dict, data: DatasetFacts) -> dict:
        """`difficulty` defaults to `methods`, the seeds to the top-level ones."""
        cfg = with_seeds(config, "rum")
        cfg["difficulty"] = list(cfg["difficulty"] if cfg.get("difficulty") is not None else cfg["methods"])
        return cfg

    # -- the experiment ------------------------------------------------------------------------------------------
    def original_seeds(self, plan) -> list[int]:
        return self.seeds(plan)

    def scenarios(self, plan) -> dict[str, dict]:
        return scenarios(plan.settings(self.key))

    def methods(self, plan) -> dict[str, Method]:
        """RUM's sequences (<method>-shuffle, <method>-rumf, rum): the `sequence` method over the parts."""
        cfg, out = plan.settings(self.key), {}
        for name in sequence_methods(cfg):
            hp = sequence_plan(name, cfg, plan.config["methods"])
            out[name] = Method("sequence", hp, tuple(dict.fromkeys(hp["methods"])))
        return out

    def table_models(self, plan) -> list[str]:
        return ["retrain", *table_methods(plan.settings(self.key))]

    def difficulty_models(self, plan) -> list[str]:
        return ["retrain", *plan.settings(self.key)["difficulty"]]

    def evaluates(self, plan, scenario: str, seed: int) -> list[str]:
        # the original too: what "did not unlearn" is measured against (claims.did_not_unlearn)
        if scenario == MIX:
            return [*self.table_models(plan), "original"]
        if scenario in self.scenarios(plan):
            return [*self.difficulty_models(plan), "original"]
        return []

    def path(self, plan, name: str) -> str:
        return f"{plan.run}/rum/{name}"

    def model_params(self, plan) -> dict:
        """What a memorization model depends on (not K or the batch size: a larger K keeps the models trained)."""
        mem = plan.settings(self.key)["memorization"]
        return {k: mem[k] for k in ("fraction", "epochs", "holdout") if k in mem}

    def memorization_models(self, plan) -> list[str]:
        """The K subset models' files, `models_per_job` models each."""
        batches = memorization_batches(plan.settings(self.key)["memorization"])
        return [self.path(plan, f"memorization/models_{a}-{b}.npz") for a, b in batches]

    def shadow_models(self, plan) -> list[str]:
        return self.memorization_models(plan)

    def memorization_forget_sets(self, plan) -> list[str]:
        names = [scenario_name("mem", lv) for lv in LEVELS] + [MIX]
        return [plan.forget_file(sc, seed) for sc in names for seed in self.seeds(plan)]

    def es_forget_sets(self, plan, seed) -> list[str]:
        return [plan.forget_file(scenario_name("es", lv), seed) for lv in LEVELS]

    def table_inputs(self, plan) -> dict:
        """Everything the RUM tables are computed from: metric records, embeddings, ES records, memorization."""
        seeds = self.seeds(plan)
        return {
            "table": plan.metric_files([MIX], seeds),
            "difficulty": plan.metric_files(difficulty_scenarios(plan.settings(self.key)), seeds),
            "embeddings": [self.path(plan, f"s{seed}/embeddings.npz") for seed in seeds],
            "es_records": [self.path(plan, f"s{seed}/entanglement.json") for seed in seeds],
            "mem_forget": [plan.forget_file(scenario_name("mem", lv), seed) for lv in LEVELS for seed in seeds],
            "memorization": self.path(plan, "memorization.json"),
        }

    def table_scale(self, plan) -> dict:
        cfg = plan.settings(self.key)
        return {**plan.table_scale(cfg["seeds"]), "n": cfg["n"], "memorization_models": cfg["memorization"]["models"]}

    # -- what it writes ------------------------------------------------------------------------------------------
    def outputs(self, plan) -> list[str]:
        return [
            *plan.table("rum_table", ("csv", "md", "tex")),
            *[f for name in ("es_values", "es_by_memorization", "difficulty", "memorization")
              for f in plan.table(f"rum_{name}")],
            *[f for name in ("es_partitions", "difficulty", "memorization") for f in plan.figure(f"rum_{name}")],
            *plan.table("rum_claims", ("md", "csv")),
        ]  # fmt: skip

    def claims(self, plan) -> list[str]:
        return [f"{plan.tables}/rum_claims.csv"]

    def scale(self, plan) -> str:
        cfg = plan.settings(self.key)
        return plan.scale_text(
            cfg["seeds"], f"; sets of {cfg['n']}, K = {cfg['memorization']['models']} memorization models"
        )

    def regime(self, plan) -> dict[str, list]:
        # the RUM gold models are read for the fit; their forget sets have no original model scored on them
        return {
            "metrics": plan.metric_files(self.scenarios(plan), self.seeds(plan)),
            "memorization": self.path(plan, "memorization.json"),
        }


EXPERIMENTS = [Rum()]
