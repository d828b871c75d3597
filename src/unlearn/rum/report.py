"""RUM's tables and claims (paper 002): our numbers beside the paper's.

ToW is shown as mean ± 95% t-interval half-width over seeds (one seed: no interval), MIA gap (the MIA-efficacy
gap, RUM's convention) as mean ± std. The paper's numbers come from `paper_values/rum_*.csv`; the RUM table
shows its CIFAR-10 and CIFAR-100 columns whatever dataset ran, labelled, so the comparison is explicit.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from .. import claims as C
from ..metrics import t_interval
from ..reporting import display_name, lira_text, paired_diff, per_seed
from ..tables import hyperparameter_note, method_cell, model_text
from . import LEVELS, MIX, VARIANT_NAMES, parse_method, scenario_name

FACTOR_TITLES = {"es": "ES", "mem": "memorization"}


def _nan(v) -> bool:
    return v is None or (isinstance(v, float) and math.isnan(v))


def pm(mean, spread=None, decimals=3) -> str:
    if _nan(mean):
        return "–"
    return f"{mean:.{decimals}f}" + ("" if _nan(spread) else f" ± {spread:.{decimals}f}")


def _stats(values) -> dict:
    v = [float(x) for x in values if not _nan(float(x))]
    mean, ci = t_interval(v) if v else (float("nan"), float("nan"))
    std = float(np.std(v, ddof=1)) if len(v) > 1 else float("nan")
    return {"mean": mean, "ci95": ci, "std": std, "n": len(v)}


def records_frame(records: list[dict]) -> pd.DataFrame:
    cols = ["scenario", "seed", "method", "tow", "tow_mia", "mia_gap", "mia_efficacy", "acc_forget", "acc_retain",
            "acc_test", "lira_tpr_1", "lira_gap"]  # fmt: skip
    return pd.DataFrame([{k: r.get(k) for k in cols} for r in records])


def _paper(paper: pd.DataFrame, dataset: str, method: str, metric: str):
    row = paper[(paper["dataset"] == dataset) & (paper["method"] == method) & (paper["metric"] == metric)]
    if row.empty:
        return float("nan"), float("nan")
    spread = row["spread"].iloc[0]
    return float(row["value"].iloc[0]), float(spread) if not _nan(spread) and spread != "" else float("nan")


# --- the RUM table ---------------------------------------------------------------------------------------------


def rum_table(records: pd.DataFrame, methods: list[str], paper: pd.DataFrame, select: dict) -> pd.DataFrame:
    """One row per model on rum_mix (Retrain, then each method's vanilla / shuffle / RUM_F, then RUM)."""
    rows = []
    noops = C.noop_reasons(records, MIX, [m for m in methods if m not in C_REFS])
    for method in methods:
        part = records[(records["scenario"] == MIX) & (records["method"] == method)]
        base, variant = parse_method(method)
        tow, gap = _stats(part["tow"]), _stats(part["mia_gap"])
        lira, lira_gap = (_stats(part.get(c, pd.Series(dtype=float)).dropna()) for c in ("lira_tpr_1", "lira_gap"))
        row = {
            "method": method,
            "label": display_name(base),
            "variant": "" if base in ("retrain", "rum") else VARIANT_NAMES[variant],
            "n_seeds": tow["n"],
            "tow_mean": tow["mean"],
            "tow_ci95": tow["ci95"],
            "mia_gap_mean": gap["mean"],
            "mia_gap_std": gap["std"],
            "lira_tpr_1_mean": lira["mean"],
            "lira_tpr_1_std": lira["std"],
            "lira_gap_mean": lira_gap["mean"],
            "lira_gap_std": lira_gap["std"],
            "did_not_unlearn": noops.get(method, ""),
        }
        if method == "rum":
            row["variant"] = ", ".join(f"{lv}: {display_name(select[lv])}" for lv in LEVELS)
        for ds in ("cifar10", "cifar100"):
            row[f"paper_{ds}_tow"], row[f"paper_{ds}_tow_spread"] = _paper(paper, ds, method, "tow")
            row[f"paper_{ds}_mia_gap"] = _paper(paper, ds, method, "mia_gap")[0]
        rows.append(row)
    return pd.DataFrame(rows)


def rum_table_display(table: pd.DataFrame) -> pd.DataFrame:
    lira = {}
    if "lira_tpr_1_mean" in table and table["lira_tpr_1_mean"].notna().any():  # without shadow models: no columns
        lira = {
            "LiRA TPR@1%FPR (ours)": [
                pm(m, s) for m, s in zip(table["lira_tpr_1_mean"], table["lira_tpr_1_std"], strict=True)
            ],
            "LiRA gap ↓ (ours)": [pm(m, s) for m, s in zip(table["lira_gap_mean"], table["lira_gap_std"], strict=True)],
        }
    return pd.DataFrame(
        {
            "Method": [method_cell(lab, w) for lab, w in zip(table["label"], table["did_not_unlearn"], strict=True)],
            "Variant": table["variant"],
            "ToW ↑ (ours)": [pm(m, c) for m, c in zip(table["tow_mean"], table["tow_ci95"], strict=True)],
            "MIA gap ↓ (ours)": [pm(m, s) for m, s in zip(table["mia_gap_mean"], table["mia_gap_std"], strict=True)],
            **lira,
            "ToW (paper, CIFAR-10)": [
                pm(m, s) for m, s in zip(table["paper_cifar10_tow"], table["paper_cifar10_tow_spread"], strict=True)
            ],
            "MIA gap (paper, CIFAR-10)": [pm(m) for m in table["paper_cifar10_mia_gap"]],
            "ToW (paper, CIFAR-100)": [
                pm(m, s) for m, s in zip(table["paper_cifar100_tow"], table["paper_cifar100_tow_spread"], strict=True)
            ],
            "MIA gap (paper, CIFAR-100)": [pm(m) for m in table["paper_cifar100_mia_gap"]],
        }
    )


# --- ES tables -------------------------------------------------------------------------------------------------


def es_values_table(es_records: list[dict], paper: pd.DataFrame) -> pd.DataFrame:
    """ES of the low / medium / high ES forget sets: mean ± std over seeds, beside the paper's."""
    rows = []
    for level in LEVELS:
        st = _stats([r["es"][level] for r in es_records])
        p = paper[paper["scenario"] == scenario_name("es", level)]
        rows.append(
            {
                "level": level,
                "group": es_records[0]["picks"][LEVELS.index(level)],
                "groups": es_records[0]["groups"],
                "n": es_records[0]["n"],
                "n_seeds": st["n"],
                "es_mean": st["mean"],
                "es_std": st["std"],
                "paper_es": float(p["value"].iloc[0]) if not p.empty else float("nan"),
                "paper_es_std": float(p["spread"].iloc[0]) if not p.empty else float("nan"),
            }
        )
    return pd.DataFrame(rows)


def es_values_display(table: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "ES partition": [f"{lv} ES" for lv in table["level"]],
            "group (0-based)": [f"{g} of {n}" for g, n in zip(table["group"], table["groups"], strict=True)],
            "ES (ours)": [pm(m, s, 2) for m, s in zip(table["es_mean"], table["es_std"], strict=True)],
            "ES (paper)": [pm(m, s, 2) for m, s in zip(table["paper_es"], table["paper_es_std"], strict=True)],
        }
    )


