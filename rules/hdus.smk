# HDUS, decentralized unlearning with seed models (the survey, paper 003): clients on parts of D, their main and
# seed models (`clients_per_job` clients per job, fanned out on a cluster), a client's departure, the ordinary
# evaluate rule on it (scenario `hdus`), the tables and claims. The plan's part: src/unlearn/hdus/plugin.py.

from unlearn import hdus as hdus_plan

HDUS = PLAN.experiment("hdus")


rule hdus_partition:
    input:
        labels=f"{RUN}/labels.npz",
        code=code("hdus_partition"),
    output:
        clients=HDUS.path(PLAN, "{seed}", "clients.json"),
    log:
        logfile("hdus_partition/s{seed}"),
    benchmark:
        benchfile("hdus_partition/s{seed}")
    localrule: True
    conda:
        "../envs/unlearn.yaml"
    resources:
        mem_mb=1000,
        runtime=5,
    params:
        hdus=HDUS.params(PLAN, "clients", "partition", "topology", "k", "models"),
    script:
        "../scripts/hdus_partition.py"


rule hdus_clients:
    input:
        data=f"{RUN}/data.pt",
        clients=HDUS.path(PLAN, "{seed}", "clients.json"),
        code=code("hdus_clients"),
    output:
        HDUS.path(PLAN, "{seed}", "clients_{first}-{last}.pt"),
    log:
        logfile("hdus_clients/s{seed}_{first}-{last}"),
    benchmark:
        benchfile("hdus_clients/s{seed}_{first}-{last}")
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
        hdus=HDUS.params(PLAN, "models", "seed_model", "train", "distill"),
    script:
        "../scripts/hdus_clients.py"


rule hdus_depart:
    input:
        data=f"{RUN}/data.pt",
        clients=HDUS.path(PLAN, "{seed}", "clients.json"),
        models=HDUS.client_models(PLAN, "{seed}"),
        code=code("hdus_depart"),
    output:
        **{
            f"{m}_{kind}": f"{RUN}/models/{hdus_plan.SCENARIO}/s{{seed}}/{m}.{ext}"
            for m in hdus_plan.MODELS
            for kind, ext in (("probs", "probs.npz"), ("run", "json"))
        },
        departure=HDUS.path(PLAN, "{seed}", "departure.json"),
        forget=PLAN.forget_file(hdus_plan.SCENARIO, "{seed}"),
    log:
        logfile("hdus_depart/s{seed}"),
    benchmark:
        benchfile("hdus_depart/s{seed}")
    conda:
        "../envs/unlearn.yaml"
    threads: 1
    resources:
        mem_mb=4000,
        runtime=240,
        gpu=1,
    params:
        hdus=HDUS.params(PLAN, "models", "seed_model", "train", "distill", "depart"),
    script:
        "../scripts/hdus_depart.py"


rule hdus_report:
    input:
        metrics=PLAN.metric_files(HDUS.scenarios(PLAN), HDUS.seeds(PLAN)),
        departures=[
            HDUS.path(PLAN, seed, "departure.json") for seed in HDUS.seeds(PLAN)
        ],
        code=code("hdus_report"),
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
        logfile("hdus_report"),
    benchmark:
        benchfile("hdus_report")
    localrule: True
    conda:
        "../envs/unlearn.yaml"
    params:
        scale=HDUS.table_scale(PLAN),
    script:
        "../scripts/hdus_report.py"
