# Training: the original model M_o on all of D, one per seed (the gold model is the `retrain` method).


rule train_original:
    output:
        model=f"{RUN}/models/original/s{{seed}}.pt",
        probs=f"{RUN}/models/original/s{{seed}}.probs.npz",
    input:
        data=f"{RUN}/data.pt",
        code=lib("training", "loader", "checkpoints"),
        models=model_lib(),
    params:
        model=config["model"],
        recipe=config["train"],
    log:
        f"{RUN}/logs/train_original/s{{seed}}.log",
    benchmark:
        f"{RUN}/benchmarks/train_original/s{{seed}}.tsv"
    threads: 1
    resources:
        mem_mb=4000,
        runtime=240,
        gpu=1,
    script:
        "../scripts/train_original.py"
