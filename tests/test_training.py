"""The training recipe: determinism, divergence errors, checkpoints, the loader."""

import math

import pytest
import torch
from conftest import RECIPE, SPEC

from unlearn.checkpoints import load_model, save_model
from unlearn.loader import TensorLoader, random_crop_flip
from unlearn.training import DivergenceError, Resume, lr_factor, train_from_scratch


def test_same_seed_same_weights_on_cpu(digits):
    bundle, info = digits
    x, y = bundle["train_x"][:400], bundle["train_y"][:400]
    a, _ = train_from_scratch(SPEC, info, x, y, RECIPE, seed=7, device="cpu", tag="a")
    b, _ = train_from_scratch(SPEC, info, x, y, RECIPE, seed=7, device="cpu", tag="b")
    c, _ = train_from_scratch(SPEC, info, x, y, RECIPE, seed=8, device="cpu", tag="c")
    sa, sb, sc = a.state_dict(), b.state_dict(), c.state_dict()
    assert all(torch.equal(sa[k], sb[k]) for k in sa)
    assert not all(torch.equal(sa[k], sc[k]) for k in sa)


def test_nan_loss_names_model_and_epoch(digits):
    bundle, info = digits
    bad = {**RECIPE, "lr": 1e30, "momentum": 0.0, "epochs": 3}
    with pytest.raises(DivergenceError, match=r"original s3: loss became (nan|inf|-inf) at epoch \d/3"):
        train_from_scratch(
            SPEC, info, bundle["train_x"][:256], bundle["train_y"][:256], bad, seed=0, device="cpu", tag="original s3"
        )


def test_checkpoint_round_trip_with_provenance(digits, tmp_path):
    bundle, info = digits
    model, _ = train_from_scratch(
        SPEC,
        info,
        bundle["train_x"][:128],
        bundle["train_y"][:128],
        {**RECIPE, "epochs": 1},
        seed=0,
        device="cpu",
        tag="x",
    )
    path = tmp_path / "m.pt"
    save_model(model, path, spec=SPEC, info=info, seed=0, config={"train": RECIPE})
    loaded, ckpt = load_model(path)
    assert ckpt["seed"] == 0 and ckpt["config"]["train"]["lr"] == 0.05 and "+src." in ckpt["code_version"]
    x = bundle["test_x"][:16].float() / 255
    model.eval()
    assert torch.equal(model(x), loaded.eval()(x))
    assert not list(tmp_path.glob(".*tmp")), "no temporary files left behind"


def test_lr_schedules():
    assert lr_factor({"schedule": "constant", "epochs": 4}, 3.0) == 1.0
    assert lr_factor({"schedule": "cosine", "epochs": 4}, 0.0) == 1.0
    assert lr_factor({"schedule": "cosine", "epochs": 4}, 2.0) == pytest.approx(0.5)
    assert lr_factor({"schedule": "step", "milestones": [1, 3], "gamma": 0.1}, 3.5) == pytest.approx(0.01)
    assert math.isclose(lr_factor({"schedule": "cosine", "epochs": 4}, 4.0), 0.0, abs_tol=1e-12)


def test_loader_batches_cover_the_data_once_and_are_seeded():
    x = torch.arange(10, dtype=torch.uint8).view(10, 1, 1, 1).expand(10, 1, 4, 4).contiguous()
    y = torch.arange(10)
    seen = torch.cat([yb for _, yb in TensorLoader(x, y, 3, shuffle=True, seed=1)])
    assert sorted(seen.tolist()) == list(range(10))
    again = torch.cat([yb for _, yb in TensorLoader(x, y, 3, shuffle=True, seed=1)])
    assert torch.equal(seen, again)
    xb, _ = next(iter(TensorLoader(x, y, 10)))
    assert xb.dtype == torch.float32 and xb.max() <= 10 / 255 + 1e-6


def test_crop_flip_moves_pixels_but_keeps_shape():
    x = torch.zeros(64, 1, 5, 5)
    x[:, :, 2, 0] = 1.0  # one bright pixel on the left edge
    out = random_crop_flip(x, pad=1, flip=True, gen=torch.Generator().manual_seed(0))
    assert out.shape == x.shape
    cols = out.sum(dim=(1, 2)).argmax(dim=1)
    assert len(set(cols.tolist())) > 1, "crops/flips should move the pixel for some images"
    assert torch.equal(random_crop_flip(x, 0, False, torch.Generator()), x)


