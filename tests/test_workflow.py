"""Real Snakemake runs of tiny configs: every table and figure, no-op reruns, incremental reruns,
failed jobs leaving nothing behind, the HTML report, and the CIFAR-10 sample through the workflow."""

from __future__ import annotations

import json
import math
import os
import re
import shutil
import subprocess
import sys
import time

import numpy as np
import pandas as pd
import pytest
import yaml
from conftest import (
    copy_workflow,
    job_stats,
    planned_jobs,
    run_copy,
    snakemake,
    tiny_config,
    write_cifar100,
    write_config,
)

pytestmark = pytest.mark.workflow

TINY = tiny_config("tiny")
METHODS = TINY["methods"]


@pytest.fixture(scope="module")
def workdir(tmp_path_factory):
    """A copy of the workflow with the tiny config, run once end to end."""
    return run_copy(tmp_path_factory, "workflow", TINY)


def test_every_table_and_figure_is_written(workdir):
    csv = pd.read_csv(workdir / "results/tiny/tables/baselines.csv")
    expected_methods = ["retrain", "original", *[m for m in METHODS if m != "retrain"]]
    for scenario in TINY["scenarios"]:
        rows = csv[csv["scenario"] == scenario]
        assert rows["method"].tolist() == expected_methods, "gold first, then original, then config order"
        assert (rows["n_seeds"] == 2).all()
    for col in ["acc_forget_mean", "acc_retain_mean", "acc_test_mean", "delta_forget_mean", "activation_distance_mean",
                "mia_efficacy_mean", "mia_entropy_mean", "mia_gap_mean", "tow_mean", "tow_ci95", "tow_mia_mean",
                "seconds_mean"]:  # fmt: skip
        assert col in csv.columns
    gold = csv[csv["method"] == "retrain"]
    assert (gold["tow_mean"] == 1.0).all() and (gold["delta_forget_mean"] == 0.0).all()
    full = csv[(csv["scenario"] == "fullclass") & (csv["method"] == "retrain")].iloc[0]
    assert full["acc_forget_mean"] == 0.0, "a gold model never trained on class 1 cannot predict it"
    assert full["acc_test_forgotten_mean"] == 0.0

    md = (workdir / "results/tiny/tables/baselines.md").read_text()
    assert "| fullclass" in md and "bad_teacher" in md and "±" in md and "Scale: dataset digits" in md
    assert "\\begin{tabular}" in (workdir / "results/tiny/tables/baselines.tex").read_text()
    assert (workdir / "results/tiny/figures/baselines.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert (workdir / "results/tiny/figures/baselines.pdf").read_bytes()[:5] == b"%PDF-"


def test_lira_runs_on_its_own_shadows_and_its_cells_are_the_recomputed_attack(workdir):
    """mia: {shadows: 4} trains 4 shadows in 2 jobs; the evaluate job's LiRA numbers for the original on
    (subclass, seed 0) equal the attack recomputed here from the shadow files, the model's outputs and the forget
    set; the baselines table's cell is the mean of the two seeds' records."""
    from unlearn import lira as L
    from unlearn.evaluation import load_records

    run = workdir / "results/tiny/run"
    shadows = L.load_shadows([run / "lira/shadows_0-1.npz", run / "lira/shadows_2-3.npz"])
    labels = np.load(run / "labels.npz")
    assert shadows["in_mask"].shape == (4, len(labels["train"])) and shadows["phi_test"].shape[1] == len(labels["test"])
    assert 0.45 < shadows["in_mask"].mean() < 0.55, "random halves"
    probs = np.load(run / "models/original/s0.probs.npz")
    forget = json.loads((run / "forget/subclass/s0.json").read_text())["indices"]
    phi_tr = L.logit_confidence(probs["train"], labels["train"])
    phi_te = L.logit_confidence(probs["test"], labels["test"])
    expected = L.lira(phi_tr, phi_te, shadows, forget, min_models=8)
    records = {(r["method"], r["seed"]): r for r in load_records([run / f"metrics/subclass/s{s}.json" for s in (0, 1)])}
    rec = records[("original", 0)]
    assert rec["lira_tpr_1"] == expected["offline"]["tpr_1"] and rec["lira_auc"] == expected["offline"]["auc"]
    assert rec["lira_online_tpr_1"] == expected["online"]["tpr_1"] and rec["lira_shadows"] == 4
    csv = pd.read_csv(workdir / "results/tiny/tables/baselines.csv")
    cell = csv[(csv["scenario"] == "subclass") & (csv["method"] == "original")]["lira_tpr_1_mean"].iloc[0]
    assert cell == pytest.approx((rec["lira_tpr_1"] + records[("original", 1)]["lira_tpr_1"]) / 2)
    assert "LiRA TPR@1%FPR" in (workdir / "results/tiny/tables/baselines.md").read_text()
    # U-LiRA: finetune on seed 0 only (both scenarios), from its two unlearned shadows
    unlearned = np.load(run / "ulira/subclass/s0/finetune.npz")
    assert unlearned["phi"].shape == (2, len(labels["train"]))
    tuned = np.load(run / "models/subclass/s0/finetune.probs.npz")
    gold = np.load(run / "models/subclass/s0/retrain.probs.npz")
    u = L.ulira(L.logit_confidence(tuned["train"], labels["train"]), L.logit_confidence(gold["train"], labels["train"]),
                {"in_mask": unlearned["in_mask"], "phi": unlearned["phi"]}, forget, min_models=8)  # fmt: skip
    assert records[("finetune", 0)]["ulira_auc"] == pytest.approx(u["auc"], nan_ok=True)
    assert records[("finetune", 0)]["ulira_shadows"] == 2
    assert "ulira_auc" not in records[("finetune", 1)] and "ulira_auc" not in records[("neggrad", 0)]


def test_every_job_has_a_log_and_a_benchmark(workdir):
    run = workdir / "results/tiny/run"
    logs = list((run / "logs").rglob("*.log"))
    benchmarks = list((run / "benchmarks").rglob("*.tsv"))
    # data, forget sets, originals, unlearn, evaluate (per scenario x seed), table, figure, regime, comparison,
    # LiRA's two shadow jobs, U-LiRA's two shadow originals and two unlearning jobs (one per scenario)
    n_jobs = 1 + 4 + 2 + 4 * 7 + 4 + 2 + 2 + 2 + 4
    assert len(logs) == n_jobs and len(benchmarks) == n_jobs
    assert "finetune on subclass seed 1" in (run / "logs/unlearn/subclass_s1_finetune.log").read_text()


def test_checkpoints_and_metrics_carry_provenance(workdir):
    import torch

    ckpt = torch.load(workdir / "results/tiny/run/models/fullclass/s0/neggrad.pt", weights_only=True)
    assert ckpt["seed"] == 0 and ckpt["config"]["hp"]["lr"] == 0.005 and "+src." in ckpt["code_version"]
    # the job ran this copy's library (not a git checkout), not the one the venv's editable install points at
    assert ckpt["code_version"].startswith("nogit+src."), ckpt["code_version"]


def test_second_run_does_nothing(workdir):
    assert planned_jobs(workdir) == {}


def test_a_finished_run_copied_to_another_folder_is_a_no_op_there(workdir, tmp_path):
    """A renamed project, a cluster scratch path, a fresh clone given the results: every input, code inputs
    included, is named relative to the working folder, so the copy plans nothing (mtimes kept by the copy)."""
    moved = tmp_path / "elsewhere" / "renamed-project"
    shutil.copytree(workdir, moved, symlinks=True)
    assert planned_jobs(moved) == {}
    dry = snakemake(moved, "-n", "--forceall", "baselines_table").stdout
    assert str(workdir) not in dry and "input: results/tiny/run/metrics/" in dry


def test_changing_one_method_reruns_only_that_method(workdir):
    cfg = yaml.safe_load((workdir / "tiny.yaml").read_text())
    cfg["methods"]["finetune"]["lr"] = 0.03
    write_config(workdir, cfg)
    # finetune's 4 jobs and, since U-LiRA tests finetune on seed 0, its 2 unlearned-shadow jobs
    assert planned_jobs(workdir) == {"unlearn": 4, "ulira_unlearn": 2, "evaluate": 4, "baselines_table": 1,
                                     "baselines_figure": 1, "regime": 1, "paper_comparison": 1, "all": 1}  # fmt: skip
    models = workdir / "results/tiny/run/models/subclass/s0"
    before = {m: (models / f"{m}.pt").stat().st_mtime_ns for m in ("finetune", "neggrad")}
    snakemake(workdir)
    assert (models / "finetune.pt").stat().st_mtime_ns > before["finetune"]
    assert (models / "neggrad.pt").stat().st_mtime_ns == before["neggrad"]
    assert planned_jobs(workdir) == {}


def test_editing_a_library_module_reruns_the_rules_using_it(workdir):
    def touch_source(relative):
        path = workdir / "src/unlearn" / relative
        time.sleep(0.01)
        path.write_text(path.read_text() + "\n# edited by the test\n")

    downstream = {"baselines_table": 1, "baselines_figure": 1, "regime": 1, "paper_comparison": 1, "all": 1}
    touch_source("metrics.py")
    assert planned_jobs(workdir) == {"evaluate": 4, **downstream}
    snakemake(workdir)
    touch_source("methods/neggrad.py")
    assert planned_jobs(workdir) == {"unlearn": 4, "evaluate": 4, **downstream}


def test_report_contains_tables_and_figures(workdir):
    snakemake(workdir)
    snakemake(workdir, "report")
    html = (workdir / "results/tiny/report.html").read_text(errors="replace")
    assert "baselines.png" in html and "baselines.md" in html


def test_diverging_job_fails_and_leaves_no_output(workdir):
    cfg = {**TINY, "name": "diverge", "seeds": [0], "train": {**TINY["train"], "lr": 1e30, "momentum": 0.0}}
    write_config(workdir, cfg, "diverge.yaml")
    target = "results/diverge/run/models/original/s0.pt"
    proc = snakemake(workdir, target, config="diverge.yaml", check=False)
    assert proc.returncode != 0
    assert not (workdir / target).exists()
    assert not (workdir / "results/diverge/run/models/original/s0.probs.npz").exists()
    log = (workdir / "results/diverge/run/logs/train_original/s0.log").read_text()
    assert re.search(r"original s0: loss became (nan|inf|-inf) at epoch 1/3", proc.stderr + log)


def test_cifar10_sample_through_the_workflow(workdir, cifar_sample):
    cfg = {
        **TINY,
        "name": "cifar-tiny",
        "dataset": {"name": "cifar10", "root": str(cifar_sample), "max_train_per_class": 30},
        "train": {**TINY["train"], "epochs": 1, "augment": {"crop_pad": 4, "flip": True}},
        "seeds": [0],
        "scenarios": {"subclass": {"kind": "sub_class", "class": 3, "n": 10}},
        "methods": {"retrain": {}, "finetune": METHODS["finetune"]},
    }
    write_config(workdir, cfg, "cifar.yaml")
    snakemake(workdir, config="cifar.yaml")
    csv = pd.read_csv(workdir / "results/cifar-tiny/tables/baselines.csv")
    assert csv["method"].tolist() == ["retrain", "original", "finetune"]
    assert "dataset cifar10" in (workdir / "results/cifar-tiny/tables/baselines.md").read_text()


def output_files(workdir, name):
    """Path -> content hash of every table, figure and report of config `name`."""
    import hashlib

    root = workdir / "results" / name
    files = [p for sub in ("tables", "figures") for p in (root / sub).rglob("*") if p.is_file()]
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest() for p in files}


