"""Each unlearning method moves a small digits model in the intended direction."""

import copy

import pytest
import torch
from conftest import MARK, capture_optimize, mark_forget

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


# --- each method's defining behaviour, seen from what it trains on ---------------------------------------------
@pytest.fixture
def marked(problem):
    model, data = problem
    return model, mark_forget(data)


def _is_forget_row(x):
    return x[:, 0, 0, 0] == MARK


def test_finetune_changes_the_weights_and_never_sees_d_f(marked):
    model, data = marked
    corners = []
    tuned = copy.deepcopy(model)
    hook = tuned.register_forward_pre_hook(lambda _, args: corners.append(args[0][:, 0, 0, 0].clone()))
    methods.get("finetune").unlearn(tuned, data, HP, seed=0)
    hook.remove()
    seen = torch.cat(corners)
    assert len(seen) == HP["epochs"] * len(data.retain_idx), "every D_r image once per epoch"
    assert torch.all(seen == seen[0]), "no D_f image (its marked corner) reached the model"
    before, after = model.state_dict(), tuned.state_dict()
    assert any(not torch.equal(before[k], after[k]) for k in before if before[k].is_floating_point())


@pytest.fixture
def ce_calls(monkeypatch):
    """The (x, y, epochs) of every cross-entropy training a method runs (the training itself still runs)."""
    from unlearn.methods import amnesiac, random_label

    calls = []
    real = random_label.cross_entropy_epochs

    def spy(model, data, x, y, hp, **kw):
        calls.append((x.clone(), y.clone(), int(hp["epochs"])))
        return real(model, data, x, y, hp, **kw)

    for module in (random_label, amnesiac):
        monkeypatch.setattr(module, "cross_entropy_epochs", spy)
    return calls


def test_random_labeling_trains_on_d_r_and_d_f_with_labels_never_the_true_ones(marked, ce_calls):
    model, data = marked
    methods.get("random_label").unlearn(copy.deepcopy(model), data, HP, seed=0)
    ((x, y, epochs),) = ce_calls
    f = _is_forget_row(x)
    assert int(f.sum()) == len(data.forget_idx) and len(x) == len(data.y) and epochs == HP["epochs"]
    assert torch.all(y[f] != 3), "every D_f image (all of class 3) relabelled to another class"
    assert len(set(y[f].tolist())) > 1, "random labels, not one fixed class"
    assert torch.equal(torch.sort(y[~f]).values, torch.sort(data.retain[1]).values), "D_r keeps its labels"


@pytest.mark.parametrize("repair_epochs", [0, 2])
def test_amnesiac_relabels_d_f_then_repairs_on_d_r(marked, ce_calls, repair_epochs):
    model, data = marked
    methods.get("amnesiac").unlearn(copy.deepcopy(model), data, {**HP, "repair_epochs": repair_epochs}, seed=0)
    assert len(ce_calls) == (2 if repair_epochs else 1)
    x, y, epochs = ce_calls[0]
    assert torch.all(_is_forget_row(x)) and len(x) == len(data.forget_idx) and torch.all(y != 3)
    assert epochs == HP["epochs"]
    if repair_epochs:
        x, y, epochs = ce_calls[1]
        assert not torch.any(_is_forget_row(x)) and torch.equal(y, data.retain[1]), "the repair uses D_r, true labels"
        assert epochs == repair_epochs


def test_bad_teacher_distils_the_original_on_d_r_and_a_random_network_on_d_f(marked, monkeypatch):
    """Before any step the student is the original model: its loss on D_r rows (competent teacher = itself) is 0,
    on D_f rows (an untrained, randomly initialised teacher) far from 0."""
    from unlearn.methods import bad_teacher

    model, data = marked
    seen = capture_optimize(monkeypatch, bad_teacher)
    student = copy.deepcopy(model).eval()
    hp = {**HP, **EXTRA["bad_teacher"]}
    bad_teacher.unlearn(student, data, hp, seed=0)
    xs, flags = zip(*seen["batches"](0), strict=True)
    x, is_forget = torch.cat(xs), torch.cat(flags)
    assert int(is_forget.sum()) == len(data.forget_idx)
    assert int((is_forget == 0).sum()) == round(hp["retain_fraction"] * len(data.retain_idx))
    with torch.no_grad():
        on_retain = float(seen["loss"]((x[is_forget == 0], is_forget[is_forget == 0])))
        on_forget = float(seen["loss"]((x[is_forget == 1], is_forget[is_forget == 1])))
    assert abs(on_retain) < 1e-5 and on_forget > 0.5, (on_retain, on_forget)
