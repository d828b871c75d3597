"""Summation-form exact unlearning (Cao & Yang 2015): a model whose training is a sum of per-sample
statistics, so forgetting a sample subtracts its terms and gives exactly the model trained without it.

Gaussian naive Bayes on frozen features: per class the count, the feature sums and the sums of squares
(float64). `forget` subtracts the removed samples' statistics; tests/test_exact.py checks the result
equals a fit on D_r from scratch to numerical precision.
"""

from __future__ import annotations

import torch


class SummationNB:
    """Gaussian naive Bayes kept as sums: n_c, sum_c x, sum_c x^2 (var_smoothing as in scikit-learn)."""

    def __init__(self, num_classes: int, var_smoothing: float = 1e-9):
        self.k, self.var_smoothing = int(num_classes), float(var_smoothing)
        self.count = self.total = self.squares = None

    def _stats(self, x: torch.Tensor, y: torch.Tensor):
        x = x.to(torch.float64)
        onehot = torch.nn.functional.one_hot(y.long(), self.k).to(torch.float64)  # n x k
        return onehot.sum(0), onehot.T @ x, onehot.T @ (x * x)

    def fit(self, x: torch.Tensor, y: torch.Tensor) -> SummationNB:
        self.count, self.total, self.squares = self._stats(x, y)
        return self

    def forget(self, x: torch.Tensor, y: torch.Tensor) -> SummationNB:
        """Remove samples (x, y) that were part of the fit: subtract their statistics."""
        c, s, q = self._stats(x, y)
        if (c > self.count).any():
            raise ValueError("forget: more samples of a class than were fitted")
        self.count, self.total, self.squares = self.count - c, self.total - s, self.squares - q
        return self

    def log_proba(self, x: torch.Tensor) -> torch.Tensor:
        x = x.to(torch.float64)
        n = self.count.clamp(min=1)[:, None]
        mean = self.total / n
        # the smoothing scale (largest feature variance of the data), itself from the sums
        big_n = self.count.sum()
        overall = self.squares.sum(0) / big_n - (self.total.sum(0) / big_n) ** 2
        var = (self.squares / n - mean * mean).clamp(min=0) + self.var_smoothing * float(overall.max())
        prior = torch.log(self.count.clamp(min=1e-300) / self.count.sum())
        ll = -0.5 * (
            torch.log(2 * torch.pi * var).sum(1)[None, :] + ((x[:, None, :] - mean[None]) ** 2 / var[None]).sum(2)
        )
        ll = ll + prior[None, :]
        ll[:, self.count == 0] = -torch.inf  # a class with no samples left is never predicted
        return ll - torch.logsumexp(ll, dim=1, keepdim=True)

    def predict_proba(self, x: torch.Tensor) -> torch.Tensor:
        return self.log_proba(x).exp()

    def state(self) -> dict:
        return {"count": self.count, "total": self.total, "squares": self.squares}
