# Fair tuning (SPEC.md, evaluation protocol; docs/methods.md#tuning): one trials job per (validation forget set,
# method), each against the validation set's own gold model (the ordinary `retrain` job on it), and the tables of
# every trial and every choice. A tuned unlearning job reads its method's record (its `tuned` input), so changing
# one method's space reruns that method's trials and the jobs that read its choice. The plan's part:
# src/unlearn/tuning/plugin.py.

TUNING = PLAN.experiment("tuning")
TUNING_SEED = TUNING.seed(PLAN)


rule tune:
    input:
        data=f"{RUN}/data.pt",
        labels=f"{RUN}/labels.npz",
        forget=PLAN.forget_file("{scenario}", TUNING_SEED),
        original=f"{RUN}/models/original/s{TUNING_SEED}.pt",
        gold=f"{RUN}/models/{{scenario}}/s{TUNING_SEED}/retrain.probs.npz",
        code=code("tune"),
        method=method_code,
    output:
        TUNING.record(PLAN, "{scenario}", "{method}"),
    log:
        logfile("tune/{scenario}_{method}"),
    benchmark:
        benchfile("tune/{scenario}_{method}")
    conda:
        "../envs/unlearn.yaml"
    threads: 1
    resources:
        mem_mb=4000,
        runtime=240,
        gpu=1,
    params:
        points=tune_points,
        space=tune_space,
        base=method_hparams,
        objective=TUNING.objective(PLAN),
        seed=TUNING_SEED,
        model=config["model"],
        recipe=config["train"],
    script:
        "../scripts/tune.py"


rule tuning_tables:
    input:
        records=TUNING.records(PLAN),
        code=code("tuning_tables"),
    output:
        trials_csv=f"{TABLES}/tuning.csv",
        trials_md=report(
            f"{TABLES}/tuning.md", caption="../report/tuning.rst", category="Tuning"
        ),
        tuned_csv=f"{TABLES}/tuned.csv",
        tuned_md=report(
            f"{TABLES}/tuned.md", caption="../report/tuning.rst", category="Tuning"
        ),
        png=report(
            f"{FIGURES}/tuning.png", caption="../report/tuning.rst", category="Tuning"
        ),
        pdf=f"{FIGURES}/tuning.pdf",
    log:
        logfile("tuning_tables"),
    benchmark:
        benchfile("tuning_tables")
    localrule: True
    conda:
        "../envs/unlearn.yaml"
    params:
        objective=TUNING.objective(PLAN),
        seed=TUNING_SEED,
        validation=TUNING.validation_sets(PLAN),
        style=config["plots"],
    script:
        "../scripts/tuning_tables.py"
