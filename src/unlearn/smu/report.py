"""SMU's tables and claims (paper 000): our numbers beside the paper's.

One table per setting (full-class, sub-class, random): a row per model (Retrain = gold, Original, the baselines,
SMU) with accuracies on D_r, D_f, D_test (and on the forgotten / remaining classes of D_test where a class is
removed), both MIA conventions and their gaps to Retrain, ToW, wall time and speed-up over Retrain; mean ± std over
seeds. The paper's numbers (`paper_values/smu_<setting>.csv`: what the paper file states) follow as a labelled row.
"""

from __future__ import annotations

import math

import pandas as pd

from .. import claims as C
from ..reporting import display_name, lira_text, paired_diff, per_seed
from ..tables import aggregate, format_cell, hyperparameter_note, method_cell, model_text
from . import SETTINGS, TITLES

# (metric, header, scale, decimals)
COLUMNS = [
    ("acc_retain", "Acc D_r (%)", 100, 2),
    ("acc_forget", "Acc D_f (%)", 100, 2),
    ("acc_test", "Acc D_test (%)", 100, 2),
    ("acc_test_remaining", "Acc test, remaining cls (%)", 100, 2),
    ("acc_test_forgotten", "Acc test, forgotten cls (%)", 100, 2),
    ("mia_entropy", "MIA-entropy", 1, 3),
    ("mia_entropy_gap", "MIA-entropy gap", 1, 3),
    ("mia_efficacy", "MIA-efficacy", 1, 3),
    ("mia_gap", "MIA-efficacy gap", 1, 3),
    ("lira_tpr_1", "LiRA TPR@1%FPR", 1, 3),  # the LiRA columns: dropped without shadow models
    ("lira_auc", "LiRA AUC", 1, 3),
    ("lira_gap", "LiRA TPR@1% gap", 1, 3),
    ("tow", "ToW", 1, 3),
    ("seconds", "Time (s)", 1, 2),
    ("speedup", "Speed-up vs Retrain", 1, 1),
]
PAPER_UNITS = {"percent": 0.01, "fraction": 1.0}
MIA_ZERO = 0.05  # "MIA -> 0": SMU's MIA-entropy at most this
KEPT_POINTS = 2.0  # "D_r accuracy kept": within this many points of the original model
FORGET_ZERO = 0.01  # "D_f accuracy -> near 0" (full-class): at most 1%


def _nan(v) -> bool:
    return v is None or (isinstance(v, float) and math.isnan(v))


def load_paper(paths) -> pd.DataFrame:
    frames = [pd.read_csv(p) for p in paths]
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()


def paper_rows(paper: pd.DataFrame, setting: str) -> pd.DataFrame:
    """The paper's numbers for a setting as aggregate rows (fractions; method `<name>_paper`)."""
    part = paper[paper["scenario"] == setting] if len(paper) else paper
    rows = []
    for method, group in part.groupby("method", sort=False):
        row = {"setting": setting, "method": f"{method}_paper", "source": _source(group)}
        for _, r in group.iterrows():
            row[f"{r['metric']}_mean"] = float(r["value"]) * PAPER_UNITS[r["unit"]]
        rows.append(row)
    return pd.DataFrame(rows)


def _source(group: pd.DataFrame) -> str:
    first = group.iloc[0]
    return f"paper (dataset {first['dataset']}, model {first['model']})"


def setting_table(long: pd.DataFrame, setting: str, scenario: str, methods: list[str], paper: pd.DataFrame):
    """(aggregate rows, display rows) of one setting: ours (mean/std over seeds) then the paper's."""
    part = long[(long["scenario"] == scenario) & long["method"].isin(methods)]
    agg = aggregate(part, [scenario], methods)
    agg.insert(0, "setting", setting)
    agg.insert(3, "source", "ours")
    gold_seconds = agg.loc[agg["method"] == "retrain", "seconds_mean"]
    gold = float(gold_seconds.iloc[0]) if len(gold_seconds) else float("nan")
    agg["speedup_mean"] = [gold / s if s and not _nan(s) and m != "retrain" else float("nan")
                           for m, s in zip(agg["method"], agg["seconds_mean"], strict=True)]  # fmt: skip
    agg["speedup_std"] = float("nan")
    full = pd.concat([agg, paper_rows(paper, setting)], ignore_index=True)
    return full, display(full)


def display(agg: pd.DataFrame) -> pd.DataFrame:
    marks = agg["did_not_unlearn"] if "did_not_unlearn" in agg else [""] * len(agg)
    labels = [method_cell(_label(m, s), w) for m, s, w in zip(agg["method"], agg["source"], marks, strict=True)]
    out = pd.DataFrame({"Method": labels})
    for col, header, scale, decimals in COLUMNS:
        mean = agg.get(f"{col}_mean")
        if mean is None or mean.isna().all():
            continue
        std = agg.get(f"{col}_std", pd.Series([float("nan")] * len(agg)))
        out[header] = [format_cell(m, s, scale, decimals) for m, s in zip(mean, std, strict=True)]
    return out


