"""The spiking network's table, its figure (accuracy loss against the share of D unlearned, and recovery) and the
survey's claims about unlearning in SNNs."""

from __future__ import annotations

import numpy as np
import pandas as pd

from .. import claims as C
from ..plots import plt, save
from . import NAMES, ORIGINAL, models

COLUMNS = ["acc_forget", "acc_retain", "acc_test", "mia_efficacy", "tow", "seconds"]


def with_share(long: pd.DataFrame, runs: list[dict], kinds: dict) -> pd.DataFrame:
    """The SNN scenarios' records with the share of D unlearned (|D_f| / |D|) and the scenario's kind."""
    sizes = {(r["scenario"], r["seed"]): r["forget_size"] / r["train_size"] for r in runs}
    out = long[long["method"].isin(models())].copy()
    out["share"] = [sizes[(s, seed)] for s, seed in zip(out["scenario"], out["seed"], strict=True)]
    out["kind"] = out["scenario"].map(kinds)
    return out


def accuracy_loss(long: pd.DataFrame) -> pd.DataFrame:
    """Per (scenario, seed, method): test accuracy lost against the SNN original of that seed (points)."""
    base = long[long["method"] == ORIGINAL].set_index(["scenario", "seed"])["acc_test"]
    out = long[long["method"] != ORIGINAL].copy()
    out["loss"] = [100 * (base[(s, seed)] - a) for s, seed, a in zip(out["scenario"], out["seed"], out["acc_test"],
                                                                     strict=True)]  # fmt: skip
    return out


def table(long: pd.DataFrame) -> pd.DataFrame:
    """Per (scenario, method): means over seeds, and the test accuracy lost against the SNN original (points)."""
    rows = []
    order = {m: i for i, m in enumerate(models())}
    lost = accuracy_loss(long).groupby(["scenario", "method"])["loss"].mean()
    for (scenario, method), part in long.groupby(["scenario", "method"], sort=False):
        row = {"scenario": scenario, "kind": part["kind"].iloc[0], "share": float(part["share"].mean()),
               "method": method, "seeds": int(part["seed"].nunique())}  # fmt: skip
        row |= {c: float(pd.to_numeric(part[c], errors="coerce").mean()) for c in COLUMNS}
        row["test_lost"] = 0.0 if method == ORIGINAL else float(lost[(scenario, method)])
        rows.append(row)
    out = pd.DataFrame(rows)
    return out.sort_values(["share", "scenario", "method"], key=lambda s: s.map(order) if s.name == "method" else s)


