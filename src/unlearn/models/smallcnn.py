"""A small CNN for 8x8 digits (the embedded default); also works on 32x32 inputs."""

from __future__ import annotations

from torch import nn

from .base import Classifier, scaled


def _block(cin, cout):
    return [nn.Conv2d(cin, cout, 3, padding=1, bias=False), nn.BatchNorm2d(cout), nn.ReLU(inplace=True)]


class SmallCNN(Classifier):
    def __init__(self, in_channels, num_classes, image_size, mean, std, width: float = 1.0):
        super().__init__(in_channels, mean, std)
        c1, c2, c3 = scaled(32, width), scaled(64, width), scaled(128, width)
        self.body = nn.Sequential(
            *_block(in_channels, c1),
            *_block(c1, c2),
            nn.MaxPool2d(2),
            *_block(c2, c3),
            nn.AdaptiveAvgPool2d(1),
            nn.Flatten(),
        )
        self.head = nn.Linear(c3, num_classes)

    def embed(self, x):
        return self.body(x)
