"""SMU (paper 000) and SSD: the label permutation, the concentration subset, each method moving a small digits
model the intended way, the dispersion measure, and the tables' and claims' verdicts following the numbers."""

import copy

import numpy as np
import pandas as pd
import pytest
import torch
from conftest import MARK, REPO, capture_optimize, mark_forget

from unlearn.checkpoints import data_info
from unlearn.data import load_digits
from unlearn.loader import predict_proba
from unlearn.methods import smu, ssd
from unlearn.methods.base import UnlearnData
from unlearn.reporting import claims_markdown
from unlearn.smu import methods as smu_methods
from unlearn.smu import settings
from unlearn.smu.dispersion import sample, view_dispersion
from unlearn.smu.report import (
    CLAIMS_NOTE,
    CLAIMS_TITLE,
    WHY,
    claims,
    claims_scale,
    dispersion_gap,
    load_paper,
    setting_table,
)
from unlearn.training import train_from_scratch

SPEC = {"name": "smallcnn", "width": 0.5}
AUGMENT = {"crop_pad": 1}
RECIPE = {"epochs": 4, "batch_size": 64, "lr": 0.05, "momentum": 0.9, "weight_decay": 5e-4, "schedule": "cosine"}
SMU_HP = {"epochs": 3, "lr": 1e-4, "momentum": 0.9, "weight_decay": 1e-4, "batch_size": 64, "ce_weight": 1.0}


@pytest.fixture(scope="module")
def problem():
    torch.set_num_threads(1)
    bundle = load_digits().to_tensors()
    info = data_info(bundle)
    recipe = {**RECIPE, "augment": AUGMENT}
    model, _ = train_from_scratch(
        SPEC, info, bundle["train_x"], bundle["train_y"], recipe, seed=0, device="cpu", tag="t"
    )
    forget_idx = torch.nonzero(bundle["train_y"] == 3).flatten()
    data = UnlearnData(
        bundle["train_x"], bundle["train_y"], forget_idx, 10, augment=AUGMENT, model_spec=SPEC, info=info, recipe=recipe
    )
    return model, data


def acc(model, x, y):
    return (predict_proba(model, x).argmax(1) == y).float().mean().item()


def test_forget_rates_per_class():
    y = torch.tensor([0, 0, 0, 0, 1, 1, 2])
    rates = smu.forget_rates(y, torch.tensor([0, 1, 4, 5]), 4)
    assert rates.tolist() == [0.5, 1.0, 0.0, 0.0]


def test_permuted_labels_follow_the_forget_rate():
    gen = torch.Generator().manual_seed(0)
    y = torch.tensor([0] * 4000 + [1] * 4000 + [2] * 4000)
    out = smu.permuted_labels(y, torch.tensor([1.0, 0.0, 0.5]), 3, gen)
    assert (out[:4000] != 0).all(), "a fully forgotten class never keeps its label"
    assert (out[4000:8000] == 1).all(), "a class with nothing forgotten always keeps it"
    kept = (out[8000:] == 2).float().mean().item()
    assert 0.46 < kept < 0.54
    assert set(out[8000:][out[8000:] != 2].tolist()) == {0, 1}, "a changed label is uniform over the other classes"
    again = smu.permuted_labels(y, torch.tensor([1.0, 0.0, 0.5]), 3, torch.Generator().manual_seed(0))
    assert torch.equal(out, again)


def test_concentration_subset_is_fixed_and_drawn_from_the_retain_set():
    retain = torch.arange(100, 400)
    a, b = smu.concentration_subset(retain, 50, seed=3), smu.concentration_subset(retain, 50, seed=3)
    assert torch.equal(a, b) and len(a) == 50 and len(set(a.tolist())) == 50
    assert set(a.tolist()) <= set(retain.tolist())
    assert len(smu.concentration_subset(retain, 1000, seed=0)) == 300


def test_predictor_shape_and_no_bias():
    head = smu.predictor(10, 64)
    assert [type(m).__name__ for m in head] == ["Linear", "BatchNorm1d", "ReLU", "Linear"]
    assert head[0].bias is None and head[3].bias is None and head(torch.randn(5, 10)).shape == (5, 10)


