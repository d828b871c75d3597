"""Datasets: digits, the real CIFAR-10 sample beside the checkout, malformed folders; models' shapes."""

import pickle

import numpy as np
import pytest
import torch
from conftest import write_cifar100

from unlearn.checkpoints import data_info
from unlearn.data import CIFAR_NAMES, DatasetError, load_cifar, load_dataset, load_digits
from unlearn.loader import embed, predict_proba
from unlearn.models import MODELS, build_model


def test_digits_split_is_deterministic_and_stratified():
    a, b = load_digits(), load_digits()
    assert a.train_x.dtype == np.uint8 and a.train_x.shape[1:] == (1, 8, 8)
    assert len(a.train_y) + len(a.test_y) == 1797 and len(a.test_y) == 359
    assert np.array_equal(a.test_y, b.test_y) and np.array_equal(a.train_x, b.train_x)
    assert set(np.bincount(a.test_y)) <= {35, 36, 37}
    assert a.train_x.max() == 255


def test_cifar10_sample_reads_with_exact_counts(cifar_sample):
    ds = load_cifar("cifar10", cifar_sample)
    assert ds.train_x.shape == (5085, 3, 32, 32) and ds.train_x.dtype == np.uint8
    assert ds.test_x.shape == (1017, 3, 32, 32)
    assert np.bincount(ds.train_y).tolist() == [517, 524, 490, 493, 537, 475, 503, 516, 529, 501]
    assert np.bincount(ds.test_y).tolist() == [105, 93, 100, 104, 92, 87, 114, 102, 110, 110]
    assert ds.class_names[0] == "airplane" and ds.class_names[9] == "truck"
    assert ds.class_names == CIFAR_NAMES["cifar10"]  # the names a plan-only run resolves classes with
    capped = load_dataset({"name": "cifar10", "root": str(cifar_sample), "max_train_per_class": 100})
    assert np.bincount(capped.train_y).tolist() == [100] * 10


def _pixels_match_the_raw_rows(images, raw):
    """The official layout: each row is 1,024 red bytes, then green, then blue, each plane row by row. Checked at
    hand-picked positions (corners, a row break, a plane break) and then for every byte by the same formula."""
    for i, c, r, col in [(0, 0, 0, 0), (0, 0, 0, 31), (0, 0, 1, 0), (0, 1, 0, 0), (1, 2, 31, 31), (7, 1, 5, 17)]:
        assert images[i, c, r, col] == raw[i, c * 1024 + r * 32 + col], (i, c, r, col)
    c, r, col = np.meshgrid(np.arange(3), np.arange(32), np.arange(32), indexing="ij")
    assert np.array_equal(images[:8], raw[:8][:, c * 1024 + r * 32 + col])


def test_cifar10_pixels_are_the_raw_batch_bytes_channel_major(cifar_sample):
    def raw_rows(name):
        with open(cifar_sample / name, "rb") as fh:
            batch = pickle.load(fh, encoding="bytes")
        return np.asarray(batch[b"data"] if b"data" in batch else batch["data"])  # Python 2 or 3 pickle keys

    raw, raw_test = raw_rows("data_batch_1"), raw_rows("test_batch")
    ds = load_cifar("cifar10", cifar_sample)
    _pixels_match_the_raw_rows(ds.train_x, raw)
    _pixels_match_the_raw_rows(ds.test_x, raw_test)
    assert not np.array_equal(ds.train_x[0], ds.train_x[0].transpose(0, 2, 1)), "a real image is not symmetric"


def test_missing_folder_and_file_are_named(tmp_path):
    with pytest.raises(DatasetError, match=r"dataset\.root: folder not found"):
        load_cifar("cifar10", tmp_path / "nope")
    (tmp_path / "batches.meta").write_bytes(b"")
    with pytest.raises(DatasetError, match=r"lacks data_batch_1"):
        load_cifar("cifar10", tmp_path)


def test_malformed_batch_is_named(tmp_path, cifar_sample):
    for f in cifar_sample.iterdir():
        (tmp_path / f.name).write_bytes(f.read_bytes())
    (tmp_path / "data_batch_2").write_bytes(b"not a pickle")
    with pytest.raises(DatasetError, match="data_batch_2 is not a CIFAR python batch"):
        load_cifar("cifar10", tmp_path)
    with open(tmp_path / "data_batch_2", "wb") as fh:
        pickle.dump({"labels": [1, 2], "data": np.zeros((2, 100), np.uint8)}, fh)
    with pytest.raises(DatasetError, match="data_batch_2 has data of shape"):
        load_cifar("cifar10", tmp_path)


