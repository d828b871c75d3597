"""The experiment plan: which jobs exist and what each reads, as a plain object computed from the validated config.

    plan = Plan(validated_config)
    plan.scenarios               # every forget set: name -> spec (fine class names resolved)
    plan.methods                 # every unlearning job's method: name -> Method(module, hp, calls)
    plan.models("random", 0)     # the models the evaluation of (random, seed 0) scores, gold first
    plan.targets["tmu"]          # every file a target rule builds
    plan.paper_scales            # the scale text of each paper on the comparison page

The plan asks each active experiment (plugins.py: the baselines table, each paper, each survey family) for its
part and knows none of them; the Snakefile binds it to rules (rules/common.smk). Nothing here reads data or
imports torch, so it is unit-tested without Snakemake (tests/test_plan.py).
"""

from __future__ import annotations

import copy
from functools import cached_property

from . import forget
from .plugins import DatasetFacts, Experiment, Method, discover, static_facts
from .tables import model_text

COMPARISON_TARGET = "comparison"
FIGURES_TARGET = "figures"
REGIME_PAPER = "Regime (all papers)"


def resolve_scenario(spec: dict, data: DatasetFacts) -> dict:
    """A copy of a scenario spec with a fine class given by name turned into its index."""
    spec = dict(spec)
    if spec.get("kind") == "fine_class" and isinstance(spec.get("fine"), str) and data.fine_names:
        spec["fine"] = data.fine_names.index(spec["fine"])
    return spec


