"""Our metric functions against the values the authors' released code computes on the same fixed model outputs
(`../shared/conformance/`: SalUn/RUM MIA-efficacy, SSD's entropy MIA, Bad Teacher's activation distance, RUM's ToW
and ToW-MIA, SCRUB's DistillKL; its README says which rows each was fed). Any change that departs from the papers'
implementations fails here. Skipped, with the path, where the folder is absent."""

from __future__ import annotations

import json
import os
from pathlib import Path

import numpy as np
import pytest
import torch
from conftest import REPO

from unlearn import evaluation as E
from unlearn import metrics as M
from unlearn.methods.scrub import distill_kl

FOLDER = Path(os.environ.get("CONFORMANCE_DIR", REPO.parent / "shared" / "conformance"))


@pytest.fixture(scope="module")
def conformance():
    if not (FOLDER / "expected.json").is_file() or not (FOLDER / "inputs.npz").is_file():
        pytest.skip(f"conformance data not found at {FOLDER} (expected ../shared/conformance beside the checkout)")
    expected = json.loads((FOLDER / "expected.json").read_text())
    with np.load(FOLDER / "inputs.npz") as z:
        inputs = {k: z[k] for k in z.files}
    return inputs, expected


CASES = range(9)


def _case(conformance, k):
    z, e = conformance
    return z, e["cases"][k], e["tolerances"]["recommended_abs_tolerance"], f"case{k}_"


def _probs(z, p, model):
    pre = p + ("gold_" if model == "gold" else "")
    return {part: z[f"{pre}{part}_probs"] for part in ("retain", "forget", "test")}


@pytest.mark.parametrize("k", CASES)
@pytest.mark.parametrize("model", ["unlearned", "gold"])
def test_mia_scores_and_accuracies_equal_the_authors(conformance, k, model):
    z, c, tol, p = _case(conformance, k)
    probs, want = _probs(z, p, model), c[model]
    y = {part: z[f"{p}{part}_y"] for part in ("retain", "forget", "test")}
    conf = {part: M.true_label_prob(probs[part], y[part]) for part in y}
    ent = {part: M.entropy(probs[part]) for part in y}
    # SalUn's SVC_MIA 'confidence': members = the given retain rows, non-members = D_test, target = D_f
    eff = M.mia_efficacy(conf["retain"][z[f"{p}shadow_idx"]], conf["test"], conf["forget"])
    assert abs(eff - want["mia_efficacy"]) <= tol["mia_efficacy"]
    assert abs(eff - want["svc_mia_all_attacks"]["confidence"]) <= tol["mia_efficacy"]
    # SSD's get_membership_attack_prob: members = all of D_r
    ent_mia = M.mia_entropy(ent["retain"], ent["test"], ent["forget"])
    assert abs(ent_mia - want["mia_entropy"]) <= tol["mia_entropy"]
    for part in y:
        assert abs(M.accuracy(probs[part], y[part]) - want["accuracy"][part]) <= tol["accuracy"]


@pytest.mark.parametrize("k", CASES)
def test_summarize_feeds_the_authors_rows_for_accuracies_and_mia_entropy(conformance, k):
    """The record's own row selection (D_r = D minus D_f, all of D_r as MIA-entropy members) on the same outputs."""
    z, c, tol, p = _case(conformance, k)
    train_y = np.concatenate([z[f"{p}retain_y"], z[f"{p}forget_y"]])
    forget = np.arange(len(z[f"{p}retain_y"]), len(train_y))
    for model in ("unlearned", "gold"):
        probs = _probs(z, p, model)
        s = E.summarize({"train": np.concatenate([probs["retain"], probs["forget"]]), "test": probs["test"]},
                        train_y, z[f"{p}test_y"], forget, [], seed=0)  # fmt: skip
        for part in ("forget", "retain", "test"):
            assert abs(s["acc"][part] - c[model]["accuracy"][part]) <= tol["accuracy"]
        assert abs(s["mia_entropy"] - c[model]["mia_entropy"]) <= tol["mia_entropy"]


