# Machine-unlearning reproduction workflow: a table of contents.
# Usage: `make reproduce` (embedded default), or
#        snakemake --profile profiles/local [TARGET] --configfile configs/cifar10-sample.yaml [OVERLAY.yaml]
# Outputs of a config: results/<name>/{tables,figures,report.html,run}. Which jobs exist and what each reads is
# the plan (src/unlearn/plan.py); each paper is a plug-in with a rule file of its own (src/unlearn/plugins.py).
from snakemake.utils import min_version

min_version("9.0")


# the embedded default, unless --configfile names another experiment (which then replaces it, not merges)
if not workflow.config_settings.configfiles:

    configfile: "config.yaml"


report: "report/workflow.rst"


include: "rules/common.smk"
# the stages every experiment goes through
include: "rules/data.smk"
include: "rules/train.smk"
include: "rules/unlearn.smk"
include: "rules/evaluate.smk"
include: "rules/comparison.smk"


# each configured experiment's own rules: rules/baselines.smk, rules/tmu.smk, rules/rum.smk, ...
for rule_file in PLAN.rule_files:

    include: rule_file


rule all:
    default_target: True
    input:
        PLAN.all_outputs,
    localrule: True


# one paper (or part) at a time: `snakemake tmu --configfile X` (targets before --configfile, which takes every
# word after it as another config file): baselines, tmu, rum, smu, survey, hdus, snn, comparison, figures
for target, files in PLAN.targets.items():

    rule:
        name:
            target
        input:
            files,
        localrule: True


# the HTML report of the whole config (Snakemake's report: tables, figures, provenance, run times)
rule report:
    input:
        PLAN.all_outputs,
        code=code("report"),
    output:
        PLAN.report,
    log:
        logfile("report"),
    benchmark:
        benchfile("report")
    localrule: True
    conda:
        "envs/unlearn.yaml"
    params:
        configfile=f"{RUN}/report_config.yaml",
        snakefile=relative("Snakefile")[0],
    script:
        "scripts/report.py"
