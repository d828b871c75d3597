"""RUM, one seed: embed D with the original model's penultimate layer, cut the low / medium / high ES forget sets
from the shells of distance to the centroid, and record their ES values and a 2-D projection for the figure."""

import numpy as np

from unlearn.checkpoints import load_bundle, load_model, set_threads
from unlearn.io import save_json, save_npz, setup_logging
from unlearn.loader import embed
from unlearn.rum import LEVELS, scenario_name
from unlearn.rum.entanglement import entanglement_score, es_forget_sets, pca_2d
from unlearn.training import resolve_device

log = setup_logging(snakemake.log[0], "rum_entanglement", torch_job=True)
set_threads(snakemake.threads)
seed = int(snakemake.wildcards["seed"])
rum = snakemake.params["rum"]
device = resolve_device(snakemake.config["device"], snakemake.config["speed"])
bundle = load_bundle(snakemake.input["data"])
model = load_model(snakemake.input["original"], device)[0]
emb = embed(model, bundle["train_x"], snakemake.config["evaluation"]["batch_size"], device).numpy()
groups, picks = rum["entanglement"]["groups"], rum["entanglement"]["picks"]
labels = bundle["train_y"].numpy() if rum["entanglement"]["centroid"] == "class" else None
sets = es_forget_sets(emb, groups, picks, rum["n"], labels)
values = {level: entanglement_score(emb, idx) for level, idx in sets.items()}
log.info("ES of the %s sets (groups %s of %d, n=%d): %s", "/".join(LEVELS), picks, groups, rum["n"],
         ", ".join(f"{lv} {v:.2f}" for lv, v in values.items()))  # fmt: skip

save_npz(snakemake.output["embeddings"], embeddings=emb.astype(np.float32), pca=pca_2d(emb).astype(np.float32))
save_json({"seed": seed, "groups": groups, "picks": picks, "n": rum["n"], "es": values}, snakemake.output["record"])
for level, path in zip(LEVELS, snakemake.output["forget"], strict=True):
    save_json(
        {
            "scenario": scenario_name("es", level),
            "spec": {"kind": "rum", "factor": "es", "level": level, "group": picks[LEVELS.index(level)]},
            "seed": seed,
            "forgotten_classes": [],
            "es": values[level],
            "indices": sets[level].tolist(),
        },
        path,
    )
