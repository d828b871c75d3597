"""RUM (paper 002): entanglement score, ES and memorization partitions, the memorization estimator (on real
training of a tiny model), the new methods' direction of movement, and sequences applied in order."""

import copy

import numpy as np
import pandas as pd
import pytest
import torch
from conftest import REPO, capture_optimize, mark_forget

from unlearn import methods
from unlearn import rum as plan
from unlearn.checkpoints import data_info
from unlearn.data import load_digits
from unlearn.loader import predict_proba
from unlearn.methods import l1_sparse
from unlearn.methods.base import UnlearnData
from unlearn.methods.l1_sparse import l1_norm
from unlearn.methods.salun import _global_mask, rum_code_mask, saliency_mask
from unlearn.rum import report
from unlearn.rum.entanglement import entanglement_score, es_forget_sets, es_groups, pca_2d
from unlearn.rum.memorization import (
    confidence_proxy,
    feldman_zhang,
    memorization_sets,
    shuffled_parts,
    spearman,
    subset_mask,
)
from unlearn.rum.sequence import run_sequence
from unlearn.rum.subset_models import train_subset_model
from unlearn.training import train_from_scratch

# --- entanglement ----------------------------------------------------------------------------------------------


def test_es_on_a_hand_computed_case():
    # R = {(0,0), (2,0)}, S = {(10,0), (12,0)}: within = 1 + 1, means (1,0), (11,0), mu = (6,0): between = (25+25)/2
    emb = np.array([[0.0, 0.0], [2.0, 0.0], [10.0, 0.0], [12.0, 0.0]])
    assert entanglement_score(emb, [2, 3]) == pytest.approx(2 / 25)


def test_tight_far_clusters_have_low_es_and_overlapping_ones_high():
    rng = np.random.default_rng(0)
    a, b = rng.normal(0, 0.1, (200, 4)), rng.normal(0, 0.1, (50, 4))
    far = entanglement_score(np.concatenate([a, b + 10.0]), np.arange(200, 250))
    overlapping = entanglement_score(np.concatenate([a, b + 0.05]), np.arange(200, 250))
    assert far < 0.01 < 10 < overlapping


def test_es_partitions_take_the_first_n_of_the_picked_distance_groups():
    rng = np.random.default_rng(1)
    emb = rng.normal(size=(300, 3))
    groups = es_groups(emb, 15)
    assert [len(g) for g in groups] == [20] * 15
    dist = ((emb - emb.mean(0)) ** 2).sum(1)
    assert all(dist[groups[i]].max() <= dist[groups[i + 1]].min() for i in range(14)), "groups ordered by distance"
    sets = es_forget_sets(emb, 15, [3, 12, 14], 8)
    assert [len(sets[lv]) for lv in plan.LEVELS] == [8, 8, 8]
    for level, g in zip(plan.LEVELS, (3, 12, 14), strict=True):
        assert set(sets[level]) == set(groups[g][:8].tolist())
    with pytest.raises(ValueError, match="fewer than n=21"):
        es_forget_sets(emb, 15, [3, 12, 14], 21)


def test_pca_projection_is_two_dimensional_and_centred():
    emb = np.random.default_rng(2).normal(size=(50, 6))
    out = pca_2d(emb)
    assert out.shape == (50, 2) and np.allclose(out.mean(0), 0, atol=1e-9)
    assert out[:, 0].var() >= out[:, 1].var()


# --- memorization ----------------------------------------------------------------------------------------------


def test_feldman_zhang_on_a_hand_computed_case():
    in_mask = np.array([[1, 1, 0], [1, 0, 1], [0, 1, 1], [0, 0, 1]], dtype=bool)
    correct = np.array([[1, 1, 1], [1, 0, 1], [0, 1, 1], [0, 1, 1]], dtype=bool)
    mem = feldman_zhang(in_mask, correct)
    # sample 0: in 2 models (both right), out of 2 (both wrong) -> 1; sample 1: in 2 (right), out 2 (1 of 2) -> 0.5;
    # sample 2: always right -> 0
    assert mem.tolist() == [1.0, 0.5, 0.0]
    assert np.isnan(feldman_zhang(np.ones((2, 1), bool), np.ones((2, 1), bool)))[0]
    assert confidence_proxy(in_mask, np.full(in_mask.shape, 0.25)).tolist() == [0.25, 0.25, 0.25]


