"""The docs' relative links point at files a fresh clone has."""

import re
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
LINK = re.compile(r"\]\(([^)#\s]+)(?:#[^)]*)?\)")


def doc_pages():
    return [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]


def tracked():
    """Files git tracks (None outside a git checkout): an ignored file exists here but not in a clone."""
    try:
        out = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        return None
    return {ROOT / p for p in out.splitlines()}


def relative_links(page):
    for target in LINK.findall(page.read_text()):
        if "://" not in target and not target.startswith("mailto:"):
            yield target


def test_link_pattern_finds_relative_targets(tmp_path):
    page = tmp_path / "p.md"
    page.write_text("[a](x/y.md) [b](https://e.org/z) [c](z.md#sec) [d](#top)\n")
    assert [t for t in relative_links(page)] == ["x/y.md", "z.md"]


@pytest.mark.parametrize("page", doc_pages(), ids=lambda p: str(p.relative_to(ROOT)))
def test_relative_links_resolve_to_tracked_files(page):
    files = tracked()
    missing = []
    for target in relative_links(page):
        path = (page.parent / target).resolve()
        if files is None:
            ok = path.exists()
        else:
            ok = path in files or (path.is_dir() and any(f.is_relative_to(path) for f in files))
        if not ok:
            missing.append(target)
    assert missing == [], f"{page.relative_to(ROOT)} links to files a fresh clone lacks: {missing}"
