"""The fast path's switches (config `speed`): bf16 autocast, channels_last and torch.compile, checked on the
CPU against float32. Tolerances: bf16 keeps 8 bits of mantissa, so one step's loss agrees with float32 to
1e-2 relative; its gradient keeps the direction (cosine > 0.9) but BatchNorm's backward (a difference of
nearly equal sums) makes single parameters' gradients differ by up to ~50% at initialisation (measured: 31%
over the whole ResNet-18 x1/8 gradient, 5% for the plain CNN), so the end result is what is compared: a
bf16-trained model's test accuracy within 3 points of the float32 one. channels_last and compile change only
the kernels (float32 rounding)."""

import pytest
import torch
import torch.nn.functional as F

from unlearn.checkpoints import data_info
from unlearn.data import load_digits
from unlearn.loader import predict_proba
from unlearn.models import build_model
from unlearn.training import Speed, resolve_device, resolve_speed, set_speed, train_from_scratch

SPEC = {"name": "resnet18", "width": 0.125}
RECIPE = {"epochs": 3, "batch_size": 64, "lr": 0.05, "momentum": 0.9, "augment": {"crop_pad": 1}}


@pytest.fixture(scope="module")
def digits():
    torch.set_num_threads(1)
    bundle = load_digits().to_tensors()
    return bundle, data_info(bundle)


@pytest.fixture
def speed():
    """Set a Speed for one test and restore the process's previous one afterwards."""
    from unlearn import training

    previous = training.SPEED
    try:
        yield set_speed
    finally:
        set_speed(previous)


@pytest.mark.parametrize(
    "section, device, expected",
    [
        ({}, "cpu", Speed(None, False, None)),
        ({}, "cuda", Speed(torch.bfloat16, True, None)),
        ({"precision": "fp32", "channels_last": False}, "cuda", Speed(None, False, None)),
        ({"compile": "reduce-overhead"}, "cuda", Speed(torch.bfloat16, True, "reduce-overhead")),
        ({"precision": "bf16", "channels_last": True, "compile": True}, "cpu", Speed(torch.bfloat16, True, "default")),
    ],
)
def test_auto_is_bf16_and_channels_last_on_cuda_only(section, device, expected):
    assert resolve_speed(section, torch.device(device)) == expected


def test_resolve_device_sets_and_logs_the_speed(speed, caplog):
    caplog.set_level("INFO", logger="unlearn.training")
    speed(Speed())
    resolve_device("cpu", {"precision": "bf16", "channels_last": True})
    from unlearn import training

    assert Speed(torch.bfloat16, True, None) == training.SPEED
    assert "speed: bf16 autocast, channels_last on, compile off" in caplog.text


def one_step(model, x, y):
    """Loss and flattened gradient of one training step under the current Speed."""
    from unlearn.training import autocast_for, prepare_for_training

    prepare_for_training(model)
    model.train()
    with autocast_for(model):
        loss = F.cross_entropy(model(x), y)
    model.zero_grad()
    loss.backward()
    return float(loss.detach()), torch.cat([p.grad.flatten() for p in model.parameters()])


def twin_models(info, seed=0):
    torch.manual_seed(seed)
    a = build_model(SPEC, info)
    b = build_model(SPEC, info)
    b.load_state_dict(a.state_dict())
    return a, b


def test_bf16_step_within_1e_2_of_fp32(digits, speed):
    bundle, info = digits
    x, y = bundle["train_x"][:64].float() / 255, bundle["train_y"][:64]
    a, b = twin_models(info)
    speed(Speed())
    loss32, grad32 = one_step(a, x, y)
    speed(Speed(autocast=torch.bfloat16))
    loss16, grad16 = one_step(b, x, y)
    assert abs(loss16 - loss32) / loss32 < 1e-2
    assert float((grad16 - grad32).norm() / grad32.norm()) > 1e-3  # bf16 really ran (not bit-equal)
    assert F.cosine_similarity(grad16, grad32, dim=0) > 0.9


def test_channels_last_step_equals_fp32_to_rounding(digits, speed):
    bundle, info = digits
    x, y = bundle["train_x"][:64].float() / 255, bundle["train_y"][:64]
    a, b = twin_models(info)
    speed(Speed())
    loss_a, grad_a = one_step(a, x, y)
    speed(Speed(channels_last=True))
    loss_b, grad_b = one_step(b, x, y)
    assert b.stem[0].weight.is_contiguous(memory_format=torch.channels_last)
    assert abs(loss_a - loss_b) < 1e-5
    assert float((grad_a - grad_b).norm() / grad_a.norm()) < 1e-4


def test_bf16_training_reaches_the_fp32_accuracy(digits, speed):
    """Five epochs on the digits: test accuracy of the bf16 (+ channels_last) model within 3 points of fp32
    (measured on 1 thread: 94.4% fp32, 92.5% bf16)."""
    bundle, info = digits
    x, y = bundle["train_x"], bundle["train_y"]
    accuracy = {}
    for label, setting in [("fp32", Speed()), ("bf16", Speed(torch.bfloat16, True, None))]:
        speed(setting)
        recipe = {**RECIPE, "epochs": 5, "schedule": "cosine"}
        model, _ = train_from_scratch(SPEC, info, x, y, recipe, seed=3, device="cpu", tag=label)
        probs = predict_proba(model, bundle["test_x"])
        accuracy[label] = float((probs.argmax(1) == bundle["test_y"]).float().mean())
        assert probs.dtype == torch.float32  # evaluation stays float32
    assert accuracy["fp32"] > 0.9
    assert abs(accuracy["bf16"] - accuracy["fp32"]) < 0.03, accuracy


def test_compile_matches_eager_and_keeps_the_state_dict_keys(digits, speed):
    pytest.importorskip("torch._inductor")
    bundle, info = digits
    x, y = bundle["train_x"][:128], bundle["train_y"][:128]
    recipe, spec = {**RECIPE, "epochs": 1, "augment": {}}, {"name": "smallcnn", "width": 0.25}  # small: fast to compile
    speed(Speed())
    eager, _ = train_from_scratch(spec, info, x, y, recipe, seed=5, device="cpu", tag="eager")
    speed(Speed(compile="default"))
    compiled, _ = train_from_scratch(spec, info, x, y, recipe, seed=5, device="cpu", tag="compiled")
    assert getattr(compiled, "_compiled_call_impl", None) is not None  # it really was compiled
    se, sc = eager.state_dict(), compiled.state_dict()
    assert se.keys() == sc.keys()
    worst = max(float((se[k].float() - sc[k].float()).abs().max()) for k in se)
    assert worst < 1e-3, worst
