# Data: the dataset as uint8 tensors, and the forget sets (index files every later rule reads).


rule prepare_data:
    input:
        code=code("prepare_data"),
    output:
        data=f"{RUN}/data.pt",
        labels=f"{RUN}/labels.npz",
        split=f"{RUN}/split.json",
    log:
        logfile("prepare_data"),
    benchmark:
        benchfile("prepare_data")
    localrule: True
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
        code=code("forget_set"),
    output:
        PLAN.forget_file("{scenario}", "{seed}"),
    log:
        logfile("forget_set/{scenario}_s{seed}"),
    benchmark:
        benchfile("forget_set/{scenario}_s{seed}")
    wildcard_constraints:
        scenario=constraint(PLAN.label_scenarios),
    localrule: True
    conda:
        "../envs/unlearn.yaml"
    resources:
        mem_mb=1000,
        runtime=5,
    params:
        spec=scenario_spec,
    script:
        "../scripts/forget_set.py"
