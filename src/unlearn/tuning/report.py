"""The tuning tables (every trial; the choice per method x validation set beside the configured values) and the
figure of each method's objective over its trials."""

from __future__ import annotations

import pandas as pd

from . import OBJECTIVES

PCT = ("acc_forget", "acc_retain", "acc_test", "gold_acc_forget", "mia_gap")


def point_text(point: dict) -> str:
    return ", ".join(f"{k}={v:g}" if isinstance(v, int | float) else f"{k}={v}" for k, v in point.items())


def trials_frame(results: list[dict]) -> pd.DataFrame:
    """One row per trial of every (method, validation set): its values, validation metrics, objective, choice."""
    rows = []
    for res in results:
        chosen = res["chosen"]["trial"]
        for t in res["trials"]:
            rows.append(
                {
                    "method": res["method"],
                    "validation": res["scenario"],
                    "trial": t["trial"],
                    "values": point_text(t["point"]),
                    "configured": t["configured"],
                    "in_space": t["in_space"],
                    "chosen": t["trial"] == chosen,
                    **t["metrics"],
                    "objective": t["objective"],
                    "cost_epochs": t["cost"],
                    "seconds": t["seconds"],
                }
            )
    return pd.DataFrame(rows)


def chosen_frame(results: list[dict]) -> pd.DataFrame:
    """One row per (method, validation set): the chosen values and their validation metrics, beside the
    configured values' (run as a trial of their own when they are no grid point)."""
    rows = []
    for res in results:
        trials = res["trials"]
        best = res["chosen"]
        conf = next((t for t in trials if t["configured"]), None)
        row = {
            "method": res["method"],
            "validation": res["scenario"],
            "trials": sum(t["in_space"] for t in trials),
            "chosen": point_text(best["point"]),
            "configured": point_text(conf["point"]) if conf else "",
            "objective_chosen": best["objective"],
            "objective_configured": conf["objective"] if conf else float("nan"),
            "acc_forget_chosen": best["metrics"]["acc_forget"],
            "acc_forget_configured": conf["metrics"]["acc_forget"] if conf else float("nan"),
            "acc_forget_gold": best["metrics"]["gold_acc_forget"],
            "acc_retain_chosen": best["metrics"]["acc_retain"],
            "acc_retain_configured": conf["metrics"]["acc_retain"] if conf else float("nan"),
        }
        rows.append(row)
    return pd.DataFrame(rows)


def _pct(df: pd.DataFrame, columns) -> pd.DataFrame:
    out = df.copy()
    for c in columns:
        if c in out:
            out[c] = out[c].map(lambda v: "" if pd.isna(v) else f"{100 * v:.1f}")
    return out


def trials_markdown(df: pd.DataFrame, objective: str, header: str) -> str:
    label = OBJECTIVES[objective][0]
    shown = df[["method", "validation", "trial", "values", "configured", "chosen", "acc_forget", "gold_acc_forget",
                "acc_retain", "acc_test", "mia_gap", "objective", "seconds"]].copy()  # fmt: skip
    shown["objective"] = shown["objective"].map(lambda v: f"{v:.4f}")
    shown["seconds"] = shown["seconds"].map(lambda v: f"{v:.1f}")
    shown = _pct(shown, PCT).rename(columns={"objective": label, "acc_forget": "D_f acc", "gold_acc_forget":
                                            "gold D_f acc", "acc_retain": "D_r acc", "acc_test": "test acc",
                                            "mia_gap": "MIA gap"})  # fmt: skip
    return f"# Tuning: every trial\n\n{header}\n\n{shown.to_markdown(index=False)}\n"


def chosen_markdown(df: pd.DataFrame, objective: str, header: str) -> str:
    label = OBJECTIVES[objective][0]
    shown = df.copy()
    for c in ("objective_chosen", "objective_configured"):
        shown[c] = shown[c].map(lambda v: "" if pd.isna(v) else f"{v:.4f}")
    shown = _pct(shown, [c for c in shown if c.startswith("acc_")])
    shown = shown.rename(columns={
        "objective_chosen": f"{label} (chosen)", "objective_configured": f"{label} (configured)",
        "acc_forget_chosen": "D_f acc (chosen)", "acc_forget_configured": "D_f acc (configured)",
        "acc_forget_gold": "D_f acc (gold)", "acc_retain_chosen": "D_r acc (chosen)",
        "acc_retain_configured": "D_r acc (configured)",
    })  # fmt: skip
    return f"# Tuning: the chosen values\n\n{header}\n\n{shown.to_markdown(index=False)}\n"


def header(objective: str, seed: int, validation: dict[str, dict]) -> str:
    label = OBJECTIVES[objective][0]
    rule = "higher is better" if OBJECTIVES[objective][1] == "max" else "lower is better"
    sets = "; ".join(
        f"`{name}` = {', '.join(f'{k} {v}' for k, v in spec.items() if k != 'exclude')}"
        for name, spec in validation.items()
    )
    return (
        f"Tuned on validation forget sets (objective {label}, {rule}; ties: fewer epochs, then the first trial), "
        f"seed {seed}, each against its own gold model; never the test forget sets. Validation sets: {sets} "
        "(each drawn outside every test forget set). Accuracies in %; `configured` = the config's values (run as "
        "an extra trial when no grid point, never chosen)."
    )


def figure(df: pd.DataFrame, objective: str, png, pdf) -> None:
    """One panel per method: the objective of each trial, a line per validation set, the chosen trials marked."""
    import matplotlib.pyplot as plt

    from ..plots import save

    label = OBJECTIVES[objective][0]
    methods = list(dict.fromkeys(df["method"]))
    cols = min(4, len(methods)) or 1
    rows = -(-len(methods) // cols) or 1
    fig, axes = plt.subplots(rows, cols, figsize=(3.2 * cols, 2.6 * rows), squeeze=False)
    for ax, method in zip(axes.flat, methods, strict=False):
        part = df[(df["method"] == method) & df["in_space"]]
        for validation, g in part.groupby("validation", sort=False):
            line = ax.plot(g["trial"], g["objective"], marker="o", ms=3, label=validation.removeprefix("val_"))[0]
            best = g[g["chosen"]]
            ax.plot(best["trial"], best["objective"], marker="*", ms=10, color=line.get_color(), ls="none")
        ax.set_title(method)
        ax.set_xlabel("trial (grid order)")
        ax.set_ylabel(label)
        ax.legend(fontsize="x-small")
    for ax in list(axes.flat)[len(methods) :]:
        ax.axis("off")
    fig.suptitle(f"Tuning: {label} of each trial on the validation forget sets (star: chosen)")
    fig.tight_layout()
    save(fig, png, pdf)
