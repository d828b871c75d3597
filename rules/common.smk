# Helpers shared by all rules -- config validation, paths, wildcard constraints, input functions.
import os
import sys
from pathlib import Path

SRC_ROOT = Path(workflow.basedir) / "src"
LIB_DIR = SRC_ROOT / "unlearn"
PAPER_DIR = (
    Path(workflow.basedir) / "paper_values"
)  # the papers' numbers (read-only data)
# the library is importable here from this workflow's own src/, and so is it in every job: PYTHONPATH puts it
# before the venv's editable install, which may point at another checkout (a copy of the workflow, a second clone)
sys.path.insert(0, str(SRC_ROOT))
os.environ.update(
    PYTHONPATH=os.pathsep.join(
        p for p in (str(SRC_ROOT), os.environ.get("PYTHONPATH")) if p
    )
)

from unlearn.config import ConfigError, validate_config
from unlearn import methods as method_registry
from unlearn import tmu as tmu_plan
from unlearn import rum as rum_plan
from unlearn import smu as smu_plan
from unlearn import exact as exact_plan
from unlearn import hdus as hdus_plan
from unlearn import snn as snn_plan
from unlearn.tables import model_text

try:
    config = validate_config(
        config, Path(workflow.basedir) / "schemas/config.schema.yaml"
    )
except ConfigError as exc:
    sys.exit(str(exc))

# everything a config writes lives under results/<name>/, so two configs never touch each other's outputs
OUT = f"results/{config['name']}"
RUN = f"{OUT}/run"  # models, forget sets, metric records, logs, benchmarks
TABLES = (
    f"{OUT}/tables"  # tables and claims (CSV + Markdown, LaTeX where the papers use it)
)
FIGURES = f"{OUT}/figures"  # PNG + PDF
SEEDS = config["seeds"]
SCENARIOS = list(config["scenarios"])
METHODS = list(
    config["baselines"] or config["methods"]
)  # the baselines table's methods
EVALUATED = ["original", *METHODS]

# Twin Machine Unlearning (paper 001): its own scenarios (tmu_c<class>_n<n>), seeds and methods
TMU = config.get("tmu")
TMU_SCENARIOS = tmu_plan.scenarios(TMU)
TMU_SEEDS = TMU["seeds"] if TMU else []
TMU_METHODS = ["retrain", *TMU["baselines"], "tmu"] if TMU else []
# TMU's main table reproduces paper Table 2 on CIFAR-100 and Table 1 otherwise
TMU_MAIN = "tmu_table2" if config["dataset"]["name"] == "cifar100" else "tmu_table1"

# RUM (paper 002): ES / memorization forget sets (rum_es_<level>, rum_mem_<level>) and the RUM table's rum_mix
RUM = config.get("rum")
RUM_SCENARIOS = rum_plan.scenarios(RUM)
RUM_SEEDS = RUM["seeds"] if RUM else []
RUM_SEQUENCES = rum_plan.sequence_methods(RUM)  # <method>-shuffle, <method>-rumf, rum
RUM_TABLE_METHODS = ["retrain", *rum_plan.table_methods(RUM)] if RUM else []
RUM_DIFFICULTY_METHODS = ["retrain", *RUM["difficulty"]] if RUM else []

# Siamese Machine Unlearning (paper 000): its settings run on `scenarios` entries, beside the baselines
SMU = config.get("smu")
SMU_SETTINGS = smu_plan.settings(SMU)  # {fullclass|subclass|random: scenario}
SMU_SEEDS = SMU["seeds"] if SMU else []
SMU_METHODS = smu_plan.methods(SMU)  # retrain, original, baselines, smu

EXACT = config.get("exact")  # the survey's exact / certified methods (paper 003)
EXACT_SCENARIOS = EXACT["scenarios"] if EXACT else []
EXACT_SEEDS = EXACT["seeds"] if EXACT else []
EXACT_METHODS = exact_plan.METHODS

