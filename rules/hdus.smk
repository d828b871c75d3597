# HDUS, decentralized unlearning with seed models (the survey, paper 003): clients on parts of D, their main and
# seed models (`clients_per_job` clients per job, fanned out on a cluster), a client's departure, the ordinary
# evaluate rule on it (scenario `hdus`), the tables and claims.


HDUS_LIB = [str(LIB_DIR / "hdus" / f"{m}.py") for m in ("__init__", "clients")]


rule hdus_partition:
    input:
        labels=f"{RUN}/labels.npz",
        code=lib() + [str(LIB_DIR / "hdus" / "__init__.py")],
    output:
        clients=f"{RUN}/hdus/s{{seed}}/clients.json",
    log:
        f"{RUN}/logs/hdus_partition/s{{seed}}.log",
    benchmark:
        f"{RUN}/benchmarks/hdus_partition/s{{seed}}.tsv"
    conda:
        "../envs/unlearn.yaml"
    resources:
        mem_mb=1000,
        runtime=5,
    params:
        hdus=hdus_params("clients", "partition", "topology", "k", "models"),
    script:
        "../scripts/hdus_partition.py"


rule hdus_clients:
    input:
        data=f"{RUN}/data.pt",
        clients=f"{RUN}/hdus/s{{seed}}/clients.json",
        code=lib("training", "optim", "loader", "checkpoints") + HDUS_LIB,
        models=model_lib(),
    output:
        f"{RUN}/hdus/s{{seed}}/clients_{{first}}-{{last}}.pt",
    log:
        f"{RUN}/logs/hdus_clients/s{{seed}}_{{first}}-{{last}}.log",
    benchmark:
        f"{RUN}/benchmarks/hdus_clients/s{{seed}}_{{first}}-{{last}}.tsv"
    wildcard_constraints:
        first=r"\d+",
        last=r"\d+",
    conda:
        "../envs/unlearn.yaml"
    threads: 1
    resources:
        mem_mb=4000,
        runtime=120,
        gpu=1,
    params:
        hdus=hdus_params("models", "seed_model", "train", "distill"),
    script:
        "../scripts/hdus_clients.py"


rule hdus_depart:
    input:
        data=f"{RUN}/data.pt",
        clients=f"{RUN}/hdus/s{{seed}}/clients.json",
        models=hdus_client_models,
        code=lib("training", "optim", "loader", "checkpoints") + HDUS_LIB,
        model_code=model_lib(),
    output:
        **{
            f"{m}_{kind}": f"{RUN}/models/{hdus_plan.SCENARIO}/s{{seed}}/{m}.{ext}"
            for m in hdus_plan.MODELS
            for kind, ext in (("probs", "probs.npz"), ("run", "json"))
        },
        departure=f"{RUN}/hdus/s{{seed}}/departure.json",
        forget=f"{RUN}/forget/{hdus_plan.SCENARIO}/s{{seed}}.json",
    log:
        f"{RUN}/logs/hdus_depart/s{{seed}}.log",
    benchmark:
        f"{RUN}/benchmarks/hdus_depart/s{{seed}}.tsv"
    conda:
        "../envs/unlearn.yaml"
    threads: 1
    resources:
        mem_mb=4000,
        runtime=240,
        gpu=1,
    params:
        hdus=hdus_params("models", "seed_model", "train", "distill", "depart"),
    script:
        "../scripts/hdus_depart.py"


rule hdus_report:
    input:
        metrics=metric_files(list(HDUS_SCENARIOS), HDUS_SEEDS),
        departures=expand(f"{RUN}/hdus/s{{seed}}/departure.json", seed=HDUS_SEEDS),
        code=lib("tables", "claims", "evaluation")
        + [str(LIB_DIR / "hdus" / "report.py")],
    output:
        csv=f"{TABLES}/hdus.csv",
        md=report(
            f"{TABLES}/hdus.md",
            caption="../report/survey_families.rst",
            category="Survey (paper 003): HDUS and SNN",
        ),
        clients_csv=f"{TABLES}/hdus_clients.csv",
        clients_md=report(
            f"{TABLES}/hdus_clients.md",
            caption="../report/survey_families.rst",
            category="Survey (paper 003): HDUS and SNN",
        ),
        claims_csv=f"{TABLES}/hdus_claims.csv",
        claims_md=report(
            f"{TABLES}/hdus_claims.md",
            caption="../report/survey_families.rst",
            category="Survey (paper 003): HDUS and SNN",
        ),
    log:
        f"{RUN}/logs/hdus_report.log",
    benchmark:
        f"{RUN}/benchmarks/hdus_report.tsv"
    conda:
        "../envs/unlearn.yaml"
    params:
        scale=HDUS_SCALE,
    script:
        "../scripts/hdus_report.py"
