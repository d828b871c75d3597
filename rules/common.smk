# Helpers shared by all rules -- config validation, paths, wildcard constraints, input functions.
import sys
from pathlib import Path

SRC_ROOT = Path(workflow.basedir) / "src"
LIB_DIR = SRC_ROOT / "unlearn"
PAPER_DIR = (
    Path(workflow.basedir) / "paper_values"
)  # the papers' numbers (read-only data)
# the library is installed (editable) in the project's venv for the jobs; this makes it importable
# here even when snakemake comes from elsewhere
sys.path.insert(0, str(SRC_ROOT))

from unlearn.config import ConfigError, validate_config
from unlearn import methods as method_registry
from unlearn import tmu as tmu_plan

try:
    config = validate_config(
        config, Path(workflow.basedir) / "schemas/config.schema.yaml"
    )
except ConfigError as exc:
    sys.exit(str(exc))

RUN = f"results/runs/{config['name']}"
SEEDS = config["seeds"]
SCENARIOS = list(config["scenarios"])
METHODS = list(config["methods"])
EVALUATED = ["original", *METHODS]

# Twin Machine Unlearning (paper 001): its own scenarios (tmu_c<class>_n<n>), seeds and methods
TMU = config.get("tmu")
TMU_SCENARIOS = tmu_plan.scenarios(TMU)
TMU_SEEDS = TMU["seeds"] if TMU else []
TMU_METHODS = ["retrain", *TMU["baselines"], "tmu"] if TMU else []
# TMU's main table reproduces paper Table 2 on CIFAR-100 and Table 1 otherwise
TMU_MAIN = "tmu_table2" if config["dataset"]["name"] == "cifar100" else "tmu_table1"
ALL_SCENARIOS = {**config["scenarios"], **TMU_SCENARIOS}
ALL_METHODS = METHODS + (["tmu"] if TMU else [])


def lib(*modules):
    """Library files a rule depends on (editing one reruns the rule)."""
    return [str(LIB_DIR / f"{m}.py") for m in ("__init__", "io", *modules)]


def model_lib():
    return sorted(str(p) for p in (LIB_DIR / "models").glob("*.py"))


def method_lib(wildcards):
    """The method's own module plus the shared method scaffolding."""
    return [
        str(method_registry.module_path(wildcards.method)),
        str(LIB_DIR / "methods/base.py"),
        str(LIB_DIR / "methods/__init__.py"),
    ]


def method_hparams(wildcards):
    if wildcards.method == "tmu":
        return TMU["unlearn"]
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


def evaluated_inputs(wildcards):
    """Outputs of the evaluated model, its run record (wall time; methods only) and, except for the
    gold model itself, the gold model's metrics (its MIA scores are computed once, there).
    """
    if wildcards.evaluated == "original":
        inputs = {"probs": f"{RUN}/models/original/s{wildcards.seed}.probs.npz"}
    else:
        stem = (
            f"{RUN}/models/{wildcards.scenario}/s{wildcards.seed}/{wildcards.evaluated}"
        )
        inputs = {"probs": f"{stem}.probs.npz", "run": f"{stem}.json"}
    if wildcards.evaluated != "retrain":
        inputs["gold_metrics"] = (
            f"{RUN}/metrics/{wildcards.scenario}/s{wildcards.seed}/retrain.json"
        )
    return inputs


def baselines_metrics():
    return expand(
        f"{RUN}/metrics/{{scenario}}/s{{seed}}/{{evaluated}}.json",
        scenario=SCENARIOS,
        seed=SEEDS,
        evaluated=EVALUATED,
    )


def baselines_outputs():
    return [
        *expand("results/tables/baselines.{ext}", ext=["csv", "md", "tex"]),
        *expand("figures/baselines.{ext}", ext=["png", "pdf"]),
    ]


def tmu_metrics():
    """Metric records of the TMU experiment's main scenarios (Tables 1 and 3)."""
    if not TMU:
        return []
    return expand(
        f"{RUN}/metrics/{{scenario}}/s{{seed}}/{{evaluated}}.json",
        scenario=tmu_plan.main_scenarios(TMU),
        seed=TMU_SEEDS,
        evaluated=TMU_METHODS,
    )


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
        *expand(f"results/tables/{TMU_MAIN}.{{ext}}", ext=["csv", "md", "tex"]),
        *expand("results/tables/tmu_table{n}.{ext}", n=[3, 4], ext=["csv", "md"]),
        "results/tables/tmu_claims.md",
    ]
    if TMU.get("sweep"):
        out += expand("figures/tmu_fig3.{ext}", ext=["png", "pdf"])
    return out
