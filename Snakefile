# Machine-unlearning reproduction workflow: a table of contents.
# Usage: `make reproduce` (embedded default), or
#        snakemake --profile profiles/default --configfile configs/cifar10-sample.yaml
from snakemake.utils import min_version

min_version("9.0")


configfile: "config.yaml"


report: "report/workflow.rst"


include: "rules/common.smk"
include: "rules/data.smk"
include: "rules/train.smk"
include: "rules/unlearn.smk"
include: "rules/evaluate.smk"
include: "rules/report.smk"


rule all:
    input:
        baselines_outputs(),
    default_target: True
