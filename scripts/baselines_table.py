"""Gather every (scenario, seed, method) metric record into results/tables/baselines.{csv,md,tex}."""

import pandas as pd

from unlearn.evaluation import load_records
from unlearn.io import save_text, setup_logging
from unlearn.regime import from_files as regime_line
from unlearn.tables import aggregate, display_table, method_order, noop_note, scale_note, to_latex, to_markdown

log = setup_logging(snakemake.log[0], "baselines_table")
scenarios, methods = list(snakemake.params["scenarios"]), method_order(list(snakemake.params["methods"]))
long = pd.DataFrame(load_records(snakemake.input["metrics"]))
long = long[long["method"].isin(methods)]  # SMU's methods share these scenarios' metric files
long["scenario"] = pd.Categorical(long["scenario"], scenarios, ordered=True)  # config order, gold first
long["method"] = pd.Categorical(long["method"], methods, ordered=True)
long = long.sort_values(["scenario", "method", "seed"]).reset_index(drop=True)
save_text(long.to_csv(index=False), snakemake.output["long"])

agg = aggregate(long, scenarios, methods)
display = display_table(agg)
regime = regime_line(snakemake.input["originals"], snakemake.params["scale"]["seeds"], snakemake.input["labels"], long)
note = scale_note(snakemake.params["scale"]) + f"\n\n{regime}"
note += f"\n\n{noop_note(agg)}" if noop_note(agg) else ""
save_text(agg.to_csv(index=False, float_format="%.6g"), snakemake.output["csv"])
save_text(to_markdown(display, "Unlearning baselines", note), snakemake.output["md"])
save_text(to_latex(display, "Unlearning baselines. " + note), snakemake.output["tex"])
log.info("%d rows (%d records)\n%s", len(agg), len(long), display.to_string(index=False))
