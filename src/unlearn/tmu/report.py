"""TMU's tables, figure data and claims (paper 001): our numbers beside the paper's.

Accuracies are shown in percent, Δ in points, activation distance as is. Per forget class, a number is
the mean over seeds; the Avg row is the mean over classes. The paper's per-class numbers are shown only
when the dataset is the paper's (CIFAR-10 for Tables 1, 3, 4; CIFAR-100 for Table 2); its average row
is always shown, labelled, for reference. Numbers the paper does not print (its Fine-tuning and Random
Labeling Δ, its Tables 3 and 4 averages) are derived from the printed ones and marked so.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from .. import claims as C
from ..reporting import display_name
from ..tables import NOOP_NOTE, hyperparameter_note, method_cell, model_text, to_markdown
from . import FEATURE_SETS, parse_scenario
from .classifier import label_accuracy

# the methods the paper's tables print a value for (the order of its columns)
PAPER_METHODS = ("retrain", "finetune", "neggrad", "neggrad_plus", "random_label", "amnesiac", "bad_teacher", "tmu")
PAPER_DATASET = {"tmu_table1": "cifar10", "tmu_table2": "cifar100", "tmu_table3": "cifar10", "tmu_table4": "cifar10"}
BASELINES = ("finetune", "neggrad", "random_label", "bad_teacher")
LABEL_SOURCES = (*FEATURE_SETS, "tmu_model", "bad_teacher_model", "all_easy")


def class_label(cls, class_names) -> str:
    """'3 (cat)'; just '3' when the class's name is its index (digits)."""
    if cls == "avg":
        return "Avg"
    name = class_names[int(cls)]
    return str(cls) if name == str(cls) else f"{cls} ({name})"


def name_of(method: str) -> str:
    """The method as TMU's tables name it ('Gold', 'Negative Gradient', ...)."""
    return display_name(method, "tmu")


def _isnan(v) -> bool:
    return v is None or (isinstance(v, float) and math.isnan(v))


def fmt(v, decimals=1) -> str:
    return "–" if _isnan(v) else f"{v:.{decimals}f}"


def cell(ours, paper=None, decimals=1, paper_decimals=None) -> str:
    """'ours (paper)' or 'ours'."""
    text = fmt(ours, decimals)
    if not _isnan(paper):
        text += f" ({fmt(paper, decimals if paper_decimals is None else paper_decimals)})"
    return text


# ---- paper values --------------------------------------------------------------------------------------------
def load_paper(path) -> pd.DataFrame:
    df = pd.read_csv(path, dtype={"scenario": str})
    return df


def paper_value(paper: pd.DataFrame, scenario: str, method: str, metric: str) -> float:
    hit = paper[(paper["scenario"] == scenario) & (paper["method"] == method) & (paper["metric"] == metric)]
    return float(hit["value"].iloc[0]) if len(hit) else float("nan")


def paper_delta(paper: pd.DataFrame, scenario: str, method: str) -> tuple[float, bool]:
    """The paper's Δ for a row: printed, or derived |Acc_Df - gold Acc_Df| (second item True) when the
    paper prints only Acc_Df (its Fine-tuning and Random Labeling columns)."""
    printed = paper_value(paper, scenario, method, "delta_forget")
    if not _isnan(printed):
        return printed, False
    acc, gold = (
        paper_value(paper, scenario, method, "acc_forget"),
        paper_value(paper, scenario, "retrain", "acc_forget"),
    )
    return (abs(acc - gold), True) if not (_isnan(acc) or _isnan(gold)) else (float("nan"), False)


def paper_key(cls: int, class_names: list[str], table: str) -> str:
    """How the paper's CSV names the row of class `cls`: its index on CIFAR-10, its name on CIFAR-100."""
    return class_names[cls] if PAPER_DATASET[table] == "cifar100" else str(cls)


# ---- per-class rows ------------------------------------------------------------------------------------------
def per_class(records: pd.DataFrame, metrics: list[str]) -> pd.DataFrame:
    """Mean over seeds per (class, method) of each metric; accuracies in percent."""
    df = records.copy()
    df["class"] = [parse_scenario(s)[0] for s in df["scenario"]]
    for col in ("acc_test", "acc_forget"):
        if col in df:
            df[col] = 100.0 * df[col]
    g = df.groupby(["class", "method"], sort=True)
    out = g[metrics].mean().reset_index()
    out["n_seeds"] = g["seed"].nunique().values
    return out


