"""Fair tuning (SPEC.md, evaluation protocol): each method's hyperparameters chosen per scenario kind on a
validation forget set of the same kind and size, disjoint from every test forget set, against that set's own gold
model. No torch here: the plan, the config check and the choice are unit-tested on plain records.

    trials = grid(space, n_trials, seed)            # the space's trials, in its order
    chosen = choose(records, "tow")                 # the best trial (ties: the cheaper, then the first)
    spec = validation_spec(template, exclude, ...)  # the validation forget set of a test scenario's kind

A method's space is `SPACE` in its module (beside REQUIRED / OPTIONAL), overridden per key by the config's
`tuning.space.<method>`. A method without a SPACE of its own may take another method's choice (`TUNE_FROM`: the
hyperparameter that names that method and its default, e.g. TMU's `hard`); RUM's sequences take their steps'.
"""

from __future__ import annotations

import itertools
import random

from .. import forget

OBJECTIVES = {
    "tow": ("ToW", "max"),  # the papers' composite: (1-da(D_f))(1-da(D_r))(1-da(D_test))
    "tow_mia": ("ToW-MIA", "max"),  # the D_f factor replaced by 1 - MIA gap
    "closest": ("closest to gold", "min"),  # |da(D_f)| + |da(D_r)| + |da(D_test)| + MIA gap
}
COST_KEYS = ("epochs", "repair_epochs")  # a trial's cost: the epochs it trains (ties go to the cheaper)
PREFIX = "val_"  # validation scenarios: val_<kind>
WHOLE_CLASS_KINDS = ("full_class", "fine_class")  # a validation set of these is a whole class (validation_spec)
FALLBACK_KIND = "random"  # forget sets of no label kind (RUM's ES / memorization sets) tune on a random one


def objective_value(record: dict, objective: str) -> float:
    """A trial's objective from its evaluation record (evaluation.evaluate against the validation gold model)."""
    if objective == "tow":
        return float(record["tow"])
    if objective == "tow_mia":
        return float(record["tow_mia"])
    if objective == "closest":
        acc = sum(abs(record[f"acc_{k}"] - record[f"gold_acc_{k}"]) for k in ("forget", "retain", "test"))
        return float(acc + record["mia_gap"])
    raise ValueError(f"tuning.objective: unknown objective '{objective}'; allowed: {', '.join(OBJECTIVES)}")


def cost(hp: dict) -> float:
    """The epochs a trial trains (its epochs plus a repair phase's); no training (SSD) costs 0."""
    return float(sum(hp.get(k, 0) or 0 for k in COST_KEYS))


def choose(records: list[dict], objective: str) -> int:
    """The index of the best record: the objective's best value (6 decimals), then the cheaper trial, then the
    first in the space's order. Each record: {"hp": the trial's hyperparameters, "metrics": its evaluation record}."""
    if not records:
        raise ValueError("tuning: no trials to choose from")
    sign = -1.0 if OBJECTIVES[objective][1] == "max" else 1.0
    keyed = [
        (sign * round(objective_value(r["metrics"], objective), 6), cost(r["hp"]), i) for i, r in enumerate(records)
    ]
    return min(keyed)[2]


def grid(space: dict[str, list], n_trials: int | None = None, seed: int = 0) -> list[dict]:
    """Every combination of the space's values, in its order (first key slowest); with n_trials below the grid's
    size, a seeded random subset kept in that order."""
    keys = list(space)
    trials = [dict(zip(keys, values, strict=True)) for values in itertools.product(*(space[k] for k in keys))]
    if n_trials is not None and n_trials < len(trials):
        picked = sorted(random.Random(int(seed)).sample(range(len(trials)), int(n_trials)))
        trials = [trials[i] for i in picked]
    return trials


# -- validation forget sets --------------------------------------------------------------------------------------
def tuning_kind(spec: dict) -> str:
    """The validation kind a test forget set is tuned on: its own label kind, else `random`."""
    return spec["kind"] if spec["kind"] in forget.KINDS else FALLBACK_KIND


def validation_name(kind: str) -> str:
    return f"{PREFIX}{kind}"


