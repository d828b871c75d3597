"""Config validation: every bad input stops with one line naming the field (and the allowed values)."""

import copy
import re
import subprocess
import sys

import pytest
import yaml
from conftest import REPO

from unlearn.config import ConfigError, load_config, validate_config
from unlearn.plan import Plan

SCHEMA = REPO / "schemas/config.schema.yaml"
BASE = yaml.safe_load((REPO / "config.yaml").read_text())


def check(mutate):
    cfg = copy.deepcopy(BASE)
    mutate(cfg)
    return validate_config(cfg, SCHEMA)


def test_default_config_is_valid_and_gets_defaults():
    cfg = check(lambda c: None)
    assert cfg["device"] == "auto" and cfg["methods"]["finetune"]["momentum"] == 0.9
    assert cfg["train"]["augment"]["flip"] is False


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda c: c["methods"].update(foo={}), r"methods\.foo: unknown method; allowed: amnesiac, bad_teacher"),
        (lambda c: c["model"].update(name="vgg"), r"model\.name: 'vgg' is not one of \['smallcnn', 'resnet18'"),
        (
            lambda c: c["dataset"].update(name="mnist"),
            r"dataset\.name: unknown dataset 'mnist'; allowed: digits, cifar10, cifar100, cifar20$",
        ),
        (
            lambda c: c["dataset"].update(name="cifar-10"),
            r"dataset\.name: unknown dataset 'cifar-10'; did you mean 'cifar10'\?$",
        ),
        (lambda c: c["train"].update(lr=-0.1), r"train\.lr: -0\.1 is less than or equal to the minimum of 0"),
        (lambda c: c["methods"]["finetune"].update(lr=-1), r"methods\.finetune\.lr: -1 is less than or equal"),
        (
            lambda c: c["scenarios"].update(bad={"kind": "full_class", "class": 10}),
            r"scenarios\.bad\.class: 10 is out of range; allowed: 0\.\.9",
        ),
        (
            lambda c: c["scenarios"].update(big={"kind": "sub_class", "class": 3, "n": 5000}),
            r"scenarios\.big\.n: forget size 5000 is larger than class 3",
        ),
        (
            lambda c: c["methods"]["neggrad_plus"].pop("alpha"),
            r"methods\.neggrad_plus\.alpha: required by method neggrad_plus",
        ),
        (lambda c: c["methods"].pop("retrain"), r"methods\.retrain: required"),
        (lambda c: c.update(dataset={"name": "cifar10"}), r"dataset\.root: required for dataset cifar10"),
        (
            lambda c: c.update(dataset={"name": "cifar10", "root": "/nonexistent/cifar"}),
            r"dataset\.root: folder not found: /nonexistent/cifar",
        ),
        (lambda c: c.update(unknown_key=1), r"unknown_key: unknown key; allowed: baselines, dataset, device"),
        # typos: every key is known, method entries to their own keys (common optimiser keys + the method's)
        (
            lambda c: c["methods"]["finetune"].update(epocs=3),
            r"methods\.finetune\.epocs: unknown key; did you mean 'epochs'\?$",
        ),
        (lambda c: c["model"].update(widht=0.5), r"model\.widht: unknown key; did you mean 'width'\?$"),
        (lambda c: c["tmu"]["twin"].update(epcohs=2), r"tmu\.twin\.epcohs: unknown key; did you mean 'epochs'\?$"),
        (
            lambda c: c["methods"]["finetune"].update(alpha=0.5),
            r"methods\.finetune\.alpha: unknown key; allowed: batch_size, epochs, gamma",
        ),
        (
            lambda c: c["methods"]["scrub"].update(kd_wieght=0.1),
            r"methods\.scrub\.kd_wieght: unknown key; did you mean 'kd_weight'\?$",
        ),
        (
            lambda c: c["scenarios"]["fullclass"].update(clas=1),
            r"scenarios\.fullclass\.clas: unknown key; did you mean 'class'\?$",
        ),
        (
            lambda c: c["rum"]["memorization"].update(model=4),
            r"rum\.memorization\.model: unknown key; did you mean 'models'\?$",
        ),
        (lambda c: c.update(plots={"fontsize": 9}), r"plots\.fontsize: unknown key; did you mean 'font_size'\?$"),
        # training that happens, and schedules that act inside it
        (lambda c: c["train"].update(epochs=0), r"train\.epochs: 0 is less than the minimum of 1"),
        (
            lambda c: c["methods"]["finetune"].update(epochs=0),
            r"methods\.finetune\.epochs: 0 is less than the minimum of 1",
        ),
        (lambda c: c["tmu"]["twin"].update(epochs=0), r"tmu\.twin\.epochs: 0 is less than the minimum of 1"),
        (
            lambda c: c["train"].update(epochs=6, schedule="step", milestones=[3, 9]),
            r"train\.milestones: 9 is outside the training \(epochs 6\); the learning rate would never decay there",
        ),
        (
            lambda c: c["methods"]["finetune"].update(epochs=2, schedule="step", milestones=[2]),
            r"methods\.finetune\.milestones: 2 is outside the training \(epochs 2\)",
        ),
        (lambda c: c["train"].update(milestones=[2]), r"train\.milestones: only read with schedule: step"),
        (
            lambda c: c.update(plots={"style": "ggplott"}),
            r"plots\.style: unknown matplotlib style 'ggplott'; did you mean 'ggplot'\?$",
        ),
        (lambda c: c["train"].update(lr="fast"), r"train\.lr: 'fast' is not of type 'number'"),
        # TMU (paper 001)
        (lambda c: c["dataset"].update(holdout_per_class=0), r"dataset\.holdout_per_class: TMU needs held-out"),
        (lambda c: c["tmu"].update(classes=[1, 12]), r"tmu\.classes\[1\]: class 12 is out of range; allowed: 0\.\.9"),
        (lambda c: c["tmu"].update(classes=["rocket"]), r"tmu\.classes\[0\]: unknown class 'rocket'"),
        (lambda c: c["tmu"].update(n=500), r"tmu\.n: 500 would forget all of class 1"),
        (lambda c: c["tmu"].update(seeds=[7]), r"tmu\.seeds: \[7\] not in the top-level seeds"),
        (lambda c: c["tmu"].update(baselines=["nope"]), r"tmu\.baselines: 'nope' must be a method configured"),
        (lambda c: c.update(baselines=["finetune", "nope"]), r"baselines: 'nope' is not configured under `methods`"),
        (lambda c: c["rum"]["select"].update(high="nope"), r"rum\.select: 'nope' must be a method configured"),
        (lambda c: c["rum"].update(methods=["retrain"]), r"rum\.methods: 'retrain' must be a method configured"),
        (lambda c: c["rum"].update(difficulty=["sisa"]), r"rum\.difficulty: 'sisa' must be a method configured"),
        (lambda c: c["rum"].update(seeds=[5]), r"rum\.seeds: \[5\] not in the top-level seeds"),
        (lambda c: c["rum"].update(n=90), r"rum\.n: 90 is larger than an ES group \(1238 / 15 groups = 82 samples\)"),
        (
            lambda c: c["rum"].update(entanglement={"picks": [3, 12, 15]}),
            r"rum\.entanglement\.picks: groups are 0\.\.14",
        ),
        (lambda c: c["rum"].pop("select"), r"rum: 'select' is a required property"),
        (lambda c: c["rum"].update(sequence_retain="all"), r"rum\.sequence_retain: 'all' is not one of"),
        (
            lambda c: c["scenarios"].update(rum_extra={"kind": "random", "n": 5}),
            r"scenarios\.rum_extra: names starting rum_ are reserved",
        ),
        (lambda c: c["methods"].pop("tmu"), r"methods\.tmu: required by the `tmu` section \(TMU's hyperparameters\)"),
        (
            lambda c: c.update(baselines=["finetune", "tmu"]),
            r"baselines: 'tmu' runs only inside its paper's experiment \(it needs forget_easy",
        ),
        (lambda c: c["tmu"].update(unlearn={"epochs": 2}), r"tmu\.unlearn: moved to methods\.tmu"),
        (lambda c: c["tmu"]["sweep"].update(sizes=[10, 400]), r"tmu\.sweep\.sizes: 400 would forget all of class 8"),
        (
            lambda c: c["methods"]["tmu"].update(hard="ascent"),
            r"methods\.tmu\.hard: 'ascent' is not one of random_label, neggrad$",
        ),
        (
            lambda c: c["scenarios"].update(tmu_c1_n20={"kind": "random", "n": 5}),
            r"scenarios\.tmu_c1_n20: name is reserved",
        ),
        (lambda c: c["dataset"].update(holdout_per_class=500), r"dataset\.holdout_per_class: 500 would hold out all"),
        # SMU (paper 000)
        (
            lambda c: c["smu"]["scenarios"].update(fullclass="random"),
            r"smu\.scenarios\.fullclass: scenario 'random' is random; SMU's fullclass setting needs full_class",
        ),
        (lambda c: c["smu"]["scenarios"].update(random="nope"), r"smu\.scenarios\.random: 'nope' is not a `scenarios`"),
        (
            lambda c: c["smu"]["scenarios"].update(other="random"),
            r"smu\.scenarios\.other: unknown key; allowed: fullclass",
        ),
        (lambda c: c["methods"].pop("smu"), r"methods\.smu: required by the `smu` section"),
        (lambda c: c["smu"].update(baselines=["smu"]), r"smu\.baselines: 'smu' must be a method configured"),
        (lambda c: c["smu"].update(seeds=[4]), r"smu\.seeds: \[4\] not in the top-level seeds"),
        (lambda c: c["train"].update(augment={}), r"methods\.smu\.augment: SMU compares two augmented views"),
        (lambda c: c["methods"]["ssd"].pop("selection"), r"methods\.ssd\.selection: required by method ssd"),
        (lambda c: c["methods"]["ssd"].update(dampening=0), r"methods\.ssd\.dampening: 0 is less than or equal"),
    ],
)
def test_bad_input_names_the_field(mutate, message):
    with pytest.raises(ConfigError, match=message) as info:
        check(mutate)
    assert "\n" not in str(info.value)


