# Exact and certified unlearning from the survey (paper 003): SISA, certified removal and summation-form naive
# Bayes on `exact.scenarios`, one job per (scenario, seed); the ordinary evaluate rule scores them beside every
# other method, and exact_report writes their table and claims. The plan's part: src/unlearn/exact/plugin.py.

EXACT = PLAN.experiment("exact")
from unlearn.exact import METHODS as EXACT_METHODS


rule exact_unlearn:
    input:
        data=f"{RUN}/data.pt",
        forget=PLAN.forget_file("{scenario}", "{seed}"),
        original=f"{RUN}/models/original/s{{seed}}.pt",
        code=code("exact_unlearn"),
    output:
        **{
            f"{m}_{kind}": f"{RUN}/models/{{scenario}}/s{{seed}}/{m}.{ext}"
            for m in EXACT_METHODS
            for kind, ext in (("probs", "probs.npz"), ("run", "json"))
        },
    log:
        logfile("exact_unlearn/{scenario}_s{seed}"),
    benchmark:
        benchfile("exact_unlearn/{scenario}_s{seed}")
    conda:
        "../envs/unlearn.yaml"
    threads: 1
    resources:
        mem_mb=4000,
        runtime=240,
        gpu=1,
    params:
        **EXACT.params(PLAN, "sisa", "certified", "summation"),
        model=config["model"],
        recipe=config["train"],
    script:
        "../scripts/exact_unlearn.py"


rule exact_report:
    input:
        **EXACT.report_inputs(PLAN),
        labels=f"{RUN}/labels.npz",
        originals=PLAN.original_probs(EXACT.seeds(PLAN)),
        paper=paper_values("survey_certified")[0],
        code=code("exact_report"),
    output:
        csv=f"{TABLES}/exact_methods.csv",
        md=report(
            f"{TABLES}/exact_methods.md",
            caption="../report/exact.rst",
            category="Exact unlearning (paper 003)",
        ),
        claims_md=report(
            f"{TABLES}/survey_claims.md",
            caption="../report/exact.rst",
            category="Exact unlearning (paper 003)",
        ),
        claims_csv=f"{TABLES}/survey_claims.csv",
    log:
        logfile("exact_report"),
    benchmark:
        benchfile("exact_report")
    localrule: True
    conda:
        "../envs/unlearn.yaml"
    params:
        **EXACT.params(PLAN, "scenarios", "seeds"),
        scale=EXACT.table_scale(PLAN),
    script:
        "../scripts/exact_report.py"
