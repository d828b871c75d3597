"""The survey's exact methods beside the gold and original models (table) and the survey's claims."""

import pandas as pd

from unlearn import claims as C
from unlearn.evaluation import load_records
from unlearn.exact.report import CLAIMS_NOTE, CLAIMS_TITLE, claims, display, exact_table, why
from unlearn.io import load_json, save_text, setup_logging
from unlearn.regime import from_files as regime_line
from unlearn.reporting import claims_markdown
from unlearn.tables import to_markdown

log = setup_logging(snakemake.log[0], "exact_report")
long = pd.DataFrame(load_records(snakemake.input["metrics"]))
runs = [load_json(p) for p in snakemake.input["runs"]]
exact_long = long[long["scenario"].isin(snakemake.params["scenarios"])]
table = exact_table(exact_long, runs)
shown = display(table)
regime = regime_line(snakemake.input["originals"], snakemake.params["seeds"], snakemake.input["labels"], exact_long)
note = (
    f"{snakemake.params['scale']}.\n\n{regime}\n\nMean over seeds. Time to unlearn: the method's forgetting step; "
    "time to "
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
paper = pd.read_csv(snakemake.input["paper"])
rows = claims(runs, exact_long, paper)
save_text(C.frame(rows).to_csv(index=False, float_format="%.6g"), snakemake.output["claims_csv"])
text = claims_markdown(rows, title=CLAIMS_TITLE, why=why(paper), scale=f"{snakemake.params['scale']}.", regime=regime,
                       note=CLAIMS_NOTE)  # fmt: skip
save_text(text, snakemake.output["claims_md"])
