# Unlearning in spiking neural networks (the survey, paper 003): the SNN's original model per seed, then on each
# SNN scenario the SNN retrained (gold), fine-tuned, unlearned in three phases and recovered; the ordinary
# evaluate rule scores them against the SNN's gold model; the table, figure and claims.


SNN_LIB = [str(LIB_DIR / "snn" / f"{m}.py") for m in ("__init__", "unlearn")]


rule snn_train:
    input:
        data=f"{RUN}/data.pt",
        code=lib("training", "optim", "loader", "checkpoints"),
        models=model_lib(),
    output:
        model=f"{RUN}/models/{snn_plan.ORIGINAL}/s{{seed}}.pt",
        probs=f"{RUN}/models/{snn_plan.ORIGINAL}/s{{seed}}.probs.npz",
    log:
        f"{RUN}/logs/snn_train/s{{seed}}.log",
    benchmark:
        f"{RUN}/benchmarks/snn_train/s{{seed}}.tsv"
    conda:
        "../envs/unlearn.yaml"
    threads: 1
    resources:
        mem_mb=4000,
        runtime=120,
        gpu=1,
    params:
        snn={k: SNN[k] for k in ("model", "train")} if SNN else {},
    script:
        "../scripts/snn_train.py"


rule snn_unlearn:
    input:
        data=f"{RUN}/data.pt",
        forget=f"{RUN}/forget/{{scenario}}/s{{seed}}.json",
        original=f"{RUN}/models/{snn_plan.ORIGINAL}/s{{seed}}.pt",
        code=lib("training", "optim", "loader", "checkpoints") + SNN_LIB,
        models=model_lib(),
    output:
        **{
            f"{m}_{kind}": f"{RUN}/models/{{scenario}}/s{{seed}}/{m}.{ext}"
            for m in [snn_plan.GOLD, *snn_plan.METHODS]
            for kind, ext in (("probs", "probs.npz"), ("run", "json"))
        },
    log:
        f"{RUN}/logs/snn_unlearn/{{scenario}}_s{{seed}}.log",
    benchmark:
        f"{RUN}/benchmarks/snn_unlearn/{{scenario}}_s{{seed}}.tsv"
    wildcard_constraints:
        scenario="|".join(SNN_SCENARIOS) or "^$",
    conda:
        "../envs/unlearn.yaml"
    threads: 1
    resources:
        mem_mb=4000,
        runtime=240,
        gpu=1,
    params:
        snn=(
            {k: SNN[k] for k in ("model", "train", "finetune", "unlearn")}
            if SNN
            else {}
        ),
    script:
        "../scripts/snn_unlearn.py"


rule snn_report:
    input:
        metrics=metric_files(list(SNN_SCENARIOS), SNN_SEEDS),
        runs=expand(
            f"{RUN}/models/{{scenario}}/s{{seed}}/snn_unlearn.json",
            scenario=list(SNN_SCENARIOS),
            seed=SNN_SEEDS,
        ),
        code=lib("tables", "claims", "evaluation", "plots")
        + [str(LIB_DIR / "snn" / "report.py")],
    output:
        csv=f"{TABLES}/snn.csv",
        md=report(
            f"{TABLES}/snn.md",
            caption="../report/survey_families.rst",
            category="Survey (paper 003): HDUS and SNN",
        ),
        png=report(
            f"{FIGURES}/snn_accuracy_loss.png",
            caption="../report/survey_families.rst",
            category="Survey (paper 003): HDUS and SNN",
        ),
        pdf=f"{FIGURES}/snn_accuracy_loss.pdf",
        claims_csv=f"{TABLES}/snn_claims.csv",
        claims_md=report(
            f"{TABLES}/snn_claims.md",
            caption="../report/survey_families.rst",
            category="Survey (paper 003): HDUS and SNN",
        ),
    log:
        f"{RUN}/logs/snn_report.log",
    benchmark:
        f"{RUN}/benchmarks/snn_report.tsv"
    conda:
        "../envs/unlearn.yaml"
    params:
        kinds={name: spec["kind"] for name, spec in SNN_SCENARIOS.items()},
        scale=SNN_SCALE,
        style=config["plots"],
    script:
        "../scripts/snn_report.py"
