"""Unlearning in a spiking network (Wang et al. 2023, as the survey, paper 003, describes it), in three phases.

All three read two diagnostics of the trained network, measured before anything changes:

- each synapse's *weight change due to the forget data*: the change one full-batch gradient step on D_f's
  loss would make, |lr x dL_f/dw| (lr = the phase's learning rate), and the same on a sample of D_r;
- each hidden neuron's *spike rate* on D_f and on that D_r sample.

1. **Selective retraining.** The synapses whose change correlates with the forget data -- the top
   `select_fraction` of all synapses by |dL_f/dw| / (|dL_r/dw| + eps) -- are adjusted with a modified rule:
   `epochs` of steps on CE(D_r batch) - `forget_weight` x CE(D_f batch), with every other synapse's gradient
   masked to zero (no weight decay), so only the selected synapses move.
2. **Synaptic pruning.** Every synapse whose forget-data change reaches `prune_threshold` x the largest one in
   its layer is removed: weight 0 and mask 0 (it stays removed through any later training).
3. **Adaptive thresholds.** A hidden neuron whose spike rate on D_f exceeds its rate on D_r by more than
   `rate_margin` gets its firing threshold raised by the factor 1 + `threshold_gain` x (rate_f - rate_r); every
   other neuron keeps its threshold.

Then `recover_epochs` of fine-tuning on D_r (the survey's "retraining after unlearning"), masks and thresholds
kept, gives the recovered model.
"""

from __future__ import annotations

import time

import torch
import torch.nn.functional as F

from ..loader import TensorLoader, _map_batches
from ..training import autocast_for, optimize

EPS = 1e-12


def loss_gradients(model, x, y, batch_size: int, device) -> dict[str, torch.Tensor]:
    """The mean cross-entropy's gradient over (x, y) for every synapse matrix (masked synapses: 0)."""
    model.eval()
    grads = {name: torch.zeros_like(layer.weight) for name, layer in model.synapse_layers()}
    n = len(y)
    for xb, yb in TensorLoader(x, y, batch_size, device=device):
        model.zero_grad(set_to_none=True)
        with autocast_for(model):
            loss = F.cross_entropy(model(xb), yb, reduction="sum") / n
        loss.backward()
        for name, layer in model.synapse_layers():
            grads[name] += layer.weight.grad.detach().float() * model.mask(name)
    model.zero_grad(set_to_none=True)
    return grads


def spike_rates(model, x, batch_size: int, device) -> list[torch.Tensor]:
    """Each hidden layer's per-neuron spike rate, averaged over the images x (uint8)."""
    sizes = [layer.out_features for layer in model.layers]
    rates = _map_batches(lambda m, xb: torch.cat(m.spike_rates(m.normalize(xb)), dim=1), model, x, batch_size, device)
    return list(rates.mean(0).split(sizes))


def select_synapses(change_f: dict, change_r: dict, fraction: float) -> dict[str, torch.Tensor]:
    """Boolean masks of the top `fraction` of all synapses by change_f / (change_r + eps), over every layer
    (exactly round(fraction x count) of them, ties broken by torch.topk)."""
    scores = {k: change_f[k].abs() / (change_r[k].abs() + EPS) for k in change_f}
    flat = torch.cat([s.flatten() for s in scores.values()])
    chosen = torch.zeros_like(flat, dtype=torch.bool)
    chosen[torch.topk(flat, max(1, round(float(fraction) * flat.numel()))).indices] = True
    parts = chosen.split([s.numel() for s in scores.values()])
    return {name: part.view_as(scores[name]) for name, part in zip(scores, parts, strict=True)}


