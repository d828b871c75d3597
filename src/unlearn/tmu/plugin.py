"""TMU (paper 001) as a plug-in: its scenarios tmu_c<class>_n<n>, the gold model, its baselines and TMU on each,
the twin problem's rules (rules/tmu.smk), Tables 1-4, Fig. 3 and the claims."""

from __future__ import annotations

from ..plugins import DatasetFacts, Experiment, check_methods, check_schedule, check_seeds, with_seeds
from . import main_scenarios, resolve_class, scenarios, sweep_scenarios

LABEL_MODELS = ("retrain", "bad_teacher", "tmu")  # the models whose D_f outputs Table 4 / Fig. 3 compare


class Tmu(Experiment):
    key = "tmu"
    title = "TMU (001)"
    position = 1

    def check(self, config: dict, data: DatasetFacts) -> None:
        cfg = config["tmu"]
        if not config["dataset"].get("holdout_per_class"):
            raise ValueError(
                "dataset.holdout_per_class: TMU needs held-out training images for its twin data; set it > 0"
            )
        if "tmu" not in config["methods"]:
            raise ValueError("methods.tmu: required by the `tmu` section (TMU's hyperparameters)")
        check_schedule("tmu.twin", cfg["twin"])
        resolved = self.settings(config, data)
        if len(set(resolved["classes"])) != len(resolved["classes"]):
            raise ValueError("tmu.classes: a class is listed twice")
        counts = data.counts if data.counts is not None else [10**9] * len(data.class_names)
        sweep = resolved.get("sweep")
        for field, cls, n in [("tmu.n", c, cfg["n"]) for c in resolved["classes"]] + [
            ("tmu.sweep.sizes", sweep["class"], n) for n in (sweep["sizes"] if sweep else [])
        ]:
            if n >= counts[cls]:
                raise ValueError(
                    f"{field}: {n} would forget all of class {cls} ({counts[cls]} training images after the "
                    "hold-out); TMU is sub-class forgetting"
                )
        check_seeds(config, "tmu")
        check_methods(config, "tmu.baselines", cfg["baselines"])
        clash = set(config["scenarios"]) & set(scenarios(resolved))
        if clash:
            raise ValueError(f"scenarios.{sorted(clash)[0]}: name is reserved for the TMU experiment")

    def settings(self, config: dict, data: DatasetFacts) -> dict:
        """Classes (and the sweep's class) as indices, seeds defaulted to the top-level ones."""
        cfg = with_seeds(config, "tmu")
        names = data.class_names
        if cfg["classes"] == "all":
            cfg["classes"] = list(range(len(names)))
        else:
            cfg["classes"] = [resolve_class(c, names, f"tmu.classes[{i}]") for i, c in enumerate(cfg["classes"])]
        if cfg.get("sweep"):
            cfg["sweep"] = {**cfg["sweep"], "class": resolve_class(cfg["sweep"]["class"], names, "tmu.sweep.class")}
        return cfg

    # -- the experiment ------------------------------------------------------------------------------------------
    def methods_of_table(self, plan) -> list[str]:
        """Gold, the baselines, TMU: the rows of Tables 1-3."""
        return ["retrain", *plan.settings(self.key)["baselines"], "tmu"]

    def main_table(self, plan) -> str:
        """TMU's main table reproduces paper Table 2 on CIFAR-100 and Table 1 otherwise."""
        return "tmu_table2" if plan.config["dataset"]["name"] == "cifar100" else "tmu_table1"

    def original_seeds(self, plan) -> list[int]:
        return self.seeds(plan)

    def scenarios(self, plan) -> dict[str, dict]:
        return scenarios(plan.settings(self.key))

    def evaluates(self, plan, scenario: str, seed: int) -> list[str]:
        cfg = plan.settings(self.key)
        if scenario in main_scenarios(cfg):
            return [*self.methods_of_table(plan), "original"]  # the original: the regime's memorization gap
        if scenario in sweep_scenarios(cfg):
            return ["retrain"]  # Fig. 3 reads the label accuracy from the models' outputs
        return []

    def unlearn_inputs(self, plan, method: str, scenario: str, seed: int) -> dict[str, str]:
        return {"partition": self.path(plan, scenario, seed, "partition.json")} if method == "tmu" else {}

    def path(self, plan, scenario, seed, name: str) -> str:
        return f"{plan.run}/tmu/{scenario}/s{seed}/{name}"

    def label_inputs(self, plan, which: str) -> dict[str, list[str]]:
        """What label accuracy (Table 4: which="main"; Fig. 3: "sweep") is computed from: the partitions, the
        forget sets, and the gold, Bad Teacher and TMU models' outputs."""
        cfg = plan.settings(self.key)
        names = main_scenarios(cfg) if which == "main" else sweep_scenarios(cfg)
        pairs = [(sc, seed) for sc in names for seed in cfg["seeds"]]
        files = {
            "partitions": [self.path(plan, sc, seed, "partition.json") for sc, seed in pairs],
            "forget": [plan.forget_file(sc, seed) for sc, seed in pairs],
        }
        for method in LABEL_MODELS:
            if method in self.methods_of_table(plan):
                files[method] = [f"{plan.run}/models/{sc}/s{seed}/{method}.probs.npz" for sc, seed in pairs]
        return files

    def main_metrics(self, plan) -> list[str]:
        cfg = plan.settings(self.key)
        return plan.metric_files(main_scenarios(cfg), cfg["seeds"])

    # -- what it writes ------------------------------------------------------------------------------------------
    def outputs(self, plan) -> list[str]:
        out = [
            *plan.table(self.main_table(plan), ("csv", "md", "tex")),
            *plan.table("tmu_table3"),
            *plan.table("tmu_table4"),
            *plan.table("tmu_claims", ("md", "csv")),
        ]
        if plan.settings(self.key).get("sweep"):
            out += plan.figure("tmu_fig3")
        return out

    def claims(self, plan) -> list[str]:
        return [f"{plan.tables}/tmu_claims.csv"]

    def scale(self, plan) -> str:
        cfg = plan.settings(self.key)
        return plan.scale_text(cfg["seeds"], f"; |D_f| = {cfg['n']} per class, {len(cfg['classes'])} classes")

    def table_scale(self, plan) -> dict:
        cfg = plan.settings(self.key)
        return {**plan.table_scale(cfg["seeds"]), "n": cfg["n"], "classes": len(cfg["classes"])}

    def regime(self, plan) -> dict[str, list]:
        cfg = plan.settings(self.key)
        own = self.scenarios(plan)
        return {
            "metrics": plan.metric_files(own, cfg["seeds"]),
            "kinds": [(name, spec["kind"]) for name, spec in own.items()],
        }


EXPERIMENTS = [Tmu()]