def _set(section, key, value):
    def mutate(c):
        node = c[section[0]]
        for part in section[1:]:
            node = node.setdefault(part, {})
        node[key] = value

    return mutate


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (_set(["hdus"], "clients", 1), r"hdus\.clients: 1 clients; a network needs at least 2$"),
        (_set(["hdus"], "depart", 4), r"hdus\.depart: client 4 does not exist; allowed: 0\.\.3$"),
        (_set(["hdus"], "topology", ""), r"hdus\.topology: '' is not one of ring, full, random$"),
        (
            lambda c: c["hdus"].update(topology="random", k=0),
            r"hdus\.k: 0 neighbours per client; the topology would be empty",
        ),
        (
            lambda c: c["dataset"].update(holdout_per_class=0) or c.pop("tmu"),
            r"hdus: the seed models' reference set is the held-out pool; set dataset\.holdout_per_class > 0$",
        ),
        (_set(["hdus"], "models", [{"name": "mlp"}]), r"hdus\.models\.0\.name: 'mlp' is not one"),
        (_set(["snn", "unlearn"], "prune_threshold", 1.5), r"snn\.unlearn\.prune_threshold: 1\.5 is greater than the "),
        (_set(["snn", "unlearn"], "prune_threshold", 0), r"snn\.unlearn\.prune_threshold: 0 is less than or equal to"),
        (_set(["snn", "unlearn"], "rate_margin", 1.0), r"snn\.unlearn\.rate_margin: 1\.0 is greater than or equal to"),
        (
            _set(["snn", "scenarios"], "big", {"kind": "random", "n": 5000}),
            r"snn\.scenarios\.big\.n: forget size 5000 is larger than the training set",
        ),
        (
            _set(["snn", "unlearn"], "prune_treshold", 0.5),
            r"snn\.unlearn\.prune_treshold: unknown key; did you mean 'prune_threshold'\?$",
        ),
    ],
)
def test_hdus_and_snn_bad_input_names_the_field(mutate, message):
    with pytest.raises(ConfigError, match="^config error: " + message) as info:
        check(mutate)
    assert "\n" not in str(info.value)


