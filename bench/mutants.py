"""Planted-bug check: do the unit tests notice a plausible bug in the code that makes the numbers users read?

Each mutant below replaces one snippet of one library file with a plausible mistake (a swapped set, a lost
absolute value, a missing factor, a method that skips its defining step). The script copies the working tree
to a temporary folder once, applies one mutant at a time there, runs the unit tests (`-m "not workflow and not
cluster"`, stopping at the first failure) against the copy, and prints a table: which mutants the tests caught,
and the first test that failed. The checkout itself is never modified.

    python bench/mutants.py                   # every mutant (a survivor costs one full unit run, ~1.5 min)
    python bench/mutants.py --only tow_no_test_factor,sisa_vote_argmin
    python bench/mutants.py --list            # ids and descriptions only
    python bench/mutants.py --out mutants.md  # also write the table as Markdown
    python bench/mutants.py --stale           # after a refactor: each entry whose snippet is gone or repeated,
                                              # with the nearest matching lines (its file's, then the library's)

A new change to evaluation, metrics, tables, reports or a method: add its plausible bugs here, run the script,
and add tests until each is caught. Exit status: 0 when every mutant is caught, 1 otherwise (2: bad usage, or
the unmutated tests fail, which makes the check meaningless).
"""

from __future__ import annotations

import argparse
import difflib
import os
import queue
import shutil
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
TOP_LEVEL_SKIP = {".git", ".venv", ".snakemake", "results", "data", ".whl", ".gpudata", "logs", "benchmarks"}


def _ignore(folder, names):
    """What the copy leaves out: the top level's runs, venv and data; caches anywhere."""
    top = Path(folder).resolve() == REPO
    return {n for n in names if (top and n in TOP_LEVEL_SKIP) or n in ("__pycache__", ".pytest_cache")}


@dataclass(frozen=True)
class Mutant:
    id: str
    file: str  # relative to the repository root
    old: str  # must occur exactly once in the file
    new: str
    what: str
    first: tuple[str, ...] = ()  # test files to run first (only for speed: every unit test runs on a survivor)


