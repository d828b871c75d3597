# Machine-unlearning reproduction workflow: a table of contents.
# Usage: `make reproduce` (embedded default), or
#        snakemake --profile profiles/default --configfile configs/cifar10-sample.yaml
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
        baselines_outputs(),
        tmu_outputs(),
        rum_outputs(),
        smu_outputs(),
        exact_outputs(),
        comparison_outputs(),


# one paper (or part) at a time: `snakemake --configfile X tmu`
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
