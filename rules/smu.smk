# Siamese Machine Unlearning (paper 000): SMU and its baselines on full-class, sub-class and random forgetting
# (`scenarios` entries, shared with the baselines experiment), their tables beside the paper's numbers, the
# claims, and the logit-dispersion figure. The unlearning and evaluation jobs are the ordinary rules; the plan's
# part: src/unlearn/smu/plugin.py.

SMU = PLAN.experiment("smu")
SMU_SETTINGS = SMU.setting_scenarios(PLAN)


rule smu_tables:
    input:
        metrics=SMU.metrics(PLAN),
        paper=paper_values(*(f"smu_{s}" for s in SMU_SETTINGS)),
        labels=f"{RUN}/labels.npz",
        originals=PLAN.original_probs(SMU.seeds(PLAN)),
        dispersion=f"{RUN}/smu/dispersion_samples.csv",  # the premise's claims
        code=code("smu_tables"),
    output:
        # the claims first, then each setting's csv/md/tex
        **{
            "claims": f"{TABLES}/smu_claims.md",
            "claims_csv": f"{TABLES}/smu_claims.csv",
            **{
                f"{setting}_{ext}": (
                    report(
                        path, caption="../report/smu.rst", category="SMU (paper 000)"
                    )
                    if ext == "md"
                    else path
                )
                for setting in SMU_SETTINGS
                for ext, path in zip(
                    ("csv", "md", "tex"),
                    PLAN.table(f"smu_{setting}", ("csv", "md", "tex")),
                )
            },
        },
    log:
        logfile("smu_tables"),
    benchmark:
        benchfile("smu_tables")
    localrule: True
    conda:
        "../envs/unlearn.yaml"
    params:
        settings=SMU_SETTINGS,
        methods=SMU.table_models(PLAN),
        scenario_specs={s: PLAN.config_scenarios[s] for s in SMU_SETTINGS.values()},
        scale=SMU.table_scale(PLAN),
    script:
        "../scripts/smu_tables.py"


rule smu_dispersion:
    input:
        **SMU.dispersion_inputs(PLAN),
        data=f"{RUN}/data.pt",
        metrics=SMU.metrics(PLAN),
        labels=f"{RUN}/labels.npz",
        originals=PLAN.original_probs(SMU.seeds(PLAN)),
        code=code("smu_dispersion"),
    output:
        samples=f"{RUN}/smu/dispersion_samples.csv",
        csv=f"{TABLES}/smu_logit_dispersion.csv",
        md=f"{TABLES}/smu_logit_dispersion.md",
    log:
        logfile("smu_dispersion"),
    benchmark:
        benchfile("smu_dispersion")
    conda:
        "../envs/unlearn.yaml"
    threads: 1
    resources:
        mem_mb=4000,
        runtime=60,
        gpu=1,
    params:
        settings=SMU_SETTINGS,
        seeds=SMU.seeds(PLAN),
        dispersion=PLAN.settings("smu")["dispersion"],
        augment=SMU.augment(config),
    script:
        "../scripts/smu_dispersion.py"


rule smu_dispersion_figure:
    input:
        samples=f"{RUN}/smu/dispersion_samples.csv",
        code=code("smu_dispersion_figure"),
    output:
        png=report(
            f"{FIGURES}/smu_logit_dispersion.png",
            caption="../report/smu.rst",
            category="SMU (paper 000)",
        ),
        pdf=f"{FIGURES}/smu_logit_dispersion.pdf",
    log:
        logfile("smu_dispersion_figure"),
    benchmark:
        benchfile("smu_dispersion_figure")
    localrule: True
    conda:
        "../envs/unlearn.yaml"
    params:
        style=config["plots"],
    script:
        "../scripts/smu_dispersion_figure.py"
