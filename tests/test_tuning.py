"""Fair tuning without Snakemake: the objectives, the tie rule and the alternatives on hand-built trial records; the
grid; the space's strict check; the validation forget sets (same kind and size, disjoint from every test forget set);
the plan's tuned jobs and what they read; the chosen values applied to a job."""

from __future__ import annotations

import copy

import numpy as np
import pytest
import yaml
from conftest import REPO, tiny_config

from unlearn import forget
from unlearn.config import ConfigError, validate_config
from unlearn.plan import Plan
from unlearn.tuning import apply, choose, cost, grid, objective_value, validation_spec

SCHEMA = REPO / "schemas/config.schema.yaml"
DEFAULT = yaml.safe_load((REPO / "config.yaml").read_text())
RUN = "results/tiny/run"
NOT_TUNABLE = "not a method configured under `methods` (or the gold model)"


def metrics(f, r, t, gf, gr, gt, mia=0.0, gold_mia=0.0):
    """An evaluation record with accuracies (fractions) of the model and the gold model and MIA-efficacies."""
    from unlearn import metrics as M

    acc, gold = {"forget": f, "retain": r, "test": t}, {"forget": gf, "retain": gr, "test": gt}
    gap = abs(mia - gold_mia)
    return {**{f"acc_{k}": v for k, v in acc.items()}, **{f"gold_acc_{k}": v for k, v in gold.items()},
            "mia_gap": gap, "tow": M.tow(acc, gold), "tow_mia": M.tow_mia(acc, gold, gap)}  # fmt: skip


def trial(hp, m):
    return {"hp": hp, "metrics": m}


# ---- the objective, the tie rule and the alternatives --------------------------------------------------------
def test_objectives_on_a_hand_computed_record():
    m = metrics(0.30, 0.90, 0.80, 0.10, 0.95, 0.85, mia=0.6, gold_mia=0.2)
    assert objective_value(m, "tow") == pytest.approx(0.8 * 0.95 * 0.95)
    assert objective_value(m, "tow_mia") == pytest.approx(0.6 * 0.95 * 0.95)
    assert objective_value(m, "closest") == pytest.approx(0.20 + 0.05 + 0.05 + 0.4)
    with pytest.raises(ValueError, match=r"tuning\.objective"):
        objective_value(m, "accuracy")


def test_choose_picks_the_best_then_the_cheaper_then_the_first():
    gold = (0.0, 0.9, 0.8)
    records = [
        trial({"lr": 0.1, "epochs": 2}, metrics(0.5, 0.9, 0.8, *gold)),  # ToW 0.5
        trial({"lr": 0.01, "epochs": 2}, metrics(0.1, 0.9, 0.8, *gold)),  # ToW 0.9, 2 epochs
        trial({"lr": 0.03, "epochs": 1}, metrics(0.1, 0.9, 0.8, *gold)),  # ToW 0.9, 1 epoch: cheaper
        trial({"lr": 0.05, "epochs": 1}, metrics(0.1, 0.9, 0.8, *gold)),  # ToW 0.9, 1 epoch: later
    ]
    assert choose(records, "tow") == 2
    assert choose(records[:2], "tow") == 1
    assert choose([records[3], records[2]], "tow") == 0, "equal value and cost: the first in the space's order"


def test_the_alternatives_pick_other_trials():
    gold = (0.0, 0.9, 0.8)
    records = [
        # forgets D_f fully but leaks membership: best ToW, worst ToW-MIA
        trial({"epochs": 1}, metrics(0.0, 0.85, 0.78, *gold, mia=0.9, gold_mia=0.1)),
        # keeps a fifth of D_f, MIA like gold
        trial({"epochs": 1}, metrics(0.2, 0.9, 0.8, *gold, mia=0.1, gold_mia=0.1)),
        # close to gold on every accuracy but off on MIA
        trial({"epochs": 1}, metrics(0.05, 0.88, 0.79, *gold, mia=0.2, gold_mia=0.1)),
    ]
    # ToW: 0.95 x 0.98 = 0.931 > 0.95 x 0.98 x 0.99 = 0.922 > 0.8
    assert choose(records, "tow") == 0
    # ToW-MIA: 1 > 0.9 x 0.98 x 0.99 = 0.873 > 0.2 x 0.95 x 0.98 = 0.186
    assert choose(records, "tow_mia") == 1
    # closest: 0.05 + 0.02 + 0.01 + 0.1 = 0.18 < 0.2 < 0.05 + 0.02 + 0.8 = 0.87
    assert choose(records, "closest") == 2
    assert [objective_value(r["metrics"], "closest") for r in records] == pytest.approx([0.87, 0.2, 0.18])


