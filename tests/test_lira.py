"""LiRA (lira.py) on hand-built shadow outputs whose Gaussians are known, every number worked out by hand."""

import math

import numpy as np
import pytest
from conftest import REPO
from scipy.stats import norm

from unlearn import lira as L


def test_phi_is_the_logit_of_the_true_label_probability():
    probs = np.array([[0.8, 0.1, 0.1], [0.25, 0.5, 0.25]])
    assert L.logit_confidence(probs, np.array([0, 2])) == pytest.approx([math.log(4), math.log(1 / 3)], abs=1e-12)


def test_phi_keeps_its_precision_for_a_confident_float32_softmax():
    """p_y = 1 - 2e-13 rounds to 1.0 in float32; the other classes' probabilities still give phi = 30 - log 2."""
    logits = np.array([[30.0, 0.0, 0.0]], dtype=np.float32)
    probs = np.exp(logits - logits.max()) / np.exp(logits - logits.max()).sum()
    assert probs.dtype == np.float32 and probs[0, 0] == 1.0
    assert L.logit_confidence(probs, np.array([0]))[0] == pytest.approx(30 - math.log(2), abs=1e-5)


def test_tpr_at_fpr_sets_the_threshold_on_the_nonmembers():
    """100 non-members 0..99, FPR 1%: one false positive allowed, threshold = the 2nd highest (98); members above
    it: 99 and 98.5 of {99, 98.5, 98, 50} -> 0.5. At 0.1% none is allowed: threshold 99, no member above it."""
    nonmember, member = np.arange(100.0), np.array([99.0, 98.5, 98.0, 50.0])
    assert L.tpr_at_fpr(member, nonmember, 0.01) == 0.5
    assert L.tpr_at_fpr(member, nonmember, 0.001) == 0.0
    # a threshold set on the members instead (their 99th percentile) would flag 3 of 4
    assert L.tpr_at_fpr(nonmember, member, 0.01) == 0.0


def test_auc_counts_ties_half():
    # pairs (member, non-member): 3 beats 1, 2 and ties 3 -> 2.5; 4 beats all three -> 3; (2.5 + 3) / 6
    assert L.auc(np.array([3.0, 4.0]), np.array([1.0, 2.0, 3.0])) == pytest.approx(5.5 / 6)


def _shadows(n_forget=4, n_test=3):
    """K = 4 shadows over D = 6 examples and D_test = 3. D's examples 0..3 (the forget set) are in models 0 and 1
    (phi 4 +- 1) and out of models 2 and 3 (phi 0 +- 1); examples 4 and 5 are in every model (phi 4 +- 1);
    every test example is out of all four (phi -1, 1, -1, 1: mean 0, sd 1)."""
    in_mask = np.zeros((4, 6), dtype=bool)
    in_mask[:2, :4] = True
    in_mask[:, 4:] = True
    phi = np.where(in_mask, 4.0, 0.0) + np.array([-1.0, 1.0, -1.0, 1.0])[:, None]
    phi_test = np.tile(np.array([-1.0, 1.0, -1.0, 1.0])[:, None], (1, n_test))
    return {"in_mask": in_mask, "phi": phi, "phi_test": phi_test}


def test_fit_reads_in_and_out_from_the_masks():
    fit = L.fit_shadows(_shadows()["phi"], _shadows()["in_mask"], min_models=2)
    assert fit["mu_out"][:4] == pytest.approx([0.0] * 4) and fit["sd_out"][:4] == pytest.approx([1.0] * 4)
    assert fit["mu_in"][:6] == pytest.approx([4.0] * 6) and fit["sd_in"][:6] == pytest.approx([1.0] * 6)
    assert list(fit["n_out"]) == [2, 2, 2, 2, 0, 0] and list(fit["n_in"]) == [2, 2, 2, 2, 4, 4]
    assert np.isnan(fit["mu_out"][4:]).all()  # in every model: no out-Gaussian


def test_few_models_take_the_global_variance():
    """Out-phi of example 0: {0, 2} (sd 1); of example 1: {0, 6} (sd 3); example 2 has one out-model. Pooled over the
    examples with >= 2: sqrt((1 + 1 + 9 + 9) / 4) = sqrt(5). With min_models = 3 both take it; example 2 too."""
    phi = np.array([[0.0, 0.0, 7.0], [2.0, 6.0, 9.0], [9.0, 9.0, 9.0]])
    in_mask = np.array([[False, False, False], [False, False, True], [True, True, True]])
    own = L.fit_shadows(phi, in_mask, min_models=2)
    assert own["sd_out"][:2] == pytest.approx([1.0, 3.0]) and own["sd_out"][2] == pytest.approx(math.sqrt(5))
    pooled = L.fit_shadows(phi, in_mask, min_models=3)
    assert pooled["sd_out"] == pytest.approx([math.sqrt(5)] * 3)
    assert pooled["mu_out"] == pytest.approx([1.0, 3.0, 7.0])


