"""SMU, Siamese Machine Unlearning with knowledge vaporization and concentration (Xie et al., paper 000).

Follows the authors' code as SPEC.md records it:
- predictor h on the logits: Linear(K, `predictor_dim`, no bias) - BatchNorm - ReLU - Linear(`predictor_dim`, K,
  no bias), new (seeded) for each run and trained with the model;
- two augmented views x1, x2 of each batch (`augment`, default the training recipe's crop / flip), logits z1, z2;
  L_sim = 1/2 [S(h(z1), sg z2) + S(h(z2), sg z1)], S = mean cosine similarity, sg = stop-gradient;
- knowledge vaporization on each forget batch: minimise +L_sim + `ce_weight` * CE(z, y~), where y~ are adaptively
  permuted labels: y keeps its label with probability 1 - r_y (r_y = the share of class y's training samples
  that are being forgotten), else a uniformly random other class, redrawn for every batch;
- knowledge concentration on a fixed, seeded subset of D_r (`retain_subset` samples, default 1,000):
  minimise -L_sim + `ce_weight` * CE(z, y) with the true labels;
- one vaporization step, then one concentration step, per forget batch; `epochs` passes over D_f;
- the backbone's BatchNorm layers are frozen (eval mode: running statistics unchanged); the predictor's trains.
CE is the mean over the two views. The authors' defaults (SGD, lr 1e-4, momentum 0.9, weight decay 1e-4,
3 epochs, lambda = 1) are in the config.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn

from ..loader import TensorLoader, random_crop_flip
from ..training import optimize
from .base import UnlearnData, cycle

REQUIRED = ()
OPTIONAL = ("ce_weight", "predictor_dim", "retain_subset", "augment")  # defaults 1.0, 64, 1000, train.augment
# the tuning grid (tuning/__init__.py): the authors' lr 1e-4 and two larger
SPACE = {"lr": [0.0001, 0.001, 0.01], "epochs": [1, 3]}


def predictor(num_classes: int, dim: int = 64) -> nn.Module:
    return nn.Sequential(
        nn.Linear(num_classes, dim, bias=False), nn.BatchNorm1d(dim), nn.ReLU(), nn.Linear(dim, num_classes, bias=False)
    )


def forget_rates(y: torch.Tensor, forget_idx: torch.Tensor, num_classes: int) -> torch.Tensor:
    """r_c = |D_f of class c| / |D of class c| for every class c (0 for an empty class)."""
    total = torch.bincount(y.cpu(), minlength=num_classes).float()
    forgotten = torch.bincount(y.cpu()[forget_idx.cpu()], minlength=num_classes).float()
    return forgotten / total.clamp_min(1.0)


def permuted_labels(y: torch.Tensor, rates: torch.Tensor, num_classes: int, gen: torch.Generator) -> torch.Tensor:
    """Adaptive label permutation: keep y with probability 1 - rates[y], else a uniform other class."""
    y_cpu = y.cpu()
    change = torch.rand(len(y_cpu), generator=gen) < rates[y_cpu]
    other = (y_cpu + torch.randint(1, num_classes, y_cpu.shape, generator=gen)) % num_classes
    return torch.where(change, other, y_cpu).to(y.device)


def similarity(p: torch.Tensor, z: torch.Tensor) -> torch.Tensor:
    """S(p, sg z): the mean cosine similarity, with no gradient through z."""
    return F.cosine_similarity(p, z.detach(), dim=1).mean()


class Siamese(nn.Module):
    """The model and its predictor, trained together; the model's BatchNorm layers stay in eval mode."""

    def __init__(self, backbone: nn.Module, head: nn.Module):
        super().__init__()
        self.backbone, self.head = backbone, head

    def train(self, mode: bool = True):
        super().train(mode)
        for m in self.backbone.modules():
            if isinstance(m, nn.modules.batchnorm._BatchNorm):
                m.eval()
        return self

    def views(self, x1, x2):
        """(L_sim, z1, z2) for two views of a batch."""
        z1, z2 = self.backbone(x1), self.backbone(x2)
        sim = 0.5 * (similarity(self.head(z1), z2) + similarity(self.head(z2), z1))
        return sim, z1, z2


class _Steps:
    """Per forget batch: ("kv", forget batch) then ("kc", a batch of the concentration subset)."""

    def __init__(self, forget, concentrate):
        self.forget, self.concentrate = forget, concentrate

    def __len__(self):
        return 2 * len(self.forget)

    def __iter__(self):
        for batch in self.forget:
            yield "kv", batch
            yield "kc", next(self.concentrate)


def concentration_subset(retain_idx: torch.Tensor, size: int, seed: int) -> torch.Tensor:
    """A fixed, seeded subset of D_r (indices into D); all of D_r when it is smaller."""
    gen = torch.Generator().manual_seed(int(seed))
    order = torch.randperm(len(retain_idx), generator=gen)
    return retain_idx[order[: min(int(size), len(retain_idx))]]


def unlearn(model, data: UnlearnData, hp: dict, *, seed: int):
    k, bs = data.num_classes, int(hp["batch_size"])
    lam = float(hp.get("ce_weight", 1.0))
    views = hp.get("augment") or data.augment  # SMU's own views, else the recipe's augmentation
    pad, flip = int(views.get("crop_pad", 0)), bool(views.get("flip", False))
    torch.manual_seed(int(seed))
    net = Siamese(model, predictor(k, int(hp.get("predictor_dim", 64)))).to(data.device)
    rates = forget_rates(data.y, data.forget_idx, k)
    subset = concentration_subset(data.retain_idx, hp.get("retain_subset", 1000), seed)
    forget = TensorLoader(*data.forget, bs, shuffle=True, seed=seed + 1, device=data.device)
    concentrate = cycle(
        TensorLoader(data.x[subset], data.y[subset], bs, shuffle=True, seed=seed + 2, device=data.device)
    )
    gen = torch.Generator().manual_seed(int(seed) + 3)  # permuted labels
    view_gen = torch.Generator(device="cpu").manual_seed(int(seed) + 4)  # the two views' crops / flips

    def loss_fn(tagged):
        kind, (xb, yb) = tagged
        x1, x2 = random_crop_flip(xb, pad, flip, view_gen), random_crop_flip(xb, pad, flip, view_gen)
        sim, z1, z2 = net.views(x1, x2)
        if kind == "kv":
            target = permuted_labels(yb, rates, k, gen)
            return sim + lam * 0.5 * (F.cross_entropy(z1, target) + F.cross_entropy(z2, target))
        return -sim + lam * 0.5 * (F.cross_entropy(z1, yb) + F.cross_entropy(z2, yb))

    optimize(net, lambda epoch: _Steps(forget, concentrate), loss_fn, hp, tag="smu")
    return model
