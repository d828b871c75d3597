"""A real Snakemake run of a tiny SMU (paper 000) config: its three tables beside the paper's numbers, the claims,
the dispersion figure, the baselines table left without SMU's methods, and an SMU change rerunning only SMU."""

from __future__ import annotations

import copy
import json

import pandas as pd
import pytest
from conftest import planned_jobs, run_copy, tiny_config, write_config

pytestmark = pytest.mark.workflow

TINY_SMU = tiny_config("tiny_smu")


@pytest.fixture(scope="module")
def workdir(tmp_path_factory):
    return run_copy(tmp_path_factory, "workflow_smu", TINY_SMU)


def test_one_table_per_setting_beside_the_paper(workdir):
    tables = workdir / "results/tinysmu/tables"
    for setting in ("fullclass", "subclass", "random"):
        table = pd.read_csv(tables / f"smu_{setting}.csv")
        assert table["method"].tolist() == ["retrain", "original", "finetune", "ssd", "smu", "smu_paper"]
        ours = table[table["source"] == "ours"].set_index("method")
        assert (ours["n_seeds"] == 1).all() and ours.loc["retrain", "mia_entropy_gap_mean"] == 0.0
        assert ours.loc["smu", "speedup_mean"] > 0 and ours.loc["smu", "seconds_mean"] > 0
        assert table.set_index("method").loc["smu_paper", "mia_entropy_mean"] == 0.0
        md = (tables / f"smu_{setting}.md").read_text()
        assert "MIA-entropy gap" in md and "SMU — paper" in md and "seeds [1]" in md
        assert "\\begin{tabular}" in (tables / f"smu_{setting}.tex").read_text()
    full = pd.read_csv(tables / "smu_fullclass.csv").set_index("method")
    assert full.loc["retrain", "acc_forget_mean"] == 0.0, "the gold model never saw the forgotten class"
    assert full.loc["smu_paper", "acc_retain_mean"] == pytest.approx(0.9998)


def test_claims_and_dispersion(workdir):
    claims = (workdir / "results/tinysmu/tables/smu_claims.md").read_text()
    for claim in ("MIA goes to 0", "keeps D_r accuracy", "near 0 in full-class forgetting", "SMU is better than",
                  "Scale: dataset digits", "Regime: original models"):  # fmt: skip
        assert claim in claims
    rows = pd.read_csv(workdir / "results/tinysmu/tables/smu_claims.csv")
    judged = rows[rows["verdict"] != "—"]
    assert judged["verdict"].isin(["held", "not held", "inconclusive", "vacuous", "not tested"]).all()
    assert len(judged) >= 8 and (judged["verdict"] == "not tested").sum() == 2, "CIFAR-100, architectures"
    premise = rows.set_index("id").loc["smu.premise.fullclass"]
    assert premise["kind"] == "compare" and premise["n_seeds"] >= 1, "the premise judged on the measured dispersion"
    summary = pd.read_csv(workdir / "results/tinysmu/tables/smu_logit_dispersion.csv")
    assert len(summary) == 3 * 3 * 3  # settings x models x groups
    assert (summary["cosine_mean"] >= 0).all() and set(summary["model"]) == {"original", "smu", "retrain"}
    for ext, magic in (("png", b"\x89PNG\r\n\x1a\n"), ("pdf", b"%PDF-")):
        assert (workdir / f"results/tinysmu/figures/smu_logit_dispersion.{ext}").read_bytes()[: len(magic)] == magic


def test_smu_methods_join_only_their_seeds_and_stay_out_of_the_baselines_table(workdir):
    run = workdir / "results/tinysmu/run"
    seed1 = [r["method"] for r in json.loads((run / "metrics/full/s1.json").read_text())]
    seed0 = [r["method"] for r in json.loads((run / "metrics/full/s0.json").read_text())]
    assert seed1 == ["retrain", "original", "finetune", "ssd", "smu"] and seed0 == ["retrain", "original", "finetune"]
    baselines = pd.read_csv(workdir / "results/tinysmu/tables/baselines.csv")
    assert set(baselines["method"]) == {"retrain", "original", "finetune"}


def test_changing_smu_reruns_only_smu_and_what_reads_it(workdir):
    cfg = copy.deepcopy(TINY_SMU)
    cfg["methods"]["smu"]["lr"] = 2e-4
    write_config(workdir, cfg)
    try:
        jobs = planned_jobs(workdir)
    finally:
        write_config(workdir, TINY_SMU)
    assert jobs.get("unlearn") == 3, "SMU on the three scenarios of seed 1"
    assert jobs.get("evaluate") == 3 and "train_original" not in jobs
    assert {"smu_tables", "smu_dispersion"} <= set(jobs)
