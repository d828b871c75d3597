"""The one training recipe, used for the original model, the gold (retrain) model and, later, the twin
and memorization models; plus the optimisation loop every unlearning method shares.

A recipe is the config's `train` section:
  epochs, batch_size, optimizer (sgd|adam), lr, momentum, weight_decay, nesterov,
  schedule (constant|cosine|step), milestones (epochs, for step), gamma, label_smoothing,
  augment {crop_pad, flip}.
Same seed, same device, same thread count -> identical weights on the CPU.
"""

from __future__ import annotations

import hashlib
import json
import logging
import math
import time
from collections.abc import Callable, Iterable
from contextlib import nullcontext
from dataclasses import dataclass
from pathlib import Path

import torch
import torch.nn.functional as F

from .io import load_torch, save_torch
from .loader import TensorLoader
from .models import build_model
from .optim import SGD, Adam

log = logging.getLogger("unlearn.training")


class DivergenceError(FloatingPointError):
    """The training loss stopped being finite."""


class Resume:
    """The epoch checkpoint of one training run, so that a job killed mid-training (preemption, time
    limit) continues where it stopped instead of starting over.

    `optimize` writes it atomically after every epoch: weights, optimiser state, the torch and loader
    RNG states and the history so far. On a restart it is used only when its fingerprint matches the
    run (tag, recipe, seed, parameter shapes, a hash of the training data); otherwise it is ignored
    with a warning. The caller removes it (`clear`) once the job's outputs are written. On the CPU a
    resumed run ends with the same weights as an uninterrupted one (tests/test_training.py).
    """

    def __init__(self, path: str | Path):
        self.path = Path(path)
        self.key: dict = {}  # what identifies the run beyond the recipe (fit adds the seed and a data hash)
        self.earlier_seconds = 0.0  # training time spent before the restart (cost tables add it)

    def fingerprint(self, model: torch.nn.Module, opt: dict, tag: str) -> str:
        shapes = [list(v.shape) for v in model.state_dict().values()]
        blob = json.dumps({"tag": tag, "opt": opt, "shapes": shapes, **self.key}, sort_keys=True, default=str)
        return hashlib.sha256(blob.encode()).hexdigest()[:16]

    def load(self, fingerprint: str) -> dict | None:
        if not self.path.exists():
            return None
        saved = load_torch(self.path)
        if saved.get("fingerprint") != fingerprint:
            log.warning("%s belongs to another run (recipe, data or model changed); starting over", self.path)
            return None
        return saved

    def save(self, state: dict) -> None:
        save_torch(state, self.path)

    def clear(self) -> None:
        self.path.unlink(missing_ok=True)


def data_hash(*tensors: torch.Tensor) -> str:
    """A content hash of tensors (the training data), for Resume fingerprints."""
    digest = hashlib.blake2b(digest_size=16)
    for t in tensors:
        digest.update(t.detach().cpu().contiguous().numpy().tobytes())
    return digest.hexdigest()


def seed_everything(seed: int) -> None:
    """Seed torch's global generator (model initialisation). Loaders and methods use private generators.

    CPU kernels are deterministic for a fixed thread count; on CUDA, cuDNN is pinned to deterministic
    kernels. (torch.use_deterministic_algorithms costs ~2 s of start-up per job, so it is not called.)
    """
    torch.manual_seed(int(seed))
    torch.backends.cudnn.deterministic = True
    torch.backends.cudnn.benchmark = False


class DeviceError(SystemExit):
    """The config asks for a GPU this host does not have (exits the job with the message, no traceback)."""


@dataclass(frozen=True)
class Speed:
    """How training steps are computed on the device (the config's `speed` section, resolved for it).

    autocast: bf16 autocast around every training step's forward pass and loss (None = float32);
    channels_last: models are trained in the NHWC memory layout (the tensor cores' native one);
    compile: None, or the `torch.compile` mode for the models trained with `fit` (original, gold, twin,
      memorization, SISA constituents and the methods that retrain with the recipe): "default", or
      "reduce-overhead" (CUDA graphs: replays a step's kernels without launching them one by one).
    Evaluation, features and embeddings always run in float32.
    """

    autocast: torch.dtype | None = None
    channels_last: bool = False
    compile: str | None = None

    def describe(self) -> str:
        precision = "bf16 autocast" if self.autocast == torch.bfloat16 else "fp32"
        return f"{precision}, channels_last {'on' if self.channels_last else 'off'}, compile {self.compile or 'off'}"


SPEED = Speed()  # this process's setting; resolve_device(name, speed) sets it from the config


