"""TMU Fig. 3's data: label accuracy on D_f as the forget set grows (one class), TMU vs Bad Teacher."""

import numpy as np

from unlearn.io import load_json, save_text, setup_logging
from unlearn.tmu import report as R

log = setup_logging(snakemake.log[0], "tmu_fig3_data")
inp, out = snakemake.input, snakemake.output
labels = np.load(inp["labels"])
partitions = [load_json(p) for p in inp["partitions"]]
forgets = [load_json(p) for p in inp["forget"]]
gold = [np.load(p)["train"] for p in inp["retrain"]]
models = {m: [np.load(p)["train"] for p in inp[m]] for m in ("tmu", "bad_teacher") if inp.get(m)}
long = R.label_records(partitions, forgets, gold, labels["train"], models)
frame = R.fig3_frame(long)
save_text(long.to_csv(index=False, float_format="%.6g"), out["records"])
save_text(frame.to_csv(index=False, float_format="%.6g"), out["csv"])
log.info("Fig. 3 data\n%s", frame.to_string(index=False))
