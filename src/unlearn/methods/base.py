"""What every unlearning method receives, and the helpers they share."""

from __future__ import annotations

from dataclasses import dataclass, field

import torch

from ..loader import TensorLoader
from ..training import Resume, fit


@dataclass
class UnlearnData:
    """The unlearning problem: training images/labels, forget/retain indices, and how models are built."""

    x: torch.Tensor  # uint8 N x C x H x W, the whole training set D
    y: torch.Tensor  # int64 N
    forget_idx: torch.Tensor  # int64 indices of D_f into D
    num_classes: int
    device: torch.device | str = "cpu"
    augment: dict = field(default_factory=dict)  # crop/flip, as in the training recipe
    model_spec: dict = field(default_factory=dict)  # to build fresh models (Retrain, Bad Teacher)
    info: dict = field(default_factory=dict)
    recipe: dict = field(default_factory=dict)  # the training recipe (Retrain)
    forget_easy: torch.Tensor | None = None  # TMU: predicted generalization label per D_f sample (True = easy)
    parts: dict | None = None  # RUM: the forget set's named partitions into parts (the forget file's "parts")
    resume: Resume | None = None  # epoch checkpoint for methods that train from scratch (Retrain)

    def __post_init__(self):
        mask = torch.ones(len(self.y), dtype=torch.bool)
        mask[self.forget_idx] = False
        self.retain_idx = torch.nonzero(mask).flatten()

    @property
    def forget(self):
        return self.x[self.forget_idx], self.y[self.forget_idx]

    @property
    def retain(self):
        return self.x[self.retain_idx], self.y[self.retain_idx]

    def loader(self, x, y, batch_size, seed, shuffle=True):
        return TensorLoader(x, y, batch_size, shuffle=shuffle, augment=self.augment, seed=seed, device=self.device)


def random_other_labels(y: torch.Tensor, num_classes: int, seed: int) -> torch.Tensor:
    """A uniformly random label different from the true one, for each sample (seeded)."""
    gen = torch.Generator().manual_seed(int(seed))
    shift = torch.randint(1, num_classes, y.shape, generator=gen)
    return (y.cpu() + shift) % num_classes


def cross_entropy_epochs(model, data: UnlearnData, x, y, hp: dict, *, seed: int, tag: str):
    """The training recipe's loop (training.fit) on (x, y) with the method's optimiser settings and the
    recipe's augmentation."""
    return fit(model, x, y, {**hp, "augment": data.augment}, seed=seed, device=data.device, tag=tag)


class Paired:
    """One pass over `main` with a batch of `side` (cycled endlessly) beside each of its batches:
    yields (main batch, side batch). len() is len(main), so schedules count main's batches."""

    def __init__(self, main, side):
        self.main, self.side = main, cycle(side)

    def __len__(self):
        return len(self.main)

    def __iter__(self):
        for batch in self.main:
            yield batch, next(self.side)


def cycle(loader):
    """Endless iteration over a loader (a new shuffle each pass)."""
    while True:
        yield from loader