def is_validation(scenario: str) -> bool:
    return scenario.startswith(PREFIX)


def other_class(used: set[int], start: int, num_classes: int, field: str) -> int:
    """The first class after `start` (cyclically) that no test forget set of a class kind uses."""
    for step in range(1, num_classes + 1):
        c = (start + step) % num_classes
        if c not in used:
            return c
    raise ValueError(f"{field}: every class is a test forget class; no class is left for a validation forget set")


def validation_spec(template: dict, tests: list[dict], num_classes: int, n_fine: int | None, chosen: dict) -> dict:
    """The validation forget set of the template's kind and size: another class (`chosen["class"]`, else the next
    class no test set of a class kind uses; when every class has one, as in TMU's paper config, the next class no
    full- or partial-class test set forgets), another fine class, or another random sample. A sample of a kind
    (sub_class, partial_class, random) is drawn outside every test forget set (`exclude`: [{spec, seeds}], recomputed
    from the specs by forget.forget_indices, so the job never reads their files). A whole class (full_class,
    fine_class) stays whole, or its gold model would still learn the class: it is disjoint from every test set of a
    class kind (another class; when every class has one, it shares a sub-class set's few samples) and shares only
    the few samples a test `random` set drew from it."""
    kind = template["kind"]
    spec = {k: v for k, v in template.items() if k in ("kind", "n", "fraction")}
    if kind in forget.CLASS_KINDS:
        used = {int(t["spec"]["class"]) for t in tests if t["spec"]["kind"] in forget.CLASS_KINDS}
        # classes some test set forgets a large share of (a whole class, a fraction): never a validation class
        large = {int(t["spec"]["class"]) for t in tests if t["spec"]["kind"] in ("full_class", "partial_class")}
        every = len(used) >= num_classes  # every class has a test set (TMU's paper config: 100 of each)
        c = chosen.get("class")
        if c is None and every and kind != "full_class":
            c = other_class(large, int(template["class"]), num_classes, "tuning.validation.class")  # drawn outside
        elif c is None:
            c = other_class(large if every else used, int(template["class"]), num_classes, "tuning.validation.class")
        elif int(c) in (large if every else used):
            raise ValueError(f"tuning.validation.class: {c} is a test forget class; pick one no scenario forgets")
        spec["class"] = int(c)
    elif kind == "fine_class":
        used = {int(t["spec"]["fine"]) for t in tests if t["spec"]["kind"] == "fine_class"}
        f = chosen.get("fine")
        if f is None:
            f = other_class(used, int(template["fine"]), n_fine or 1, "tuning.validation.fine")
        spec["fine"] = int(f)
    if kind not in WHOLE_CLASS_KINDS:
        spec["exclude"] = tests
    return spec


def chosen_values(choice: dict, method: str) -> dict:
    """The chosen hyperparameters of one method from its tuning record (scripts/tune.py's output)."""
    if choice["method"] != method:
        raise ValueError(f"tuning: the record is {choice['method']}'s, not {method}'s")
    return dict(choice["chosen"]["point"])


def tuned_values(name: str, module: str, hp: dict, records: list[dict], tune_from: tuple | None = None):
    """(hp with the tuning records' choices applied, {method: chosen point}): what an unlearning job of `name`
    runs with, given the records its `tuned` input names (scripts/unlearn.py, scripts/ulira_unlearn.py)."""
    chosen = {r["method"]: chosen_values(r, r["method"]) for r in records}
    return apply(name, module, hp, chosen, tune_from), chosen


def apply(name: str, module: str, hp: dict, chosen: dict[str, dict], tune_from: tuple | None = None) -> dict:
    """A job's configured hyperparameters with the chosen ones on top: a sequence's steps each take their
    method's choice; a method tuned as another (`tune_from`: TMU's `hard` names it) takes that method's."""
    hp = {**hp}
    if module == "sequence":
        steps = zip(hp["methods"], hp["hp"], strict=True)
        hp["hp"] = [{**step, **chosen.get(step_name, {})} for step_name, step in steps]
        return hp
    source = hp.get(tune_from[0], tune_from[1]) if tune_from else name
    return {**hp, **chosen.get(source, {})}