EV, ME, TA = "src/unlearn/evaluation.py", "src/unlearn/metrics.py", "src/unlearn/tables.py"
LI = "src/unlearn/lira.py"
TU, TT = "src/unlearn/tuning/__init__.py", "tests/test_tuning.py"
HD, SU, FAM = "src/unlearn/hdus/__init__.py", "src/unlearn/snn/unlearn.py", "tests/test_survey_families.py"
MUTANTS = [
    # --- the evaluation record (evaluation.py) ---
    Mutant("mia_eff_nonmembers_dr", EV, "M.mia_efficacy(conf_tr[shadow], conf_te,",
           "M.mia_efficacy(conf_tr[shadow], conf_tr[retain_idx],",
           "MIA-efficacy fitted with D_r instead of D_test as the non-members", ("tests/test_evaluation.py",)),
    Mutant("mia_ent_members_shadow", EV, "M.mia_entropy(ent_tr[retain_idx],", "M.mia_entropy(ent_tr[shadow],",
           "MIA-entropy fitted with the D_test-sized member sample instead of all of D_r", ("tests/test_evaluation.py",)),
    Mutant("act_dist_on_test", EV,
           'M.activation_distance(probs_u["train"][forget_idx], probs_g["train"][forget_idx])',
           'M.activation_distance(probs_u["test"], probs_g["test"])',
           "activation distance computed on D_test instead of D_f", ("tests/test_evaluation.py",)),
    Mutant("tow_mia_from_entropy_gap", EV, 'M.tow_mia(u["acc"], g["acc"], gap_eff)',
           'M.tow_mia(u["acc"], g["acc"], M.gap(u["mia_entropy"], g["mia_entropy"]))',
           "ToW-MIA built from the entropy-MIA gap instead of the efficacy gap", ("tests/test_evaluation.py",)),
    Mutant("test_forgotten_remaining_swapped", EV,
           '"test_forgotten": M.accuracy(te[test_forgotten], test_y[test_forgotten]),\n'
           '            "test_remaining": M.accuracy(te[~test_forgotten], test_y[~test_forgotten]),',
           '"test_forgotten": M.accuracy(te[~test_forgotten], test_y[~test_forgotten]),\n'
           '            "test_remaining": M.accuracy(te[test_forgotten], test_y[test_forgotten]),',
           "accuracy on forgotten and remaining test classes swapped", ("tests/test_evaluation.py",)),
    Mutant("member_sample_first_rows", EV,
           "shadow = rng.choice(retain_idx, size=min(n_test, len(retain_idx)), replace=False)",
           "shadow = retain_idx[: min(n_test, len(retain_idx))]",
           "MIA member sample = the first D_test-sized run of retain points, not a seeded random sample",
           ("tests/test_evaluation.py",)),
    Mutant("retain_acc_includes_forget", EV, '"retain": M.accuracy(tr[retain_idx], train_y[retain_idx]),',
           '"retain": M.accuracy(tr, train_y),', "D_r accuracy computed on all of D (D_f included)",
           ("tests/test_evaluation.py",)),
    Mutant("gold_mia_recorded_as_own", EV, '"gold_mia_efficacy": g["mia_efficacy"],',
           '"gold_mia_efficacy": u["mia_efficacy"],', "the gold model's MIA-efficacy column shows the model's own",
           ("tests/test_evaluation.py",)),
    Mutant("delta_on_retain", EV, 'M.alignment_delta(u["acc"]["forget"], g["acc"]["forget"])',
           'M.alignment_delta(u["acc"]["retain"], g["acc"]["retain"])', "Δ computed on D_r instead of D_f",
           ("tests/test_evaluation.py",)),
    Mutant("entropy_gap_is_efficacy_gap", EV, '"mia_entropy_gap": M.gap(u["mia_entropy"], g["mia_entropy"]),',
           '"mia_entropy_gap": gap_eff,', "the MIA-entropy gap column repeats the efficacy gap",
           ("tests/test_evaluation.py",)),
    Mutant("gold_summary_mias_swapped", EV,
           '"mia_efficacy": record["mia_efficacy"],\n        "mia_entropy": record["mia_entropy"],',
           '"mia_efficacy": record["mia_entropy"],\n        "mia_entropy": record["mia_efficacy"],',
           "the gold summary read back from its record swaps the two MIA scores", ("tests/test_evaluation.py",)),
    Mutant("member_sample_includes_forget", EV, "    retain_mask[forget_idx] = False\n", "",
           "D_r (and the MIA member sample) not cleared of D_f", ("tests/test_evaluation.py",)),
    # --- LiRA (lira.py) and its record keys ---
    Mutant("lira_masks_swapped", LI, "mu_out, sd_out, n_out = _side_stats(phi, ~in_mask, min_models)",
           "mu_out, sd_out, n_out = _side_stats(phi, in_mask, min_models)",
           "LiRA's in/out masks swapped: the out-Gaussian fitted to the models that trained on the example",
           ("tests/test_lira.py",)),
    Mutant("lira_phi_no_logit", "src/unlearn/phi.py", "return np.log(p_y + TINY) - np.log(other.sum(axis=1) + TINY)",
           "return p_y",
           "phi is the true-label probability itself, not its logit", ("tests/test_lira.py",)),
    Mutant("lira_threshold_on_members", LI, "threshold = np.sort(nonmember)[::-1][min(allowed, len(nonmember) - 1)]",
           "threshold = np.sort(member)[::-1][min(int(np.floor(fpr * len(member) + 1e-9)), len(member) - 1)]",
           "the FPR threshold set on D_f's scores instead of D_test's", ("tests/test_lira.py",)),
    Mutant("lira_threshold_inclusive", LI, "return float(np.mean(member > threshold))",
           "return float(np.mean(member >= threshold))",
           "a member counted at the threshold itself (one false positive too many)", ("tests/test_lira.py",)),
    Mutant("lira_no_global_variance", LI, "sigma = np.where(count >= max(int(min_models), 2), per_example, global_sigma)",
           "sigma = np.where(count >= 2, per_example, global_sigma)",
           "each example's own variance however few shadows it has", ("tests/test_lira.py",)),
    Mutant("lira_two_sided_offline", LI,
           'return norm.logcdf(np.asarray(phi, dtype=np.float64), fit["mu_out"], fit["sd_out"])',
           'return -norm.logpdf(np.asarray(phi, dtype=np.float64), fit["mu_out"], fit["sd_out"])',
           "the offline test two-sided (a low phi flagged as member)", ("tests/test_lira.py",)),
    Mutant("ulira_gold_is_the_original", LI, "s_g = online_score(np.asarray(phi_g)[forget_idx], fit)",
           "s_g = online_score(np.asarray(phi_u)[forget_idx] - 1.0, fit)",
           "U-LiRA's non-members scored from the unlearned model (shifted) instead of the gold model",
           ("tests/test_lira.py",)),
    Mutant("lira_gap_against_self", LI,
           'out["lira_gap"] = M.gap(own["offline"]["tpr_1"], gold["offline"]["tpr_1"])',
           'out["lira_gap"] = M.gap(own["offline"]["tpr_1"], own["offline"]["tpr_1"])',
           "the LiRA gap measured against the model itself", ("tests/test_lira.py",)),
    # --- metrics.py ---
    Mutant("gap_no_abs", ME, "return abs(value_unlearned - value_gold)", "return value_unlearned - value_gold",
           "the MIA gap without its absolute value", ("tests/test_metrics.py", "tests/test_evaluation.py")),
    Mutant("tow_no_test_factor", ME, 'for k in ("forget", "retain", "test")]))\n\n\ndef tow_mia',
           'for k in ("forget", "retain")]))\n\n\ndef tow_mia', "ToW without its D_test factor",
           ("tests/test_metrics.py", "tests/test_evaluation.py")),
    Mutant("tow_mia_keeps_forget_factor", ME,
           'return float((1.0 - mia_gap_value) * np.prod([1.0 - abs(acc_u[k] - acc_g[k]) for k in ("retain", "test")]))',
           'return float((1.0 - mia_gap_value) * np.prod([1.0 - abs(acc_u[k] - acc_g[k]) for k in ("forget", "retain", "test")]))',
           "ToW-MIA multiplies the forget-accuracy factor as well", ("tests/test_metrics.py",)),
    Mutant("mia_eff_member_share", ME, "return float(1.0 - clf.predict(forget_conf.reshape(-1, 1)).mean())",
           "return float(clf.predict(forget_conf.reshape(-1, 1)).mean())",
           "MIA-efficacy reports the member share of D_f", ("tests/test_metrics.py",)),
    Mutant("mia_eff_svc_c1", ME, 'SVC(C=3, gamma="auto", kernel="rbf")', 'SVC(C=1, gamma="scale", kernel="rbf")',
           "MIA-efficacy's SVC with other settings than the authors' (C=1, gamma=scale)",
           ("tests/test_conformance.py", "tests/test_metrics.py")),
    Mutant("mia_ent_unbalanced", ME, 'LogisticRegression(class_weight="balanced")', "LogisticRegression()",
           "MIA-entropy's logistic regression without balanced class weights",
           ("tests/test_conformance.py", "tests/test_metrics.py")),
    Mutant("entropy_in_bits", ME, "def entropy(probs: np.ndarray) -> np.ndarray:\n    p = np.clip(probs, 1e-12, 1.0)\n    return -np.sum(p * np.log(p), axis=1)",
           "def entropy(probs: np.ndarray) -> np.ndarray:\n    p = np.clip(probs, 1e-12, 1.0)\n    return -np.sum(p * np.log2(p), axis=1)",
           "entropy in bits instead of nats (thresholds move)", ("tests/test_metrics.py",)),
    Mutant("act_dist_l1", ME, "np.mean(np.linalg.norm(probs_u - probs_g, axis=1))",
           "np.mean(np.abs(probs_u - probs_g).sum(axis=1))", "activation distance with the L1 instead of the L2 norm",
           ("tests/test_metrics.py",)),
    Mutant("t_interval_z", ME, "stats.t.ppf(0.5 + confidence / 2, len(v) - 1)", "stats.norm.ppf(0.5 + confidence / 2)",
           "the interval's half-width with the normal quantile instead of Student's t", ("tests/test_metrics.py",)),
    Mutant("t_interval_ddof0", ME, "v.std(ddof=1) / math.sqrt(len(v))", "v.std() / math.sqrt(len(v))",
           "the interval from the population (ddof=0) standard deviation", ("tests/test_metrics.py",)),
    Mutant("accuracy_empty_zero", ME, 'if len(labels) == 0:\n        return float("nan")',
           "if len(labels) == 0:\n        return 0.0", "an empty set's accuracy shown as 0 instead of blank",
           ("tests/test_metrics.py",)),
    # --- tables.py ---
    Mutant("aggregate_pools_scenarios", TA, 'part = long[(long["scenario"] == scenario) & (long["method"] == method)]',
           'part = long[long["method"] == method]', "aggregate pools every scenario's rows into each scenario",
           ("tests/test_tables.py",)),
    Mutant("aggregate_std_ddof0", TA, 'row[f"{col}_std"] = values.std(ddof=1) if len(values) > 1',
           'row[f"{col}_std"] = values.std(ddof=0) if len(values) > 1', "the std over seeds with ddof=0",
           ("tests/test_tables.py",)),
    Mutant("display_tow_std_not_ci", TA, 'spread_col = f"{col}_ci95" if col in CI_COLUMNS else f"{col}_std"',
           'spread_col = f"{col}_std"', "ToW cells show the std instead of the 95% t-interval",
           ("tests/test_tables.py",)),
    Mutant("format_spread_unscaled", TA, 'text += f" ± {spread * scale:.{decimals}f}"',
           'text += f" ± {spread:.{decimals}f}"', "the ± part of a percent cell left as a fraction",
           ("tests/test_tables.py",)),
    Mutant("nseeds_counts_rows", TA, '"n_seeds": int(part["seed"].nunique())', '"n_seeds": len(part)',
           "n_seeds counts rows, not seeds", ("tests/test_tables.py",)),
    Mutant("display_drops_partly_empty_columns", TA, 'if agg[f"{col}_mean"].isna().all():',
           'if agg[f"{col}_mean"].isna().any():', "a column with one blank cell (the original model's time) dropped",
           ("tests/test_tables.py",)),
    Mutant("predict_softmax_over_batch", "src/unlearn/loader.py", "torch.softmax(m(xb).float(), dim=1)",
           "torch.softmax(m(xb).float(), dim=0)", "the models' outputs normalised over the batch instead of the classes",
           ("tests/test_methods.py",)),
    # --- claims ---
    Mutant("compare_held_at_zero", "src/unlearn/claims.py", "    if lo > 0:\n        return HELD",
           "    if lo >= 0 or hi > 0:\n        return HELD", "a comparison held when only the upper end clears 0",
           ("tests/test_claims.py",)),
    Mutant("level_direction", "src/unlearn/claims.py", "margins = (threshold - v) if at_most else (v - threshold)",
           "margins = (v - threshold) if at_most else (threshold - v)", "a level claim judged in the wrong direction",
           ("tests/test_claims.py",)),
    Mutant("combine_any_held", "src/unlearn/claims.py", "if all(v == HELD for v in verdicts):",
           "if any(v == HELD for v in verdicts):", "a combined claim held when any part holds",
           ("tests/test_claims.py",)),
    Mutant("regime_fit_mean", "src/unlearn/regime.py", 'fitted = [out[k]["train_min"] >= FIT',
           'fitted = [out[k]["train_mean"] >= FIT', "the regime judged on the mean, not every model",
           ("tests/test_claims.py",)),
    Mutant("level_few_seeds_by_mean", "src/unlearn/claims.py",
           "    if len(v) < MIN_SEEDS:\n        mean = float(v.mean())\n        return Judgement(INCONCLUSIVE,",
           "    if len(v) < MIN_SEEDS:\n        mean = float(v.mean())\n        return Judgement(HELD if mean <= threshold else NOT_HELD,",
           "a level claim on fewer than 3 seeds judged by its mean (the printed rule says inconclusive)",
           ("tests/test_claims.py",)),
    Mutant("noop_never_flagged", "src/unlearn/claims.py", "    if abs(acc_forget - original) > margin:\n        return \"\"",
           "    if True:\n        return \"\"", "no method is ever found to have done nothing", ("tests/test_claims.py",)),
    Mutant("noop_gold_ignored", "src/unlearn/claims.py", " or abs(gold - original) <= margin:", ":",
           "a method called a no-op where the gold model stays put too", ("tests/test_claims.py",)),
    Mutant("noop_mia_ignored", "src/unlearn/claims.py", "and abs(mia - mia_original) > margin:", "and False:",
           "a method that moved MIA but not D_f accuracy called a no-op", ("tests/test_claims.py",)),
    Mutant("vacuous_counted", "src/unlearn/claims.py", "if not reasons or judgement.verdict in (NOT_TESTED, NUMBER):",
           "if True:", "a comparison against a no-op counted as held or not held", ("tests/test_claims.py",)),
    Mutant("regime_gold_fit_mean", "src/unlearn/comparison.py", "ok = float(v.min()) >= FIT",
           "ok = float(v.mean()) >= FIT", "every gold model's fit judged on the mean", ("tests/test_claims.py",)),
    Mutant("checkpoint_full_unpickle", "src/unlearn/io.py", "map_location=map_location, weights_only=True)",
           "map_location=map_location, weights_only=False)", "checkpoints loaded with full unpickling",
           ("tests/test_data.py",)),
    Mutant("corrupt_file_traceback", "src/unlearn/io.py", "    sys.excepthook = _one_line_for_corrupt_files\n",
           "", "an unreadable input stops the job with a traceback, not its one line", ("tests/test_data.py",)),
    Mutant("certified_set_not_judged", "src/unlearn/exact/report.py",
           'point_x, set_x = cr["retrain_seconds"] / per_point, cr["retrain_seconds"] / cr["seconds"]',
           'point_x, set_x = cr["retrain_seconds"] / per_point, cr["retrain_seconds"] / per_point',
           "the whole forget set's removal judged by one point's time", ("tests/test_exact.py",)),
    Mutant("rum_claim_harder_reversed", "src/unlearn/rum/report.py",
           'C.compare(paired_diff(low, high), "ToW(low) − ToW(high)")', 'C.compare(paired_diff(high, low), "ToW(low) − ToW(high)")',
           "RUM's 'harder on the high set' claim judged the other way round", ("tests/test_rum.py",)),
    Mutant("rum_claim_distinct_reversed", "src/unlearn/rum/report.py",
           'C.compare(paired_diff(m["low"], m["high"]), "ES(low mem) − ES(high mem)")',
           'C.compare(paired_diff(m["high"], m["low"]), "ES(low mem) − ES(high mem)")',
           "RUM's ES-vs-memorization claim judged the other way round", ("tests/test_rum.py",)),
    Mutant("rum_table_gap_reads_tow_mia", "src/unlearn/rum/report.py",
           'parse_method(method)\n        tow, gap = _stats(part["tow"]), _stats(part["mia_gap"])',
           'parse_method(method)\n        tow, gap = _stats(part["tow"]), _stats(part["tow_mia"])', "the RUM table's MIA-gap column reads ToW-MIA",
           ("tests/test_rum.py",)),
    Mutant("smu_claim_gap_reversed", "src/unlearn/smu/report.py",
           'C.compare(paired_diff(b_gap, gap), "gap baseline − SMU")', 'C.compare(paired_diff(gap, b_gap), "gap baseline − SMU")',
           "SMU's 'smaller MIA gap than the baseline' judged the other way round", ("tests/test_smu.py",)),
    Mutant("smu_speedup_inverted", "src/unlearn/smu/report.py", "gold / s if s and", "s / gold if s and",
           "SMU's speed-up column inverted (method time / gold time)", ("tests/test_smu.py",)),
    Mutant("tmu_claim_delta_reversed", "src/unlearn/tmu/claims.py",
           'C.compare(paired_diff(delta[other], delta["tmu"]), f"{name_of(other)} Δ − TMU Δ (pts)")',
           'C.compare(paired_diff(delta["tmu"], delta[other]), f"{name_of(other)} Δ − TMU Δ (pts)")',
           "TMU's 'Δ below the baseline's' judged the other way round", ("tests/test_tmu.py",)),
    Mutant("tmu_claim_ad_reversed", "src/unlearn/tmu/claims.py",
           'C.combine([unless_noop(C.compare(paired_diff(ad[m], ad["tmu"])), "tmu", m) for m in BASELINES],',
           'C.combine([unless_noop(C.compare(paired_diff(ad["tmu"], ad[m])), "tmu", m) for m in BASELINES],',
           "TMU's smallest-activation-distance claim judged the other way round", ("tests/test_tmu.py",)),
    Mutant("tmu_table_forget_is_test", "src/unlearn/tmu/report.py",
           'row.update({f"{m}_acc_test": vals["acc_test"], f"{m}_acc_forget": vals["acc_forget"]})',
           'row.update({f"{m}_acc_test": vals["acc_forget"], f"{m}_acc_forget": vals["acc_test"]})',
           "TMU's table swaps Acc_test and Acc_Df", ("tests/test_tmu.py",)),
    Mutant("exact_claim_sisa_saved_reversed", "src/unlearn/exact/report.py",
           'saved = 1 - sisa["samples_reprocessed"] / sisa["samples_full"]',
           'saved = sisa["samples_reprocessed"] / sisa["samples_full"] - 1',
           "the survey's 'SISA is cheaper' claim judged on the wrong sign", ("tests/test_exact.py",)),
    Mutant("exact_table_mean_of_first_seed", "src/unlearn/exact/report.py",
           'row |= {c: float(part[c].astype(float).mean()) for c in COLUMNS}',
           'row |= {c: float(part[c].astype(float).iloc[0]) for c in COLUMNS}',
           "the exact-methods table shows the first seed instead of the mean", ("tests/test_exact.py",)),
    # --- methods ---
    Mutant("finetune_on_all_of_d", "src/unlearn/methods/finetune.py", "x, y = data.retain", "x, y = data.x, data.y",
           "fine-tune trains on all of D (D_f included)", ("tests/test_methods.py",)),
    Mutant("finetune_does_nothing", "src/unlearn/methods/finetune.py",
           '    cross_entropy_epochs(model, data, x, y, hp, seed=seed, tag="finetune")\n', "",
           "fine-tune returns the original model untouched", ("tests/test_methods.py",)),
    Mutant("random_label_true_labels", "src/unlearn/methods/random_label.py",
           "random_other_labels(yf, data.num_classes, seed)", "yf",
           "Random Labeling keeps D_f's true labels", ("tests/test_methods.py",)),
    Mutant("random_labels_may_be_true", "src/unlearn/methods/base.py",
           "torch.randint(1, num_classes, y.shape, generator=gen)", "torch.randint(0, num_classes, y.shape, generator=gen)",
           "the random 'other' label can be the true one", ("tests/test_methods.py",)),
    Mutant("amnesiac_no_repair", "src/unlearn/methods/amnesiac.py", 'if int(hp["repair_epochs"]) > 0:', "if False:",
           "Amnesiac skips its repair epochs on D_r", ("tests/test_methods.py",)),
    Mutant("amnesiac_repairs_on_forget", "src/unlearn/methods/amnesiac.py",
           'cross_entropy_epochs(model, data, *data.retain, repair,', 'cross_entropy_epochs(model, data, *data.forget, repair,',
           "Amnesiac repairs on D_f instead of D_r", ("tests/test_methods.py",)),
    Mutant("bad_teacher_teachers_swapped", "src/unlearn/methods/bad_teacher.py",
           "target = mask * bad + (1 - mask) * good", "target = mask * good + (1 - mask) * bad",
           "Bad Teacher distils the competent teacher on D_f and the incompetent one on D_r",
           ("tests/test_methods.py",)),
    Mutant("bad_teacher_competent_twice", "src/unlearn/methods/bad_teacher.py",
           "incompetent = build_model(data.model_spec, data.info).to(data.device).eval()",
           "incompetent = copy.deepcopy(model).eval()", "Bad Teacher's incompetent teacher is the original model",
           ("tests/test_methods.py",)),
    Mutant("neggrad_descends", "src/unlearn/methods/neggrad.py", "return -F.cross_entropy(model(xb), yb)",
           "return F.cross_entropy(model(xb), yb)", "NegGrad descends on D_f", ("tests/test_methods.py",)),
    Mutant("neggrad_plus_alpha_swapped", "src/unlearn/methods/neggrad_plus.py",
           "return alpha * F.cross_entropy(model(xr), yr) - (1 - alpha) * F.cross_entropy(model(xf), yf)",
           "return (1 - alpha) * F.cross_entropy(model(xr), yr) - alpha * F.cross_entropy(model(xf), yf)",
           "NegGrad+ weighs D_f with alpha and D_r with 1 - alpha", ("tests/test_methods.py",)),
    Mutant("scrub_max_step_descends", "src/unlearn/methods/scrub.py", 'return -distill_kl(out, ref, t)',
           "return distill_kl(out, ref, t)", "SCRUB's max step pulls the student towards the teacher on D_f",
           ("tests/test_rum.py",)),
    Mutant("scrub_kl_no_t2", "src/unlearn/methods/scrub.py",
           'return F.kl_div(log_p, q, reduction="batchmean") * t * t', 'return F.kl_div(log_p, q, reduction="batchmean")',
           "SCRUB's DistillKL without the T² factor", ("tests/test_conformance.py", "tests/test_rum.py")),
    Mutant("scrub_msteps_off_by_one", "src/unlearn/methods/scrub.py", "_Passes(forget, retain, epoch < msteps)",
           "_Passes(forget, retain, epoch <= msteps)", "SCRUB runs one max-step epoch more than msteps",
           ("tests/test_rum.py",)),
    Mutant("smu_vaporization_pulls_views_together", "src/unlearn/methods/smu.py",
           "return sim + lam * 0.5 * (F.cross_entropy(z1, target)", "return -sim + lam * 0.5 * (F.cross_entropy(z1, target)",
           "SMU's knowledge vaporization maximises the forget views' similarity", ("tests/test_smu.py",)),
    Mutant("smu_concentrates_on_all_of_d", "src/unlearn/methods/smu.py",
           'subset = concentration_subset(data.retain_idx, hp.get("retain_subset", 1000), seed)',
           'subset = concentration_subset(torch.arange(len(data.y)), hp.get("retain_subset", 1000), seed)',
           "SMU's concentration subset drawn from all of D (D_f included)", ("tests/test_smu.py",)),
    Mutant("smu_batchnorm_trains", "src/unlearn/methods/smu.py",
           "            if isinstance(m, nn.modules.batchnorm._BatchNorm):\n                m.eval()",
           "            if isinstance(m, nn.modules.batchnorm._BatchNorm):\n                m.train(mode)",
           "SMU's backbone BatchNorm statistics keep updating", ("tests/test_smu.py",)),
    Mutant("tmu_easy_relabelled", "src/unlearn/methods/tmu.py",
           "keep_x, keep_y = torch.cat([xr, xf[easy]]), torch.cat([yr, yf[easy]])\n    hard_x, hard_y = xf[~easy], yf[~easy]",
           "keep_x, keep_y = torch.cat([xr, xf[~easy]]), torch.cat([yr, yf[~easy]])\n    hard_x, hard_y = xf[easy], yf[easy]",
           "TMU keeps the labels of predicted-hard samples and relabels the easy ones", ("tests/test_tmu.py",)),
    Mutant("ssd_selects_below", "src/unlearn/methods/ssd.py", "mask = i_f > selection * i_d", "mask = i_f < selection * i_d",
           "SSD dampens the weights less important to D_f", ("tests/test_smu.py",)),
    Mutant("l1_weight_not_decayed", "src/unlearn/methods/l1_sparse.py",
           'state["weight"] = alpha * (1.0 - epoch / epochs)', 'state["weight"] = alpha',
           "l1-sparse keeps its full penalty every epoch (no linear decay)", ("tests/test_rum.py",)),
    Mutant("sisa_vote_argmin", "src/unlearn/exact/sisa.py", "one_hot(probs.argmax(2), probs.shape[2])",
           "one_hot(probs.argmin(2), probs.shape[2])", "SISA's vote counts each constituent's least likely class",
           ("tests/test_exact.py",)),
    Mutant("sisa_weighted_is_max", "src/unlearn/exact/sisa.py", "return probs.mean(0)", "return probs.max(0).values",
           "SISA's weighted vote takes the elementwise max, not the mean softmax", ("tests/test_exact.py",)),
    Mutant("sisa_tie_highest_class", "src/unlearn/exact/sisa.py", "return votes / votes.sum(1, keepdim=True)",
           "votes = votes + 1e-3 * torch.arange(votes.shape[1])\n        return votes / votes.sum(1, keepdim=True)",
           "SISA's ties go to the highest class instead of the lowest", ("tests/test_exact.py",)),
    Mutant("salun_mask_per_layer_share", "src/unlearn/methods/salun.py", "return _global_mask(grads, threshold, largest=True)",
           "return _global_mask(grads, 1.0 - threshold, largest=True)",
           "SalUn's paper mask keeps 1 - threshold of the weights instead of the threshold share", ("tests/test_rum.py",)),
    # --- more report code ---
    Mutant("smu_paper_units_ignored", "src/unlearn/smu/report.py",
           'row[f"{r[\'metric\']}_mean"] = float(r["value"]) * PAPER_UNITS[r["unit"]]',
           'row[f"{r[\'metric\']}_mean"] = float(r["value"])', "SMU's paper row read without its unit (percent as fraction)",
           ("tests/test_smu.py",)),
    Mutant("rum_difficulty_es_only", "src/unlearn/rum/report.py",
           'part = records[(records["scenario"] == scenario_name(factor, level)) & (records["method"] == method)]',
           'part = records[(records["scenario"] == scenario_name("es", level)) & (records["method"] == method)]',
           "RUM's difficulty table shows the ES sets' ToW in the memorization columns too", ("tests/test_rum.py",)),
    Mutant("rum_es_by_mem_paper_es", "src/unlearn/rum/report.py",
           'p = paper[paper["scenario"] == scenario_name("mem", level)]',
           'p = paper[paper["scenario"] == scenario_name("es", level)]',
           "RUM's ES-by-memorization table shows the paper's ES-set values", ("tests/test_rum.py",)),
    Mutant("rum_stats_std_ddof0", "src/unlearn/rum/report.py", "std = float(np.std(v, ddof=1))", "std = float(np.std(v))",
           "RUM tables' std over seeds with ddof=0", ("tests/test_rum.py",)),
    Mutant("tmu_all_easy_inverted", "src/unlearn/tmu/report.py",
           '"label_acc": 100 * float(gold.mean()), "predicted_easy": len(y)',
           '"label_acc": 100 * float(1 - gold.mean()), "predicted_easy": len(y)',
           "TMU's all-easy baseline scored as the share of hard samples", ("tests/test_tmu.py",)),
    Mutant("tmu_one_label_flag_only_all_hard", "src/unlearn/tmu/report.py",
           '"one_label_twin": part["twin_easy"] in (0, part["twin_size"]),',
           '"one_label_twin": part["twin_easy"] == 0,', "TMU's one-label twin flag misses all-easy twin sets",
           ("tests/test_tmu.py",)),
    Mutant("tmu_acc_forget_not_percent", "src/unlearn/tmu/report.py", 'for col in ("acc_test", "acc_forget"):',
           'for col in ("acc_test",):', "TMU's tables show Acc_Df as a fraction beside percentages", ("tests/test_tmu.py",)),
    Mutant("regime_table_gold_test_is_retain", "src/unlearn/comparison.py",
           '"test_acc": r.acc_test} for r in gold.itertuples()]', '"test_acc": r.acc_retain} for r in gold.itertuples()]',
           "the regime table's gold test accuracy shows D_r accuracy", ("tests/test_claims.py",)),
    Mutant("n_retain_counts_d", EV, '"n_retain": len(train_y) - len(forget_idx),', '"n_retain": len(train_y),',
           "the record's |D_r| counts all of D", ("tests/test_evaluation.py",)),
    # --- data ---
    Mutant("cifar_hwc_layout", "src/unlearn/data.py", "return data.reshape(-1, 3, 32, 32), y",
           "return data.reshape(-1, 32, 32, 3).transpose(0, 3, 1, 2), y",
           "CIFAR pixels read as height-width-channel (same shape, wrong layout)", ("tests/test_data.py",)),
    Mutant("cifar_row_col_swapped", "src/unlearn/data.py", "return data.reshape(-1, 3, 32, 32), y",
           "return data.reshape(-1, 3, 32, 32).transpose(0, 1, 3, 2), y", "CIFAR images transposed (rows ↔ columns)",
           ("tests/test_data.py",)),
    # --- the survey's other families: HDUS, spiking networks ---
    Mutant("hdus_departed_seed_kept", HD, "        for i in affected:\n            self.neighbours[i] = [j for j in self.neighbours[i] if j != client]\n",
           "", "a departing client's neighbours keep its seed model in their ensembles", (FAM,)),
    Mutant("hdus_affected_includes_all", HD, "affected = [i for i, n in self.neighbours.items() if client in n and i != client]",
           "affected = [i for i in self.neighbours if i != client]",
           "every client counted as affected by a departure, not only those that used its seed model", (FAM,)),
    Mutant("hdus_gold_reads_stored", HD, "retrained[i] if i in affected else outputs[i]", "outputs[i]",
           "the gold network reuses the stored affected clients instead of the retrained ones (exact by fiat)", (FAM,)),
    Mutant("hdus_ring_one_sided", HD, "sorted({(i - 1) % clients, (i + 1) % clients} - {i})", "sorted({(i + 1) % clients} - {i})",
           "the ring topology links each client to one neighbour only", (FAM,)),
    Mutant("hdus_skew_unsorted", HD, 'order = order[np.argsort(labels[order], kind="stable")]', "order = order",
           "the label-skewed partition is an IID one", (FAM,)),
    Mutant("hdus_main_model_left_out", HD, "parts = [self.main[client], *(self.seed[j] for j in self.neighbours[client])]",
           "parts = [*(self.seed[j] for j in self.neighbours[client])] or [self.main[client]]",
           "a client predicts with its neighbours' seed models only, leaving out its own main model", (FAM,)),
    Mutant("hdus_client_seed_ignores_client", "src/unlearn/hdus/clients.py",
           "return int(seed) * 10_007 + 101 * int(client) + 1", "return int(seed) * 10_007 + 1",
           "every client of a network initialised and shuffled from the same seed", (FAM,)),
    Mutant("hdus_exact_claim_on_mean", "src/unlearn/hdus/report.py", "ok = bool(flags.min() >= 1.0)", "ok = bool(flags.mean() >= 0.5)",
           "HDUS's exactness claim held when most departures, not all, are exact", (FAM,)),
    Mutant("snn_no_soft_reset", "src/unlearn/models/snn.py", "v[i] = v[i] - spikes * thresholds[i]", "v[i] = v[i]",
           "LIF neurons keep their membrane potential after a spike (no reset)", (FAM,)),
    Mutant("snn_global_threshold", "src/unlearn/models/snn.py", "spikes = SpikeFn.apply(v[i] - thresholds[i], self.slope)",
           "spikes = SpikeFn.apply(v[i] - 1.0, self.slope)", "the neurons' own (adaptive) thresholds are ignored", (FAM,)),
    Mutant("snn_surrogate_slope_sign", "src/unlearn/models/snn.py", "return grad / (1.0 + ctx.slope * u.abs()) ** 2, None",
           "return grad / (1.0 + ctx.slope * u) ** 2, None", "the surrogate gradient drops the absolute value", (FAM,)),
    Mutant("snn_prune_strict", SU, "cut = change >= threshold * top if top > 0", "cut = change > threshold * top if top > 0",
           "pruning spares the synapses exactly at the threshold", (FAM,)),
    Mutant("snn_prune_weight_kept", SU, "        layer.weight[cut] = 0.0\n", "",
           "pruned synapses masked but their weights left in place", (FAM,)),
    Mutant("snn_thresholds_all_neurons", SU, "chosen = excess > margin", "chosen = excess > -1.0",
           "adaptive thresholds raised for every neuron, not only those driven by D_f", (FAM,)),
    Mutant("snn_selection_ignores_retain", SU, "scores = {k: change_f[k].abs() / (change_r[k].abs() + EPS) for k in change_f}",
           "scores = {k: change_f[k].abs() for k in change_f}",
           "synapses selected by their forget-data change alone, not relative to the retain data", (FAM,)),
    Mutant("snn_retrain_unmasked", SU, "layer.weight.register_hook(lambda g, m=masks[name]: g * m.to(g.dtype))",
           "layer.weight.register_hook(lambda g, m=masks[name]: g)",
           "selective retraining moves every synapse, not only the selected ones", (FAM,)),
    # --- the plan, the code inputs and the papers' numbers in the claims (issue 26) ---
    Mutant("plan_gold_not_first", "src/unlearn/plan.py", "return [gold, *(m for m in found if m != gold)]",
           "return [*(m for m in found if m != gold), gold]",
           "the gold model scored last: every other model compared with the wrong reference", ("tests/test_plan.py",)),
    Mutant("plan_models_first_experiment_only", "src/unlearn/plan.py",
           "found += [m for m in e.evaluates(self, scenario, int(seed)) if m not in found]",
           "found = found or [m for m in e.evaluates(self, scenario, int(seed)) if m not in found]",
           "a scenario several experiments share scores only the first one's models (SMU's, the exact methods' lost)",
           ("tests/test_plan.py",)),
    Mutant("plan_per_seed_model_in_scenario", "src/unlearn/plan.py",
           'f"{self.run}/models/{m}/s{seed}.probs.npz" if m in self.per_seed_models else f"{stem}/{m}.probs.npz"',
           'f"{stem}/{m}.probs.npz"', "the original's outputs looked for in the scenario's folder", ("tests/test_plan.py",)),
    Mutant("baselines_default_takes_paper_methods", "src/unlearn/baselines/plugin.py",
           "[m for m in config[\"methods\"] if registry.standalone(m)]", "list(config[\"methods\"])",
           "a default baselines list takes TMU's method, which has no partition outside TMU's scenarios",
           ("tests/test_plan.py",)),
    Mutant("codedeps_relative_level", "src/unlearn/codedeps.py", "anchor = anchor[: len(anchor) - (node.level - 1)]",
           "anchor = anchor[: len(anchor) - node.level]",
           "`from . import x` resolved one package too high: a script's closure misses modules it runs",
           ("tests/test_plan.py",)),
    Mutant("smu_paper_number_unit_swapped", "src/unlearn/smu/report.py", 'if row["unit"] == "fraction":',
           'if row["unit"] == "percent":', "SMU's claims print the paper's percentages as fractions and back",
           ("tests/test_smu.py",)),
    Mutant("rum_best_other_includes_rum", "src/unlearn/rum/report.py", '~table["method"].isin(["retrain", "rum"])',
           '~table["method"].isin(["retrain"])', "RUM's 'best other row' of the paper is RUM itself",
           ("tests/test_rum.py",)),
    Mutant("snn_loss_vs_gold", "src/unlearn/snn/report.py",
           "base = long[long[\"method\"] == ORIGINAL]", "base = long[long[\"method\"] == \"snn_retrain\"]",
           "the SNN figure's accuracy loss measured against the gold model instead of the original", (FAM,)),
    Mutant("tuning_closest_maximised", TU, '"closest": ("closest to gold", "min")',
           '"closest": ("closest to gold", "max")', "the closest-to-gold objective picks the trial farthest from gold",
           (TT,)),
    Mutant("tuning_tie_to_costlier", TU, 'cost(r["hp"]), i)', '-cost(r["hp"]), i)', "ties go to the costlier trial",
           (TT,)),
    Mutant("tuning_validation_same_class", TU, "c = (start + step) % num_classes",
           "c = (start + step - 1) % num_classes", "the validation set takes the test set's own class", (TT,)),
    Mutant("tuning_pool_keeps_test_sets", "src/unlearn/forget.py", "pool = np.setdiff1d(pool, excluded)",
           "pool = pool", "a sampled validation set drawn without leaving out the test forget sets", (TT,)),
    Mutant("tuning_sequence_ignores_steps", TU, "{**step, **chosen.get(step_name, {})}", "{**step}",
           "RUM's sequences run their steps' configured values, not their choices", (TT,)),
    Mutant("tuning_kind_fallback_full_class", TU, 'FALLBACK_KIND = "random"', 'FALLBACK_KIND = "full_class"',
           "RUM's sets tuned on the full-class validation set", (TT,)),
]  # fmt: skip


