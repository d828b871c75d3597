"""RUM's tables and claims (paper 002): our numbers beside the paper's.

ToW is shown as mean ± 95% t-interval half-width over seeds (one seed: no interval), MIA gap (the MIA-efficacy
gap, RUM's convention) as mean ± std. The paper's numbers come from `paper_values/rum_*.csv`; the RUM table
shows its CIFAR-10 and CIFAR-100 columns whatever dataset ran, labelled, so the comparison is explicit.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from ..metrics import t_interval
from ..tables import model_text
from . import LEVELS, MIX, VARIANT_NAMES, parse_method, scenario_name

METHOD_NAMES = {
    "retrain": "Retrain",
    "finetune": "Fine-tune",
    "l1_sparse": "L1-sparse",
    "neggrad": "NegGrad",
    "neggrad_plus": "NegGrad+",
    "salun": "SalUn",
    "scrub": "SCRUB",
    "random_label": "Random-label",
    "amnesiac": "Amnesiac",
    "bad_teacher": "Bad Teacher",
    "rum": "RUM",
}
FACTOR_TITLES = {"es": "ES", "mem": "memorization"}


def name_of(method: str) -> str:
    return METHOD_NAMES.get(method, method)


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
    cols = ["scenario", "seed", "method", "tow", "tow_mia", "mia_gap", "acc_forget", "acc_retain", "acc_test"]
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
    for method in methods:
        part = records[(records["scenario"] == MIX) & (records["method"] == method)]
        base, variant = parse_method(method)
        tow, gap = _stats(part["tow"]), _stats(part["mia_gap"])
        row = {
            "method": method,
            "label": name_of(base),
            "variant": "" if base in ("retrain", "rum") else VARIANT_NAMES[variant],
            "n_seeds": tow["n"],
            "tow_mean": tow["mean"],
            "tow_ci95": tow["ci95"],
            "mia_gap_mean": gap["mean"],
            "mia_gap_std": gap["std"],
        }
        if method == "rum":
            row["variant"] = ", ".join(f"{lv}: {name_of(select[lv])}" for lv in LEVELS)
        for ds in ("cifar10", "cifar100"):
            row[f"paper_{ds}_tow"], row[f"paper_{ds}_tow_spread"] = _paper(paper, ds, method, "tow")
            row[f"paper_{ds}_mia_gap"] = _paper(paper, ds, method, "mia_gap")[0]
        rows.append(row)
    return pd.DataFrame(rows)


def rum_table_display(table: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "Method": table["label"],
            "Variant": table["variant"],
            "ToW ↑ (ours)": [pm(m, c) for m, c in zip(table["tow_mean"], table["tow_ci95"], strict=True)],
            "MIA gap ↓ (ours)": [pm(m, s) for m, s in zip(table["mia_gap_mean"], table["mia_gap_std"], strict=True)],
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
        row = {"Method": name_of(method)}
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
        f"K = {scale['memorization_models']} memorization models"
    )


def _verdict(ok: int, total: int) -> str:
    if total == 0:
        return "not tested (no numbers)"
    return "supported" if ok == total else ("not supported" if ok == 0 else f"partly supported ({ok} of {total})")


def claims(table: pd.DataFrame, es: pd.DataFrame, esmem: pd.DataFrame, difficulty: pd.DataFrame, scale: dict) -> str:
    tow = dict(zip(table["method"], table["tow_mean"], strict=True))
    lines = [
        "# RUM (paper 002): the paper's claims against our numbers",
        "",
        f"Scale: {scale_text(scale)}. Paper: ResNet-18 on CIFAR-10 / CIFAR-100, forget sets of 1,000 "
        "(RUM table: 3,000). A claim is tested on the mean over seeds; with one seed there is no interval, so a "
        "difference may be noise.",
        "",
    ]

    def add(title, ok, total, detail):
        lines.extend([f"## {title}", "", f"**{_verdict(ok, total)}** — {detail}", ""])

    e = es.set_index("level")["es_mean"]
    add("The ES partitions are ordered (low < medium < high ES)", int(e["low"] < e["medium"] < e["high"]), 1,
        "ES " + ", ".join(f"{lv} {e[lv]:.2f}" for lv in LEVELS) + " (by construction in the paper: "
        + ", ".join(f"{lv} {v:.2f}" for lv, v in zip(LEVELS, es["paper_es"], strict=True)) + ").")  # fmt: skip
    for factor, title in (("es", "entanglement (ES)"), ("mem", "memorization")):
        part = difficulty[difficulty["factor"] == factor]
        per, ok = [], 0
        for method in dict.fromkeys(part["method"]):
            if method == "retrain":
                continue
            t = part[part["method"] == method].set_index("level")["tow_mean"]
            good = bool(t["low"] > t["high"])
            ok += good
            per.append(f"{name_of(method)} {t['low']:.3f} → {t['medium']:.3f} → {t['high']:.3f}")
        add(f"Unlearning is harder with higher {title}", ok, len(per),
            "ToW low → medium → high (per method: ToW(low) > ToW(high)): " + "; ".join(per) + ".")  # fmt: skip
    m = esmem.set_index("level")["es_mean"]
    distinct = not (m["low"] < m["medium"] < m["high"])
    add("ES and memorization are distinct (the memorization sets' ES is not ordered with memorization)",
        int(distinct), 1, "ES of the low / medium / high memorization sets: "
        + ", ".join(f"{m[lv]:.2f}" for lv in LEVELS) + " (paper: "
        + ", ".join(f"{v:.2f}" for v in esmem["paper_es"]) + ").")  # fmt: skip
    bases = [b for b in dict.fromkeys(parse_method(x)[0] for x in table["method"]) if b not in ("retrain", "rum")]
    per, ok = [], 0
    for b in bases:
        v, s, f = tow.get(b), tow.get(f"{b}-shuffle"), tow.get(f"{b}-rumf")
        good = f > v and f > s
        ok += good
        per.append(f"{name_of(b)}: RUM_F {f:.3f} vs vanilla {v:.3f}, shuffle {s:.3f}")
    add("RUM_F beats vanilla and shuffle for each method", ok, len(per), "; ".join(per) + ".")
    others = {k: v for k, v in tow.items() if k not in ("retrain", "rum")}
    best = max(others, key=others.get) if others else None
    if "rum" in tow and best is not None:
        add("RUM is best overall", int(tow["rum"] >= others[best]), 1,
            f"RUM ToW {tow['rum']:.3f}; best other: {best} {others[best]:.3f}.")  # fmt: skip
    lines.append(
        "Why numbers may differ from the paper: a small model trained for a few epochs on a small dataset "
        "memorizes little (few samples with a memorization score near 1), the memorization scores come from K "
        "models instead of thousands, and one or two seeds give no usable interval."
    )
    return "\n".join(lines) + "\n"
