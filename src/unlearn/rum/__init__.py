"""RUM, "What makes unlearning hard and what to do about it" (paper 002): what the experiment runs, as plain
data (no torch, no sklearn).

Two factors of difficulty, each turned into low / medium / high forget sets of `n` samples:

  entanglement   (entanglement.py)   ES(D_r, D_f) on M_o's penultimate embeddings; forget sets cut from the
                                     shells of distance to the global centroid         -> rum_es_<level>
  memorization   (memorization.py)   Feldman-Zhang estimator from K models on random 70% subsets, plus two
                                     cheap proxies                                     -> rum_mem_<level>

Each such forget set is an ordinary scenario: the gold model and the `difficulty` methods run on it through the
`unlearn` and `evaluate` rules (the difficulty figure). The RUM table's forget set `rum_mix` is the union of the
three memorization sets (3n samples); on it each method runs

  vanilla   `<method>`         the whole forget set in one go
  shuffle   `<method>-shuffle` three random equal parts, in sequence
  RUM_F     `<method>-rumf`    the three memorization parts, low -> medium -> high, same method
  RUM       `rum`              the same ordered parts, each with the method `select` assigns to its level

(sequence.py runs the sequences.)
"""

from __future__ import annotations

LEVELS = ("low", "medium", "high")
FACTORS = {"es": "entanglement (ES)", "mem": "memorization"}
MIX = "rum_mix"
VARIANTS = ("shuffle", "rumf")
VARIANT_NAMES = {"vanilla": "vanilla", "shuffle": "shuffle", "rumf": "RUM_F"}


def scenario_name(factor: str, level: str) -> str:
    if factor not in FACTORS or level not in LEVELS:
        raise ValueError(f"no RUM scenario for factor {factor!r}, level {level!r}")
    return f"rum_{factor}_{level}"


def difficulty_levels(rum: dict) -> list[str]:
    """The levels the difficulty analysis runs on, in LEVELS order (default: all three)."""
    chosen = rum.get("difficulty_levels") or LEVELS
    return [lv for lv in LEVELS if lv in chosen]


def difficulty_scenarios(rum: dict | None) -> list[str]:
    if not rum:
        return []
    return [scenario_name(f, lv) for f in FACTORS for lv in difficulty_levels(rum)]


def scenarios(rum: dict | None) -> dict[str, dict]:
    """Every RUM scenario with models to evaluate -> its spec (kind `rum`: the forget set is made by a RUM rule, not
    `forget_set`): the difficulty sets of the configured levels and the RUM table's rum_mix."""
    if not rum:
        return {}
    out = {
        scenario_name(f, lv): {"kind": "rum", "factor": f, "level": lv}
        for f in FACTORS
        for lv in difficulty_levels(rum)
    }
    out[MIX] = {"kind": "rum", "factor": "mem", "level": "mix"}
    return out


def variant_name(method: str, variant: str) -> str:
    if variant == "vanilla":
        return method
    if variant not in VARIANTS:
        raise ValueError(f"unknown RUM variant {variant!r}; allowed: vanilla, {', '.join(VARIANTS)}")
    return f"{method}-{variant}"


def parse_method(name: str) -> tuple[str, str]:
    """'finetune-shuffle' -> ('finetune', 'shuffle'); 'rum' -> ('rum', 'rum'); 'finetune' -> ('finetune', 'vanilla')."""
    if name == "rum":
        return "rum", "rum"
    base, _, variant = name.partition("-")
    if not variant:
        return base, "vanilla"
    if variant not in VARIANTS:
        raise ValueError(f"unknown RUM variant in method name {name!r}")
    return base, variant


def table_methods(rum: dict | None) -> list[str]:
    """The RUM table's unlearned models on `rum_mix`, in table order (the gold model not included)."""
    if not rum:
        return []
    return [variant_name(m, v) for m in rum["methods"] for v in ("vanilla", *VARIANTS)] + ["rum"]


def sequence_methods(rum: dict | None) -> list[str]:
    """The names that run as sequences (they need the parts of `rum_mix`)."""
    return [m for m in table_methods(rum) if parse_method(m)[1] != "vanilla"]


def sequence_plan(name: str, rum: dict, methods: dict) -> dict:
    """What `unlearn` does for a sequence name: the parts to use, and the method + hyperparameters of each step."""
    base, variant = parse_method(name)
    chosen = [rum["select"][lv] for lv in LEVELS] if variant == "rum" else [base] * len(LEVELS)
    return {
        "sequence": "rumf" if variant == "rum" else variant,
        "methods": chosen,
        "hp": [dict(methods[m]) for m in chosen],
        "retain": rum["sequence_retain"],
    }


def memorization_batches(mem: dict) -> list[tuple[int, int]]:
    """(first, last) model indices of each memorization job: models 0..K-1 in runs of `models_per_job`. A rerun
    with a larger K keeps the earlier batches (same names, same models)."""
    k, per = int(mem["models"]), int(mem["models_per_job"])
    return [(i, min(i + per, k) - 1) for i in range(0, k, per)]
