"""Make tests/conformance/lira_privacyguard.npz: fixed LiRA inputs and what PrivacyGuard's LiRA computes on them.

PrivacyGuard (facebookresearch/PrivacyGuard, PyPI `privacyguard-platform` 0.0.2) is the published LiRA that installs
from PyPI; its dependencies include transformers and accelerate, so this script does not install it: it downloads
the wheel alone (`pip download --no-deps`), unpacks it in a temporary folder and imports the two modules it needs
(`attacks/lira_attack.py`: pandas + scipy; `analysis/mia/mia_results.py`: torch + scikit-learn, already pinned).

On seeded inputs (K shadows on random halves of D, per-example in/out Gaussians, a target model's phi) it feeds
PrivacyGuard the per-example means and standard deviations our `lira.fit_shadows` computes, runs its online attack
(`online_attack=True, use_fixed_variance=False`) and its ROC metrics, and stores inputs and outputs. The test
(tests/test_conformance.py::test_lira_matches_privacyguard) recomputes ours from the inputs alone.

    .venv/bin/python bench/lira_conformance.py            # writes the fixture (network: PyPI)
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
OUT = ROOT / "tests" / "conformance" / "lira_privacyguard.npz"
WHEEL = "privacyguard-platform==0.0.2"


def inputs(seed: int = 0) -> dict:
    rng = np.random.default_rng(seed)
    k, n, m, n_f = 16, 200, 150, 60
    mu = rng.normal(0, 2, n + m)
    in_mask = rng.random((k, n)) < 0.5
    in_all = np.concatenate([in_mask, np.zeros((k, m), bool)], axis=1)
    phi = mu + rng.normal(0, 1, (k, n + m)) + 2.5 * in_all
    target = mu + rng.normal(0, 1, n + m)
    forget = np.sort(rng.choice(n, n_f, replace=False))
    target[forget[: n_f // 2]] += 2.5  # half of D_f still remembered
    return {"in_mask": in_mask, "phi": phi[:, :n], "phi_test": phi[:, n:], "target_train": target[:n],
            "target_test": target[n:], "forget_idx": forget}  # fmt: skip


def privacyguard(z: dict, fit: dict) -> dict:
    import pandas as pd
    import torch
    from privacy_guard.analysis.mia.aggregate_analysis_input import AggregationType
    from privacy_guard.analysis.mia.mia_results import MIAResults
    from privacy_guard.attacks.lira_attack import LiraAttack

    n_f = len(z["forget_idx"])

    def frame(rows, target):
        return pd.DataFrame({"user_id": np.arange(len(rows)), "score_orig": target,
                             "score_mean_in": fit["mu_in"][rows], "score_std_in": fit["sd_in"][rows],
                             "score_mean_out": fit["mu_out"][rows], "score_std_out": fit["sd_out"][rows]})  # fmt: skip

    rows_f, rows_t = np.arange(n_f), n_f + np.arange(len(z["target_test"]))
    target = np.concatenate([z["target_train"][z["forget_idx"]], z["target_test"]])
    attack = LiraAttack(frame(rows_f, target[rows_f]), frame(rows_t, target[rows_t]), AggregationType.NONE,
                        online_attack=True, use_fixed_variance=False)  # fmt: skip
    result = attack.run_attack()
    s_f, s_t = result.df_train_merge["score"].to_numpy(), result.df_test_merge["score"].to_numpy()
    mia = MIAResults(torch.tensor(s_f), torch.tensor(s_t))
    tpr, fpr = mia.get_tpr_fpr()
    idx = mia._get_indices_of_error_at_thresholds(fpr, np.array([0.01, 0.001]), "fpr")
    _, auc, _ = mia.compute_acc_auc_epsilon(delta=0.0)
    return {"pg_score_forget": s_f, "pg_score_test": s_t, "pg_tpr_1": tpr[idx[0]], "pg_tpr_01": tpr[idx[1]],
            "pg_auc": auc}  # fmt: skip


def main() -> int:
    from unlearn import lira as L

    z = inputs()
    rows = np.concatenate([z["forget_idx"], len(z["target_train"]) + np.arange(len(z["target_test"]))])
    mask = np.concatenate([z["in_mask"], np.zeros_like(z["phi_test"], dtype=bool)], axis=1)
    fit = L.fit_shadows(np.concatenate([z["phi"], z["phi_test"]], axis=1), mask, min_models=2)
    fit = {k: v[rows] for k, v in fit.items() if isinstance(v, np.ndarray)}
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run([sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", WHEEL, "-d", tmp], check=True)
        wheel = next(Path(tmp).glob("*.whl"))
        with zipfile.ZipFile(wheel) as zf:
            zf.extractall(Path(tmp) / "pkg")
        sys.path.insert(0, str(Path(tmp) / "pkg"))
        out = privacyguard(z, fit)
    OUT.parent.mkdir(parents=True, exist_ok=True)
    np.savez(OUT, **z, **out, source=np.array(f"{WHEEL} ({wheel.name})"))
    print(f"{OUT.relative_to(ROOT)}: TPR@1% {out['pg_tpr_1']:.4f}, TPR@0.1% {out['pg_tpr_01']:.4f}, "
          f"AUC {out['pg_auc']:.4f} (PrivacyGuard, online LiRA)")  # fmt: skip
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
