"""TMU Fig. 3 (PNG + PDF) from its per-seed label-accuracy records."""

import numpy as np
import pandas as pd

from unlearn.io import setup_logging
from unlearn.plots import configure, tmu_fig3
from unlearn.tmu import report as R

log = setup_logging(snakemake.log[0], "tmu_figure")
configure(snakemake.params["style"])
long = pd.read_csv(snakemake.input["records"])
names = np.load(snakemake.input["labels"])["class_names"].tolist()
tmu_fig3(long, R.class_label(int(long["class"].iloc[0]), names), snakemake.output["png"], snakemake.output["pdf"])
log.info("wrote %s and %s", snakemake.output["png"], snakemake.output["pdf"])
