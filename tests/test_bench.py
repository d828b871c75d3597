"""The benchmark scripts the docs' tables come from: the recipe-selection benchmark (quick mode) and the snapshot
comparison."""

from __future__ import annotations

import subprocess
import sys

import pandas as pd
import pytest
from conftest import REPO

sys.path.insert(0, str(REPO / "bench"))

import snapshot_diff
import verdict_diff


def test_recipe_benchmark_quick_mode_prints_its_table(cifar_sample):
    proc = subprocess.run(
        [sys.executable, str(REPO / "bench/recipe_regime.py"), "--quick"],
        capture_output=True, text=True, timeout=600, cwd=REPO,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr[-2000:]
    lines = [line for line in proc.stdout.splitlines() if line.startswith("| ")]
    assert lines[0].startswith("| candidate | width | stem stride | batch | epochs | augmentation | train acc, lowest")
    rows = [[c.strip() for c in line.strip("|").split("|")] for line in lines[1:]]  # the |---| rule is not "| "
    assert [r[0] for r in rows] == ["w0.125-noaug-1", "s2-w0.125-flip-1"]
    assert [r[2] for r in rows] == ["1", "2"] and [r[5] for r in rows] == ["none", "flip"]
    for r in rows:  # one epoch on 512 images cannot fit them: lowest = mean train accuracy (one run)
        assert 0 <= float(r[6]) < 99 and r[6] == r[7] and r[-1] == "no"
    assert "|D| = 512 training / 512 test images" in proc.stdout


def test_recipe_benchmark_rejects_an_unknown_candidate():
    proc = subprocess.run(
        [sys.executable, str(REPO / "bench/recipe_regime.py"), "--candidates", "nope"],
        capture_output=True, text=True, timeout=120, cwd=REPO,
    )  # fmt: skip
    if "not found" in proc.stderr and "cifar" in proc.stderr.lower():
        pytest.skip("CIFAR-10 sample not present")
    assert proc.returncode == 2 and "--candidates: unknown nope" in proc.stderr


def _snapshot(folder, tow, seconds, certified_ours):
    folder.mkdir()
    pd.DataFrame({"method": ["retrain", "finetune"], "tow_mean": [1.0, tow], "seconds_mean": [10.0, seconds]}).to_csv(
        folder / "baselines.csv", index=False
    )
    pd.DataFrame(
        {"id": ["survey.certified_fast", "tmu.delta"], "ours": [certified_ours, "3.0 vs 4.0"], "verdict": ["held"] * 2}
    ).to_csv(folder / "survey_claims.csv", index=False)
    return folder


def test_snapshot_diff_ignores_wall_clock_and_catches_a_changed_number(tmp_path, capsys):
    old = _snapshot(tmp_path / "old", 0.812, 2.5, "0.01 s")
    same = _snapshot(tmp_path / "same", 0.812, 3.7, "0.02 s")  # only times differ
    changed = _snapshot(tmp_path / "changed", 0.813, 2.5, "0.01 s")
    assert snapshot_diff.main([str(old), str(same)]) == 0
    out = capsys.readouterr().out
    assert "| baselines.csv | 4 | 0 |" in out, "method and tow columns compared, seconds left out"
    assert "| survey_claims.csv | 3 | 0 |" in out, "the timing claim's row left out"
    assert snapshot_diff.main([str(old), str(changed)]) == 1
    assert "baselines.csv row 1 tow_mean: 0.812 vs 0.813" in capsys.readouterr().err


def test_snapshot_diff_accepts_added_columns_only_when_asked(tmp_path, capsys):
    old = _snapshot(tmp_path / "old", 0.812, 2.5, "0.01 s")
    new = _snapshot(tmp_path / "new", 0.812, 2.5, "0.01 s")
    table = pd.read_csv(new / "baselines.csv")
    table["lira_auc_mean"] = 0.5
    table.to_csv(new / "baselines.csv", index=False)
    assert snapshot_diff.main([str(old), str(new)]) == 1, "a new column is a difference by default"
    capsys.readouterr()
    assert snapshot_diff.main([str(old), str(new), "--added-columns"]) == 0
    captured = capsys.readouterr()
    assert "| baselines.csv | 4 | 0 |" in captured.out and "added columns lira_auc_mean" in captured.err
    table.loc[1, "tow_mean"] = 0.9
    table.to_csv(new / "baselines.csv", index=False)
    assert snapshot_diff.main([str(old), str(new), "--added-columns"]) == 1, "an old column that changed still counts"


def _comparison(folder, verdicts: dict[str, str]):
    folder.mkdir()
    ids = list(verdicts)
    pd.DataFrame(
        {
            "paper": ["TMU (001)" if i.startswith("tmu") else "SMU (000)" for i in ids],
            "id": ids,
            "claim": [f"claim {i}" for i in ids],
            "ours": [f"ours {i}" for i in ids],
            "verdict": list(verdicts.values()),
        }
    ).to_csv(folder / "paper_comparison.csv", index=False)
    return folder


def test_verdict_diff_counts_and_marks_each_changed_claim(tmp_path, capsys):
    before = _comparison(
        tmp_path / "before",
        {"tmu.a": "held", "tmu.b": "inconclusive", "tmu.n": "—", "smu.a": "not held", "smu.old": "held"},
    )
    after = _comparison(
        tmp_path / "after", {"tmu.a": "held", "tmu.b": "vacuous", "smu.a": "not held", "smu.new": "held"}
    )
    table = verdict_diff.side_by_side(verdict_diff._read(before), verdict_diff._read(after), ("conf", "tuned"))
    assert list(table["Claim"]) == ["claim tmu.a", "claim tmu.b", "claim smu.a", "claim smu.new", "claim smu.old"]
    assert list(table["conf"]) == ["held", "inconclusive", "not held", "–", "held"]
    assert list(table["tuned"]) == ["held", "vacuous", "not held", "held", "–"]
    assert list(table["changed"]) == ["", "yes", "", "yes", "yes"], "the headline number (—) is not a claim"
    counts = verdict_diff.counts(verdict_diff._read(before), verdict_diff._read(after)).set_index("Paper")
    assert counts.loc["TMU (001)"].tolist() == ["1", "0", "1 → 0", "0 → 1", "0"]
    assert counts.loc["SMU (000)"].tolist() == ["1", "1", "0", "0", "0"], "one held left, one held came: 1 → 1"
    assert verdict_diff.main([str(before), str(after), "--changed-only"]) == 0
    assert "3 of 5 claims changed verdict." in capsys.readouterr().out
    table = verdict_diff.markdown(pd.DataFrame({"Claim": ["falls (Fig. 3; |D_f| 50 → 200)"], "tuned": ["held"]}))
    assert table == "| Claim | tuned |\n| --- | --- |\n| falls (Fig. 3; \\|D_f\\| 50 → 200) | held |", "a | in a cell"


def test_gpu_check_without_a_gpu_says_so_in_one_line_and_exits_2():
    import torch

    if torch.cuda.is_available():
        pytest.skip("checks the message on a host without a GPU")
    proc = subprocess.run([sys.executable, str(REPO / "bench" / "gpu_check.py")], capture_output=True, text=True)
    assert proc.returncode == 2
    assert proc.stdout == "" and "Traceback" not in proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("gpu-check needs a CUDA GPU: torch "), proc.stderr


def test_every_planted_bug_still_applies_and_compiles():
    """bench/mutants.py's snippets each occur once in their file (else the list is stale after an edit) and each
    mutated file is still valid Python; an unknown id is refused with its name."""
    import mutants

    mutants.check(mutants.MUTANTS)
    for m in mutants.MUTANTS:
        source = (REPO / m.file).read_text()
        compile(source.replace(m.old, m.new), m.file, "exec")
        assert source.replace(m.old, m.new) != source, m.id
    proc = subprocess.run([sys.executable, str(REPO / "bench" / "mutants.py"), "--only", "nope"],
                          capture_output=True, text=True)  # fmt: skip
    assert proc.returncode == 2 and proc.stderr.strip() == "mutants: unknown id(s) nope"


def test_a_stale_planted_bug_is_shown_with_the_line_it_moved_to(monkeypatch):
    """After a rename the staleness check fails; `--stale` names the entry and the nearest line of the library."""
    import mutants

    moved = mutants.Mutant("renamed", "src/unlearn/reporting.py", "both = a.index.intersection(c.index)", "x", "")
    gone = mutants.Mutant("gone", "src/unlearn/no_such_module.py", "return per_seed_of(records)", "x", "")
    report = mutants.stale_report([mutants.MUTANTS[0], moved, gone])
    assert report[0] == "renamed: 0 occurrence(s) in src/unlearn/reporting.py of 'both = a.index.intersection(c.index)'"
    line = next(n for n, text in enumerate((REPO / "src/unlearn/reporting.py").read_text().splitlines(), 1)
                if text.strip() == "both = a.index.intersection(b.index)")  # fmt: skip
    assert report[1].endswith(f" src/unlearn/reporting.py:{line}: both = a.index.intersection(b.index)")
    assert any(r.startswith("gone: 0 occurrence(s) in src/unlearn/no_such_module.py") for r in report)
    assert mutants.stale_report(mutants.MUTANTS) == []
    with pytest.raises(SystemExit, match=r"renamed: its snippet occurs 0 times .* --stale shows the nearest lines"):
        mutants.check([moved])


def test_attack_agreement_marks_which_attack_catches_each_model():
    """|D_f| = 100: the binomial bound at 1% FPR is 3/100 (Binomial(100, 0.01)'s 97.5% quantile is 3).
    A: the population attacks pass it (efficacy 0.04 below gold, entropy 0.04 above), LiRA catches it (0.05);
    B: MIA-efficacy catches it (0.10 below), LiRA does not (0.03 is not above the bound); C: neither."""
    import attack_agreement

    def row(method, eff, ent, tpr):
        return {"scenario": "s", "method": method, "mia_efficacy_mean": eff, "mia_entropy_mean": ent,
                "lira_tpr_1_mean": tpr, "lira_online_tpr_1_mean": tpr}  # fmt: skip

    table = pd.DataFrame([row("retrain", 0.50, 0.30, 0.01), row("A", 0.46, 0.34, 0.05), row("B", 0.40, 0.30, 0.03),
                          row("C", 0.50, 0.30, 0.0)])  # fmt: skip
    out = attack_agreement.agreement(table, {"s": 100})
    assert out["method"].tolist() == ["A", "B", "C"] and (out["bound"] == "0.030").all()
    assert out["agreement"].tolist() == ["LiRA only", "population only", "neither"]
    assert out["caught by"].tolist() == ["LiRA", "efficacy", "–"]