def test_offline_and_online_scores_by_hand():
    fit = {"mu_out": np.array([0.0]), "sd_out": np.array([1.0]), "mu_in": np.array([4.0]), "sd_in": np.array([1.0])}
    phi = np.array([3.0])
    assert L.offline_score(phi, fit)[0] == pytest.approx(math.log(norm.cdf(3.0)))
    # log N(3; 4, 1) - log N(3; 0, 1) = (3^2 - 1^2) / 2 = 4
    assert L.online_score(phi, fit)[0] == pytest.approx(4.0)


def test_lira_on_known_gaussians():
    """The target model puts phi = 3 on the four forget examples and phi = 0 on the three test examples: every
    forget score is above every test score offline (AUC 1, TPR 1). Online, a test example has no in-model: its
    mu_in is its mu_out + the mean in-out shift of D (4), so its score is log N(0; 4, 1) - log N(0; 0, 1) = -8,
    below the forget examples' 4."""
    sh = _shadows()
    phi_train = np.array([3.0, 3.0, 3.0, 3.0, 5.0, 5.0])
    out = L.lira(phi_train, np.zeros(3), sh, forget_idx=[0, 1, 2, 3], min_models=2)
    assert out["offline"] == {"auc": 1.0, "tpr_1": 1.0, "tpr_01": 1.0}
    assert out["online"] == {"auc": 1.0, "tpr_1": 1.0, "tpr_01": 1.0}
    assert out["n_unscored"] == 0
    # with the masks swapped, the forget examples' out-models are the phi-4 ones: 3 is below their mean
    swapped = {**sh, "in_mask": ~sh["in_mask"]}
    assert L.lira(phi_train, np.zeros(3), swapped, forget_idx=[0, 1, 2, 3], min_models=2)["offline"]["tpr_1"] == 0.0


def test_a_model_that_never_saw_d_f_sits_at_the_fpr():
    """Gold-like target: D_f's and D_test's phi drawn from the same out-Gaussians as the shadows' out-models; the
    TPR at 1% FPR stays near 1% and the AUC near 0.5. A target that saw D_f (phi from the in-Gaussian) is caught."""
    rng = np.random.default_rng(0)
    k, n, m = 64, 2000, 2000
    mu = rng.normal(0, 2, n + m)  # each example's own out-mean
    in_mask = rng.random((k, n)) < 0.5
    phi_all = mu + rng.normal(0, 1, (k, n + m)) + 3.0 * np.concatenate([in_mask, np.zeros((k, m), bool)], axis=1)
    sh = {"in_mask": in_mask, "phi": phi_all[:, :n], "phi_test": phi_all[:, n:]}
    forget = np.arange(1000)
    gold_phi = mu + rng.normal(0, 1, n + m)
    gold = L.lira(gold_phi[:n], gold_phi[n:], sh, forget, min_models=8)
    assert abs(gold["offline"]["auc"] - 0.5) < 0.03 and gold["offline"]["tpr_1"] < 0.03
    seen = gold_phi.copy()
    seen[forget] += 3.0
    orig = L.lira(seen[:n], seen[n:], sh, forget, min_models=8)
    assert orig["offline"]["tpr_1"] > 0.3 and orig["online"]["tpr_1"] > 0.3


def test_an_example_with_no_out_model_is_left_out_and_counted():
    sh = _shadows()
    out = L.lira(np.full(6, 3.0), np.zeros(3), sh, forget_idx=[0, 1, 4], min_models=2)
    assert out["n_unscored"] == 1  # example 4 is in every shadow
    assert out["offline"]["auc"] == 1.0  # the two scored forget examples above the three test examples


