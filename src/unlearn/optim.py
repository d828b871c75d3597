"""SGD and Adam with torch.optim's update rules, without torch.optim.

Why: constructing any torch.optim optimizer imports torch._dynamo, which costs ~1.6 s per process on
this torch build. The workflow starts one process per training/unlearning job (hundreds per run), so
that import alone was a quarter of the embedded default's wall time. These classes follow
torch.optim.SGD (dampening 0) and torch.optim.Adam (L2 weight decay, bias correction) exactly;
tests/test_training.py checks both against torch.optim step by step. Updates use torch._foreach_*
kernels, so they stay cheap on the GPU.
"""

from __future__ import annotations

import torch


class _Optimizer:
    def __init__(self, params, **group):
        self.params = [p for p in params if p.requires_grad]
        self.param_groups = [{"params": self.params, **group}]
        self.state: dict[int, dict] = {}

    def zero_grad(self, set_to_none: bool = True) -> None:
        for p in self.params:
            p.grad = None

    def _with_grads(self):
        return [p for p in self.params if p.grad is not None]

    def state_dict(self) -> dict:
        """Per-parameter state by position in the parameter list (ids do not survive a restart)."""
        index = {id(p): i for i, p in enumerate(self.params)}
        return {"state": {index[k]: v for k, v in self.state.items()}}

    def load_state_dict(self, saved: dict) -> None:
        self.state = {
            id(self.params[int(i)]): {
                k: v.to(self.params[int(i)].device) if torch.is_tensor(v) else v for k, v in s.items()
            }
            for i, s in saved["state"].items()
        }


class SGD(_Optimizer):
    def __init__(self, params, lr, momentum=0.0, weight_decay=0.0, nesterov=False):
        super().__init__(params, lr=lr, momentum=momentum, weight_decay=weight_decay, nesterov=nesterov)

    @torch.no_grad()
    def step(self) -> None:
        g = self.param_groups[0]
        params = self._with_grads()
        if not params:
            return
        grads = [p.grad for p in params]
        if g["weight_decay"]:
            grads = torch._foreach_add(grads, params, alpha=g["weight_decay"])
        if g["momentum"]:
            fresh = [id(p) not in self.state for p in params]
            if all(fresh):  # first step: the buffers start as the gradients
                for p, d in zip(params, grads, strict=True):
                    self.state[id(p)] = {"momentum_buffer": d.detach().clone()}
            else:  # one foreach kernel per operation instead of two launches per parameter
                for p, d, new in zip(params, grads, fresh, strict=True):
                    if new:  # a parameter that got its first gradient late
                        self.state[id(p)] = {"momentum_buffer": torch.zeros_like(d)}
                old = [self.state[id(p)]["momentum_buffer"] for p, new in zip(params, fresh, strict=True) if not new]
                torch._foreach_mul_(old, g["momentum"])
                torch._foreach_add_([self.state[id(p)]["momentum_buffer"] for p in params], grads)
            bufs = [self.state[id(p)]["momentum_buffer"] for p in params]
            grads = torch._foreach_add(grads, bufs, alpha=g["momentum"]) if g["nesterov"] else bufs
        torch._foreach_add_(params, grads, alpha=-g["lr"])


class Adam(_Optimizer):
    def __init__(self, params, lr, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.0):
        super().__init__(params, lr=lr, betas=betas, eps=eps, weight_decay=weight_decay)

    @torch.no_grad()
    def step(self) -> None:
        g = self.param_groups[0]
        b1, b2 = g["betas"]
        for p in self._with_grads():
            d = p.grad if not g["weight_decay"] else p.grad.add(p, alpha=g["weight_decay"])
            state = self.state.setdefault(id(p), {"step": 0, "m": torch.zeros_like(p), "v": torch.zeros_like(p)})
            state["step"] += 1
            state["m"].lerp_(d, 1 - b1)
            state["v"].mul_(b2).addcmul_(d, d, value=1 - b2)
            bias1, bias2 = 1 - b1 ** state["step"], 1 - b2 ** state["step"]
            denom = (state["v"].sqrt() / bias2**0.5).add_(g["eps"])
            p.addcdiv_(state["m"], denom, value=-g["lr"] / bias1)
