"""Each unlearning method moves a small digits model in the intended direction."""

import copy

import pytest
import torch

from unlearn import methods
from unlearn.checkpoints import data_info
from unlearn.data import load_digits
from unlearn.loader import predict_proba
from unlearn.methods.base import UnlearnData, random_other_labels
from unlearn.training import train_from_scratch

SPEC = {"name": "smallcnn", "width": 0.5}
RECIPE = {"epochs": 4, "batch_size": 64, "lr": 0.05, "momentum": 0.9, "weight_decay": 5e-4, "schedule": "cosine"}
HP = {"epochs": 2, "batch_size": 32, "lr": 0.02, "momentum": 0.9, "weight_decay": 5e-4}
EXTRA = {
    "neggrad_plus": {"alpha": 0.9},
    "amnesiac": {"repair_epochs": 1},
    "bad_teacher": {"lr": 1e-3, "optimizer": "adam", "weight_decay": 0.0, "temperature": 1.0, "retain_fraction": 0.3},
    "neggrad": {"lr": 0.01},
}


@pytest.fixture(scope="module")
def problem():
    torch.set_num_threads(1)
    bundle = load_digits().to_tensors()
    info = data_info(bundle)
    model, _ = train_from_scratch(
        SPEC, info, bundle["train_x"], bundle["train_y"], RECIPE, seed=0, device="cpu", tag="t"
    )
    forget_idx = torch.nonzero(bundle["train_y"] == 3).flatten()
    data = UnlearnData(bundle["train_x"], bundle["train_y"], forget_idx, 10, model_spec=SPEC, info=info, recipe=RECIPE)
    return model, data


def accuracies(model, data):
    def acc(x, y):
        return (predict_proba(model, x).argmax(1) == y).float().mean().item()

    return acc(*data.forget), acc(*data.retain)


def run(name, problem):
    model, data = problem
    before = accuracies(model, data)
    hp = {**HP, **EXTRA.get(name, {})}
    after = accuracies(methods.get(name).unlearn(copy.deepcopy(model), data, hp, seed=0), data)
    return before, after


def test_registry_lists_every_module_and_rejects_unknown():
    assert {"retrain", "finetune", "neggrad", "neggrad_plus", "random_label", "amnesiac", "bad_teacher"} <= set(
        methods.available()
    )
    assert methods.required_hparams("neggrad_plus") == ("alpha",)
    with pytest.raises(ValueError, match="unknown method 'nope'; allowed: amnesiac"):
        methods.get("nope")


def test_original_model_has_learned_the_forget_class(problem):
    f, r = accuracies(*problem)
    assert f > 0.9 and r > 0.9


def test_retrain_never_sees_the_forgotten_class(problem):
    (_, _), (f, r) = run("retrain", problem)
    assert f == 0.0 and r > 0.9


def test_finetune_keeps_retain_accuracy(problem):
    (_, r0), (_, r1) = run("finetune", problem)
    assert r1 >= r0 - 0.02


@pytest.mark.parametrize("name", ["neggrad", "neggrad_plus", "random_label", "amnesiac", "bad_teacher"])
def test_forgetting_methods_lower_forget_accuracy(problem, name):
    (f0, _), (f1, r1) = run(name, problem)
    assert f1 < f0 - 0.3, f"{name}: D_f accuracy {f0:.2f} -> {f1:.2f}"
    if name != "neggrad":  # plain gradient ascent has no retain term
        assert r1 > 0.7, f"{name}: D_r accuracy collapsed to {r1:.2f}"


def test_random_other_labels_are_wrong_and_seeded():
    y = torch.arange(10).repeat(20)
    a = random_other_labels(y, 10, seed=0)
    assert torch.all(a != y) and a.min() >= 0 and a.max() < 10
    assert torch.equal(a, random_other_labels(y, 10, seed=0))
