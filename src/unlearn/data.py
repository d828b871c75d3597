"""Datasets as uint8 tensors: scikit-learn digits, CIFAR-10 and CIFAR-100 (official python batches).

Every loader returns the same dict (see `Dataset`): images as uint8 N x C x H x W, labels as int64,
class names and per-channel mean/std of the training images (for normalisation inside the model).
Splits are deterministic; nothing here depends on global random state.
"""

from __future__ import annotations

import importlib.util
import pickle
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

NUM_CLASSES = {"digits": 10, "cifar10": 10, "cifar100": 100, "cifar20": 20}
# The official label names (batches.meta / meta), for planning a run without the data (dataset.verify: false)
CIFAR_NAMES = {
    "cifar10": ["airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck"],
    "cifar100": [
        "apple", "aquarium_fish", "baby", "bear", "beaver", "bed", "bee", "beetle", "bicycle", "bottle",
        "bowl", "boy", "bridge", "bus", "butterfly", "camel", "can", "castle", "caterpillar", "cattle",
        "chair", "chimpanzee", "clock", "cloud", "cockroach", "couch", "crab", "crocodile", "cup", "dinosaur",
        "dolphin", "elephant", "flatfish", "forest", "fox", "girl", "hamster", "house", "kangaroo",
        "keyboard", "lamp", "lawn_mower", "leopard", "lion", "lizard", "lobster", "man", "maple_tree",
        "motorcycle", "mountain", "mouse", "mushroom", "oak_tree", "orange", "orchid", "otter", "palm_tree",
        "pear", "pickup_truck", "pine_tree", "plain", "plate", "poppy", "porcupine", "possum", "rabbit",
        "raccoon", "ray", "road", "rocket", "rose", "sea", "seal", "shark", "shrew", "skunk", "skyscraper",
        "snail", "snake", "spider", "squirrel", "streetcar", "sunflower", "sweet_pepper", "table", "tank",
        "telephone", "television", "tiger", "tractor", "train", "trout", "tulip", "turtle", "wardrobe",
        "whale", "willow_tree", "wolf", "woman", "worm",
    ],
    # CIFAR-20: CIFAR-100's images with its 20 coarse (super-class) labels; the fine labels are kept beside them
    "cifar20": [
        "aquatic_mammals", "fish", "flowers", "food_containers", "fruit_and_vegetables",
        "household_electrical_devices", "household_furniture", "insects", "large_carnivores",
        "large_man-made_outdoor_things", "large_natural_outdoor_scenes", "large_omnivores_and_herbivores",
        "medium_mammals", "non-insect_invertebrates", "people", "reptiles", "small_mammals", "trees",
        "vehicles_1", "vehicles_2",
    ],
}  # fmt: skip

# name of the python-batch folder, training files, test file, meta file, label key, names key
CIFAR_LAYOUT = {
    "cifar10": (
        "cifar-10-batches-py",
        [f"data_batch_{i}" for i in range(1, 6)],
        "test_batch",
        "batches.meta",
        "labels",
        "label_names",
    ),
    "cifar100": ("cifar-100-python", ["train"], "test", "meta", "fine_labels", "fine_label_names"),
    "cifar20": ("cifar-100-python", ["train"], "test", "meta", "coarse_labels", "coarse_label_names"),
}


class DatasetError(ValueError):
    """A dataset folder or file is missing or malformed."""


@dataclass
class Dataset:
    train_x: np.ndarray  # uint8, N x C x H x W
    train_y: np.ndarray  # int64, N
    test_x: np.ndarray
    test_y: np.ndarray
    class_names: list[str]
    # held-out training data (TMU's D_t pool): never in D, indices into the source training split
    holdout_x: np.ndarray | None = None
    holdout_y: np.ndarray | None = None
    holdout_idx: np.ndarray | None = None
    # CIFAR-20 (super-classes): the fine CIFAR-100 label of every training / test image, and the fine names
    fine_y: np.ndarray | None = None
    fine_test_y: np.ndarray | None = None
    fine_names: list[str] | None = None

    @property
    def num_classes(self) -> int:
        return len(self.class_names)

    def channel_stats(self) -> tuple[list[float], list[float]]:
        x = self.train_x.astype(np.float64) / 255.0
        return x.mean(axis=(0, 2, 3)).tolist(), x.std(axis=(0, 2, 3)).tolist()

    def to_tensors(self) -> dict:
        import torch

        mean, std = self.channel_stats()
        return {
            "train_x": torch.from_numpy(np.ascontiguousarray(self.train_x)),
            "train_y": torch.from_numpy(self.train_y.astype(np.int64)),
            "test_x": torch.from_numpy(np.ascontiguousarray(self.test_x)),
            "test_y": torch.from_numpy(self.test_y.astype(np.int64)),
            "class_names": list(self.class_names),
            "mean": mean,
            "std": std,
            **self._holdout_tensors(torch),
        }

    def _holdout_tensors(self, torch) -> dict:
        if self.holdout_y is None or not len(self.holdout_y):
            return {}
        return {
            "holdout_x": torch.from_numpy(np.ascontiguousarray(self.holdout_x)),
            "holdout_y": torch.from_numpy(self.holdout_y.astype(np.int64)),
        }


