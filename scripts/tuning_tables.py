"""Gather every trials job's record into tuning.{csv,md} (every trial), tuned.{csv,md} (the choices beside the
configured values) and the figure of each method's objective over its trials."""

from unlearn.io import load_json, save_text, setup_logging
from unlearn.plots import configure
from unlearn.tuning import report

log = setup_logging(snakemake.log[0], "tuning_tables")
params, out = snakemake.params, snakemake.output
results = [load_json(p) for p in snakemake.input["records"]]
header = report.header(params["objective"], params["seed"], params["validation"])
trials, chosen = report.trials_frame(results), report.chosen_frame(results)
save_text(trials.to_csv(index=False, float_format="%.6g"), out["trials_csv"])
save_text(report.trials_markdown(trials, params["objective"], header), out["trials_md"])
save_text(chosen.to_csv(index=False, float_format="%.6g"), out["tuned_csv"])
save_text(report.chosen_markdown(chosen, params["objective"], header), out["tuned_md"])
configure(params["style"])
report.figure(trials, params["objective"], out["png"], out["pdf"])
log.info("%d trials of %d (method, validation set) pairs\n%s", len(trials), len(chosen), chosen.to_string(index=False))
