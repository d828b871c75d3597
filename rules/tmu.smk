# Twin Machine Unlearning (paper 001). The gold model and the baselines of each tmu_c<class>_n<n>
# scenario run through the ordinary `unlearn` and `evaluate` rules; these rules add the twin problem,
# the easy/hard classifier, and the paper's tables, figure and claims.


TMU_LIB = [str(LIB_DIR / "tmu" / f"{m}.py") for m in ("__init__", "twin", "features")]


rule tmu_features:
    input:
        data=f"{RUN}/data.pt",
        forget=f"{RUN}/forget/{{scenario}}/s{{seed}}.json",
        original=f"{RUN}/models/original/s{{seed}}.pt",
        code=lib("training", "optim", "loader", "checkpoints"),
        tmu_code=TMU_LIB,
        models=model_lib(),
    output:
        features=f"{RUN}/tmu/{{scenario}}/s{{seed}}/features.npz",
        info=f"{RUN}/tmu/{{scenario}}/s{{seed}}/features.json",
    log:
        f"{RUN}/logs/tmu_features/{{scenario}}_s{{seed}}.log",
    benchmark:
        f"{RUN}/benchmarks/tmu_features/{{scenario}}_s{{seed}}.tsv"
    conda:
        "../envs/unlearn.yaml"
    threads: 1
    resources:
        mem_mb=4000,
        runtime=120,
        gpu=1,
    params:
        tmu={k: TMU[k] for k in ("twin", "features")} if TMU else {},
        recipe=config["train"],
        model=config["model"],
    script:
        "../scripts/tmu_features.py"


rule tmu_partition:
    input:
        features=f"{RUN}/tmu/{{scenario}}/s{{seed}}/features.npz",
        code=[str(LIB_DIR / "tmu" / f"{m}.py") for m in ("__init__", "classifier")],
    output:
        f"{RUN}/tmu/{{scenario}}/s{{seed}}/partition.json",
    log:
        f"{RUN}/logs/tmu_partition/{{scenario}}_s{{seed}}.log",
    benchmark:
        f"{RUN}/benchmarks/tmu_partition/{{scenario}}_s{{seed}}.tsv"
    conda:
        "../envs/unlearn.yaml"
    resources:
        mem_mb=1000,
        runtime=10,
    params:
        classifier=TMU["classifier"] if TMU else {},
    script:
        "../scripts/tmu_partition.py"


rule tmu_tables:
    input:
        unpack(lambda wc: tmu_label_inputs(tmu_plan.main_scenarios(TMU))),
        metrics=tmu_metrics(),
        labels=f"{RUN}/labels.npz",
        originals=original_probs(TMU_SEEDS),
        paper=[str(PAPER_DIR / f"tmu_table{n}.csv") for n in (1, 2, 3, 4)],
        code=lib("tables", "claims", "regime")
        + [
            str(LIB_DIR / "tmu" / f"{m}.py")
            for m in ("__init__", "classifier", "report")
        ],
    output:
        main_csv=report(
            f"{TABLES}/{TMU_MAIN}.csv",
            caption="../report/tmu_tables.rst",
            category="TMU (paper 001)",
        ),
        main_md=report(
            f"{TABLES}/{TMU_MAIN}.md",
            caption="../report/tmu_tables.rst",
            category="TMU (paper 001)",
        ),
        main_tex=f"{TABLES}/{TMU_MAIN}.tex",
        t3_csv=f"{TABLES}/tmu_table3.csv",
        t3_md=report(
            f"{TABLES}/tmu_table3.md",
            caption="../report/tmu_tables.rst",
            category="TMU (paper 001)",
        ),
        t4_csv=f"{TABLES}/tmu_table4.csv",
        t4_md=report(
            f"{TABLES}/tmu_table4.md",
            caption="../report/tmu_tables.rst",
            category="TMU (paper 001)",
        ),
        records=f"{RUN}/tmu/records.csv",
        label_records=f"{RUN}/tmu/label_records.csv",
    log:
        f"{RUN}/logs/tmu_tables.log",
    benchmark:
        f"{RUN}/benchmarks/tmu_tables.tsv"
    conda:
        "../envs/unlearn.yaml"
    params:
        table=TMU_MAIN,
        methods=TMU_METHODS,
        scale={
            "dataset": config["dataset"]["name"],
            "model": config["model"],
            "epochs": config["train"]["epochs"],
            "seeds": TMU_SEEDS,
        },
    script:
        "../scripts/tmu_tables.py"


rule tmu_fig3_data:
    input:
        unpack(lambda wc: tmu_label_inputs(tmu_plan.sweep_scenarios(TMU))),
        labels=f"{RUN}/labels.npz",
        code=lib("claims")
        + [
            str(LIB_DIR / "tmu" / f"{m}.py")
            for m in ("__init__", "classifier", "report")
        ],
    output:
        csv=f"{TABLES}/tmu_fig3.csv",
        records=f"{RUN}/tmu/fig3_records.csv",
    log:
        f"{RUN}/logs/tmu_fig3_data.log",
    benchmark:
        f"{RUN}/benchmarks/tmu_fig3_data.tsv"
    conda:
        "../envs/unlearn.yaml"
    script:
        "../scripts/tmu_fig3_data.py"


rule tmu_figure:
    input:
        records=f"{RUN}/tmu/fig3_records.csv",
        labels=f"{RUN}/labels.npz",
        code=lib("plots")
        + [str(LIB_DIR / "tmu" / f"{m}.py") for m in ("__init__", "report")],
    output:
        png=report(
            f"{FIGURES}/tmu_fig3.png",
            caption="../report/tmu_fig3.rst",
            category="TMU (paper 001)",
        ),
        pdf=f"{FIGURES}/tmu_fig3.pdf",
    log:
        f"{RUN}/logs/tmu_figure.log",
    benchmark:
        f"{RUN}/benchmarks/tmu_figure.tsv"
    conda:
        "../envs/unlearn.yaml"
    params:
        style=config["plots"],
    script:
        "../scripts/tmu_figure.py"


rule tmu_claims:
    input:
        records=f"{RUN}/tmu/records.csv",
        label_records=f"{RUN}/tmu/label_records.csv",
        fig3=f"{RUN}/tmu/fig3_records.csv" if TMU and TMU.get("sweep") else [],
        labels=f"{RUN}/labels.npz",
        originals=original_probs(TMU_SEEDS),
        paper=[
            str(PAPER_DIR / f"{TMU_MAIN}.csv"),
            str(PAPER_DIR / "tmu_table3.csv"),
            str(PAPER_DIR / "tmu_table4.csv"),
        ],
        code=lib("claims", "regime", "metrics")
        + [str(LIB_DIR / "tmu" / f"{m}.py") for m in ("__init__", "report", "claims")],
    output:
        md=report(
            f"{TABLES}/tmu_claims.md",
            caption="../report/tmu_tables.rst",
            category="TMU (paper 001)",
        ),
        csv=f"{TABLES}/tmu_claims.csv",
    log:
        f"{RUN}/logs/tmu_claims.log",
    benchmark:
        f"{RUN}/benchmarks/tmu_claims.tsv"
    conda:
        "../envs/unlearn.yaml"
    params:
        table=TMU_MAIN,
        scale={
            "dataset": config["dataset"]["name"],
            "model": config["model"],
            "epochs": config["train"]["epochs"],
            "seeds": TMU_SEEDS,
            "n": TMU["n"] if TMU else None,
            "classes": len(TMU["classes"]) if TMU else 0,
        },
    script:
        "../scripts/tmu_claims.py"
