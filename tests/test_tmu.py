"""TMU (paper 001): the twin-set size rule, each feature on a hand-built case, the easy/hard classifier,
the TMU unlearning step on a toy problem, the hold-out split, and the tables' arithmetic and claims."""

import copy
import itertools

import numpy as np
import pandas as pd
import pytest
import torch

from unlearn import tmu as plan
from unlearn.data import DatasetError, hold_out, load_digits
from unlearn.reporting import claims_markdown
from unlearn.tmu import claims as TC
from unlearn.tmu import report as R
from unlearn.tmu.classifier import fit_predict, label_accuracy, partition
from unlearn.tmu.features import (
    adversarial_feature,
    augmented_copies,
    nearest_distance,
    nearest_distance_feature,
    per_sample_loss,
    pgd,
)
from unlearn.tmu.twin import choose_twin, twin_size

CLASSIFIER = {"hidden": [64, 32], "epochs": 100, "lr": 0.01, "momentum": 0.9, "weight_decay": 5e-4}


# ---- the twin problem ----------------------------------------------------------------------------------------
def test_twin_size_keeps_the_forgetting_ratio():
    # Eq. 3: |D_t| / |D| = |D_f| / |D_r|
    assert twin_size(100, 50_000) == 100  # 100 * 50000 / 49900 = 100.2
    assert twin_size(4_000, 50_000) == 4_348  # 4000 * 50000 / 46000 = 4347.8
    assert twin_size(20, 1_238) == 20
    assert twin_size(40, 1_238) == 41  # 41.3
    for n_f, n in [(100, 50_000), (4_000, 50_000), (37, 999)]:
        t = twin_size(n_f, n)
        assert abs(t / n - n_f / (n - n_f)) <= 0.5 / n
    with pytest.raises(ValueError, match="0 < \\|D_f\\|"):
        twin_size(10, 10)


def test_twin_set_is_drawn_from_the_pool_then_filled_with_copies():
    pool = np.arange(100, 120)
    chosen, copies = choose_twin(pool, 8, seed=0)
    assert len(chosen) == 8 and len(set(chosen)) == 8 and set(chosen) <= set(pool) and not copies.any()
    assert (choose_twin(pool, 8, seed=0)[0] == chosen).all(), "deterministic in the seed"
    chosen, copies = choose_twin(pool, 30, seed=0)
    assert len(chosen) == 30 and copies.sum() == 10
    assert sorted(chosen[~copies]) == pool.tolist(), "every pool image is used once before any copy"
    assert set(chosen[copies]) <= set(pool)
    with pytest.raises(ValueError, match="holdout_per_class"):
        choose_twin(np.array([], dtype=int), 3, seed=0)


def test_augmented_copies_differ_from_their_source_and_stay_uint8():
    x = torch.randint(0, 256, (6, 1, 8, 8), dtype=torch.uint8)
    out = augmented_copies(x, {"crop_pad": 2}, seed=1)
    assert out.dtype == torch.uint8 and out.shape == x.shape
    assert (out != x).any(dim=(1, 2, 3)).sum() >= 4, "random crops move most images"
    assert torch.equal(out, augmented_copies(x, {"crop_pad": 2}, seed=1))


def test_hold_out_is_deterministic_disjoint_and_per_class():
    ds = load_digits()
    held = hold_out(ds, 20, seed=0)
    assert len(held.holdout_y) == 200 and np.bincount(held.holdout_y).tolist() == [20] * 10
    assert len(held.train_y) == len(ds.train_y) - 200
    assert len(set(held.holdout_idx.tolist())) == 200
    kept = np.setdiff1d(np.arange(len(ds.train_y)), held.holdout_idx)
    assert np.array_equal(held.train_x, ds.train_x[kept]) and np.array_equal(
        held.holdout_x, ds.train_x[held.holdout_idx]
    )
    assert np.array_equal(hold_out(ds, 20, seed=0).holdout_idx, held.holdout_idx)
    assert not np.array_equal(hold_out(ds, 20, seed=1).holdout_idx, held.holdout_idx)
    assert hold_out(ds, 0, seed=0) is ds
    with pytest.raises(DatasetError, match="holdout_per_class"):
        hold_out(ds, 500, seed=0)