def test_two_configs_keep_their_own_outputs(workdir):
    """A second config writes under results/<its name>/ and leaves the first one's outputs as they were."""
    snakemake(workdir)
    before = output_files(workdir, "tiny")
    assert {"tables/baselines.csv", "tables/baselines.md", "figures/baselines.png"} <= set(before)
    other = {**TINY, "name": "tiny2", "seeds": [0], "scenarios": {"fullclass": TINY["scenarios"]["fullclass"]},
             "methods": {"retrain": {}, "finetune": METHODS["finetune"]}}  # fmt: skip
    write_config(workdir, other, "tiny2.yaml")
    snakemake(workdir, config="tiny2.yaml")
    assert output_files(workdir, "tiny") == before, "the first config's outputs are untouched"
    second = pd.read_csv(workdir / "results/tiny2/tables/baselines.csv")
    assert second["method"].tolist() == ["retrain", "original", "finetune"] and set(second["scenario"]) == {"fullclass"}
    first = pd.read_csv(workdir / "results/tiny/tables/baselines.csv")
    assert len(first) == 2 * (len(METHODS) + 1), "both scenarios, every method"
    assert planned_jobs(workdir) == {} and planned_jobs(workdir, "tiny2.yaml") == {}


def test_plot_style_change_reruns_only_the_plotting_rules(workdir):
    """`snakemake figures` after a `plots:` change: the figures are redrawn, nothing is retrained or recomputed."""
    snakemake(workdir)
    tables = output_files(workdir, "tiny")
    png = workdir / "results/tiny/figures/baselines.png"
    cfg = yaml.safe_load((workdir / "tiny.yaml").read_text())
    write_config(workdir, {**cfg, "plots": {"dpi": 60, "font_size": 7}}, "styled.yaml")
    jobs = job_stats(snakemake(workdir, "-n", "figures", config="styled.yaml").stdout)
    assert jobs == {"baselines_figure": 1, "figures": 1}
    assert planned_jobs(workdir, "styled.yaml") == {"baselines_figure": 1, "all": 1}, "the default target too"
    old_size = png.stat().st_size
    snakemake(workdir, "figures", config="styled.yaml")
    assert png.stat().st_size < old_size, "a lower resolution"
    changed = {k for k, v in output_files(workdir, "tiny").items() if tables[k] != v}
    assert changed == {"figures/baselines.png", "figures/baselines.pdf"}
    snakemake(workdir)  # back to the module's config for the tests that follow