def test_the_evaluation_record_carries_lira_and_its_gap_to_gold():
    """summary / record_fields: the model's keys, the gold model's, the gaps (scripts/evaluate.py adds them to each
    record)."""
    sh = _shadows()
    train_y, test_y = np.zeros(6, dtype=int), np.zeros(3, dtype=int)

    def probs(phi_train, phi_test):  # two classes: p_y = sigmoid(phi)
        def two(phi):
            p = 1 / (1 + np.exp(-np.asarray(phi, dtype=float)))
            return np.stack([p, 1 - p], axis=1)

        return {"train": two(phi_train), "test": two(phi_test)}

    forget = np.array([0, 1, 2, 3])
    u = L.summary(probs([3, 3, 3, 3, 5, 5], [0, 0, 0]), train_y, test_y, forget, sh, 2)  # D_f far above: caught
    g = L.summary(probs([0, 0, 0, 0, 5, 5], [0.5, 0.5, 0.5]), train_y, test_y, forget, sh, 2)  # D_f below test
    rec = L.record_fields(u, g)
    assert rec["lira_tpr_1"] == 1.0 and rec["gold_lira_tpr_1"] == 0.0 and rec["lira_gap"] == 1.0
    assert rec["lira_auc"] == 1.0 and rec["gold_lira_auc"] == 0.0 and rec["lira_auc_gap"] == 1.0
    assert rec["lira_shadows"] == 4 and rec["lira_unscored"] == 0 and "gold_lira_shadows" not in rec
    assert L.record_fields(g, g)["lira_gap"] == 0.0


def test_a_change_to_the_attack_reruns_the_evaluations_not_the_models_or_the_tuning():
    """The code inputs (codedeps): the tuning trials evaluate without LiRA (evaluation.py does not import it), and
    the shadow models store phi from phi.py, not lira.py."""
    from unlearn import codedeps

    def closure(dotted):
        return {p.name for p in codedeps.closure([codedeps.module_path(dotted)])}

    assert "lira.py" not in closure("unlearn.evaluation") | closure("unlearn.tuning.trials")
    assert "lira.py" not in closure("unlearn.rum.subset_models") and "phi.py" in closure("unlearn.rum.subset_models")
    scripts = [REPO / "scripts" / f"{s}.py" for s in ("lira_shadows", "ulira_original")]
    shadows = {p.name for p in codedeps.closure(scripts)}
    assert not {"lira.py", "metrics.py", "evaluation.py"} & shadows, "the shadows' rules: the attack is no input"


def test_ulira_tells_an_unlearned_model_that_still_remembers_from_the_gold_one():
    """4 unlearned shadows over a D_f of 3 examples: shadows 0-1 trained on them and unlearned them (phi 2 +- 1),
    shadows 2-3 never saw them (phi 0 +- 1). An unlearned model at phi 2 scores log N(2; 2, 1) - log N(2; 0, 1) = 2,
    the gold model at phi 0 scores -2: AUC 1. A model that looks like the gold one is not told apart: AUC 0.5."""
    in_mask = np.zeros((4, 5), dtype=bool)
    in_mask[:2, :3] = True
    phi = np.where(in_mask, 2.0, 0.0) + np.array([-1.0, 1.0, -1.0, 1.0])[:, None]
    sh = {"in_mask": in_mask, "phi": phi}
    forget = [0, 1, 2]
    caught = L.ulira(np.full(5, 2.0), np.zeros(5), sh, forget, min_models=2)
    assert caught == {"auc": 1.0, "tpr_1": 1.0, "tpr_01": 1.0, "n_unscored": 0}
    assert L.ulira(np.zeros(5), np.zeros(5), sh, forget, min_models=2)["auc"] == 0.5
    # the masks swapped: the unlearned model now looks like the never-trained shadows
    assert L.ulira(np.full(5, 2.0), np.zeros(5), {**sh, "in_mask": ~in_mask}, forget, min_models=2)["auc"] == 0.0


def test_ulira_record_keys():
    ulira_fields = L.ulira_fields

    in_mask = np.zeros((4, 5), dtype=bool)
    in_mask[:2, :3] = True
    phi = np.where(in_mask, 2.0, 0.0) + np.array([-1.0, 1.0, -1.0, 1.0])[:, None]

    def probs(v):  # two classes, label 0: p_y = sigmoid(phi)
        p = 1 / (1 + np.exp(-np.full(5, float(v))))
        return {"train": np.stack([p, 1 - p], axis=1)}

    rec = ulira_fields(probs(2.0), probs(0.0), np.zeros(5, dtype=int), [0, 1, 2], {"in_mask": in_mask, "phi": phi}, 2)
    assert rec == {"ulira_auc": 1.0, "ulira_tpr_1": 1.0, "ulira_tpr_01": 1.0, "ulira_unscored": 0, "ulira_shadows": 4}
