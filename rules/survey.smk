# The survey's cost-vs-quality figure (paper 003): every method's time to unlearn against its ToW, one panel per
# scenario of the `scenarios` entries, HDUS's departure and the SNN's scenarios; drawn when any of the survey's
# families (exact, hdus, snn) runs. The plan's part: CostFigure in src/unlearn/exact/plugin.py.

COST_FIGURE = PLAN.experiment("cost_vs_quality")


rule exact_figure:
    input:
        metrics=COST_FIGURE.metrics(PLAN),
        code=code("exact_figure"),
    output:
        png=report(
            f"{FIGURES}/cost_vs_quality.png",
            caption="../report/exact.rst",
            category="Exact unlearning (paper 003)",
        ),
        pdf=f"{FIGURES}/cost_vs_quality.pdf",
    log:
        logfile("exact_figure"),
    benchmark:
        benchfile("exact_figure")
    localrule: True
    conda:
        "../envs/unlearn.yaml"
    params:
        style=config["plots"],
    script:
        "../scripts/exact_figure.py"