# ---- features ------------------------------------------------------------------------------------------------
def test_nf_is_the_mean_of_the_k_smallest_distances():
    q = torch.tensor([[0.0, 0.0]])
    ref = torch.tensor([[3.0, 4.0], [6.0, 8.0], [0.0, 1.0]])
    assert nearest_distance(q, ref, 1).item() == pytest.approx(1.0)
    assert nearest_distance(q, ref, 2).item() == pytest.approx(3.0)  # (1 + 5) / 2
    assert nearest_distance(q, ref, 99).item() == pytest.approx(16 / 3)  # k capped at |ref|
    with pytest.raises(ValueError, match="empty"):
        nearest_distance(q, ref[:0], 1)


def test_nf_is_zero_for_a_sample_duplicated_in_the_remaining_data():
    torch.manual_seed(0)
    model = _linear_model()
    x = torch.randint(0, 256, (10, 1, 2, 2), dtype=torch.uint8)
    ref = torch.cat([x[3:4]] * 5 + [x[5:]])
    nf = nearest_distance_feature(model, x[3:4], ref, k=5)
    assert nf.item() == pytest.approx(0.0, abs=1e-6)
    assert nearest_distance_feature(model, x[:1], ref, k=5).item() > 0


class Tiny(torch.nn.Module):
    """A linear classifier on 1 x 2 x 2 images; its 'penultimate features' are the pixels."""

    def __init__(self):
        super().__init__()
        self.head = torch.nn.Linear(4, 3)

    def features(self, x):
        return x.flatten(1)

    def forward(self, x):
        return self.head(self.features(x))


def _linear_model():
    torch.manual_seed(0)
    return Tiny()


def _confident_case():
    model = _linear_model()
    with torch.no_grad():
        model.head.weight.copy_(torch.tensor([[4.0, 4.0, 0.0, 0.0], [0.0, 0.0, 4.0, 4.0], [1.0, -1.0, 1.0, -1.0]]))
        model.head.bias.zero_()
    x = torch.tensor([[[[230, 220], [30, 20]]]], dtype=torch.uint8)  # class 0 by a margin
    return model, x, torch.tensor([0])


def test_af_grows_with_the_attack_budget():
    model, x, y = _confident_case()
    values = [adversarial_feature(model, x, y, eps, steps=5).item() for eps in (0.0, 0.02, 0.1, 0.3)]
    assert all(b > a for a, b in itertools.pairwise(values)), values
    p = torch.softmax(model(x.float() / 255), 1)
    assert values[0] == pytest.approx(-(p * p.log()).sum().item(), rel=1e-5), "eps 0: CE(p, p) = entropy"


def test_pgd_stays_in_the_budget_and_the_pixel_range():
    model, x, y = _confident_case()
    x01 = x.float() / 255
    adv = pgd(model, x01, y, eps=0.1, steps=5)
    assert (adv - x01).abs().max() <= 0.1 + 1e-6 and adv.min() >= 0 and adv.max() <= 1
    loss = torch.nn.functional.cross_entropy
    assert loss(model(adv), y) > loss(model(x01), y)


def test_cf_is_the_per_sample_cross_entropy():
    model, x, _y = _confident_case()
    xs, ys = torch.cat([x, x]), torch.tensor([0, 1])
    logp = torch.log_softmax(model(x.float() / 255), 1)[0]
    assert per_sample_loss(model, xs, ys).tolist() == pytest.approx([-logp[0].item(), -logp[1].item()], rel=1e-5)