# the survey's decentralized family (HDUS): one scenario, a client's departure (its forget set: that client's data)
HDUS = config.get("hdus")
HDUS_SEEDS = HDUS["seeds"] if HDUS else []
HDUS_SCENARIOS = {hdus_plan.SCENARIO: {"kind": "client"}} if HDUS else {}
# the survey's unlearning in spiking networks: its own scenarios snn_<name>, scored against the SNN's gold model
SNN = config.get("snn")
SNN_SCENARIOS = snn_plan.scenarios(SNN)
SNN_SEEDS = SNN["seeds"] if SNN else []

ALL_SCENARIOS = {
    **config["scenarios"],
    **TMU_SCENARIOS,
    **RUM_SCENARIOS,
    **SNN_SCENARIOS,
    **HDUS_SCENARIOS,
}
ALL_METHODS = list(config["methods"]) + (["tmu"] if TMU else []) + RUM_SEQUENCES
# forget sets the `forget_set` rule makes from labels alone (RUM's and HDUS's come from their own rules)
LABEL_SCENARIOS = [
    s for s in ALL_SCENARIOS if s not in RUM_SCENARIOS and s not in HDUS_SCENARIOS
]


def lib(*modules):
    """Library files a rule depends on (editing one reruns the rule)."""
    return [str(LIB_DIR / f"{m}.py") for m in ("__init__", "io", *modules)]


def original_probs(seeds):
    """The original models' outputs (the regime line of a table: how well they fit D)."""
    return [f"{RUN}/models/original/s{seed}.probs.npz" for seed in seeds]


def model_lib():
    return sorted(str(p) for p in (LIB_DIR / "models").glob("*.py"))


def method_lib(wildcards):
    """The method's own module(s) plus the shared method scaffolding (and RUM's sequence runner)."""
    if wildcards.method in RUM_SEQUENCES:
        steps = method_hparams(wildcards)["methods"]
        own = [str(method_registry.module_path(m)) for m in dict.fromkeys(steps)]
        own += [str(LIB_DIR / "rum" / f"{m}.py") for m in ("__init__", "sequence")]
    else:
        own = [str(method_registry.module_path(wildcards.method))]
    return [
        *own,
        str(LIB_DIR / "methods/base.py"),
        str(LIB_DIR / "methods/__init__.py"),
    ]


def method_hparams(wildcards):
    if wildcards.method == "tmu":
        return TMU["unlearn"]
    if wildcards.method in RUM_SEQUENCES:
        return rum_plan.sequence_plan(wildcards.method, RUM, config["methods"])
    return config["methods"][wildcards.method]


def scenario_spec(wildcards):
    return ALL_SCENARIOS[wildcards.scenario]


def unlearn_inputs(wildcards):
    """Retrain starts from scratch; every other method starts from the original model of that seed."""
    inputs = {
        "data": f"{RUN}/data.pt",
        "forget": f"{RUN}/forget/{wildcards.scenario}/s{wildcards.seed}.json",
    }
    if wildcards.method != "retrain":
        inputs["original"] = f"{RUN}/models/original/s{wildcards.seed}.pt"
    if wildcards.method == "tmu":
        inputs["partition"] = tmu_path(wildcards, "partition.json")
    return inputs


def tmu_path(wildcards, name):
    return f"{RUN}/tmu/{wildcards.scenario}/s{wildcards.seed}/{name}"


def scenario_models(scenario, seed):
    """The models evaluated on (scenario, seed), gold first (the experiments' scenario names are disjoint)."""
    if (
        scenario in SNN_SCENARIOS
    ):  # spiking networks: their own gold (the SNN retrained) and original
        return snn_plan.models()
    if (
        scenario in HDUS_SCENARIOS
    ):  # the network of clients: gold = affected clients retrained
        return list(hdus_plan.MODELS)
    if scenario in config["scenarios"]:
        models = list(EVALUATED)
        if scenario in SMU_SETTINGS.values() and int(seed) in SMU_SEEDS:
            models += [m for m in SMU_METHODS if m not in models]
        if scenario in EXACT_SCENARIOS and int(seed) in EXACT_SEEDS:
            models += EXACT_METHODS
    elif scenario in tmu_plan.main_scenarios(TMU):
        models = [
            *TMU_METHODS,
            "original",
        ]  # the original: the memorization gap in the regime checks
    elif scenario == rum_plan.MIX:
        models = RUM_TABLE_METHODS
    elif scenario in RUM_SCENARIOS:
        models = RUM_DIFFICULTY_METHODS
    else:  # TMU's sweep-only scenarios: their label accuracy is read from the models' outputs
        models = ["retrain"]
    return ["retrain", *(m for m in models if m != "retrain")]