def test_overrides_merge_into_the_config(workdir):
    """--config and an overlay file change one key and keep the rest (nested keys merge)."""
    snakemake(workdir)
    jobs = job_stats(snakemake(workdir, "-n", "--config", "train={epochs: 4}").stdout)
    assert jobs["train_original"] == 2 and jobs["unlearn"] == 4 * 7, "a recipe change retrains originals and gold"
    proc = snakemake(workdir, "-n", "--config", "train={epochs: 0}", check=False)
    assert proc.returncode != 0 and "config error: train.epochs: 0 is less than the minimum of 1" in proc.stderr
    (workdir / "overlay.yaml").write_text("name: tiny-overlay\nmethods:\n  finetune: {lr: 0.03}\n")
    cmd = ["-n", "--configfile", str(workdir / "tiny.yaml"), str(workdir / "overlay.yaml")]
    dry = subprocess.run(
        [sys.executable, "-m", "snakemake", "-s", str(workdir / "Snakefile"), "-d", str(workdir), "--cores", "1", *cmd,
         "--printshellcmds"],
        capture_output=True, text=True, timeout=600, env={**os.environ, "PYTHONPATH": ""},
    )  # fmt: skip
    assert dry.returncode == 0, dry.stderr[-3000:]  # a replaced `methods` would lack retrain: merged
    assert "results/tiny-overlay/run/models/original/s0.pt" in dry.stdout
    assert job_stats(dry.stdout)["unlearn"] == 4 * 7, "a fresh run of the overlay's name"
    assert planned_jobs(workdir) == {}, "the base config is untouched"


