"""The workflow on a real Slurm cluster: a single-node Slurm on loopback (tests/slurm_cluster.py) and
`snakemake --profile profiles/slurm` (snakemake-executor-plugin-slurm), as a cluster user runs it.

Skipped, with the reason, where the Slurm packages cannot be installed (not root, no apt-get, no
network); CI runs as root and installs them (~30 s). The tests run in order on one working copy:
full run -> incremental rerun -> a job killed mid-training and resumed -> bad submissions.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pytest
import torch
from conftest import REPO, copy_workflow, job_stats, tiny_config, write_config
from slurm_cluster import PARTITION, ClusterUnavailable, LocalSlurm

pytestmark = [pytest.mark.workflow, pytest.mark.cluster]

CONFIG = tiny_config("tiny_cluster")
CONFIG_FILE = "cluster.yaml"
GPU_RULES = {"train_original", "unlearn"}
# the cheap rules of this config, which `localrule: True` keeps on the submitting (login) node
LOCAL_RULES = {"prepare_data", "forget_set", "baselines_table", "baselines_figure", "regime", "paper_comparison"}
# the profile's memory requests are sized for a GPU node; this test node has ~20 GB (its threads, 4 per training
# job, are the profile's own: the test node declares 4 CPUs)
SMALL = ["--set-resources", "train_original:mem_mb=2000", "unlearn:mem_mb=2000", "evaluate:mem_mb=2000"]


@pytest.fixture(scope="module")
def slurm(tmp_path_factory):
    signal.signal(signal.SIGTERM, _interrupt)  # a killed test run still stops its daemons
    try:
        cluster = LocalSlurm(tmp_path_factory.mktemp("slurm")).start()
    except ClusterUnavailable as exc:
        pytest.skip(f"no Slurm cluster for the cluster tests: {exc}")
    pids = cluster.pids()
    yield cluster
    cluster.stop()
    alive = [f"{name} ({pid})" for name, pid in pids.items() if _alive(pid)]
    assert not alive, f"daemons still running after stop: {alive}"


def _interrupt(signum, frame):
    raise KeyboardInterrupt(f"signal {signum}")


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


@pytest.fixture(scope="module")
def work(tmp_path_factory):
    return copy_workflow(tmp_path_factory, "cluster-work", CONFIG, CONFIG_FILE)


def smk_cmd(work, *args):
    cmd = [sys.executable, "-m", "snakemake", "--profile", str(REPO / "profiles" / "slurm")]
    cmd += ["-s", str(work / "Snakefile"), "-d", str(work), "--configfile", str(work / CONFIG_FILE)]
    cmd += ["--slurm-init-seconds-before-status-checks", "2", "--jobs", "4", *SMALL]
    return [*cmd, *args]


def snakemake(slurm, work, *args, check=True, timeout=600):
    env = {**slurm.env, "PYTHONPATH": ""}
    proc = subprocess.run(smk_cmd(work, *args), capture_output=True, text=True, env=env, timeout=timeout, cwd=work)
    if check and proc.returncode != 0:
        raise AssertionError(f"snakemake {' '.join(args)} failed:\n{proc.stdout[-3000:]}\n{proc.stderr[-6000:]}")
    return proc


def sacct(slurm, after: int = 0) -> list[dict]:
    """Slurm's accounting of the jobs with an id above `after`: id, rule, state, requested TRES, sbatch line."""
    out = subprocess.run(
        ["sacct", "-X", "-n", "-P", "-a", "-o", "JobID,Comment,State,ReqTRES,SubmitLine%10000"],
        capture_output=True, text=True, env=slurm.env, check=True,
    ).stdout  # fmt: skip
    jobs = []
    for line in out.strip().splitlines():
        jobid, comment, state, tres, submit = line.split("|", 4)
        if int(jobid) > after:
            rule = comment.removeprefix("rule_").split("_wildcards_")[0]
            jobs.append({"id": int(jobid), "rule": rule, "state": state, "tres": tres, "submit": submit})
    return jobs


def planned(slurm, work) -> dict[str, int]:
    """Rule -> job count that a dry run says would run now (the `all` target excluded)."""
    counts = job_stats(snakemake(slurm, work, "-n").stdout)
    counts.pop("all", None)
    return counts


def by_rule(jobs) -> dict[str, int]:
    counts: dict[str, int] = {}
    for job in jobs:
        counts[job["rule"]] = counts.get(job["rule"], 0) + 1
    return counts


def test_every_job_goes_through_sbatch_and_gpu_rules_ask_for_a_gpu(slurm, work):
    expected = planned(slurm, work)
    assert expected.get("train_original") == 1 and expected.get("unlearn") == 2
    assert set(expected) >= LOCAL_RULES
    proc = snakemake(slurm, work)
    jobs = sacct(slurm)
    # one sbatch job per workflow job, except the cheap rules, which ran on this (the login) node
    assert by_rule(jobs) == {rule: n for rule, n in expected.items() if rule not in LOCAL_RULES}
    assert all(j["state"] == "COMPLETED" for j in jobs), jobs
    for rule in LOCAL_RULES:
        assert f"localrule {rule}:" in proc.stderr, rule
    for job in jobs:
        asks_gpu = "gres/gpu=1" in job["tres"]
        assert asks_gpu == (job["rule"] in GPU_RULES), job
        # the cluster profile's settings are the ones in effect (no workflow profile overrides them)
        assert "--latency-wait 60" in job["submit"], job["submit"][-2000:]
        if job["rule"] in GPU_RULES:  # the profile's set-threads (4), not capped by the login node's cores
            assert "cpu=4" in job["tres"], job
    assert (work / "results" / "slurm" / "tables" / "baselines.csv").is_file()
    assert planned(slurm, work) == {}  # and a rerun has nothing to do


