"""SMU's logit-dispersion figure (PNG + PDF) from the per-sample dispersion records."""

import pandas as pd

from unlearn.io import setup_logging
from unlearn.plots import configure
from unlearn.smu.plots import logit_dispersion

log = setup_logging(snakemake.log[0], "smu_dispersion_figure")
configure(snakemake.params["style"])
logit_dispersion(pd.read_csv(snakemake.input["samples"]), snakemake.output["png"], snakemake.output["pdf"])
log.info("wrote %s and %s", snakemake.output["png"], snakemake.output["pdf"])
