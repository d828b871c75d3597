"""A real Snakemake run of a tiny config with all four papers and three seeds: `paper_comparison.md` lists every
paper's claims, each with the verdict its own numbers imply; the regime table covers every original and gold
model; each paper's target builds that paper alone."""

from __future__ import annotations

import re

import pandas as pd
import pytest
from conftest import job_stats, planned_jobs, run_copy, snakemake, tiny_config

from unlearn import claims as C

pytestmark = pytest.mark.workflow

ALL_PAPERS = tiny_config("tiny_all")
PAPERS = ["Regime (all papers)", "TMU (001)", "RUM (002)", "SMU (000)", "Survey (003)"]


@pytest.fixture(scope="module")
def workdir(tmp_path_factory):
    return run_copy(tmp_path_factory, "workflow_all", ALL_PAPERS)


def test_comparison_lists_every_papers_claims_with_verdicts_that_follow_the_numbers(workdir):
    tables = workdir / "results/tinyall/tables"
    page = pd.read_csv(tables / "paper_comparison.csv", keep_default_na=False, na_values=[""])
    assert list(dict.fromkeys(page["paper"])) == PAPERS
    files = ["regime_claims", "tmu_claims", "rum_claims", "smu_claims", "survey_claims"]
    ids = [i for f in files for i in pd.read_csv(tables / f"{f}.csv")["id"]]
    assert page["id"].tolist() == ids, "every claim and number of every paper, in paper order"
    checked = 0
    for _, row in page.iterrows():
        expected = C.recomputed_verdict(row)
        if expected is not None:
            assert row["verdict"] == expected, row["id"]
            checked += 1
    assert checked >= 20
    assert (page.loc[page["kind"] == "compare", "n_seeds"] == 3).all(), "every comparison rests on 3 seeds"
    md = (tables / "paper_comparison.md").read_text()
    counts, claims_part = md.split("| Paper | Claim or number |", 1)
    lines = [line for line in claims_part.splitlines() if line.startswith("| ")]
    assert len(lines) == len(page)
    for paper in PAPERS:  # the counts table: held / not held / inconclusive / vacuous / not tested, per paper
        row = next(line for line in counts.splitlines() if line.startswith(f"| {paper} "))
        numbers = [int(c) for c in row.strip("|").split("|")[1:]]
        assert numbers == [int((page.loc[page["paper"] == paper, "verdict"] == v).sum()) for v in C.VERDICTS], paper
    for line, (_, row) in zip(lines, page.iterrows(), strict=True):
        cells = [c.strip() for c in re.split(r"(?<!\\)\|", line.strip("|"))]  # "\|" is a pipe inside a cell
        assert cells[0] == row["paper"] and cells[4].strip("*") == row["verdict"]
    assert "Regime: The original models fit D" in md and "Run `tinyall`" in md


def test_regime_table_covers_every_original_and_gold_model(workdir):
    table = pd.read_csv(workdir / "results/tinyall/tables/regime.csv")
    assert (table["model"] == "original").sum() == 3
    # gold models: 2 scenarios + TMU's class at 2 sizes (Table 1 and Fig. 3) + 4 RUM difficulty sets + rum_mix
    assert (table["model"] == "gold").sum() == (2 + 2 + 4 + 1) * 3
    md = (workdir / "results/tinyall/tables/regime.md").read_text()
    assert "Every original and gold model" in md and "Acc_Df is far above the gold model's" in md
    for name in ("tmu_table1", "rum_table", "smu_fullclass", "exact_methods", "tmu_claims", "survey_claims"):
        assert "Regime: original models" in (workdir / f"results/tinyall/tables/{name}.md").read_text(), name


@pytest.mark.parametrize(
    ("target", "present", "absent"),
    [
        # RUM's memorization models are LiRA's shadows, an input of every evaluation; RUM's other stages are its own
        ("tmu", "tmu_partition", "rum_entanglement"),
        ("rum", "rum_memorization_models", "tmu_features"),
        ("smu", "smu_dispersion", "tmu_features"),
        ("survey", "exact_unlearn", "rum_entanglement"),
        ("baselines", "baselines_table", "tmu_features"),
        ("figures", "smu_dispersion_figure", "tmu_claims"),
    ],
)
def test_a_paper_target_builds_that_paper_alone(workdir, target, present, absent):
    jobs = job_stats(snakemake(workdir, "-n", "--forceall", target).stdout)
    assert present in jobs and absent not in jobs and "paper_comparison" not in jobs
    assert planned_jobs(workdir) == {}, "the run is complete"


def test_report_target_writes_the_configs_html_report(workdir):
    snakemake(workdir, "report")
    html = (workdir / "results/tinyall/report.html").read_text(errors="replace")
    for name in ("tmu_table1.md", "rum_table.md", "smu_fullclass.md", "paper_comparison.md", "cost_vs_quality.png"):
        assert name in html, name
    assert planned_jobs(workdir) == {}, "the report is a target of its own, not part of `all`"


def test_snapshot_copies_the_small_outputs_stamped(workdir):
    snakemake(workdir, "snapshot")
    folder = workdir / "docs/results/tinyall"
    names = {p.name for p in folder.iterdir()}
    assert {"paper_comparison.md", "paper_comparison.csv", "regime.md", "tmu_claims.md", "rum_claims.csv",
            "smu_claims.md", "survey_claims.md", "baselines.png", "MANIFEST.md"} <= names  # fmt: skip
    assert not any(n.endswith((".pdf", ".tex")) for n in names), "small files only"
    manifest = (folder / "MANIFEST.md").read_text()
    assert "name: tinyall" in manifest
    assert "| `paper_comparison.md` | `results/tinyall/tables/paper_comparison.md` |" in manifest
    stamp = (folder / "tmu_claims.md").read_text().rsplit("---", 1)[1]
    assert "Snapshot of run `tinyall` at code version" in stamp and "config sha256" in stamp
    same = pd.read_csv(workdir / "results/tinyall/tables/paper_comparison.csv")
    assert pd.read_csv(folder / "paper_comparison.csv").equals(same), "CSV files are copied as they are"