def _label(method: str, source: str) -> str:
    if method.endswith("_paper"):
        return f"{display_name(method[: -len('_paper')], 'smu')} — {source}"
    return display_name(method, "smu")


def scale_note(scale: dict, setting: str, scenario_spec: dict) -> str:
    spec = ", ".join(f"{k} {v}" for k, v in scenario_spec.items())
    return (
        f"SMU {TITLES[setting]} forgetting, scenario `{scale['scenarios'][setting]}` ({spec}). Scale: dataset "
        f"{scale['dataset']}, model {model_text(scale['model'])}, {scale['epochs']} training epochs, seeds "
        f"{scale['seeds']} (mean ± std over seeds). MIA-entropy is SMU's MIA (the share of D_f an entropy attack "
        "calls member; the paper's \"MIA 0.00\"); MIA-efficacy is RUM's. Gaps are to Retrain. The paper's row "
        "holds only the numbers the paper file states." + hyperparameter_note(scale)
    )


# ---- claims --------------------------------------------------------------------------------------------------
PAPER = "SMU (000)"
WHY = (
    "a small model trained on ~5,000 images (the paper text states CIFAR-10 numbers only; the architectures and "
    "CIFAR-100 runs earlier notes attributed to the full paper are not in it and are unverified here); "
    "the authors' SMU hyperparameters (SGD lr 1e-4, 3 epochs) and SSD's (lambda 1, alpha 10) used unchanged, the "
    "other baselines' epochs scaled with the training recipe; the paper file states only headline numbers."
)


def _mean(series: pd.Series, scale: float = 1.0, decimals: int = 3) -> str:
    return "–" if not len(series) else f"{scale * float(series.mean()):.{decimals}f}"


def paper_number(paper: pd.DataFrame, setting: str, metric: str, missing: str = "–") -> str:
    """The paper's number for SMU in one setting, as its file prints it ('99.98% (CIFAR-10 full-class)', '0.00');
    `missing` when the paper states none."""
    if not len(paper):
        return missing
    rows = paper[(paper["scenario"] == setting) & (paper["method"] == "smu") & (paper["metric"] == metric)]
    if not len(rows):
        return missing
    row = rows.iloc[0]
    if row["unit"] == "fraction":
        return f"{float(row['value']):.2f}"
    text = f"{float(row['value']):g}%"
    if metric == "acc_retain":  # the one number the paper file ties to a dataset and a setting
        return f"{text} ({str(row['dataset']).upper().replace('CIFAR', 'CIFAR-')} {TITLES[setting]})"
    return text


def dispersion_gap(samples: pd.DataFrame, setting: str, model: str = "retrain") -> pd.Series:
    """Per seed: a model's mean logit dispersion (1 − cos) on D_f minus on D_r, in one setting (samples: the
    smu_dispersion rule's per-sample rows). > 0: D_f's logits more dispersed, the paper's premise."""
    part = samples[(samples["setting"] == setting) & (samples["model"] == model)]
    means = part.groupby(["seed", "group"])["cosine"].mean().unstack("group")
    if not {"forget", "retain"} <= set(means.columns):
        return pd.Series(dtype=float)
    return means["forget"] - means["retain"]