class _RunsCode:
    """A crafted 'batch': unpickling it with pickle.load would call os.system and create a file."""

    def __init__(self, marker):
        self.marker = marker

    def __reduce__(self):
        import os

        return (os.system, (f"touch {self.marker}",))


@pytest.mark.parametrize("file", ["data_batch_3", "batches.meta"])
def test_crafted_batch_file_runs_nothing_and_is_named(tmp_path, cifar_sample, file):
    folder, marker = tmp_path / "cifar", tmp_path / "pwned"
    folder.mkdir()
    for f in cifar_sample.iterdir():
        (folder / f.name).write_bytes(f.read_bytes())
    payload = (
        {"labels": [0], "data": _RunsCode(marker)} if file != "batches.meta" else {"label_names": _RunsCode(marker)}
    )
    (folder / file).write_bytes(pickle.dumps(payload))
    pickle.loads(pickle.dumps(_RunsCode(tmp_path / "canary")))  # the payload is live under plain pickle...
    assert (tmp_path / "canary").exists()
    with pytest.raises(DatasetError, match=rf"{file} is not a CIFAR python batch \(refuses posix\.system"):
        load_cifar("cifar10", folder)
    assert not marker.exists(), "...and nothing ran here"


def test_official_batches_written_by_python3_numpy_still_read(tmp_path, cifar_sample):
    """Batches re-saved with this Python and numpy (any pickle protocol) pass the restricted unpickler."""
    for f in cifar_sample.iterdir():
        (tmp_path / f.name).write_bytes(f.read_bytes())
    original = load_cifar("cifar10", cifar_sample)
    for protocol in (2, 4, 5):
        with open(cifar_sample / "data_batch_1", "rb") as fh:
            batch = pickle.load(fh, encoding="bytes")
        with open(tmp_path / "data_batch_1", "wb") as fh:
            pickle.dump(batch, fh, protocol=protocol)
        again = load_cifar("cifar10", tmp_path)
        assert np.array_equal(again.train_x, original.train_x) and np.array_equal(again.train_y, original.train_y)


@pytest.mark.parametrize("name", sorted(MODELS))
@pytest.mark.parametrize("shape", [(1, 8), (3, 32)])
def test_every_model_gives_logits_and_features(name, shape):
    channels, size = shape
    specs = {
        "vit": {"name": name, "patch": 2 if size == 8 else 4, "dim": 32, "depth": 1, "heads": 2},
        "snn": {"name": name, "hidden": [16, 8], "steps": 3},
    }
    spec = specs.get(name, {"name": name, "width": 0.25})
    info = {
        "in_channels": channels,
        "image_size": size,
        "num_classes": 7,
        "mean": [0.5] * channels,
        "std": [0.25] * channels,
    }
    model = build_model(spec, info).eval()
    x = torch.rand(3, channels, size, size)
    assert model(x).shape == (3, 7)
    assert model.features(x).shape[0] == 3 and model.features(x).ndim == 2
    images = (x * 255).to(torch.uint8)
    assert torch.allclose(predict_proba(model, images, batch_size=2).sum(1), torch.ones(3))
    assert embed(model, images, batch_size=2).shape == model.features(x).shape


def test_data_info_matches_bundle():
    info = data_info(load_digits().to_tensors())
    assert info["in_channels"] == 1 and info["image_size"] == 8 and info["num_classes"] == 10


def test_cifar100_layout_is_read(tmp_path):
    """No CIFAR-100 here: write a small folder in the official cifar-100-python layout and read it back."""
    rng = np.random.default_rng(0)
    root = tmp_path / "cifar-100-python"
    root.mkdir()
    for name, n in (("train", 300), ("test", 50)):
        labels = (np.arange(n) % 100).tolist()
        with open(root / name, "wb") as fh:
            pickle.dump(
                {
                    "fine_labels": labels,
                    "coarse_labels": [0] * n,
                    "data": rng.integers(0, 256, (n, 3072), dtype=np.uint8),
                },
                fh,
            )
    with open(root / "meta", "wb") as fh:
        pickle.dump({"fine_label_names": [f"c{i}" for i in range(100)]}, fh)
    ds = load_dataset({"name": "cifar100", "root": str(root)})
    assert ds.num_classes == 100 and ds.train_x.shape == (300, 3, 32, 32) and len(ds.test_y) == 50
    assert np.bincount(ds.train_y).tolist() == [3] * 100
    with open(root / "train", "rb") as fh:
        raw = pickle.load(fh)["data"]
    _pixels_match_the_raw_rows(load_cifar("cifar100", root).train_x, raw)


