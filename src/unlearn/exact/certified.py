"""Certified removal (Guo, Goldstein, Hannun, van der Maaten 2019) for L2-regularised logistic regression
on frozen features, one-vs-rest.

Training minimises, per class k (labels +-1),
    L_b(w; D) = sum_i log(1 + exp(-y_i w.x_i)) + (lam n / 2) ||w||^2 + b.w,   b ~ N(0, sigma^2 I)
(features scaled to ||x|| <= 1). Removing a set R is one Newton step from the current optimum w:
    Delta = lam |R| w + sum_{i in R} grad l(w.x_i, y_i),   H = hessian of L(.; D \\ R) at w,   w- = w + H^-1 Delta.
The gradient residual ||grad L(w-; D \\ R)|| is bounded by the data-dependent bound (Guo et al., Cor. 1)
    gamma ||X|| ||H^-1 Delta|| ||X H^-1 Delta||,   gamma = 1/4 for the logistic loss,
summed over removals. The removals stay (eps, delta)-certified while that sum is at most the budget
    eps' = sigma eps / c,   c = sqrt(2 log(1.5 / delta));
past it, the model is retrained from scratch on what remains (with fresh noise) and the sum restarts.
"""

from __future__ import annotations

import math

import torch


def logistic_grad_hess(w, x, y, lam_n, b=None):
    """Gradient and Hessian of sum log(1+exp(-y w.x)) + lam_n/2 ||w||^2 (+ b.w)."""
    z = y * (x @ w)
    s = torch.sigmoid(-z)  # = -dl/dz
    grad = -(x * (y * s)[:, None]).sum(0) + lam_n * w
    if b is not None:
        grad = grad + b
    d = s * (1 - s)
    hess = (x * d[:, None]).T @ x + lam_n * torch.eye(x.shape[1], dtype=x.dtype)
    return grad, hess


def minimise(x, y, lam_n, b, tol=1e-10, max_iter=100):
    """Newton's method with backtracking for the strictly convex objective (float64). Returns w."""
    w = torch.zeros(x.shape[1], dtype=torch.float64)

    def loss(v):
        return torch.nn.functional.softplus(-y * (x @ v)).sum() + 0.5 * lam_n * v @ v + b @ v

    for _ in range(max_iter):
        grad, hess = logistic_grad_hess(w, x, y, lam_n, b)
        if grad.norm() < tol:
            break
        step = torch.linalg.solve(hess, grad)
        t, f0 = 1.0, loss(w)
        while loss(w - t * step) > f0 - 0.25 * t * grad @ step and t > 1e-8:
            t *= 0.5
        w = w - t * step
    return w


class CertifiedLogistic:
    """One-vs-rest certified-removal logistic regression. x: float features with rows of norm <= 1."""

    def __init__(self, num_classes: int, *, lam: float, sigma: float, eps: float, delta: float, seed: int = 0):
        if lam <= 0 or sigma <= 0 or eps <= 0 or not 0 < delta < 1:
            raise ValueError("certified: lam, sigma, eps must be > 0 and 0 < delta < 1")
        self.k, self.lam, self.sigma, self.eps, self.delta = int(num_classes), lam, sigma, eps, delta
        self.gen = torch.Generator().manual_seed(int(seed))
        self.c = math.sqrt(2 * math.log(1.5 / delta))
        self.budget = sigma * eps / self.c
        self.spent = torch.zeros(self.k, dtype=torch.float64)  # accumulated residual bound per class
        self.retrains = 0

    def _targets(self, y):
        return torch.stack([torch.where(y == k, 1.0, -1.0).to(torch.float64) for k in range(self.k)])

    def fit(self, x, y) -> CertifiedLogistic:
        self.x, self.y = x.to(torch.float64), y.long()
        self.ids = torch.arange(len(self.y))  # the rows' indices into this data, kept through removals
        return self._train()

    def _train(self) -> CertifiedLogistic:
        """Train on the current rows from scratch, with fresh noise b; the spent budget restarts."""
        n, d = self.x.shape
        self.b = torch.randn(self.k, d, generator=self.gen, dtype=torch.float64) * self.sigma
        t = self._targets(self.y)
        self.w = torch.stack([minimise(self.x, t[k], self.lam * n, self.b[k]) for k in range(self.k)])
        self.spent.zero_()
        return self

    def remove(self, idx) -> dict:
        """Remove rows `idx` (indices into the current training set) by one Newton step per class.
        Retrains from scratch when the accumulated bound would pass the budget. Returns what happened."""
        keep = torch.ones(len(self.y), dtype=torch.bool)
        keep[torch.as_tensor(idx, dtype=torch.long)] = False
        xr, t = self.x[~keep], self._targets(self.y)
        xk, tk = self.x[keep], t[:, keep]
        m, n_left = int((~keep).sum()), int(keep.sum())
        new_w, bounds = [], []
        norm_x = torch.linalg.matrix_norm(xk, ord=2)
        for k in range(self.k):
            w = self.w[k]
            s = torch.sigmoid(-t[k, ~keep] * (xr @ w))
            grad_removed = -(xr * (t[k, ~keep] * s)[:, None]).sum(0)
            delta_vec = self.lam * m * w + grad_removed
            _, hess = logistic_grad_hess(w, xk, tk[k], self.lam * n_left)
            step = torch.linalg.solve(hess, delta_vec)
            new_w.append(w + step)
            bounds.append(0.25 * norm_x * step.norm() * (xk @ step).norm())
        bounds = torch.stack(bounds)
        self.x, self.y, self.ids = xk, self.y[keep], self.ids[keep]
        if ((self.spent + bounds) > self.budget).any():
            self.retrains += 1
            self._train()
            return {"retrained": True, "bound": float(bounds.max()), "spent": 0.0, "budget": self.budget}
        self.w = torch.stack(new_w)
        self.spent += bounds
        return {
            "retrained": False,
            "bound": float(bounds.max()),
            "spent": float(self.spent.max()),
            "budget": self.budget,
        }

    def remove_sequence(self, ids, batch: int = 1) -> dict:
        """Serve removal requests of `batch` points each (ids: indices into the data first fitted), in order,
        as Guo et al. do (one point per request). Returns the count of requests, retrains and the largest bound."""
        ids = [int(i) for i in ids]
        retrains, bounds = 0, []
        for start in range(0, len(ids), batch):
            wanted = torch.tensor(ids[start : start + batch])
            out = self.remove(torch.nonzero(torch.isin(self.ids, wanted)).flatten())
            retrains += out["retrained"]
            bounds.append(out["bound"])
        return {"requests": len(bounds), "retrains": retrains, "max_bound": max(bounds, default=0.0)}

    def gradient_residual(self) -> float:
        """max over classes of ||grad L_b(w; D_now)|| (what the bound bounds; 0 at an exact optimum)."""
        t = self._targets(self.y)
        n = len(self.y)
        return max(
            float(logistic_grad_hess(self.w[k], self.x, t[k], self.lam * n, self.b[k])[0].norm()) for k in range(self.k)
        )

    def decision(self, x):
        return x.to(torch.float64) @ self.w.T

    def predict_proba(self, x):
        return torch.softmax(self.decision(x), dim=1)
