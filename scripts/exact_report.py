"""The survey's exact methods beside the gold and original models (table), and every method's time to
unlearn against its ToW (figure)."""

import pandas as pd

from unlearn.evaluation import load_records
from unlearn.exact.report import cost_vs_quality, display, exact_table
from unlearn.io import load_json, save_text, setup_logging
from unlearn.tables import to_markdown

log = setup_logging(snakemake.log[0], "exact_report")
long = pd.DataFrame(load_records(snakemake.input["metrics"]))
runs = [load_json(p) for p in snakemake.input["runs"]]
table = exact_table(long[long["scenario"].isin(snakemake.params["scenarios"])], runs)
shown = display(table)
note = (
    f"{snakemake.params['scale']}. Mean over seeds. Time to unlearn: the method's forgetting step; time to "
    "retrain: training that same model from scratch on D_r (for Retrain, the network's retraining). "
    "Certified removal and the naive Bayes run on the original network's frozen features, so their "
    "certificate / exactness covers the linear head only (the features saw D_f), and their accuracies are "
    "those of a linear head, not of the network. Certified removal serves D_f as single-point requests (time: "
    "their total; retrains: requests whose bound would pass the budget). MIA: MIA-efficacy (share of D_f "
    "predicted non-member)."
)
save_text(table.to_csv(index=False, float_format="%.6g"), snakemake.output["csv"])
save_text(to_markdown(shown, "Exact and certified unlearning (survey, paper 003)", note), snakemake.output["md"])
log.info("\n%s", shown.to_string(index=False))
cost_vs_quality(long, snakemake.output["png"], snakemake.output["pdf"])
