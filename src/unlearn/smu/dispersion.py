"""SMU's premise, measured: how far apart a model's logits for two augmented views of the same image are.

The paper's observation is that data a model never learned (the gold model on D_f) gives dispersed logits across
views, while learned data gives concentrated ones; SMU pushes D_f's views apart and keeps D_r's together. Per
sample, the dispersion is the mean over `pairs` random view pairs (the training recipe's crop / flip) of the
cosine distance 1 - cos(z1, z2) of the logits (what SMU's loss acts on; scale-free), and of the L2 distance.
"""

from __future__ import annotations

import numpy as np
import torch
import torch.nn.functional as F

from ..loader import _map_batches, random_crop_flip


def view_dispersion(model, x, augment: dict, *, pairs: int, seed: int, batch_size: int = 512, device="cpu"):
    """(cosine distance, L2 distance) per image of uint8 images x: means over `pairs` view pairs."""
    pad, flip = int(augment.get("crop_pad", 0)), bool(augment.get("flip", False))
    gen = torch.Generator(device="cpu").manual_seed(int(seed))

    def distances(m, xb):
        total = torch.zeros(len(xb), 2, device=xb.device)
        for _ in range(int(pairs)):
            z1 = m(random_crop_flip(xb, pad, flip, gen)).float()
            z2 = m(random_crop_flip(xb, pad, flip, gen)).float()
            total[:, 0] += 1.0 - F.cosine_similarity(z1, z2, dim=1)
            total[:, 1] += (z1 - z2).norm(dim=1)
        return total / pairs

    out = _map_batches(distances, model, x, batch_size, device)
    return out[:, 0].numpy(), out[:, 1].numpy()


def sample(indices: np.ndarray, k: int, seed: int) -> np.ndarray:
    """At most k of the indices (seeded, sorted)."""
    indices = np.asarray(indices)
    if len(indices) <= k:
        return indices
    return np.sort(np.random.default_rng(int(seed)).choice(indices, size=k, replace=False))
