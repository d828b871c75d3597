"""Copy a run's tables, claims, comparison page and figures into docs/results/<name>/ (committed), each Markdown
file stamped with the commit and config it came from, plus MANIFEST.md (commit, config, every file's SHA-256)."""

import hashlib
import shutil
from pathlib import Path

import yaml

from unlearn.io import code_version, save_text, setup_logging

log = setup_logging(snakemake.log[0], "snapshot")
params = snakemake.params
folder = Path(snakemake.output[-1]).parent  # docs/results/<name>/ (MANIFEST.md is the last output)
config_text = yaml.safe_dump(dict(params["config"]), sort_keys=True)
config_hash = hashlib.sha256(config_text.encode()).hexdigest()[:12]
version = code_version()
name = params["config"]["name"]
stamp = (
    f"\n\n---\nSnapshot of run `{name}` at code version `{version}`, config sha256 `{config_hash}` "
    f"(config in `MANIFEST.md`). Regenerate: `make snapshot CONFIG=<this run's config>`.\n"
)
rows = []
for src in params["sources"]:
    dst = folder / Path(src).name
    if src.endswith(".md"):
        save_text(Path(src).read_text() + stamp, dst)
    else:
        tmp = dst.with_name(dst.name + ".tmp")
        shutil.copyfile(src, tmp)
        tmp.replace(dst)
    rows.append(f"| `{dst.name}` | `{src}` | `{hashlib.sha256(dst.read_bytes()).hexdigest()[:16]}` |")
manifest = (
    f"# Snapshot of run `{name}`\n\n"
    f"- code version (git commit + hash of the library source): `{version}`\n"
    f"- config sha256: `{config_hash}` (below, with the schema defaults filled in)\n"
    "- regenerate: `make snapshot CONFIG=<the config>` (runs what is missing, then copies); compare with "
    "`python bench/snapshot_diff.py <old folder> <new folder>` (wall-clock columns differ run to run)\n\n"
    "| file | from | sha256 (first 16) |\n|---|---|---|\n" + "\n".join(rows) + "\n\n"
    f"## Config\n\n```yaml\n{config_text}```\n"
)
save_text(manifest, folder / "MANIFEST.md")
log.info("wrote %d files to %s (code %s, config %s)", len(rows), folder, version, config_hash)