def resolve_speed(section: dict | None, device: torch.device) -> Speed:
    """The config's `speed` section on `device`: `auto` = bf16 autocast and channels_last on CUDA, fp32 on the CPU."""
    section = section or {}
    cuda = device.type == "cuda"
    precision = section.get("precision", "auto")
    if precision not in ("auto", "fp32", "bf16"):
        raise ValueError(f"speed.precision: '{precision}' is not one of auto, fp32, bf16")
    bf16 = precision == "bf16" or (precision == "auto" and cuda)
    layout = section.get("channels_last", "auto")
    mode = section.get("compile", False)
    mode = "default" if mode is True else (mode or None)
    if mode not in (None, "default", "reduce-overhead"):
        raise ValueError(f"speed.compile: '{mode}' is not one of false, true, default, reduce-overhead")
    channels_last = cuda if layout == "auto" else bool(layout)
    return Speed(autocast=torch.bfloat16 if bf16 else None, channels_last=channels_last, compile=mode)


def set_speed(speed: Speed) -> Speed:
    """Make `speed` this process's setting; returns the previous one (tests restore it)."""
    global SPEED
    previous, SPEED = SPEED, speed
    return previous


def autocast_for(model: torch.nn.Module):
    """The autocast context of SPEED for the device `model` lives on (a no-op for float32)."""
    if SPEED.autocast is None:
        return nullcontext()
    device_type = next(model.parameters()).device.type
    return torch.autocast(device_type, dtype=SPEED.autocast)


def prepare_for_training(model: torch.nn.Module, *, compile_model: bool = False) -> torch.nn.Module:
    """Apply SPEED's memory layout (in place) and, when asked and enabled, compile the model in place."""
    if SPEED.channels_last:
        model.to(memory_format=torch.channels_last)
    if compile_model and SPEED.compile and getattr(model, "_compiled_call_impl", None) is None:
        model.compile(mode=SPEED.compile)
    return model


def resolve_device(name: str = "auto", speed: dict | None = None) -> torch.device:
    """The config's `device` on this host, logged; `cuda` without a usable GPU stops the job with one line.
    With `speed` (the config's section) the process's Speed is set for that device and logged."""
    import os
    import socket

    host = socket.gethostname()
    if name == "cuda" and not torch.cuda.is_available():
        visible = os.environ.get("CUDA_VISIBLE_DEVICES", "unset")
        msg = (
            f"device error: the config sets device: cuda, but host {host} has no usable GPU "
            f"(CUDA_VISIBLE_DEVICES={visible}, {torch.cuda.device_count()} visible to torch); "
            "run on a GPU node or set device: auto"
        )
        log.error(msg)
        raise DeviceError(1)
    name_used = ("cuda" if torch.cuda.is_available() else "cpu") if name == "auto" else name
    device = torch.device(name_used)
    gpu = f" ({torch.cuda.get_device_name(device)})" if device.type == "cuda" else ""
    log.info("device %s%s on host %s (config: device: %s)", device, gpu, host, name)
    if speed is not None:
        set_speed(resolve_speed(speed, device))
        log.info("speed: %s", SPEED.describe())
    return device


def make_optimizer(params, opt: dict):
    """SGD or Adam (unlearn.optim: torch.optim's update rules without its ~1.6 s import cost)."""
    name = opt.get("optimizer", "sgd")
    lr, wd = float(opt["lr"]), float(opt.get("weight_decay", 0.0))
    if name == "sgd":
        return SGD(
            params,
            lr=lr,
            momentum=float(opt.get("momentum", 0.0)),
            weight_decay=wd,
            nesterov=opt.get("nesterov", False),
        )
    if name == "adam":
        return Adam(params, lr=lr, weight_decay=wd)
    raise ValueError(f"optimizer: unknown optimizer '{name}'; allowed: adam, sgd")


def lr_factor(opt: dict, epoch_progress: float) -> float:
    """Multiplier of the base learning rate at a (fractional) epoch."""
    schedule, epochs = opt.get("schedule", "constant"), max(1, int(opt.get("epochs", 1)))
    if schedule == "cosine":
        return 0.5 * (1.0 + math.cos(math.pi * min(1.0, epoch_progress / epochs)))
    if schedule == "step":
        passed = sum(epoch_progress >= m for m in opt.get("milestones", []))
        return float(opt.get("gamma", 0.1)) ** passed
    return 1.0


