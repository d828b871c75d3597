"""The run's regime checks and the one-page comparison of every paper's claims (`paper_comparison.md`).

The regime checks are the consequences that must show once the models fit their training data (issue-level
claims, common to all papers): the original and every gold model fit their training set; the gold model's
accuracy on a forgotten class is ~0 while the original's is high; on random and sub-class forget sets the
original's accuracy on D_f is far above the gold model's (the memorization gap); MIA-efficacy tells the original
from the gold model on those sets; LiRA's TPR at 1% FPR is near the FPR for the gold model and above it for the
original (where shadow models ran); the memorization scores spread over [0, 1].
"""

from __future__ import annotations

import pandas as pd
from scipy.stats import binom

from . import claims as C
from .regime import FIT
from .reporting import lira_text, paired_diff, per_seed

PAPER = "Regime (all papers)"
TITLE = "The regime of this run's models"
WHY = (
    "small datasets and models generalise far less than the papers' (test accuracy well below their ~85-95%), so "
    "the gap between seen and unseen data is larger here."
)
GAP_POINTS = 20.0  # "far above": the original's Acc_Df at least this many points above the gold model's
FORGOTTEN_ZERO = 0.01  # the gold model's accuracy on a class it never saw: ~0 (at most 1%)
ORIGINAL_HIGH = 0.95  # the original's accuracy on that class (it fits D)
KIND_TITLES = {"sub_class": "Sub-class", "partial_class": "Partial-class", "random": "Random"}
LIRA_FPR = 0.01  # the regime check reads LiRA's TPR at this FPR (record key lira_tpr_1)


def lira_bound(n_forget: int, fpr: float = LIRA_FPR) -> float:
    """'Near the FPR' for a model that never saw D_f: its TPR is a binomial share of |D_f| examples each flagged
    with probability fpr, so at most the 97.5% quantile of Binomial(|D_f|, fpr) / |D_f|."""
    n = max(int(n_forget), 1)
    return float(binom.ppf(0.975, n, fpr) / n)


def _fits(values: pd.Series, what: str) -> C.Judgement:
    """Every model (not the mean) must fit: held iff the minimum is at least FIT."""
    v = values.astype(float)
    if v.empty:
        return C.not_tested("no models")
    ok = float(v.min()) >= FIT
    return C.Judgement(C.HELD if ok else C.NOT_HELD, len(v), float(v.mean()), float(v.min()), float(v.max()),
                       f"{what}: min {100 * v.min():.1f}% over {len(v)} models (every one must be ≥ {100 * FIT:.0f}%)",
                       kind="every", threshold=FIT)  # fmt: skip


