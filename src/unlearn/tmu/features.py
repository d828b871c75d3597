"""TMU's three discriminative features (paper 001, §4.3), each a function of a model and images.

NF  nearest-distance: mean of the k smallest L2 distances from a sample's penultimate features to the
    forget class's samples in the remaining data.
AF  adversarial-attack: cross-entropy between the clean and the adversarial softmax outputs under a
    small-budget untargeted L-inf PGD attack (large when the sample sits near a decision boundary).
CF  curriculum-learning loss: per-sample loss of a network trained from scratch for 1-2 epochs.
Images are uint8 N x C x H x W throughout, as everywhere in the library.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F

from ..loader import embed, random_crop_flip


def nearest_distance(query: torch.Tensor, reference: torch.Tensor, k: int) -> torch.Tensor:
    """NF of each row of `query` (features): mean of its k smallest L2 distances to rows of `reference`."""
    if len(reference) == 0:
        raise ValueError("nearest_distance: the reference set is empty")
    d = torch.cdist(query.double(), reference.double())
    k = min(int(k), d.shape[1])
    return d.topk(k, dim=1, largest=False).values.mean(dim=1).float()


def nearest_distance_feature(model, x, reference_x, k: int, *, batch_size=512, device="cpu") -> torch.Tensor:
    """NF of images x against reference images, both embedded by the model's penultimate layer."""
    q = embed(model, x, batch_size, device)
    r = embed(model, reference_x, batch_size, device)
    return nearest_distance(q, r, k)


def pgd(model, x01: torch.Tensor, y: torch.Tensor, eps: float, steps: int) -> torch.Tensor:
    """Untargeted L-inf PGD from the clean image (no random start, so deterministic): `steps` signed
    gradient steps of size 2.5 eps / steps on the cross-entropy of the true label, kept within eps and [0, 1]."""
    if eps <= 0:
        return x01.clone()
    alpha = 2.5 * eps / steps
    adv = x01.clone()
    for _ in range(int(steps)):
        adv.requires_grad_(True)
        loss = F.cross_entropy(model(adv), y)
        (grad,) = torch.autograd.grad(loss, adv)
        with torch.no_grad():
            adv = adv + alpha * grad.sign()
            adv = torch.min(torch.max(adv, x01 - eps), x01 + eps).clamp_(0.0, 1.0)
    return adv.detach()


def adversarial_feature(model, x, y, eps: float, steps: int, *, batch_size=256, device="cpu") -> torch.Tensor:
    """AF: CE(softmax(f(x)), softmax(f(x_adv))) = -sum_j p_clean_j log p_adv_j, per sample."""
    model.eval()
    out = []
    for i in range(0, len(x), batch_size):
        xb = x[i : i + batch_size].to(device).float().div_(255.0)
        yb = y[i : i + batch_size].to(device)
        adv = pgd(model, xb, yb, eps, steps)
        with torch.no_grad():
            p_clean = F.softmax(model(xb).float(), dim=1)
            log_p_adv = F.log_softmax(model(adv).float(), dim=1)
            out.append(-(p_clean * log_p_adv).sum(dim=1).cpu())
    return torch.cat(out) if out else torch.empty(0)


@torch.no_grad()
def per_sample_loss(model, x, y, *, batch_size=512, device="cpu") -> torch.Tensor:
    """CF once `model` is the curriculum model: the cross-entropy of each sample's label (eval mode)."""
    model.eval()
    out = [
        F.cross_entropy(model(x[i : i + batch_size].to(device).float().div_(255.0)), y[i : i + batch_size].to(device),
                        reduction="none").float().cpu()
        for i in range(0, len(x), batch_size)
    ]  # fmt: skip
    return torch.cat(out) if out else torch.empty(0)


def augmented_copies(x: torch.Tensor, augment: dict, seed: int) -> torch.Tensor:
    """uint8 images -> randomly cropped/flipped uint8 copies (seeded); what fills D_t when the hold-out
    pool is smaller than Eq. 3 asks (paper §4.2)."""
    if len(x) == 0:
        return x.clone()
    gen = torch.Generator().manual_seed(int(seed))
    pad, flip = int(augment.get("crop_pad", 0)), bool(augment.get("flip", False))
    out = random_crop_flip(x.float(), pad, flip, gen)
    return out.round().clamp_(0, 255).to(torch.uint8)