def test_cost_counts_training_epochs():
    assert cost({"epochs": 2, "repair_epochs": 1, "lr": 0.1}) == 3
    assert cost({"dampening": 1.0}) == 0, "SSD trains nothing"


def test_grid_order_and_seeded_subset():
    space = {"lr": [0.1, 0.01], "epochs": [1, 2, 3]}
    full = grid(space)
    assert full == [{"lr": 0.1, "epochs": e} for e in (1, 2, 3)] + [{"lr": 0.01, "epochs": e} for e in (1, 2, 3)]
    sub = grid(space, 3, seed=0)
    assert len(sub) == 3 and sub == grid(space, 3, seed=0), "the same subset for the same seed"
    assert sub == [p for p in full if p in sub], "kept in the grid's order"
    assert grid(space, 10) == full, "n_trials above the grid's size: the whole grid"


# ---- the space's strict check ----------------------------------------------------------------------------------
def checked(**tuning):
    cfg = tiny_config("tiny_tuning")
    cfg["tuning"] = {**cfg["tuning"], **tuning}
    return validate_config(cfg, SCHEMA)


@pytest.mark.parametrize(
    "space, message",
    [
        ({"finetune": {"momentun": [0.9]}}, "tuning.space.finetune.momentun: unknown key; did you mean 'momentum'?"),
        ({"finetune": {"lr": []}}, "tuning.space.finetune.lr: [] should be non-empty"),
        ({"finetune": {"lr": ["fast"]}}, "tuning.space.finetune.lr[0]: 'fast' is not of type 'number'"),
        ({"finetune": {"lr": [0.1, 0]}}, "tuning.space.finetune.lr[1]: 0 is less than or equal to the minimum of 0"),
        ({"finetune": {"epochs": [1.5]}}, "tuning.space.finetune.epochs[0]: 1.5 is not of type 'integer'"),
        ({"neggrad_plus": {"alpha": [2]}}, "tuning.space.neggrad_plus.alpha[0]: 2 is greater than the maximum of 1"),
        ({"salun": {"lr": [0.1]}}, "tuning.space.salun: not a method configured under `methods` (or the gold model)"),
        (
            {"retrain": {"epochs": [1]}},
            "tuning.space.retrain: not a method configured under `methods` (or the gold model)",
        ),
        ({"finetune": {}}, "tuning.space.finetune: {} should be non-empty"),
    ],
)
def test_the_space_is_checked_strictly(space, message):
    with pytest.raises(ConfigError) as err:
        checked(space=space)
    assert str(err.value) == f"config error: {message}"


def test_space_values_yaml_reads_as_strings_are_numbers():
    cfg = checked(space={"neggrad": {"lr": ["1e-3", "5e-2"]}})
    assert cfg["tuning"]["space"]["neggrad"]["lr"] == [0.001, 0.05]


def test_tuning_methods_and_the_validation_class_are_checked():
    with pytest.raises(ConfigError, match=r"tuning.methods: 'salun' must be a method configured under `methods`"):
        checked(methods=["salun"])
    with pytest.raises(ConfigError, match=r"tuning.validation.class: 1 is a test forget class"):
        checked(validation={"class": 1})
    with pytest.raises(ConfigError, match=r"tuning.validation.class: 10 is out of range 0..9"):
        checked(validation={"class": 10})
    with pytest.raises(ConfigError, match=r"tuning.objective: 'best' is not one of"):
        checked(objective="best")