def test_download_needs_the_official_folder_name(tmp_path):
    with pytest.raises(DatasetError, match=r"must be named cifar-10-batches-py"):
        load_cifar("cifar10", tmp_path / "my-cifar", download=True)


def test_a_new_dataset_is_one_entry_in_DATASETS(monkeypatch):
    """Adding a dataset: an entry in unlearn.data.DATASETS; the config check and prepare_data's reader use it."""
    from conftest import REPO

    from unlearn import data
    from unlearn.config import ConfigError, validate_config

    def read_first_five(cfg, labels_only):
        ds = data.load_digits()
        tr, te = ds.train_y < 5, ds.test_y < 5
        return data.Dataset(ds.train_x[tr], ds.train_y[tr], ds.test_x[te], ds.test_y[te], list("abcde"))

    monkeypatch.setitem(data.DATASETS, "digits5", data.DatasetKind(5, 1, 8, read_first_five, needs_root=False))
    cfg = {
        "name": "five", "dataset": {"name": "digits5"}, "model": {"name": "smallcnn"},
        "train": {"epochs": 1, "lr": 0.1}, "seeds": [0], "methods": {"retrain": {}},
        "scenarios": {"last": {"kind": "full_class", "class": 4}},
    }  # fmt: skip
    schema = REPO / "schemas/config.schema.yaml"
    assert validate_config(cfg, schema)["dataset"]["name"] == "digits5"
    ds = data.load_dataset({"name": "digits5"})
    assert ds.num_classes == 5 and ds.train_x.shape[1:] == (1, 8, 8) and set(ds.train_y.tolist()) == set(range(5))
    cfg["scenarios"]["last"]["class"] = 5
    with pytest.raises(ConfigError, match=r"scenarios\.last\.class: 5 is out of range; allowed: 0\.\.4"):
        validate_config(cfg, schema)


def test_fetch_checks_a_present_folder_without_network_and_names_unknown_datasets(tmp_path, cifar_sample, capsys):
    import shutil

    from unlearn.data import main

    shutil.copytree(cifar_sample, tmp_path / "cifar-10-batches-py")
    assert main(["fetch", "cifar10", "--to", str(tmp_path)]) == 0
    assert capsys.readouterr().out.strip() == f"ok: {tmp_path / 'cifar-10-batches-py'}"
    (tmp_path / "cifar-10-batches-py" / "test_batch").unlink()  # a partial folder is named, not used
    assert main(["fetch", "cifar10", "--to", str(tmp_path)]) == 1
    assert "test_batch" in capsys.readouterr().err
    assert main(["fetch", "mnist", "--to", str(tmp_path)]) == 1
    assert "unknown dataset 'mnist'; allowed: cifar10, cifar100, cifar20" in capsys.readouterr().err


