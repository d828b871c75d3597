# Tables and figures (report outputs, so `snakemake --report` shows them).


rule baselines_table:
    input:
        metrics=baselines_metrics(),
        labels=f"{RUN}/labels.npz",
        originals=original_probs(SEEDS),
        code=lib("metrics", "tables", "regime"),
    output:
        csv=report(
            f"{TABLES}/baselines.csv",
            caption="../report/baselines_table.rst",
            category="Baselines",
        ),
        md=report(
            f"{TABLES}/baselines.md",
            caption="../report/baselines_table.rst",
            category="Baselines",
        ),
        tex=f"{TABLES}/baselines.tex",
        long=f"{RUN}/metrics/baselines_long.csv",
    log:
        f"{RUN}/logs/baselines_table.log",
    benchmark:
        f"{RUN}/benchmarks/baselines_table.tsv"
    conda:
        "../envs/unlearn.yaml"
    params:
        scenarios=config["scenarios"],
        methods=EVALUATED,
        scale={
            "dataset": config["dataset"]["name"],
            "model": config["model"],
            "epochs": config["train"]["epochs"],
            "seeds": SEEDS,
        },
    script:
        "../scripts/baselines_table.py"


rule baselines_figure:
    input:
        long=f"{RUN}/metrics/baselines_long.csv",
        code=lib("plots", "tables", "metrics"),
    output:
        png=report(
            f"{FIGURES}/baselines.png",
            caption="../report/baselines_figure.rst",
            category="Baselines",
        ),
        pdf=f"{FIGURES}/baselines.pdf",
    log:
        f"{RUN}/logs/baselines_figure.log",
    benchmark:
        f"{RUN}/benchmarks/baselines_figure.tsv"
    conda:
        "../envs/unlearn.yaml"
    params:
        style=config["plots"],
    script:
        "../scripts/baselines_figure.py"