def optimize(
    model: torch.nn.Module,
    batches: Callable[[int], Iterable],
    loss_fn: Callable,
    opt: dict,
    *,
    tag: str,
    params=None,
    after_step: Callable | None = None,
    resume: Resume | None = None,
    generators: Iterable[torch.Generator] = (),
    after_epoch: Callable[[int], None] | None = None,
) -> list[dict]:
    """Run `opt["epochs"]` epochs of `loss_fn(batch)` minimisation over `batches(epoch)`.

    The learning-rate schedule is applied per step. A non-finite epoch loss raises DivergenceError
    naming `tag` and the epoch. Returns one {epoch, loss, seconds} record per epoch. With `resume`,
    an epoch checkpoint (including the states of `generators`, the loaders' RNGs) is written after
    every epoch and a matching one is continued from.
    """
    prepare_for_training(model)
    optimizer = make_optimizer(params if params is not None else model.parameters(), opt)
    base = [g["lr"] for g in optimizer.param_groups]
    epochs, history, generators = int(opt.get("epochs", 1)), [], list(generators)
    fingerprint = resume.fingerprint(model, opt, tag) if resume is not None else None
    saved = resume.load(fingerprint) if resume is not None else None
    if saved is not None:
        model.load_state_dict(saved["model"])
        optimizer.load_state_dict(saved["optimizer"])
        torch.set_rng_state(saved["torch_rng"])
        if torch.cuda.is_available() and saved.get("cuda_rng"):
            torch.cuda.set_rng_state_all(saved["cuda_rng"])
        for gen, state in zip(generators, saved["generators"], strict=True):
            gen.set_state(state)
        history = list(saved["history"])
        resume.earlier_seconds = sum(h["seconds"] for h in history)
        log.info("%s: resumed from %s after epoch %d/%d", tag, resume.path, len(history), epochs)
    for epoch in range(len(history), epochs):
        model.train()
        start, total, count = time.perf_counter(), None, 0
        batch_list = batches(epoch)
        n_batches = max(1, len(batch_list)) if hasattr(batch_list, "__len__") else None
        for i, batch in enumerate(batch_list):
            if n_batches:
                factor = lr_factor(opt, epoch + i / n_batches)
                for g, b in zip(optimizer.param_groups, base, strict=True):
                    g["lr"] = b * factor
            with autocast_for(model):
                loss = loss_fn(batch)
            optimizer.zero_grad(set_to_none=True)
            loss.backward()
            optimizer.step()
            if after_step is not None:
                after_step()
            total = loss.detach() if total is None else total + loss.detach()
            count += 1
        mean = float(total / count) if count else 0.0
        if not math.isfinite(mean):
            raise DivergenceError(f"{tag}: loss became {mean} at epoch {epoch + 1}/{epochs}")
        history.append({"epoch": epoch + 1, "loss": mean, "seconds": time.perf_counter() - start})
        log.info("%s epoch %d/%d loss %.4f (%.1fs)", tag, epoch + 1, epochs, mean, history[-1]["seconds"])
        if resume is not None:
            resume.save(
                {
                    "fingerprint": fingerprint,
                    "model": {k: v.detach().cpu() for k, v in model.state_dict().items()},
                    "optimizer": optimizer.state_dict(),
                    "torch_rng": torch.get_rng_state(),
                    "cuda_rng": torch.cuda.get_rng_state_all() if torch.cuda.is_available() else [],
                    "generators": [g.get_state() for g in generators],
                    "history": history,
                }
            )
        if after_epoch is not None:
            after_epoch(epoch + 1)
    return history


def fit(model, x, y, recipe: dict, *, seed: int, device, tag: str, resume: Resume | None = None, **kw) -> list[dict]:
    """Train `model` on uint8 images x / labels y with the recipe (cross-entropy, augmentation).
    With `resume`, epoch checkpoints make the run restartable (see Resume)."""
    loader = TensorLoader(
        x, y, recipe["batch_size"], shuffle=True, augment=recipe.get("augment"), seed=seed, device=device
    )
    smoothing = float(recipe.get("label_smoothing", 0.0))

    def loss_fn(batch):
        xb, yb = batch
        return F.cross_entropy(model(xb), yb, label_smoothing=smoothing)

    if resume is not None:
        resume.key.update(seed=int(seed), data=data_hash(x, y))
    prepare_for_training(model, compile_model=True)
    return optimize(model, lambda epoch: loader, loss_fn, recipe, tag=tag, resume=resume, generators=[loader.gen], **kw)


def train_from_scratch(model_spec, info, x, y, recipe, *, seed, device, tag, resume: Resume | None = None, **kw):
    """Initialise a model from `seed` and train it with the recipe. Returns (model, history)."""
    seed_everything(seed)
    model = build_model(model_spec, info).to(device)
    history = fit(model, x, y, recipe, seed=seed, device=device, tag=tag, resume=resume, **kw)
    return model, history