# ---- validation forget sets -----------------------------------------------------------------------------------
def test_validation_specs_take_another_class_and_exclude_the_test_sets():
    tests = [{"spec": {"kind": "full_class", "class": 3}, "seeds": [0]},
             {"spec": {"kind": "sub_class", "class": 4, "n": 5}, "seeds": [0, 1]}]  # fmt: skip
    full = validation_spec({"kind": "full_class", "class": 3}, tests, 10, None, {})
    assert full == {"kind": "full_class", "class": 5}, "the next class no test set uses, whole"
    sub = validation_spec({"kind": "sub_class", "class": 9, "n": 5}, tests, 10, None, {})
    assert sub == {"kind": "sub_class", "class": 0, "n": 5, "exclude": tests}, "cyclically; outside the test sets"
    assert validation_spec({"kind": "random", "n": 7}, tests, 10, None, {})["n"] == 7
    assert validation_spec({"kind": "partial_class", "class": 3, "fraction": 0.5}, tests, 10, None, {"class": 8})[
        "class"] == 8  # fmt: skip
    with pytest.raises(ValueError, match="every class is a test forget class"):
        validation_spec({"kind": "full_class", "class": 0}, [{"spec": {"kind": "full_class", "class": 0}, "seeds": [0]},
                        {"spec": {"kind": "full_class", "class": 1}, "seeds": [0]}], 2, None, {})  # fmt: skip


def test_the_default_configs_validation_sets_are_disjoint_from_every_test_set():
    """On the real digits labels: each validation set (seed 0) has its template's kind and size; a sampled one
    shares no sample with any test forget set of any seed (the `random` one, TMU's classes, the SNN's); the
    full-class one is a whole class no test set of a class kind forgets."""
    from unlearn.data import load_dataset

    config = validate_config(copy.deepcopy(DEFAULT), SCHEMA)
    plan = Plan(config)
    tuning = plan.experiment("tuning")
    labels = load_dataset(config["dataset"], labels_only=True).train_y
    tests = {n: s for n, s in plan.scenarios.items() if s["kind"] in forget.KINDS and not n.startswith("val_")}
    test_idx = {(n, seed): forget.forget_indices(labels, s, seed) for n, s in tests.items() for seed in (0, 1)}
    sets = tuning.validation_sets(plan)
    assert sorted(sets) == ["val_full_class", "val_partial_class", "val_random", "val_sub_class"]
    counts = np.bincount(labels)
    for name, spec in sets.items():
        idx = forget.forget_indices(labels, spec, 0)
        for (test, seed), other in test_idx.items():
            if spec["kind"] != "full_class" or tests[test]["kind"] != "random":
                assert not set(idx) & set(other), f"{name} shares samples with the test forget set {test} s{seed}"
        kind = spec["kind"]
        assert kind == name.removeprefix("val_")
        if kind == "random":
            assert len(idx) == config["scenarios"]["random"]["n"]
        elif kind == "sub_class":
            assert len(idx) == config["scenarios"]["subclass"]["n"] and set(labels[idx]) == {spec["class"]}
        elif kind == "partial_class":
            assert len(idx) == round(0.3 * counts[spec["class"]]) and set(labels[idx]) == {spec["class"]}
        else:
            assert idx.tolist() == np.flatnonzero(labels == spec["class"]).tolist(), "the whole class"
        assert spec.get("class") not in {1, 3, 8, 9}, "no test forget class (TMU's 1, 3, 8, 9; scenarios' 3, 8)"


# ---- the plan: which jobs are tuned and what they read --------------------------------------------------------
def test_plan_tunes_the_listed_methods_and_no_tuning_job_reads_a_test_set():
    plan = Plan(checked())
    tuning = plan.experiment("tuning")
    assert list(plan.scenarios) == ["fullclass", "subclass", "val_full_class", "val_sub_class"]
    assert tuning.jobs(plan) == {(sc, m): [m] for sc in ("fullclass", "subclass") for m in ("finetune", "neggrad")}
    assert tuning.records(plan) == [f"{RUN}/tuning/{v}/{m}.json" for m in ("finetune", "neggrad")
                                    for v in ("val_full_class", "val_sub_class")]  # fmt: skip
    assert plan.unlearn_inputs("neggrad", "subclass", 1)["tuned"] == [f"{RUN}/tuning/val_sub_class/neggrad.json"]
    assert "tuned" not in plan.unlearn_inputs("neggrad_plus", "subclass", 1), "not in tuning.methods"
    gold = {"data": f"{RUN}/data.pt", "forget": f"{RUN}/forget/val_sub_class/s0.json"}
    assert plan.unlearn_inputs("retrain", "val_sub_class", 0) == gold, "the validation gold model: retrain"
    assert tuning.points(plan, "neggrad") == [{"lr": 0.001, "epochs": 1}, {"lr": 0.01, "epochs": 1}]
    assert plan.hyperparameters.startswith("Hyperparameters: tuned on validation forget sets (objective ToW;")
    assert plan.targets["tuning"] == [*plan.table("tuning", ("csv", "md")), *plan.table("tuned", ("csv", "md")),
                                      *plan.figure("tuning")]  # fmt: skip