def _stratified_split(y: np.ndarray, test_fraction: float, seed: int):
    rng = np.random.RandomState(seed)
    test = []
    for c in np.unique(y):
        idx = np.flatnonzero(y == c)
        idx = idx[rng.permutation(len(idx))]
        test.extend(idx[: round(test_fraction * len(idx))].tolist())
    test_mask = np.zeros(len(y), dtype=bool)
    test_mask[test] = True
    return np.flatnonzero(~test_mask), np.flatnonzero(test_mask)


def _digits_arrays() -> tuple[np.ndarray, np.ndarray]:
    """The 1,797 digits as (N x 64 values 0..16, labels), read from scikit-learn's bundled csv.

    Reads the file sklearn.datasets.load_digits reads, without importing scikit-learn (~1.4 s),
    because the workflow loads these labels at every start-up to validate the config.
    """
    spec = importlib.util.find_spec("sklearn")
    path = Path(spec.submodule_search_locations[0]) / "datasets" / "data" / "digits.csv.gz" if spec else None
    if path is None or not path.is_file():  # layout changed: fall back to the public API
        from sklearn.datasets import load_digits as sk_digits

        bunch = sk_digits()
        return bunch.data, bunch.target
    raw = np.loadtxt(path, delimiter=",")
    return raw[:, :-1], raw[:, -1]


def load_digits(test_fraction: float = 0.2, split_seed: int = 0) -> Dataset:
    """scikit-learn's bundled 8x8 digits (1,797 images), values 0..16 rescaled to uint8."""
    values, target = _digits_arrays()
    x = np.round(values.reshape(-1, 1, 8, 8) * (255.0 / 16.0)).astype(np.uint8)
    y = target.astype(np.int64)
    tr, te = _stratified_split(y, test_fraction, split_seed)
    return Dataset(x[tr], y[tr], x[te], y[te], [str(c) for c in range(10)])


# what the official CIFAR python batches contain besides dicts, lists, strings, bytes and numbers: numpy arrays
# (rebuilt by these functions) and, in files written by Python 2, byte strings re-encoded through _codecs
_SAFE_GLOBALS = {
    ("numpy", "ndarray"),
    ("numpy", "dtype"),
    ("numpy.core.multiarray", "_reconstruct"),
    ("numpy._core.multiarray", "_reconstruct"),
    ("numpy.core.numeric", "_frombuffer"),
    ("numpy._core.numeric", "_frombuffer"),
    ("_codecs", "encode"),
}


class UnsafePickleError(pickle.UnpicklingError):
    pass


class _BatchUnpickler(pickle.Unpickler):
    """Unpickles data only: a batch file that names any other callable (a crafted file that would run code
    on load) is refused before that callable is ever looked up."""

    def find_class(self, module: str, name: str):
        if (module, name) not in _SAFE_GLOBALS:
            raise UnsafePickleError(f"refuses {module}.{name} (CIFAR batches hold only numpy arrays and plain data)")
        return super().find_class(module, name)


def _unpickle(path: Path) -> dict:
    if not path.is_file():
        raise DatasetError(f"dataset.root: missing file {path}")
    try:
        with open(path, "rb") as fh:
            return _BatchUnpickler(fh, encoding="latin1").load()
    except Exception as exc:
        raise DatasetError(f"dataset.root: {path} is not a CIFAR python batch ({exc})") from exc