def es_by_memorization_table(es_by_seed: list[dict], mem_means: dict, paper: pd.DataFrame) -> pd.DataFrame:
    """ES(D \\ S, S) of each memorization forget set S (per seed, on that seed's original model's embeddings)."""
    rows = []
    for level in LEVELS:
        st = _stats([r[level] for r in es_by_seed])
        p = paper[paper["scenario"] == scenario_name("mem", level)]
        rows.append(
            {
                "level": level,
                "mem_mean": mem_means[level],
                "n_seeds": st["n"],
                "es_mean": st["mean"],
                "es_std": st["std"],
                "paper_es": float(p["value"].iloc[0]) if not p.empty else float("nan"),
            }
        )
    return pd.DataFrame(rows)


def es_by_memorization_display(table: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "memorization partition": [f"{lv} memorization" for lv in table["level"]],
            "mean mem score": [pm(v, None, 3) for v in table["mem_mean"]],
            "ES (ours)": [pm(m, s, 2) for m, s in zip(table["es_mean"], table["es_std"], strict=True)],
            "ES (paper)": [pm(v, None, 2) for v in table["paper_es"]],
        }
    )


# --- difficulty ------------------------------------------------------------------------------------------------


def difficulty_table(records: pd.DataFrame, methods: list[str]) -> pd.DataFrame:
    """ToW (mean, 95% CI) and MIA gap of every method alone on each ES / memorization forget set."""
    rows = []
    for factor in FACTOR_TITLES:
        for level in LEVELS:
            for method in methods:
                part = records[(records["scenario"] == scenario_name(factor, level)) & (records["method"] == method)]
                tow, gap = _stats(part["tow"]), _stats(part["mia_gap"])
                rows.append({"factor": factor, "level": level, "method": method, "n_seeds": tow["n"],
                             "tow_mean": tow["mean"], "tow_ci95": tow["ci95"], "mia_gap_mean": gap["mean"],
                             "acc_forget_mean": float(part["acc_forget"].mean())})  # fmt: skip
    return pd.DataFrame(rows)


