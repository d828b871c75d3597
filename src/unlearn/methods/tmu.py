"""TMU's unlearning step (paper 001, §4): D_f is split by the generalization-label classifier into
predicted-easy samples (the gold model would still classify them right; they keep their labels) and
predicted-hard ones (which are made to be forgotten). Then, as Random Labeling does, the original model is
trained on D_r + easy samples with their labels + hard samples with random wrong labels (hard="random_label",
the paper's default), or with gradient ascent on the hard samples (hard="neggrad":
loss = alpha * CE(D_r + easy batch) - (1 - alpha) * CE(hard batch)).

The split comes in `data.forget_easy` (the `tmu_partition` rule's output, made only on TMU's scenarios); without
it this raises. Configured under `methods.tmu`; it runs only in the `tmu:` experiment.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F

from ..training import optimize
from .base import Paired, UnlearnData, cross_entropy_epochs, random_other_labels

REQUIRED = ()
OPTIONAL = ("hard", "alpha")  # defaults random_label, 0.95
CHOICES = {"hard": ("random_label", "neggrad")}
NEEDS = ("forget_easy",)
# tuned as the method its `hard` key names (default random_label): that method's choice (tuning/__init__.py)
TUNE_FROM = ("hard", "random_label")


def unlearn(model, data: UnlearnData, hp: dict, *, seed: int):
    if data.forget_easy is None:
        raise ValueError("tmu: needs the predicted easy/hard split of D_f (data.forget_easy)")
    easy = torch.as_tensor(data.forget_easy, dtype=torch.bool).cpu()
    xf, yf = data.forget
    if len(easy) != len(yf):
        raise ValueError(f"tmu: {len(easy)} easy/hard labels for {len(yf)} forget samples")
    xr, yr = data.retain
    keep_x, keep_y = torch.cat([xr, xf[easy]]), torch.cat([yr, yf[easy]])
    hard_x, hard_y = xf[~easy], yf[~easy]
    mode = hp.get("hard", "random_label")
    if mode == "random_label" or len(hard_y) == 0:
        x = torch.cat([keep_x, hard_x])
        y = torch.cat([keep_y, random_other_labels(hard_y, data.num_classes, seed)])
        cross_entropy_epochs(model, data, x, y, hp, seed=seed, tag="tmu")
        return model
    if mode != "neggrad":
        raise ValueError(f"tmu: unknown hard-sample treatment '{mode}'; allowed: random_label, neggrad")
    alpha = float(hp.get("alpha", 0.95))
    paired = Paired(
        data.loader(keep_x, keep_y, hp["batch_size"], seed), data.loader(hard_x, hard_y, hp["batch_size"], seed + 1)
    )

    def loss_fn(batch):
        (xk, yk), (xh, yh) = batch
        return alpha * F.cross_entropy(model(xk), yk) - (1 - alpha) * F.cross_entropy(model(xh), yh)

    optimize(model, lambda epoch: paired, loss_fn, hp, tag="tmu")
    return model
