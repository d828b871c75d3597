"""The spiking network's table and figure (accuracy loss against the share unlearned, and recovery) and the
survey's claims about unlearning in SNNs."""

import pandas as pd

from unlearn import claims as C
from unlearn.evaluation import load_records
from unlearn.io import load_json, save_text, setup_logging
from unlearn.plots import configure
from unlearn.reporting import claims_markdown
from unlearn.snn import report
from unlearn.tables import to_markdown

log = setup_logging(snakemake.log[0], "snn_report")
configure(snakemake.params["style"])
runs = [load_json(p) for p in snakemake.input["runs"]]
long = report.with_share(pd.DataFrame(load_records(snakemake.input["metrics"])), runs, snakemake.params["kinds"])
tab = report.table(long)
scale = snakemake.params["scale"]
note = (
    f"{scale}.\n\nMean over seeds; every model is a spiking network, scored against the SNN retrained from scratch "
    "on D_r (the gold model). Time: the unlearning's three phases (with recovery: plus the recovery epochs on D_r). "
    "MIA: MIA-efficacy on D_f."
)
save_text(tab.to_csv(index=False, float_format="%.6g"), snakemake.output["csv"])
save_text(to_markdown(report.display(tab), "Unlearning in a spiking network (survey, paper 003)", note),
          snakemake.output["md"])  # fmt: skip
log.info("\n%s", report.display(tab).to_string(index=False))
report.figure(long, snakemake.output["png"], snakemake.output["pdf"])
rows = report.claims(long)
save_text(C.frame(rows).to_csv(index=False, float_format="%.6g"), snakemake.output["claims_csv"])
save_text(claims_markdown(rows, title=report.CLAIMS_TITLE, why=report.WHY, scale=scale), snakemake.output["claims_md"])
