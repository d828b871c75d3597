"""The experiment plan without Snakemake: which jobs exist and what each reads, per paper and for their
combinations, on hand-built configs; a toy paper registered beside the real ones; code inputs derived from the
scripts' imports."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest
import yaml
from conftest import REPO, tiny_config

from unlearn import codedeps
from unlearn.config import validate_config
from unlearn.plan import Plan, constraint
from unlearn.plugins import Experiment, Method, discover

SCHEMA = REPO / "schemas/config.schema.yaml"
DEFAULT = yaml.safe_load((REPO / "config.yaml").read_text())
RUN = "results/tiny/run"


def plan_of(cfg: dict, experiments=None) -> Plan:
    return Plan(validate_config(copy.deepcopy(cfg), SCHEMA), experiments)


def tiny(**sections) -> dict:
    cfg = tiny_config("tiny")
    cfg.update(sections)
    return cfg


# ---- the baselines experiment alone -----------------------------------------------------------------------------
def test_baselines_alone():
    plan = plan_of(tiny())
    assert list(plan.scenarios) == ["fullclass", "subclass"] == plan.label_scenarios
    assert [e.key for e in plan.experiments] == ["baselines"]
    methods = ["retrain", "finetune", "neggrad", "neggrad_plus", "random_label", "amnesiac", "bad_teacher"]
    assert list(plan.methods) == methods
    assert plan.method("neggrad") == Method("neggrad", plan.config["methods"]["neggrad"])
    assert plan.models("subclass", 1) == ["retrain", "original", *methods[1:]], "gold first, then the original"
    files = plan.model_files("subclass", 1)
    assert files["probs"][:3] == [f"{RUN}/models/subclass/s1/retrain.probs.npz", f"{RUN}/models/original/s1.probs.npz",
                                  f"{RUN}/models/subclass/s1/finetune.probs.npz"]  # fmt: skip
    assert files["runs"] == [f"{RUN}/models/subclass/s1/{m}.json" for m in methods], "no run record of the original"
    assert plan.unlearn_inputs("retrain", "fullclass", 0) == {"data": f"{RUN}/data.pt",
                                                              "forget": f"{RUN}/forget/fullclass/s0.json"}  # fmt: skip
    assert plan.unlearn_inputs("finetune", "fullclass", 0)["original"] == f"{RUN}/models/original/s0.pt"
    tables = "results/tiny/tables"
    assert plan.targets["baselines"] == [
        f"{tables}/baselines.csv",
        f"{tables}/baselines.md",
        f"{tables}/baselines.tex",
        "results/tiny/figures/baselines.png",
        "results/tiny/figures/baselines.pdf",
    ]
    assert plan.targets["comparison"] == [f"{tables}/{f}" for f in ("regime.md", "regime.csv", "paper_comparison.md",
                                                                    "paper_comparison.csv")]  # fmt: skip
    assert plan.all_outputs == plan.targets["baselines"] + plan.targets["comparison"]
    assert plan.targets["figures"] == ["results/tiny/figures/baselines.png", "results/tiny/figures/baselines.pdf"]
    for name in ("tmu", "rum", "smu", "survey", "hdus", "snn"):
        assert plan.targets[name] == [], f"the {name} target exists and builds nothing"
    assert plan.regime_inputs["metrics"] == [f"{RUN}/metrics/{sc}/s{s}.json" for sc in ("fullclass", "subclass")
                                             for s in (0, 1)]  # fmt: skip
    assert plan.regime_inputs["originals"] == [f"{RUN}/models/original/s{s}.probs.npz" for s in (0, 1)]
    assert plan.regime_kinds == {"fullclass": "full_class", "subclass": "sub_class"}
    assert plan.comparison_claims == [f"{tables}/regime_claims.csv"]
    assert plan.paper_scales == {"Regime (all papers)": "digits, smallcnn (width 0.25), 3 epochs, seeds [0, 1]"}
    assert plan.rule_files == ["rules/baselines.smk"]


def test_the_baselines_list_gains_the_gold_model_and_defaults_to_every_standalone_method():
    assert plan_of(tiny(baselines=["finetune"])).models("fullclass", 0) == ["retrain", "original", "finetune"]
    cfg = tiny()
    cfg["methods"]["tmu"] = {"epochs": 1}  # configured, but it needs TMU's partition: never a baseline
    assert "tmu" not in plan_of(cfg).models("fullclass", 0) and "tmu" in plan_of(cfg).methods


def test_fine_class_names_become_indices_in_the_plan_only():
    cfg = tiny()
    cfg["dataset"] = {"name": "cifar20", "root": "/nowhere", "verify": False}
    cfg["scenarios"] = {"rocket": {"kind": "fine_class", "fine": "rocket"}}
    plan = plan_of(cfg)
    assert (
        plan.scenarios["rocket"] == {"kind": "fine_class", "fine": 69}
        and plan.config["scenarios"]["rocket"]["fine"] == "rocket"
    )


# ---- each paper ---------------------------------------------------------------------------------------------------
def test_tmu_plan():
    cfg = tiny_config("tiny_tmu")
    cfg["tmu"]["classes"] = ["2", 5]  # a name, an index
    plan = plan_of(cfg)
    tmu = plan.settings("tmu")
    assert tmu["classes"] == [2, 5] and tmu["seeds"] == [0] and plan.config["tmu"]["classes"] == ["2", 5]
    assert list(plan.scenarios) == ["subclass", "tmu_c2_n10", "tmu_c5_n10", "tmu_c5_n5"]
    assert plan.scenarios["tmu_c5_n5"] == {"kind": "sub_class", "class": 5, "n": 5}
    gold_baselines_tmu = ["retrain", "finetune", "neggrad", "random_label", "bad_teacher", "tmu"]
    assert plan.models("tmu_c2_n10", 0) == [*gold_baselines_tmu, "original"]
    assert plan.models("tmu_c5_n5", 0) == ["retrain"], "a sweep-only size: Fig. 3 reads the models' outputs"
    assert plan.models("subclass", 0) == ["retrain", "original", "finetune", "neggrad", "random_label", "bad_teacher"]
    partition = "results/tinytmu/run/tmu/tmu_c2_n10/s0/partition.json"
    assert plan.unlearn_inputs("tmu", "tmu_c2_n10", 0)["partition"] == partition
    assert "partition" not in plan.unlearn_inputs("finetune", "tmu_c2_n10", 0)
    assert plan.regime_kinds == {"subclass": "sub_class", "tmu_c2_n10": "sub_class", "tmu_c5_n10": "sub_class",
                                 "tmu_c5_n5": "sub_class"}  # fmt: skip
    t = "results/tinytmu/tables"
    assert plan.targets["tmu"] == [
        *(f"{t}/tmu_table1.{e}" for e in ("csv", "md", "tex")), f"{t}/tmu_table3.csv", f"{t}/tmu_table3.md",
        f"{t}/tmu_table4.csv", f"{t}/tmu_table4.md", f"{t}/tmu_claims.md", f"{t}/tmu_claims.csv",
        "results/tinytmu/figures/tmu_fig3.png", "results/tinytmu/figures/tmu_fig3.pdf",
    ]  # fmt: skip
    assert plan.comparison_claims[1:] == [f"{t}/tmu_claims.csv"]
    scale = "digits, smallcnn (width 0.25), 3 epochs, seeds [0]; |D_f| = 10 per class, 2 classes"
    assert plan.paper_scales["TMU (001)"] == scale
    tmu_exp = plan.experiment("tmu")
    assert tmu_exp.label_inputs(plan, "sweep")["forget"] == [f"results/tinytmu/run/forget/tmu_c5_n{n}/s0.json"
                                                               for n in (5, 10)]  # fmt: skip
    assert plan_of({**cfg, "tmu": {**cfg["tmu"], "classes": "all"}}).settings("tmu")["classes"] == list(range(10))


def test_tmu_main_table_is_table_2_on_cifar100():
    cfg = yaml.safe_load((REPO / "configs/paper/tmu-cifar100.yaml").read_text())
    cfg["dataset"]["verify"] = False
    plan = plan_of(cfg)
    assert plan.experiment("tmu").main_table(plan) == "tmu_table2"
    assert "results/tmu-cifar100/tables/tmu_table2.tex" in plan.targets["tmu"]


def test_rum_plan():
    plan = plan_of(tiny_config("tiny_rum"))
    rum = plan.settings("rum")
    assert rum["difficulty"] == ["neggrad_plus"] and rum["seeds"] == [0, 1]
    levels = [f"rum_{f}_{lv}" for f in ("es", "mem") for lv in ("low", "medium", "high")]
    assert list(plan.scenarios) == ["random", *levels, "rum_mix"]
    assert plan.label_scenarios == ["random"], "RUM's forget sets come from its own rules"
    seq = plan.method("salun-rumf")
    assert seq.module == "sequence" and seq.calls == ("salun",) and seq.hp["sequence"] == "rumf"
    rum_m = plan.method("rum")
    assert rum_m.hp["methods"] == ["finetune", "neggrad_plus", "salun"] and rum_m.calls == ("finetune", "neggrad_plus",
                                                                                             "salun")  # fmt: skip
    assert plan.method_modules("rum") == ["sequence", "finetune", "neggrad_plus", "salun"]
    assert plan.models("rum_mix", 1) == ["retrain", "finetune", "finetune-shuffle", "finetune-rumf", "salun",
                                         "salun-shuffle", "salun-rumf", "rum", "original"]  # fmt: skip
    assert plan.models("rum_es_high", 0) == ["retrain", "neggrad_plus", "original"], "the original: no-op reference"
    assert plan.regime_inputs["memorization"] == "results/tinyrum/run/rum/memorization.json"
    assert len(plan.regime_inputs["metrics"]) == 2 + 2 * 7, "the baselines' and every RUM forget set's, 2 seeds"
    assert plan.regime_kinds == {"random": "random"}, "RUM's gold models are read for the fit only"
    exp = plan.experiment("rum")
    assert exp.memorization_models(plan) == [f"results/tinyrum/run/rum/memorization/models_{a}-{b}.npz"
                                             for a, b in ((0, 1), (2, 3))]  # fmt: skip
    assert constraint(plan.methods).split("|")[-1] == "rum"


def test_smu_adds_its_models_on_its_seeds_only():
    plan = plan_of(tiny_config("tiny_smu"))
    assert plan.models("rand", 0) == ["retrain", "original", "finetune"]
    assert plan.models("rand", 1) == ["retrain", "original", "finetune", "ssd", "smu"], "SMU's seed 1"
    assert plan.original_seeds == [0, 1]
    t = "results/tinysmu/tables"
    assert plan.targets["smu"][:3] == [f"{t}/smu_fullclass.{e}" for e in ("csv", "md", "tex")]
    assert plan.experiment("smu").dispersion_inputs(plan)["smu"] == [f"results/tinysmu/run/models/{sc}/s1/smu.pt"
                                                                     for sc in ("full", "part", "rand")]  # fmt: skip


def test_exact_methods_and_the_cost_figure():
    plan = plan_of(tiny_config("tiny_exact"))
    assert plan.models("rand", 0) == ["retrain", "original", "finetune", "sisa", "certified", "summation"]
    assert plan.models("full", 0) == ["retrain", "original", "finetune"]
    assert plan.targets["survey"] == [*plan.table("exact_methods"), *plan.table("survey_claims"),
                                      *plan.figure("cost_vs_quality")]  # fmt: skip
    assert plan.rule_files == ["rules/baselines.smk", "rules/exact.smk", "rules/survey.smk"]
    scale = "exact methods: digits, smallcnn (width 0.25), 3 epochs, seeds [0], scenarios ['rand']"
    assert plan.paper_scales["Survey (003)"] == scale


def test_hdus_and_snn_score_against_their_own_gold_models():
    plan = plan_of(tiny_config("tiny_families"))
    assert plan.models("hdus", 0) == ["hdus_retrain", "hdus_before", "hdus"]
    assert plan.models("snn_rand", 0) == ["snn_retrain", "snn_original", "snn_finetune", "snn_unlearn", "snn_recover"]
    assert plan.model_files("snn_rand", 0)["probs"][1] == "results/tinyfam/run/models/snn_original/s0.probs.npz"
    assert "results/tinyfam/run/models/snn_rand/s0/snn_original.json" not in plan.model_files("snn_rand", 0)["runs"]
    assert plan.label_scenarios == ["full", "snn_full", "snn_rand"], "HDUS's forget set comes from its departure"
    assert plan.settings("hdus")["train"] == plan.config["train"] and plan.config["hdus"]["train"] is None
    assert plan.original_seeds == [0], "HDUS and the SNN train no original CNN of their own"
    cost = plan.experiment("cost_vs_quality").metrics(plan)
    assert cost == [f"results/tinyfam/run/metrics/{sc}/s0.json" for sc in ("full", "hdus", "snn_full", "snn_rand")]
    assert plan.targets["hdus"] == [*plan.table("hdus"), *plan.table("hdus_clients"), *plan.table("hdus_claims")]
    assert plan.figure("cost_vs_quality")[0] in plan.targets["survey"]
    assert plan.targets["snn"] == [*plan.table("snn"), *plan.table("snn_claims"), *plan.figure("snn_accuracy_loss")]
    scales = plan.paper_scales["Survey (003)"].split("; ")
    assert scales[0].startswith("HDUS: dataset digits, 3 clients") and scales[1].startswith("spiking networks: ")


def test_every_paper_at_once():
    """The default config: the models of a shared scenario in experiment order, every claims file in paper order."""
    plan = plan_of(DEFAULT)
    baselines = ["finetune", "neggrad", "neggrad_plus", "random_label", "amnesiac", "bad_teacher"]
    assert plan.models("random", 0) == ["retrain", "original", *baselines, "scrub", "ssd", "smu", "sisa", "certified",
                                        "summation"]  # fmt: skip
    assert plan.models("random", 1) == ["retrain", "original", *baselines, "scrub", "ssd", "smu"], "exact: seed 0"
    assert plan.models("subclass", 0) == ["retrain", "original", *baselines], "not one of SMU's settings"
    t = "results/digits/tables"
    assert plan.comparison_claims == [f"{t}/{p}_claims.csv" for p in ("regime", "tmu", "rum", "smu", "survey", "hdus",
                                                                      "snn")]  # fmt: skip
    assert list(plan.paper_scales) == ["Regime (all papers)", "TMU (001)", "RUM (002)", "SMU (000)", "Survey (003)"]
    assert plan.rule_files == [f"rules/{r}.smk" for r in ("baselines", "tmu", "rum", "smu", "exact", "hdus", "snn",
                                                          "survey", "tuning")]  # fmt: skip
    assert len(plan.all_outputs) == len(set(plan.all_outputs)) == 78, "72 + tuning's 2 tables x 2 and its figure"
    assert set(plan.targets["figures"]) == {p for p in plan.all_outputs if p.startswith("results/digits/figures/")}
    assert all(set(plan.targets[t]) <= set(plan.all_outputs) for t in plan.targets)
    assert plan.snapshot_outputs[-1] == "docs/results/digits/MANIFEST.md"


# ---- a paper as a plug-in -----------------------------------------------------------------------------------------
class Toy(Experiment):
    """A paper the registry does not know: its own forget set, a model scored on it, a table and claims."""

    key, title, position = "toy", "Toy (999)", 50

    def scenarios(self, plan):
        return {"toy_rand": {"kind": "random", "n": 5}}

    def evaluates(self, plan, scenario, seed):
        return ["original", "finetune"] if scenario == "toy_rand" else []

    def original_seeds(self, plan):
        return [7]

    def outputs(self, plan):
        return [*plan.table("toy"), *plan.table("toy_claims")]

    def claims(self, plan):
        return [f"{plan.tables}/toy_claims.csv"]

    def scale(self, plan):
        return plan.scale_text([7], ", toy scale")


def test_a_toy_paper_plugs_in_through_the_registry():
    validated = validate_config(tiny(), SCHEMA)
    plan = Plan({**validated, "toy": {"on": True}}, [*discover(), Toy()])
    t = "results/tiny/tables"
    assert plan.targets["toy"] == [f"{t}/toy.csv", f"{t}/toy.md", f"{t}/toy_claims.csv", f"{t}/toy_claims.md"]
    assert set(plan.targets["toy"]) <= set(plan.all_outputs)
    assert "toy_rand" in plan.label_scenarios and plan.models("toy_rand", 0) == ["retrain", "original", "finetune"]
    assert plan.comparison_claims[-1] == f"{t}/toy_claims.csv" and plan.rule_files[-1] == "rules/toy.smk"
    assert plan.original_seeds == [0, 1, 7] and plan.paper_scales["Toy (999)"].endswith("seeds [7], toy scale")
    assert Plan(validated, [*discover(), Toy()]).targets["toy"] == [], "not configured: an empty target"


def test_the_registry_finds_every_experiment_in_order():
    keys = [e.key for e in discover()]
    assert keys == ["baselines", "tmu", "rum", "smu", "exact", "hdus", "snn", "cost_vs_quality", "tuning"]
    assert all((REPO / e.rule_file()).is_file() for e in discover())


# ---- code inputs derived from the scripts' imports ----------------------------------------------------------------
def write_package(root: Path) -> Path:
    """src/unlearn with a, b (imports a relatively, and c inside a function), pkg/{__init__, d (from .. import b)}."""
    lib = root / "src" / "unlearn"
    (lib / "pkg").mkdir(parents=True)
    (lib / "__init__.py").write_text("")
    (lib / "a.py").write_text("import os\n")
    (lib / "b.py").write_text("from . import a\n\ndef f():\n    from .c import g\n")
    (lib / "c.py").write_text("def g():\n    pass\n")
    (lib / "unused.py").write_text("")
    (lib / "pkg" / "__init__.py").write_text("X = 1\n")
    (lib / "pkg" / "d.py").write_text("from .. import b\nfrom . import X\n")
    (root / "script.py").write_text("import numpy\nfrom unlearn.pkg import d\n")
    return root / "src"


def test_the_closure_follows_every_import(tmp_path):
    src = write_package(tmp_path)
    found = [p.relative_to(src).as_posix() for p in codedeps.closure([tmp_path / "script.py"], src)]
    assert found == ["unlearn/__init__.py", "unlearn/a.py", "unlearn/b.py", "unlearn/c.py", "unlearn/pkg/__init__.py",
                     "unlearn/pkg/d.py"]  # fmt: skip
    assert codedeps.relative([src / "unlearn/a.py"], tmp_path) == ["src/unlearn/a.py"]


@pytest.mark.parametrize(
    ("script", "inside", "outside"),
    [
        (
            "rum_figures",
            ["rum/plots.py", "rum/report.py", "rum/__init__.py", "plots.py"],
            ["training.py", "evaluation.py"],
        ),
        ("smu_tables", ["evaluation.py", "smu/report.py", "reporting.py"], ["training.py", "smu/dispersion.py"]),
        ("unlearn", ["methods/__init__.py", "methods/base.py", "training.py", "models/resnet.py"], ["methods/ssd.py"]),
        ("evaluate", ["metrics.py", "evaluation.py", "forget.py"], ["training.py", "models/__init__.py"]),
    ],
)
def test_a_scripts_code_inputs_are_its_imports(script, inside, outside):
    found = {p.relative_to(REPO / "src/unlearn").as_posix() for p in codedeps.closure([REPO / f"scripts/{script}.py"])}
    assert set(inside) <= found and not set(outside) & found


# ---- LiRA's shadow models -----------------------------------------------------------------------------------------
def test_lira_shadows_reuse_the_memorization_models_else_its_own_else_none():
    rum = plan_of(tiny_config("tiny_rum"))
    assert rum.lira_shadows == rum.experiment("rum").memorization_models(rum), "RUM's subset models, no training"
    assert plan_of(tiny(mia={})).lira_shadows == [], "no shadows configured: no LiRA"
    own = plan_of(tiny(mia={"shadows": 5, "shadows_per_job": 2}))
    assert own.lira_batches == [(0, 1), (2, 3), (4, 4)]
    assert own.lira_shadows == [f"{RUN}/lira/shadows_{a}-{b}.npz" for a, b in ((0, 1), (2, 3), (4, 4))]
    cfg = tiny_config("tiny_rum")
    both = plan_of({**cfg, "mia": {"shadows": 4}})
    assert both.lira_shadows == ["results/tinyrum/run/lira/shadows_0-3.npz"], "its own take precedence"
    assert plan_of({**cfg, "mia": {"lira": False}}).lira_shadows == []
    assert plan_of({**cfg, "mia": {"lira": False, "shadows": 4}}).lira_shadows == [], "off: nothing trained"


@pytest.mark.parametrize("mia, field", [({"shadows": 1}, "mia.shadows"), ({"fraction": 1.0}, "mia.fraction"),
                                        ({"min_models": 1}, "mia.min_models"), ({"shadow": 4}, "mia")])  # fmt: skip
def test_a_bad_mia_section_names_its_field(mia, field):
    from unlearn.config import ConfigError

    with pytest.raises(ConfigError) as err:
        plan_of(tiny(mia=mia))
    assert field in str(err.value) and "\n" not in str(err.value).strip()


def test_ulira_jobs_default_to_the_baselines_methods_on_every_scenario_and_the_first_seed():
    plan = plan_of(tiny(mia={"shadows": 2, "unlearned_shadows": {"models": 3}}))
    assert plan.ulira_originals == [f"{RUN}/ulira/originals/m{k}.pt" for k in range(3)]
    methods = ["finetune", "neggrad", "neggrad_plus", "random_label", "amnesiac", "bad_teacher"]
    assert plan.ulira == {"models": 3, "methods": methods, "scenarios": ["fullclass", "subclass"], "seeds": [0]}
    assert plan.ulira_models("subclass", 0) == methods and plan.ulira_models("subclass", 1) == []
    only = plan_of(tiny(mia={"unlearned_shadows": {"models": 2, "methods": ["neggrad"], "scenarios": ["subclass"],
                                                   "seeds": [1]}}))  # fmt: skip
    assert only.ulira_models("subclass", 1) == ["neggrad"] and only.ulira_models("fullclass", 1) == []
    assert only.ulira_file("subclass", 1, "neggrad") == f"{RUN}/ulira/subclass/s1/neggrad.npz"
    assert plan_of(tiny(mia={"lira": False, "unlearned_shadows": {"models": 2}})).ulira == {}


@pytest.mark.parametrize("ulira, field", [({"methods": ["tmu"]}, "mia.unlearned_shadows.methods"),
                                          ({"methods": ["nope"]}, "mia.unlearned_shadows.methods"),
                                          ({"scenarios": ["nope"]}, "mia.unlearned_shadows.scenarios"),
                                          ({"seeds": [7]}, "mia.unlearned_shadows.seeds")])  # fmt: skip
def test_a_bad_ulira_section_names_its_field(ulira, field):
    from unlearn.config import ConfigError

    cfg = tiny(mia={"unlearned_shadows": {"models": 2, **ulira}})
    if ulira.get("methods") == ["tmu"]:
        cfg["methods"] = {**cfg["methods"], "tmu": {"epochs": 1, "lr": 0.02}}
    with pytest.raises(ConfigError) as err:
        plan_of(cfg)
    assert field in str(err.value) and "\n" not in str(err.value).strip()