def main_table(records, methods, class_names, dataset, paper, table) -> tuple[pd.DataFrame, pd.DataFrame, str]:
    """Paper Table 1/2 layout: per class, gold Acc_test/Acc_Df, then each method's Acc_test, Acc_Df, Δ.

    Returns (csv frame, display frame, note)."""
    lira = "lira_tpr_1" in records and bool(records["lira_tpr_1"].notna().any())  # LiRA ran (shadow models)
    pc = per_class(records, ["acc_test", "acc_forget", "delta_forget", *(["lira_tpr_1"] if lira else [])])
    show_paper = dataset == PAPER_DATASET[table]
    classes = sorted(pc["class"].unique())
    csv_rows, disp_rows, derived = [], [], False
    noops = C.noop_reasons(records, None, [m for m in methods if m != "retrain"])  # on the means over classes

    def head(m: str) -> str:
        return method_cell(name_of(m), noops.get(m, ""))

    for cls in [*classes, "avg"]:
        part = pc if cls == "avg" else pc[pc["class"] == cls]
        key = "avg" if cls == "avg" else paper_key(int(cls), class_names, table)
        label = class_label(cls, class_names)
        row = {"class": cls, "class_name": "" if cls == "avg" else class_names[int(cls)]}
        row["n_seeds"] = int(part["n_seeds"].min()) if len(part) else 0
        disp = {"Forget class": label}
        for m in methods:
            mp = part[part["method"] == m]
            # avg row: mean over classes of the per-class means
            vals = {
                k: float(mp[k].mean()) if len(mp) else float("nan") for k in ("acc_test", "acc_forget", "delta_forget")
            }
            p_test = paper_value(paper, key, m, "acc_test") if show_paper else float("nan")
            p_forget = paper_value(paper, key, m, "acc_forget") if show_paper else float("nan")
            p_delta, was_derived = (
                paper_delta(paper, key, m) if show_paper and m != "retrain" else (float("nan"), False)
            )
            derived |= was_derived
            row.update({f"{m}_acc_test": vals["acc_test"], f"{m}_acc_forget": vals["acc_forget"]})
            row[f"{m}_did_not_unlearn"] = noops.get(m, "") if cls == "avg" else ""
            row.update({f"paper_{m}_acc_test": p_test, f"paper_{m}_acc_forget": p_forget})
            disp[f"{head(m)} Acc_test"] = cell(vals["acc_test"], p_test, 2, 2)
            disp[f"{head(m)} Acc_Df"] = cell(vals["acc_forget"], p_forget, 1, 0 if show_paper and cls != "avg" else 1)
            if m != "retrain":
                row[f"{m}_delta"] = vals["delta_forget"]
                row[f"paper_{m}_delta"] = p_delta
                disp[f"{head(m)} Δ"] = cell(vals["delta_forget"], p_delta, 1) + ("*" if was_derived else "")
            if lira:  # ours only: the paper reports no membership attack
                row[f"{m}_lira_tpr_1"] = float(mp["lira_tpr_1"].mean()) if len(mp) else float("nan")
                disp[f"{head(m)} LiRA@1%"] = fmt(row[f"{m}_lira_tpr_1"], 3)
        csv_rows.append(row)
        disp_rows.append(disp)
    # the paper's own average row, always (the reference when our dataset is not the paper's)
    disp = {"Forget class": f"Avg, paper ({PAPER_DATASET[table]}, ResNet-18)"}
    for m in methods:
        disp[f"{head(m)} Acc_test"] = fmt(paper_value(paper, "avg", m, "acc_test"), 2)
        disp[f"{head(m)} Acc_Df"] = fmt(paper_value(paper, "avg", m, "acc_forget"), 1)
        if m != "retrain":
            d, was = paper_delta(paper, "avg", m)
            derived |= was
            disp[f"{head(m)} Δ"] = fmt(d, 1) + ("*" if was else "")
        if lira:
            disp[f"{head(m)} LiRA@1%"] = fmt(float("nan"))
    disp_rows.append(disp)
    note = "Each cell: ours" + (" (paper)" if show_paper else "") + "; Acc in %, Δ = |Acc_Df − gold Acc_Df| in points."
    if lira:
        note += " LiRA@1%: LiRA's TPR on D_f at 1% FPR on D_test (ours; the paper has no membership attack)."
    if derived:
        note += " * derived from the paper's printed Acc_Df (the paper prints no Δ for this method)."
    if noops:
        note += " " + NOOP_NOTE.replace("mean D_f accuracy", "D_f accuracy (mean over the forget classes)")
    return pd.DataFrame(csv_rows), pd.DataFrame(disp_rows), note


