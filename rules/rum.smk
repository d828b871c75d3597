# RUM, "what makes unlearning hard" (paper 002). The gold model and every method (RUM's sequences included: the
# `sequence` method) on the ES, memorization and rum_mix forget sets run through the ordinary `unlearn` and
# `evaluate` rules; these rules make those forget sets (entanglement, memorization) and the paper's tables,
# figures and claims. The plan's part: src/unlearn/rum/plugin.py.

RUM = PLAN.experiment("rum")
RUM_FIRST_SEED = RUM.seeds(PLAN)[0]


rule rum_entanglement:
    input:
        data=f"{RUN}/data.pt",
        original=f"{RUN}/models/original/s{{seed}}.pt",
        code=code("rum_entanglement"),
    output:
        embeddings=RUM.path(PLAN, "s{seed}/embeddings.npz"),
        record=RUM.path(PLAN, "s{seed}/entanglement.json"),
        forget=RUM.es_forget_sets(PLAN, "{seed}"),
    log:
        logfile("rum_entanglement/s{seed}"),
    benchmark:
        benchfile("rum_entanglement/s{seed}")
    conda:
        "../envs/unlearn.yaml"
    threads: 1
    resources:
        mem_mb=4000,
        runtime=30,
        gpu=1,
    params:
        rum=RUM.params(PLAN, "n", "entanglement"),
    script:
        "../scripts/rum_entanglement.py"


rule rum_memorization_models:
    input:
        data=f"{RUN}/data.pt",
        code=code("rum_memorization_models"),
    output:
        RUM.path(PLAN, "memorization/models_{first}-{last}.npz"),
    log:
        logfile("rum_memorization_models/{first}-{last}"),
    benchmark:
        benchfile("rum_memorization_models/{first}-{last}")
    wildcard_constraints:
        first=r"\d+",
        last=r"\d+",
    conda:
        "../envs/unlearn.yaml"
    threads: 1
    resources:
        mem_mb=4000,
        runtime=240,
        gpu=1,
    params:
        memorization=RUM.model_params(PLAN),
        recipe=config["train"],
        model=config["model"],
    script:
        "../scripts/rum_memorization_models.py"


rule rum_memorization:
    input:
        models=RUM.memorization_models(PLAN),
        labels=f"{RUN}/labels.npz",
        code=code("rum_memorization"),
    output:
        scores=RUM.path(PLAN, "memorization.npz"),
        record=RUM.path(PLAN, "memorization.json"),
        forget=RUM.memorization_forget_sets(PLAN),
    log:
        logfile("rum_memorization"),
    benchmark:
        benchfile("rum_memorization")
    localrule: True
    conda:
        "../envs/unlearn.yaml"
    resources:
        mem_mb=2000,
        runtime=10,
    params:
        n=PLAN.settings("rum")["n"],
        seeds=RUM.seeds(PLAN),
    script:
        "../scripts/rum_memorization.py"


rule rum_tables:
    input:
        **RUM.table_inputs(PLAN),
        paper=paper_values("rum_table", "rum_es_values", "rum_es_by_memorization"),
        labels=f"{RUN}/labels.npz",
        originals=PLAN.original_probs(RUM.seeds(PLAN)),
        code=code("rum_tables"),
    output:
        table_csv=report(
            f"{TABLES}/rum_table.csv",
            caption="../report/rum_tables.rst",
            category="RUM (paper 002)",
        ),
        table_md=report(
            f"{TABLES}/rum_table.md",
            caption="../report/rum_tables.rst",
            category="RUM (paper 002)",
        ),
        table_tex=f"{TABLES}/rum_table.tex",
        es_csv=f"{TABLES}/rum_es_values.csv",
        es_md=report(
            f"{TABLES}/rum_es_values.md",
            caption="../report/rum_tables.rst",
            category="RUM (paper 002)",
        ),
        esmem_csv=f"{TABLES}/rum_es_by_memorization.csv",
        esmem_md=report(
            f"{TABLES}/rum_es_by_memorization.md",
            caption="../report/rum_tables.rst",
            category="RUM (paper 002)",
        ),
        difficulty_csv=f"{TABLES}/rum_difficulty.csv",
        difficulty_md=report(
            f"{TABLES}/rum_difficulty.md",
            caption="../report/rum_tables.rst",
            category="RUM (paper 002)",
        ),
        memorization_csv=f"{TABLES}/rum_memorization.csv",
        memorization_md=report(
            f"{TABLES}/rum_memorization.md",
            caption="../report/rum_tables.rst",
            category="RUM (paper 002)",
        ),
        records=RUM.path(PLAN, "records.csv"),
        es_per_seed=RUM.path(PLAN, "es_per_seed.csv"),
    log:
        logfile("rum_tables"),
    benchmark:
        benchfile("rum_tables")
    localrule: True
    conda:
        "../envs/unlearn.yaml"
    params:
        rum=PLAN.settings("rum"),
        scale=RUM.table_scale(PLAN),
    script:
        "../scripts/rum_tables.py"


rule rum_figures:
    input:
        embeddings=RUM.path(PLAN, f"s{RUM_FIRST_SEED}/embeddings.npz"),
        es_forget=RUM.es_forget_sets(PLAN, RUM_FIRST_SEED),
        difficulty=f"{TABLES}/rum_difficulty.csv",
        scores=RUM.path(PLAN, "memorization.npz"),
        code=code("rum_figures"),
    output:
        es_png=report(
            f"{FIGURES}/rum_es_partitions.png",
            caption="../report/rum_figures.rst",
            category="RUM (paper 002)",
        ),
        es_pdf=f"{FIGURES}/rum_es_partitions.pdf",
        difficulty_png=report(
            f"{FIGURES}/rum_difficulty.png",
            caption="../report/rum_figures.rst",
            category="RUM (paper 002)",
        ),
        difficulty_pdf=f"{FIGURES}/rum_difficulty.pdf",
        mem_png=report(
            f"{FIGURES}/rum_memorization.png",
            caption="../report/rum_figures.rst",
            category="RUM (paper 002)",
        ),
        mem_pdf=f"{FIGURES}/rum_memorization.pdf",
    log:
        logfile("rum_figures"),
    benchmark:
        benchfile("rum_figures")
    localrule: True
    conda:
        "../envs/unlearn.yaml"
    params:
        style=config["plots"],
    script:
        "../scripts/rum_figures.py"


rule rum_claims:
    input:
        records=RUM.path(PLAN, "records.csv"),
        es=RUM.path(PLAN, "es_per_seed.csv"),
        labels=f"{RUN}/labels.npz",
        originals=PLAN.original_probs(RUM.seeds(PLAN)),
        paper=paper_values("rum_table", "rum_es_values", "rum_es_by_memorization"),
        code=code("rum_claims"),
    output:
        md=report(
            f"{TABLES}/rum_claims.md",
            caption="../report/rum_tables.rst",
            category="RUM (paper 002)",
        ),
        csv=f"{TABLES}/rum_claims.csv",
    log:
        logfile("rum_claims"),
    benchmark:
        benchfile("rum_claims")
    localrule: True
    conda:
        "../envs/unlearn.yaml"
    params:
        rum=PLAN.settings("rum"),
        scale=RUM.table_scale(PLAN),
    script:
        "../scripts/rum_claims.py"