def test_memorization_sets_are_disjoint_extremes_and_the_middle():
    scores = np.array([0.9, 0.0, 0.5, 0.45, 1.0, -0.1, np.nan, 0.2, 0.55, 0.05])
    sets = memorization_sets(scores, 2)
    assert sets["high"].tolist() == [0, 4] and sets["low"].tolist() == [1, 5]
    assert sets["medium"].tolist() == [2, 3]  # 0.5 and 0.45, the nearest to 0.5 once high and low are taken
    assert 6 not in np.concatenate(list(sets.values()))
    with pytest.raises(ValueError, match="need 3 x n"):
        memorization_sets(scores, 4)


def test_shuffled_parts_partition_the_forget_set():
    parts = shuffled_parts(np.arange(10, 40), 3, seed=0)
    assert [len(p) for p in parts] == [10, 10, 10]
    assert sorted(np.concatenate(parts).tolist()) == list(range(10, 40))
    assert not all((p == np.arange(10, 40)[i * 10 : (i + 1) * 10]).all() for i, p in enumerate(parts))
    assert spearman([1, 2, 3, 4], [10, 20, 30, 40]) == pytest.approx(1.0)


def test_subset_masks_are_seeded_and_sized():
    a, b = subset_mask(100, 0, 0.7), subset_mask(100, 1, 0.7)
    assert a.sum() == b.sum() == 70 and (a != b).any() and (subset_mask(100, 0, 0.7) == a).all()


def test_a_mislabelled_point_scores_high_memorization():
    """Real training: two classes of 8x8 images (dark vs bright); one dark image, with a bright corner no other
    image has, labelled bright. Models that trained on it learn its label from the corner, models that did not
    call it dark: mem ~ 1; the clean points ~ 0."""
    torch.manual_seed(0)
    gen = torch.Generator().manual_seed(0)
    n = 60
    y = torch.arange(n) % 2
    x = (y[:, None, None, None] * 150 + 40 + torch.randint(0, 40, (n, 1, 8, 8), generator=gen)).to(torch.uint8)
    y[0] = 1  # sample 0 is dark: its label is wrong ...
    x[0, 0, :3, :3] = 255  # ... and it is atypical: only seeing it tells a model its label
    info = {"in_channels": 1, "image_size": 8, "num_classes": 2, "mean": [0.5], "std": [0.25]}
    recipe = {"epochs": 30, "batch_size": 16, "lr": 0.05, "momentum": 0.9, "weight_decay": 0.0}
    spec = {"name": "smallcnn", "width": 0.5}
    runs = [
        train_subset_model(
            spec, info, x, y, recipe, {"epochs": 0}, k=k, fraction=0.7, batch_size=64, device="cpu", test=(x[:4], y[:4])
        )
        for k in range(10)
    ]
    in_mask = np.stack([r["in_mask"] for r in runs])
    mem = feldman_zhang(in_mask, np.stack([r["correct"] for r in runs]))
    assert in_mask[:, 0].any() and (~in_mask[:, 0]).any()
    assert mem[0] > 0.7
    assert np.nanmean(np.abs(mem[1:])) < 0.1
    assert np.nanargmax(mem) == 0
    conf = confidence_proxy(in_mask, np.stack([r["confidence"] for r in runs]))
    assert conf[0] < np.nanmedian(conf[1:]), "the mislabelled point is learned last"
    # LiRA's shadow outputs: the mislabelled point's phi is far higher in the models that trained on it
    phi = np.stack([r["phi"] for r in runs])
    assert phi[in_mask[:, 0], 0].mean() > phi[~in_mask[:, 0], 0].mean() + 3


