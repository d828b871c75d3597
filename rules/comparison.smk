# The run's regime (do the models fit their training data, and do its consequences show?) and the one-page
# comparison of every paper's claims and headline numbers with this run's.


rule regime:
    input:
        unpack(regime_inputs),
        labels=f"{RUN}/labels.npz",
        code=lib("claims", "comparison", "regime", "evaluation", "metrics"),
    output:
        md=report(
            f"{TABLES}/regime.md",
            caption="../report/comparison.rst",
            category="Comparison with the papers",
        ),
        csv=f"{TABLES}/regime.csv",
        claims=f"{TABLES}/regime_claims.csv",
    log:
        f"{RUN}/logs/regime.log",
    benchmark:
        f"{RUN}/benchmarks/regime.tsv"
    conda:
        "../envs/unlearn.yaml"
    params:
        seeds=ALL_SEEDS,
        kinds={sc: spec["kind"] for sc, spec in REGIME_SCENARIOS.items()},
        scale=RUN_SCALE,
    script:
        "../scripts/regime.py"


rule paper_comparison:
    input:
        claims=comparison_claims(),
        code=lib("claims", "comparison"),
    output:
        md=report(
            f"{TABLES}/paper_comparison.md",
            caption="../report/comparison.rst",
            category="Comparison with the papers",
        ),
        csv=f"{TABLES}/paper_comparison.csv",
    log:
        f"{RUN}/logs/paper_comparison.log",
    benchmark:
        f"{RUN}/benchmarks/paper_comparison.tsv"
    conda:
        "../envs/unlearn.yaml"
    params:
        scales=PAPER_SCALES,
        header=RUN_SCALE,
    script:
        "../scripts/paper_comparison.py"


rule snapshot:
    input:
        snapshot_sources(),
        code=lib(),
    output:
        snapshot_outputs(),
    log:
        f"{RUN}/logs/snapshot.log",
    benchmark:
        f"{RUN}/benchmarks/snapshot.tsv"
    conda:
        "../envs/unlearn.yaml"
    params:
        config=config,
        sources=snapshot_sources(),
    script:
        "../scripts/snapshot.py"
