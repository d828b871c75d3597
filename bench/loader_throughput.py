"""Training-loop throughput: TensorLoader (uint8 tensors, batched crop/flip on the device) against a
plain torchvision DataLoader + transforms pipeline (PIL images, per-image RandomCrop/Flip/ToTensor/
Normalize), on the same model, batch size and thread count. Prints a Markdown table.

    .venv/bin/python bench/loader_throughput.py [--batches 30] [--threads 2]

Uses the real CIFAR-10 sample in ../shared when present (else random CIFAR-shaped images).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

from unlearn.data import load_cifar  # noqa: E402
from unlearn.loader import TensorLoader  # noqa: E402
from unlearn.models import build_model  # noqa: E402
from unlearn.optim import SGD  # noqa: E402


def images(n):
    root = REPO.parent / "shared/data/cifar-10-batches-py"
    if (root / "data_batch_1").is_file():
        ds = load_cifar("cifar10", root)
        return ds.train_x[:n], ds.train_y[:n], "CIFAR-10 sample"
    rng = np.random.default_rng(0)
    return rng.integers(0, 256, (n, 3, 32, 32), dtype=np.uint8), rng.integers(0, 10, n), "random uint8"


def torchvision_loader(x, y, batch_size, workers):
    from PIL import Image
    from torchvision import transforms

    tf = transforms.Compose(
        [
            transforms.RandomCrop(32, padding=4),
            transforms.RandomHorizontalFlip(),
            transforms.ToTensor(),
            transforms.Normalize((0.49, 0.48, 0.45), (0.25, 0.24, 0.26)),
        ]
    )

    class DS(torch.utils.data.Dataset):
        def __init__(self):
            self.pil = [Image.fromarray(im.transpose(1, 2, 0)) for im in x]

        def __len__(self):
            return len(self.pil)

        def __getitem__(self, i):
            return tf(self.pil[i]), int(y[i])

    return torch.utils.data.DataLoader(DS(), batch_size=batch_size, shuffle=True, num_workers=workers, drop_last=True)


def measure(batches_iter, n_batches, batch_size, model=None):
    """Images/s over n_batches, after one untimed warm-up batch (worker start-up, first model step)."""
    opt = SGD(model.parameters(), lr=0.01, momentum=0.9) if model is not None else None

    def step(xb, yb):
        if model is not None:
            opt.zero_grad()
            F.cross_entropy(model(xb), yb).backward()
            opt.step()

    it = iter(batches_iter)
    step(*next(it))
    start = time.perf_counter()
    for _ in range(n_batches):
        step(*next(it))
    return n_batches * batch_size / (time.perf_counter() - start)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--batches", type=int, default=20)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--batch-size", type=int, default=128)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--width", type=float, default=0.125, help="ResNet-18 width multiplier")
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    n = (args.batches + 2) * args.batch_size
    x, y, source = images(n)
    mean, std = [0.49, 0.48, 0.45], [0.25, 0.24, 0.26]
    info = {"in_channels": 3, "image_size": 32, "num_classes": 10, "mean": mean, "std": std}
    model = build_model({"name": "resnet18", "width": args.width}, info)

    def ours():
        return TensorLoader(
            torch.from_numpy(x), torch.from_numpy(np.asarray(y)), args.batch_size, shuffle=True,
            augment={"crop_pad": 4, "flip": True}, seed=0,
        )  # fmt: skip

    pipelines = [
        ("TensorLoader (ours)", ours),
        ("DataLoader + transforms, 0 workers", lambda: torchvision_loader(x, y, args.batch_size, 0)),
        ("DataLoader + transforms, 2 workers", lambda: torchvision_loader(x, y, args.batch_size, 2)),
    ]
    results = {label: ([], []) for label, _ in pipelines}
    for _ in range(args.repeats):  # interleaved repeats, median reported
        for label, make in pipelines:
            results[label][0].append(measure(make(), args.batches, args.batch_size))
            results[label][1].append(measure(make(), args.batches, args.batch_size, model))
    rows = [(label, float(np.median(load)), float(np.median(train))) for label, (load, train) in results.items()]
    base_load, base_train = rows[0][1], rows[0][2]
    print(
        f"Data: {source}; model ResNet-18 x{args.width}; batch {args.batch_size}; {args.threads} threads; CPU; "
        f"median of {args.repeats} runs of {args.batches} batches\n"
    )
    print("| pipeline | loading only (img/s) | training step (img/s) | ours / this (training) |")
    print("|---|---:|---:|---:|")
    for label, load, train in rows:
        print(f"| {label} | {load:,.0f} | {train:,.0f} | {base_train / train:.2f}x |")
    print(f"\nLoading only: ours / plain DataLoader (0 workers) = {base_load / rows[1][1]:.1f}x")


if __name__ == "__main__":
    main()
