"""TMU (paper 001): each claim of the paper, checked against our tables -> results/tables/tmu_claims.md."""

from pathlib import Path

import pandas as pd

from unlearn.io import save_text, setup_logging
from unlearn.tmu import report as R

log = setup_logging(snakemake.log[0], "tmu_claims")
inp, params = snakemake.input, snakemake.params
paper = {Path(p).stem: R.load_paper(p) for p in inp["paper"]}
fig3 = pd.read_csv(inp["fig3"]) if inp.get("fig3") else None
text = R.claims(
    pd.read_csv(inp["main"]),
    pd.read_csv(inp["t3"]),
    pd.read_csv(inp["t4"]),
    fig3,
    paper,
    params["table"],
    params["scale"],
)
save_text(text, snakemake.output[0])
log.info("\n%s", text)