def _read_batch(path: Path, label_key: str, num_classes: int, labels_only: bool = False):
    d = _unpickle(path)
    if not isinstance(d, dict) or label_key not in d or "data" not in d:
        raise DatasetError(f"dataset.root: {path} lacks the keys 'data' and '{label_key}'")
    y = np.asarray(d[label_key], dtype=np.int64)
    data = np.asarray(d["data"])
    if data.ndim != 2 or data.shape[1] != 3072 or data.shape[0] != len(y) or data.dtype != np.uint8:
        raise DatasetError(
            f"dataset.root: {path} has data of shape {data.shape} ({data.dtype}) for {len(y)} labels; "
            "expected uint8 N x 3072"
        )
    if len(y) and (y.min() < 0 or y.max() >= num_classes):
        raise DatasetError(f"dataset.root: {path} has labels outside 0..{num_classes - 1}")
    if labels_only:
        return None, y
    return data.reshape(-1, 3, 32, 32), y


def check_cifar_folder(name: str, root) -> Path:
    """Raise DatasetError naming the missing file unless `root` is a complete python-batch folder."""
    root = Path(root)
    _, train_files, test_file, meta_file, _, _ = CIFAR_LAYOUT[name]
    if not root.is_dir():
        raise DatasetError(f"dataset.root: folder not found: {root}")
    missing = [f for f in [*train_files, test_file, meta_file] if not (root / f).is_file()]
    if missing:
        raise DatasetError(
            f"dataset.root: {root} lacks {', '.join(missing)} (expected the official {name} python-batch files)"
        )
    return root


def load_cifar(name: str, root, download: bool = False, labels_only: bool = False) -> Dataset:
    """Read CIFAR-10/100 from the official python-batch folder `root` (any number of rows per file)."""
    folder, train_files, test_file, meta_file, label_key, names_key = CIFAR_LAYOUT[name]
    root = Path(root)
    if download and not root.is_dir():
        if root.name != folder:
            raise DatasetError(f"dataset.root: with download, the folder must be named {folder}, got {root}")
        fetch([name], root.parent)
    check_cifar_folder(name, root)
    k = NUM_CLASSES[name]
    meta = _unpickle(root / meta_file)
    names = list(meta.get(names_key, [])) if isinstance(meta, dict) else []
    if len(names) != k:
        raise DatasetError(f"dataset.root: {root / meta_file} has {len(names)} '{names_key}', expected {k}")
    parts = [_read_batch(root / f, label_key, k, labels_only) for f in train_files]
    test_x, test_y = _read_batch(root / test_file, label_key, k, labels_only)
    train_y = np.concatenate([y for _, y in parts])
    train_x = None if labels_only else np.concatenate([x for x, _ in parts])
    if name != "cifar20":
        return Dataset(train_x, train_y, test_x, test_y, names)
    fine_names = list(meta.get("fine_label_names", [])) if isinstance(meta, dict) else []
    if len(fine_names) != NUM_CLASSES["cifar100"]:
        raise DatasetError(f"dataset.root: {root / meta_file} has {len(fine_names)} 'fine_label_names', expected 100")
    fine = [_read_batch(root / f, "fine_labels", 100, labels_only=True)[1] for f in train_files]
    fine_test = _read_batch(root / test_file, "fine_labels", 100, labels_only=True)[1]
    return Dataset(train_x, train_y, test_x, test_y, names, fine_y=np.concatenate(fine), fine_test_y=fine_test,
                   fine_names=fine_names)  # fmt: skip


def cap_per_class(ds: Dataset, max_per_class: int | None) -> Dataset:
    """Keep the first `max_per_class` training images of each class (deterministic, order kept)."""
    if not max_per_class:
        return ds
    keep = np.concatenate([np.flatnonzero(ds.train_y == c)[:max_per_class] for c in range(ds.num_classes)])
    keep.sort()
    x = None if ds.train_x is None else ds.train_x[keep]
    fine = None if ds.fine_y is None else ds.fine_y[keep]
    return Dataset(x, ds.train_y[keep], ds.test_x, ds.test_y, ds.class_names, fine_y=fine,
                   fine_test_y=ds.fine_test_y, fine_names=ds.fine_names)  # fmt: skip


def hold_out(ds: Dataset, per_class: int, seed: int) -> Dataset:
    """Move `per_class` random training images of every class out of the training set (deterministic in
    `seed`). They form the held-out pool TMU draws its twin data D_t from; no model is trained on D sees them.
    """
    if not per_class:
        return ds
    rng = np.random.RandomState(seed)
    held = []
    for c in range(ds.num_classes):
        idx = np.flatnonzero(ds.train_y == c)
        if per_class >= len(idx):
            raise DatasetError(
                f"dataset.holdout_per_class: {per_class} would hold out all {len(idx)} training images of class {c}"
            )
        held.extend(idx[rng.permutation(len(idx))[:per_class]].tolist())
    held = np.sort(np.asarray(held, dtype=np.int64))
    keep = np.setdiff1d(np.arange(len(ds.train_y)), held)
    x = ds.train_x
    return Dataset(
        None if x is None else x[keep],
        ds.train_y[keep],
        ds.test_x,
        ds.test_y,
        ds.class_names,
        holdout_x=None if x is None else x[held],
        holdout_y=ds.train_y[held],
        holdout_idx=held,
        fine_y=None if ds.fine_y is None else ds.fine_y[keep],
        fine_test_y=ds.fine_test_y,
        fine_names=ds.fine_names,
    )