# checks this list against the unmutated source, so it fails under every mutant: not a catch
STALENESS_TEST = "tests/test_bench.py::test_every_planted_bug_still_applies_and_compiles"


def occurrences(m: Mutant) -> int:
    path = REPO / m.file
    return path.read_text().count(m.old) if path.is_file() else 0


def check(mutants: list[Mutant]) -> None:
    """Every mutant's snippet occurs exactly once in its file (else the list is stale)."""
    bad = [f"{m.id}: its snippet occurs {occurrences(m)} times in {m.file}" for m in mutants if occurrences(m) != 1]
    if len({m.id for m in mutants}) != len(mutants):
        bad.append("duplicate mutant ids")
    if bad:
        sys.exit("mutants: " + "; ".join(bad) + " (python bench/mutants.py --stale shows the nearest lines)")


def nearest(snippet: str, files: list[Path], n: int = 3) -> list[tuple[float, str, int, str]]:
    """The n lines of `files` most like the snippet's first line: (similarity, file, line number, line)."""
    first = next((line.strip() for line in snippet.splitlines() if line.strip()), snippet.strip())
    matcher = difflib.SequenceMatcher(autojunk=False)
    matcher.set_seq2(first)
    scored = []
    for path in files:
        for number, line in enumerate(path.read_text().splitlines(), 1):
            matcher.set_seq1(line.strip())
            if matcher.real_quick_ratio() > 0.5 and matcher.quick_ratio() > 0.5:
                scored.append((matcher.ratio(), str(path.relative_to(REPO)), number, line.strip()))
    return sorted(scored, key=lambda t: -t[0])[:n]