def evaluated_models(wildcards):
    return scenario_models(wildcards.scenario, wildcards.seed)


def evaluated_inputs(wildcards):
    """Outputs of every model evaluated on (scenario, seed) and their run records (wall time; methods only)."""
    stem = f"{RUN}/models/{wildcards.scenario}/s{wildcards.seed}"
    models = scenario_models(wildcards.scenario, wildcards.seed)
    originals = {
        "original": f"{RUN}/models/original/s{wildcards.seed}.probs.npz",
        snn_plan.ORIGINAL: f"{RUN}/models/{snn_plan.ORIGINAL}/s{wildcards.seed}.probs.npz",
    }
    return {
        "probs": [originals.get(m, f"{stem}/{m}.probs.npz") for m in models],
        "runs": [f"{stem}/{m}.json" for m in models if m not in originals],
    }


def metric_files(scenarios, seeds):
    """One metrics file per (scenario, seed): the records of all its models."""
    return expand(
        f"{RUN}/metrics/{{scenario}}/s{{seed}}.json", scenario=scenarios, seed=seeds
    )


def baselines_metrics():
    return metric_files(SCENARIOS, SEEDS)


def baselines_outputs():
    return [
        *expand(f"{TABLES}/baselines.{{ext}}", ext=["csv", "md", "tex"]),
        *expand(f"{FIGURES}/baselines.{{ext}}", ext=["png", "pdf"]),
    ]


def tmu_metrics():
    """Metric records of the TMU experiment's main scenarios (Tables 1 and 3)."""
    return metric_files(tmu_plan.main_scenarios(TMU), TMU_SEEDS)


def tmu_label_inputs(scenarios):
    """What label accuracy (Table 4, Fig. 3) is computed from: the TMU partitions, the gold, Bad Teacher
    and TMU models' outputs, and the forget sets."""
    files = {
        "partitions": expand(
            f"{RUN}/tmu/{{scenario}}/s{{seed}}/partition.json",
            scenario=scenarios,
            seed=TMU_SEEDS,
        ),
        "forget": expand(
            f"{RUN}/forget/{{scenario}}/s{{seed}}.json",
            scenario=scenarios,
            seed=TMU_SEEDS,
        ),
    }
    for method in ("retrain", "bad_teacher", "tmu"):
        if method in TMU_METHODS:
            files[method] = expand(
                f"{RUN}/models/{{scenario}}/s{{seed}}/{method}.probs.npz",
                scenario=scenarios,
                seed=TMU_SEEDS,
            )
    return files


def tmu_outputs():
    if not TMU:
        return []
    out = [
        *expand(f"{TABLES}/{TMU_MAIN}.{{ext}}", ext=["csv", "md", "tex"]),
        *expand(f"{TABLES}/tmu_table{{n}}.{{ext}}", n=[3, 4], ext=["csv", "md"]),
        *expand(f"{TABLES}/tmu_claims.{{ext}}", ext=["md", "csv"]),
    ]
    if TMU.get("sweep"):
        out += expand(f"{FIGURES}/tmu_fig3.{{ext}}", ext=["png", "pdf"])
    return out


def rum_path(name):
    return f"{RUN}/rum/{name}"


def rum_model_params():
    """What a memorization model depends on (not K or the batch size, so a larger K keeps the models trained)."""
    mem = RUM["memorization"] if RUM else {}
    return {k: mem[k] for k in ("fraction", "epochs", "holdout") if k in mem}


def rum_memorization_models():
    """The K subset models' files, `models_per_job` models each."""
    if not RUM:
        return []
    return [
        rum_path(f"memorization/models_{a}-{b}.npz")
        for a, b in rum_plan.memorization_batches(RUM["memorization"])
    ]


