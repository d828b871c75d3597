"""The library modules a script runs: its import closure inside `src/unlearn`, read from the source with `ast`.

A rule's code inputs are this closure of its script (plus, for a rule that imports a module by name at run time,
that module's closure: an unlearning method, a model), so editing any module a job executes reruns the job and
editing any other module does not. Every `import` counts, at the top of a file or inside a function, and so does
every package `__init__.py` on the way to a module (Python runs them). Paths are relative, so a moved checkout
plans nothing new.

    python -m unlearn.codedeps scripts/unlearn.py    # the closure, one path per line
"""

from __future__ import annotations

import ast
import functools
import os
import sys
from pathlib import Path

PACKAGE = "unlearn"
SRC = Path(__file__).resolve().parents[1]  # src/


@functools.cache
def _module_file(dotted: str, src: Path) -> Path | None:
    """src/unlearn/a/b.py or src/unlearn/a/b/__init__.py for 'unlearn.a.b'; None outside the package."""
    if dotted != PACKAGE and not dotted.startswith(PACKAGE + "."):
        return None
    base = src.joinpath(*dotted.split("."))
    for path in (base.with_suffix(".py"), base / "__init__.py"):
        if path.is_file():
            return path
    return None


def _dotted(path: Path, src: Path) -> str:
    parts = list(path.relative_to(src).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _packages(dotted: str) -> list[str]:
    """'unlearn.a.b' -> ['unlearn', 'unlearn.a', 'unlearn.a.b'] (each is imported, its __init__ runs)."""
    parts = dotted.split(".")
    return [".".join(parts[: i + 1]) for i in range(len(parts))]


@functools.cache
def _direct(path: Path, src: Path) -> frozenset[str]:
    """The package's modules one file imports (dotted names), wherever the import statement stands."""
    tree = ast.parse(path.read_text(), filename=str(path))
    here = _dotted(path, src) if path.is_relative_to(src / PACKAGE) else ""
    is_package = path.name == "__init__.py"
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:  # relative: from the file's package, one level up per extra dot
                anchor = here.split(".") if is_package else here.split(".")[:-1]
                anchor = anchor[: len(anchor) - (node.level - 1)]
                base = ".".join([*anchor, node.module] if node.module else anchor)
            else:
                base = node.module or ""
            found.add(base)
            found.update(f"{base}.{alias.name}" for alias in node.names)  # `from pkg import module`
    return frozenset(name for name in found if _module_file(name, src) is not None)


def closure(paths, src: Path = SRC) -> list[Path]:
    """Every package module the given files import, directly or through each other, with the packages'
    __init__.py files; sorted. The files themselves are included when they are library modules."""
    return list(_closure(frozenset(Path(p).resolve() for p in paths), Path(src).resolve()))


@functools.cache
def _closure(paths: frozenset[Path], src: Path) -> tuple[Path, ...]:
    todo = list(paths)
    seen: set[Path] = set()
    while todo:
        path = todo.pop()
        if path in seen:
            continue
        seen.add(path)
        for name in _direct(path, src):
            for package in _packages(name):
                module = _module_file(package, src)
                if module is not None and module not in seen:
                    todo.append(module)
    library = src / PACKAGE
    return tuple(sorted(p for p in seen if p.is_relative_to(library)))


def module_path(dotted: str, src: Path = SRC) -> Path:
    path = _module_file(dotted, src)
    if path is None:
        raise ValueError(f"no module {dotted} in {src / PACKAGE}")
    return path


def relative(paths, start: str | os.PathLike | None = None) -> list[str]:
    """Paths relative to `start` (default: the working directory), as the rules' inputs name them."""
    start = os.getcwd() if start is None else start
    return [os.path.relpath(p, start) for p in paths]


def main(argv: list[str]) -> int:
    for path in relative(closure(argv)):
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
