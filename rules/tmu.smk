# Twin Machine Unlearning (paper 001). The gold model, the baselines and TMU (methods.tmu) on each tmu_c<class>_n<n>
# scenario run through the ordinary `unlearn` and `evaluate` rules; these rules add the twin problem, the easy/hard
# classifier, and the paper's tables, figure and claims. The plan's part: src/unlearn/tmu/plugin.py.

TMU = PLAN.experiment("tmu")
TMU_MAIN = TMU.main_table(PLAN)


rule tmu_features:
    input:
        data=f"{RUN}/data.pt",
        forget=PLAN.forget_file("{scenario}", "{seed}"),
        original=f"{RUN}/models/original/s{{seed}}.pt",
        code=code("tmu_features"),
    output:
        features=TMU.path(PLAN, "{scenario}", "{seed}", "features.npz"),
        info=TMU.path(PLAN, "{scenario}", "{seed}", "features.json"),
    log:
        logfile("tmu_features/{scenario}_s{seed}"),
    benchmark:
        benchfile("tmu_features/{scenario}_s{seed}")
    conda:
        "../envs/unlearn.yaml"
    threads: 1
    resources:
        mem_mb=4000,
        runtime=120,
        gpu=1,
    params:
        tmu=TMU.params(PLAN, "twin", "features"),
        recipe=config["train"],
        model=config["model"],
    script:
        "../scripts/tmu_features.py"


rule tmu_partition:
    input:
        features=TMU.path(PLAN, "{scenario}", "{seed}", "features.npz"),
        code=code("tmu_partition"),
    output:
        TMU.path(PLAN, "{scenario}", "{seed}", "partition.json"),
    log:
        logfile("tmu_partition/{scenario}_s{seed}"),
    benchmark:
        benchfile("tmu_partition/{scenario}_s{seed}")
    localrule: True
    conda:
        "../envs/unlearn.yaml"
    resources:
        mem_mb=1000,
        runtime=10,
    params:
        classifier=PLAN.settings("tmu")["classifier"],
    script:
        "../scripts/tmu_partition.py"


rule tmu_tables:
    input:
        **TMU.label_inputs(PLAN, "main"),
        metrics=TMU.main_metrics(PLAN),
        labels=f"{RUN}/labels.npz",
        originals=PLAN.original_probs(TMU.seeds(PLAN)),
        paper=paper_values(*(f"tmu_table{n}" for n in (1, 2, 3, 4))),
        code=code("tmu_tables"),
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
        logfile("tmu_tables"),
    benchmark:
        benchfile("tmu_tables")
    localrule: True
    conda:
        "../envs/unlearn.yaml"
    params:
        table=TMU_MAIN,
        methods=TMU.methods_of_table(PLAN),
        scale=TMU.table_scale(PLAN),
    script:
        "../scripts/tmu_tables.py"


rule tmu_fig3_data:
    input:
        **TMU.label_inputs(PLAN, "sweep"),
        labels=f"{RUN}/labels.npz",
        code=code("tmu_fig3_data"),
    output:
        csv=f"{TABLES}/tmu_fig3.csv",
        records=f"{RUN}/tmu/fig3_records.csv",
    log:
        logfile("tmu_fig3_data"),
    benchmark:
        benchfile("tmu_fig3_data")
    localrule: True
    conda:
        "../envs/unlearn.yaml"
    script:
        "../scripts/tmu_fig3_data.py"


rule tmu_figure:
    input:
        records=f"{RUN}/tmu/fig3_records.csv",
        labels=f"{RUN}/labels.npz",
        code=code("tmu_figure"),
    output:
        png=report(
            f"{FIGURES}/tmu_fig3.png",
            caption="../report/tmu_fig3.rst",
            category="TMU (paper 001)",
        ),
        pdf=f"{FIGURES}/tmu_fig3.pdf",
    log:
        logfile("tmu_figure"),
    benchmark:
        benchfile("tmu_figure")
    localrule: True
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
        fig3=f"{RUN}/tmu/fig3_records.csv" if PLAN.settings("tmu").get("sweep") else [],
        labels=f"{RUN}/labels.npz",
        originals=PLAN.original_probs(TMU.seeds(PLAN)),
        paper=paper_values(TMU_MAIN, "tmu_table3", "tmu_table4"),
        code=code("tmu_claims"),
    output:
        md=report(
            f"{TABLES}/tmu_claims.md",
            caption="../report/tmu_tables.rst",
            category="TMU (paper 001)",
        ),
        csv=f"{TABLES}/tmu_claims.csv",
    log:
        logfile("tmu_claims"),
    benchmark:
        benchfile("tmu_claims")
    localrule: True
    conda:
        "../envs/unlearn.yaml"
    params:
        table=TMU_MAIN,
        scale=TMU.table_scale(PLAN),
    script:
        "../scripts/tmu_claims.py"