def test_cuda_without_a_gpu_fails_the_first_torch_job_with_one_line(workdir):
    import torch

    if torch.cuda.is_available():
        pytest.skip("checks the message on a host without a GPU")
    write_config(workdir, {**TINY, "name": "nogpu", "device": "cuda", "seeds": [0]}, "nogpu.yaml")
    target = "results/nogpu/run/models/original/s0.pt"
    proc = snakemake(workdir, target, config="nogpu.yaml", check=False)
    assert proc.returncode != 0 and not (workdir / target).exists()
    log = (workdir / "results/nogpu/run/logs/train_original/s0.log").read_text()
    assert re.search(r"ERROR unlearn\.training: device error: the config sets device: cuda, but host \S+ has no usable "
                     r"GPU \(CUDA_VISIBLE_DEVICES=[^,]*, 0 visible to torch\)", log), log  # fmt: skip
    assert "Traceback" not in log
    data_log = (workdir / "results/nogpu/run/logs/prepare_data.log").read_text()
    assert "device cpu (numpy job, no torch)" in data_log, "every job logs its host and device"


def test_jobs_import_the_library_from_src(tmp_path_factory):
    """A Python with the pinned packages but without this project installed (what `--sdm conda` builds from
    envs/unlearn.yaml) runs the jobs: the Snakefile puts the workflow's src/ on their PYTHONPATH."""
    import site

    work = copy_workflow(tmp_path_factory, "bare-python", {**TINY, "name": "bare", "seeds": [0]}, "bare.yaml")
    bare = work / "bare-venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(bare)], check=True)
    (bare_site,) = bare.glob("lib/python*/site-packages")
    # the venv's packages, as plain paths: a .pth line does not run the editable install's own .pth hook
    (bare_site / "pins.pth").write_text("\n".join(site.getsitepackages()) + "\n")
    python = str(bare / "bin" / "python")
    env = {**os.environ, "PYTHONPATH": ""}
    elsewhere = tmp_path_factory.getbasetemp()  # not the repository root, which holds src/
    probe = subprocess.run([python, "-c", "import unlearn"], capture_output=True, text=True, env=env, cwd=elsewhere)
    assert "No module named 'unlearn'" in probe.stderr  # the precondition: not installed for this Python
    target = "results/bare/run/forget/fullclass/s0.json"
    cmd = [python, "-m", "snakemake", "-s", str(work / "Snakefile"), "-d", str(work), "--cores", "1", target]
    proc = subprocess.run([*cmd, "--configfile", str(work / "bare.yaml")], capture_output=True, text=True, env=env)
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert (work / target).is_file()


