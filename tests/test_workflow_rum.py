"""A real Snakemake run of a tiny RUM (paper 002) config: every table and figure with its rows, the forget sets it
builds, the claims file, and memorization models reused when K grows."""

from __future__ import annotations

import copy
import json

import pandas as pd
import pytest
from conftest import planned_jobs, run_copy, tiny_config, write_config

pytestmark = pytest.mark.workflow

TINY_RUM = tiny_config("tiny_rum")


@pytest.fixture(scope="module")
def workdir(tmp_path_factory):
    return run_copy(tmp_path_factory, "workflow_rum", TINY_RUM)


def test_rum_table_has_every_variant_beside_the_paper(workdir):
    table = pd.read_csv(workdir / "results/tinyrum/tables/rum_table.csv")
    assert table["method"].tolist() == [
        "retrain", "finetune", "finetune-shuffle", "finetune-rumf", "salun", "salun-shuffle", "salun-rumf", "rum",
    ]  # fmt: skip
    assert (table["n_seeds"] == 2).all()
    # each cell from the records the evaluate jobs wrote: mean ToW and MIA gap of that method on rum_mix
    from unlearn.evaluation import load_records

    records = pd.DataFrame(load_records(sorted((workdir / "results/tinyrum/run/metrics/rum_mix").glob("s*.json"))))
    assert len(records), "no metric records found"
    own = records.groupby("method")[["tow", "mia_gap"]].mean()
    for row in table.itertuples():
        assert row.tow_mean == pytest.approx(own.loc[row.method, "tow"], abs=1e-12), row.method
        assert row.mia_gap_mean == pytest.approx(own.loc[row.method, "mia_gap"], abs=1e-12), row.method
    assert table.loc[0, "tow_mean"] == 1.0 and table.loc[0, "mia_gap_mean"] == 0.0
    assert table["tow_ci95"].iloc[1:].notna().all(), "two seeds give a t-interval"
    assert table.set_index("method").loc["finetune-rumf", "paper_cifar10_tow"] == pytest.approx(0.937)
    md = (workdir / "results/tinyrum/tables/rum_table.md").read_text()
    assert "RUM_F" in md and "low: Fine-tune, medium: NegGrad+, high: SalUn" in md and "ToW (paper, CIFAR-100)" in md
    assert "\\begin{tabular}" in (workdir / "results/tinyrum/tables/rum_table.tex").read_text()


def test_es_and_memorization_tables(workdir):
    tables = workdir / "results/tinyrum/tables"
    es = pd.read_csv(tables / "rum_es_values.csv")
    assert es["level"].tolist() == ["low", "medium", "high"] and (es["es_mean"] > 0).all()
    assert es["paper_es"].tolist() == pytest.approx([309.94, 1076.99, 1612.21])
    esmem = pd.read_csv(tables / "rum_es_by_memorization.csv")
    assert esmem["level"].tolist() == ["low", "medium", "high"] and (esmem["es_mean"] > 0).all()
    assert esmem["mem_mean"].is_monotonic_increasing
    difficulty = pd.read_csv(tables / "rum_difficulty.csv")
    assert len(difficulty) == 2 * 3 * 2  # factors x levels x (retrain, neggrad_plus)
    mem = pd.read_csv(tables / "rum_memorization.csv").set_index("quantity")["value"]
    assert mem["subset models K"] == 4
    claims = (tables / "rum_claims.md").read_text()
    for claim in ("harder with higher entanglement", "harder with higher memorization", "RUM_F beats vanilla",
                  "RUM is best overall", "Scale: dataset digits", "Regime: original models"):  # fmt: skip
        assert claim in claims
    rows = pd.read_csv(tables / "rum_claims.csv").set_index("id")
    # the ES partitions, 2 factors x 1 difficulty method, distinct, RUM_F vs vanilla and shuffle x 2 methods, RUM;
    # the best method per factor (not tested: one difficulty method), RUM_F's MIA gap x 2 methods
    assert (rows["verdict"] != "—").sum() == 1 + 2 + 1 + 4 + 1 + 2 + 2 + 1  # + CIFAR-100, not tested here
    assert rows.loc["rum.best_depends.mem", "verdict"] == "not tested"
    assert rows.loc["rum.harder_es.neggrad_plus", "n_seeds"] == 2


def test_forget_sets_of_the_rum_scenarios(workdir):
    run = workdir / "results/tinyrum/run"
    mix = json.loads((run / "forget/rum_mix/s1.json").read_text())
    parts = mix["parts"]
    assert len(mix["indices"]) == 36 and [len(p) for p in parts["rumf"]] == [12, 12, 12]
    for variant in ("rumf", "shuffle"):
        assert sorted(i for part in parts[variant] for i in part) == mix["indices"]
    for level, part in zip(("low", "medium", "high"), parts["rumf"], strict=True):
        assert json.loads((run / f"forget/rum_mem_{level}/s1.json").read_text())["indices"] == part
    es = [json.loads((run / f"forget/rum_es_{lv}/s0.json").read_text()) for lv in ("low", "medium", "high")]
    assert all(len(e["indices"]) == 12 for e in es) and es[0]["es"] > 0
    log = (run / "logs/unlearn/rum_mix_s0_rum.log").read_text()
    assert "step 1/3: finetune" in log and "step 2/3: neggrad_plus" in log and "step 3/3: salun" in log


def test_figures_exist(workdir):
    for name in ("es_partitions", "difficulty", "memorization"):
        assert (workdir / f"results/tinyrum/figures/rum_{name}.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        assert (workdir / f"results/tinyrum/figures/rum_{name}.pdf").read_bytes()[:5] == b"%PDF-"


def test_more_memorization_models_reuse_the_trained_ones(workdir):
    cfg = copy.deepcopy(TINY_RUM)
    cfg["rum"]["memorization"]["models"] = 6
    write_config(workdir, cfg)
    jobs = planned_jobs(workdir)
    assert jobs["rum_memorization_models"] == 1, "models 0-3 are kept; only 4-5 are trained"
    assert "train_original" not in jobs and "rum_entanglement" not in jobs