def test_a_subset_model_keeps_lira_outputs_through_holdout_retraining():
    """phi on D and D_test is the final model's (before holdout retraining), the logit of its true-label
    probability; the divergence is computed as before; without a probe the confidence proxy is NaN."""
    bundle = load_digits().to_tensors()
    x, y, info = bundle["train_x"][:200], bundle["train_y"][:200], data_info(bundle)
    tx, ty = bundle["test_x"][:50], bundle["test_y"][:50]
    recipe = {"epochs": 2, "batch_size": 32, "lr": 0.05, "momentum": 0.9, "weight_decay": 0.0}
    rec = train_subset_model({"name": "smallcnn", "width": 0.5}, info, x, y, recipe, {"epochs": 1, "lr": 0.01},
                             k=0, fraction=0.5, batch_size=64, device="cpu", test=(tx, ty))  # fmt: skip
    assert rec["phi"].shape == (200,) and rec["phi_test"].shape == (50,)
    assert np.isfinite(rec["divergence"][~rec["in_mask"]]).all() and np.isfinite(rec["confidence"]).all()
    again = train_subset_model({"name": "smallcnn", "width": 0.5}, info, x, y, recipe, {"epochs": 0}, k=0,
                               fraction=0.5, batch_size=64, device="cpu", test=(tx, ty), probe=False)  # fmt: skip
    np.testing.assert_allclose(again["phi"], rec["phi"], atol=1e-5)  # same model: the probe does not change training
    assert np.isnan(again["confidence"]).all() and np.isnan(again["divergence"]).all()
    correct = rec["correct"].astype(bool)
    assert ((rec["phi"] > 0) <= correct).all()  # phi > 0 (p_y > 1/2) only where the argmax is right


# --- methods and sequences -------------------------------------------------------------------------------------

SPEC = {"name": "smallcnn", "width": 0.5}
RECIPE = {"epochs": 4, "batch_size": 64, "lr": 0.05, "momentum": 0.9, "weight_decay": 5e-4, "schedule": "cosine"}
HP = {"epochs": 2, "batch_size": 32, "lr": 0.02, "momentum": 0.9, "weight_decay": 5e-4}


@pytest.fixture(scope="module")
def problem():
    torch.set_num_threads(1)
    bundle = load_digits().to_tensors()
    info = data_info(bundle)
    model, _ = train_from_scratch(SPEC, info, bundle["train_x"], bundle["train_y"], RECIPE, seed=0, device="cpu",
                                  tag="t")  # fmt: skip
    forget_idx = torch.nonzero(bundle["train_y"] == 3).flatten()[:60]
    data = UnlearnData(bundle["train_x"], bundle["train_y"], forget_idx, 10, model_spec=SPEC, info=info, recipe=RECIPE)
    return model, data


def forget_acc(model, data):
    x, y = data.forget
    return (predict_proba(model, x).argmax(1) == y).float().mean().item()


def test_l1_sparse_shrinks_the_weights_compared_with_plain_finetuning(problem):
    model, data = problem
    plain = methods.get("finetune").unlearn(copy.deepcopy(model), data, HP, seed=0)
    sparse = methods.get("l1_sparse").unlearn(copy.deepcopy(model), data, {**HP, "alpha": 5e-3}, seed=0)
    assert l1_norm(sparse).item() < 0.9 * l1_norm(plain).item()


def test_salun_changes_only_salient_weights_and_forgets(problem):
    model, data = problem
    hp = {**HP, "threshold": 0.3, "weight_decay": 0.0, "lr": 0.05}
    mask = saliency_mask(copy.deepcopy(model), data, 0.3, 64)
    share = sum(m.sum().item() for m in mask.values()) / sum(m.numel() for m in mask.values())
    assert 0.25 < share < 0.35
    out = methods.get("salun").unlearn(copy.deepcopy(model), data, hp, seed=0)
    before, after = dict(model.named_parameters()), dict(out.named_parameters())
    for name, m in mask.items():
        frozen = m == 0
        assert torch.equal(before[name][frozen], after[name][frozen]), name
    assert forget_acc(out, data) < forget_acc(model, data) - 0.3


def test_salun_masks_paper_keeps_the_largest_rum_code_the_smallest_share():
    """Hand-built gradients 1..10 over two tensors, threshold 0.3: the paper keeps {8, 9, 10}, RUM's code the
    ranks below int(0.3 * 10) = 3 of the ascending sort, i.e. {1, 2, 3}."""
    grads = {"a": torch.tensor([[3.0, 9.0], [1.0, 10.0]]), "b": torch.tensor([2.0, 8.0, 4.0, 5.0, 6.0, 7.0])}
    paper = _global_mask(grads, 0.3, largest=True)
    rum = _global_mask(grads, 0.3, largest=False)
    assert paper["a"].tolist() == [[0, 1], [0, 1]] and paper["b"].tolist() == [0, 1, 0, 0, 0, 0]
    assert rum["a"].tolist() == [[1, 0], [1, 0]] and rum["b"].tolist() == [1, 0, 0, 0, 0, 0]


