"""RUM's claims (paper 002), each marked supported or not by our numbers, with the scale stated."""

import pandas as pd

from unlearn.io import save_text, setup_logging
from unlearn.rum.report import claims

log = setup_logging(snakemake.log[0], "rum_claims")
inp = snakemake.input
text = claims(
    pd.read_csv(inp["table"]),
    pd.read_csv(inp["es"]),
    pd.read_csv(inp["esmem"]),
    pd.read_csv(inp["difficulty"]),
    snakemake.params["scale"],
)
save_text(text, snakemake.output[0])
log.info("\n%s", text)
