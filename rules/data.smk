# Data: the dataset as uint8 tensors, and the forget sets (index files every later rule reads).


rule prepare_data:
    input:
        lib("data"),
    output:
        data=f"{RUN}/data.pt",
        labels=f"{RUN}/labels.npz",
        split=f"{RUN}/split.json",
    log:
        f"{RUN}/logs/prepare_data.log",
    benchmark:
        f"{RUN}/benchmarks/prepare_data.tsv"
    conda:
        "../envs/unlearn.yaml"
    resources:
        mem_mb=4000,
        runtime=30,
    params:
        dataset=config["dataset"],
    script:
        "../scripts/prepare_data.py"


rule forget_set:
    input:
        labels=f"{RUN}/labels.npz",
        code=lib("forget"),
    output:
        f"{RUN}/forget/{{scenario}}/s{{seed}}.json",
    log:
        f"{RUN}/logs/forget_set/{{scenario}}_s{{seed}}.log",
    benchmark:
        f"{RUN}/benchmarks/forget_set/{{scenario}}_s{{seed}}.tsv"
    wildcard_constraints:
        scenario="|".join(LABEL_SCENARIOS),
    conda:
        "../envs/unlearn.yaml"
    resources:
        mem_mb=1000,
        runtime=5,
    params:
        spec=scenario_spec,
    script:
        "../scripts/forget_set.py"
