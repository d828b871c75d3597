"""Atomic writes, checkpoints with provenance, and script logging."""

from __future__ import annotations

import hashlib
import json
import logging
import os
import subprocess
import sys
import tempfile
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent


def code_version() -> str:
    """Short hash of the library source plus the git commit when available.

    The source hash changes with any edit of the library, committed or not, so a
    checkpoint always says which code produced it.
    """
    digest = hashlib.sha256()
    for path in sorted(PACKAGE_DIR.rglob("*.py")):
        digest.update(path.relative_to(PACKAGE_DIR).as_posix().encode())
        digest.update(path.read_bytes())
    src = digest.hexdigest()[:12]
    try:
        commit = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],
            cwd=PACKAGE_DIR,
            capture_output=True,
            text=True,
            timeout=5,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        commit = "nogit"
    return f"{commit}+src.{src}"


def atomic_write(path: str | os.PathLike, write) -> None:
    """Write through a temporary file in the same folder, then rename into place."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    os.close(fd)
    try:
        write(tmp)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def save_torch(obj, path) -> None:
    import torch

    atomic_write(path, lambda tmp: torch.save(obj, tmp))


def load_torch(path, map_location="cpu"):
    """Load a checkpoint or tensor file safely (tensors and plain containers only)."""
    import torch

    return torch.load(path, map_location=map_location, weights_only=True)


def save_json(obj, path) -> None:
    def write(tmp):
        with open(tmp, "w") as fh:
            json.dump(obj, fh, indent=2, sort_keys=True)
            fh.write("\n")

    atomic_write(path, write)


def save_npz(path, **arrays) -> None:
    """numpy arrays into one .npz file, written atomically."""
    import numpy as np

    def write(tmp):
        with open(tmp, "wb") as fh:
            np.savez(fh, **arrays)

    atomic_write(path, write)


def load_json(path):
    with open(path) as fh:
        return json.load(fh)


def save_text(text: str, path) -> None:
    def write(tmp):
        Path(tmp).write_text(text)

    atomic_write(path, write)


def setup_logging(log_path=None, name: str = "unlearn", torch_job: bool = False) -> logging.Logger:
    """Log to the rule's log file (if given) and to stderr, one timestamped line per event. The first line names
    the host and, for jobs without torch, the device (CPU); torch jobs log theirs in `training.resolve_device`."""
    handlers = [logging.StreamHandler(sys.stderr)]
    if log_path:
        Path(log_path).parent.mkdir(parents=True, exist_ok=True)
        handlers.append(logging.FileHandler(log_path, mode="w"))
    logging.basicConfig(
        level=logging.INFO,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        datefmt="%H:%M:%S",
        handlers=handlers,
        force=True,
    )
    logger = logging.getLogger(name)
    import socket

    logger.info("host %s%s", socket.gethostname(), "" if torch_job else ", device cpu (numpy job, no torch)")
    return logger
