# Helpers shared by all rules -- config validation, paths, wildcard constraints, input functions.
import sys
from pathlib import Path

SRC_ROOT = Path(workflow.basedir) / "src"
LIB_DIR = SRC_ROOT / "unlearn"
# the library is installed (editable) in the project's venv for the jobs; this makes it importable
# here even when snakemake comes from elsewhere
sys.path.insert(0, str(SRC_ROOT))

from unlearn.config import ConfigError, validate_config
from unlearn import methods as method_registry

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
    return config["methods"][wildcards.method]


def scenario_spec(wildcards):
    return config["scenarios"][wildcards.scenario]


def unlearn_inputs(wildcards):
    """Retrain starts from scratch; every other method starts from the original model of that seed."""
    inputs = {
        "data": f"{RUN}/data.pt",
        "forget": f"{RUN}/forget/{wildcards.scenario}/s{wildcards.seed}.json",
    }
    if wildcards.method != "retrain":
        inputs["original"] = f"{RUN}/models/original/s{wildcards.seed}.pt"
    return inputs


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
