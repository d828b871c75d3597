"""The run's regime: how well every original and gold model fits its training data, and the consequences that
must then show (forgotten class at ~0, the memorization gap, MIA telling original from gold) ->
results/tables/regime.{csv,md} and the regime's claims rows (read by paper_comparison)."""

import numpy as np
import pandas as pd

from unlearn import claims as C
from unlearn.comparison import TITLE, WHY, regime_claims, regime_table
from unlearn.evaluation import load_records
from unlearn.io import load_json, save_text, setup_logging
from unlearn.regime import original_stats
from unlearn.reporting import claims_markdown

log = setup_logging(snakemake.log[0], "regime")
inp, params = snakemake.input, snakemake.params
labels = np.load(inp["labels"])
originals = original_stats([np.load(p) for p in inp["originals"]], params["seeds"], labels["train"], labels["test"])
records = pd.DataFrame(load_records(inp["metrics"]))
records = records[records["method"].isin(["original", "retrain"])]
memorization = load_json(inp["memorization"]) if inp.get("memorization") else None
rows = regime_claims(records, originals, dict(params["kinds"]), memorization)
table = regime_table(originals, records)
save_text(table.to_csv(index=False, float_format="%.6g"), snakemake.output["csv"])
save_text(C.frame(rows).to_csv(index=False, float_format="%.6g"), snakemake.output["claims"])
shown = pd.DataFrame({"Model": table["model"], "Scenario": table["scenario"], "Seed": table["seed"],
                      "Train acc (%)": (100 * table["train_acc"]).round(1),
                      "Test acc (%)": (100 * table["test_acc"]).round(1)})  # fmt: skip
text = claims_markdown(rows, title=TITLE, why=WHY, scale=params["scale"])
text += f"\n## Every original and gold model\n\n{shown.to_markdown(index=False)}\n"
save_text(text, snakemake.output["md"])
log.info("\n%s", text)
