# Training: the original model M_o on all of D, one per seed (the gold model is the `retrain` method).


rule train_original:
    input:
        data=f"{RUN}/data.pt",
        code=code("train_original"),
    output:
        model=f"{RUN}/models/original/s{{seed}}.pt",
        probs=f"{RUN}/models/original/s{{seed}}.probs.npz",
    log:
        logfile("train_original/s{seed}"),
    benchmark:
        benchfile("train_original/s{seed}")
    conda:
        "../envs/unlearn.yaml"
    threads: 1
    resources:
        mem_mb=4000,
        runtime=240,
        gpu=1,
    params:
        model=config["model"],
        recipe=config["train"],
        resume=f"{RUN}/resume/train_original/s{{seed}}.pt",
    script:
        "../scripts/train_original.py"