@dataclass(frozen=True)
class DatasetKind:
    """A dataset the workflow can run on. Adding a dataset is one entry in DATASETS: a reader returning a
    `Dataset` (uint8 N x C x H x W images, int64 labels, class names) from the config's `dataset` section."""

    num_classes: int
    channels: int
    size: int
    read: Callable[[dict, bool], Dataset]  # (the `dataset` section, labels_only) -> Dataset
    needs_root: bool = True  # the config must give dataset.root (a folder with the files)
    class_names: list[str] | None = None  # known without reading the data (plan-only runs resolve names)
    fine_names: list[str] | None = None  # sub-classes of the classes (CIFAR-20), for `fine_class` scenarios


DATASETS: dict[str, DatasetKind] = {
    "digits": DatasetKind(
        10, 1, 8, lambda cfg, _: load_digits(cfg.get("test_fraction", 0.2), cfg.get("split_seed", 0)), False
    ),
    **{
        name: DatasetKind(
            NUM_CLASSES[name],
            3,
            32,
            lambda cfg, labels_only, name=name: load_cifar(name, cfg["root"], cfg.get("download", False), labels_only),
            class_names=CIFAR_NAMES[name],
        )
        for name in ("cifar10", "cifar100")
    },
    "cifar20": DatasetKind(
        20,
        3,
        32,
        lambda cfg, labels_only: load_cifar("cifar20", cfg["root"], cfg.get("download", False), labels_only),
        class_names=CIFAR_NAMES["cifar20"],
        fine_names=CIFAR_NAMES["cifar100"],
    ),
}


def dataset_kind(name: str) -> DatasetKind:
    if name not in DATASETS:
        import difflib

        close = difflib.get_close_matches(name, list(DATASETS), n=1)
        hint = f"did you mean '{close[0]}'?" if close else f"allowed: {', '.join(DATASETS)}"
        raise DatasetError(f"dataset.name: unknown dataset '{name}'; {hint}")
    return DATASETS[name]


def load_dataset(cfg: dict, labels_only: bool = False) -> Dataset:
    """Read the config's `dataset` section through its DATASETS entry; then the per-class cap and the hold-out."""
    ds = dataset_kind(cfg["name"]).read(cfg, labels_only)
    ds = cap_per_class(ds, cfg.get("max_train_per_class"))
    return hold_out(ds, int(cfg.get("holdout_per_class") or 0), int(cfg.get("split_seed", 0)))


def fetch(names: list[str], to: str | Path) -> list[Path]:
    """Download the official CIFAR python folders into `to` (torchvision; needs network) and check them.
    The one-time data step of a cluster run: run it where there is network, never inside a compute job."""
    out = []
    for name in names:
        if name not in CIFAR_LAYOUT:
            raise DatasetError(f"fetch: unknown dataset '{name}'; allowed: {', '.join(sorted(CIFAR_LAYOUT))}")
        root = Path(to) / CIFAR_LAYOUT[name][0]
        if not root.is_dir():
            from torchvision import datasets

            cls = datasets.CIFAR10 if name == "cifar10" else datasets.CIFAR100
            cls(root=str(Path(to)), train=True, download=True)
        out.append(check_cifar_folder(name, root))
    return out


def main(argv: list[str]) -> int:
    """python -m unlearn.data fetch cifar10 [cifar100] [--to data]: the official folders, then each checked."""
    import argparse

    parser = argparse.ArgumentParser(prog="python -m unlearn.data", description=main.__doc__)
    parser.add_argument("command", choices=["fetch"])
    parser.add_argument("names", nargs="+")
    parser.add_argument("--to", default="data")
    args = parser.parse_args(argv)
    try:
        for root in fetch(args.names, args.to):
            print(f"ok: {root}")
    except (DatasetError, OSError) as exc:  # no network, a partial folder: one line, no traceback
        print(f"data error: {exc}", file=__import__("sys").stderr)
        return 1
    return 0


if __name__ == "__main__":
    import sys

    sys.exit(main(sys.argv[1:]))