def test_smu_forgets_the_class_and_keeps_batchnorm_statistics(problem):
    model, data = problem
    assert acc(model, *data.forget) > 0.9
    before = copy.deepcopy(model.state_dict())
    out = smu.unlearn(copy.deepcopy(model), data, SMU_HP, seed=0)
    assert acc(out, *data.forget) < 0.2
    assert acc(out, *data.retain) > 0.6
    after = out.state_dict()
    assert set(after) == set(before), "the predictor is not part of the unlearned model"
    stats = [k for k in before if "running_" in k]
    assert stats and all(torch.equal(before[k], after[k]) for k in stats), "backbone BatchNorm is frozen"
    assert any(not torch.equal(before[k], after[k]) for k in before if k.endswith("weight"))


def test_smu_disperses_the_forget_views_more_than_the_retain_views(problem):
    """The paper's premise as an outcome: after SMU, D_f's two views are further apart than before and than D_r's."""
    model, data = problem
    xf, xr = data.forget[0][:200], data.retain[0][:200]
    out = smu.unlearn(copy.deepcopy(model), data, SMU_HP, seed=0)
    before = view_dispersion(model, xf, AUGMENT, pairs=2, seed=0)[0].mean()
    after_f = view_dispersion(out, xf, AUGMENT, pairs=2, seed=0)[0].mean()
    after_r = view_dispersion(out, xr, AUGMENT, pairs=2, seed=0)[0].mean()
    assert after_f > 1.5 * before and after_f > 1.5 * after_r


def test_view_dispersion_is_zero_without_augmentation(problem):
    model, data = problem
    cos, l2 = view_dispersion(model, data.forget[0][:30], {}, pairs=2, seed=0)
    assert np.allclose(cos, 0, atol=1e-6) and np.allclose(l2, 0, atol=1e-5)
    cos, _ = view_dispersion(model, data.forget[0][:30], AUGMENT, pairs=2, seed=0)
    assert (cos > 0).any()
    assert len(sample(np.arange(10), 20, 0)) == 10 and list(sample(np.arange(100), 5, 0)) == sorted(
        sample(np.arange(100), 5, 0)
    )


def test_ssd_dampens_only_the_selected_weights():
    model = torch.nn.Linear(2, 1, bias=False)
    with torch.no_grad():
        model.weight.copy_(torch.tensor([[2.0, 3.0]]))
    forget_imp = {"weight": torch.tensor([[50.0, 5.0]])}
    full_imp = {"weight": torch.tensor([[1.0, 1.0]])}
    counts = ssd.dampen(model, forget_imp, full_imp, dampening=1.0, selection=10.0)
    # weight 0: 50 > 10 * 1, so it is scaled by min(1 * 1 / 50, 1); weight 1: 5 <= 10, untouched
    assert model.weight.flatten().tolist() == pytest.approx([2.0 / 50, 3.0]) and counts == {"selected": 1, "total": 2}
    ssd.dampen(model, {"weight": torch.tensor([[50.0, 5.0]])}, {"weight": torch.tensor([[100.0, 1.0]])}, 200.0, 0.1)
    assert model.weight.flatten().tolist() == pytest.approx([2.0 / 50, 3.0]), "beta is capped at 1: no weight grows"


def test_ssd_lowers_forget_accuracy_without_training(problem):
    model, data = problem
    out = ssd.unlearn(copy.deepcopy(model), data, {"batch_size": 64, "dampening": 1.0, "selection": 10.0}, seed=0)
    assert acc(out, *data.forget) < 0.5
    for p0, p1 in zip(model.parameters(), out.parameters(), strict=True):
        assert (p1.abs() <= p0.abs() + 1e-7).all()


# ---- plan, tables and claims -----------------------------------------------------------------------------------
CFG = {"scenarios": {"random": "rnd", "fullclass": "fc"}, "baselines": ["finetune", "ssd"]}


def test_plan_orders_settings_and_methods():
    assert settings(CFG) == {"fullclass": "fc", "random": "rnd"}
    assert smu_methods(CFG) == ["retrain", "original", "finetune", "ssd", "smu"]
    assert settings(None) == {} and smu_methods(None) == []


