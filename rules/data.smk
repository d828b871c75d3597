# Data: the dataset as uint8 tensors, and the forget sets (index files every later rule reads).


rule prepare_data:
    output:
        data=f"{RUN}/data.pt",
        labels=f"{RUN}/labels.npz",
    input:
        lib("data"),
    params:
        dataset=config["dataset"],
    log:
        f"{RUN}/logs/prepare_data.log",
    benchmark:
        f"{RUN}/benchmarks/prepare_data.tsv"
    resources:
        mem_mb=4000,
        runtime=30,
    script:
        "../scripts/prepare_data.py"


rule forget_set:
    output:
        f"{RUN}/forget/{{scenario}}/s{{seed}}.json",
    input:
        labels=f"{RUN}/labels.npz",
        code=lib("forget"),
    params:
        spec=scenario_spec,
    log:
        f"{RUN}/logs/forget_set/{{scenario}}_s{{seed}}.log",
    benchmark:
        f"{RUN}/benchmarks/forget_set/{{scenario}}_s{{seed}}.tsv"
    resources:
        mem_mb=1000,
        runtime=5,
    script:
        "../scripts/forget_set.py"
