"""A real Snakemake run of a tiny TMU (paper 001) config: every table and figure with the rows named, the
saved hold-out split, and a classifier change rerunning only what depends on it."""

from __future__ import annotations

import copy
import json

import pandas as pd
import pytest
from conftest import planned_jobs, run_copy, tiny_config, write_config

pytestmark = pytest.mark.workflow

TINY_TMU = tiny_config("tiny_tmu")


@pytest.fixture(scope="module")
def workdir(tmp_path_factory):
    return run_copy(tmp_path_factory, "workflow_tmu", TINY_TMU)


def test_tmu_tables_have_the_papers_rows(workdir):
    tables = workdir / "results/tinytmu/tables"
    t1 = pd.read_csv(tables / "tmu_table1.csv", dtype={"class": str})
    assert t1["class"].tolist() == ["2", "5", "avg"]
    for m in ("finetune", "neggrad", "random_label", "bad_teacher", "tmu"):
        for col in (f"{m}_acc_test", f"{m}_acc_forget", f"{m}_delta"):
            assert t1[col].notna().all(), col
    # each class's cells from the records the evaluate jobs wrote (mean over seeds, accuracies in %)
    from unlearn.evaluation import load_records

    records = pd.DataFrame(load_records(sorted((workdir / "results/tinytmu/run/metrics").glob("tmu_c*/s*.json"))))
    records["class"] = records["scenario"].str.extract(r"tmu_c(\d+)_")[0]
    records = records[records["scenario"].isin([f"tmu_c{c}_n{TINY_TMU['tmu']['n']}" for c in (2, 5)])]
    assert len(records), "no metric records found"
    own = records.groupby(["class", "method"])[["acc_forget", "delta_forget"]].mean()
    for row in t1[t1["class"] != "avg"].itertuples():
        assert row.retrain_acc_forget == pytest.approx(100 * own.loc[(row[1], "retrain"), "acc_forget"])
        assert row.tmu_delta == pytest.approx(own.loc[(row[1], "tmu"), "delta_forget"])
    md = (tables / "tmu_table1.md").read_text()
    assert "| Avg, paper (cifar10, ResNet-18)" in md and "TMU Δ" in md and "Gold Acc_Df" in md
    assert "\\begin{tabular}" in (tables / "tmu_table1.tex").read_text()

    t3 = pd.read_csv(tables / "tmu_table3.csv", dtype={"class": str})
    assert t3["class"].tolist() == ["2", "5", "avg"]
    assert list(t3.columns[2:7]) == ["finetune", "paper_finetune", "neggrad", "paper_neggrad", "random_label"]
    assert (t3[["finetune", "tmu"]] >= 0).all().all()
    assert "Mean, paper" in (tables / "tmu_table3.md").read_text()

    t4 = pd.read_csv(tables / "tmu_table4.csv", dtype={"class": str})
    assert t4["class"].tolist() == ["2", "5", "avg"]
    for col in ("NF+AF+CF", "NF", "AF", "CF", "tmu_model", "bad_teacher_model", "all_easy", "twin_size"):
        assert t4[col].notna().all(), col
    assert t4[["NF+AF+CF", "NF", "AF", "CF"]].stack().between(0, 100).all()

    claims = (tables / "tmu_claims.md").read_text()
    for claim in ("TMU's Δ is below Bad Teacher's", "CF is the most discriminative single feature",
                  "TMU's labels beat Bad Teacher's at every forget-set size"):  # fmt: skip
        assert claim in claims
    assert "Scale: dataset digits" in claims and "Regime: original models" in claims
    rows = pd.read_csv(tables / "tmu_claims.csv")
    comparisons = rows[rows["verdict"] != "—"]
    assert len(comparisons) == 14 + 1, "the claims, and the CIFAR-100 one listed as not tested here"
    assert comparisons["verdict"].isin(["inconclusive", "held", "not held", "vacuous", "not tested"]).all()
    assert rows.set_index("id").loc["tmu.elsewhere.cifar100", "basis"].startswith("not tested here: needs dataset")
    # two seeds: every comparison is inconclusive, whatever the numbers
    assert (rows.loc[rows["id"] == "tmu.delta_vs_bad_teacher", "verdict"] == "inconclusive").all()


def test_tmu_fig3_covers_every_size(workdir):
    fig = pd.read_csv(workdir / "results/tinytmu/tables/tmu_fig3.csv")
    assert sorted(fig["n"].unique()) == [5, 10]
    assert {"NF+AF+CF", "tmu_model", "bad_teacher_model", "all_easy"} <= set(fig["source"])
    assert (workdir / "results/tinytmu/figures/tmu_fig3.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert (workdir / "results/tinytmu/figures/tmu_fig3.pdf").read_bytes()[:5] == b"%PDF-"


def test_twin_data_comes_from_the_saved_hold_out(workdir):
    run = workdir / "results/tinytmu/run"
    split = json.loads((run / "split.json").read_text())
    assert split["holdout_per_class"] == 10 and len(split["holdout_source_indices"]) == 100
    info = json.loads((run / "tmu/tmu_c5_n10/s0/features.json").read_text())
    assert info["twin_size"] == 10 and info["twin_holdout_images"] == 10 and info["twin_augmented_copies"] == 0
    assert info["class"] == 5
    part = json.loads((run / "tmu/tmu_c2_n10/s0/partition.json").read_text())
    assert set(part["feature_sets"]) == {"NF+AF+CF", "NF", "AF", "CF"} and part["used"] == "NF+AF+CF"
    assert len(part["feature_sets"]["NF"]["easy"]) == 10
    log = (run / "logs/unlearn/tmu_c2_n10_s0_tmu.log").read_text()
    assert "TMU split of D_f (NF+AF+CF)" in log


def test_changing_the_classifier_reruns_only_what_depends_on_it(workdir):
    cfg = copy.deepcopy(TINY_TMU)
    cfg["tmu"]["classifier"]["lr"] = 0.02
    write_config(workdir, cfg, "changed.yaml")
    planned = planned_jobs(workdir, config="changed.yaml")
    # 3 partitions (2 classes + 1 extra sweep size) -> 3 TMU models -> 2 evaluations, tables, figure, claims
    assert planned == {"tmu_partition": 3, "unlearn": 3, "evaluate": 2, "tmu_tables": 1, "tmu_fig3_data": 1,
                       "tmu_figure": 1, "tmu_claims": 1, "regime": 1, "paper_comparison": 1, "all": 1}  # fmt: skip
