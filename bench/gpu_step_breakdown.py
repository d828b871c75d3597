"""Where a training step's time goes on the GPU (full-width ResNet-18, CIFAR-10 sample): the loop of
`training.fit` with one setting changed at a time. Prints a Markdown table; needs a CUDA GPU.

    python bench/gpu_step_breakdown.py [--data DIR] [--epochs 5]

Rows: the pipeline's loop as `make gpu-check` times it (cuDNN deterministic, autotuning off); with cuDNN
autotuning; the data loader alone; forward+backward without the optimiser step; torch.optim.SGD
(foreach / fused) instead of ours; batch 512; torch.compile with fixed batch shapes, default mode and
CUDA graphs ("reduce-overhead").
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

INFO = {"in_channels": 3, "image_size": 32, "num_classes": 10, "mean": [0.49, 0.48, 0.45], "std": [0.25] * 3}


def measure(x, y, epochs, *, batch=128, autotune=False, optimizer="ours", step=True, model_step=True, compile_mode=""):
    torch.backends.cudnn.deterministic = not autotune
    torch.backends.cudnn.benchmark = autotune
    torch.manual_seed(0)
    model = build_model({"name": "resnet18", "width": 1.0}, INFO).cuda().to(memory_format=torch.channels_last)
    if compile_mode:
        model.compile(mode=compile_mode, dynamic=False)
    params = list(model.parameters())
    if optimizer == "ours":
        opt = SGD(params, lr=0.05, momentum=0.9, weight_decay=5e-4)
    else:
        from torch.optim import SGD as TorchSGD

        opt = TorchSGD(params, lr=0.05, momentum=0.9, weight_decay=5e-4, **{optimizer: True})
    augment = {"crop_pad": 4, "flip": True}
    loader = TensorLoader(x, y, batch, shuffle=True, augment=augment, device="cuda", drop_last=True)
    model.train()

    def epoch():
        n = 0
        for xb, yb in loader:
            n += len(xb)
            if not model_step:
                continue
            with torch.autocast("cuda", dtype=torch.bfloat16):
                loss = F.cross_entropy(model(xb), yb)
            opt.zero_grad(set_to_none=True)
            loss.backward()
            if step:
                opt.step()
        return n

    start = time.perf_counter()
    epoch()
    torch.cuda.synchronize()
    first = time.perf_counter() - start
    start, n = time.perf_counter(), 0
    for _ in range(epochs):
        n += epoch()
    torch.cuda.synchronize()
    return n / (time.perf_counter() - start), first


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", default=str(REPO.parent / "shared" / "data" / "cifar-10-batches-py"))
    parser.add_argument("--epochs", type=int, default=5)
    args = parser.parse_args()
    if not torch.cuda.is_available():
        print("gpu_step_breakdown needs a CUDA GPU (torch sees none)", file=sys.stderr)
        return 2
    ds = load_cifar("cifar10", args.data)
    x, y = torch.from_numpy(np.ascontiguousarray(ds.train_x)), torch.from_numpy(ds.train_y.astype(np.int64))
    rows = [
        ("pipeline loop (bf16 + channels_last, cuDNN deterministic)", {}),
        ("+ cuDNN autotuning (benchmark=True, deterministic off)", {"autotune": True}),
        ("data loader alone (index, crop, flip)", {"model_step": False}),
        ("forward + backward, no optimiser step (autotuned)", {"autotune": True, "step": False}),
        ("torch.optim.SGD foreach (autotuned)", {"autotune": True, "optimizer": "foreach"}),
        ("torch.optim.SGD fused (autotuned)", {"autotune": True, "optimizer": "fused"}),
        ("batch 512 (autotuned)", {"autotune": True, "batch": 512}),
        ("compile, fixed shapes (autotuned)", {"autotune": True, "compile_mode": "default"}),
        ("compile reduce-overhead: CUDA graphs (autotuned)", {"autotune": True, "compile_mode": "reduce-overhead"}),
    ]
    print(f"{torch.cuda.get_device_name()}; torch {torch.__version__}; {len(x):,} images; {args.epochs} timed epochs\n")
    print("| setting | images/s | first epoch (s) |\n|---|---:|---:|")
    for label, kw in rows:
        try:
            ips, first = measure(x, y, args.epochs, **kw)
            print(f"| {label} | {ips:,.0f} | {first:.1f} |", flush=True)
        except Exception as err:  # one failing row leaves the others
            print(f"| {label} | failed: {type(err).__name__}: {str(err).splitlines()[0][:200]} | |", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
