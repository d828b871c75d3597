"""RUM's figures (paper 002): ES partitions in embedding space (first RUM seed), ToW per partition, memorization."""

import numpy as np
import pandas as pd

from unlearn.io import load_json, setup_logging
from unlearn.plots import configure
from unlearn.rum import plots

log = setup_logging(snakemake.log[0], "rum_figures")
configure(snakemake.params["style"])
out = snakemake.output
emb = np.load(snakemake.input["embeddings"])
forget, es = {}, {}
for p in snakemake.input["es_forget"]:
    rec = load_json(p)
    forget[rec["spec"]["level"]], es[rec["spec"]["level"]] = np.asarray(rec["indices"]), rec["es"]
plots.es_partitions(emb["pca"], forget, es, out["es_png"], out["es_pdf"])
plots.difficulty(pd.read_csv(snakemake.input["difficulty"]), out["difficulty_png"], out["difficulty_pdf"])
plots.memorization(dict(np.load(snakemake.input["scores"])), out["mem_png"], out["mem_pdf"])
log.info("wrote %s", ", ".join(str(p) for p in out))