def activation_table(records, methods, class_names, dataset, paper) -> tuple[pd.DataFrame, pd.DataFrame, str]:
    """Paper Table 3: activation distance to the gold model on D_f, per class and method."""
    methods = [m for m in methods if m != "retrain"]
    pc = per_class(records, ["activation_distance"])
    show_paper = dataset == PAPER_DATASET["tmu_table3"]
    csv_rows, disp_rows = [], []
    for cls in [*sorted(pc["class"].unique()), "avg"]:
        part = pc if cls == "avg" else pc[pc["class"] == cls]
        row = {"class": cls, "class_name": "" if cls == "avg" else class_names[int(cls)]}
        disp = {"Forget class": class_label(cls, class_names)}
        for m in methods:
            v = float(part.loc[part["method"] == m, "activation_distance"].mean())
            p = paper_value(paper, str(cls), m, "activation_distance") if show_paper and cls != "avg" else float("nan")
            row[m], row[f"paper_{m}"] = v, p
            disp[name_of(m)] = cell(v, p, 3, 2)
        csv_rows.append(row)
        disp_rows.append(disp)
    disp = {"Forget class": "Mean, paper (cifar10, derived)"}
    for m in methods:
        vals = paper[(paper["method"] == m) & (paper["metric"] == "activation_distance")]["value"]
        disp[name_of(m)] = fmt(float(vals.mean()) if len(vals) else float("nan"), 3)
    disp_rows.append(disp)
    note = (
        "Each cell: ours" + (" (paper)" if show_paper else "") + "; mean over D_f of ‖softmax(M_u) − softmax(M_gold)‖₂."
    )
    return pd.DataFrame(csv_rows), pd.DataFrame(disp_rows), note


# ---- generalization-label accuracy (Table 4, Fig. 3) ---------------------------------------------------------
def label_records(partitions, forget_sets, gold_probs, train_y, model_probs: dict) -> pd.DataFrame:
    """One row per (scenario, seed, source): how well a labelling of D_f into easy/hard matches the gold
    model's correctness on D_f. Sources: the four classifiers (feature sets), the TMU and Bad Teacher
    models' own correctness, and the all-easy labelling (= gold Acc_Df, the trivial baseline)."""
    rows = []
    for i, (part, forget) in enumerate(zip(partitions, forget_sets, strict=True)):
        f_idx = np.asarray(forget["indices"], dtype=np.int64)
        if part["forget_idx"] != forget["indices"]:
            raise ValueError(f"partition of {part['scenario']} s{part['seed']} is for another forget set")
        y = train_y[f_idx]
        gold = gold_probs[i][f_idx].argmax(1) == y
        cls, n = parse_scenario(forget["scenario"])
        base = {
            "scenario": forget["scenario"],
            "seed": forget["seed"],
            "class": cls,
            "n": n,
            "gold_easy": int(gold.sum()),
            "twin_size": part["twin_size"],
            "twin_copy_share": (part.get("twin_copies") or 0) / max(1, part["twin_size"]),
            "twin_hard": part["twin_size"] - part["twin_easy"],
            "one_label_twin": part["twin_easy"] in (0, part["twin_size"]),
        }
        for name in FEATURE_SETS:
            easy = part["feature_sets"][name]["easy"]
            rows.append(
                {
                    **base,
                    "source": name,
                    "label_acc": 100 * label_accuracy(easy, gold),
                    "predicted_easy": int(sum(easy)),
                }
            )
        for method, probs in model_probs.items():
            correct = probs[i][f_idx].argmax(1) == y
            rows.append(
                {
                    **base,
                    "source": f"{method}_model",
                    "label_acc": 100 * label_accuracy(correct, gold),
                    "predicted_easy": int(correct.sum()),
                }
            )
        rows.append({**base, "source": "all_easy", "label_acc": 100 * float(gold.mean()), "predicted_easy": len(y)})
    return pd.DataFrame(rows)