@pytest.mark.parametrize(
    ("ours", "theirs", "kwargs"),
    [
        ("SGD", "SGD", {"lr": 0.1, "momentum": 0.9, "weight_decay": 5e-4}),
        ("SGD", "SGD", {"lr": 0.1, "momentum": 0.9, "weight_decay": 5e-4, "nesterov": True}),
        ("SGD", "SGD", {"lr": 0.1}),
        ("Adam", "Adam", {"lr": 1e-2, "weight_decay": 1e-3}),
    ],
)
def test_optimizers_match_torch_optim(ours, theirs, kwargs):
    from unlearn import optim

    torch.manual_seed(0)
    a = torch.nn.Sequential(torch.nn.Linear(5, 4), torch.nn.ReLU(), torch.nn.Linear(4, 3))
    b = torch.nn.Sequential(torch.nn.Linear(5, 4), torch.nn.ReLU(), torch.nn.Linear(4, 3))
    b.load_state_dict(a.state_dict())
    opt_a, opt_b = (
        getattr(optim, ours)(a.parameters(), **kwargs),
        getattr(torch.optim, theirs)(b.parameters(), **kwargs),
    )
    for step in range(5):
        x, y = torch.randn(8, 5), torch.randint(0, 3, (8,))
        for model, opt in ((a, opt_a), (b, opt_b)):
            opt.zero_grad()
            torch.nn.functional.cross_entropy(model(x), y).backward()
            opt.step()
        for pa, pb in zip(a.parameters(), b.parameters(), strict=True):
            torch.testing.assert_close(pa, pb, rtol=1e-5, atol=1e-6, msg=f"step {step}")


class Killed(Exception):
    """Stands in for the job being killed (preemption, time limit) after an epoch."""


def _kill_after(n):
    def hook(epoch):
        if epoch == n:
            raise Killed

    return hook


@pytest.mark.parametrize("optimizer", ["sgd", "adam"])
def test_killed_training_resumes_to_the_same_weights(digits, tmp_path, optimizer, caplog):
    bundle, info = digits
    x, y = bundle["train_x"][:300], bundle["train_y"][:300]
    recipe = {**RECIPE, "epochs": 4, "optimizer": optimizer, "lr": 0.05 if optimizer == "sgd" else 0.003}
    recipe["augment"] = {"crop_pad": 1, "flip": True}
    full, full_hist = train_from_scratch(SPEC, info, x, y, recipe, seed=3, device="cpu", tag="full")

    resume = Resume(tmp_path / "resume.pt")
    with pytest.raises(Killed):
        train_from_scratch(
            SPEC, info, x, y, recipe, seed=3, device="cpu", tag="t", resume=resume, after_epoch=_kill_after(2)
        )
    assert resume.path.exists()
    # a fresh process: a new Resume object and a freshly initialised model
    again = Resume(tmp_path / "resume.pt")
    with caplog.at_level("INFO", logger="unlearn.training"):
        resumed, hist = train_from_scratch(SPEC, info, x, y, recipe, seed=3, device="cpu", tag="t", resume=again)
    assert "resumed from" in caplog.text and "after epoch 2/4" in caplog.text
    assert again.earlier_seconds > 0 and [h["epoch"] for h in hist] == [1, 2, 3, 4]
    assert [h["loss"] for h in hist] == [h["loss"] for h in full_hist]
    sa, sb = full.state_dict(), resumed.state_dict()
    assert all(torch.equal(sa[k], sb[k]) for k in sa)


def test_resume_of_another_run_is_ignored(digits, tmp_path, caplog):
    bundle, info = digits
    x, y = bundle["train_x"][:200], bundle["train_y"][:200]
    path = tmp_path / "resume.pt"
    with pytest.raises(Killed):
        train_from_scratch(
            SPEC, info, x, y, RECIPE, seed=0, device="cpu", tag="t", resume=Resume(path), after_epoch=_kill_after(1)
        )
    changed = {**RECIPE, "lr": 0.02}  # the config changed between the kill and the rerun
    ref, _ = train_from_scratch(SPEC, info, x, y, changed, seed=0, device="cpu", tag="t")
    with caplog.at_level("WARNING", logger="unlearn.training"):
        got, hist = train_from_scratch(SPEC, info, x, y, changed, seed=0, device="cpu", tag="t", resume=Resume(path))
    assert "belongs to another run" in caplog.text and len(hist) == 2
    sa, sb = ref.state_dict(), got.state_dict()
    assert all(torch.equal(sa[k], sb[k]) for k in sa)
    # other data (same recipe) is another run too
    with caplog.at_level("WARNING", logger="unlearn.training"):
        train_from_scratch(SPEC, info, x[:150], y[:150], changed, seed=0, device="cpu", tag="t", resume=Resume(path))
    assert caplog.text.count("belongs to another run") == 2


@pytest.mark.skipif(torch.cuda.is_available(), reason="checks the message on a host without a GPU")
def test_cuda_without_a_gpu_stops_the_job_with_one_line(caplog, monkeypatch):
    import socket

    from unlearn.training import resolve_device

    monkeypatch.setenv("CUDA_VISIBLE_DEVICES", "")
    with caplog.at_level("INFO"), pytest.raises(SystemExit) as info:
        resolve_device("cuda")
    assert info.value.code == 1
    [record] = caplog.records
    assert record.levelname == "ERROR" and "\n" not in record.message
    assert record.message == (
        f"device error: the config sets device: cuda, but host {socket.gethostname()} has no usable GPU "
        "(CUDA_VISIBLE_DEVICES=, 0 visible to torch); run on a GPU node or set device: auto"
    )


def test_every_torch_job_logs_its_device_and_host(caplog):
    import socket

    from unlearn.training import resolve_device

    with caplog.at_level("INFO"):
        assert resolve_device("cpu") == torch.device("cpu")
    assert caplog.records[-1].message == f"device cpu on host {socket.gethostname()} (config: device: cpu)"