@pytest.mark.parametrize("k", CASES)
def test_activation_distance_tow_and_tow_mia_equal_the_authors(conformance, k):
    z, c, tol, p = _case(conformance, k)
    u, g = _probs(z, p, "unlearned"), _probs(z, p, "gold")
    assert abs(M.activation_distance(u["forget"], g["forget"]) - c["activation_distance"]) <= tol["activation_distance"]
    keys = ("forget", "retain", "test")
    acc_u = dict(zip(keys, z[f"{p}unlearned_acc"].tolist(), strict=True))
    acc_g = dict(zip(keys, z[f"{p}gold_acc"].tolist(), strict=True))
    assert abs(M.tow(acc_u, acc_g) - c["tow"]) <= tol["tow"]
    gap = M.gap(c["unlearned"]["mia_efficacy"], c["gold"]["mia_efficacy"])
    assert abs(gap - c["mia_efficacy_gap_used_by_tow_mia"]) <= tol["mia_efficacy"]
    assert abs(M.tow_mia(acc_u, acc_g, gap) - c["tow_mia"]) <= tol["tow_mia"]


@pytest.mark.parametrize("temperature", [1, 2, 4])
def test_scrub_distill_kl_equals_the_authors(conformance, temperature):
    z, e = conformance
    student, teacher = (torch.from_numpy(z[f"distill_{who}_logits"]) for who in ("student", "teacher"))
    want = e["distill_kl"][f"T={temperature}"]
    got = float(distill_kl(student, teacher, temperature))
    assert abs(got - want) <= e["tolerances"]["recommended_abs_tolerance"]["distill_kl_relative"] * abs(want)


# --- LiRA against PrivacyGuard's (facebookresearch, PyPI privacyguard-platform 0.0.2) ------------------------------
LIRA_FIXTURE = REPO / "tests" / "conformance" / "lira_privacyguard.npz"


def test_lira_matches_privacyguard():
    """Our online LiRA scores and their AUC / TPR at 1% and 0.1% FPR equal PrivacyGuard's on the same inputs
    (bench/lira_conformance.py made the fixture: PrivacyGuard was fed our per-example Gaussians, so this checks the
    likelihood ratio and the ROC metrics; its offline attack is the two-sided density, ours the paper's one-sided
    test, docs/methods.md#lira)."""
    from unlearn import lira as L

    with np.load(LIRA_FIXTURE) as f:
        z = {k: f[k] for k in f.files}
    sh = {"in_mask": z["in_mask"], "phi": z["phi"], "phi_test": z["phi_test"]}
    forget = z["forget_idx"]
    n, m = z["phi"].shape[1], z["phi_test"].shape[1]
    fit = L.fit_shadows(np.concatenate([z["phi"], z["phi_test"]], axis=1),
                        np.concatenate([z["in_mask"], np.zeros((len(z["in_mask"]), m), bool)], axis=1), 2)  # fmt: skip
    rows = np.concatenate([forget, n + np.arange(m)])
    fit = {k: v[rows] for k, v in fit.items() if isinstance(v, np.ndarray)}
    ours = L.online_score(np.concatenate([z["target_train"][forget], z["target_test"]]), fit)
    np.testing.assert_allclose(ours, np.concatenate([z["pg_score_forget"], z["pg_score_test"]]), rtol=0, atol=1e-9)
    metrics = L.lira(z["target_train"], z["target_test"], sh, forget, min_models=2)["online"]
    assert metrics["tpr_1"] == pytest.approx(float(z["pg_tpr_1"]), abs=1e-12)
    assert metrics["tpr_01"] == pytest.approx(float(z["pg_tpr_01"]), abs=1e-12)
    assert metrics["auc"] == pytest.approx(float(z["pg_auc"]), abs=1e-12)
