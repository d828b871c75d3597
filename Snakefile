# Machine-unlearning reproduction workflow: a table of contents.
# Usage: `make reproduce` (embedded default), or
#        snakemake --profile profiles/local [TARGET] --configfile configs/cifar10-sample.yaml [OVERLAY.yaml]
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
include: "rules/hdus.smk"
include: "rules/snn.smk"
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
        hdus_outputs(),
        snn_outputs(),
        cost_figure(),


rule hdus:
    input:
        hdus_outputs(),


rule snn:
    input:
        snn_outputs(),


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


# On a cluster these run on the login node (the profile's local-cores), not as one sbatch job each: the
# targets, and the cheap rules that only read and write small files (seconds each, no GPU).
localrules:
    all,
    baselines,
    tmu,
    rum,
    smu,
    survey,
    hdus,
    snn,
    comparison,
    figures,
    report,
    snapshot,
    prepare_data,
    forget_set,
    regime,
    paper_comparison,
    baselines_table,
    baselines_figure,
    exact_report,
    exact_figure,
    hdus_partition,
    hdus_report,
    snn_report,
    tmu_partition,
    tmu_tables,
    tmu_fig3_data,
    tmu_figure,
    tmu_claims,
    rum_memorization,
    rum_tables,
    rum_figures,
    rum_claims,
    smu_tables,
    smu_dispersion_figure,
