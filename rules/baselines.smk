# The baselines experiment: every `baselines` method on every `scenarios` entry (the ordinary unlearn and evaluate
# jobs), its table and figure (report outputs, so `snakemake --report` shows them).

BASELINES = PLAN.experiment("baselines")


rule baselines_table:
    input:
        metrics=PLAN.metric_files(PLAN.config_scenarios, PLAN.seeds),
        labels=f"{RUN}/labels.npz",
        originals=PLAN.original_probs(PLAN.seeds),
        code=code("baselines_table"),
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
        logfile("baselines_table"),
    benchmark:
        benchfile("baselines_table")
    localrule: True
    conda:
        "../envs/unlearn.yaml"
    params:
        scenarios=PLAN.config_scenarios,
        methods=BASELINES.table_models(PLAN),
        scale=PLAN.table_scale(PLAN.seeds),
    script:
        "../scripts/baselines_table.py"


rule baselines_figure:
    input:
        long=f"{RUN}/metrics/baselines_long.csv",
        code=code("baselines_figure"),
    output:
        png=report(
            f"{FIGURES}/baselines.png",
            caption="../report/baselines_figure.rst",
            category="Baselines",
        ),
        pdf=f"{FIGURES}/baselines.pdf",
    log:
        logfile("baselines_figure"),
    benchmark:
        benchfile("baselines_figure")
    localrule: True
    conda:
        "../envs/unlearn.yaml"
    params:
        style=config["plots"],
    script:
        "../scripts/baselines_figure.py"