def test_cifar20_reads_coarse_labels_and_keeps_the_fine_ones_through_the_hold_out(tmp_path):
    root = write_cifar100(tmp_path / "cifar-100-python")
    ds = load_dataset({"name": "cifar20", "root": str(root), "holdout_per_class": 2, "split_seed": 0})
    assert ds.num_classes == 20 and ds.class_names[19] == "vehicles_2" and ds.fine_names[69] == "rocket"
    assert len(ds.train_y) == 400 - 20 * 2 and len(ds.fine_y) == len(ds.train_y)
    assert np.array_equal(ds.fine_y // 5, ds.train_y)  # each kept image's fine label stays beside its coarse one
    assert np.array_equal(ds.fine_test_y, np.arange(100) % 100) and np.array_equal(ds.test_y, ds.fine_test_y // 5)
    held = np.setdiff1d(np.arange(400), ds.holdout_idx)
    assert np.array_equal(ds.fine_y, (held % 100))  # aligned with the source positions


def test_fine_class_forget_set_and_its_forgotten_test_images():
    from unlearn.evaluation import summarize
    from unlearn.forget import ScenarioError, forget_indices, forgotten_test_mask

    fine = np.array([69, 3, 69, 12, 69, 4])  # rocket x3
    coarse = fine // 5
    spec = {"kind": "fine_class", "fine": 69}
    assert forget_indices(coarse, spec, seed=0, fine=fine).tolist() == [0, 2, 4]
    assert forget_indices(coarse, spec, seed=9, fine=fine).tolist() == [0, 2, 4]  # all of it, seed-free
    with pytest.raises(ScenarioError, match="fine_class needs a dataset with fine labels"):
        forget_indices(coarse, spec, seed=0)
    fine_test = np.array([69, 69, 68, 3])
    mask = forgotten_test_mask(spec, fine_test // 5, fine_test)
    assert mask.tolist() == [True, True, False, False]
    # the super-class (13) stays: test images of rocket classified as 13 count as right, on forgotten ones too
    test_y = fine_test // 5
    probs = {"train": np.eye(20)[coarse], "test": np.eye(20)[[13, 0, 13, 0]]}
    acc = summarize(probs, coarse, test_y, np.array([0, 2, 4]), mask, seed=0)["acc"]
    assert acc["test_forgotten"] == 0.5 and acc["test_remaining"] == 1.0 and acc["forget"] == 1.0


def test_fine_class_scenarios_resolve_names_and_need_fine_labels():
    from conftest import REPO

    from unlearn.config import ConfigError, validate_config
    from unlearn.plan import Plan

    schema = REPO / "schemas/config.schema.yaml"
    base = {"name": "x", "model": {"name": "smallcnn"}, "train": {"epochs": 1, "lr": 0.1}, "seeds": [0],
            "methods": {"retrain": {}}}  # fmt: skip
    cifar20 = {"name": "cifar20", "root": "nowhere", "verify": False}
    cfg = validate_config(
        {**base, "dataset": cifar20, "scenarios": {"r": {"kind": "fine_class", "fine": "rocket"}}}, schema
    )
    assert cfg["scenarios"]["r"]["fine"] == "rocket" and Plan(cfg).scenarios["r"]["fine"] == 69  # the plan resolves
    with pytest.raises(ConfigError, match=r"scenarios\.r\.fine: unknown fine class 'rockets'; did you mean 'rocket'"):
        validate_config(
            {**base, "dataset": cifar20, "scenarios": {"r": {"kind": "fine_class", "fine": "rockets"}}}, schema
        )
    with pytest.raises(ConfigError, match=r"scenarios\.r\.kind: fine_class needs a dataset with fine labels"):
        validate_config(
            {**base, "dataset": {"name": "digits"}, "scenarios": {"r": {"kind": "fine_class", "fine": 1}}}, schema
        )


# --- what a job does with an unreadable input: one line naming the file and the rule that writes it ---------------
def test_a_truncated_checkpoint_stops_with_one_line_naming_the_file_and_its_rule(tmp_path):
    import torch

    from unlearn.io import CorruptFile, load_json, load_torch, save_json, save_torch

    path = tmp_path / "results/x/run/models/rand/s0/neggrad.pt"
    save_torch({"w": torch.ones(64, 64)}, path)
    assert load_torch(path)["w"].shape == (64, 64)
    path.write_bytes(path.read_bytes()[:100])  # a job killed mid-copy, a disk that filled up
    with pytest.raises(CorruptFile) as err:
        load_torch(path)
    text = str(err.value)
    assert text.startswith(f"{path}: cannot be read back (") and "\n" not in text
    assert "written by rule `unlearn`" in text
    for garbage in (b"", b"not a checkpoint\n"):  # an empty file, one overwritten by something else
        path.write_bytes(garbage)
        with pytest.raises(CorruptFile, match="written by rule `unlearn`"):
            load_torch(path)
    record = tmp_path / "results/x/run/metrics/rand/s0.json"
    save_json([{"method": "retrain"}], record)
    record.write_text(record.read_text()[:10])
    with pytest.raises(CorruptFile, match=r"s0\.json: cannot be read back \(JSONDecodeError.*rule `evaluate`"):
        load_json(record)
    with pytest.raises(FileNotFoundError):
        load_torch(tmp_path / "missing.pt")


def test_checkpoints_load_weights_only(tmp_path):
    """A checkpoint holding an arbitrary object (what a crafted file would use to run code) is refused."""
    import datetime

    import torch

    from unlearn.io import CorruptFile, load_torch

    path = tmp_path / "results/x/run/models/original/s0.pt"
    path.parent.mkdir(parents=True)
    torch.save({"when": datetime.datetime(2026, 1, 1), "w": torch.zeros(2)}, path)
    assert torch.load(path, weights_only=False)["w"].shape == (2,), "an ordinary pickle would load it"
    with pytest.raises(CorruptFile, match=r"refused: weights_only=True.*rule `train_original`"):
        load_torch(path)


def test_the_job_prints_the_one_line_not_a_traceback(tmp_path):
    import subprocess
    import sys

    bad = tmp_path / "results/x/run/metrics/rand/s0.json"
    bad.parent.mkdir(parents=True)
    bad.write_text("[{")
    code = f"from unlearn.io import load_json, setup_logging\nsetup_logging()\nload_json({str(bad)!r})\n"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert out.returncode == 1 and "Traceback" not in out.stderr
    last = out.stderr.strip().splitlines()[-1]
    assert "ERROR unlearn:" in last and f"{bad}: cannot be read back" in last and "rule `evaluate`" in last
