"""Model registry: `build_model(spec, data_info)` by name.

Every model is a `Classifier`: it normalises its [0, 1] input with the training set's channel
statistics (stored as buffers, so a checkpoint is self-contained), exposes `features(x)` (the
penultimate layer, used by activation/embedding-based metrics) and `forward(x) = head(features(x))`.
"""

from __future__ import annotations

from .allcnn import AllCNN
from .base import Classifier
from .resnet import ResNet18
from .smallcnn import SmallCNN
from .snn import SpikingMLP
from .vit import ViT

MODELS = {"smallcnn": SmallCNN, "resnet18": ResNet18, "allcnn": AllCNN, "vit": ViT, "snn": SpikingMLP}


def build_model(spec: dict, info: dict) -> Classifier:
    """Build the model named in `spec` (the config's `model` section: name, width, ...).

    info: {in_channels, image_size, num_classes, mean, std} of the dataset (checkpoints.data_info).
    """
    name = spec["name"]
    if name not in MODELS:
        raise ValueError(f"model.name: unknown model '{name}'; allowed: {', '.join(sorted(MODELS))}")
    kwargs = {k: v for k, v in spec.items() if k != "name"}
    return MODELS[name](
        in_channels=info["in_channels"],
        num_classes=info["num_classes"],
        image_size=info["image_size"],
        mean=info["mean"],
        std=info["std"],
        **kwargs,
    )


__all__ = ["MODELS", "Classifier", "build_model"]
