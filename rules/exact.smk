# Exact and certified unlearning from the survey (paper 003): SISA, certified removal and summation-form
# naive Bayes on `exact.scenarios`, one job per (scenario, seed); the ordinary evaluate rule scores them
# beside every other method, and exact_report writes their table and the cost-vs-quality figure.


rule exact_unlearn:
    input:
        data=f"{RUN}/data.pt",
        forget=f"{RUN}/forget/{{scenario}}/s{{seed}}.json",
        original=f"{RUN}/models/original/s{{seed}}.pt",
        code=lib("training", "optim", "loader", "checkpoints")
        + [str(LIB_DIR / "exact" / f"{m}.py") for m in EXACT_METHODS],
        models=model_lib(),
    output:
        **{
            f"{m}_{kind}": f"{RUN}/models/{{scenario}}/s{{seed}}/{m}.{ext}"
            for m in EXACT_METHODS
            for kind, ext in (("probs", "probs.npz"), ("run", "json"))
        },
    log:
        f"{RUN}/logs/exact_unlearn/{{scenario}}_s{{seed}}.log",
    benchmark:
        f"{RUN}/benchmarks/exact_unlearn/{{scenario}}_s{{seed}}.tsv"
    conda:
        "../envs/unlearn.yaml"
    threads: 1
    resources:
        mem_mb=4000,
        runtime=240,
        gpu=1,
    params:
        model=config["model"],
        recipe=config["train"],
        sisa=EXACT["sisa"] if EXACT else {},
        certified=EXACT["certified"] if EXACT else {},
        summation=EXACT["summation"] if EXACT else {},
    script:
        "../scripts/exact_unlearn.py"


rule exact_report:
    input:
        unpack(exact_report_inputs),
        labels=f"{RUN}/labels.npz",
        originals=original_probs(EXACT_SEEDS),
        code=lib("tables", "evaluation", "claims", "regime", "metrics")
        + [str(LIB_DIR / "exact" / "report.py")],
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
        f"{RUN}/logs/exact_report.log",
    benchmark:
        f"{RUN}/benchmarks/exact_report.tsv"
    conda:
        "../envs/unlearn.yaml"
    params:
        scenarios=EXACT_SCENARIOS,
        seeds=EXACT_SEEDS,
        scale=EXACT_SCALE,
    script:
        "../scripts/exact_report.py"


rule exact_figure:
    input:
        metrics=cost_figure_metrics(),
        code=lib("plots", "evaluation")
        + [str(LIB_DIR / "exact" / f"{m}.py") for m in ("__init__", "plots")],
    output:
        png=report(
            f"{FIGURES}/cost_vs_quality.png",
            caption="../report/exact.rst",
            category="Exact unlearning (paper 003)",
        ),
        pdf=f"{FIGURES}/cost_vs_quality.pdf",
    log:
        f"{RUN}/logs/exact_figure.log",
    benchmark:
        f"{RUN}/benchmarks/exact_figure.tsv"
    conda:
        "../envs/unlearn.yaml"
    params:
        style=config["plots"],
    script:
        "../scripts/exact_figure.py"