def test_cf_is_larger_for_samples_a_short_training_cannot_fit():
    from unlearn.checkpoints import data_info
    from unlearn.training import train_from_scratch

    torch.set_num_threads(1)
    bundle = load_digits().to_tensors()
    x, y = bundle["train_x"][:800], bundle["train_y"][:800].clone()
    y[:40] = (y[:40] + 1) % 10  # mislabelled: "hard" for any model
    recipe = {"epochs": 2, "batch_size": 32, "lr": 0.05, "momentum": 0.9}
    model, _ = train_from_scratch({"name": "smallcnn", "width": 0.5}, data_info(bundle), x, y, recipe,
                                  seed=0, device="cpu", tag="cf")  # fmt: skip
    cf = per_sample_loss(model, x, y)
    assert cf[:40].mean() > 2 * cf[40:].mean()


# ---- classifier ----------------------------------------------------------------------------------------------
def test_classifier_separates_a_separable_toy_set():
    rng = np.random.default_rng(0)

    def blobs(n):
        easy = rng.normal([0, 0, 0], 0.3, size=(n, 3))
        hard = rng.normal([3, 2, 4], 0.3, size=(n, 3))
        return np.vstack([easy, hard]), np.r_[np.ones(n), np.zeros(n)].astype(int)

    xt, yt = blobs(40)
    xf, yf = blobs(25)
    out = fit_predict(xt, yt, xf, CLASSIFIER, seed=0)
    assert not out["degenerate"] and out["twin_accuracy"] >= 0.95
    assert label_accuracy(out["easy"], yf) >= 0.95
    parts = partition(xt, yt, xf, CLASSIFIER, seed=0)
    assert list(parts) == ["NF+AF+CF", "NF", "AF", "CF"] and all(len(p["easy"]) == 50 for p in parts.values())


def test_one_label_twin_set_gives_a_constant_flagged_labelling():
    out = fit_predict(np.zeros((5, 3)), np.ones(5), np.zeros((4, 3)), CLASSIFIER, seed=0)
    assert out == {"easy": [1, 1, 1, 1], "twin_accuracy": 1.0, "degenerate": True}


def test_label_accuracy():
    assert label_accuracy([1, 0, 1, 1], [True, False, False, True]) == 0.75
    with pytest.raises(ValueError):
        label_accuracy([1, 0], [1, 0, 1])


# ---- TMU unlearning ------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def toy():
    from unlearn.checkpoints import data_info
    from unlearn.methods.base import UnlearnData
    from unlearn.training import train_from_scratch

    torch.set_num_threads(1)
    bundle = load_digits().to_tensors()
    info = data_info(bundle)
    spec = {"name": "smallcnn", "width": 0.5}
    recipe = {"epochs": 4, "batch_size": 64, "lr": 0.05, "momentum": 0.9, "schedule": "cosine"}
    model, _ = train_from_scratch(
        spec, info, bundle["train_x"], bundle["train_y"], recipe, seed=0, device="cpu", tag="t"
    )
    from unlearn.loader import predict_proba

    right = predict_proba(model, bundle["train_x"]).argmax(1) == bundle["train_y"]
    # D_f: 20 learned images of class 8 marked easy, 20 of class 3 marked hard (far apart, so the random
    # labels of the hard ones cannot drag the easy ones along through generalisation)
    y = bundle["train_y"]
    easy_idx = torch.nonzero((y == 8) & right).flatten()[:20]
    hard_idx = torch.nonzero((y == 3) & right).flatten()[:20]
    forget_idx, order = torch.sort(torch.cat([easy_idx, hard_idx]))
    easy = (torch.arange(40) < 20)[order]
    data = UnlearnData(bundle["train_x"], bundle["train_y"], forget_idx, 10, model_spec=spec, info=info,
                       recipe=recipe, forget_easy=easy)  # fmt: skip
    return model, data