def test_tuning_off_plans_exactly_what_no_tuning_section_plans():
    off = tiny_config("tiny_tuning")
    off["tuning"]["enabled"] = False
    absent = tiny_config("tiny_tuning")
    del absent["tuning"]
    a, b = Plan(validate_config(off, SCHEMA)), Plan(validate_config(absent, SCHEMA))
    assert list(a.scenarios) == list(b.scenarios) == ["fullclass", "subclass"]
    assert a.unlearn_inputs("neggrad", "subclass", 0) == b.unlearn_inputs("neggrad", "subclass", 0)
    assert "tuned" not in a.unlearn_inputs("neggrad", "subclass", 0)
    assert a.all_outputs == b.all_outputs and a.hyperparameters == "Hyperparameters: configured values (tuning off)."


def test_by_default_every_papers_methods_are_tuned_with_the_sequences_and_tmu():
    cfg = copy.deepcopy(DEFAULT)
    cfg["tuning"] = {"enabled": True}  # tuning.methods left out: every method with a space
    plan = Plan(validate_config(cfg, SCHEMA))
    jobs = plan.experiment("tuning").jobs(plan)
    assert jobs[("tmu_c1_n20", "tmu")] == ["random_label"], "TMU's method takes random_label's choice (hard)"
    assert jobs[("rum_mix", "rum")] == ["finetune", "neggrad_plus", "salun"], "a sequence takes its steps'"
    assert jobs[("partialclass", "smu")] == ["smu"] and jobs[("random", "ssd")] == ["ssd"]
    assert ("fullclass", "retrain") not in jobs and not any(sc.startswith(("snn", "hdus")) for sc, _ in jobs)
    records = plan.unlearn_inputs("rum", "rum_mix", 0)["tuned"]
    assert records == [f"results/digits/run/tuning/val_random/{m}.json" for m in ("finetune", "neggrad_plus", "salun")]
    listed = Plan(validate_config(copy.deepcopy(DEFAULT), SCHEMA))  # the default's tuning.methods: the baselines'
    assert listed.experiment("tuning").jobs(listed)[("rum_mix", "rum")] == ["finetune", "neggrad_plus"]
    assert ("random", "ssd") not in listed.experiment("tuning").jobs(listed)


# ---- the choice applied to a job -------------------------------------------------------------------------------
def test_apply_puts_the_choice_on_the_configured_values():
    chosen = {"finetune": {"lr": 0.1}, "salun": {"lr": 0.003, "epochs": 2}, "random_label": {"lr": 0.01}}
    assert apply("finetune", "finetune", {"lr": 0.02, "batch_size": 64}, chosen) == {"lr": 0.1, "batch_size": 64}
    assert apply("neggrad", "neggrad", {"lr": 0.02}, chosen) == {"lr": 0.02}, "no choice: configured"
    seq = {"methods": ["finetune", "neggrad_plus", "salun"], "hp": [{"lr": 1}, {"lr": 2}, {"lr": 3, "epochs": 1}],
           "sequence": "rumf", "retain": "all"}  # fmt: skip
    out = apply("rum", "sequence", seq, chosen)
    assert out["hp"] == [{"lr": 0.1}, {"lr": 2}, {"lr": 0.003, "epochs": 2}] and seq["hp"][0] == {"lr": 1}
    tune_from = ("hard", "random_label")
    assert apply("tmu", "tmu", {"lr": 0.02, "hard": "random_label"}, chosen, tune_from)["lr"] == 0.01
    assert apply("tmu", "tmu", {"lr": 0.02}, chosen, tune_from)["lr"] == 0.01, "hard defaults to random_label"