def test_numbers_yaml_reads_as_strings_are_accepted():
    """PyYAML (and so Snakemake) reads `5e-4` as the string '5e-4' (YAML 1.1 wants 5.0e-4): taken as the number."""
    cfg = check(lambda c: c["train"].update(yaml.safe_load("{weight_decay: 5e-4, lr: 1e-2}")))
    assert cfg["train"]["weight_decay"] == 0.0005 and cfg["train"]["lr"] == 0.01
    assert isinstance(yaml.safe_load("x: 5e-4")["x"], str), "the case this handles"
    cfg = check(lambda c: c["methods"]["finetune"].update(lr="2e-3", epochs="1e0", milestones=[]))
    assert cfg["methods"]["finetune"]["lr"] == 0.002 and cfg["methods"]["finetune"]["epochs"] == 1


def test_method_entries_take_their_own_keys():
    cfg = check(lambda c: c["methods"]["scrub"].update(temperature=2.0, kd_weight=0.5))
    assert cfg["methods"]["scrub"]["temperature"] == 2.0
    assert cfg["plots"] == {"style": "default", "font_size": 10, "dpi": 150}


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("name: x\ntrain:\n  lr: 0.1\n   epochs: 2\n", r"^config error: (.*)/bad\.yaml:4:\d+: YAML syntax: "),
        ("name: [x\n", r"^config error: (.*)/bad\.yaml:2:1: YAML syntax: "),
        ("- a\n- b\n", r"^config error: (.*)/bad\.yaml: expected a mapping of keys at the top level$"),
    ],
)
def test_yaml_errors_name_the_file_and_line(tmp_path, text, message):
    (tmp_path / "bad.yaml").write_text(text)
    proc = subprocess.run(
        [sys.executable, "-m", "unlearn.config", str(tmp_path / "bad.yaml")],
        capture_output=True, text=True, cwd=REPO, env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(REPO / "src")},
    )  # fmt: skip
    assert proc.returncode == 1 and proc.stdout == ""
    assert re.match(message, proc.stderr.strip()) and proc.stderr.count("\n") == 1, proc.stderr