@pytest.mark.parametrize(
    ("hard", "epochs", "lr"),
    [("random_label", 5, 0.05), ("neggrad", 2, 0.02)],  # 20 random labels among ~115 images of a class take a while
)
def test_tmu_keeps_easy_predictions_and_flips_hard_ones(toy, hard, epochs, lr):
    from unlearn import methods
    from unlearn.loader import predict_proba

    model, data = toy
    xf, yf = data.forget
    before = predict_proba(model, xf).argmax(1) == yf
    assert before.all()
    hp = {"epochs": epochs, "batch_size": 32, "lr": lr, "momentum": 0.9, "hard": hard, "alpha": 0.9}
    out = methods.get("tmu").unlearn(copy.deepcopy(model), data, hp, seed=0)
    after = predict_proba(out, xf).argmax(1) == yf
    easy = data.forget_easy
    assert after[easy].float().mean() >= 0.9, "easy samples keep their (correct) predictions"
    assert after[~easy].float().mean() <= 0.3, "hard samples are forgotten"


def test_tmu_needs_the_partition(toy):
    from unlearn import methods

    model, data = toy
    bare = copy.copy(data)
    bare.forget_easy = None
    with pytest.raises(ValueError, match="easy/hard split"):
        methods.get("tmu").unlearn(copy.deepcopy(model), bare, {"epochs": 1, "batch_size": 32, "lr": 0.01}, seed=0)


# ---- plan and reports ----------------------------------------------------------------------------------------
def test_plan_names_every_scenario_once():
    cfg = {"classes": [1, 3], "n": 20, "sweep": {"class": 3, "sizes": [10, 20, 40]}}
    assert plan.main_scenarios(cfg) == ["tmu_c1_n20", "tmu_c3_n20"]
    assert plan.sweep_scenarios(cfg) == ["tmu_c3_n10", "tmu_c3_n20", "tmu_c3_n40"]
    assert list(plan.scenarios(cfg)) == ["tmu_c1_n20", "tmu_c3_n20", "tmu_c3_n10", "tmu_c3_n40"]
    assert plan.scenarios(cfg)["tmu_c3_n40"] == {"kind": "sub_class", "class": 3, "n": 40}
    assert plan.parse_scenario("tmu_c12_n100") == (12, 100)
    assert plan.scenarios(None) == {} and plan.main_scenarios(None) == []


def test_classes_resolve_by_index_or_name():
    names = ["apple", "road", "turtle"]
    assert plan.resolve_class("road", names, "f") == 1 and plan.resolve_class(2, names, "f") == 2
    with pytest.raises(ValueError, match="f: unknown class 'rocket'"):
        plan.resolve_class("rocket", names, "f")
    with pytest.raises(ValueError, match="f: class 3 is out of range"):
        plan.resolve_class(3, names, "f")


def _records():
    rows = []
    # two classes, one seed; gold keeps 80/90 % of D_f; TMU is closest, Random Labeling drives D_f to 0
    for cls, gold in ((1, 0.8), (3, 0.9)):
        for m, acc_f, acc_t in (("retrain", gold, 0.95), ("finetune", 1.0, 0.96), ("neggrad", 0.3, 0.93),
                                ("random_label", 0.0, 0.95), ("bad_teacher", gold - 0.15, 0.90),
                                ("tmu", gold + 0.05, 0.94)):  # fmt: skip
            rows.append({"scenario": f"tmu_c{cls}_n20", "seed": 0, "method": m, "acc_test": acc_t,
                         "acc_forget": acc_f, "delta_forget": 100 * abs(acc_f - gold),
                         "activation_distance": {"tmu": 0.1, "bad_teacher": 0.3}.get(m, 0.5)})  # fmt: skip
    return pd.DataFrame(rows)


def _paper(name):
    from conftest import REPO

    return R.load_paper(REPO / f"paper_values/{name}.csv")


