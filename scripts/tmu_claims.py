"""TMU (paper 001): each claim of the paper, judged on per-seed numbers -> results/tables/tmu_claims.{md,csv}."""

from pathlib import Path

import pandas as pd

from unlearn import claims as C
from unlearn.io import save_text, setup_logging
from unlearn.regime import from_files as regime_line
from unlearn.reporting import claims_markdown
from unlearn.tmu import claims as TC
from unlearn.tmu import report as R

log = setup_logging(snakemake.log[0], "tmu_claims")
inp, params = snakemake.input, snakemake.params
paper = {Path(p).stem: R.load_paper(p) for p in inp["paper"]}
records = pd.read_csv(inp["records"])
labels = pd.read_csv(inp["label_records"])
fig3 = pd.read_csv(inp["fig3"]) if inp.get("fig3") else None
rows = TC.claims(records, labels, fig3, paper, params["table"]) + TC.untested(params["scale"]["dataset"])
regime = regime_line(inp["originals"], params["scale"]["seeds"], inp["labels"], records)
one_label = float(labels.loc[labels["source"] == "all_easy", "one_label_twin"].mean())
text = claims_markdown(rows, title=TC.CLAIMS_TITLE, why=TC.WHY, scale=TC.claims_scale(params["scale"]), regime=regime,
                       note=TC.claims_note(one_label))  # fmt: skip
save_text(C.frame(rows).to_csv(index=False, float_format="%.6g"), snakemake.output["csv"])
save_text(text, snakemake.output["md"])
log.info("\n%s", text)
