"""Tuning in a real Snakemake run (tests/configs/tiny_tuning.yaml): the choice is the best trial under the tie
rule and the tuned jobs ran with it; no tuning job reads, directly or through the jobs before it, a test forget set,
its gold model or its metrics; changing one method's space reruns only its trials and the jobs that read its choice;
every table header says where the values came from."""

from __future__ import annotations

import re

import pandas as pd
import pytest
from conftest import job_stats, run_copy, snakemake, tiny_config, write_config

from unlearn.io import load_json
from unlearn.tuning import choose

pytestmark = pytest.mark.workflow
OUT = "results/tiny"
TESTS = ("fullclass", "subclass")


@pytest.fixture(scope="module")
def done(tmp_path_factory):
    return run_copy(tmp_path_factory, "tuning", tiny_config("tiny_tuning"))


def test_the_choice_is_the_best_trial_and_the_tuned_jobs_use_it(done):
    trials = pd.read_csv(done / OUT / "tables/tuning.csv")
    tuned = pd.read_csv(done / OUT / "tables/tuned.csv")
    assert sorted(zip(tuned["method"], tuned["validation"], strict=True)) == [
        (m, v) for m in ("finetune", "neggrad") for v in ("val_full_class", "val_sub_class")
    ]
    for (method, validation), rows in trials.groupby(["method", "validation"]):
        space = rows[rows["in_space"]].reset_index(drop=True)
        costs, tows = space["cost_epochs"], space["tow"]
        records = [{"hp": {"epochs": int(c)}, "metrics": {"tow": t}} for c, t in zip(costs, tows, strict=True)]
        best = space.loc[choose(records, "tow")]
        assert rows["chosen"].sum() == 1 and bool(rows.loc[rows["chosen"]].iloc[0]["trial"] == best["trial"])
        row = tuned[(tuned["method"] == method) & (tuned["validation"] == validation)].iloc[0]
        assert row["chosen"] == best["values"] and row["trials"] == 2
        assert rows[rows["configured"]].shape[0] == 1, "the configured values run once, beside the grid"
        record = load_json(done / OUT / f"run/tuning/{validation}/{method}.json")
        chosen = record["chosen"]["point"]
        scenario = {"val_full_class": "fullclass", "val_sub_class": "subclass"}[validation]
        for seed in (0, 1):
            run = load_json(done / OUT / f"run/models/{scenario}/s{seed}/{method}.json")
            assert run["hp"] == {**record["chosen"]["hp"], **chosen}, f"{method} on {scenario} s{seed}: the choice"
    configured = tiny_config("tiny_tuning")["methods"]["neggrad_plus"]
    run = load_json(done / OUT / "run/models/subclass/s1/neggrad_plus.json")
    assert {k: run["hp"][k] for k in configured} == configured, "not in tuning.methods: the configured values"


def _jobs(dry_run: str) -> list[dict]:
    """Every job of a dry run's listing: its rule, inputs and outputs."""
    jobs = []
    for block in re.split(r"\n(?=(?:local)?rule \w+:)", dry_run):
        head = re.match(r"(?:local)?rule (\w+):", block)
        if not head:
            continue
        fields = {k: re.search(rf"^\s+{k}: (.*)$", block, re.M) for k in ("input", "output")}
        jobs.append({"rule": head.group(1), **{k: (m.group(1).split(", ") if m else []) for k, m in fields.items()}})
    return jobs


def test_no_tuning_job_reads_a_test_forget_set_its_gold_model_or_metrics(done):
    jobs = _jobs(snakemake(done, "-n", "--forceall").stdout)
    maker = {out: job for job in jobs for out in job["output"]}
    tune = [job for job in jobs if job["rule"] == "tune"]
    assert len(tune) == 4
    seen, todo = set(), [f for job in tune for f in job["input"]]
    while todo:  # every file a tuning job reads, and every file the jobs before it read
        path = todo.pop()
        if path not in seen:
            seen.add(path)
            todo += maker[path]["input"] if path in maker else []
    leaked = [p for p in seen if re.search(rf"/(forget|models)/({'|'.join(TESTS)})/|/metrics/", p)]
    assert not leaked, f"tuning reads test files: {leaked}"
    assert f"{OUT}/run/models/val_sub_class/s0/retrain.probs.npz" in seen, "its own gold model"
    tuned = [j for j in jobs if j["rule"] == "unlearn" and any("/run/tuning/" in f for f in j["input"])]
    assert len(tuned) == 8, "finetune and neggrad on 2 scenarios x 2 seeds read their records"


def test_changing_one_methods_space_reruns_its_trials_and_their_readers_only(done):
    cfg = tiny_config("tiny_tuning")
    cfg["tuning"]["space"]["neggrad"]["lr"] = [0.001, 0.02]
    write_config(done, cfg, "changed.yaml")
    planned = job_stats(snakemake(done, "-n", config="changed.yaml").stdout)
    assert planned == {"tune": 2, "tuning_tables": 1, "unlearn": 4, "evaluate": 4, "baselines_table": 1,
                       "regime": 1, "baselines_figure": 1, "paper_comparison": 1, "all": 1}  # fmt: skip


def test_every_table_says_where_the_values_came_from(done):
    header = (done / OUT / "tables/baselines.md").read_text().split("\n")[2]
    assert header.endswith(
        "Hyperparameters: tuned on validation forget sets (objective ToW; tuning.md, tuned.md) for finetune, neggrad; "
        "configured values for the others."
    )
    assert (done / OUT / "figures/tuning.png").stat().st_size > 0 and (done / OUT / "figures/tuning.pdf").is_file()