def selective_retrain(model, selected: dict, forget, retain, hp: dict, *, seed: int, device) -> list[dict]:
    """Phase 1: steps on CE(D_r) - forget_weight * CE(D_f) that move only the selected synapses."""
    (xf, yf), (xr, yr) = forget, retain
    weight = float(hp.get("forget_weight", 1.0))
    f_loader = TensorLoader(xf, yf, hp["batch_size"], shuffle=True, seed=seed, device=device)
    r_loader = TensorLoader(xr, yr, hp["batch_size"], shuffle=True, seed=seed + 1, device=device)
    masks = {name: selected[name].to(device=device, dtype=torch.float32) for name in selected}
    hooks = [
        layer.weight.register_hook(lambda g, m=masks[name]: g * m.to(g.dtype)) for name, layer in model.synapse_layers()
    ]

    def batches(epoch):
        return list(zip(f_loader, r_loader, strict=False))

    def loss_fn(batch):
        (bf, lf), (br, lr) = batch
        return F.cross_entropy(model(br), lr) - weight * F.cross_entropy(model(bf), lf)

    opt = {**hp, "weight_decay": 0.0, "schedule": "constant"}
    params = [layer.weight for _, layer in model.synapse_layers()]
    try:
        return optimize(model, batches, loss_fn, opt, tag="snn selective retraining", params=params,
                        generators=[f_loader.gen, r_loader.gen])  # fmt: skip
    finally:
        for h in hooks:
            h.remove()


@torch.no_grad()
def prune(model, change_f: dict, threshold: float) -> dict[str, int]:
    """Phase 2: remove every synapse with |change_f| >= threshold x its layer's largest |change_f|."""
    if not 0 < threshold <= 1:
        raise ValueError(f"prune_threshold: {threshold} is outside (0, 1]")
    removed = {}
    for name, layer in model.synapse_layers():
        change = change_f[name].abs().to(layer.weight.device)
        top = float(change.max())
        cut = change >= threshold * top if top > 0 else torch.zeros_like(change, dtype=torch.bool)
        model.mask(name)[cut] = 0.0
        layer.weight[cut] = 0.0
        removed[name] = int(cut.sum())
    return removed


@torch.no_grad()
def adapt_thresholds(model, rates_f: list, rates_r: list, margin: float, gain: float) -> list[int]:
    """Phase 3: raise the threshold of each neuron whose D_f rate exceeds its D_r rate by more than `margin`."""
    changed = []
    for theta, rf, rr in zip(model.thresholds(), rates_f, rates_r, strict=True):
        excess = (rf - rr).to(theta.device)
        chosen = excess > margin
        theta[chosen] = theta[chosen] * (1.0 + gain * excess[chosen])
        changed.append(int(chosen.sum()))
    return changed


def unlearn(model, x, y, forget_idx, hp: dict, *, seed: int, device) -> dict:
    """The three phases on `model` (in place). x, y: all of D; forget_idx: D_f's indices. Returns a report."""
    start = time.perf_counter()
    forget = torch.as_tensor(forget_idx, dtype=torch.long)
    keep = torch.ones(len(y), dtype=torch.bool)
    keep[forget] = False
    retain_idx = keep.nonzero().flatten()
    gen = torch.Generator().manual_seed(int(seed))
    sample = retain_idx[torch.randperm(len(retain_idx), generator=gen)[: int(hp["retain_sample"])]]
    xf, yf, xr, yr = x[forget], y[forget], x[sample], y[sample]
    lr = float(hp["lr"])
    change_f = {k: lr * g for k, g in loss_gradients(model, xf, yf, hp["batch_size"], device).items()}
    change_r = {k: lr * g for k, g in loss_gradients(model, xr, yr, hp["batch_size"], device).items()}
    rates_f = spike_rates(model, xf, hp["batch_size"], device)
    rates_r = spike_rates(model, xr, hp["batch_size"], device)
    selected = select_synapses(change_f, change_r, hp["select_fraction"])
    selective_retrain(model, selected, (xf, yf), (x[retain_idx], y[retain_idx]), hp, seed=seed, device=device)
    pruned = prune(model, change_f, float(hp["prune_threshold"]))
    adjusted = adapt_thresholds(model, rates_f, rates_r, float(hp["rate_margin"]), float(hp["threshold_gain"]))
    return {
        "synapses": int(sum(layer.weight.numel() for _, layer in model.synapse_layers())),
        "selected": int(sum(int(m.sum()) for m in selected.values())),
        "pruned": int(sum(pruned.values())),
        "pruned_per_layer": pruned,
        "neurons_adjusted": adjusted,
        "seconds": time.perf_counter() - start,
    }