def difficulty_display(table: pd.DataFrame) -> pd.DataFrame:
    out = []
    for method in dict.fromkeys(table["method"]):
        row = {"Method": display_name(method)}
        for factor, title in FACTOR_TITLES.items():
            for level in LEVELS:
                r = table[(table["method"] == method) & (table["factor"] == factor) & (table["level"] == level)]
                row[f"ToW {level} {title}"] = pm(r["tow_mean"].iloc[0], r["tow_ci95"].iloc[0])
        out.append(row)
    return pd.DataFrame(out)


# --- memorization ----------------------------------------------------------------------------------------------


def memorization_table(summary: dict) -> pd.DataFrame:
    rows = [
        ("subset models K", summary["models"], "each trained on a random share of D"),
        ("samples of D", summary["n_train"], ""),
        ("samples never held out or never trained on", summary["unscored"], "no score; left out of the partitions"),
        ("mean memorization score", summary["mem_mean"], ""),
        ("share with score > 0.5", summary["mem_share_above_0.5"], ""),
        *[(f"mean score, {lv} set", summary["level_mem_mean"][lv], "") for lv in LEVELS],
        ("Spearman(score, confidence proxy)", summary["spearman_confidence"], "expected negative"),
        ("Spearman(score, holdout-retraining proxy)", summary["spearman_holdout"], "expected positive"),
    ]
    return pd.DataFrame(rows, columns=["quantity", "value", "note"])


def memorization_display(table: pd.DataFrame) -> pd.DataFrame:
    def text(v):
        return str(v) if isinstance(v, int | np.integer) else pm(float(v), None, 3)

    return pd.DataFrame({"quantity": table["quantity"], "value": [text(v) for v in table["value"]],
                         "note": table["note"]})  # fmt: skip


# --- claims ----------------------------------------------------------------------------------------------------


def scale_text(scale: dict) -> str:
    return (
        f"dataset {scale['dataset']}, model {model_text(scale['model'])}, {scale['epochs']} training epochs, "
        f"seeds {scale['seeds']}, forget sets of n = {scale['n']} (RUM table: 3n = {3 * scale['n']}), "
        f"K = {scale['memorization_models']} memorization models" + hyperparameter_note(scale).rstrip(".")
    )


PAPER = "RUM (002)"
WHY = (
    "a small model trained on ~5,000 images memorizes differently from a full-size network on 50,000 (its "
    "memorization scores come from K subset models instead of thousands); forget sets of n (the authors' code: "
    "1,000, unverified here); the methods' "
    "epochs scaled with the training recipe; and the paper's numbers have no stated seeds or intervals."
)


def es_per_seed(es_records: list[dict], es_by_memorization: list[dict], seeds: list[int]) -> pd.DataFrame:
    """Long frame (seed, factor, level, es): the ES of each ES set and of each memorization set, per seed."""
    rows = [{"seed": int(r["seed"]), "factor": "es", "level": lv, "es": float(r["es"][lv])}
            for r in es_records for lv in LEVELS]  # fmt: skip
    rows += [{"seed": int(seed), "factor": "mem", "level": lv, "es": float(by[lv])}
             for seed, by in zip(seeds, es_by_memorization, strict=True) for lv in LEVELS]  # fmt: skip
    return pd.DataFrame(rows, columns=["seed", "factor", "level", "es"])


