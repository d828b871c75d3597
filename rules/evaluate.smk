# Evaluation: every model of one (scenario, seed) against its gold model, in one job (numpy + scikit-learn,
# no torch; one scikit-learn import per scenario instead of one per model).


rule evaluate:
    input:
        unpack(evaluated_inputs),
        labels=f"{RUN}/labels.npz",
        forget=f"{RUN}/forget/{{scenario}}/s{{seed}}.json",
        code=lib("metrics", "evaluation"),
    output:
        f"{RUN}/metrics/{{scenario}}/s{{seed}}.json",
    log:
        f"{RUN}/logs/evaluate/{{scenario}}_s{{seed}}.log",
    benchmark:
        f"{RUN}/benchmarks/evaluate/{{scenario}}_s{{seed}}.tsv"
    conda:
        "../envs/unlearn.yaml"
    resources:
        mem_mb=2000,
        runtime=30,
    params:
        models=evaluated_models,
    script:
        "../scripts/evaluate.py"
