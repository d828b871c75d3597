"""The survey's cost-vs-quality figure (PNG + PDF): every method's time to unlearn against its ToW."""

import pandas as pd

from unlearn.evaluation import load_records
from unlearn.exact.plots import cost_vs_quality
from unlearn.io import setup_logging
from unlearn.plots import configure

log = setup_logging(snakemake.log[0], "exact_figure")
configure(snakemake.params["style"])
cost_vs_quality(
    pd.DataFrame(load_records(snakemake.input["metrics"])), snakemake.output["png"], snakemake.output["pdf"]
)
log.info("wrote %s and %s", snakemake.output["png"], snakemake.output["pdf"])
