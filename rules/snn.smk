# Unlearning in spiking neural networks (the survey, paper 003): the SNN's original model per seed, then on each
# SNN scenario the SNN retrained (gold), fine-tuned, unlearned in three phases and recovered; the ordinary
# evaluate rule scores them against the SNN's gold model; the table, figure and claims. The plan's part:
# src/unlearn/snn/plugin.py.

from unlearn import snn as snn_plan

SNN = PLAN.experiment("snn")


rule snn_train:
    input:
        data=f"{RUN}/data.pt",
        code=code("snn_train"),
    output:
        model=f"{RUN}/models/{snn_plan.ORIGINAL}/s{{seed}}.pt",
        probs=f"{RUN}/models/{snn_plan.ORIGINAL}/s{{seed}}.probs.npz",
    log:
        logfile("snn_train/s{seed}"),
    benchmark:
        benchfile("snn_train/s{seed}")
    conda:
        "../envs/unlearn.yaml"
    threads: 1
    resources:
        mem_mb=4000,
        runtime=120,
        gpu=1,
    params:
        snn=SNN.params(PLAN, "model", "train"),
    script:
        "../scripts/snn_train.py"


rule snn_unlearn:
    input:
        data=f"{RUN}/data.pt",
        forget=PLAN.forget_file("{scenario}", "{seed}"),
        original=f"{RUN}/models/{snn_plan.ORIGINAL}/s{{seed}}.pt",
        code=code("snn_unlearn"),
    output:
        **{
            f"{m}_{kind}": f"{RUN}/models/{{scenario}}/s{{seed}}/{m}.{ext}"
            for m in [snn_plan.GOLD, *snn_plan.METHODS]
            for kind, ext in (("probs", "probs.npz"), ("run", "json"))
        },
    log:
        logfile("snn_unlearn/{scenario}_s{seed}"),
    benchmark:
        benchfile("snn_unlearn/{scenario}_s{seed}")
    wildcard_constraints:
        scenario=constraint(SNN.scenarios(PLAN)),
    conda:
        "../envs/unlearn.yaml"
    threads: 1
    resources:
        mem_mb=4000,
        runtime=240,
        gpu=1,
    params:
        snn=SNN.params(PLAN, "model", "train", "finetune", "unlearn"),
    script:
        "../scripts/snn_unlearn.py"


rule snn_report:
    input:
        metrics=PLAN.metric_files(SNN.scenarios(PLAN), SNN.seeds(PLAN)),
        runs=[
            f"{RUN}/models/{sc}/s{seed}/snn_unlearn.json"
            for sc in SNN.scenarios(PLAN)
            for seed in SNN.seeds(PLAN)
        ],
        code=code("snn_report"),
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
        logfile("snn_report"),
    benchmark:
        benchfile("snn_report")
    localrule: True
    conda:
        "../envs/unlearn.yaml"
    params:
        kinds={name: spec["kind"] for name, spec in SNN.scenarios(PLAN).items()},
        scale=SNN.table_scale(PLAN),
        style=config["plots"],
    script:
        "../scripts/snn_report.py"
