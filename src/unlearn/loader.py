"""TensorLoader: mini-batches straight from uint8 tensors, with batched augmentation on the device.

No PIL, no DataLoader workers: the whole split lives on the device as uint8, and each batch is
indexed, converted to float in [0, 1], randomly cropped (zero padding) and flipped in one shot.
Normalisation happens inside the model (see models.Normalize), so loaders and evaluation agree.
"""

from __future__ import annotations

import torch


def random_crop_flip(x: torch.Tensor, pad: int, flip: bool, gen: torch.Generator) -> torch.Tensor:
    """Per-image random crop of a zero-padded batch and optional horizontal flip. x: B x C x H x W float."""
    b, c, h, w = x.shape
    if pad > 0:
        padded = torch.nn.functional.pad(x, (pad, pad, pad, pad))
        oy = torch.randint(0, 2 * pad + 1, (b,), generator=gen, device=gen.device).to(x.device)
        ox = torch.randint(0, 2 * pad + 1, (b,), generator=gen, device=gen.device).to(x.device)
        rows = (oy[:, None] + torch.arange(h, device=x.device)[None, :])[:, None, :, None]
        cols = (ox[:, None] + torch.arange(w, device=x.device)[None, :])[:, None, None, :]
        bidx = torch.arange(b, device=x.device)[:, None, None, None]
        cidx = torch.arange(c, device=x.device)[None, :, None, None]
        x = padded[bidx, cidx, rows, cols]
    if flip:
        mask = torch.rand(b, generator=gen, device=gen.device).to(x.device) < 0.5
        x = torch.where(mask[:, None, None, None], x.flip(3), x)
    return x


class TensorLoader:
    """Iterate over (images, labels) mini-batches of a uint8 image tensor.

    x: uint8 N x C x H x W, y: int64 N. `augment` is a dict {crop_pad: int, flip: bool} or None.
    Shuffling and augmentation draw from a private generator seeded by `seed`, so two loaders with
    the same seed yield identical batches.
    """

    def __init__(self, x, y, batch_size, *, shuffle=False, augment=None, seed=0, device="cpu", drop_last=False):
        if len(x) != len(y):
            raise ValueError(f"images ({len(x)}) and labels ({len(y)}) differ in length")
        self.device = torch.device(device)
        self.x = x.to(self.device)
        self.y = y.to(self.device)
        self.batch_size = int(batch_size)
        self.shuffle = shuffle
        self.augment = augment or {}
        self.drop_last = drop_last
        self.gen = torch.Generator(device="cpu").manual_seed(int(seed))

    def __len__(self) -> int:
        n = len(self.x)
        return n // self.batch_size if self.drop_last else -(-n // self.batch_size)

    def __iter__(self):
        n = len(self.x)
        order = torch.randperm(n, generator=self.gen) if self.shuffle else torch.arange(n)
        order = order.to(self.device)
        for i in range(len(self)):
            idx = order[i * self.batch_size : (i + 1) * self.batch_size]
            xb = self.x[idx].float().div_(255.0)
            if self.augment.get("crop_pad", 0) or self.augment.get("flip", False):
                xb = random_crop_flip(
                    xb, int(self.augment.get("crop_pad", 0)), bool(self.augment.get("flip")), self.gen
                )
            yield xb, self.y[idx]


@torch.no_grad()
def _map_batches(fn, model, x, batch_size, device) -> torch.Tensor:
    """Apply fn(model, images in [0, 1]) to uint8 images x in eval mode, batch by batch; float32 on the CPU."""
    model.eval()
    out = [
        fn(model, x[i : i + batch_size].to(device).float().div_(255.0)).float().cpu()
        for i in range(0, len(x), batch_size)
    ]
    return torch.cat(out) if out else torch.empty(0)


def predict_proba(model, x, batch_size=512, device="cpu") -> torch.Tensor:
    """Softmax outputs of `model` on uint8 images `x` (no augmentation)."""
    return _map_batches(lambda m, xb: torch.softmax(m(xb).float(), dim=1), model, x, batch_size, device)


def embed(model, x, batch_size=512, device="cpu") -> torch.Tensor:
    """Penultimate-layer features of `model` on uint8 images `x` (no augmentation)."""
    return _map_batches(lambda m, xb: m.features(xb), model, x, batch_size, device)
