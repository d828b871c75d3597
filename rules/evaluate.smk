# Evaluation: every model of one (scenario, seed) against its gold model, in one job (numpy + scikit-learn,
# no torch; one scikit-learn import per scenario instead of one per model). LiRA reads the shadow models'
# outputs (PLAN.lira_shadows: the memorization models, or LiRA's own below).


rule evaluate:
    input:
        unpack(evaluated_inputs),
        labels=f"{RUN}/labels.npz",
        forget=PLAN.forget_file("{scenario}", "{seed}"),
        shadows=PLAN.lira_shadows,
        ulira=ulira_files,
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
        lira_min_models=config["mia"]["min_models"],
        ulira_models=ulira_models,
    script:
        "../scripts/evaluate.py"


# LiRA's own shadow models (`mia: {shadows: K}`), when the config has no memorization models to reuse
rule lira_shadows:
    input:
        data=f"{RUN}/data.pt",
        code=code("lira_shadows"),
    output:
        f"{RUN}/lira/shadows_{{first}}-{{last}}.npz",
    log:
        logfile("lira_shadows/{first}-{last}"),
    benchmark:
        benchfile("lira_shadows/{first}-{last}")
    wildcard_constraints:
        first=r"\d+",
        last=r"\d+",
    conda:
        "../envs/unlearn.yaml"
    threads: 1
    resources:
        mem_mb=4000,
        runtime=240,
        gpu=1,
    params:
        recipe=config["train"],
        model=config["model"],
        fraction=config["mia"]["fraction"],
    script:
        "../scripts/lira_shadows.py"


# U-LiRA (`mia: {unlearned_shadows: ...}`): the shadow originals, then each tested method unlearns every one of them
rule ulira_original:
    input:
        data=f"{RUN}/data.pt",
        code=code("ulira_original"),
    output:
        f"{RUN}/ulira/originals/m{{k}}.pt",
    log:
        logfile("ulira_original/m{k}"),
    benchmark:
        benchfile("ulira_original/m{k}")
    wildcard_constraints:
        k=r"\d+",
    conda:
        "../envs/unlearn.yaml"
    threads: 1
    resources:
        mem_mb=4000,
        runtime=240,
        gpu=1,
    params:
        recipe=config["train"],
        model=config["model"],
        fraction=config["mia"]["fraction"],
        resume=f"{RUN}/resume/ulira_original/m{{k}}.pt",
    script:
        "../scripts/ulira_original.py"


rule ulira_unlearn:
    input:
        unpack(ulira_inputs),
        originals=PLAN.ulira_originals,
        code=code("ulira_unlearn"),
        method=method_code,
    output:
        f"{RUN}/ulira/{{scenario}}/s{{seed}}/{{method}}.npz",
    log:
        logfile("ulira_unlearn/{scenario}_s{seed}_{method}"),
    benchmark:
        benchfile("ulira_unlearn/{scenario}_s{seed}_{method}")
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
    script:
        "../scripts/ulira_unlearn.py"