def _mean(series: pd.Series, decimals: int = 3) -> str:
    return pm(float(series.mean()) if len(series) else float("nan"), None, decimals)


def claims(records: pd.DataFrame, es: pd.DataFrame, rum: dict, paper: dict) -> list[C.Claim]:
    """The paper's claims judged on per-seed numbers. records: metric records of rum_mix and the difficulty sets;
    es: `es_per_seed`; paper: {"table", "es_values", "es_by_memorization"} frames of paper_values."""
    out: list[C.Claim] = []
    noops = {sc: C.noop_reasons(records, sc, [m for m in dict.fromkeys(records["method"]) if m not in C_REFS])
             for sc in dict.fromkeys(records["scenario"])}  # fmt: skip

    def unless_noop(judgement, scenario, *names):
        return C.vacuous(judgement, {n: noops[scenario][n] for n in names if n in noops.get(scenario, {})})

    def add(cid, claim, paper_text, ours_text, judgement):
        out.append(C.Claim(PAPER, f"rum.{cid}", claim, paper_text, ours_text, judgement))

    def es_of(factor, level):
        return es[(es["factor"] == factor) & (es["level"] == level)].set_index("seed")["es"]

    p_es = dict(zip(paper["es_values"]["scenario"], paper["es_values"]["value"], strict=True))
    p_esm = dict(zip(paper["es_by_memorization"]["scenario"], paper["es_by_memorization"]["value"], strict=True))
    e = {lv: es_of("es", lv) for lv in LEVELS}
    add("es_ordered", "The ES partitions are ordered: low < medium < high ES (by construction in the paper)",
        ", ".join(f"{lv} {p_es[scenario_name('es', lv)]:.0f}" for lv in LEVELS),
        ", ".join(f"{lv} {_mean(e[lv], 1)}" for lv in LEVELS),
        C.combine([C.compare(paired_diff(e["medium"], e["low"]), "medium − low ES"),
                   C.compare(paired_diff(e["high"], e["medium"]), "high − medium ES")], "both steps"))  # fmt: skip
    for factor, title in (("es", "entanglement (ES)"), ("mem", "memorization")):
        lo_lv, hi_lv = measured_extremes(e) if factor == "es" else ("low", "high")
        order = ""
        if (lo_lv, hi_lv) != ("low", "high"):
            order = f" (by measured ES: the {lo_lv}-labelled set the least entangled, the {hi_lv}-labelled the most)"
        for method in rum["difficulty"]:
            low, high = (per_seed(records, scenario_name(factor, lv), method, "tow") for lv in (lo_lv, hi_lv))
            if not len(low) or not len(high):
                continue
            judged = C.compare(paired_diff(low, high), "ToW(low) − ToW(high)")
            lo_sc, hi_sc = (scenario_name(factor, lv) for lv in (lo_lv, hi_lv))
            if method in noops.get(lo_sc, {}) and method in noops.get(hi_sc, {}):  # did nothing on either set
                judged = C.vacuous(judged, {f"{method} (low set)": noops[lo_sc][method],
                                            f"{method} (high set)": noops[hi_sc][method]})  # fmt: skip
            add(f"harder_{factor}.{method}", f"Unlearning is harder with higher {title}: {display_name(method)}'s ToW "
                f"is lower on the high set than on the low set{order}",
                "harder on the high set (figure; no numbers in text)",
                f"ToW {lo_lv} {_mean(low)} vs {hi_lv} {_mean(high)}", judged)  # fmt: skip
        add(f"best_depends.{factor}", f"The best algorithm depends on the forget set's {title}: the method with the "
            "highest ToW differs between the low and high sets", "RUM picks a different method per level (§5)",
            *best_depends(records, factor, list(rum["difficulty"]), noops))  # fmt: skip
    m = {lv: es_of("mem", lv) for lv in LEVELS}
    add("distinct", "ES and memorization are distinct: the high-memorization set is less entangled than the low one",
        ", ".join(f"{lv} {p_esm[scenario_name('mem', lv)]:.0f}" for lv in LEVELS),
        ", ".join(f"{lv} {_mean(m[lv], 1)}" for lv in LEVELS),
        C.compare(paired_diff(m["low"], m["high"]), "ES(low mem) − ES(high mem)"))  # fmt: skip

    ptab = paper["table"]

    def paper_tow(method):
        return paper_value(ptab, method, "tow")

    mix_methods = [m for m in dict.fromkeys(records.loc[records["scenario"] == MIX, "method"]) if m != "original"]
    tow = {mm: per_seed(records, MIX, mm, "tow") for mm in mix_methods}
    for base in rum["methods"]:
        v, s, f = tow.get(base), tow.get(f"{base}-shuffle"), tow.get(f"{base}-rumf")
        if v is None or s is None or f is None:
            continue
        for other, series, label in (("vanilla", v, base), ("shuffle", s, f"{base}-shuffle")):
            add(f"rumf_vs_{other}.{base}", f"RUM_F beats {other} for {display_name(base)} (ToW)",
                f"{pm(paper_tow(f'{base}-rumf'))} vs {pm(paper_tow(label))} (CIFAR-10)",
                f"{_mean(f)} vs {_mean(series)}",
                unless_noop(C.compare(paired_diff(f, series), f"ToW RUM_F − {other}"), MIX, f"{base}-rumf",
                            label))  # fmt: skip
        g_v, g_f = (per_seed(records, MIX, mm, "mia_gap") for mm in (base, f"{base}-rumf"))
        add(f"rumf_mia_gap.{base}", f"RUM_F has a smaller MIA gap than vanilla for {display_name(base)}",
            f"{pm(paper_value(ptab, f'{base}-rumf', 'mia_gap'))} vs {pm(paper_value(ptab, base, 'mia_gap'))} "
            "(CIFAR-10)",
            f"{_mean(g_f)} vs {_mean(g_v)}"
            + lira_text(records, MIX, {"RUM_F": f"{base}-rumf", "vanilla": base}, "lira_gap"),
            unless_noop(C.compare(paired_diff(g_v, g_f), "MIA gap vanilla − RUM_F"), MIX, f"{base}-rumf",
                        base))  # fmt: skip
    if "rum" in tow:
        others = [mm for mm in tow if mm not in ("retrain", "rum")]
        best = max(others, key=lambda mm: float(tow[mm].mean())) if others else None
        add("rum_best", "RUM is best overall: its ToW is above every other row of the RUM table",
            f"RUM {pm(paper_tow('rum'))} vs best other {paper_best_other(ptab)}",
            f"RUM {_mean(tow['rum'])} vs best other {best} {_mean(tow[best]) if best else '–'}",
            C.combine([unless_noop(C.compare(paired_diff(tow["rum"], tow[mm])), MIX, "rum", mm) for mm in others],
                      "RUM vs each row"))  # fmt: skip
    # headline numbers: the RUM table's ToW per row
    for mm, series in tow.items():
        add(f"tow.{mm}", f"ToW on the RUM table's forget set, {mm}", pm(paper_tow(mm)), _mean(series),
            C.number(series))  # fmt: skip
    return out