def stale_report(mutants: list[Mutant]) -> list[str]:
    """For each mutant whose snippet is not in its file exactly once: the count and the nearest lines, first in its
    own file, then anywhere in the library (code that moved). Empty when the list is current."""
    library = sorted((REPO / "src").rglob("*.py"))
    out = []
    for m in mutants:
        count = occurrences(m)
        if count == 1:
            continue
        out.append(f"{m.id}: {count} occurrence(s) in {m.file} of {m.old.splitlines()[0].strip()!r}")
        own = [REPO / m.file] if (REPO / m.file).is_file() else []
        seen = set()
        for ratio, file, number, line in nearest(m.old, own) + nearest(m.old, library):
            if (file, number) not in seen:
                seen.add((file, number))
                out.append(f"    {ratio:.2f} {file}:{number}: {line}")
    return out


def run_tests(copy: Path, first: tuple[str, ...], timeout: int) -> tuple[bool, str, float]:
    """(passed, first failing test or '', seconds) of the unit tests in `copy`."""
    env = {**os.environ, "PYTHONPATH": str(copy / "src"), "PYTHONDONTWRITEBYTECODE": "1"}
    # the listed files first (pytest keeps the order of files named one by one), then every other test file
    first = [f for f in first if (copy / f).is_file()]  # a test file this tree may not have yet
    files = first + [
        f"tests/{p.name}" for p in sorted((copy / "tests").glob("test_*.py")) if f"tests/{p.name}" not in first
    ]
    cmd = [sys.executable, "-m", "pytest", "-x", "-q", "-p", "no:cacheprovider", "-m", "not workflow and not cluster",
           "--no-header", "-rf", "--deselect", STALENESS_TEST, *files]  # fmt: skip
    start = time.perf_counter()
    try:
        out = subprocess.run(cmd, cwd=copy, env=env, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return False, f"(timed out after {timeout} s)", time.perf_counter() - start
    seconds = time.perf_counter() - start
    failed = [line.split()[1] for line in out.stdout.splitlines() if line.startswith(("FAILED ", "ERROR "))]
    if out.returncode == 0:
        return True, "", seconds
    if out.returncode not in (1, 2):  # 1: tests failed, 2: collection failed; anything else is not the tests' verdict
        raise RuntimeError(f"pytest exited with status {out.returncode}:\n{out.stdout[-2000:]}{out.stderr[-2000:]}")
    return False, failed[0] if failed else f"(pytest exit {out.returncode})", seconds


def make_copy(copy: Path) -> Path:
    """The working tree copied to `copy`, as a checkout of its own (the docs tests list tracked files), with the
    shared data beside it where the configs and tests look for it (../shared)."""
    shutil.copytree(REPO, copy, ignore=_ignore)
    subprocess.run(["git", "init", "-q"], cwd=copy, check=True)
    subprocess.run(["git", "add", "-A"], cwd=copy, check=True)
    shared = copy.parent / "shared"
    if (REPO.parent / "shared").is_dir() and not shared.exists():
        shared.symlink_to(REPO.parent / "shared")
    return copy


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--only", help="comma-separated mutant ids")
    ap.add_argument("--list", action="store_true", help="list the mutants and exit")
    ap.add_argument("--out", help="also write the result table as Markdown to this file")
    ap.add_argument("--timeout", type=int, default=900, help="seconds per unit-test run")
    ap.add_argument("--no-baseline", action="store_true", help="skip the unmutated run")
    ap.add_argument("--jobs", type=int, default=1, help="mutants tested side by side (one copy of the tree each)")
    ap.add_argument("--stale", action="store_true", help="print the entries whose snippet no longer matches, each "
                    "with the nearest lines, and exit (1 when any is stale)")  # fmt: skip
    args = ap.parse_args(argv)
    if args.stale:
        report = stale_report(MUTANTS)
        print("\n".join(report) if report else f"all {len(MUTANTS)} planted bugs still apply")
        return 1 if report else 0
    mutants = MUTANTS
    if args.only:
        wanted = args.only.split(",")
        unknown = sorted(set(wanted) - {m.id for m in MUTANTS})
        if unknown:
            print(f"mutants: unknown id(s) {', '.join(unknown)}", file=sys.stderr)
            return 2
        mutants = [m for m in MUTANTS if m.id in wanted]
    check(mutants)
    if args.list:
        for m in mutants:
            print(f"{m.id:36s} {m.file:40s} {m.what}")
        return 0
    with tempfile.TemporaryDirectory(prefix="mutants-") as tmp:
        copies = [make_copy(Path(tmp) / f"repo{i}") for i in range(max(1, args.jobs))]
        if not args.no_baseline:
            ok, failed, secs = run_tests(copies[0], (), args.timeout)
            print(f"baseline (no mutant): {'passed' if ok else 'FAILED at ' + failed} in {secs:.0f} s", flush=True)
            if not ok:
                return 2
        free: queue.Queue[Path] = queue.Queue()
        for c in copies:
            free.put(c)
        done = []

        def one(m: Mutant):
            copy = free.get()
            path = copy / m.file
            original = path.read_text()
            path.write_text(original.replace(m.old, m.new))
            try:
                ok, failed, secs = run_tests(copy, m.first, args.timeout)
            finally:
                path.write_text(original)
                free.put(copy)
            done.append(m.id)
            print(f"[{len(done)}/{len(mutants)}] {m.id}: {'caught by ' + failed if not ok else 'NOT CAUGHT'} "
                  f"({secs:.0f} s)", flush=True)  # fmt: skip
            return m, not ok, failed, secs

        with ThreadPoolExecutor(max_workers=len(copies)) as pool:
            rows = list(pool.map(one, mutants))
    caught = sum(r[1] for r in rows)
    lines = ["| mutant | file | planted bug | caught by |", "|---|---|---|---|"]
    lines += [f"| `{m.id}` | `{m.file}` | {m.what} | {'`' + f + '`' if c else '**not caught**'} |"
              for m, c, f, _ in rows]  # fmt: skip
    table = "\n".join(lines) + f"\n\n{caught} of {len(rows)} planted bugs caught by the unit tests.\n"
    print("\n" + table)
    if args.out:
        Path(args.out).write_text(table)
    return 0 if caught == len(rows) else 1


if __name__ == "__main__":
    sys.exit(main())
