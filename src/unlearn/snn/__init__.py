"""Unlearning in spiking neural networks (survey, paper 003; Wang et al. 2023): the plan of the DAG.

The spiking network (models/snn.py) gets its own original model per seed and, on each `snn.scenarios` entry
(scenario `snn_<name>`, a forget set like any other), a gold model retrained from scratch on D_r, a fine-tuned
model, the three-phase unlearning and the unlearning followed by recovery on D_r. The ordinary `evaluate` rule
scores them against the SNN's own gold model.
"""

PREFIX = "snn_"
GOLD = "snn_retrain"
ORIGINAL = "snn_original"
METHODS = ["snn_finetune", "snn_unlearn", "snn_recover"]  # besides the gold and the original
NAMES = {
    "snn_retrain": "Retrain (SNN, gold)",
    "snn_original": "Original (SNN)",
    "snn_finetune": "Fine-tune (SNN)",
    "snn_unlearn": "SNN unlearning (3 phases)",
    "snn_recover": "SNN unlearning + recovery",
}


def scenarios(cfg: dict | None) -> dict:
    """{snn_<name>: spec} of the SNN experiment (empty when `snn` is not configured)."""
    return {f"{PREFIX}{name}": dict(spec) for name, spec in (cfg or {}).get("scenarios", {}).items()}


def models() -> list[str]:
    """The models evaluated on an SNN scenario, gold first."""
    return [GOLD, ORIGINAL, *METHODS]
