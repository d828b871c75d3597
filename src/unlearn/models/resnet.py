"""CIFAR ResNet-18 (He et al. 2016) with the 3x3 stem, no max-pool, and a width multiplier.

`stem_stride: 2` halves the resolution in the stem (every later layer runs on 16x16 instead of 32x32 for
CIFAR): a quarter of the compute for the same parameters. The papers use stride 1; the CIFAR-10 sample
config uses 2 so that models that fit their training data train in about a minute on one CPU core
(bench/recipe_regime.py)."""

from __future__ import annotations

import torch.nn.functional as F
from torch import nn

from .base import Classifier, scaled


class BasicBlock(nn.Module):
    def __init__(self, cin, cout, stride):
        super().__init__()
        self.conv1 = nn.Conv2d(cin, cout, 3, stride, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(cout)
        self.conv2 = nn.Conv2d(cout, cout, 3, 1, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(cout)
        self.shortcut = nn.Sequential()
        if stride != 1 or cin != cout:
            self.shortcut = nn.Sequential(nn.Conv2d(cin, cout, 1, stride, bias=False), nn.BatchNorm2d(cout))

    def forward(self, x):
        out = F.relu(self.bn1(self.conv1(x)))
        out = self.bn2(self.conv2(out))
        return F.relu(out + self.shortcut(x))


class ResNet18(Classifier):
    def __init__(self, in_channels, num_classes, image_size, mean, std, width: float = 1.0, stem_stride: int = 1):
        super().__init__(in_channels, mean, std)
        widths = [scaled(c, width) for c in (64, 128, 256, 512)]
        stem = nn.Conv2d(in_channels, widths[0], 3, int(stem_stride), 1, bias=False)
        self.stem = nn.Sequential(stem, nn.BatchNorm2d(widths[0]))
        layers, cin = [], widths[0]
        for i, cout in enumerate(widths):
            stride = 1 if i == 0 else 2
            layers += [BasicBlock(cin, cout, stride), BasicBlock(cout, cout, 1)]
            cin = cout
        self.layers = nn.Sequential(*layers)
        self.head = nn.Linear(cin, num_classes)

    def embed(self, x):
        out = self.layers(F.relu(self.stem(x)))
        return F.adaptive_avg_pool2d(out, 1).flatten(1)