def rum_table_inputs(wildcards):
    """Everything the RUM tables are computed from: metric records, embeddings, ES records, memorization."""
    return {
        "table": metric_files([rum_plan.MIX], RUM_SEEDS),
        "difficulty": metric_files(rum_plan.difficulty_scenarios(RUM), RUM_SEEDS),
        "embeddings": expand(rum_path("s{seed}/embeddings.npz"), seed=RUM_SEEDS),
        "es_records": expand(rum_path("s{seed}/entanglement.json"), seed=RUM_SEEDS),
        "mem_forget": expand(
            f"{RUN}/forget/rum_mem_{{level}}/s{{seed}}.json",
            level=rum_plan.LEVELS,
            seed=RUM_SEEDS,
        ),
        "memorization": rum_path("memorization.json"),
    }


def rum_outputs():
    if not RUM:
        return []
    return [
        *expand(f"{TABLES}/rum_table.{{ext}}", ext=["csv", "md", "tex"]),
        *expand(
            f"{TABLES}/rum_{{name}}.{{ext}}",
            name=["es_values", "es_by_memorization", "difficulty", "memorization"],
            ext=["csv", "md"],
        ),
        *expand(
            f"{FIGURES}/rum_{{name}}.{{ext}}",
            name=["es_partitions", "difficulty", "memorization"],
            ext=["png", "pdf"],
        ),
        *expand(f"{TABLES}/rum_claims.{{ext}}", ext=["md", "csv"]),
    ]


def smu_inputs(wildcards):
    """SMU's tables: the metric records of its scenarios and the papers' numbers."""
    return {
        "metrics": metric_files(list(SMU_SETTINGS.values()), SMU_SEEDS),
        "paper": [str(PAPER_DIR / f"smu_{s}.csv") for s in SMU_SETTINGS],
    }


def smu_dispersion_inputs(wildcards):
    """The original, gold and SMU models of every SMU (scenario, seed), and their forget sets."""
    pairs = [(sc, seed) for sc in SMU_SETTINGS.values() for seed in SMU_SEEDS]
    return {
        "data": f"{RUN}/data.pt",
        "forget": [f"{RUN}/forget/{sc}/s{seed}.json" for sc, seed in pairs],
        "original": [f"{RUN}/models/original/s{seed}.pt" for _, seed in pairs],
        "retrain": [f"{RUN}/models/{sc}/s{seed}/retrain.pt" for sc, seed in pairs],
        "smu": [f"{RUN}/models/{sc}/s{seed}/smu.pt" for sc, seed in pairs],
    }


def smu_outputs():
    if not SMU:
        return []
    return [
        *expand(
            f"{TABLES}/smu_{{setting}}.{{ext}}",
            setting=list(SMU_SETTINGS),
            ext=["csv", "md", "tex"],
        ),
        *expand(f"{TABLES}/smu_claims.{{ext}}", ext=["md", "csv"]),
        *expand(f"{TABLES}/smu_logit_dispersion.{{ext}}", ext=["csv", "md"]),
        *expand(f"{FIGURES}/smu_logit_dispersion.{{ext}}", ext=["png", "pdf"]),
    ]


SMU_SCALE = {
    "dataset": config["dataset"]["name"],
    "model": config["model"],
    "epochs": config["train"]["epochs"],
    "seeds": SMU_SEEDS,
    "scenarios": SMU_SETTINGS,
}


def smu_table_outputs():
    out = {
        "claims": f"{TABLES}/smu_claims.md",
        "claims_csv": f"{TABLES}/smu_claims.csv",
    }
    for setting in SMU_SETTINGS:
        for ext in ("csv", "md", "tex"):
            path = f"{TABLES}/smu_{setting}.{ext}"
            if ext == "md":  # the Markdown tables go into the HTML report
                path = report(
                    path, caption="../report/smu.rst", category="SMU (paper 000)"
                )
            out[f"{setting}_{ext}"] = path
    return out


