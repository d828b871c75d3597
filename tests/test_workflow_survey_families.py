"""A real Snakemake run of a tiny config with the survey's decentralized (HDUS) and spiking-network families: their
tables' cells equal the evaluate records, the departure is exact and touches only the departed client's
neighbours, clients fan out over jobs, and a change of an SNN phase's threshold reruns only what reads it."""

from __future__ import annotations

import copy
import json

import pandas as pd
import pytest
from conftest import planned_jobs, run_copy, tiny_config, write_config

pytestmark = pytest.mark.workflow

TINY_FAMILIES = tiny_config("tiny_families")


@pytest.fixture(scope="module")
def fam_run(tmp_path_factory):
    return run_copy(tmp_path_factory, "families", TINY_FAMILIES)


def records(run, scenario):
    return {r["method"]: r for r in json.loads((run / f"metrics/{scenario}/s0.json").read_text())}


def test_hdus_departure_table_and_claims(fam_run):
    out, run = fam_run / "results/tinyfam", fam_run / "results/tinyfam/run"
    assert sorted(p.name for p in (run / "hdus/s0").glob("clients_*.pt")) == ["clients_0-1.pt", "clients_2-2.pt"]
    dep = json.loads((run / "hdus/s0/departure.json").read_text())
    assert dep["departed"] == 1 and dep["affected"] == [0, 2] and dep["exact"] is True and dep["max_gap"] == 0.0
    assert dep["retrained_identical"] is True and dep["architectures"] == ["allcnn", "smallcnn"]
    assert [c["neighbours_after"] for c in dep["clients"]] == [[2], [0]], "ring of 3 without client 1"
    assert [d["departed"] for d in dep["departures"]] == [0, 1, 2]
    forget = json.loads((run / "forget/hdus/s0.json").read_text())
    plan = json.loads((run / "hdus/s0/clients.json").read_text())["clients"]
    assert forget["indices"] == plan[1]["indices"] and sum(len(c["indices"]) for c in plan) == 1438 - 100
    recs = records(run, "hdus")
    assert list(recs) == ["hdus_retrain", "hdus_before", "hdus"]
    table = pd.read_csv(out / "tables/hdus.csv").set_index("method")
    for method in recs:
        for col in ("acc_forget", "acc_test", "mia_efficacy", "tow"):
            assert table.loc[method, col] == pytest.approx(recs[method][col], abs=1e-6), (method, col)
    assert table.loc["hdus", "tow"] == pytest.approx(1.0), "exact: equal to the retrained network"
    assert table.loc["hdus", "exact"] == "yes (1 of 1 seeds)"
    assert table.loc["hdus_retrain", "seconds"] == pytest.approx(dep["retrain_seconds"], rel=1e-5)
    clients = pd.read_csv(out / "tables/hdus_clients.csv")
    assert list(clients["client"]) == [0, 2] and list(clients["model"]) == ["smallcnn", "smallcnn"]
    claims = pd.read_csv(out / "tables/hdus_claims.csv").set_index("id")
    assert claims.loc["survey.hdus_exact", "verdict"] == "held"
    assert claims.loc["survey.hdus_exact", "ours"] == "3 of 3 departures equal (largest gap 0)"
    comparison = pd.read_csv(out / "tables/paper_comparison.csv")
    assert {"survey.hdus_exact", "survey.snn_forgets"} <= set(comparison["id"])


def test_snn_table_figure_and_records(fam_run):
    out, run = fam_run / "results/tinyfam", fam_run / "results/tinyfam/run"
    table = pd.read_csv(out / "tables/snn.csv")
    assert set(table["scenario"]) == {"snn_full", "snn_rand"}
    for scenario in ("snn_full", "snn_rand"):
        recs = records(run, scenario)
        assert list(recs) == ["snn_retrain", "snn_original", "snn_finetune", "snn_unlearn", "snn_recover"]
        part = table[table["scenario"] == scenario].set_index("method")
        for method, rec in recs.items():
            assert part.loc[method, "acc_test"] == pytest.approx(rec["acc_test"], abs=1e-6)
            lost = 100 * (recs["snn_original"]["acc_test"] - rec["acc_test"])
            assert part.loc[method, "test_lost"] == pytest.approx(lost, abs=1e-4)
    assert table.loc[table["scenario"] == "snn_rand", "share"].iloc[0] == pytest.approx(30 / 1338, rel=1e-5)
    unlearn = json.loads((run / "models/snn_full/s0/snn_unlearn.json").read_text())
    assert unlearn["pruned"] > 0 and unlearn["selected"] == round(0.05 * unlearn["synapses"])
    assert json.loads((run / "models/snn_full/s0/snn_recover.json").read_text())["pruned_stay_removed"] is True
    gold = records(run, "snn_full")["snn_retrain"]
    assert gold["acc_forget"] == 0.0, "the SNN retrained without class 1 never predicts it on D_f"
    for ext in ("png", "pdf"):
        assert (out / f"figures/snn_accuracy_loss.{ext}").stat().st_size > 1000
        assert (out / f"figures/cost_vs_quality.{ext}").stat().st_size > 1000
    claims = pd.read_csv(out / "tables/snn_claims.csv").set_index("id")
    assert claims.loc["survey.snn_dataset", "verdict"] == "not tested"


@pytest.mark.parametrize(
    ("section", "change", "expected"),
    [
        ("snn", {"unlearn": {"epochs": 1, "recover_epochs": 1, "prune_threshold": 0.8}}, {"snn_unlearn": 2}),
        ("hdus", {"depart": 2}, {"hdus_depart": 1}),  # another client leaves: no client is trained again
        ("hdus", {"distill": {"epochs": 3}}, {"hdus_clients": 2, "hdus_depart": 1}),
    ],
)
def test_a_change_reruns_only_what_reads_it(fam_run, section, change, expected):
    cfg = copy.deepcopy(TINY_FAMILIES)
    cfg[section].update(change)
    write_config(fam_run, cfg)
    report = "snn_report" if section == "snn" else "hdus_report"
    try:
        assert planned_jobs(fam_run) == {**expected, "evaluate": expected.get("snn_unlearn", 1), report: 1,
                                         "exact_figure": 1, "paper_comparison": 1, "all": 1}  # fmt: skip
    finally:
        write_config(fam_run, TINY_FAMILIES)
