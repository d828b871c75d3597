"""A spiking network: leaky integrate-and-fire (LIF) neurons trained with a surrogate gradient (torch alone).

The flattened, normalised image is a constant input current for `steps` time steps ("direct" encoding).
Hidden layer l keeps a membrane potential v: v <- beta * v + W_l s_{l-1}(t) + b_l; a neuron spikes when v
reaches its own firing threshold theta (a buffer, one per neuron: the adaptive thresholds of SNN unlearning
change it) and v drops by theta (soft reset). The spike is a step function forward; backward it passes the
fast-sigmoid surrogate 1 / (1 + slope |v - theta|)^2. The readout is linear in the last layer's spike counts:
logits = W_out rate + b_out, with rate = mean over time of the spikes, so `features(x)` (the rates) and
`forward(x) = head(features(x))` keep the Classifier contract.

Every weight matrix has a 0/1 synapse mask (a buffer): a pruned synapse is masked and its weight set to 0,
so neither the forward pass nor any later training moves it (its gradient is masked too).
"""

from __future__ import annotations

import itertools

import torch
import torch.nn.functional as F
from torch import nn

from .base import Classifier


class SpikeFn(torch.autograd.Function):
    """Heaviside spike of u = v - theta forward; fast-sigmoid surrogate gradient backward."""

    @staticmethod
    def forward(ctx, u, slope: float):
        ctx.save_for_backward(u)
        ctx.slope = slope
        return (u >= 0).to(u.dtype)

    @staticmethod
    def backward(ctx, grad):
        (u,) = ctx.saved_tensors
        return grad / (1.0 + ctx.slope * u.abs()) ** 2, None


class SpikingMLP(Classifier):
    def __init__(
        self, in_channels, num_classes, image_size, mean, std, hidden=(128,), steps: int = 8, beta: float = 0.9,
        slope: float = 5.0, threshold: float = 1.0,
    ):  # fmt: skip
        super().__init__(in_channels, mean, std)
        sizes = [in_channels * image_size * image_size, *[int(h) for h in hidden]]
        self.steps, self.beta, self.slope = int(steps), float(beta), float(slope)
        self.layers = nn.ModuleList(nn.Linear(a, b) for a, b in itertools.pairwise(sizes))
        self.head = nn.Linear(sizes[-1], num_classes)
        for i, layer in enumerate(self.layers):
            self.register_buffer(f"threshold{i}", torch.full((layer.out_features,), float(threshold)))
        for name, layer in self.synapse_layers():
            self.register_buffer(f"mask_{name}", torch.ones_like(layer.weight))

    # ---- what unlearning acts on ------------------------------------------------------------------------------
    def synapse_layers(self) -> list[tuple[str, nn.Linear]]:
        """(name, layer) of every weight matrix: the hidden layers "l0", "l1", ... and the readout "head"."""
        return [*((f"l{i}", layer) for i, layer in enumerate(self.layers)), ("head", self.head)]

    def mask(self, name: str) -> torch.Tensor:
        return getattr(self, f"mask_{name}")

    def thresholds(self) -> list[torch.Tensor]:
        """The firing thresholds of each hidden layer's neurons (buffers; changed in place)."""
        return [getattr(self, f"threshold{i}") for i in range(len(self.layers))]

    # ---- dynamics ---------------------------------------------------------------------------------------------
    def spike_rates(self, z: torch.Tensor) -> list[torch.Tensor]:
        """Each hidden layer's spike rate (mean over the time steps) for normalised inputs z: B x C x H x W."""
        current = F.linear(z.flatten(1), self.layers[0].weight * self.mask_l0, self.layers[0].bias)
        thresholds = self.thresholds()
        v = [current.new_zeros(current.shape[0], layer.out_features) for layer in self.layers]
        counts = [torch.zeros_like(state) for state in v]
        for _ in range(self.steps):
            inp = current
            for i, layer in enumerate(self.layers):
                if i > 0:
                    inp = F.linear(inp, layer.weight * self.mask(f"l{i}"), layer.bias)
                v[i] = self.beta * v[i] + inp
                spikes = SpikeFn.apply(v[i] - thresholds[i], self.slope)
                v[i] = v[i] - spikes * thresholds[i]
                counts[i] = counts[i] + spikes
                inp = spikes
        return [c / self.steps for c in counts]

    def embed(self, z: torch.Tensor) -> torch.Tensor:
        return self.spike_rates(z)[-1]

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return F.linear(self.features(x), self.head.weight * self.mask_head, self.head.bias)