def cost_figure():
    """The survey's cost-vs-quality figure: drawn when any of its families runs."""
    if not (EXACT or HDUS or SNN):
        return []
    return expand(f"{FIGURES}/cost_vs_quality.{{ext}}", ext=["png", "pdf"])


def cost_figure_metrics():
    """Every metric record the figure shows: the `scenarios` entries (every method), HDUS's and the SNN's."""
    return (
        metric_files(list(config["scenarios"]), SEEDS)
        + metric_files(list(HDUS_SCENARIOS), HDUS_SEEDS)
        + metric_files(list(SNN_SCENARIOS), SNN_SEEDS)
    )


def exact_outputs():
    if not EXACT:
        return []
    return [
        *expand(f"{TABLES}/exact_methods.{{ext}}", ext=["csv", "md"]),
        *expand(f"{TABLES}/survey_claims.{{ext}}", ext=["csv", "md"]),
        *cost_figure(),
    ]


def hdus_outputs():
    if not HDUS:
        return []
    return [
        *expand(
            f"{TABLES}/hdus{{part}}.{{ext}}", part=["", "_clients"], ext=["csv", "md"]
        ),
        *expand(f"{TABLES}/hdus_claims.{{ext}}", ext=["csv", "md"]),
    ]


def snn_outputs():
    if not SNN:
        return []
    return [
        *expand(
            f"{TABLES}/snn{{part}}.{{ext}}", part=["", "_claims"], ext=["csv", "md"]
        ),
        *expand(f"{FIGURES}/snn_accuracy_loss.{{ext}}", ext=["png", "pdf"]),
    ]


def hdus_params(*keys):
    """The part of the `hdus` section a rule reads (changing another key does not rerun it)."""
    return {k: HDUS[k] for k in keys} if HDUS else {}


def hdus_path(wildcards, name):
    return f"{RUN}/hdus/s{wildcards.seed}/{name}"


def hdus_client_models(wildcards):
    return [
        hdus_path(wildcards, f"clients_{a}-{b}.pt") for a, b in hdus_plan.batches(HDUS)
    ]


HDUS_SCALE = (
    f"Scale: dataset {config['dataset']['name']}, {HDUS['clients']} clients ({HDUS['partition']} parts of D, "
    f"{HDUS['topology']} topology), main models {', '.join(model_text(m) for m in HDUS['models'])}, seed model "
    f"{model_text(HDUS['seed_model'])}, {HDUS['train']['epochs']} epochs, client {HDUS['depart']} leaves, "
    f"seeds {HDUS_SEEDS}"
    if HDUS
    else ""
)
SNN_SCALE = (
    f"Scale: dataset {config['dataset']['name']}, spiking MLP hidden {SNN['model']['hidden']}, "
    f"{SNN['model']['steps']} time steps, {SNN['train']['epochs']} epochs, seeds {SNN_SEEDS}"
    if SNN
    else ""
)


def exact_report_inputs(wildcards):
    """Every metric record of the `scenarios` entries (the figure: all methods) and the exact methods' runs."""
    return {
        "metrics": metric_files(list(config["scenarios"]), SEEDS),
        "runs": [
            f"{RUN}/models/{sc}/s{seed}/{m}.json"
            for sc in EXACT_SCENARIOS
            for seed in EXACT_SEEDS
            for m in EXACT_METHODS
        ],
    }


EXACT_SCALE = (
    f"Scale: dataset {config['dataset']['name']}, model {model_text(config['model'])}, "
    f"{config['train']['epochs']} training epochs, seeds {EXACT_SEEDS}"
    + (
        f"; SISA S = {EXACT['sisa']['shards']}, R = {EXACT['sisa']['slices']}"
        if EXACT
        else ""
    )
)


# ---- the regime checks and the one-page comparison (rules/comparison.smk) ----------------------------------------
ALL_SEEDS = sorted(
    set(SEEDS) | set(TMU_SEEDS) | set(RUM_SEEDS) | set(SMU_SEEDS) | set(EXACT_SEEDS)
)
# scenarios whose original and gold models the regime checks read: the `scenarios` entries and TMU's (RUM's
# gold models are read too, for the fit; their forget sets have no original model evaluated on them)
REGIME_SCENARIOS = {**config["scenarios"], **TMU_SCENARIOS}


