"""SISA (Bourtoule et al. 2021): Sharded, Isolated, Sliced, Aggregated training.

D is split into S shards (a seeded permutation), each shard into R slices. One constituent model per
shard is trained in R stages: stage r trains `epochs_per_slice` epochs on slices 0..r, and the model is
checkpointed after every stage. Prediction: majority vote of the constituents (ties -> lowest class), or
the mean of their softmax outputs (weighted vote). Unlearning a set of points removes them from their
slices and retrains only the affected shards, from the checkpoint before the earliest affected slice.

Every stage's randomness (model init per shard, loader order and augmentation per stage) is seeded from
(seed, shard, stage) alone, so on the CPU an affected shard's model after unlearning equals, bit for bit,
the model trained from scratch on that shard without the points (tests/test_exact.py).
"""

from __future__ import annotations

import time

import torch

from ..loader import predict_proba
from ..models import build_model
from ..training import fit, seed_everything
from . import check_shards


def split(n: int, shards: int, slices: int, seed: int) -> list[list[torch.Tensor]]:
    """Indices 0..n-1 in a seeded order, cut into `shards` shards of `slices` slices each."""
    check_shards(n, shards, slices)
    order = torch.randperm(n, generator=torch.Generator().manual_seed(int(seed)))
    return [list(torch.tensor_split(part, slices)) for part in torch.tensor_split(order, shards)]


class SISA:
    """The constituent models and their per-stage checkpoints. x: uint8 images, y: labels (all of D)."""

    def __init__(
        self, spec, info, recipe: dict, *, shards: int, slices: int, seed: int, device="cpu",
        epochs_per_slice: int | None = None,
    ):  # fmt: skip
        self.spec, self.info, self.seed, self.device = spec, info, int(seed), device
        self.shards, self.slices = shards, slices
        # each stage trains `epochs_per_slice` epochs (default: the recipe's epochs spread over the R stages)
        self.recipe = {**recipe, "epochs": int(epochs_per_slice or max(1, recipe["epochs"] // slices))}
        self.parts: list[list[torch.Tensor]] = []
        self.checkpoints: list[list[dict]] = []  # [shard][stage] state dict after that stage
        self.models: list[torch.nn.Module] = []
        self.samples_processed = 0  # sample-epochs of training, for the cost of a request vs full training

    def _stage_seed(self, shard: int, stage: int) -> int:
        return self.seed * 1_000_003 + shard * 1_009 + stage

    def _train_shard(self, x, y, shard: int, start: int) -> None:
        """Train stages start..R-1 of `shard`, from the checkpoint after stage start-1 (or a fresh init)."""
        seed_everything(self._stage_seed(shard, -1))
        model = build_model(self.spec, self.info).to(self.device)
        if start > 0:
            model.load_state_dict(self.checkpoints[shard][start - 1])
        self.checkpoints[shard] = self.checkpoints[shard][:start]
        for stage in range(start, self.slices):
            idx = torch.cat(self.parts[shard][: stage + 1])
            if len(idx):
                fit(model, x[idx], y[idx], self.recipe, seed=self._stage_seed(shard, stage), device=self.device,
                    tag=f"sisa shard {shard} slice {stage + 1}/{self.slices}")  # fmt: skip
            self.samples_processed += len(idx) * self.recipe["epochs"]
            self.checkpoints[shard].append({k: v.detach().clone() for k, v in model.state_dict().items()})
        self.models[shard] = model

    def fit(self, x, y) -> SISA:
        return self.fit_parts(x, y, split(len(y), self.shards, self.slices, self.seed))

    def fit_parts(self, x, y, parts: list[list[torch.Tensor]]) -> SISA:
        """Train every shard from scratch on the given shards/slices of indices into x."""
        self.parts = [list(p) for p in parts]
        self.checkpoints = [[] for _ in range(self.shards)]
        self.models = [None] * self.shards
        for shard in range(self.shards):
            self._train_shard(x, y, shard, 0)
        return self

    def unlearn(self, x, y, forget_idx) -> dict:
        """Remove `forget_idx` (indices into D) and retrain the affected shards from their checkpoints."""
        forget = torch.as_tensor(forget_idx, dtype=torch.long)
        before, start_time = self.samples_processed, time.perf_counter()
        affected = {}
        for shard, slices in enumerate(self.parts):
            for stage, part in enumerate(slices):
                hit = torch.isin(part, forget)
                if hit.any():
                    slices[stage] = part[~hit]
                    affected.setdefault(shard, stage)
        for shard, stage in sorted(affected.items()):
            self._train_shard(x, y, shard, stage)
        return {
            "shards_retrained": len(affected),
            "slices_retrained": sum(self.slices - s for s in affected.values()),
            "samples_reprocessed": self.samples_processed - before,
            "seconds": time.perf_counter() - start_time,
        }

    @torch.no_grad()
    def predict_proba(self, x, *, weighted: bool = False, batch_size: int = 512) -> torch.Tensor:
        """Aggregate: one-hot majority vote (normalised) or, weighted, the constituents' mean softmax."""
        probs = torch.stack([predict_proba(m, x, batch_size, self.device) for m in self.models])  # S x N x K
        if weighted:
            return probs.mean(0)
        votes = torch.nn.functional.one_hot(probs.argmax(2), probs.shape[2]).sum(0).float()
        return votes / votes.sum(1, keepdim=True)