def test_main_table_averages_classes_and_shows_the_paper_where_it_applies():
    methods = ["retrain", "finetune", "neggrad", "random_label", "bad_teacher", "tmu"]
    names = [str(c) for c in range(10)]
    csv, disp, note = R.main_table(_records(), methods, names, "cifar10", _paper("tmu_table1"), "tmu_table1")
    avg = csv[csv["class"] == "avg"].iloc[0]
    assert avg["retrain_acc_forget"] == pytest.approx(85.0) and avg["tmu_delta"] == pytest.approx(5.0)
    assert avg["bad_teacher_delta"] == pytest.approx(15.0)
    row1 = disp.iloc[0]
    assert row1["Gold Acc_Df"] == "80.0 (97)", "class 1: ours (paper)"
    assert row1["Fine-tuning Δ"].endswith("*") and "derived" in note, "the paper prints no FT Δ"
    assert disp.iloc[-1]["Forget class"].startswith("Avg, paper") and disp.iloc[-1]["TMU Δ"] == "4.2"
    _, disp_digits, _ = R.main_table(_records(), methods, names, "digits", _paper("tmu_table1"), "tmu_table1")
    assert disp_digits.iloc[0]["Gold Acc_Df"] == "80.0", "no per-class paper numbers on another dataset"


def _seeded_records(tmu_gap):
    """Three seeds of two classes; TMU's D_f accuracy sits `tmu_gap` (a fraction) above the gold model's, with a
    per-seed wobble, Bad Teacher 0.15 below; activation distances TMU 0.1, Bad Teacher 0.3, the rest 0.5."""
    rows = []
    for seed, wobble in zip((0, 1, 2), (0.0, 0.01, -0.01), strict=True):
        for r in _records().to_dict("records"):
            r = {**r, "seed": seed}
            gold = 0.8 if r["scenario"] == "tmu_c1_n20" else 0.9
            if r["method"] == "tmu":
                r["acc_forget"] = gold + tmu_gap + wobble
                r["delta_forget"] = 100 * abs(r["acc_forget"] - gold)
            rows.append(r)
    return pd.DataFrame(rows)


def _label_long(tmu_acc, bt_acc, seeds=(0, 1, 2)):
    rows = []
    for seed in seeds:
        for n, (t, b) in zip((10, 40), zip(tmu_acc, bt_acc, strict=True), strict=True):
            t = t + seed  # a small per-seed spread so that intervals have a width
            for src, v in (("NF+AF+CF", t), ("NF", t - 5), ("AF", t - 6), ("CF", t - 1), ("tmu_model", t),
                           ("bad_teacher_model", b), ("all_easy", 70.0)):  # fmt: skip
                base = {"scenario": f"tmu_c3_n{n}", "seed": seed, "class": 3, "n": n, "gold_easy": 7}
                twin = {"twin_size": 10, "twin_hard": 2, "one_label_twin": False}
                rows.append({**base, **twin, "source": src, "label_acc": v, "predicted_easy": 5})
    return pd.DataFrame(rows)


@pytest.mark.parametrize(
    ("tmu_gap", "tmu_acc", "bt_acc", "delta_verdict", "fig_verdict"),
    [(0.05, (90, 80), (85, 70), "held", "held"), (0.30, (80, 85), (85, 70), "not held", "not held")],
)
def test_claims_follow_the_numbers(tmu_gap, tmu_acc, bt_acc, delta_verdict, fig_verdict):
    paper = {n: _paper(n) for n in ("tmu_table1", "tmu_table3", "tmu_table4")}
    labels = _label_long(tmu_acc, bt_acc)
    rows = TC.claims(_seeded_records(tmu_gap), labels[labels["n"] == 10], labels, paper, "tmu_table1")
    verdict = {c.id: c.judgement.verdict for c in rows}
    # TMU's Δ 5 pts (or 30) vs Bad Teacher's 15 on every seed
    assert verdict["tmu.delta_vs_bad_teacher"] == delta_verdict
    assert verdict["tmu.ad_smallest"] == "held"
    assert verdict["tmu.rl_zero"] == "held" and verdict["tmu.ft_keeps"] == "held"
    assert verdict["tmu.test_vs_bad_teacher"] == "held"  # 94% vs 90% on every seed
    assert verdict["tmu.cf_best_single"] == "held" and verdict["tmu.complementary"] == "held"
    assert verdict["tmu.fig3_vs_bad_teacher"] == fig_verdict
    assert verdict["tmu.avg_acc_forget.tmu"] == "—", "headline numbers are shown, not judged"
    ours = {c.id: c.ours for c in rows}
    assert ours["tmu.delta_vs_bad_teacher"] == f"{100 * tmu_gap:.1f} vs 15.0"
    scale = {"dataset": "digits", "model": {"name": "smallcnn"}, "epochs": 3, "seeds": [0, 1, 2], "n": 20, "classes": 2}
    text = claims_markdown(rows, title=TC.CLAIMS_TITLE, why=TC.WHY, scale=TC.claims_scale(scale), regime="Regime: x",
                           note=TC.claims_note(0.0))  # fmt: skip
    assert "Scale: dataset digits" in text and "Regime: x" in text and ": 0% of the (class, seed) runs" in text
    assert "Forget classes: 2, |D_f| = 20 per class." in text