def test_salun_rum_code_variant_least_salient_mask_redrawn_labels(problem):
    model, data = problem
    hp = {**HP, "threshold": 0.3, "weight_decay": 0.0, "lr": 0.05, "variant": "rum_code"}
    rum_mask = rum_code_mask(copy.deepcopy(model), data, hp, seed=0)
    paper_mask = saliency_mask(copy.deepcopy(model), data, 0.3, 64)
    total = sum(m.numel() for m in rum_mask.values())
    assert sum(m.sum().item() for m in rum_mask.values()) == int(0.3 * total)  # exactly the ranks below 30%
    overlap = sum((rum_mask[n] * paper_mask[n]).sum().item() for n in rum_mask) / total
    assert overlap < 0.05  # least vs most salient: nearly disjoint (ties at zero gradient aside)
    out = methods.get("salun").unlearn(copy.deepcopy(model), data, hp, seed=0)
    before, after = dict(model.named_parameters()), dict(out.named_parameters())
    for name, m in rum_mask.items():
        assert torch.equal(before[name][m == 0], after[name][m == 0]), name  # only the masked weights move
    moved = sum(int((before[n] != after[n]).sum()) for n in rum_mask)
    assert moved > 0
    # the paper's variant on the same problem, for contrast (its mask is the salient share)
    paper = methods.get("salun").unlearn(copy.deepcopy(model), data, {**hp, "variant": "paper"}, seed=0)
    assert not torch.equal(paper.state_dict()["head.weight"], out.state_dict()["head.weight"])


def test_salun_rum_code_draws_forget_labels_anew_each_epoch_true_label_allowed(problem):
    from unlearn.methods.salun import _RedrawnForgetLabels

    _, data = problem
    yf, n_f = data.forget[1], len(data.forget_idx)
    a, b = (_RedrawnForgetLabels(data, HP, 0, epoch) for epoch in (0, 1))
    assert len(a.loader.y) == len(data.y)  # D_f and D_r together
    fa, fb = a.loader.y[:n_f], b.loader.y[:n_f]  # D_f first (the loader shuffles when iterated)
    assert not torch.equal(fa, fb)  # redrawn per epoch
    assert bool((fa == yf).any())  # the true label is allowed (uniform over all classes)
    assert torch.equal(fa, _RedrawnForgetLabels(data, HP, 0, 0).loader.y[:n_f])  # seeded


def test_scrub_moves_away_from_the_teacher_on_the_forget_set(problem):
    model, data = problem
    hp = {**HP, "epochs": 3, "msteps": 3, "lr": 0.01, "temperature": 4.0}
    out = methods.get("scrub").unlearn(copy.deepcopy(model), data, hp, seed=0)

    def divergence(x):
        p, q = predict_proba(model, x), predict_proba(out, x)
        return (p * (p.clamp_min(1e-12).log() - q.clamp_min(1e-12).log())).sum(1).mean().item()

    assert divergence(data.forget[0]) > 2 * divergence(data.retain[0])
    assert forget_acc(out, data) < forget_acc(model, data)


def test_sequence_applies_the_parts_in_the_configured_order(problem):
    model, data = problem
    idx = data.forget_idx
    parts = [idx[40:], idx[:20], idx[20:40]]
    steps = [("finetune", {**HP, "epochs": 1}), ("neggrad", {**HP, "epochs": 1, "lr": 0.001}),
             ("finetune", {**HP, "epochs": 1})]  # fmt: skip
    _, records = run_sequence(copy.deepcopy(model), data, parts, steps, retain="forget_set", seed=0)
    assert [r["method"] for r in records] == ["finetune", "neggrad", "finetune"]
    assert [r["forget"] for r in records] == [p.tolist() for p in parts]
    assert {r["n_retain"] for r in records} == {len(data.y) - len(idx)}
    _, seen = run_sequence(copy.deepcopy(model), data, parts, steps, seed=0)
    assert [r["n_retain"] for r in seen] == [len(data.y) - 20, len(data.y) - 40, len(data.y) - 60]
    with pytest.raises(ValueError, match="not a partition"):
        run_sequence(copy.deepcopy(model), data, parts[:2], steps[:2], seed=0)


