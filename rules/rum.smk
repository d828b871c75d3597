# RUM, "what makes unlearning hard" (paper 002). The gold model and every method on the ES, memorization and
# rum_mix forget sets run through the ordinary `unlearn` and `evaluate` rules; these rules make those forget
# sets (entanglement, memorization) and the paper's tables, figures and claims.


RUM_LIB = [str(LIB_DIR / "rum" / f"{m}.py") for m in ("__init__", "entanglement")]


rule rum_entanglement:
    input:
        data=f"{RUN}/data.pt",
        original=f"{RUN}/models/original/s{{seed}}.pt",
        code=lib("loader", "checkpoints"),
        rum_code=RUM_LIB,
        models=model_lib(),
    output:
        embeddings=rum_path("s{seed}/embeddings.npz"),
        record=rum_path("s{seed}/entanglement.json"),
        forget=expand(
            f"{RUN}/forget/rum_es_{{level}}/s{{{{seed}}}}.json", level=rum_plan.LEVELS
        ),
    log:
        f"{RUN}/logs/rum_entanglement/s{{seed}}.log",
    benchmark:
        f"{RUN}/benchmarks/rum_entanglement/s{{seed}}.tsv"
    conda:
        "../envs/unlearn.yaml"
    threads: 1
    resources:
        mem_mb=4000,
        runtime=30,
        gpu=1,
    params:
        rum={k: RUM[k] for k in ("n", "entanglement")} if RUM else {},
    script:
        "../scripts/rum_entanglement.py"


rule rum_memorization_models:
    input:
        data=f"{RUN}/data.pt",
        code=lib("training", "optim", "loader", "checkpoints"),
        rum_code=[
            str(LIB_DIR / "rum" / f"{m}.py") for m in ("memorization", "subset_models")
        ],
        models=model_lib(),
    output:
        rum_path("memorization/models_{first}-{last}.npz"),
    log:
        f"{RUN}/logs/rum_memorization_models/{{first}}-{{last}}.log",
    benchmark:
        f"{RUN}/benchmarks/rum_memorization_models/{{first}}-{{last}}.tsv"
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
        memorization=rum_model_params(),
        recipe=config["train"],
        model=config["model"],
    script:
        "../scripts/rum_memorization_models.py"


rule rum_memorization:
    input:
        models=rum_memorization_models(),
        labels=f"{RUN}/labels.npz",
        code=[str(LIB_DIR / "rum" / f"{m}.py") for m in ("__init__", "memorization")],
    output:
        scores=rum_path("memorization.npz"),
        record=rum_path("memorization.json"),
        forget=expand(
            f"{RUN}/forget/{{scenario}}/s{{seed}}.json",
            scenario=[rum_plan.scenario_name("mem", lv) for lv in rum_plan.LEVELS]
            + [rum_plan.MIX],
            seed=RUM_SEEDS,
        ),
    log:
        f"{RUN}/logs/rum_memorization.log",
    benchmark:
        f"{RUN}/benchmarks/rum_memorization.tsv"
    conda:
        "../envs/unlearn.yaml"
    resources:
        mem_mb=2000,
        runtime=10,
    params:
        n=RUM["n"] if RUM else 0,
        seeds=RUM_SEEDS,
    script:
        "../scripts/rum_memorization.py"


rule rum_tables:
    input:
        unpack(rum_table_inputs),
        paper=[
            str(PAPER_DIR / f"rum_{t}.csv")
            for t in ("table", "es_values", "es_by_memorization")
        ],
        labels=f"{RUN}/labels.npz",
        originals=original_probs(RUM_SEEDS),
        code=lib("metrics", "tables", "claims", "regime")
        + [
            str(LIB_DIR / "rum" / f"{m}.py")
            for m in ("__init__", "entanglement", "report")
        ],
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
        records=rum_path("records.csv"),
        es_per_seed=rum_path("es_per_seed.csv"),
    log:
        f"{RUN}/logs/rum_tables.log",
    benchmark:
        f"{RUN}/benchmarks/rum_tables.tsv"
    conda:
        "../envs/unlearn.yaml"
    params:
        rum=RUM,
        scale={
            "dataset": config["dataset"]["name"],
            "model": config["model"],
            "epochs": config["train"]["epochs"],
            "seeds": RUM_SEEDS,
        },
    script:
        "../scripts/rum_tables.py"


rule rum_figures:
    input:
        embeddings=rum_path(f"s{RUM_SEEDS[0]}/embeddings.npz") if RUM else [],
        es_forget=(
            expand(
                f"{RUN}/forget/rum_es_{{level}}/s{RUM_SEEDS[0]}.json",
                level=rum_plan.LEVELS,
            )
            if RUM
            else []
        ),
        difficulty=f"{TABLES}/rum_difficulty.csv",
        scores=rum_path("memorization.npz"),
        code=lib("plots") + [str(LIB_DIR / "rum" / "plots.py")],
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
        f"{RUN}/logs/rum_figures.log",
    benchmark:
        f"{RUN}/benchmarks/rum_figures.tsv"
    conda:
        "../envs/unlearn.yaml"
    params:
        style=config["plots"],
    script:
        "../scripts/rum_figures.py"


rule rum_claims:
    input:
        records=rum_path("records.csv"),
        es=rum_path("es_per_seed.csv"),
        labels=f"{RUN}/labels.npz",
        originals=original_probs(RUM_SEEDS),
        paper=[
            str(PAPER_DIR / f"rum_{t}.csv")
            for t in ("table", "es_values", "es_by_memorization")
        ],
        code=lib("claims", "regime", "metrics", "tables")
        + [str(LIB_DIR / "rum" / f"{m}.py") for m in ("__init__", "report")],
    output:
        md=report(
            f"{TABLES}/rum_claims.md",
            caption="../report/rum_tables.rst",
            category="RUM (paper 002)",
        ),
        csv=f"{TABLES}/rum_claims.csv",
    log:
        f"{RUN}/logs/rum_claims.log",
    benchmark:
        f"{RUN}/benchmarks/rum_claims.tsv"
    conda:
        "../envs/unlearn.yaml"
    params:
        rum=RUM,
        scale={
            "dataset": config["dataset"]["name"],
            "model": config["model"],
            "epochs": config["train"]["epochs"],
            "seeds": RUM_SEEDS,
            "n": RUM["n"] if RUM else None,
            "memorization_models": RUM["memorization"]["models"] if RUM else None,
        },
    script:
        "../scripts/rum_claims.py"
