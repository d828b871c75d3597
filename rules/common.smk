# Binds the experiment plan (src/unlearn/plan.py) to Snakemake: the config's validation, PLAN, the wildcard
# constraints, thin input functions, log / benchmark paths, and each rule's code inputs (derived from its script's
# imports, relative paths).
import functools
import os
import sys
from pathlib import Path

BASEDIR = Path(workflow.basedir)
SRC = BASEDIR / "src"
# the library is importable here from this workflow's own src/, and so is it in every job: PYTHONPATH puts it
# before the venv's editable install, which may point at another checkout (a copy of the workflow, a second clone)
sys.path.insert(0, str(SRC))
os.environ.update(
    PYTHONPATH=os.pathsep.join(p for p in (str(SRC), os.environ.get("PYTHONPATH")) if p)
)

from unlearn import codedeps
from unlearn.config import ConfigError, validate_config
from unlearn.plan import Plan, constraint

try:
    config = validate_config(config, BASEDIR / "schemas/config.schema.yaml")
except ConfigError as exc:
    sys.exit(str(exc))

# everything a config writes lives under results/<name>/, so two configs never touch each other's outputs
PLAN = Plan(config)
RUN, TABLES, FIGURES = PLAN.run, PLAN.tables, PLAN.figures


wildcard_constraints:
    seed=r"\d+",
    scenario=constraint(PLAN.scenarios),
    method=constraint(PLAN.methods),


def logfile(name):
    return f"{RUN}/logs/{name}.log"


def benchfile(name):
    return f"{RUN}/benchmarks/{name}.tsv"


def relative(*paths):
    """Paths inside the workflow, relative to the working directory (a moved checkout plans nothing new)."""
    return codedeps.relative([BASEDIR / p for p in paths])


def paper_values(*names):
    """The papers' numbers (paper_values/<name>.csv, read-only data)."""
    return relative(*(f"paper_values/{n}.csv" for n in names))


@functools.cache
def code(script, modules=()):
    """The library modules scripts/<script>.py imports, directly or not, and those of `modules` (imported by name
    at run time): editing any of them reruns the rule, editing another module does not.
    """
    files = [BASEDIR / "scripts" / f"{script}.py"]
    files += [codedeps.module_path(f"unlearn.{m}", SRC) for m in modules]
    return codedeps.relative(codedeps.closure(files, SRC))


def method_code(wildcards):
    """An unlearning job's method modules (methods.get imports them by name) and what they import."""
    modules = tuple(f"methods.{m}" for m in PLAN.method_modules(wildcards.method))
    return sorted(set(code("unlearn", modules)) - set(code("unlearn")))


def method_module(wildcards):
    return PLAN.method(wildcards.method).module


def method_hparams(wildcards):
    return PLAN.method(wildcards.method).hp


def tune_points(wildcards):
    """A trials job's grid points (rules/tuning.smk)."""
    return PLAN.experiment("tuning").points(PLAN, wildcards.method)


def tune_space(wildcards):
    return PLAN.experiment("tuning").space(PLAN, wildcards.method)


def unlearn_inputs(wildcards):
    return PLAN.unlearn_inputs(wildcards.method, wildcards.scenario, wildcards.seed)


def scenario_spec(wildcards):
    return PLAN.scenarios[wildcards.scenario]


def evaluated_models(wildcards):
    return PLAN.models(wildcards.scenario, wildcards.seed)


def evaluated_inputs(wildcards):
    return PLAN.model_files(wildcards.scenario, wildcards.seed)


def ulira_models(wildcards):
    """The models of an evaluation whose U-LiRA runs (their unlearned shadows: ulira_files, in this order)."""
    return PLAN.ulira_models(wildcards.scenario, wildcards.seed)


def ulira_files(wildcards):
    scenario, seed = wildcards.scenario, wildcards.seed
    return [PLAN.ulira_file(scenario, seed, m) for m in ulira_models(wildcards)]


def ulira_inputs(wildcards):
    """A U-LiRA unlearning job reads what the method's test job reads (the tuned values, the forget set), not the
    original model: it unlearns the shadow originals."""
    files = PLAN.unlearn_inputs(wildcards.method, wildcards.scenario, wildcards.seed)
    return {k: v for k, v in files.items() if k != "original"}
