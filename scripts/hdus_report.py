"""HDUS's tables (the network around the departure; each remaining client) and the survey's claims about it."""

import pandas as pd

from unlearn import claims as C
from unlearn.evaluation import load_records
from unlearn.hdus.report import (
    CLAIMS_NOTE,
    CLAIMS_TITLE,
    WHY,
    claims,
    client_table,
    display_clients,
    display_network,
    network_table,
)
from unlearn.io import load_json, save_text, setup_logging
from unlearn.reporting import claims_markdown
from unlearn.tables import to_markdown

log = setup_logging(snakemake.log[0], "hdus_report")
long = pd.DataFrame(load_records(snakemake.input["metrics"]))
departures = [load_json(p) for p in snakemake.input["departures"]]
scale = snakemake.params["scale"]
net, clients = network_table(long, departures), client_table(departures)
note = (
    f"{scale}.\n\nMean over seeds. D_f = the departed client's data, D_r = the other clients' data. Each row is the "
    "network of the remaining clients (the mean of their predictions). Time: HDUS = dropping the seed model and "
    "recomputing the remaining clients' predictions; Retrain = training every affected client (those whose "
    "ensemble held the departed seed model) from scratch. Exact: the remaining clients' predictions after the "
    "departure equal the retrained network's. MIA: MIA-efficacy on the departed client's data."
)
save_text(net.to_csv(index=False, float_format="%.6g"), snakemake.output["csv"])
save_text(to_markdown(display_network(net), "HDUS: a client leaves the network (survey, paper 003)", note),
          snakemake.output["md"])  # fmt: skip
clients_note = (
    f"{scale}.\n\nMean over seeds. Each remaining client's accuracy with its main model alone and with its "
    "ensemble (main model + neighbours' seed models) before and after the departure, on D_test and on the "
    "departed client's data. Affected: its ensemble held the departed client's seed model. Seed model: its own test "
    "accuracy and how often it predicts what its main model predicts (D_test)."
)
save_text(clients.to_csv(index=False, float_format="%.6g"), snakemake.output["clients_csv"])
save_text(to_markdown(display_clients(clients), "HDUS: the remaining clients", clients_note),
          snakemake.output["clients_md"])  # fmt: skip
log.info("\n%s\n%s", display_network(net).to_string(index=False), display_clients(clients).to_string(index=False))
rows = claims(departures)
save_text(C.frame(rows).to_csv(index=False, float_format="%.6g"), snakemake.output["claims_csv"])
save_text(claims_markdown(rows, title=CLAIMS_TITLE, why=WHY, scale=f"{scale}.", note=CLAIMS_NOTE),
          snakemake.output["claims_md"])  # fmt: skip
