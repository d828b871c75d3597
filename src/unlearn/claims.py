"""Verdicts on the papers' claims, shared by every paper's claims file and by `paper_comparison.md`.

A claim is judged on per-seed numbers, never on a mean alone:

- a *comparison* ("A's ToW is above B's", "unlearning the low set is easier than the high set") on the paired
  per-seed differences d_s, oriented so that d > 0 is the paper's direction. With n >= MIN_SEEDS seeds, the
  95% Student-t interval [lo, hi] of their mean decides: **held** if lo > 0, **not held** if hi < 0 (or if
  every seed shows exactly no difference), **inconclusive** otherwise; with fewer seeds a comparison is always
  inconclusive.
- a *level* ("the gold model's accuracy on a forgotten class is 0", "MIA-entropy is at most 0.05") on the
  per-seed margins m_s = how far each seed's value is on the paper's side of the threshold (>= 0 = on it).
  With n >= MIN_SEEDS the same interval rule applies (held if lo >= 0, not held if hi < 0); with fewer
  seeds it is inconclusive, as a comparison is (the mean is shown).
- an inconclusive row says what it could have detected: the interval's half-width, the smallest mean difference
  (or margin) that n seeds with this spread would have called held or not held ("under 3 seeds, below 0.21").
- a comparison against a method that **did not unlearn** (`did_not_unlearn`: its D_f accuracy and MIA stayed
  within NOOP_MARGIN of the original model's, where the gold model's did not) is **vacuous**: shown with its
  numbers, counted apart, never as held or not held (`vacuous`).

`RULE` is the rule in words, printed in every claims file; `tests/test_claims.py` checks it against these cases.

Every claim becomes one `Claim` row (paper, claim, the paper's value, ours, verdict, seeds, the interval), so
that each paper's claims file and the one-page comparison are rendered from the same rows.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

import numpy as np
import pandas as pd

from .metrics import t_interval

MIN_SEEDS = 3
NOOP_MARGIN = 0.02  # "did not unlearn": D_f accuracy within 2 points (and MIA within 0.02) of the original's
HELD, NOT_HELD, INCONCLUSIVE, NOT_TESTED = "held", "not held", "inconclusive", "not tested"
VACUOUS = "vacuous"  # a comparison against (or of) a method that did not unlearn: shown, not counted
NUMBER = "—"  # a headline number shown beside the paper's, not a claim: not judged (the scale differs)
VERDICTS = (HELD, NOT_HELD, INCONCLUSIVE, VACUOUS, NOT_TESTED)
RULE = (
    "A comparison is **held** when the 95% t-interval of its per-seed differences lies on the paper's side of 0, "
    "**not held** when it lies on the other side (or every seed shows exactly no difference), and inconclusive "
    f"otherwise or with fewer than {MIN_SEEDS} seeds; a level claim is judged the same way on the per-seed margins "
    f"to its threshold (inconclusive with fewer than {MIN_SEEDS} seeds). An inconclusive row gives the smallest "
    "difference its seeds could have detected (the interval's half-width). A comparison against a method that did "
    f"not unlearn (its D_f accuracy within {100 * NOOP_MARGIN:g} points and its MIA-efficacy within "
    f"{NOOP_MARGIN:g} of the original model's, where the gold model's D_f accuracy is farther) is **vacuous**: "
    "shown, not counted as held or not held."
)
COLUMNS = [
    "paper",
    "id",
    "claim",
    "paper_value",
    "ours",
    "verdict",
    "n_seeds",
    "mean",
    "ci_low",
    "ci_high",
    "kind",
    "threshold",
    "detectable",
    "basis",
]
# kinds: compare (paired differences vs 0), at_most / at_least (values vs `threshold`), all (parts that must all
# hold), every (every model, not the mean: lo is the minimum), number (a headline number, not judged)


@dataclass
class Judgement:
    verdict: str
    n: int
    mean: float
    lo: float
    hi: float
    basis: str  # how the verdict was reached, in words
    kind: str = "compare"
    threshold: float = float("nan")
    detectable: float = float("nan")  # the interval's half-width: the smallest mean difference n seeds could decide


@dataclass
class Claim:
    paper: str  # "TMU (001)"
    id: str  # short stable key, e.g. "tmu.delta_vs_bad_teacher"
    claim: str
    paper_value: str
    ours: str
    judgement: Judgement = field(default_factory=lambda: not_tested("not run"))

    def row(self) -> dict:
        j = asdict(self.judgement)
        return {
            "paper": self.paper,
            "id": self.id,
            "claim": self.claim,
            "paper_value": self.paper_value,
            "ours": self.ours,
            "verdict": j["verdict"],
            "n_seeds": j["n"],
            "mean": j["mean"],
            "ci_low": j["lo"],
            "ci_high": j["hi"],
            "kind": j["kind"],
            "threshold": j["threshold"],
            "detectable": j["detectable"],
            "basis": j["basis"],
        }


def _clean(values) -> np.ndarray:
    v = np.asarray([float(x) for x in values], dtype=float)
    return v[~np.isnan(v)]


def _interval(v: np.ndarray) -> tuple[float, float, float]:
    mean, half = t_interval(v.tolist())
    return mean, mean - half, mean + half


def not_tested(why: str) -> Judgement:
    nan = float("nan")
    return Judgement(NOT_TESTED, 0, nan, nan, nan, why, kind="none")


def _compare_verdict(lo: float, hi: float) -> str:
    """Held when the interval lies above 0; not held when it lies below 0, or when every seed shows exactly no
    difference (a zero-width interval at 0: the paper's direction is absent, not uncertain)."""
    if lo > 0:
        return HELD
    if hi < 0 or lo == hi == 0:
        return NOT_HELD
    return INCONCLUSIVE


def _undecided(what: str, n: int, unit: str, half: float) -> str:
    return f"; inconclusive: under {n} {unit}, a {what} below ±{half:.3g} is not detectable"


def compare(diffs, what: str = "difference", unit: str = "seeds") -> Judgement:
    """Paired per-seed differences, d > 0 = the paper's direction (`unit`: what one difference is, when not a
    seed: departures, clients, (scenario, seed) pairs)."""
    d = _clean(diffs)
    if len(d) == 0:
        return not_tested("no numbers")
    if len(d) < MIN_SEEDS:
        mean = float(d.mean())
        return Judgement(INCONCLUSIVE, len(d), mean, float("nan"), float("nan"),
                         f"{what} {mean:+.3g} on {len(d)} {'seed(s)' if unit == 'seeds' else unit}: a comparison "
                         f"needs at least {MIN_SEEDS}")  # fmt: skip
    mean, lo, hi = _interval(d)
    verdict = _compare_verdict(lo, hi)
    basis = f"{what} {mean:+.3g}, 95% CI [{lo:+.3g}, {hi:+.3g}], {len(d)} {unit}"
    if verdict == INCONCLUSIVE:
        basis += _undecided("difference", len(d), unit, hi - mean)
    return Judgement(verdict, len(d), mean, lo, hi, basis, detectable=hi - mean)


def level(values, threshold: float, *, at_most: bool, what: str = "value") -> Judgement:
    """Per-seed values against a threshold the paper's claim implies (at_most: value <= threshold)."""
    v = _clean(values)
    if len(v) == 0:
        return not_tested("no numbers")
    margins = (threshold - v) if at_most else (v - threshold)
    side, kind = ("≤", "at_most") if at_most else ("≥", "at_least")
    if len(v) < MIN_SEEDS:
        mean = float(v.mean())
        return Judgement(INCONCLUSIVE, len(v), mean, float("nan"), float("nan"),
                         f"{what} {mean:.3g} (mean of {len(v)} seed(s), no interval) vs {side} {threshold:g}: a "
                         f"level claim needs at least {MIN_SEEDS}", kind=kind, threshold=float(threshold))  # fmt: skip
    mean, lo, hi = _interval(v)
    m_mean, m_lo, m_hi = _interval(margins)
    verdict = _level_verdict(m_lo, m_hi, m_mean)
    basis = f"{what} {mean:.3g}, 95% CI [{lo:.3g}, {hi:.3g}], {len(v)} seeds, vs {side} {threshold:g}"
    if verdict == INCONCLUSIVE:
        basis += _undecided("margin", len(v), "seeds", hi - mean)
    return Judgement(verdict, len(v), mean, lo, hi, basis, kind=kind, threshold=float(threshold),
                     detectable=hi - mean)  # fmt: skip


def _level_verdict(m_lo: float, m_hi: float, m_mean: float) -> str:
    if m_lo >= 0 or (m_hi - m_lo == 0 and m_mean >= 0):
        return HELD
    return NOT_HELD if m_hi < 0 else INCONCLUSIVE


def every(values, threshold: float, what: str = "value", unit: str = "runs") -> Judgement:
    """A property every run must have (exact, within its budget), not a mean: held iff the smallest value is at
    least `threshold` (kind every: lo is the minimum), whatever the number of runs."""
    v = _clean(values)
    if len(v) == 0:
        return not_tested("no numbers")
    ok = float(v.min()) >= threshold
    return Judgement(HELD if ok else NOT_HELD, len(v), float(v.mean()), float(v.min()), float(v.max()),
                     f"{what}: min {v.min():.3g} over {len(v)} {unit} (every one must be ≥ {threshold:g})",
                     kind="every", threshold=float(threshold))  # fmt: skip


def did_not_unlearn(acc_forget: float, original: float, gold: float, mia: float = float("nan"),
                    mia_original: float = float("nan"), margin: float = NOOP_MARGIN) -> str:  # fmt: skip
    """Why a method did not unlearn, or '' if it did (or if there was nothing to unlearn).

    Means over seeds, accuracies as fractions: the method's D_f accuracy within `margin` of the original model's
    and, where measured, its MIA-efficacy within `margin` of the original's, while the gold model's D_f accuracy
    is more than `margin` from the original's (else staying put is what the gold model does)."""
    if any(np.isnan(x) for x in (acc_forget, original, gold)) or abs(gold - original) <= margin:
        return ""
    if abs(acc_forget - original) > margin:
        return ""
    if not (np.isnan(mia) or np.isnan(mia_original)) and abs(mia - mia_original) > margin:
        return ""
    text = f"D_f accuracy {100 * acc_forget:.1f}% vs the original's {100 * original:.1f}% (gold {100 * gold:.1f}%)"
    if not (np.isnan(mia) or np.isnan(mia_original)):
        text += f", MIA-efficacy {mia:.3f} vs {mia_original:.3f}"
    return text


def noop_reasons(records: pd.DataFrame, scenario, methods, margin: float = NOOP_MARGIN) -> dict[str, str]:
    """{method: why it did not unlearn} for the methods of `methods` that did not, on one scenario of long-form
    metric records (columns scenario, method, acc_forget, optional mia_efficacy; rows `original` and `retrain`);
    scenario None: on the mean over every scenario of the records (a claim judged on means over forget sets)."""
    part = records if scenario is None else records[records["scenario"] == scenario]

    def mean(method, col):
        rows = part.loc[part["method"] == method, col] if col in part else pd.Series(dtype=float)
        return float(rows.astype(float).mean()) if len(rows) else float("nan")

    out = {}
    for m in methods:
        why = did_not_unlearn(mean(m, "acc_forget"), mean("original", "acc_forget"), mean("retrain", "acc_forget"),
                              mean(m, "mia_efficacy"), mean("original", "mia_efficacy"), margin)  # fmt: skip
        if why:
            out[m] = why
    return out


def vacuous(judgement: Judgement, reasons: dict[str, str]) -> Judgement:
    """The judgement made vacuous when any method it compares did not unlearn (`reasons`: {name: why}); as is
    otherwise. Its numbers stay; the basis says which method and why."""
    if not reasons or judgement.verdict in (NOT_TESTED, NUMBER):
        return judgement
    why = "; ".join(f"{name} did not unlearn ({text})" for name, text in reasons.items())
    return Judgement(VACUOUS, judgement.n, judgement.mean, judgement.lo, judgement.hi,
                     f"vacuous: {why}. {judgement.basis}", kind=judgement.kind, threshold=judgement.threshold,
                     detectable=judgement.detectable)  # fmt: skip


def elsewhere(paper: str, prefix: str, dataset: str, claims: list[tuple[str, str, str, str]]) -> list[Claim]:
    """Claims this run cannot test, listed with what they need (not left out): (id, claim, paper's value, what it
    needs, e.g. 'dataset cifar100'); a claim whose need is `dataset <name>` is left out where the run is on it (the
    paper's own rows test it)."""
    rows = []
    for cid, claim, paper_value, need in claims:
        if need == f"dataset {dataset}":
            continue
        rows.append(Claim(paper, f"{prefix}.elsewhere.{cid}", claim, paper_value, "–",
                          not_tested(f"not tested here: needs {need}")))  # fmt: skip
    return rows


def number(values) -> Judgement:
    """A headline number: its per-seed values summarised, no verdict."""
    v = _clean(values)
    nan = float("nan")
    if len(v) == 0:
        return Judgement(NUMBER, 0, nan, nan, nan, "no numbers", kind="number")
    if len(v) < 2:
        return Judgement(NUMBER, len(v), float(v.mean()), nan, nan, "a number, not judged", kind="number")
    mean, lo, hi = _interval(v)
    return Judgement(NUMBER, len(v), mean, lo, hi, f"a number, not judged; 95% CI [{lo:.3g}, {hi:.3g}]", kind="number")


def combine(judgements: list[Judgement], what: str) -> Judgement:
    """A claim made of parts that must all hold: held if every part is held, not held if any is not held."""
    tested = [j for j in judgements if j.verdict != NOT_TESTED]
    if not tested:
        return not_tested("no parts tested")
    parts = [j for j in tested if j.verdict != VACUOUS]
    nan = float("nan")
    if not parts:
        return Judgement(VACUOUS, min(j.n for j in tested), nan, nan, nan,
                         f"{what}: every part vacuous ({'; '.join(j.basis for j in tested)})", kind="all")  # fmt: skip
    verdicts = [j.verdict for j in parts]
    if all(v == HELD for v in verdicts):
        verdict = HELD
    elif NOT_HELD in verdicts:
        verdict = NOT_HELD
    else:
        verdict = INCONCLUSIVE
    counts = ", ".join(f"{verdicts.count(v)} {v}" for v in (HELD, NOT_HELD, INCONCLUSIVE) if v in verdicts)
    if len(parts) < len(tested):
        counts += f"; {len(tested) - len(parts)} vacuous part(s) set aside: " + "; ".join(
            j.basis.split(". ")[0].removeprefix("vacuous: ") for j in tested if j.verdict == VACUOUS
        )
    return Judgement(verdict, min(j.n for j in parts), nan, nan, nan, f"{what}: {counts}", kind="all")


def recomputed_verdict(row) -> str | None:
    """The verdict a claims row's own numbers imply (kind, n_seeds, ci_low, ci_high, threshold), for checks; None
    for kinds whose verdict comes from parts not in the row (all) or that carry none (number, none)."""
    kind, n, lo, hi, thr = row["kind"], int(row["n_seeds"]), row["ci_low"], row["ci_high"], row["threshold"]
    if row["verdict"] == VACUOUS:
        return None  # set by what the methods did (the basis names them), not by the row's interval
    if kind == "compare":
        return INCONCLUSIVE if n < MIN_SEEDS else _compare_verdict(lo, hi)
    if kind in ("at_most", "at_least"):
        if n < MIN_SEEDS:
            return INCONCLUSIVE
        m_lo, m_hi = (thr - hi, thr - lo) if kind == "at_most" else (lo - thr, hi - thr)
        return _level_verdict(m_lo, m_hi, (m_lo + m_hi) / 2)
    if kind == "every":
        return HELD if lo >= thr else NOT_HELD
    return None


# ---- rendering ------------------------------------------------------------------------------------------------
def frame(claims: list[Claim]) -> pd.DataFrame:
    return pd.DataFrame([c.row() for c in claims], columns=COLUMNS)


def counts(df: pd.DataFrame) -> str:
    """'3 held, 1 not held, 5 inconclusive of 9 tested; 2 vacuous (2 not tested)': vacuous rows are not among the
    tested ones."""
    n = {v: int((df["verdict"] == v).sum()) for v in VERDICTS}
    tested = n[HELD] + n[NOT_HELD] + n[INCONCLUSIVE]
    text = f"{n[HELD]} held, {n[NOT_HELD]} not held, {n[INCONCLUSIVE]} inconclusive of {tested} tested"
    text += f"; {n[VACUOUS]} vacuous" if n[VACUOUS] else ""
    return text + (f" ({n[NOT_TESTED]} not tested)" if n[NOT_TESTED] else "")


def counts_table(df: pd.DataFrame, by: str = "paper") -> pd.DataFrame:
    """One row per paper: how many of its claims are held, not held, inconclusive, vacuous, not tested (the
    headline numbers, not judged, are left out)."""
    rows = []
    for key in dict.fromkeys(df[by]):
        part = df[df[by] == key]
        rows.append({"Paper": key, **{v: int((part["verdict"] == v).sum()) for v in VERDICTS}})
    return pd.DataFrame(rows, columns=["Paper", *VERDICTS])


def _verdict_cell(v: str) -> str:
    return f"**{v}**" if v in (HELD, NOT_HELD) else v


def markdown(df: pd.DataFrame, title: str, preamble: str, why: str) -> str:
    """A paper's claims file: title, scale/regime preamble, the verdict counts, the claims table, the headline
    numbers beside the paper's, and why we may differ."""
    numbers = df[df["verdict"] == NUMBER]
    df = df[df["verdict"] != NUMBER]
    show = pd.DataFrame(
        {
            "Claim": df["claim"],
            "Paper": df["paper_value"],
            "Ours": df["ours"],
            "Verdict": df["verdict"].map(_verdict_cell),
            "Basis": df["basis"],
        }
    )
    text = f"# {title}\n\n{preamble}\n\n{RULE}\n\n**{counts(df)}.**\n\n{show.to_markdown(index=False)}\n\n"
    if len(numbers):
        nums = pd.DataFrame({"Number": numbers["claim"], "Paper": numbers["paper_value"], "Ours": numbers["ours"]})
        head = "Headline numbers beside the paper's (not judged: the scale differs):"
        text += f"{head}\n\n{nums.to_markdown(index=False)}\n\n"
    return text + f"Why we may differ from the paper: {why}\n"