def regime_inputs(wildcards):
    files = {
        "metrics": metric_files(SCENARIOS, SEEDS)
        + metric_files(list(TMU_SCENARIOS), TMU_SEEDS)
        + metric_files(list(RUM_SCENARIOS), RUM_SEEDS),
        "originals": original_probs(ALL_SEEDS),
    }
    if RUM:
        files["memorization"] = rum_path("memorization.json")
    return files


def comparison_claims():
    """The claims files the comparison page gathers: the regime's and every configured paper's."""
    papers = {
        "regime": True,
        "tmu": TMU,
        "rum": RUM,
        "smu": SMU,
        "survey": EXACT,
        "hdus": HDUS,
        "snn": SNN,
    }
    return [f"{TABLES}/{name}_claims.csv" for name, on in papers.items() if on]


def _scale(seeds, extra=""):
    return (
        f"{config['dataset']['name']}, {model_text(config['model'])}, "
        f"{config['train']['epochs']} epochs, seeds {list(seeds)}{extra}"
    )


RUN_SCALE = (
    f"Run `{config['name']}`: dataset {config['dataset']['name']}, model {model_text(config['model'])}, "
    f"{config['train']['epochs']} training epochs ({config['train'].get('optimizer', 'sgd')} lr "
    f"{config['train']['lr']}, augmentation {config['train'].get('augment') or 'none'}), seeds {SEEDS}."
)
PAPER_SCALES = {
    "Regime (all papers)": _scale(ALL_SEEDS),
    "TMU (001)": (
        _scale(
            TMU_SEEDS, f"; |D_f| = {TMU['n']} per class, {len(TMU['classes'])} classes"
        )
        if TMU
        else ""
    ),
    "RUM (002)": (
        _scale(
            RUM_SEEDS,
            f"; sets of {RUM['n']}, K = {RUM['memorization']['models']} memorization models",
        )
        if RUM
        else ""
    ),
    "SMU (000)": _scale(SMU_SEEDS) if SMU else "",
    "Survey (003)": "; ".join(
        part
        for part in (
            (
                "exact methods: "
                + _scale(EXACT_SEEDS, f", scenarios {EXACT_SCENARIOS}")
                if EXACT
                else ""
            ),
            HDUS_SCALE.replace("Scale: ", "HDUS: ") if HDUS else "",
            SNN_SCALE.replace("Scale: ", "spiking networks: ") if SNN else "",
        )
        if part
    ),
}


def comparison_outputs():
    return [
        *expand(f"{TABLES}/regime.{{ext}}", ext=["md", "csv"]),
        *expand(f"{TABLES}/paper_comparison.{{ext}}", ext=["md", "csv"]),
    ]


def all_outputs():
    """Every table, claims file and figure of the config (the default target `all`), each once."""
    outputs = [
        *baselines_outputs(),
        *tmu_outputs(),
        *rum_outputs(),
        *smu_outputs(),
        *exact_outputs(),
        *hdus_outputs(),
        *snn_outputs(),
        *cost_figure(),  # every method of the run: the `hdus` and `snn` targets alone do not draw it
        *comparison_outputs(),
    ]
    return list(dict.fromkeys(outputs))


def figure_outputs():
    """The figures alone (`snakemake figures`): after a `plots:` change only the plotting rules rerun."""
    return [p for p in all_outputs() if p.startswith(f"{FIGURES}/")]


REPORT = f"{OUT}/report.html"


# ---- the committed snapshot of a run (rules/comparison.smk: `snakemake snapshot`) --------------------------------
SNAPSHOT_DIR = f"docs/results/{config['name']}"


def snapshot_sources():
    """The small files a reader sees without running: tables and claims (Markdown + CSV), figures (PNG)."""
    return [p for p in all_outputs() if p.endswith((".md", ".csv", ".png"))]


def snapshot_outputs():
    names = [Path(p).name for p in snapshot_sources()] + ["MANIFEST.md"]
    return [f"{SNAPSHOT_DIR}/{name}" for name in names]