# --- the plan --------------------------------------------------------------------------------------------------


def test_plan_names_and_sequence_plans():
    rum = {"methods": ["finetune", "salun"], "select": {"low": "finetune", "medium": "salun", "high": "neggrad"},
           "sequence_retain": "forget_set", "memorization": {"models": 20, "models_per_job": 8}}  # fmt: skip
    assert plan.table_methods(rum) == [
        "finetune", "finetune-shuffle", "finetune-rumf", "salun", "salun-shuffle", "salun-rumf", "rum",
    ]  # fmt: skip
    assert plan.parse_method("neggrad_plus-rumf") == ("neggrad_plus", "rumf")
    assert plan.parse_method("rum") == ("rum", "rum")
    hp = {"finetune": {"lr": 1}, "salun": {"lr": 2}, "neggrad": {"lr": 3}}
    assert plan.sequence_plan("salun-shuffle", rum, hp) == {
        "sequence": "shuffle", "methods": ["salun"] * 3, "hp": [{"lr": 2}] * 3, "retain": "forget_set",
    }  # fmt: skip
    assert plan.sequence_plan("rum", rum, hp)["methods"] == ["finetune", "salun", "neggrad"]
    assert plan.sequence_plan("rum", rum, hp)["sequence"] == "rumf"
    assert plan.memorization_batches(rum["memorization"]) == [(0, 7), (8, 15), (16, 19)]
    assert set(plan.scenarios(rum)) == {*plan.difficulty_scenarios(rum), "rum_mix"}


def test_class_centroids_order_by_distance_to_the_own_class_mean():
    emb = np.array([[0.0], [1.0], [10.0], [13.0]])
    assert es_groups(emb, 4)[0].tolist() == [2], "global mean 6: sample 2 (distance 4) is nearest"
    labels = np.array([0, 0, 1, 1])  # class means 0.5 and 11.5: distances 0.5, 0.5, 1.5, 1.5
    assert [g.tolist() for g in es_groups(emb, 4, labels)] == [[0], [1], [2], [3]]


def test_memorization_models_resume_model_by_model(tmp_path):
    """A job killed after two of its four models trains only the other two on restart; parts written under
    another key (recipe or data changed) are trained again."""
    from unlearn.rum.subset_models import train_range

    calls = []

    def train_one(k):
        calls.append(k)
        return {"correct": np.full(3, k, dtype=np.float32), "in_mask": np.array([True, False, k % 2 == 0])}

    first = train_range([0, 1], train_one, tmp_path / "parts", "key-a")  # the job dies after model 1
    assert calls == [0, 1] and sorted(p.name for p in (tmp_path / "parts").iterdir()) == ["model_0.npz", "model_1.npz"]
    calls.clear()
    again = train_range([0, 1, 2, 3], train_one, tmp_path / "parts", "key-a")
    assert calls == [2, 3]
    assert [r["correct"].tolist() for r in again] == [[k] * 3 for k in range(4)]
    assert np.array_equal(again[1]["in_mask"], first[1]["in_mask"])
    calls.clear()
    train_range([0, 1, 2, 3], train_one, tmp_path / "parts", "key-b")  # another run: nothing reused
    assert calls == [0, 1, 2, 3]


# --- the RUM table and claims on hand-built per-seed numbers ---------------------------------------------------
def _paper_frames():
    import pandas as pd

    return {name: pd.read_csv(REPO / "paper_values" / f"rum_{name}.csv")
            for name in ("table", "es_values", "es_by_memorization")}  # fmt: skip


def _rum_records(low_tow, high_tow, rumf_tow):
    """Per seed: ToW of fine-tune on the low/high ES and memorization sets, and on rum_mix for each RUM-table row."""
    rows = []
    for seed in (0, 1, 2):
        for factor in ("es", "mem"):
            for level, tow in (("low", low_tow), ("high", high_tow)):
                rows.append({"scenario": plan.scenario_name(factor, level), "seed": seed, "method": "finetune",
                             "tow": tow + 0.01 * seed, "mia_gap": 0.1, "tow_mia": 0.5, "acc_forget": 0.5})  # fmt: skip
        for method, tow, gap in (("retrain", 1.0, 0.0), ("finetune", 0.80, 0.20), ("finetune-shuffle", 0.82, 0.18),
                                 ("finetune-rumf", rumf_tow, 0.10), ("rum", 0.95, 0.05)):  # fmt: skip
            rows.append({"scenario": plan.MIX, "seed": seed, "method": method, "tow": tow + 0.01 * seed,
                         "mia_gap": gap + 0.02 * seed, "tow_mia": 0.3, "acc_forget": 0.5})  # fmt: skip
    return pd.DataFrame(rows)