def test_config_check_merges_an_overlay_like_snakemake(tmp_path):
    """`python -m unlearn.config base overlay` (= make check CONFIG="base overlay"): nested keys merge."""
    (tmp_path / "over.yaml").write_text("name: longer\ntrain:\n  epochs: 7\n")
    proc = subprocess.run(
        [sys.executable, "-m", "unlearn.config", "config.yaml", str(tmp_path / "over.yaml")],
        capture_output=True, text=True, cwd=REPO, env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(REPO / "src")},
    )  # fmt: skip
    assert proc.returncode == 0 and proc.stdout.endswith("-> results/longer/\n"), proc.stderr
    merged = load_config([REPO / "config.yaml", tmp_path / "over.yaml"], SCHEMA)
    assert merged["name"] == "longer" and merged["train"]["epochs"] == 7
    assert merged["train"]["lr"] == BASE["train"]["lr"] and merged["methods"] == check(lambda c: None)["methods"]


def test_validation_fills_defaults_and_changes_nothing_else():
    """What follows from the config (the gold model in the baselines, an experiment's seeds, class names as indices,
    HDUS's recipe) is the plan's (tests/test_plan.py); the validated config keeps what the user wrote."""
    cfg = check(
        lambda c: (
            c["tmu"].update(classes=["3", 8], seeds=None)
            or c["rum"].update(seeds=None, difficulty=None)
            or c["hdus"].update(seeds=None, train=None)
            or c["snn"].update(seeds=None)
            or c.update(baselines=["finetune"])
        )
    )
    assert cfg["tmu"]["classes"] == ["3", 8] and cfg["tmu"]["seeds"] is None
    assert cfg["rum"]["seeds"] is None and cfg["rum"]["difficulty"] is None
    assert cfg["hdus"]["seeds"] is None and cfg["hdus"]["train"] is None and cfg["snn"]["seeds"] is None
    assert cfg["baselines"] == ["finetune"]
    # the schema's defaults are filled in
    assert cfg["rum"]["entanglement"] == {"groups": 15, "picks": [3, 12, 14], "centroid": "global"}
    assert cfg["rum"]["memorization"]["fraction"] == 0.7 and cfg["rum"]["sequence_retain"] == "seen_parts"
    assert cfg["hdus"]["distill"]["epochs"] == 40 and cfg["hdus"]["distill"]["optimizer"] == "adam"
    assert cfg["snn"]["train"]["epochs"] == 15 and cfg["snn"]["train"]["schedule"] == "cosine"
    assert cfg["snn"]["unlearn"]["prune_threshold"] == 0.5
    for section in ("tmu", "rum", "hdus", "snn"):
        assert section not in check(lambda c, s=section: c.pop(s))


