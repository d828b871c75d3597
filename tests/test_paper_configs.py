"""The paper configs are the papers' experiments: every value the papers or the authors' released commands fix
is checked here against a table written from those sources (SPEC.md, the papers in ../shared/papers, the RUM
README), and every value line of a paper config names its provenance ([paper], [code], [SPEC] or [ours])."""

from pathlib import Path

import pytest
import yaml

REPO = Path(__file__).resolve().parents[1]
PAPER = REPO / "configs" / "paper"
ALL = sorted(p.name for p in PAPER.glob("*.yaml"))

RUM = {  # kairanzhao/RUM README commands and argument defaults (SalUn / Unlearn-Sparse)
    "train.lr": 0.1,
    "train.batch_size": 256,
    "train.epochs": 182,
    "train.milestones": [91, 136],
    "train.momentum": 0.9,
    "train.weight_decay": 0.0005,
    "scenarios.random.n": 3000,
    "methods.finetune.lr": 0.01,
    "methods.finetune.epochs": 10,
    "methods.l1_sparse.lr": 0.01,
    "methods.l1_sparse.epochs": 10,
    "methods.neggrad_plus.lr": 0.01,
    "methods.neggrad_plus.epochs": 5,
    "methods.salun.lr": 0.1,
    "methods.salun.epochs": 10,
    "methods.salun.variant": "rum_code",  # the fork that produced RUM's table
    "methods.scrub.msteps": 4,
    "methods.scrub.lr": 0.005,
    "methods.scrub.epochs": 5,
    "methods.scrub.temperature": 4.0,
    "rum.n": 1000,
    "seeds": [0, 1, 2],
}
TMU = {  # the TMU paper's text (no code released)
    "model.name": "resnet18",
    "train.optimizer": "sgd",
    "train.lr": 0.01,
    "train.schedule": "step",
    "tmu.n": 100,
    "tmu.features.nf_k": 5,
    "tmu.classifier.hidden": [64, 32],
    "tmu.classifier.epochs": 100,
    "tmu.classifier.lr": 0.01,
    "tmu.classifier.momentum": 0.9,
    "tmu.baselines": ["finetune", "neggrad", "random_label", "bad_teacher"],
}
FIXED = {
    "cifar20-superclass.yaml": {  # SPEC.md: CIFAR-20, one fine class of its super-class forgotten at a time
        "dataset.name": "cifar20",
        **{f"scenarios.{c}.kind": "fine_class" for c in ("rocket", "mushroom", "baby", "lamp", "sea")},
        **{f"scenarios.{c}.fine": c for c in ("rocket", "mushroom", "baby", "lamp", "sea")},
        "methods.ssd.dampening": 1.0,
        "methods.ssd.selection": 10.0,
    },
    "rum-cifar10.yaml": {**RUM, "model.name": "resnet18"},
    "rum-cifar100.yaml": RUM,
    "smu-cifar10.yaml": {  # SPEC.md: the authors' code
        "methods.smu.lr": 0.0001,
        "methods.smu.momentum": 0.9,
        "methods.smu.weight_decay": 0.0001,
        "methods.smu.epochs": 3,
        "methods.smu.ce_weight": 1.0,
        "methods.smu.retain_subset": 1000,
        "methods.smu.predictor_dim": 64,
        "methods.ssd.dampening": 1.0,
        "methods.ssd.selection": 10.0,
    },
    "tmu-cifar10.yaml": {**TMU, "tmu.classes": "all", "tmu.sweep.sizes": [100, 500, 1000, 2000, 4000]},
    "tmu-cifar100.yaml": {
        **TMU,
        "tmu.classes": [
            *("road", "turtle", "chimpanzee", "orchid", "rabbit"),
            *("forest", "possum", "fox", "house", "mushroom"),
        ],
    },
}
TAGS = ("[paper", "[code", "[SPEC", "[ours")


def value(config: dict, dotted: str):
    node = config
    for key in dotted.split("."):
        node = node[key]
    return node


def test_every_paper_config_is_in_the_table():
    assert set(ALL) == set(FIXED)


@pytest.mark.parametrize("name", ALL)
def test_paper_config_values_equal_the_papers_and_the_authors_commands(name):
    config = yaml.safe_load((PAPER / name).read_text())
    wrong = {k: (value(config, k), v) for k, v in FIXED[name].items() if value(config, k) != v}
    assert not wrong, f"{name}: (config, source) differ: {wrong}"
    assert config["device"] == "cuda" and config["model"]["width"] == 1.0


@pytest.mark.parametrize("name", ALL)
def test_every_value_line_names_its_provenance(name):
    untagged = []
    for number, line in enumerate((PAPER / name).read_text().splitlines(), 1):
        code = line.split("#", 1)[0]
        if not code.strip() or ":" not in code:
            continue
        key, rest = code.split(":", 1)
        if not rest.strip() or key.strip() in ("name", "root"):  # section headers; run name and data folder
            continue
        if not any(tag in line for tag in TAGS):
            untagged.append(f"{name}:{number}: {line.strip()}")
    assert not untagged, "\n".join(untagged)


def test_tmu_twin_sets_use_real_held_out_images_at_n():
    """Eq. 3 at the configs' n needs |D_t| ~ n real images: the hold-out must cover it (no augmented copies)."""
    from unlearn.tmu.twin import twin_size

    for name, per_class in (("tmu-cifar10.yaml", 5000), ("tmu-cifar100.yaml", 500)):
        config = yaml.safe_load((PAPER / name).read_text())
        hold, classes = config["dataset"]["holdout_per_class"], 10 if "cifar10." in name else 100
        n_train = (per_class - hold) * classes
        assert twin_size(config["tmu"]["n"], n_train) <= hold, name