def _es_frame(es_low, es_high):
    rows = [{"seed": s, "factor": f, "level": lv, "es": v + s}
            for s in (0, 1, 2) for f in ("es", "mem")
            for lv, v in (("low", es_low), ("medium", (es_low + es_high) / 2), ("high", es_high))]  # fmt: skip
    return pd.DataFrame(rows)


@pytest.mark.parametrize(
    ("low_tow", "high_tow", "rumf_tow", "es_low", "es_high", "harder", "rumf", "ordered", "distinct"),
    [(0.9, 0.6, 0.9, 10.0, 50.0, "held", "held", "held", "not held"),
     (0.6, 0.9, 0.7, 50.0, 10.0, "not held", "not held", "not held", "held")],
)  # fmt: skip
def test_rum_claims_follow_the_numbers(low_tow, high_tow, rumf_tow, es_low, es_high, harder, rumf, ordered, distinct):
    rum = {"difficulty": ["finetune"], "methods": ["finetune"], "select": {"low": "finetune", "medium": "finetune",
           "high": "finetune"}}  # fmt: skip
    claims = report.claims(_rum_records(low_tow, high_tow, rumf_tow), _es_frame(es_low, es_high), rum, _paper_frames())
    v = {c.id: c.judgement.verdict for c in claims}
    assert v["rum.harder_mem.finetune"] == harder
    # ES is judged on the measured order: where the "low" set measures the higher ES (50 vs 10), its lower ToW
    # (0.6 vs 0.9) is the paper's direction
    assert v["rum.harder_es.finetune"] == ("held" if es_low > es_high else harder)
    said = {c.id: c for c in claims}["rum.harder_es.finetune"]
    assert ("by measured ES" in said.claim) == (es_low > es_high)
    assert v["rum.rumf_vs_vanilla.finetune"] == v["rum.rumf_vs_shuffle.finetune"] == rumf
    assert v["rum.es_ordered"] == ordered
    assert v["rum.distinct"] == distinct  # the high-memorization set less entangled than the low one
    assert v["rum.rum_best"] == "held", "RUM's ToW 0.95 is above every other row in both fixtures"


def test_rum_table_reads_each_rows_own_tow_and_mia_gap():
    select = {"low": "finetune", "medium": "finetune", "high": "finetune"}
    methods = ["retrain", "finetune", "finetune-shuffle", "finetune-rumf", "rum"]
    table = report.rum_table(_rum_records(0.9, 0.6, 0.9), methods, _paper_frames()["table"], select)
    row = table.set_index("method").loc["finetune-shuffle"]
    assert row["tow_mean"] == pytest.approx(0.83) and row["mia_gap_mean"] == pytest.approx(0.20)
    assert row["mia_gap_std"] == pytest.approx(0.02) and row["n_seeds"] == 3
    assert row["tow_ci95"] == pytest.approx(4.302653 * 0.01 / np.sqrt(3), rel=1e-5)
    assert row["paper_cifar10_tow"] == pytest.approx(_paper_value("cifar10", "finetune-shuffle", "tow"))
    shown = report.rum_table_display(table)
    assert shown.loc[2, "MIA gap ↓ (ours)"] == "0.200 ± 0.020" and shown.loc[2, "ToW ↑ (ours)"] == "0.830 ± 0.025"


def _paper_value(dataset, method, metric):
    t = _paper_frames()["table"]
    return float(t[(t["dataset"] == dataset) & (t["method"] == method) & (t["metric"] == metric)]["value"].iloc[0])