def regime_claims(
    records: pd.DataFrame,
    originals: pd.DataFrame,
    kinds: dict[str, str],
    memorization: dict | None,
) -> list[C.Claim]:
    """records: metric records (original and gold rows) of the run's scenarios; originals: regime.original_stats;
    kinds: {scenario: kind} (full_class, sub_class, partial_class, random, rum)."""
    out: list[C.Claim] = []

    def add(cid, claim, paper_text, ours_text, judgement):
        out.append(C.Claim(PAPER, f"regime.{cid}", claim, paper_text, ours_text, judgement))

    gold = records[records["method"] == "retrain"].drop_duplicates(["scenario", "seed"])
    add("original_fits", "The original models fit D (≥ 99% train accuracy)", "~100%",
        f"{100 * originals['train_acc'].mean():.1f}% train / {100 * originals['test_acc'].mean():.1f}% test",
        _fits(originals["train_acc"], "original models"))  # fmt: skip
    add("gold_fits", "Every gold model fits its D_r (≥ 99% train accuracy)", "~100%",
        f"{100 * gold['acc_retain'].mean():.1f}% train / {100 * gold['acc_test'].mean():.1f}% test",
        _fits(gold["acc_retain"], "gold models"))  # fmt: skip
    for scenario, kind in kinds.items():
        if scenario not in set(records["scenario"]):
            continue
        g_f, o_f = (
            per_seed(records, scenario, "retrain", "acc_forget"),
            per_seed(records, scenario, "original", "acc_forget"),
        )
        if not len(o_f):
            continue
        if kind == "full_class":
            add(f"forgotten_class.{scenario}",
                f"Full-class ({scenario}): the gold model's Acc_Df is ~0 (≤ {100 * FORGOTTEN_ZERO:g}%) and the "
                f"original's ≥ {100 * ORIGINAL_HIGH:g}%", "0 vs ~100%",
                f"gold {100 * g_f.mean():.1f}% vs original {100 * o_f.mean():.1f}%",
                C.combine([C.level(g_f, FORGOTTEN_ZERO, at_most=True, what="gold Acc_Df"),
                           C.level(o_f, ORIGINAL_HIGH, at_most=False, what="original Acc_Df")],
                          "both levels"))  # fmt: skip
            continue
        gap = 100 * paired_diff(o_f, g_f)
        add(f"memorization_gap.{scenario}",
            f"{KIND_TITLES.get(kind, kind)} ({scenario}): the original's Acc_Df is far above the gold model's "
            f"(≥ {GAP_POINTS:g} points)",
            "original ~100% vs gold ≈ test accuracy",
            f"original {100 * o_f.mean():.1f}% vs gold {100 * g_f.mean():.1f}%",
            C.level(gap, GAP_POINTS, at_most=False, what="gap (pts)"))  # fmt: skip
        g_m, o_m = (per_seed(records, scenario, m, "mia_efficacy") for m in ("retrain", "original"))
        add(f"mia_separates.{scenario}",
            f"{KIND_TITLES.get(kind, kind)} ({scenario}): MIA-efficacy tells the original (D_f = members) from the "
            "gold model",
            "original low, gold high",
            f"original {o_m.mean():.3f} vs gold {g_m.mean():.3f}"
            + lira_text(records, scenario, {"original": "original", "gold": "retrain"}),
            C.compare(paired_diff(g_m, o_m), "gold − original MIA-efficacy"))  # fmt: skip
    if "lira_tpr_1" in records:
        for scenario, kind in kinds.items():
            g_l, o_l = (per_seed(records, scenario, m, "lira_tpr_1") for m in ("retrain", "original"))
            if not len(o_l) or g_l.isna().all():
                continue
            part = records[records["scenario"] == scenario]
            bound = lira_bound(round(float(part["n_forget"].mean())))
            add(f"lira_regime.{scenario}",
                f"{KIND_TITLES.get(kind, kind.replace('_', '-').capitalize())} ({scenario}): LiRA's TPR at 1% FPR is "
                f"near the FPR for the gold model (≤ {bound:.3f}, the 97.5% binomial bound at this D_f size) and above "
                "that for the original", "gold ≈ FPR, original ≫ FPR",
                f"original {o_l.mean():.3f} vs gold {g_l.mean():.3f}",
                C.combine([C.level(g_l, bound, at_most=True, what="gold LiRA TPR@1%"),
                           C.level(o_l, bound, at_most=False, what="original LiRA TPR@1%")],
                          "both levels"))  # fmt: skip
    if memorization:
        share = memorization["mem_share_above_0.5"]
        add("memorization_spread", "Memorization scores spread over [0, 1]: a share of D scores above 0.5",
            "long tail (CIFAR-10: a few % highly memorized)",
            f"{100 * share:.1f}% above 0.5, mean {memorization['mem_mean']:.3f} ({memorization['models']} models)",
            C.Judgement(C.NUMBER, memorization["models"], share, float("nan"), float("nan"), "share above 0.5",
                        kind="number"))  # fmt: skip
    return out


def regime_table(originals: pd.DataFrame, records: pd.DataFrame) -> pd.DataFrame:
    """One row per model: kind (original / gold), scenario, seed, train and test accuracy."""
    gold = records[records["method"] == "retrain"].drop_duplicates(["scenario", "seed"])
    rows = [{"model": "original", "scenario": "", "seed": int(r.seed), "train_acc": r.train_acc,
             "test_acc": r.test_acc} for r in originals.itertuples()]  # fmt: skip
    rows += [{"model": "gold", "scenario": r.scenario, "seed": int(r.seed), "train_acc": r.acc_retain,
              "test_acc": r.acc_test} for r in gold.itertuples()]  # fmt: skip
    return pd.DataFrame(rows)


def _verdict(v: str) -> str:
    return f"**{v}**" if v in (C.HELD, C.NOT_HELD) else v


def comparison_markdown(claims: pd.DataFrame, scales: dict[str, str], regime: str, header: str) -> str:
    """paper_comparison.md: every headline number and claim of every paper, in one table."""
    lines = [
        "# Every paper's claims and headline numbers against this run",
        "",
        header,
        "",
        regime,
        "",
        "Per paper: "
        + "; ".join(f"{p}: {C.counts(claims[claims['paper'] == p])}" for p in dict.fromkeys(claims["paper"]))
        + ".",
        "",
        C.counts_table(claims).to_markdown(index=False),
        "",
        f"{C.RULE} '—' marks a headline number shown beside the paper's, not judged.",
        "",
        "| Paper | Claim or number | Paper's value | Ours | Verdict | Basis | Scale |",
        "|---|---|---|---|---|---|---|",
    ]
    for r in claims.itertuples():
        cells = [r.paper, r.claim, r.paper_value, r.ours, _verdict(r.verdict), r.basis, scales.get(r.paper, "")]
        lines.append("| " + " | ".join(str(c).replace("|", "\\|").replace("\n", " ") for c in cells) + " |")
    return "\n".join(lines) + "\n"