def records(smu_mia: float, smu_retain: float) -> pd.DataFrame:
    rows = []
    values = {  # method: (acc_forget, acc_retain, mia_entropy, tow, seconds)
        "retrain": (0.0, 0.99, 0.01, 1.0, 10.0),
        "original": (1.0, 0.99, 0.7, 0.0, float("nan")),
        "finetune": (0.9, 0.99, 0.3, 0.1, 2.0),
        "ssd": (0.0, 0.5, 0.4, 0.5, 0.5),
        "smu": (0.0, smu_retain, smu_mia, 0.9, 1.0),
    }
    for seed, wobble in zip((0, 1, 2), (0.0, 0.002, -0.002), strict=True):
        for m, (f, r, mia, tow, sec) in values.items():
            mia, tow = max(0.0, mia + wobble), tow + wobble
            row = {"scenario": "fc", "seed": seed, "method": m, "acc_forget": f, "acc_retain": r, "acc_test": 0.9,
                   "mia_entropy": mia, "mia_entropy_gap": abs(mia - 0.01), "tow": tow, "seconds": sec}  # fmt: skip
            rows.append(row)
    long = pd.DataFrame(rows)
    for col in ("acc_test_forgotten", "acc_test_remaining", "delta_forget", "activation_distance", "mia_efficacy",
                "mia_gap", "tow_mia"):  # fmt: skip
        long[col] = 0.5
    return long


PAPER = pd.DataFrame(
    [
        {"dataset": "cifar10", "model": "unstated", "scenario": "fullclass", "method": "smu", "metric": "acc_forget",
         "value": 0.01, "unit": "percent"},
        {"dataset": "cifar10", "model": "unstated", "scenario": "fullclass", "method": "smu", "metric": "mia_entropy",
         "value": 0.0, "unit": "fraction"},
    ]
)  # fmt: skip
SCALE = {
    "dataset": "digits",
    "model": {"name": "smallcnn"},
    "epochs": 3,
    "seeds": [0, 1, 2],
    "scenarios": {"fullclass": "fc"},
}
METHODS = ["retrain", "original", "finetune", "ssd", "smu"]


def test_setting_table_has_speedup_and_the_paper_row():
    agg, display = setting_table(records(0.0, 0.99), "fullclass", "fc", METHODS, PAPER)
    assert agg["method"].tolist() == [*METHODS, "smu_paper"]
    ours = agg.set_index("method")
    assert ours.loc["smu", "speedup_mean"] == pytest.approx(10.0) and np.isnan(ours.loc["retrain", "speedup_mean"])
    assert ours.loc["smu_paper", "acc_forget_mean"] == pytest.approx(0.0001)
    assert display["Method"].iloc[-1] == "SMU — paper (dataset cifar10, model unstated)"
    assert display["Acc D_f (%)"].iloc[-1] == "0.01"


@pytest.mark.parametrize(
    ("mia", "retain", "mia_verdict", "retain_verdict", "beats_finetune"),
    [(0.0, 0.99, "held", "held", "held"), (0.35, 0.80, "not held", "not held", "not held")],
)
def test_claims_follow_the_numbers(mia, retain, mia_verdict, retain_verdict, beats_finetune):
    paper = load_paper([REPO / "paper_values/smu_fullclass.csv"])
    rows = claims(records(mia, retain), {"fullclass": "fc"}, METHODS, paper)
    verdict = {c.id: c.judgement.verdict for c in rows}
    said = {c.id: c.paper_value for c in rows}  # the paper's numbers, read from paper_values/
    assert said["smu.dr_kept.fullclass"] == "99.98% (CIFAR-10 full-class)" and said["smu.df_zero.fullclass"] == "0.01%"
    assert said["smu.mia_zero.fullclass"] == said["smu.number.mia.fullclass"] == "0.00"
    unstated = {c.id: c.paper_value for c in claims(records(mia, retain), {"fullclass": "fc"}, METHODS, paper.iloc[:0])}
    assert unstated["smu.mia_zero.fullclass"] == "–"
    assert verdict["smu.mia_zero.fullclass"] == mia_verdict
    assert verdict["smu.dr_kept.fullclass"] == retain_verdict
    assert verdict["smu.df_zero.fullclass"] == "held", "D_f accuracy 0 in full-class"
    # SMU's ToW 0.9 vs Finetune's 0.1 on every seed; its MIA gap (0.01 or 0.34) vs Finetune's 0.29
    assert verdict["smu.beats.fullclass.finetune"] == beats_finetune
    assert verdict["smu.beats.fullclass.ssd"] == "held", "ToW 0.9 vs 0.5 and a gap below SSD's 0.39 either way"
    text = claims_markdown(rows, title=CLAIMS_TITLE, why=WHY, scale=claims_scale(SCALE), regime="Regime: x",
                           note=CLAIMS_NOTE)  # fmt: skip
    assert text.startswith(f"# {CLAIMS_TITLE}\n\n{claims_scale(SCALE)}\n\nRegime: x\n\n{CLAIMS_NOTE}\n\n")
    assert "Scale: dataset digits" in text and text.endswith(f"Why we may differ from the paper: {WHY}\n")


