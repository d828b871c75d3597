# Machine-unlearning reproduction workflow: a table of contents.
# Usage: `make reproduce` (embedded default), or
#        snakemake --profile profiles/default [TARGET] --configfile configs/cifar10-sample.yaml [OVERLAY.yaml]
# Outputs of a config: results/<name>/{tables,figures,report.html,run}.
from snakemake.utils import min_version

min_version("9.0")


# the embedded default, unless --configfile names another experiment (which then replaces it, not merges)
if not workflow.config_settings.configfiles:

    configfile: "config.yaml"


report: "report/workflow.rst"


include: "rules/common.smk"


wildcard_constraints:
    seed=r"\d+",
    scenario="|".join(ALL_SCENARIOS),
    method="|".join(ALL_METHODS),


include: "rules/data.smk"
include: "rules/train.smk"
include: "rules/unlearn.smk"
include: "rules/evaluate.smk"
include: "rules/report.smk"
include: "rules/tmu.smk"
include: "rules/rum.smk"
include: "rules/smu.smk"
include: "rules/exact.smk"
include: "rules/comparison.smk"


rule all:
    default_target: True
    input:
        all_outputs(),


# one paper (or part) at a time: `snakemake tmu --configfile X` (targets before --configfile, which takes every
# word after it as another config file)
rule baselines:
    input:
        baselines_outputs(),


rule tmu:
    input:
        tmu_outputs(),


rule rum:
    input:
        rum_outputs(),


rule smu:
    input:
        smu_outputs(),


rule survey:
    input:
        exact_outputs(),


rule comparison:
    input:
        comparison_outputs(),


# every figure, redrawn from the stored numbers: after a `plots:` change only the plotting rules rerun
rule figures:
    input:
        figure_outputs(),


# the HTML report of the whole config (Snakemake's report: tables, figures, provenance, run times)
rule report:
    input:
        all_outputs(),
    output:
        REPORT,
    log:
        f"{RUN}/logs/report.log",
    benchmark:
        f"{RUN}/benchmarks/report.tsv"
    conda:
        "envs/unlearn.yaml"
    params:
        configfile=f"{RUN}/report_config.yaml",
        snakefile=workflow.main_snakefile,
    script:
        "scripts/report.py"


localrules:
    all,
    baselines,
    tmu,
    rum,
    smu,
    survey,
    comparison,
    figures,
    report,