def test_config_change_resubmits_only_affected_jobs(slurm, work):
    last = max(j["id"] for j in sacct(slurm))
    cfg = {**CONFIG, "methods": {**CONFIG["methods"], "finetune": {"epochs": 1, "lr": 0.01, "batch_size": 64}}}
    write_config(work, cfg, CONFIG_FILE)
    expected = planned(slurm, work)
    # the finetune model, its evaluation and what reads that evaluation file (the table and figure, the regime
    # checks and the comparison page built on them); no training, no retrain
    assert expected == {
        "unlearn": 1,
        "evaluate": 1,
        "baselines_table": 1,
        "baselines_figure": 1,
        "regime": 1,
        "paper_comparison": 1,
    }
    snakemake(slurm, work)
    assert by_rule(sacct(slurm, after=last)) == {"unlearn": 1, "evaluate": 1}  # the rest ran locally


def test_job_killed_mid_training_is_resubmitted_and_resumes_from_its_epoch_checkpoint(slurm, work):
    cfg = {**CONFIG, "train": {**CONFIG["train"], "epochs": 80}}
    write_config(work, cfg, CONFIG_FILE)
    run = work / "results" / "slurm" / "run"
    resume = run / "resume" / "train_original" / "s0.pt"
    last = max(j["id"] for j in sacct(slurm))
    env = {**slurm.env, "PYTHONPATH": ""}
    # one thread, so that the weights can be compared bit for bit with a reference trained here (with the
    # profile's 4 threads on this 2-core machine a resumed and an in-process run differed in the last bits)
    one_thread = smk_cmd(work, "--set-threads", "train_original=1", "unlearn=1")
    first = subprocess.Popen(one_thread, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=env, cwd=work)
    deadline = time.monotonic() + 300
    while not resume.exists():  # the job has finished at least one epoch
        assert first.poll() is None and time.monotonic() < deadline, "training never wrote an epoch checkpoint"
        time.sleep(0.2)
    queue = subprocess.run(["squeue", "-h", "-o", "%i %k"], capture_output=True, text=True, env=slurm.env).stdout
    train = [line.split()[0] for line in queue.splitlines() if "rule_train_original" in line]
    assert len(train) == 1, queue
    subprocess.run(["scancel", "--signal=KILL", train[0]], env=slurm.env, check=True)  # preempted
    # the profile's `retries` resubmits the job from the same Snakemake run; it continues from the checkpoint
    out = first.communicate(timeout=600)[0].decode()
    assert first.returncode == 0, out[-3000:]
    trainings = [j for j in sacct(slurm, after=last) if j["rule"] == "train_original"]
    assert [j["state"].split()[0] for j in trainings] == ["CANCELLED", "COMPLETED"], trainings
    log = (run / "logs" / "train_original" / "s0.log").read_text()
    assert "resumed from" in log and "after epoch" in log, log[-2000:]
    assert not resume.exists()  # cleared once the model was saved
    # ... and ends with the weights an uninterrupted run gets
    from unlearn.checkpoints import data_info, load_bundle, load_model
    from unlearn.training import train_from_scratch

    torch.set_num_threads(1)  # as the job ran
    got, ckpt = load_model(run / "models" / "original" / "s0.pt")
    bundle = load_bundle(run / "data.pt")
    x, y, recipe = bundle["train_x"], bundle["train_y"], ckpt["config"]["train"]  # the recipe, defaults filled
    assert recipe["epochs"] == 80
    ref, _ = train_from_scratch(ckpt["model"], data_info(bundle), x, y, recipe, seed=0, device="cpu", tag="reference")
    got = got.state_dict()
    assert all(torch.equal(v, got[k]) for k, v in ref.state_dict().items())


def test_submission_errors_surface_slurm_message_and_never_hang(slurm, work):
    write_config(work, {**CONFIG, "train": {**CONFIG["train"], "epochs": 3}}, CONFIG_FILE)
    partition = ["--default-resources", f"slurm_partition={PARTITION}", "mem_mb=2000", "runtime=30"]
    subprocess.run(["scontrol", "update", f"PartitionName={PARTITION}", "Default=NO"], env=slurm.env, check=True)
    try:
        # 1. a cluster without a default partition, and a profile that names none
        proc = snakemake(slurm, work, check=False, timeout=300)
        assert proc.returncode != 0
        assert "No partition specified or system default partition" in proc.stdout + proc.stderr
        # 2. more GPUs than the cluster has (Slurm answers as on a cluster without GPUs)
        proc = snakemake(slurm, work, *partition, *SMALL, "train_original:gpu=8", check=False, timeout=300)
        assert proc.returncode != 0
        assert "Requested node configuration is not available" in proc.stdout + proc.stderr
        # 3. naming the partition makes the same run go through
        snakemake(slurm, work, *partition)
    finally:
        subprocess.run(["scontrol", "update", f"PartitionName={PARTITION}", "Default=YES"], env=slurm.env, check=True)
