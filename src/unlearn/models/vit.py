"""A small Vision Transformer for small images (patch embedding, class token, pre-norm encoder)."""

from __future__ import annotations

import torch
from torch import nn

from .base import Classifier


class ViT(Classifier):
    def __init__(
        self,
        in_channels,
        num_classes,
        image_size,
        mean,
        std,
        patch: int = 4,
        dim: int = 128,
        depth: int = 4,
        heads: int = 4,
        mlp_ratio: float = 2.0,
        dropout: float = 0.0,
    ):
        super().__init__(in_channels, mean, std)
        if image_size % patch:
            raise ValueError(f"model.patch: {patch} does not divide the image size {image_size}")
        n = (image_size // patch) ** 2
        self.patchify = nn.Conv2d(in_channels, dim, patch, patch)
        self.cls = nn.Parameter(torch.zeros(1, 1, dim))
        self.pos = nn.Parameter(torch.randn(1, n + 1, dim) * 0.02)
        layer = nn.TransformerEncoderLayer(
            dim, heads, int(dim * mlp_ratio), dropout, activation="gelu", batch_first=True, norm_first=True
        )
        self.encoder = nn.TransformerEncoder(layer, depth, enable_nested_tensor=False)
        self.norm = nn.LayerNorm(dim)
        self.head = nn.Linear(dim, num_classes)

    def embed(self, x):
        tokens = self.patchify(x).flatten(2).transpose(1, 2)
        tokens = torch.cat([self.cls.expand(len(x), -1, -1), tokens], dim=1) + self.pos
        return self.norm(self.encoder(tokens))[:, 0]
