"""RUM's tables (paper 002): the RUM table (ToW, MIA gap per method x variant), the ES values of the ES sets and of
the memorization sets, the difficulty of every partition per method, and the memorization summary."""

import numpy as np
import pandas as pd

from unlearn.evaluation import load_records
from unlearn.io import load_json, save_text, setup_logging
from unlearn.regime import from_files as regime_line
from unlearn.rum import LEVELS, table_methods
from unlearn.rum import report as R
from unlearn.rum.entanglement import entanglement_score
from unlearn.tables import NOOP_NOTE, to_latex, to_markdown

log = setup_logging(snakemake.log[0], "rum_tables")
rum, scale, out = snakemake.params["rum"], snakemake.params["scale"], snakemake.output
paper = {
    p.rsplit("/", 1)[-1][4:-4]: pd.read_csv(p, keep_default_na=False, na_values=[""]) for p in snakemake.input["paper"]
}
records = R.records_frame(load_records([*snakemake.input["table"], *snakemake.input["difficulty"]]))
save_text(records.to_csv(index=False, float_format="%.6g"), out["records"])
regime = regime_line(snakemake.input["originals"], scale["seeds"], snakemake.input["labels"], records)
note = (f"Ours: {R.scale_text({**scale, 'n': rum['n'], 'memorization_models': rum['memorization']['models']})}. "
        "ToW: mean ± 95% t-interval half-width over seeds; MIA gap (MIA-efficacy, SVC on true-label confidence): "
        f"mean ± std. Paper: ResNet-18, forget set 3 x 1,000.\n\n{regime}")  # fmt: skip

table = R.rum_table(records, ["retrain", *table_methods(rum)], paper["table"], rum["select"])
table.to_csv(out["table_csv"], index=False)
display = R.rum_table_display(table)
marked = f"\n\n{NOOP_NOTE}" if (table["did_not_unlearn"] != "").any() else ""
save_text(to_markdown(display, "RUM (paper 002): ToW and MIA gap, vanilla / shuffle / RUM_F / RUM", note + marked),
          out["table_md"])  # fmt: skip
save_text(to_latex(display, "RUM: ToW and MIA gap per method and variant (ours beside the paper's)"), out["table_tex"])

es_records = [load_json(p) for p in snakemake.input["es_records"]]
es = R.es_values_table(es_records, paper["es_values"])
es.to_csv(out["es_csv"], index=False)
save_text(to_markdown(R.es_values_display(es), "RUM: ES of the low / medium / high ES forget sets",
                      note + " ES: mean ± std over seeds."), out["es_md"])  # fmt: skip

# ES of the memorization sets, on each seed's original-model embeddings
mem_sets = {}
for p in snakemake.input["mem_forget"]:
    rec = load_json(p)
    mem_sets.setdefault(rec["seed"], {})[rec["spec"]["level"]] = rec["indices"]
es_by_seed, seeds = [], []
for p in snakemake.input["embeddings"]:
    seed = int(p.rsplit("/s", 1)[-1].split("/")[0])
    emb = np.load(p)["embeddings"]
    es_by_seed.append({lv: entanglement_score(emb, mem_sets[seed][lv]) for lv in LEVELS})
    seeds.append(seed)
save_text(R.es_per_seed(es_records, es_by_seed, seeds).to_csv(index=False, float_format="%.6g"), out["es_per_seed"])
summary = load_json(snakemake.input["memorization"])
esmem = R.es_by_memorization_table(es_by_seed, summary["level_mem_mean"], paper["es_by_memorization"])
esmem.to_csv(out["esmem_csv"], index=False)
save_text(to_markdown(R.es_by_memorization_display(esmem), "RUM: ES of the low / medium / high memorization sets",
                      note + " ES: mean ± std over seeds."), out["esmem_md"])  # fmt: skip

difficulty = R.difficulty_table(records, ["retrain", *rum["difficulty"]])
difficulty.to_csv(out["difficulty_csv"], index=False)
save_text(to_markdown(R.difficulty_display(difficulty), "RUM: difficulty of each forget set (ToW of each method alone)",
                      note), out["difficulty_md"])  # fmt: skip

mem = R.memorization_table(summary)
mem.to_csv(out["memorization_csv"], index=False)
save_text(
    to_markdown(R.memorization_display(mem), "RUM: memorization scores and proxies", note), out["memorization_md"]
)
log.info("RUM table:\n%s", display.to_string(index=False))
