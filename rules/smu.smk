# Siamese Machine Unlearning (paper 000): SMU and its baselines on full-class, sub-class and random forgetting
# (`scenarios` entries, shared with the baselines experiment), their tables beside the paper's numbers, the
# claims, and the logit-dispersion figure. The unlearning and evaluation jobs are the ordinary rules.


rule smu_tables:
    input:
        unpack(smu_inputs),
        labels=f"{RUN}/labels.npz",
        originals=original_probs(SMU_SEEDS),
        code=lib("tables", "claims", "regime", "metrics")
        + [str(LIB_DIR / "smu" / f"{m}.py") for m in ("__init__", "report")],
    output:
        **smu_table_outputs(),
    log:
        f"{RUN}/logs/smu_tables.log",
    benchmark:
        f"{RUN}/benchmarks/smu_tables.tsv"
    conda:
        "../envs/unlearn.yaml"
    params:
        settings=SMU_SETTINGS,
        methods=SMU_METHODS,
        scenario_specs={s: config["scenarios"][s] for s in SMU_SETTINGS.values()},
        scale=SMU_SCALE,
    script:
        "../scripts/smu_tables.py"


rule smu_dispersion:
    input:
        unpack(smu_dispersion_inputs),
        metrics=metric_files(list(SMU_SETTINGS.values()), SMU_SEEDS),
        labels=f"{RUN}/labels.npz",
        originals=original_probs(SMU_SEEDS),
        code=lib("loader", "checkpoints", "regime", "evaluation")
        + [str(LIB_DIR / "smu" / f"{m}.py") for m in ("__init__", "dispersion")],
        models=model_lib(),
    output:
        samples=f"{RUN}/smu/dispersion_samples.csv",
        csv=f"{TABLES}/smu_logit_dispersion.csv",
        md=f"{TABLES}/smu_logit_dispersion.md",
    log:
        f"{RUN}/logs/smu_dispersion.log",
    benchmark:
        f"{RUN}/benchmarks/smu_dispersion.tsv"
    conda:
        "../envs/unlearn.yaml"
    threads: 1
    resources:
        mem_mb=4000,
        runtime=60,
        gpu=1,
    params:
        settings=SMU_SETTINGS,
        seeds=SMU_SEEDS,
        dispersion=SMU["dispersion"] if SMU else {},
        augment=(
            config["methods"]["smu"].get("augment")
            or config["train"].get("augment", {})
            if SMU
            else {}
        ),
    script:
        "../scripts/smu_dispersion.py"


rule smu_dispersion_figure:
    input:
        samples=f"{RUN}/smu/dispersion_samples.csv",
        code=lib("plots")
        + [str(LIB_DIR / "smu" / f"{m}.py") for m in ("__init__", "plots")],
    output:
        png=report(
            f"{FIGURES}/smu_logit_dispersion.png",
            caption="../report/smu.rst",
            category="SMU (paper 000)",
        ),
        pdf=f"{FIGURES}/smu_logit_dispersion.pdf",
    log:
        f"{RUN}/logs/smu_dispersion_figure.log",
    benchmark:
        f"{RUN}/benchmarks/smu_dispersion_figure.tsv"
    conda:
        "../envs/unlearn.yaml"
    params:
        style=config["plots"],
    script:
        "../scripts/smu_dispersion_figure.py"
