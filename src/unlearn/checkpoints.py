"""Model checkpoints (weights + everything needed to rebuild and trace them) and model outputs."""

from __future__ import annotations

import torch

from .io import code_version, load_torch, save_npz, save_torch
from .loader import predict_proba
from .models import build_model


def data_info(bundle: dict) -> dict:
    """What a model needs to know about the data: channels, size, classes, normalisation."""
    _, c, h, _ = bundle["train_x"].shape
    return {
        "in_channels": int(c),
        "image_size": int(h),
        "num_classes": len(bundle["class_names"]),
        "mean": list(bundle["mean"]),
        "std": list(bundle["std"]),
    }


def save_model(model, path, *, spec: dict, info: dict, seed: int, config: dict, extra: dict | None = None) -> None:
    save_torch(
        {
            "state_dict": {k: v.detach().cpu() for k, v in model.state_dict().items()},
            "model": spec,
            "info": info,
            "seed": int(seed),
            "config": config,
            "code_version": code_version(),
            **(extra or {}),
        },
        path,
    )


def load_model(path, device="cpu"):
    """Rebuild a model from its checkpoint (loaded with weights_only=True)."""
    ckpt = load_torch(path)
    model = build_model(ckpt["model"], ckpt["info"])
    model.load_state_dict(ckpt["state_dict"])
    return model.to(device), ckpt


def save_probs(model, bundle: dict, path, *, batch_size: int, device) -> None:
    """Softmax outputs on the whole training and test sets (what every metric is computed from)."""
    train = predict_proba(model, bundle["train_x"], batch_size, device).numpy()
    test = predict_proba(model, bundle["test_x"], batch_size, device).numpy()
    save_npz(path, train=train, test=test)


def load_bundle(path) -> dict:
    return load_torch(path)


def set_threads(n: int) -> None:
    torch.set_num_threads(max(1, int(n)))