def test_cifar20_fine_class_scenario_through_the_workflow(tmp_path_factory):
    """SPEC's super-class setting end to end on a small folder in the CIFAR-100 layout: the models learn the
    20 coarse labels, D_f is every image of one fine class, and the table's forgotten-class test accuracy is
    measured on that fine class's test images."""
    root = write_cifar100(tmp_path_factory.mktemp("c100") / "cifar-100-python", n_train=600, n_test=200)
    cfg = {
        **TINY,
        "name": "c20",
        "dataset": {"name": "cifar20", "root": str(root)},
        "train": {**TINY["train"], "epochs": 1},
        "seeds": [0],
        "scenarios": {"rocket": {"kind": "fine_class", "fine": "rocket"}},
        "methods": {m: TINY["methods"][m] for m in ("retrain", "finetune")},
    }
    work = copy_workflow(tmp_path_factory, "cifar20", cfg, "c20.yaml")
    snakemake(work, "baselines", config="c20.yaml")
    forget = json.loads((work / "results/c20/run/forget/rocket/s0.json").read_text())
    assert forget["indices"] == [i for i in range(600) if i % 100 == 69] and forget["forgotten_fine"] == 69
    assert forget["forgotten_classes"] == []  # the super-class stays: no coarse class is removed
    records = json.loads((work / "results/c20/run/metrics/rocket/s0.json").read_text())
    gold = next(r for r in records if r["method"] == "retrain")
    assert gold["n_forget"] == 6 and not math.isnan(gold["acc_test_forgotten"])  # 2 rocket test images
    table = pd.read_csv(work / "results/c20/tables/baselines.csv")
    assert set(table["scenario"]) == {"rocket"}
