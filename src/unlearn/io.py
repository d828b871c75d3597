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


class CorruptFile(Exception):
    """A file the pipeline wrote that cannot be read back (truncated, overwritten, or holding objects a weights-only
    load refuses). Its message is one line: the file, what is wrong, and the rule that writes it."""


# where each file of a run comes from: (pattern on the path, the rule that writes it); the first match names it
PRODUCERS = [
    (r"/(data\.pt|labels\.npz|split\.json)$", "prepare_data"),
    (r"/models/original/s\d+\.(pt|probs\.npz)$", "train_original"),
    (r"/models/[^/]+/s\d+/snn_[^/]*$", "snn_unlearn"),
    (r"/models/[^/]+/s\d+/[^/]+\.(pt|probs\.npz|json)$", "unlearn"),
    (r"/metrics/[^/]+/s\d+\.json$", "evaluate"),
    (r"/resume/(\w+)/", r"\1"),
    (r"/forget/rum_es_[^/]*/", "rum_entanglement"),
    (r"/forget/rum_(mem_[^/]*|mix)/", "rum_memorization"),
    (r"/forget/[^/]+/s\d+\.json$", "forget_set"),
    (r"/tuning/", "tune"),
    (r"/rum/memorization/", "rum_memorization_models"),
    (r"/lira/shadows_", "lira_shadows"),
    (r"/ulira/originals/", "ulira_original"),
    (r"/ulira/[^/]+/s\d+/", "ulira_unlearn"),
    (r"/tmu/[^/]+/s\d+/features", "tmu_features"),
    (r"/tmu/[^/]+/s\d+/partition", "tmu_partition"),
]


def producer(path) -> str:
    """The rule that writes `path` ('unlearn' for results/<name>/run/models/<scenario>/s0/<method>.pt), or a pointer
    to `snakemake --summary` for a file outside the run layout."""
    import re

    text = Path(path).as_posix()
    for pattern, rule in PRODUCERS:
        hit = re.search(pattern, text)
        if hit:
            return hit.expand(rule) if "\\" in rule else rule
    return "the rule whose output it is (`snakemake --summary` lists it)"


def corrupt(path, err: BaseException) -> CorruptFile:
    """The one-line error for an unreadable file of the run."""
    detail = " ".join(str(err).split())[:160] or type(err).__name__
    if "Weights only load failed" in str(err):
        detail = "it holds objects other than tensors and plain containers (refused: weights_only=True)"
    return CorruptFile(f"{path}: cannot be read back ({type(err).__name__}: {detail}); it is written by rule "
                       f"`{producer(path)}`: delete it and rerun, and Snakemake rebuilds it")  # fmt: skip


def load_torch(path, map_location="cpu"):
    """Load a checkpoint or tensor file safely (tensors and plain containers only); an unreadable file raises
    CorruptFile naming it and the rule that writes it."""
    import pickle
    import zipfile

    import torch

    try:
        return torch.load(path, map_location=map_location, weights_only=True)
    except (EOFError, pickle.UnpicklingError, zipfile.BadZipFile) as err:  # empty, overwritten, or refused objects
        raise corrupt(path, err) from err
    except RuntimeError as err:  # a truncated archive; other runtime errors (a device mapping) are not the file's
        if "PytorchStreamReader" in str(err) or "zip archive" in str(err):
            raise corrupt(path, err) from err
        raise


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
    """A JSON file of the run; an unreadable one raises CorruptFile naming it and the rule that writes it."""
    with open(path) as fh:
        try:
            return json.load(fh)
        except (json.JSONDecodeError, UnicodeDecodeError) as err:
            raise corrupt(path, err) from err


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
    sys.excepthook = _one_line_for_corrupt_files
    import socket

    logger.info("host %s%s", socket.gethostname(), "" if torch_job else ", device cpu (numpy job, no torch)")
    return logger


def _one_line_for_corrupt_files(kind, err, tb) -> None:
    """An unreadable input stops the job with its one line (no traceback); anything else, as Python reports it."""
    if issubclass(kind, CorruptFile):
        logging.getLogger("unlearn").error("%s", err)
        return
    sys.__excepthook__(kind, err, tb)
