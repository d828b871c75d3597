# The run's regime (do the models fit their training data, and do its consequences show?), the one-page
# comparison of every paper's claims and headline numbers with this run's, and the committed snapshot.


rule regime:
    input:
        **PLAN.regime_inputs,
        labels=f"{RUN}/labels.npz",
        code=code("regime"),
    output:
        md=report(
            f"{TABLES}/regime.md",
            caption="../report/comparison.rst",
            category="Comparison with the papers",
        ),
        csv=f"{TABLES}/regime.csv",
        claims=f"{TABLES}/regime_claims.csv",
    log:
        logfile("regime"),
    benchmark:
        benchfile("regime")
    localrule: True
    conda:
        "../envs/unlearn.yaml"
    params:
        seeds=PLAN.original_seeds,
        kinds=PLAN.regime_kinds,
        scale=PLAN.run_scale,
    script:
        "../scripts/regime.py"


rule paper_comparison:
    input:
        claims=PLAN.comparison_claims,
        code=code("paper_comparison"),
    output:
        md=report(
            f"{TABLES}/paper_comparison.md",
            caption="../report/comparison.rst",
            category="Comparison with the papers",
        ),
        csv=f"{TABLES}/paper_comparison.csv",
    log:
        logfile("paper_comparison"),
    benchmark:
        benchfile("paper_comparison")
    localrule: True
    conda:
        "../envs/unlearn.yaml"
    params:
        scales=PLAN.paper_scales,
        header=PLAN.run_scale,
    script:
        "../scripts/paper_comparison.py"


rule snapshot:
    input:
        PLAN.snapshot_sources,
        code=code("snapshot"),
    output:
        PLAN.snapshot_outputs,
    log:
        logfile("snapshot"),
    benchmark:
        benchfile("snapshot")
    localrule: True
    conda:
        "../envs/unlearn.yaml"
    params:
        config=config,
        sources=PLAN.snapshot_sources,
    script:
        "../scripts/snapshot.py"
