"""Code inputs derived from each script's imports, on the real DAG: a plan with every rule (tests/configs/
tiny_every_rule.yaml) marked done without running it (each output written, newer than the sources); then editing a
library module in a rule's import closure plans that rule, and editing one outside the closures of the rule and of
every rule before it does not."""

from __future__ import annotations

import os
import re
import time
from pathlib import Path

import pytest
from conftest import REPO, copy_workflow, job_stats, snakemake, tiny_config

from unlearn import codedeps

pytestmark = pytest.mark.workflow

TARGETS = ["all", "report", "snapshot"]  # every rule with a script (report and snapshot are not in `all`)
RULE = re.compile(r"^rule (\w+):\n(.*?)(?=^rule |\Z)", re.M | re.S)


def rule_scripts() -> dict[str, str]:
    """rule -> its script (scripts/<name>.py), read from the Snakefile and rules/*.smk."""
    found = {}
    for path in [REPO / "Snakefile", *sorted((REPO / "rules").glob("*.smk"))]:
        for name, body in RULE.findall(path.read_text()):
            script = re.search(r'^\s+script:\n\s+"(?:\.\./)?(scripts/\w+\.py)"', body, re.M)
            if script:
                found[name] = script.group(1)
    return found


SCRIPTS = rule_scripts()
LIBRARY = REPO / "src" / "unlearn"


def closure(rule: str, plan_methods=()) -> set[str]:
    """The modules (relative to src/unlearn) a rule's jobs depend on: its script's closure, and for `unlearn`
    every method module the plan runs (methods.get imports them by name)."""
    files = [REPO / SCRIPTS[rule]]
    if rule == "unlearn":
        files += [LIBRARY / "methods" / f"{m}.py" for m in plan_methods]
    return {p.relative_to(LIBRARY).as_posix() for p in codedeps.closure(files)}


@pytest.fixture(scope="module")
def done(tmp_path_factory):
    """(workflow copy whose every output exists, {rule: rules before it}, {rule: closure}, {module: the rules a
    dry run plans once it is edited}, filled as the tests ask)."""
    cfg = tiny_config("tiny_every_rule")
    work = copy_workflow(tmp_path_factory, "code-deps", cfg)
    dry = snakemake(work, "-n", "--forceall", *TARGETS).stdout
    stamp = time.time() + 2  # newer than every copied source
    for line in re.findall(r"^    (?:output|benchmark): (.*)$", dry, flags=re.M):
        for out in line.split(", "):
            path = work / out
            path.parent.mkdir(parents=True, exist_ok=True)
            path.touch()
            os.utime(path, (stamp, stamp))
    assert job_stats(snakemake(work, "-n", *TARGETS).stdout) == {}, "every output marked done"
    graph = snakemake(work, "--rulegraph", "dot", *TARGETS).stdout
    names = dict(re.findall(r'^\s*(\d+)\[label = "(\w+)"', graph, flags=re.M))
    parents: dict[str, set[str]] = {name: set() for name in names.values()}
    for a, b in re.findall(r"^\s*(\d+) -> (\d+)", graph, flags=re.M):
        parents[names[b]].add(names[a])

    def ancestors(rule):
        seen, todo = set(), [rule]
        while todo:
            for p in parents.get(todo.pop(), ()):
                if p not in seen:
                    seen.add(p)
                    todo.append(p)
        return seen

    from unlearn.config import validate_config
    from unlearn.plan import Plan

    plan = Plan(validate_config(cfg, REPO / "schemas/config.schema.yaml"))
    methods = {m for name in plan.methods for m in plan.method_modules(name)}
    closures = {rule: closure(rule, methods) for rule in SCRIPTS}
    return work, {rule: ancestors(rule) for rule in SCRIPTS}, closures, {}


def planned_after_touching(done, module: str) -> set[str]:
    """The rules a dry run plans once `module` is edited (its mtime moved past every output), then put back."""
    work, _, _, cache = done
    if module not in cache:
        path = work / "src" / "unlearn" / module
        before = path.stat()
        later = time.time() + 100
        os.utime(path, (later, later))
        try:
            cache[module] = set(job_stats(snakemake(work, "-n", *TARGETS).stdout)) - {"all"}
        finally:
            os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    return cache[module]


def test_every_rule_with_a_script_is_covered():
    assert len(SCRIPTS) >= 35 and {"unlearn", "evaluate", "rum_figures", "smu_tables", "report"} <= set(SCRIPTS)
    assert all(script == f"scripts/{rule}.py" for rule, script in SCRIPTS.items()), "rule X runs scripts/X.py"


@pytest.mark.parametrize("rule", sorted(SCRIPTS))
def test_editing_a_module_reruns_exactly_the_rules_that_import_it(done, rule):
    _, ancestors, closures, _ = done
    users = {m: sum(m in c for c in closures.values()) for c in closures.values() for m in c}
    inside = min(sorted(closures[rule]), key=lambda m: users[m])  # the module the fewest rules import
    assert rule in planned_after_touching(done, inside), f"editing {inside} does not rerun {rule}"
    upstream = closures[rule].union(*(closures[a] for a in ancestors[rule] if a in closures))
    outside = sorted(set(users) - upstream, key=lambda m: (-users[m], m))  # the most widely imported one it does not
    if not outside:
        pytest.skip(f"every module some rule imports is imported by {rule} or a rule before it")
    assert rule not in planned_after_touching(done, outside[0]), f"editing {outside[0]} reruns {rule}"


def test_a_module_no_script_imports_reruns_nothing(done):
    _, _, closures, _ = done
    assert "codedeps.py" not in set().union(*closures.values())
    assert planned_after_touching(done, "codedeps.py") == set()


def test_code_inputs_are_relative(done):
    work = done[0]
    dry = snakemake(work, "-n", "--forceall", "baselines_table").stdout
    inputs = re.search(r"rule baselines_table:\n    input: (.*)", dry).group(1).split(", ")
    assert "src/unlearn/tables.py" in inputs and not any(Path(p).is_absolute() for p in inputs)
