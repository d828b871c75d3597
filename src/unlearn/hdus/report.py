"""HDUS's tables (the network around the departure, each remaining client) and the survey's claims about it."""

from __future__ import annotations

import numpy as np
import pandas as pd

from .. import claims as C
from . import BEFORE, GOLD, METHOD

NAMES = {
    BEFORE: "Before the departure (its seed model in use)",
    METHOD: "HDUS: its seed model dropped",
    GOLD: "Retrain: affected clients from scratch",
}
COLUMNS = ["acc_forget", "acc_retain", "acc_test", "mia_efficacy", "tow", "seconds"]


def network_table(long: pd.DataFrame, departures: list[dict]) -> pd.DataFrame:
    """One row per model of the departure (means over seeds); D_f = the departed client's data."""
    part = long[long["method"].isin([GOLD, BEFORE, METHOD])]
    rows = []
    for method in (BEFORE, METHOD, GOLD):
        sub = part[part["method"] == method]
        row = {"method": method, "seeds": int(sub["seed"].nunique())}
        row |= {c: float(pd.to_numeric(sub[c], errors="coerce").mean()) for c in COLUMNS}
        row["exact"] = ""
        if method == METHOD:
            flags = [bool(d["exact"]) for d in departures]
            row["exact"] = f"{'yes' if all(flags) else 'NO'} ({sum(flags)} of {len(flags)} seeds)"
            row["max_gap"] = max(float(d["max_gap"]) for d in departures)
        rows.append(row)
    return pd.DataFrame(rows)


def client_table(departures: list[dict]) -> pd.DataFrame:
    """Each remaining client (means over seeds): test accuracy and accuracy on the departed data of its main model
    alone, its ensemble before and after the departure."""
    df = pd.DataFrame([{**c, "seed": d["seed"]} for d in departures for c in d["clients"]])
    cols = [f"acc_{s}_{m}" for s in ("test", "departed") for m in ("main", "before", "after")]
    cols += ["acc_test_seed", "seed_agreement"]
    spec = {"model": ("model", "first"), "affected": ("affected", "first"), "samples": ("samples", "mean")}
    out = df.groupby("client", sort=True).agg(**spec, **{c: (c, "mean") for c in cols})
    return out.reset_index()


def _pct(v) -> str:
    return "" if v is None or np.isnan(v) else f"{100 * v:.1f}"


def display_network(table: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame({
        "model": table["method"].map(NAMES),
        "Acc D_f (departed)": table["acc_forget"].map(_pct),
        "Acc D_r": table["acc_retain"].map(_pct),
        "Acc D_test": table["acc_test"].map(_pct),
        "MIA (D_f)": table["mia_efficacy"].map(lambda v: f"{v:.3f}"),
        "ToW": table["tow"].map(lambda v: f"{v:.3f}"),
        "time (s)": table["seconds"].map(lambda v: "" if np.isnan(v) else f"{v:.3g}"),
        "exact": table["exact"],
    })  # fmt: skip


def display_clients(table: pd.DataFrame) -> pd.DataFrame:
    out = pd.DataFrame({"client": table["client"], "main model": table["model"],
                        "affected": table["affected"].map(lambda a: "yes" if a else "no")})  # fmt: skip
    for s, what in (("test", "D_test"), ("departed", "departed data")):
        for m, name in (("main", "main alone"), ("before", "before"), ("after", "after")):
            out[f"{what}: {name}"] = table[f"acc_{s}_{m}"].map(_pct)
    out["seed model: D_test"] = table["acc_test_seed"].map(_pct)
    out["seed agrees with main (%)"] = table["seed_agreement"].map(_pct)
    return out


# ---- claims ------------------------------------------------------------------------------------------------------
PAPER = "Survey (003)"
WHY = (
    "HDUS's paper (Ye et al. 2023) reports its own datasets and models; the survey states properties without "
    "numbers. Here the clients are small image classifiers on parts of this run's dataset; every client's departure "
    "is one paired sample of the cost comparison, and each remaining client one sample of the ensemble's benefit."
)


def every_exact(flags: np.ndarray) -> C.Judgement:
    """Exactness is by construction: one departure that is not exact is enough to refute it."""
    if not len(flags):
        return C.not_tested("no departures")
    ok = bool(flags.min() >= 1.0)
    return C.Judgement(C.HELD if ok else C.NOT_HELD, len(flags), float(flags.mean()), float(flags.min()),
                       float(flags.max()), f"{int(flags.sum())} of {len(flags)} departures exact (every one must be)",
                       kind="every", threshold=1.0)  # fmt: skip


def claims(departures: list[dict]) -> list:
    out = []

    def add(cid, claim, paper_text, ours_text, judgement):
        out.append(C.Claim(PAPER, f"survey.{cid}", claim, paper_text, ours_text, judgement))

    every = [dep for d in departures for dep in d["departures"]]
    unlearn = np.array([dep["seconds"] for dep in every], dtype=float)
    retrain = np.array([dep["retrain_seconds"] for dep in every], dtype=float)
    touched = retrain > 0  # a departure nobody's ensemble used costs nothing either way
    add("hdus_fast", "HDUS unlearns a departed client faster than retraining the affected clients",
        "fast, no full retraining (no number)",
        f"{np.mean(unlearn):.2g} s vs {np.mean(retrain):.3g} s over {len(every)} departures",
        C.compare(retrain[touched] - unlearn[touched], "retrain − unlearn (s)", unit="departures")
        if touched.any() else C.not_tested("no departure touched another client"))  # fmt: skip
    exact = np.array([float(dep["exact"]) for dep in every])
    add("hdus_exact", "HDUS is exact: after a departure every remaining client predicts as if the departed "
        "client had never been there (affected clients retrained from scratch)",
        "exact (by construction)", f"{int(exact.sum())} of {len(exact)} departures equal (largest gap "
        f"{max(dep['max_gap'] for dep in every):.2g})",
        every_exact(exact))  # fmt: skip
    archs = sorted({a for d in departures for a in d["architectures"]})
    gains = np.array([c["acc_test_after"] - c["acc_test_main"] for d in departures for c in d["clients"]])
    add("hdus_heterogeneous", "HDUS works across model architectures: with clients of different architectures, "
        "a client's ensemble (main model + neighbours' seed models) beats its main model alone",
        "compatible with heterogeneous models (no number)",
        f"architectures {', '.join(archs)}; test accuracy gain over the main model alone "
        f"{100 * gains.mean():+.1f} points (after the departure, {len(gains)} clients)",
        C.compare(gains, "ensemble − main alone (test accuracy)", unit="clients") if len(archs) > 1
        else C.not_tested("every client has the same architecture"))  # fmt: skip
    return out


CLAIMS_TITLE = "The survey (paper 003): decentralized unlearning (HDUS)"
CLAIMS_NOTE = "One sample per departure (every client leaving in turn, each seed) or per remaining client."
