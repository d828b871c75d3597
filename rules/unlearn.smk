# Unlearning: every configured method (Retrain = gold) on every scenario and seed.


rule unlearn:
    input:
        unpack(unlearn_inputs),
        code=lib("training", "optim", "loader", "checkpoints"),
        models=model_lib(),
        method=method_lib,
    output:
        model=f"{RUN}/models/{{scenario}}/s{{seed}}/{{method}}.pt",
        probs=f"{RUN}/models/{{scenario}}/s{{seed}}/{{method}}.probs.npz",
        run=f"{RUN}/models/{{scenario}}/s{{seed}}/{{method}}.json",
    log:
        f"{RUN}/logs/unlearn/{{scenario}}_s{{seed}}_{{method}}.log",
    benchmark:
        f"{RUN}/benchmarks/unlearn/{{scenario}}_s{{seed}}_{{method}}.tsv"
    conda:
        "../envs/unlearn.yaml"
    threads: 1
    resources:
        mem_mb=4000,
        runtime=240,
        gpu=1,
    params:
        hp=method_hparams,
        model=config["model"],
        recipe=config["train"],
        resume=f"{RUN}/resume/unlearn/{{scenario}}_s{{seed}}_{{method}}.pt",
    script:
        "../scripts/unlearn.py"