def test_smu_vaporizes_d_f_and_concentrates_on_a_retain_subset(problem, monkeypatch):
    """SMU's two steps, read from its loss before any update (identical views: no augmentation; CE weight 0): the
    vaporization loss on a batch is +L_sim (similarity pushed down), the concentration loss on the same batch is
    -L_sim; the vaporization batches are D_f, the concentration batches come from D_r only (D_f images marked)."""
    model, data = problem
    seen = capture_optimize(monkeypatch, smu)
    hp = {**SMU_HP, "ce_weight": 0.0, "augment": {"crop_pad": 0}, "retain_subset": 60}
    smu.unlearn(copy.deepcopy(model), mark_forget(data), hp, seed=0)
    steps = list(seen["batches"](0))
    assert [kind for kind, _ in steps] == ["kv", "kc"] * (len(steps) // 2)
    mark = MARK / 255  # the marked pixel as the model sees it (images in [0, 1])
    kv = torch.cat([xb[:, 0, 0, 0] for kind, (xb, _) in steps if kind == "kv"])
    kc = torch.cat([xb[:, 0, 0, 0] for kind, (xb, _) in steps if kind == "kc"])
    assert len(kv) == len(data.forget_idx) and torch.all(kv == mark), "vaporization sees D_f, all of it"
    assert not torch.any(kc == mark), "concentration never sees D_f"
    batch = steps[0][1]
    with torch.no_grad():
        vaporize, concentrate = float(seen["loss"](("kv", batch))), float(seen["loss"](("kc", batch)))
        sim = float(seen["model"].views(batch[0], batch[0])[0])  # L_sim of two identical views
    assert abs(sim) > 1e-3 and vaporize == pytest.approx(sim, rel=1e-5) and concentrate == pytest.approx(-sim, rel=1e-5)


def _dispersion(forget, retain):
    """The gold model's per-sample dispersion on D_f and D_r of the full-class setting, 3 seeds x 2 samples."""
    rows = [{"setting": "fullclass", "scenario": "fc", "seed": s, "model": "retrain", "group": g, "index": i,
             "cosine": v + 0.01 * s + 0.001 * i, "l2": 1.0}
            for s in (0, 1, 2) for g, v in (("forget", forget), ("retain", retain)) for i in (0, 1)]  # fmt: skip
    return pd.DataFrame(rows)


@pytest.mark.parametrize(("forget", "retain", "verdict"), [(0.6, 0.4, "held"), (0.4, 0.6, "not held")])
def test_the_premise_claim_follows_the_measured_dispersion(forget, retain, verdict):
    rows = {
        c.id: c for c in claims(records(0.0, 0.99), {"fullclass": "fc"}, METHODS, PAPER, _dispersion(forget, retain))
    }
    premise = rows["smu.premise.fullclass"].judgement
    assert premise.verdict == verdict and premise.mean == pytest.approx(forget - retain)
    assert dispersion_gap(_dispersion(forget, retain), "fullclass").tolist() == pytest.approx([forget - retain] * 3)
    no_data = {c.id: c for c in claims(records(0.0, 0.99), {"fullclass": "fc"}, METHODS, PAPER)}
    assert no_data["smu.premise.fullclass"].judgement.verdict == "not tested"


def test_a_baseline_that_did_not_unlearn_is_marked_and_not_beaten():
    """Finetune keeps 99% of the forgotten class (the original 100%, the gold model 0%): it did nothing."""
    long = records(0.0, 0.99)
    long.loc[long["method"] == "finetune", "acc_forget"] = 0.99
    rows = {c.id: c for c in claims(long, {"fullclass": "fc"}, METHODS, PAPER)}
    beats = rows["smu.beats.fullclass.finetune"].judgement
    assert beats.verdict == "vacuous" and beats.basis.startswith(
        "vacuous: finetune did not unlearn (D_f accuracy 99.0%"
    )
    assert rows["smu.beats.fullclass.ssd"].judgement.verdict == "held", "SSD moved D_f to 0: a real comparison"
    agg, display = setting_table(long, "fullclass", "fc", METHODS, PAPER)
    assert display["Method"].tolist()[:4] == ["Retrain", "Original", "Finetune (did not unlearn)", "SSD"]
    assert agg.set_index("method").loc["ssd", "did_not_unlearn"] == ""