def display(tab: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame({
        "scenario": tab["scenario"],
        "share of D": tab["share"].map(lambda v: f"{100 * v:.1f}%"),
        "model": tab["method"].map(NAMES),
        "Acc D_f": (100 * tab["acc_forget"]).map(lambda v: f"{v:.1f}"),
        "Acc D_r": (100 * tab["acc_retain"]).map(lambda v: f"{v:.1f}"),
        "Acc D_test": (100 * tab["acc_test"]).map(lambda v: f"{v:.1f}"),
        "test lost (points)": tab["test_lost"].map(lambda v: f"{v:.1f}"),
        "MIA": tab["mia_efficacy"].map(lambda v: f"{v:.3f}"),
        "ToW": tab["tow"].map(lambda v: f"{v:.3f}"),
        "time (s)": tab["seconds"].map(lambda v: "" if np.isnan(v) else f"{v:.3g}"),
    })  # fmt: skip


STYLE = {"snn_unlearn": ("tab:red", "o-"), "snn_recover": ("tab:green", "s-"), "snn_finetune": ("tab:blue", "^--"),
         "snn_retrain": ("tab:gray", "x:")}  # fmt: skip


def figure(long: pd.DataFrame, png, pdf) -> None:
    """Test-accuracy loss against the share of D unlearned, one panel per scenario kind (lines: mean over seeds,
    dots: seeds); the unlearned model, the same after recovery on D_r, fine-tuning and the gold model."""
    loss = accuracy_loss(long)
    kinds = list(dict.fromkeys(loss["kind"]))
    fig, axes = plt.subplots(1, len(kinds), figsize=(4.6 * len(kinds), 3.8), squeeze=False, sharey=True)
    for ax, kind in zip(axes[0], kinds, strict=True):
        part = loss[loss["kind"] == kind]
        for method in ["snn_unlearn", "snn_recover", "snn_finetune", "snn_retrain"]:
            sub = part[part["method"] == method]
            if sub.empty:
                continue
            color, style = STYLE[method]
            mean = sub.groupby("share")["loss"].mean()
            ax.plot(100 * mean.index, mean.values, style, color=color, label=NAMES[method])
            ax.plot(100 * sub["share"], sub["loss"], ".", color=color, alpha=0.5, markersize=4)
        ax.axhline(0, color="black", linewidth=0.5)
        ax.set_title(kind.replace("_", " "))
        ax.set_xlabel("share of D unlearned (%)")
    axes[0, 0].set_ylabel("test accuracy lost vs original (points)")
    axes[0, -1].legend(fontsize=7)
    fig.tight_layout()
    save(fig, png, pdf)


# ---- claims ------------------------------------------------------------------------------------------------------
PAPER = "Survey (003)"
WHY = (
    "Wang et al. (2023) ran their SNNs on UCI HAR and MNIST; here a fully connected LIF network on this run's images "
    "(direct input current, surrogate gradients), with our reading of the three phases (docs/survey.md). Each "
    "(scenario, seed) pair is one sample of the first two claims."
)


def claims(long: pd.DataFrame) -> list:
    out = []

    pairs = "(scenario, seed) pairs"

    def add(cid, claim, paper_text, ours_text, judgement):
        out.append(C.Claim(PAPER, f"survey.{cid}", claim, paper_text, ours_text, judgement))

    wide = long.pivot_table(index=["scenario", "seed"], columns="method", values=["acc_forget", "acc_test"])
    drop = wide["acc_forget"][ORIGINAL] - wide["acc_forget"]["snn_unlearn"]
    add("snn_forgets", "Unlearning in the SNN lowers its performance on the forgotten data",
        "accuracy, precision, recall drop after unlearning (UCI HAR, MNIST)",
        f"accuracy on D_f {100 * wide['acc_forget'][ORIGINAL].mean():.1f}% → "
        f"{100 * wide['acc_forget']['snn_unlearn'].mean():.1f}%",
        C.compare(drop.to_numpy(), "original − unlearned (D_f accuracy)", unit=pairs))  # fmt: skip
    regained = wide["acc_test"]["snn_recover"] - wide["acc_test"]["snn_unlearn"]
    lost = wide["acc_test"][ORIGINAL] - wide["acc_test"]["snn_unlearn"]
    share = (regained / lost.where(lost > 0)).mean()
    add("snn_recovery", "Retraining after unlearning recovers much of the lost performance",
        "a considerable portion recovered, especially on MNIST",
        f"test accuracy {100 * wide['acc_test']['snn_unlearn'].mean():.1f}% → "
        f"{100 * wide['acc_test']['snn_recover'].mean():.1f}% after recovery"
        + ("" if np.isnan(share) else f" ({100 * share:.0f}% of the loss regained)"),
        C.compare(regained.to_numpy(), "recovered − unlearned (test accuracy)", unit=pairs))  # fmt: skip
    random = accuracy_loss(long[long["kind"] == "random"])
    random = random[random["method"] == "snn_unlearn"]
    shares = sorted(random["share"].unique())
    if len(shares) >= 2:
        by = random.pivot_table(index="seed", columns="share", values="loss")
        diff = by[shares[-1]] - by[shares[0]]
        text = ", ".join(f"{100 * s:.0f}%: {by[s].mean():.1f}" for s in shares)
        add("snn_tradeoff", "The more samples unlearned, the larger the accuracy loss (random forgetting)",
            "accuracy decreases as the share unlearned grows", f"test accuracy lost (points) at {text}",
            C.compare(diff.to_numpy(), "loss at the largest − smallest share"))  # fmt: skip
    else:
        add("snn_tradeoff", "The more samples unlearned, the larger the accuracy loss (random forgetting)",
            "accuracy decreases as the share unlearned grows", "",
            C.not_tested("fewer than two random-forgetting sizes configured"))  # fmt: skip
    add("snn_dataset", "The drop is larger on UCI HAR than on MNIST", "bigger drop on UCI HAR", "",
        C.not_tested("UCI HAR is not among this pipeline's datasets"))  # fmt: skip
    return out


CLAIMS_TITLE = "The survey (paper 003): unlearning in spiking neural networks"
