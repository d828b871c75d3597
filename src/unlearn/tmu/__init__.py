"""Twin Machine Unlearning (paper 001): what the experiment runs, as plain data (no torch, no sklearn).

The experiment is sub-class forgetting of `n` samples of each configured class in turn. Each (class, n)
is an ordinary forget scenario named `tmu_c<class>_n<n>`, so the gold model and the baselines run through
the same `unlearn` and `evaluate` rules as everywhere else; TMU adds three steps per scenario and seed:

  twin + features  (twin.py, features.py)   M_t = M_o fine-tuned on D_t; NF, AF, CF on D_t (under M_t)
                                             and on D_f (under M_o); D_t's generalization labels from M_o
  partition        (classifier.py)           MLP(64, 32) trained on the twin set, applied to D_f
  unlearn `tmu`    (methods/tmu.py)          hard samples get random wrong labels, easy ones keep theirs
"""

from __future__ import annotations

FEATURE_NAMES = ("NF", "AF", "CF")
FEATURE_SETS = {"NF+AF+CF": (0, 1, 2), "NF": (0,), "AF": (1,), "CF": (2,)}


def scenario_name(cls: int, n: int) -> str:
    return f"tmu_c{int(cls)}_n{int(n)}"


def scenario_spec(cls: int, n: int) -> dict:
    return {"kind": "sub_class", "class": int(cls), "n": int(n)}


def main_scenarios(tmu: dict | None) -> list[str]:
    """The Table 1/3/4 scenarios: one per forget class (classes already resolved to indices)."""
    if not tmu:
        return []
    return [scenario_name(c, tmu["n"]) for c in tmu["classes"]]


def sweep_scenarios(tmu: dict | None) -> list[str]:
    """The Fig. 3 scenarios: one class, growing |D_f| (empty without a sweep)."""
    sweep = tmu.get("sweep") if tmu else None
    return [scenario_name(sweep["class"], n) for n in sweep["sizes"]] if sweep else []


def scenarios(tmu: dict | None) -> dict[str, dict]:
    """Every TMU scenario name -> forget-set spec (main and sweep; a shared (class, n) appears once)."""
    if not tmu:
        return {}
    out = {scenario_name(c, tmu["n"]): scenario_spec(c, tmu["n"]) for c in tmu["classes"]}
    sweep = tmu.get("sweep")
    for n in sweep["sizes"] if sweep else []:
        out.setdefault(scenario_name(sweep["class"], n), scenario_spec(sweep["class"], n))
    return out


def resolve_class(value, class_names: list[str] | None, field: str) -> int:
    """A class given by index or by name -> its index; ValueError naming `field` otherwise."""
    if isinstance(value, bool):
        raise ValueError(f"{field}: {value!r} is not a class")
    if isinstance(value, int):
        k = len(class_names) if class_names else None
        if value < 0 or (k is not None and value >= k):
            raise ValueError(f"{field}: class {value} is out of range; allowed: 0..{k - 1}")
        return value
    if class_names is None:
        raise ValueError(f"{field}: class names need the dataset folder to be present; give indices instead")
    if value in class_names:
        return class_names.index(value)
    if str(value).isdigit() and str(value) not in class_names:
        return resolve_class(int(value), class_names, field)
    raise ValueError(f"{field}: unknown class '{value}'; e.g. {', '.join(class_names[:5])}, ...")


def parse_scenario(name: str) -> tuple[int, int]:
    """tmu_c<class>_n<n> -> (class, n)."""
    head, cls, n = name.rsplit("_", 2)
    if head != "tmu" or not cls.startswith("c") or not n.startswith("n"):
        raise ValueError(f"not a TMU scenario name: {name}")
    return int(cls[1:]), int(n[1:])