def claims(long: pd.DataFrame, settings: dict[str, str], methods: list[str], paper: pd.DataFrame,
           dispersion: pd.DataFrame | None = None) -> list[C.Claim]:  # fmt: skip
    """SMU's claims per setting, judged on per-seed numbers. long: metric records; settings: {setting: scenario};
    paper: the paper's numbers (load_paper of paper_values/smu_<setting>.csv); dispersion: the per-sample logit
    dispersion rows (the premise's claims; not tested without them). A comparison with a method that did not
    unlearn (claims.did_not_unlearn on its setting's means) is vacuous."""
    out: list[C.Claim] = []

    def add(cid, claim, paper_text, ours_text, judgement):
        out.append(C.Claim(PAPER, f"smu.{cid}", claim, paper_text, ours_text, judgement))

    for setting, scenario in settings.items():
        title = TITLES[setting]

        def get(method, metric, scenario=scenario):
            return per_seed(long, scenario, method, metric)

        others = [m for m in methods if m not in ("retrain", "original")]
        noops = C.noop_reasons(long, scenario, others)

        def unless_noop(judgement, *names, noops=noops):
            return C.vacuous(judgement, {n: noops[n] for n in names if n in noops})

        if dispersion is not None and len(dispersion):
            gap_f = dispersion_gap(dispersion, setting)
            add(f"premise.{setting}",
                f"The premise: unseen data gives dispersed logits, learned data concentrated ones ({title}; the gold "
                "model's logit dispersion across augmented views is larger on D_f than on D_r)",
                "dispersed on D_f, concentrated on D_r (Fig. 1, no number)",
                f"Retrain 1 − cos: D_f − D_r {_mean(gap_f, 1, 4)}",
                C.compare(gap_f, "D_f − D_r dispersion"))  # fmt: skip
        else:
            add(f"premise.{setting}", f"The premise: unseen data gives dispersed logits ({title})", "", "",
                C.not_tested("no dispersion measured"))  # fmt: skip
        mia, gold_mia = get("smu", "mia_entropy"), get("retrain", "mia_entropy")
        paper_mia = paper_number(paper, setting, "mia_entropy")
        add(f"mia_zero.{setting}", f"SMU's MIA goes to 0 ({title}; MIA-entropy ≤ {MIA_ZERO})", paper_mia,
            f"SMU {_mean(mia)} (Retrain {_mean(gold_mia)})"
            + lira_text(long, scenario, {"SMU": "smu", "Retrain": "retrain"}),
            C.level(mia, MIA_ZERO, at_most=True, what="SMU MIA-entropy"))  # fmt: skip
        drop = 100 * paired_diff(get("original", "acc_retain"), get("smu", "acc_retain"))
        add(f"dr_kept.{setting}", f"SMU keeps D_r accuracy ({title}; within {KEPT_POINTS:g} points of the original)",
            paper_number(paper, setting, "acc_retain", missing="kept (no number)"),
            f"SMU {_mean(get('smu', 'acc_retain'), 100, 2)}% "
            f"(original {_mean(get('original', 'acc_retain'), 100, 2)}%)",
            unless_noop(C.level(drop, KEPT_POINTS, at_most=True, what="drop (pts)"), "smu"))  # fmt: skip
        if setting == "fullclass":
            acc_f = get("smu", "acc_forget")
            add("df_zero.fullclass",
                f"SMU's D_f accuracy goes to near 0 in full-class forgetting (≤ {100 * FORGET_ZERO:g}%)",
                paper_number(paper, setting, "acc_forget"),
                f"SMU {_mean(acc_f, 100, 2)}% (Retrain {_mean(get('retrain', 'acc_forget'), 100, 2)}%)",
                C.level(acc_f, FORGET_ZERO, at_most=True, what="SMU Acc_Df"))  # fmt: skip
        tow, gap = get("smu", "tow"), get("smu", "mia_entropy_gap")
        for base in [m for m in methods if m not in ("retrain", "original", "smu")]:
            b_tow, b_gap = get(base, "tow"), get(base, "mia_entropy_gap")
            if not len(b_tow):
                continue
            add(f"beats.{setting}.{base}",
                f"SMU is better than {display_name(base, 'smu')} ({title}): higher ToW and a smaller MIA-entropy gap "
                "to Retrain",
                "better than every baseline",
                f"ToW {_mean(tow)} vs {_mean(b_tow)}; gap {_mean(gap)} vs {_mean(b_gap)}",
                unless_noop(C.combine([C.compare(paired_diff(tow, b_tow), "ToW SMU − baseline"),
                                       C.compare(paired_diff(b_gap, gap), "gap baseline − SMU")], "ToW and MIA gap"),
                            "smu", base))  # fmt: skip
        add(f"number.mia.{setting}", f"SMU MIA-entropy ({title})", paper_mia, _mean(mia), C.number(mia))
        lira = get("smu", "lira_tpr_1") if "lira_tpr_1" in long else pd.Series(dtype=float)
        if len(lira.dropna()):  # the per-example attack beside it (the paper has none)
            add(f"number.lira.{setting}", f"SMU LiRA TPR at 1% FPR ({title}; ours only)", "–",
                f"{_mean(lira)}{lira_text(long, scenario, {'Retrain': 'retrain', 'original': 'original'})}",
                C.number(lira.dropna()))  # fmt: skip
    return out


def untested(dataset: str) -> list[C.Claim]:
    """The paper's claims this run cannot test, with what each needs."""
    return C.elsewhere(PAPER, "smu", dataset, [
        ("cifar100", "SMU's results hold on CIFAR-100 (the full paper's runs; not in its text here)", "–",
         "dataset cifar100 (CIFAR-100's python batches under ../shared/data; not shipped)"),
        ("architectures", "SMU's results hold across model architectures", "–",
         "the paper's architectures, which its text here does not state; a config per architecture"),
    ])  # fmt: skip


CLAIMS_TITLE = "Siamese Machine Unlearning (paper 000): the paper's claims against our numbers"
CLAIMS_NOTE = (
    "MIA → 0 is the right target only where the gold model's own MIA is 0 (full-class). In sub-class and random "
    "forgetting Retrain still calls much of D_f a member, because D_f resembles D_r; a MIA of 0 there is "
    "over-forgetting (the point paper 001, TMU, makes), so the gap to Retrain is the number to read."
)


def claims_scale(scale: dict) -> str:
    """The claims file's scale line (scale: plugin.Smu.table_scale)."""
    settings = [s for s in SETTINGS if s in scale["scenarios"]]
    return (
        f"Scale: dataset {scale['dataset']}, model {model_text(scale['model'])}, {scale['epochs']} training epochs, "
        f"seeds {scale['seeds']}; settings: "
        + ", ".join(f"{TITLES[s]} = scenario `{scale['scenarios'][s]}`" for s in settings)
        + ". Paper (its text in the references): CIFAR-10 full-class headline numbers; no architecture stated."
    )
