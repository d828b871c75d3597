"""TMU's tables (paper 001): Table 1 (or 2 on CIFAR-100), Table 3 and Table 4, ours beside the paper's."""

from pathlib import Path

import numpy as np
import pandas as pd

from unlearn.evaluation import load_records
from unlearn.io import load_json, save_text, setup_logging
from unlearn.regime import from_files as regime_line
from unlearn.tables import to_latex
from unlearn.tmu import report as R

log = setup_logging(snakemake.log[0], "tmu_tables")
inp, out, params = snakemake.input, snakemake.output, snakemake.params
table, methods, scale = params["table"], list(params["methods"]), params["scale"]
labels = np.load(inp["labels"])
class_names = labels["class_names"].tolist()
paper = {Path(p).stem: R.load_paper(p) for p in inp["paper"]}
records = pd.DataFrame(load_records(inp["metrics"]))
regime = regime_line(inp["originals"], scale["seeds"], inp["labels"], records)
dataset, scale_text = scale["dataset"], f"{R.scale_text(scale)}\n\n{regime}"
save_text(records.to_csv(index=False, float_format="%.6g"), out["records"])
main_csv, main_disp, note = R.main_table(records, methods, class_names, dataset, paper[table], table)
number = table.removeprefix("tmu_table")
save_text(main_csv.to_csv(index=False, float_format="%.6g"), out["main_csv"])
save_text(
    R.markdown(f"TMU Table {number}: sub-class forgetting, alignment with the gold model", scale_text, note, main_disp),
    out["main_md"],
)
save_text(to_latex(main_disp, f"TMU Table {number}. {note} {scale_text}"), out["main_tex"])
log.info("Table %s\n%s", number, main_disp.to_string(index=False))

t3_csv, t3_disp, note = R.activation_table(records, methods, class_names, dataset, paper["tmu_table3"])
save_text(t3_csv.to_csv(index=False, float_format="%.6g"), out["t3_csv"])
save_text(
    R.markdown("TMU Table 3: activation distance to the gold model on D_f", scale_text, note, t3_disp), out["t3_md"]
)
log.info("Table 3\n%s", t3_disp.to_string(index=False))

partitions = [load_json(p) for p in inp["partitions"]]
forgets = [load_json(p) for p in inp["forget"]]
gold = [np.load(p)["train"] for p in inp["retrain"]]
models = {m: [np.load(p)["train"] for p in inp[m]] for m in ("tmu", "bad_teacher") if inp.get(m)}
label_long = R.label_records(partitions, forgets, gold, labels["train"], models)
save_text(label_long.to_csv(index=False, float_format="%.6g"), out["label_records"])
t4_csv, t4_disp, note = R.label_table(label_long, class_names, dataset, paper["tmu_table4"])
save_text(t4_csv.to_csv(index=False, float_format="%.6g"), out["t4_csv"])
save_text(
    R.markdown(
        "TMU Table 4: accuracy of the predicted generalization labels (feature ablation)", scale_text, note, t4_disp
    ),
    out["t4_md"],
)
log.info("Table 4\n%s", t4_disp.to_string(index=False))
