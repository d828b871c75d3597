"""A real Snakemake run of a tiny config with the survey's exact methods (paper 003): their table with the
exactness checks, the cost-vs-quality figure, their records beside the other methods', and a change of the
certified-removal budget rerunning only what reads it."""

from __future__ import annotations

import copy
import json

import pandas as pd
import pytest
from conftest import planned_jobs, run_copy, tiny_config, write_config

pytestmark = pytest.mark.workflow

TINY_EXACT = tiny_config("tiny_exact")


@pytest.fixture(scope="module")
def exact_run(tmp_path_factory):
    return run_copy(tmp_path_factory, "exact", TINY_EXACT)


def test_exact_table_figure_and_records(exact_run):
    work = exact_run
    table = pd.read_csv(work / "results/tinyexact/tables/exact_methods.csv")
    assert list(table["method"]) == ["retrain", "original", "sisa", "certified", "summation"]
    assert set(table["scenario"]) == {"rand"}  # only exact.scenarios
    methods = table.set_index("method")
    assert all(methods.loc[m, "exact"].startswith("yes") for m in ("sisa", "certified", "summation"))
    assert methods.loc["summation", "seconds"] < methods.loc["retrain", "seconds"]
    md = (work / "results/tinyexact/tables/exact_methods.md").read_text()
    assert "SISA S = 2, R = 3" in md and "linear head only" in md
    for ext in ("png", "pdf"):
        assert (work / f"results/tinyexact/figures/cost_vs_quality.{ext}").stat().st_size > 1000
    run = work / "results/tinyexact/run"
    sisa = json.loads((run / "models/rand/s0/sisa.json").read_text())
    assert sisa["exact"] is True and 0 < sisa["samples_reprocessed"] <= sisa["samples_full"]
    cert = json.loads((run / "models/rand/s0/certified.json").read_text())
    assert cert["requests"] == 30 and cert["spent"] <= cert["budget"]
    records = json.loads((run / "metrics/rand/s0.json").read_text())
    assert {"sisa", "certified", "summation", "finetune"} <= {r["method"] for r in records}
    full = json.loads((run / "metrics/full/s0.json").read_text())
    assert "sisa" not in {r["method"] for r in full}  # not an exact scenario
    baselines = pd.read_csv(work / "results/tinyexact/tables/baselines.csv")
    assert "sisa" not in set(baselines["method"])
    claims = pd.read_csv(work / "results/tinyexact/tables/survey_claims.csv").set_index("id")
    assert claims.loc["survey.sisa_exact", "ours"] == "1 of 1 runs bit-identical"
    assert claims.loc["survey.sisa_exact", "verdict"] == "held", "every run identical (one run: still decided)"
    assert claims.loc["survey.certified_fast", "verdict"] == "inconclusive", "one seed: no comparison"


def test_certified_budget_change_reruns_only_what_reads_it(exact_run):
    work = exact_run
    cfg = copy.deepcopy(TINY_EXACT)
    cfg["exact"]["certified"] = {"sigma": 0.5}
    write_config(work, cfg)
    try:
        assert planned_jobs(work) == {"exact_unlearn": 1, "evaluate": 1, "exact_report": 1, "exact_figure": 1,
                                      "baselines_table": 1, "baselines_figure": 1, "regime": 1,
                                      "paper_comparison": 1, "all": 1}  # fmt: skip
    finally:
        write_config(work, TINY_EXACT)
