# Evaluation: each model's outputs against the gold model's (numpy + scikit-learn, no torch).


rule evaluate:
    input:
        unpack(evaluated_inputs),
        gold=f"{RUN}/models/{{scenario}}/s{{seed}}/retrain.probs.npz",
        labels=f"{RUN}/labels.npz",
        forget=f"{RUN}/forget/{{scenario}}/s{{seed}}.json",
        code=lib("metrics", "evaluation"),
    output:
        f"{RUN}/metrics/{{scenario}}/s{{seed}}/{{evaluated}}.json",
    log:
        f"{RUN}/logs/evaluate/{{scenario}}_s{{seed}}_{{evaluated}}.log",
    benchmark:
        f"{RUN}/benchmarks/evaluate/{{scenario}}_s{{seed}}_{{evaluated}}.tsv"
    conda:
        "../envs/unlearn.yaml"
    resources:
        mem_mb=2000,
        runtime=10,
    script:
        "../scripts/evaluate.py"