def test_difficulty_and_es_tables_read_their_own_sets():
    records = _rum_records(0.9, 0.6, 0.9)
    mem = records["scenario"].str.startswith("rum_mem")
    records.loc[mem, "tow"] -= 0.5  # the memorization sets' ToW differ from the ES sets'
    table = report.difficulty_table(records, ["finetune"]).set_index(["factor", "level"])
    assert table.loc[("es", "low"), "tow_mean"] == pytest.approx(0.91)
    assert table.loc[("mem", "low"), "tow_mean"] == pytest.approx(0.41)
    assert table.loc[("mem", "high"), "tow_mean"] == pytest.approx(0.11)
    shown = report.difficulty_display(report.difficulty_table(records, ["finetune"]))
    assert shown.loc[0, "ToW high memorization"] == "0.110 ± 0.025"
    paper = _paper_frames()
    es = report.es_values_table([{"es": {"low": 1.0 + s, "medium": 5.0, "high": 9.0 - s}, "picks": [0, 4, 9],
                                  "groups": 10, "n": 100} for s in (0, 1, 2)], paper["es_values"])  # fmt: skip
    assert es["es_mean"].tolist() == [2.0, 5.0, 8.0] and es["es_std"].tolist() == [1.0, 0.0, 1.0]
    assert es["paper_es"].tolist() == [309.94, 1076.99, 1612.21]
    by_mem = report.es_by_memorization_table(
        [{"low": 3.0, "medium": 2.0, "high": 1.0}] * 2,
        {"low": 0.1, "medium": 0.5, "high": 0.9},
        paper["es_by_memorization"],
    )
    assert by_mem["paper_es"].tolist() == [21134.127, 32785.711, 14736.591] and by_mem["es_mean"].tolist() == [3, 2, 1]


def test_scrub_max_steps_visit_d_f_in_the_first_msteps_epochs_only(problem):
    """Counted from the student's training-mode inputs (D_f images marked): 3 epochs, msteps 1 -> D_f once,
    D_r three times."""
    model, data = problem
    student, seen = copy.deepcopy(model), []

    def record(module, args):
        if module.training:  # the student's steps, not the frozen teacher's (eval) forward
            seen.append(args[0][:, 0, 0, 0].clone())

    student.register_forward_pre_hook(record)
    methods.get("scrub").unlearn(student, mark_forget(data), {**HP, "epochs": 3, "msteps": 1}, seed=0)
    corners = torch.cat(seen)
    n_forget = int((corners > corners.min()).sum())
    assert n_forget == len(data.forget_idx) and len(corners) - n_forget == 3 * len(data.retain_idx)


def test_l1_sparse_penalty_decays_linearly_to_zero(problem, monkeypatch):
    """loss = CE + alpha * (1 - epoch / epochs) * ||theta||_1: with CE and the norm replaced by 0 and 1, the loss of
    each epoch is its penalty weight."""
    model, data = problem
    seen = capture_optimize(monkeypatch, l1_sparse)
    l1_sparse.unlearn(copy.deepcopy(model), data, {**HP, "epochs": 4, "alpha": 2e-4}, seed=0)
    monkeypatch.setattr(l1_sparse, "l1_norm", lambda m: torch.tensor(1.0))
    monkeypatch.setattr(l1_sparse.F, "cross_entropy", lambda out, y: torch.tensor(0.0))
    weights = []
    for epoch in range(4):
        batch = next(iter(seen["batches"](epoch)))
        weights.append(float(seen["loss"](batch)))
    assert weights == pytest.approx([2e-4, 1.5e-4, 1e-4, 0.5e-4])


def test_the_papers_best_other_row_is_read_from_its_table():
    """RUM's 'best overall' claim quotes the paper's best row apart from Retrain and RUM, from paper_values/."""
    table = pd.read_csv(REPO / "paper_values/rum_table.csv", keep_default_na=False, na_values=[""])
    assert report.paper_best_other(table) == "0.937 (Fine-tune RUM_F, CIFAR-10)", "RUM's own 0.965 left out"
    assert report.paper_best_other(table, "cifar100") == "0.921 (NegGrad+ RUM_F, CIFAR-100)"  # RUM ties it there
    assert [report.row_label(m) for m in ("finetune", "salun-shuffle", "rum")] == ["Fine-tune", "SalUn shuffle", "RUM"]


