"""RUM's claims (paper 002), each judged on per-seed numbers -> results/tables/rum_claims.{md,csv}."""

import pandas as pd

from unlearn import claims as C
from unlearn.io import save_text, setup_logging
from unlearn.regime import from_files as regime_line
from unlearn.reporting import claims_markdown
from unlearn.rum import report as R

log = setup_logging(snakemake.log[0], "rum_claims")
inp, params = snakemake.input, snakemake.params
paper = {p.rsplit("/", 1)[-1][4:-4]: pd.read_csv(p, keep_default_na=False, na_values=[""]) for p in inp["paper"]}
records = pd.read_csv(inp["records"])
rows = R.claims(records, pd.read_csv(inp["es"]), params["rum"], paper) + R.untested(params["scale"]["dataset"])
regime = regime_line(inp["originals"], params["scale"]["seeds"], inp["labels"], records)
text = claims_markdown(rows, title=R.CLAIMS_TITLE, why=R.WHY, scale=R.claims_scale(params["scale"]), regime=regime)
save_text(C.frame(rows).to_csv(index=False, float_format="%.6g"), snakemake.output["csv"])
save_text(text, snakemake.output["md"])
log.info("\n%s", text)