def test_claims_with_one_seed_are_inconclusive():
    paper = {n: _paper(n) for n in ("tmu_table1", "tmu_table3", "tmu_table4")}
    labels = _label_long((90, 80), (85, 70), seeds=(0,))
    rows = TC.claims(_records(), labels[labels["n"] == 10], labels, paper, "tmu_table1")
    verdict = {c.id: c.judgement.verdict for c in rows}
    assert verdict["tmu.delta_vs_bad_teacher"] == "inconclusive", "a comparison needs 3 seeds"
    assert verdict["tmu.rl_zero"] == "inconclusive", "a level claim too needs 3 seeds (the printed rule)"


def test_fig3_frame_reports_the_share_of_augmented_copies_per_size():
    """Two sizes, two seeds: label accuracy mean/std per (n, source) and the twin set's copy share per size."""
    rows = [
        {"n": 100, "source": "NF+AF+CF", "label_acc": 80.0, "twin_copy_share": 0.0},
        {"n": 100, "source": "NF+AF+CF", "label_acc": 90.0, "twin_copy_share": 0.0},
        {"n": 4000, "source": "NF+AF+CF", "label_acc": 60.0, "twin_copy_share": 4118 / 4368},
        {"n": 4000, "source": "NF+AF+CF", "label_acc": 70.0, "twin_copy_share": 4118 / 4368},
    ]
    frame = R.fig3_frame(pd.DataFrame(rows))
    assert frame["label_acc_mean"].tolist() == [85.0, 65.0]
    assert frame["n_seeds"].tolist() == [2, 2]
    assert frame["twin_copy_share"].round(4).tolist() == [0.0, 0.9428]


def test_eq3_twin_set_at_paper_scale_needs_copies_beyond_the_hold_out():
    """CIFAR-10, 250 held out per class (|D| = 47,500): n = 100 needs 100 real images (no copies); the Fig. 3
    end point n = 4,000 needs |D_t| = 4,368, of which 4,118 (94%) are copies."""
    from unlearn.tmu.twin import choose_twin, twin_size

    assert twin_size(100, 47_500) == 100
    assert twin_size(4_000, 47_500) == 4_368
    _, copies = choose_twin(np.arange(250), twin_size(4_000, 47_500), seed=0)
    assert int(copies.sum()) == 4_118


@pytest.mark.parametrize(("twin_easy", "one_label"), [(3, False), (0, True), (4, True)])
def test_label_records_score_each_source_against_the_gold_models_correctness(twin_easy, one_label):
    """D_f = 4 images of class 1; the gold model gets the first three right. Each labelling's accuracy is the share of
    D_f whose easy/hard label matches that, by hand."""
    train_y = np.array([0, 1, 1, 1, 1, 0])
    forget = {"scenario": "tmu_c1_n4", "seed": 0, "indices": [1, 2, 3, 4]}
    gold = np.eye(2)[[0, 1, 1, 1, 0, 0]]  # right on images 1, 2, 3 (D_f positions 0, 1, 2)
    easy = {"NF+AF+CF": [True, True, False, False], "NF": [True, True, True, True], "AF": [False] * 4,
            "CF": [True, False, True, False]}  # fmt: skip
    part = {"scenario": "tmu_c1_n4", "seed": 0, "forget_idx": [1, 2, 3, 4], "twin_size": 4, "twin_easy": twin_easy,
            "twin_copies": 1, "feature_sets": {k: {"easy": v} for k, v in easy.items()}}  # fmt: skip
    tmu_model = np.eye(2)[[0, 0, 1, 1, 1, 0]]  # right on D_f positions 1, 2, 3
    labels = R.label_records([part], [forget], [gold], train_y, {"tmu": [tmu_model]}).set_index("source")
    assert labels["label_acc"].to_dict() == {"NF+AF+CF": 75.0, "NF": 75.0, "AF": 25.0, "CF": 75.0,
                                             "tmu_model": 50.0, "all_easy": 75.0}  # fmt: skip
    assert labels.loc["tmu_model", "predicted_easy"] == 3 and labels.loc["all_easy", "predicted_easy"] == 4
    assert (labels["gold_easy"] == 3).all() and (labels["class"] == 1).all() and (labels["n"] == 4).all()
    assert (labels["twin_copy_share"] == 0.25).all() and (labels["twin_hard"] == 4 - twin_easy).all()
    assert (labels["one_label_twin"] == one_label).all()


