"""Render the baselines figure (PNG + PDF) from the long metrics table."""

import pandas as pd

from unlearn.io import setup_logging
from unlearn.plots import baselines_figure, configure

log = setup_logging(snakemake.log[0], "baselines_figure")
configure(snakemake.params["style"])
long = pd.read_csv(snakemake.input["long"])
baselines_figure(long, snakemake.output["png"], snakemake.output["pdf"])
log.info("wrote %s and %s", snakemake.output["png"], snakemake.output["pdf"])
