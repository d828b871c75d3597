"""paper_comparison.md: every paper's claims and headline numbers against this run, in one table."""

import pandas as pd

from unlearn.comparison import comparison_markdown
from unlearn.io import save_text, setup_logging

log = setup_logging(snakemake.log[0], "paper_comparison")
frames = [pd.read_csv(p, keep_default_na=False, na_values=[""]) for p in snakemake.input["claims"]]
claims = pd.concat(frames, ignore_index=True)
for col in ("paper_value", "ours", "basis"):
    claims[col] = claims[col].fillna("")
regime = claims[claims["paper"] == "Regime (all papers)"]
head = regime[regime["id"].isin(["regime.original_fits", "regime.gold_fits"])]
regime_text = "Regime: " + "; ".join(f"{r.claim}: {r.ours} ({r.verdict})" for r in head.itertuples()) + "."
save_text(claims.to_csv(index=False, float_format="%.6g"), snakemake.output["csv"])
text = comparison_markdown(claims, dict(snakemake.params["scales"]), regime_text, snakemake.params["header"])
save_text(text, snakemake.output["md"])
log.info("\n%s", text)