def _with_original(records):
    """The original model's rows (D_f accuracy 100%, MIA not measured) beside every (class, seed)."""
    originals = records[records["method"] == "retrain"].assign(method="original", acc_forget=1.0, acc_test=0.96)
    return pd.concat([records, originals], ignore_index=True)


@pytest.mark.parametrize(("tmu_test", "verdict"), [(0.94, "held"), (0.90, "not held")])
def test_accuracy_kept_claim_follows_the_numbers(tmu_test, verdict):
    """Gold 95% on D_test; TMU 94% (1 point below: within 2) or 90% (5 below) on every seed."""
    paper = {n: _paper(n) for n in ("tmu_table1", "tmu_table3", "tmu_table4")}
    labels = _label_long((90, 80), (85, 70))
    records = _seeded_records(0.05)
    records.loc[records["method"] == "tmu", "acc_test"] = tmu_test
    rows = {c.id: c for c in TC.claims(records, labels[labels["n"] == 10], labels, paper, "tmu_table1")}
    kept = rows["tmu.test_kept"]
    assert kept.judgement.verdict == verdict and kept.judgement.mean == pytest.approx(100 * (0.95 - tmu_test))
    assert kept.paper_value.startswith("TMU ") and "vs gold 85.31" in kept.paper_value


def test_a_baseline_that_did_not_unlearn_makes_its_comparisons_vacuous():
    """Fine-tuning keeps D_f at 100% like the original while the gold model keeps 80-90%: it did not unlearn, so
    "TMU's Δ is smallest" sets that part aside, and the table marks it."""
    paper = {n: _paper(n) for n in ("tmu_table1", "tmu_table3", "tmu_table4")}
    labels = _label_long((90, 80), (85, 70))
    records = _with_original(_seeded_records(0.05))
    rows = {c.id: c for c in TC.claims(records, labels[labels["n"] == 10], labels, paper, "tmu_table1")}
    smallest = rows["tmu.delta_smallest"].judgement
    assert smallest.verdict == "held" and "1 vacuous part(s) set aside: Fine-tuning did not unlearn" in smallest.basis
    assert rows["tmu.delta_vs_bad_teacher"].judgement.verdict == "held", "Bad Teacher moved 15 points: not a no-op"
    assert rows["tmu.ft_keeps"].judgement.verdict == "held", "a claim *about* fine-tuning's staying put is judged"
    methods = ["retrain", "finetune", "neggrad", "random_label", "bad_teacher", "tmu"]
    names = [str(c) for c in range(10)]
    csv, disp, note = R.main_table(records, methods, names, "cifar10", paper["tmu_table1"], "tmu_table1")
    assert "Fine-tuning (did not unlearn) Acc_Df" in disp.columns and "Negative Gradient Acc_Df" in disp.columns
    assert "(did not unlearn)" in note and "within 2 points" in note
    assert csv.set_index("class").loc["avg", "finetune_did_not_unlearn"].startswith("D_f accuracy 100.0%")