def test_validation_leaves_its_input_alone():
    cfg = copy.deepcopy(BASE)
    validate_config(cfg, SCHEMA)
    assert cfg == BASE


def test_cifar_sample_config_validates(cifar_sample):
    cfg = yaml.safe_load((REPO / "configs/cifar10-sample.yaml").read_text())
    cfg["dataset"]["root"] = str(cifar_sample)
    assert validate_config(cfg, SCHEMA)["dataset"]["name"] == "cifar10"


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (
            lambda c: c["train"].update(lr=-0.5),
            "config error: train.lr: -0.5 is less than or equal to the minimum of 0",
        ),
        (
            lambda c: c["methods"]["finetune"].update(epocs=3),
            "config error: methods.finetune.epocs: unknown key; did you mean 'epochs'?",
        ),
        (lambda c: c["hdus"].update(clients=1), "config error: hdus.clients: 1 clients; a network needs at least 2"),
        (
            lambda c: c["snn"].setdefault("unlearn", {}).update(prune_threshold=2),
            "config error: snn.unlearn.prune_threshold: 2 is greater than the maximum of 1",
        ),
    ],
)
def test_snakemake_stops_before_any_job(tmp_path, mutate, message):
    bad = copy.deepcopy(BASE)
    mutate(bad)
    (tmp_path / "bad.yaml").write_text(yaml.safe_dump(bad))
    cmd = [sys.executable, "-m", "snakemake", "-s", str(REPO / "Snakefile"), "-d", str(tmp_path)]
    cmd += ["--configfile", str(tmp_path / "bad.yaml"), "--cores", "1"]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
    assert proc.returncode != 0
    assert message in proc.stderr.splitlines()
    assert not (tmp_path / "results").exists()


@pytest.mark.parametrize("path", sorted((REPO / "configs" / "paper").glob("*.yaml")), ids=lambda p: p.name)
def test_paper_configs_are_valid_without_their_data(path):
    """configs/plan-only.yaml (dataset.verify: false) lets a paper config be checked and planned on a
    machine without CIFAR; class names resolve through the official label names."""
    cfg = yaml.safe_load(path.read_text())
    with pytest.raises(ConfigError, match=r"dataset\.root: folder not found"):
        validate_config(copy.deepcopy(cfg), SCHEMA)
    cfg["dataset"].update(yaml.safe_load((REPO / "configs" / "plan-only.yaml").read_text())["dataset"])
    checked = validate_config(cfg, SCHEMA)
    assert checked["model"]["name"] == "resnet18" and len(checked["seeds"]) == 3
    if path.name == "tmu-cifar100.yaml":
        assert Plan(checked).settings("tmu")["classes"][:2] == [68, 93]  # road, turtle


@pytest.mark.parametrize(
    ("sisa", "message"),
    [
        ({"shards": 0, "slices": 3}, r"config error: exact\.sisa\.shards: must be a positive integer, got 0"),
        ({"shards": 4, "slices": 0}, r"config error: exact\.sisa\.slices: must be a positive integer, got 0"),
        (
            {"shards": 100, "slices": 20},
            r"config error: exact\.sisa: shards x slices = 2000 is larger than the training set \(1238",
        ),
    ],
)
def test_exact_bad_shards_or_slices_name_the_field(sisa, message):
    with pytest.raises(ConfigError, match=message):
        check(lambda c: c["exact"].update(sisa=sisa))


def test_exact_scenarios_and_seeds_are_checked():
    with pytest.raises(ConfigError, match=r"exact\.scenarios: 'nope' is not a `scenarios` entry"):
        check(lambda c: c["exact"].update(scenarios=["nope"]))
    with pytest.raises(ConfigError, match=r"exact\.seeds: \[7\] not in the top-level seeds"):
        check(lambda c: c["exact"].update(seeds=[7]))