C_REFS = ("retrain", "original")


def measured_extremes(es_by_level: dict[str, pd.Series]) -> tuple[str, str]:
    """(the level whose set has the lowest mean measured ES, the highest): the sets are cut by distance to the
    centroid (the authors' get_distance), which need not order them by the ES the paper's formula then measures
    (docs/rum.md); "harder with higher ES" is judged on the measured order."""
    means = {lv: float(v.mean()) for lv, v in es_by_level.items() if len(v)}
    if len(means) < 2:
        return "low", "high"
    return min(means, key=means.get), max(means, key=means.get)


def paper_value(table: pd.DataFrame, method: str, metric: str, dataset: str = "cifar10") -> float:
    hit = table[(table["dataset"] == dataset) & (table["method"] == method) & (table["metric"] == metric)]
    return float(hit["value"].iloc[0]) if len(hit) else float("nan")


def best_depends(records: pd.DataFrame, factor: str, methods: list[str], noops: dict) -> tuple[str, C.Judgement]:
    """(ours text, judgement) of "the best algorithm depends on the forget set" on one factor's low and high sets.

    The best method of each set by mean ToW. Different (A on low, B on high): held when A beats B on low *and* B
    beats A on high (both paired comparisons held). The same method A on both: the claim is not held when A beats
    the runner-up on both sets (a ranking that does not depend on the set), inconclusive otherwise. A comparison
    with a method that did not unlearn on that set is vacuous (set aside)."""
    sets = {lv: scenario_name(factor, lv) for lv in ("low", "high")}
    tow = {lv: {m: per_seed(records, sc, m, "tow") for m in methods} for lv, sc in sets.items()}
    tow = {lv: {m: t for m, t in by.items() if len(t)} for lv, by in tow.items()}
    if any(len(by) < 2 for by in tow.values()):
        return "", C.not_tested("fewer than two methods on the low and high sets")

    def ranked(lv):
        return sorted(tow[lv], key=lambda m: -float(tow[lv][m].mean()))

    def part(lv, a, b):
        j = C.compare(paired_diff(tow[lv][a], tow[lv][b]), f"{lv}: ToW {a} − {b}")
        return C.vacuous(j, {n: noops[sets[lv]][n] for n in (a, b) if n in noops.get(sets[lv], {})})

    low, high = ranked("low"), ranked("high")
    text = f"best on low: {low[0]} {_mean(tow['low'][low[0]])}; on high: {high[0]} {_mean(tow['high'][high[0]])}"
    if low[0] != high[0]:
        return text, C.combine([part("low", low[0], high[0]), part("high", high[0], low[0])], "the ranking flips")
    same = C.combine([part("low", low[0], low[1]), part("high", high[0], high[1])], f"{low[0]} best on both")
    if same.verdict == C.HELD:
        verdict, why = C.NOT_HELD, "the same method beats the runner-up on both sets"
    elif same.verdict == C.VACUOUS:
        verdict, why = C.VACUOUS, "vacuous"
    else:
        verdict, why = C.INCONCLUSIVE, "the same method is best by mean on both, not decisively"
    return text, C.Judgement(verdict, same.n, same.mean, same.lo, same.hi, f"{why} ({same.basis})", kind="all")