def test_rumf_mia_gap_claim_follows_the_numbers():
    """Vanilla fine-tune's MIA gap 0.20 (+0.02 per seed) vs RUM_F's 0.10: held; swapped: not held."""
    rum = {"difficulty": ["finetune"], "methods": ["finetune"], "select": dict.fromkeys(("low", "medium", "high"),
           "finetune")}  # fmt: skip
    records = _rum_records(0.9, 0.6, 0.9)
    rows = {c.id: c for c in report.claims(records, _es_frame(10.0, 50.0), rum, _paper_frames())}
    gap = rows["rum.rumf_mia_gap.finetune"]
    assert gap.judgement.verdict == "held" and gap.judgement.mean == pytest.approx(0.10)
    assert gap.paper_value == "0.099 vs 0.120 (CIFAR-10)"
    swap = records["method"].map({"finetune": "finetune-rumf", "finetune-rumf": "finetune"})
    swapped = records.assign(method=swap.fillna(records["method"]))
    rows = {c.id: c for c in report.claims(swapped, _es_frame(10.0, 50.0), rum, _paper_frames())}
    assert rows["rum.rumf_mia_gap.finetune"].judgement.verdict == "not held"


def _two_methods(low, high):
    """ToW of fine-tune and SalUn on the low and high memorization sets (3 seeds): low = (ft, salun), high = ..."""
    rows = []
    for seed in (0, 1, 2):
        for level, tows in (("low", low), ("high", high)):
            for method, tow in zip(("finetune", "salun"), tows, strict=True):
                wobble = 0.01 * seed * (1 if method == "salun" else -1)
                rows.append({"scenario": plan.scenario_name("mem", level), "seed": seed, "method": method,
                             "tow": tow + wobble, "acc_forget": 0.5})  # fmt: skip
    return pd.DataFrame(rows)


@pytest.mark.parametrize(
    ("low", "high", "verdict"),
    [((0.9, 0.6), (0.5, 0.8), "held"),  # fine-tune best on low, SalUn on high: the ranking flips
     ((0.9, 0.6), (0.8, 0.5), "not held"),  # fine-tune best on both, clearly: the best does not depend on the set
     ((0.9, 0.6), (0.80, 0.79), "inconclusive")],  # fine-tune best on both, but not clearly on high
)  # fmt: skip
def test_best_algorithm_depends_on_the_forget_set(low, high, verdict):
    text, judgement = report.best_depends(_two_methods(low, high), "mem", ["finetune", "salun"], {})
    assert judgement.verdict == verdict, judgement.basis
    assert text.startswith(f"best on low: {'finetune' if low[0] > low[1] else 'salun'}")
    one = report.best_depends(_two_methods(low, high), "mem", ["finetune"], {})[1]
    assert one.verdict == "not tested"


def test_a_rum_row_that_did_not_unlearn_is_marked_and_its_comparisons_vacuous():
    """On rum_mix the original keeps 100% of D_f, the gold model 50%; vanilla fine-tune stays at 99.5%."""
    records = _rum_records(0.9, 0.6, 0.9)
    originals = records[records["method"] == "retrain"].assign(method="original", acc_forget=1.0, tow=0.0)
    records = pd.concat([records, originals], ignore_index=True)
    records.loc[(records["scenario"] == plan.MIX) & (records["method"] == "finetune"), "acc_forget"] = 0.995
    rum = {"difficulty": ["finetune"], "methods": ["finetune"], "select": dict.fromkeys(("low", "medium", "high"),
           "finetune")}  # fmt: skip
    rows = {c.id: c for c in report.claims(records, _es_frame(10.0, 50.0), rum, _paper_frames())}
    assert rows["rum.rumf_vs_vanilla.finetune"].judgement.verdict == "vacuous"
    assert "finetune did not unlearn (D_f accuracy 99.5%" in rows["rum.rumf_vs_vanilla.finetune"].judgement.basis
    assert rows["rum.rumf_vs_shuffle.finetune"].judgement.verdict == "held", "shuffle and RUM_F moved"
    assert "rum.tow.original" not in rows, "the original is the no-op reference, not a RUM-table row"
    methods = ["retrain", "finetune", "finetune-shuffle", "finetune-rumf", "rum"]
    table = report.rum_table(records, methods, _paper_frames()["table"], rum["select"])
    assert table.set_index("method").loc["finetune", "did_not_unlearn"].startswith("D_f accuracy 99.5%")
    shown = report.rum_table_display(table)["Method"].tolist()
    assert shown[:3] == ["Retrain", "Fine-tune (did not unlearn)", "Fine-tune"]
