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

from ..loader import random_crop_flip


@torch.no_grad()
def view_dispersion(model, x, augment: dict, *, pairs: int, seed: int, batch_size: int = 512, device="cpu"):
    """(cosine distance, L2 distance) per image of uint8 images x: means over `pairs` view pairs."""
    model.eval()
    pad, flip = int(augment.get("crop_pad", 0)), bool(augment.get("flip", False))
    gen = torch.Generator(device="cpu").manual_seed(int(seed))
    cos, l2 = [], []
    for i in range(0, len(x), batch_size):
        xb = x[i : i + batch_size].to(device).float().div_(255.0)
        c = torch.zeros(len(xb))
        d = torch.zeros(len(xb))
        for _ in range(int(pairs)):
            z1 = model(random_crop_flip(xb, pad, flip, gen)).float()
            z2 = model(random_crop_flip(xb, pad, flip, gen)).float()
            c += (1.0 - F.cosine_similarity(z1, z2, dim=1)).cpu()
            d += (z1 - z2).norm(dim=1).cpu()
        cos.append(c / pairs)
        l2.append(d / pairs)
    return torch.cat(cos).numpy(), torch.cat(l2).numpy()


def sample(indices: np.ndarray, k: int, seed: int) -> np.ndarray:
    """At most k of the indices (seeded, sorted)."""
    indices = np.asarray(indices)
    if len(indices) <= k:
        return indices
    return np.sort(np.random.default_rng(int(seed)).choice(indices, size=k, replace=False))
