# Evaluation: every model of one (scenario, seed) against its gold model, in one job (numpy + scikit-learn,
# no torch; one scikit-learn import per scenario instead of one per model).


rule evaluate:
    input:
        unpack(evaluated_inputs),
        labels=f"{RUN}/labels.npz",
        forget=PLAN.forget_file("{scenario}", "{seed}"),
        code=code("evaluate"),
    output:
        f"{RUN}/metrics/{{scenario}}/s{{seed}}.json",
    log:
        logfile("evaluate/{scenario}_s{seed}"),
    benchmark:
        benchfile("evaluate/{scenario}_s{seed}")
    conda:
        "../envs/unlearn.yaml"
    resources:
        mem_mb=2000,
        runtime=30,
    params:
        models=evaluated_models,
    script:
        "../scripts/evaluate.py"