def label_table(labels: pd.DataFrame, class_names, dataset, paper) -> tuple[pd.DataFrame, pd.DataFrame, str]:
    """Paper Table 4: accuracy (%) of the predicted easy/hard labels of D_f, per class and feature set."""
    show_paper = dataset == PAPER_DATASET["tmu_table4"]
    sources = [s for s in LABEL_SOURCES if s in set(labels["source"])]
    pc = labels.groupby(["class", "source"])["label_acc"].mean().unstack("source")
    easy = labels[labels["source"] == "all_easy"].groupby("class")[["gold_easy", "n"]].mean()
    csv_rows, disp_rows = [], []
    for cls in [*pc.index.tolist(), "avg"]:
        vals = pc.mean() if cls == "avg" else pc.loc[cls]
        row = {"class": cls, "class_name": "" if cls == "avg" else class_names[int(cls)]}
        disp = {"Forget class": class_label(cls, class_names)}
        for s in sources:
            p = (
                paper_value(paper, str(cls), s, "label_acc")
                if show_paper and s in FEATURE_SETS and cls != "avg"
                else float("nan")
            )
            row[s], row[f"paper_{s}"] = float(vals[s]), p
            disp[_source_header(s)] = cell(float(vals[s]), p, 1, 0)
        tw = labels[labels["source"] == "all_easy"]
        tw = tw if cls == "avg" else tw[tw["class"] == cls]
        row["twin_hard"], row["twin_size"] = float(tw["twin_hard"].mean()), float(tw["twin_size"].mean())
        row["one_label_twin_share"] = float(tw["one_label_twin"].mean())
        disp["Twin set: hard / size"] = f"{row['twin_hard']:.3g} / {row['twin_size']:.3g}"
        row["gold_hard_share"] = 100 * (
            1
            - float(
                (easy["gold_easy"] / easy["n"]).mean()
                if cls == "avg"
                else easy.loc[cls, "gold_easy"] / easy.loc[cls, "n"]
            )
        )
        disp["Gold-hard share of D_f (%)"] = fmt(row["gold_hard_share"], 1)
        csv_rows.append(row)
        disp_rows.append(disp)
    disp = {"Forget class": "Avg, paper (cifar10, derived)"}
    for s in sources:
        vals = paper[(paper["method"] == s) & (paper["metric"] == "label_acc")]["value"]
        disp[_source_header(s)] = fmt(float(vals.mean()) if len(vals) else float("nan"), 1)
    disp["Twin set: hard / size"] = "–"
    disp["Gold-hard share of D_f (%)"] = "–"
    disp_rows.append(disp)
    note = (
        "Each cell: ours" + (" (paper)" if show_paper else "") + ": % of D_f whose predicted easy/hard label matches "
        "the gold model's correctness. Columns NF+AF+CF ... CF are the classifier on those features (paper Table 4); "
        "'TMU model' / 'Bad Teacher model' use each unlearned model's own correctness as its labels; 'all easy' "
        "labels every sample easy (equals the gold model's Acc_Df): a classifier is only informative above it. "
        "Paper: its second number of each pair (the first has lost its sub-header in the paper's text). "
        "'Twin set: hard / size': the twin set's generalization labels (the original model's errors on D_t); a twin "
        "set with one label only cannot train the classifier, and all of D_f then gets that label."
    )
    return pd.DataFrame(csv_rows), pd.DataFrame(disp_rows), note


def _source_header(source: str) -> str:
    return {"tmu_model": "TMU model", "bad_teacher_model": "Bad Teacher model", "all_easy": "all easy"}.get(
        source, source
    )


def fig3_frame(labels: pd.DataFrame) -> pd.DataFrame:
    """Fig. 3 data: label accuracy per forget-set size and source (mean and per-seed values), with the share
    of the twin set D_t that is augmented copies of held-out images at that size (the hold-out pool is fixed,
    so large forget sets get twin sets made mostly of copies)."""
    g = labels.groupby(["n", "source"])
    out = g["label_acc"].agg(["mean", "std", "count"]).reset_index()
    out = out.rename(columns={"mean": "label_acc_mean", "std": "label_acc_std", "count": "n_seeds"})
    if "twin_copy_share" in labels:
        out["twin_copy_share"] = g["twin_copy_share"].mean().to_numpy()
    return out


# ---- markdown ------------------------------------------------------------------------------------------------
def markdown(title: str, scale_text: str, note: str, display: pd.DataFrame) -> str:
    return to_markdown(display, title, f"{scale_text}\n\n{note}")


def scale_text(scale: dict) -> str:
    return (
        f"Scale: dataset {scale['dataset']}, model {model_text(scale['model'])}, {scale['epochs']} training epochs, "
        f"seeds {scale['seeds']} (per class: mean over seeds; Avg: mean over classes). "
        "Paper: CIFAR-10/100, ResNet-18, 100 forgotten images of 5,000 (CIFAR-10) per class."
        + hyperparameter_note(scale)
    )