def untested(dataset: str) -> list[C.Claim]:
    """The paper's claims this run cannot test, with what each needs."""
    return C.elsewhere(PAPER, "rum", dataset, [
        ("cifar100", "The RUM table's ranking holds on CIFAR-100 (the paper's second column)", "its CIFAR-100 column",
         "dataset cifar100 (CIFAR-100's python batches under ../shared/data; not shipped)"),
    ])  # fmt: skip


def row_label(method: str) -> str:
    """'Fine-tune RUM_F' for finetune-rumf, 'Fine-tune' for finetune, 'RUM' for rum."""
    base, variant = parse_method(method)
    return display_name(base) + ("" if variant in ("vanilla", "rum") else f" {VARIANT_NAMES[variant]}")


def paper_best_other(table: pd.DataFrame, dataset: str = "cifar10") -> str:
    """The paper's best RUM-table ToW apart from Retrain and RUM, with its row: '0.937 (Fine-tune RUM_F, CIFAR-10)'."""
    rows = table[(table["dataset"] == dataset) & (table["metric"] == "tow") & ~table["method"].isin(["retrain", "rum"])]
    best = rows.loc[rows["value"].astype(float).idxmax()]
    return f"{pm(float(best['value']))} ({row_label(best['method'])}, {dataset.upper().replace('CIFAR', 'CIFAR-')})"


CLAIMS_TITLE = "RUM (paper 002): the paper's claims against our numbers"


def claims_scale(scale: dict) -> str:
    """The claims file's scale line (scale: plugin.Rum.table_scale)."""
    return (
        f"Scale: {scale_text(scale)}. Paper (its text in the references): CIFAR-10 and CIFAR-100; the model and the "
        "forget-set sizes (ResNet-18, 1,000 per set, 3,000 for the RUM table, as earlier notes had them from the "
        "authors' code) are not in the text and are unverified here."
    )
