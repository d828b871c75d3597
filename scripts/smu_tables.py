"""SMU's tables (paper 000): one per setting, our numbers beside the paper's, and the claims."""

import pandas as pd

from unlearn import claims as C
from unlearn.evaluation import load_records
from unlearn.io import save_text, setup_logging
from unlearn.regime import from_files as regime_line
from unlearn.reporting import claims_markdown
from unlearn.smu import TITLES
from unlearn.smu.report import (
    CLAIMS_NOTE,
    CLAIMS_TITLE,
    WHY,
    claims,
    claims_scale,
    load_paper,
    scale_note,
    setting_table,
    untested,
)
from unlearn.tables import noop_note, to_latex, to_markdown

log = setup_logging(snakemake.log[0], "smu_tables")
params = snakemake.params
long = pd.DataFrame(load_records(snakemake.input["metrics"]))
paper = load_paper(snakemake.input["paper"])
scale = params["scale"]
regime = regime_line(snakemake.input["originals"], scale["seeds"], snakemake.input["labels"], long)
tables = {}
for setting, scenario in params["settings"].items():
    agg, display = setting_table(long, setting, scenario, params["methods"], paper)
    tables[setting] = agg
    note = scale_note(scale, setting, params["scenario_specs"][scenario]) + f"\n\n{regime}"
    note += f"\n\n{noop_note(agg)}" if noop_note(agg) else ""
    title = f"SMU, {TITLES[setting]} forgetting"
    save_text(agg.to_csv(index=False, float_format="%.6g"), snakemake.output[f"{setting}_csv"])
    save_text(to_markdown(display, title, note), snakemake.output[f"{setting}_md"])
    save_text(to_latex(display, f"{title}. {note}"), snakemake.output[f"{setting}_tex"])
    log.info("%s\n%s", setting, display.to_string(index=False))
dispersion = pd.read_csv(snakemake.input["dispersion"]) if snakemake.input.get("dispersion") else None
rows = claims(long, dict(params["settings"]), list(params["methods"]), paper, dispersion)
rows += untested(scale["dataset"])
text = claims_markdown(rows, title=CLAIMS_TITLE, why=WHY, scale=claims_scale(scale), regime=regime, note=CLAIMS_NOTE)
save_text(C.frame(rows).to_csv(index=False, float_format="%.6g"), snakemake.output["claims_csv"])
save_text(text, snakemake.output["claims"])
log.info("\n%s", text)