class Plan:
    """Everything the workflow's rules need to know of a config. `experiments` defaults to the registry's."""

    def __init__(self, config: dict, experiments: list[Experiment] | None = None, data: DatasetFacts | None = None):
        self.config = config
        self.registry = list(experiments if experiments is not None else discover())
        self.experiments = [e for e in self.registry if e.active(config)]
        self.data = data or static_facts(config["dataset"])
        self._settings = {e.key: e.settings(config, self.data) for e in self.experiments}
        self.name = config["name"]
        self.out = f"results/{self.name}"
        self.run = f"{self.out}/run"  # models, forget sets, metric records, logs, benchmarks
        self.tables = f"{self.out}/tables"  # tables and claims (CSV + Markdown, LaTeX where the papers use it)
        self.figures = f"{self.out}/figures"  # PNG + PDF
        self.report = f"{self.out}/report.html"
        self.snapshot_dir = f"docs/results/{self.name}"
        self.seeds = list(config["seeds"])

    # -- experiments and their settings ------------------------------------------------------------------------
    def settings(self, key: str) -> dict:
        """An active experiment's section as it reads it (derived values filled in); {} when not run."""
        return self._settings.get(key, {})

    def experiment(self, key: str) -> Experiment:
        return next(e for e in self.registry if e.key == key)

    def active(self, key: str) -> bool:
        return key in self._settings

    @cached_property
    def rule_files(self) -> list[str]:
        """The rule files of the active experiments (the Snakefile includes them)."""
        return list(dict.fromkeys(e.rule_file() for e in self.experiments))

    # -- scenarios, methods, models ----------------------------------------------------------------------------
    @cached_property
    def config_scenarios(self) -> dict[str, dict]:
        """The config's `scenarios` entries, fine class names resolved."""
        return {name: resolve_scenario(spec, self.data) for name, spec in self.config["scenarios"].items()}

    @cached_property
    def scenarios(self) -> dict[str, dict]:
        """Every forget set of the run: name -> spec."""
        out: dict[str, dict] = {}
        for e in self.experiments:
            out.update(e.scenarios(self))
        return out

    @cached_property
    def label_scenarios(self) -> list[str]:
        """The forget sets the `forget_set` rule makes from the labels (the others come from their papers' rules)."""
        return [name for name, spec in self.scenarios.items() if spec["kind"] in forget.KINDS]

    @cached_property
    def methods(self) -> dict[str, Method]:
        """Every unlearning job's method: the `methods:` entries, then the experiments' own (RUM's sequences)."""
        out = {name: Method(name, dict(hp or {})) for name, hp in self.config["methods"].items()}
        for e in self.experiments:
            out.update(e.methods(self))
        return out

    def method(self, name: str) -> Method:
        return self.methods[name]

    def method_modules(self, name: str) -> list[str]:
        """The `methods/` modules an unlearning job of `name` runs (its own and the ones it calls)."""
        m = self.methods[name]
        return list(dict.fromkeys([m.module, *m.calls]))

    def gold(self, scenario: str) -> str:
        for e in self.experiments:
            gold = e.gold(self, scenario)
            if gold:
                return gold
        return "retrain"

    def models(self, scenario: str, seed) -> list[str]:
        """The models scored on (scenario, seed): the gold model first, then each experiment's, in order."""
        found: list[str] = []
        for e in self.experiments:
            found += [m for m in e.evaluates(self, scenario, int(seed)) if m not in found]
        gold = self.gold(scenario)
        return [gold, *(m for m in found if m != gold)]

    @cached_property
    def per_seed_models(self) -> set[str]:
        """Models trained once per seed for every scenario (their outputs: models/<name>/s<seed>.probs.npz)."""
        return {m for e in self.experiments for m in e.per_seed_models}

    def model_files(self, scenario: str, seed) -> dict[str, list[str]]:
        """The outputs of every model scored on (scenario, seed), and the run records (wall time) of those
        trained for the scenario."""
        stem = f"{self.run}/models/{scenario}/s{seed}"
        models = self.models(scenario, seed)
        own = [m for m in models if m not in self.per_seed_models]
        probs = [
            f"{self.run}/models/{m}/s{seed}.probs.npz" if m in self.per_seed_models else f"{stem}/{m}.probs.npz"
            for m in models
        ]
        return {"probs": probs, "runs": [f"{stem}/{m}.json" for m in own]}

    # -- LiRA's shadow models ------------------------------------------------------------------------------
    @cached_property
    def lira_batches(self) -> list[tuple[int, int]]:
        """(first, last) indices of each job of LiRA's own shadow models (`mia.shadows`), [] when it has none."""
        mia = self.config.get("mia") or {}
        if not mia.get("lira", True) or not mia.get("shadows"):
            return []
        k, per = int(mia["shadows"]), int(mia.get("shadows_per_job", 8))
        return [(i, min(i + per, k) - 1) for i in range(0, k, per)]

    @cached_property
    def lira_shadows(self) -> list[str]:
        """The shadow files every evaluation's LiRA reads: LiRA's own (`mia.shadows`), else the first experiment's
        models on random shares of D (RUM's memorization models), else none (`mia.lira: false` too)."""
        if not (self.config.get("mia") or {}).get("lira", True):
            return []
        if self.lira_batches:
            return [f"{self.run}/lira/shadows_{a}-{b}.npz" for a, b in self.lira_batches]
        for e in self.experiments:
            files = e.shadow_models(self)
            if files:
                return list(files)
        return []

    # -- U-LiRA (mia.unlearned_shadows) ----------------------------------------------------------------------
    @cached_property
    def ulira(self) -> dict:
        """{models, methods, scenarios, seeds} of U-LiRA with the defaults resolved; {} when it is off."""
        mia = self.config.get("mia") or {}
        cfg = mia.get("unlearned_shadows") or {}
        if not mia.get("lira", True) or not cfg.get("models"):
            return {}
        base = self.settings("baselines").get("methods") or self.config.get("baselines") or list(self.config["methods"])
        methods = cfg.get("methods") or [m for m in base if m not in ("retrain", "tmu")]
        return {"models": int(cfg["models"]), "methods": list(methods),
                "scenarios": list(cfg.get("scenarios") or self.config["scenarios"]),
                "seeds": list(cfg.get("seeds") or self.seeds[:1])}  # fmt: skip

    @cached_property
    def ulira_originals(self) -> list[str]:
        return [f"{self.run}/ulira/originals/m{k}.pt" for k in range(self.ulira.get("models", 0))]

    def ulira_file(self, scenario: str, seed, method: str) -> str:
        return f"{self.run}/ulira/{scenario}/s{seed}/{method}.npz"

    def ulira_models(self, scenario: str, seed) -> list[str]:
        """The models of (scenario, seed) whose U-LiRA runs (in evaluation order)."""
        u = self.ulira
        if not u or scenario not in u["scenarios"] or int(seed) not in u["seeds"]:
            return []
        return [m for m in self.models(scenario, seed) if m in u["methods"]]

    def unlearn_inputs(self, method: str, scenario: str, seed) -> dict[str, str]:
        """Retrain starts from scratch; every other method from the original model of that seed."""
        files = {"data": f"{self.run}/data.pt", "forget": self.forget_file(scenario, seed)}
        if method != "retrain":
            files["original"] = f"{self.run}/models/original/s{seed}.pt"
        for e in self.experiments:
            files.update(e.unlearn_inputs(self, method, scenario, int(seed)))
        return files

    # -- file names ----------------------------------------------------------------------------------------------
    def forget_file(self, scenario: str, seed) -> str:
        return f"{self.run}/forget/{scenario}/s{seed}.json"

    def metric_files(self, scenarios, seeds) -> list[str]:
        """One metrics file per (scenario, seed): the records of all its models."""
        return [f"{self.run}/metrics/{sc}/s{seed}.json" for sc in scenarios for seed in seeds]

    def original_probs(self, seeds) -> list[str]:
        """The original models' outputs (a table's regime line: how well they fit D)."""
        return [f"{self.run}/models/original/s{seed}.probs.npz" for seed in seeds]

    def table(self, name: str, exts=("csv", "md")) -> list[str]:
        return [f"{self.tables}/{name}.{ext}" for ext in exts]

    def figure(self, name: str) -> list[str]:
        return [f"{self.figures}/{name}.{ext}" for ext in ("png", "pdf")]

    # -- targets -------------------------------------------------------------------------------------------------
    @cached_property
    def comparison_outputs(self) -> list[str]:
        return [*self.table("regime", ("md", "csv")), *self.table("paper_comparison", ("md", "csv"))]

    @cached_property
    def all_outputs(self) -> list[str]:
        """Every table, claims file and figure of the config (the default target `all`), each once."""
        files = [f for e in self.experiments for f in e.outputs(self)] + self.comparison_outputs
        return list(dict.fromkeys(files))

    @cached_property
    def targets(self) -> dict[str, list[str]]:
        """Target rule -> the files it builds: each experiment's (grouped by target name), the comparison page,
        and every figure. Experiments that are not run give empty targets, so `snakemake tmu` always exists."""
        out: dict[str, list[str]] = {}
        for e in self.registry:
            for name in e.target_names():
                out.setdefault(name, [])
                if e in self.experiments:
                    out[name] = list(dict.fromkeys(out[name] + e.outputs(self)))
        out[COMPARISON_TARGET] = self.comparison_outputs
        out[FIGURES_TARGET] = [p for p in self.all_outputs if p.startswith(f"{self.figures}/")]
        return out

    @cached_property
    def snapshot_sources(self) -> list[str]:
        """The small files a reader sees without running: tables and claims (Markdown + CSV), figures (PNG)."""
        return [p for p in self.all_outputs if p.endswith((".md", ".csv", ".png"))]

    @cached_property
    def snapshot_outputs(self) -> list[str]:
        names = [p.rsplit("/", 1)[-1] for p in self.snapshot_sources] + ["MANIFEST.md"]
        return [f"{self.snapshot_dir}/{name}" for name in names]

    # -- the regime checks and the comparison page ---------------------------------------------------------------
    @cached_property
    def original_seeds(self) -> list[int]:
        """Every seed whose original model some experiment reads."""
        return sorted({s for e in self.experiments for s in e.original_seeds(self)})

    @cached_property
    def _regimes(self) -> list[dict]:
        return [e.regime(self) for e in self.experiments]

    @cached_property
    def regime_inputs(self) -> dict:
        """The regime checks' inputs: every experiment's metric files it judges, the originals, extra files."""
        files: dict = {"metrics": []}
        for regime in self._regimes:
            for key, value in regime.items():
                if key != "kinds":
                    files[key] = files.get(key, []) + value if isinstance(value, list) else value
        files["originals"] = self.original_probs(self.original_seeds)
        return files

    @cached_property
    def regime_kinds(self) -> dict[str, str]:
        """{scenario: kind} of the scenarios whose original and gold models the regime checks compare."""
        return {sc: kind for regime in self._regimes for sc, kind in regime.get("kinds", [])}

    @cached_property
    def comparison_claims(self) -> list[str]:
        """The claims files the comparison page gathers: the regime's, then every active experiment's."""
        return [f"{self.tables}/regime_claims.csv", *(f for e in self.experiments for f in e.claims(self))]

    def scale_text(self, seeds, extra: str = "") -> str:
        """'digits, smallcnn (width 0.5), 12 epochs, seeds [0, 1]' + extra: the comparison page's scale cells."""
        cfg = self.config
        return (
            f"{cfg['dataset']['name']}, {model_text(cfg['model'])}, {cfg['train']['epochs']} epochs, "
            f"seeds {list(seeds)}{extra}"
        )

    @cached_property
    def paper_scales(self) -> dict[str, str]:
        """The Scale column of the comparison page, per paper (the survey's families joined with '; ')."""
        parts: dict[str, list[str]] = {REGIME_PAPER: [self.scale_text(self.original_seeds)]}
        for e in self.experiments:
            text = e.scale(self)
            if text:
                parts.setdefault(e.title, []).append(text)
        return {paper: "; ".join(texts) for paper, texts in parts.items()}

    @cached_property
    def run_scale(self) -> str:
        """The header of the regime table and of the comparison page."""
        cfg, train = self.config, self.config["train"]
        return (
            f"Run `{cfg['name']}`: dataset {cfg['dataset']['name']}, model {model_text(cfg['model'])}, "
            f"{train['epochs']} training epochs ({train.get('optimizer', 'sgd')} lr {train['lr']}, augmentation "
            f"{train.get('augment') or 'none'}), seeds {self.seeds}."
        )

    def table_scale(self, seeds) -> dict:
        """The scale facts a table's header states (tables.scale_note renders them)."""
        cfg = self.config
        return {"dataset": cfg["dataset"]["name"], "model": copy.deepcopy(cfg["model"]),
                "epochs": cfg["train"]["epochs"], "seeds": list(seeds),
                "hyperparameters": self.hyperparameters}  # fmt: skip

    @cached_property
    def hyperparameters(self) -> str:
        """Where the methods' hyperparameters come from, as every table header says it."""
        if self.active("tuning"):
            return self.experiment("tuning").note(self)
        return "Hyperparameters: configured values (tuning off)."


def constraint(names) -> str:
    """A wildcard constraint matching exactly these names (nothing when there are none)."""
    return "|".join(names) or "^$"
