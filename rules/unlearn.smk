# Unlearning: every method of the plan (Retrain = gold) on every scenario and seed an experiment scores it on.


rule unlearn:
    input:
        unpack(unlearn_inputs),
        code=code("unlearn"),
        method=method_code,
    output:
        model=f"{RUN}/models/{{scenario}}/s{{seed}}/{{method}}.pt",
        probs=f"{RUN}/models/{{scenario}}/s{{seed}}/{{method}}.probs.npz",
        run=f"{RUN}/models/{{scenario}}/s{{seed}}/{{method}}.json",
    log:
        logfile("unlearn/{scenario}_s{seed}_{method}"),
    benchmark:
        benchfile("unlearn/{scenario}_s{seed}_{method}")
    conda:
        "../envs/unlearn.yaml"
    threads: 1
    resources:
        mem_mb=4000,
        runtime=240,
        gpu=1,
    params:
        module=method_module,
        hp=method_hparams,
        model=config["model"],
        recipe=config["train"],
        resume=f"{RUN}/resume/unlearn/{{scenario}}_s{{seed}}_{{method}}.pt",
    script:
        "../scripts/unlearn.py"
