"""All-CNN-C (Springenberg et al. 2014) with BatchNorm, as in the Bad Teacher / TMU code, and a width multiplier."""

from __future__ import annotations

from torch import nn

from .base import Classifier, scaled


def _conv(cin, cout, k, stride):
    return [nn.Conv2d(cin, cout, k, stride, k // 2, bias=False), nn.BatchNorm2d(cout), nn.ReLU(inplace=True)]


class AllCNN(Classifier):
    def __init__(self, in_channels, num_classes, image_size, mean, std, width: float = 1.0, dropout: float = 0.0):
        super().__init__(in_channels, mean, std)
        a, b = scaled(96, width), scaled(192, width)
        self.body = nn.Sequential(
            *_conv(in_channels, a, 3, 1),
            *_conv(a, a, 3, 1),
            *_conv(a, a, 3, 2),
            nn.Dropout(dropout),
            *_conv(a, b, 3, 1),
            *_conv(b, b, 3, 1),
            *_conv(b, b, 3, 2),
            nn.Dropout(dropout),
            *_conv(b, b, 3, 1),
            *_conv(b, b, 1, 1),
            nn.AdaptiveAvgPool2d(1),
            nn.Flatten(),
        )
        self.head = nn.Linear(b, num_classes)

    def embed(self, x):
        return self.body(x)
