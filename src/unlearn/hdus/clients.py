"""One HDUS client: its main model on its own data, its seed model distilled from the main model on the
reference set. Everything random is seeded from (seed, client) alone, so retraining a client from scratch
gives the same models (the exactness check of the departure compares against that)."""

from __future__ import annotations

import time

import torch

from ..loader import TensorLoader, _map_batches
from ..methods.scrub import distill_kl
from ..models import build_model
from ..training import optimize, seed_everything, train_from_scratch
from . import client_model


def client_seed(seed: int, client: int) -> int:
    return int(seed) * 10_007 + 101 * int(client) + 1


def distill(student, teacher, ref_x, hp: dict, *, seed: int, device, tag: str) -> list[dict]:
    """Fit `student` to the teacher's softened outputs on the reference images (KL at temperature T, x T^2)."""
    logits = _map_batches(lambda m, xb: m(xb), teacher, ref_x, 512, device).to(device)
    loader = TensorLoader(ref_x, torch.arange(len(ref_x)), hp["batch_size"], shuffle=True, seed=seed, device=device)

    def loss_fn(batch):
        xb, idx = batch
        return distill_kl(student(xb), logits[idx], hp["temperature"])

    return optimize(student, lambda epoch: loader, loss_fn, hp, tag=tag, generators=[loader.gen])


def train_client(cfg: dict, info: dict, x, y, ref_x, client: int, *, seed: int, device) -> dict:
    """Train client `client` on (x, y) (its own part of D): {main, seed (state dicts, specs), seconds}."""
    s = client_seed(seed, client)
    spec, seed_spec = client_model(cfg, client), dict(cfg["seed_model"])
    start = time.perf_counter()
    main, _ = train_from_scratch(spec, info, x, y, cfg["train"], seed=s, device=device,
                                 tag=f"hdus client {client} main ({spec['name']})")  # fmt: skip
    main_seconds = time.perf_counter() - start
    seed_everything(s + 1)
    student = build_model(seed_spec, info).to(device)
    distill(student, main, ref_x, cfg["distill"], seed=s + 1, device=device, tag=f"hdus client {client} seed model")
    return {
        "client": int(client),
        "main_spec": spec,
        "seed_spec": seed_spec,
        "main": {k: v.detach().cpu() for k, v in main.state_dict().items()},
        "seed": {k: v.detach().cpu() for k, v in student.state_dict().items()},
        "main_seconds": main_seconds,
        "seconds": time.perf_counter() - start,
        "samples": len(y),
    }


def load_client(record: dict, info: dict, device) -> tuple[torch.nn.Module, torch.nn.Module]:
    """The (main, seed) models of a stored client record."""
    out = []
    for key in ("main", "seed"):
        model = build_model(record[f"{key}_spec"], info)
        model.load_state_dict(record[key])
        out.append(model.to(device).eval())
    return out[0], out[1]
