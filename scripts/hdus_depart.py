"""HDUS: a client leaves. The remaining clients' predictions before (its seed model still in their ensembles)
and after (dropped); the gold network, with every affected client retrained from scratch; the exactness check
(after == gold) and the cost of each."""

import numpy as np
import torch

from unlearn import hdus
from unlearn.checkpoints import data_info, load_bundle, set_threads
from unlearn.hdus.clients import load_client, train_client
from unlearn.io import load_json, load_torch, save_json, save_npz, setup_logging
from unlearn.loader import predict_proba
from unlearn.training import resolve_device

log = setup_logging(snakemake.log[0], "hdus_depart", torch_job=True)
set_threads(snakemake.threads)
seed, cfg = int(snakemake.wildcards["seed"]), snakemake.params["hdus"]
device = resolve_device(snakemake.config["device"], snakemake.config["speed"])
batch = snakemake.config["evaluation"]["batch_size"]
bundle = load_bundle(snakemake.input["data"])
info, x, y = data_info(bundle), bundle["train_x"], bundle["train_y"]
images = torch.cat([x, bundle["test_x"]])  # D then D_test: every prediction is made on both
n_train = len(y)
labels = np.concatenate([y.numpy(), bundle["test_y"].numpy()])
plan = load_json(snakemake.input["clients"])["clients"]
records = {r["client"]: r for path in snakemake.input["models"] for r in load_torch(path)["clients"]}
depart = int(cfg["depart"])
forget = np.asarray(plan[depart]["indices"], dtype=np.int64)


def outputs(record):
    main, seed_model = load_client(record, info, device)
    return (predict_proba(main, images, batch, device).double().numpy(),
            predict_proba(seed_model, images, batch, device).double().numpy())  # fmt: skip


probs = {i: outputs(records[i]) for i in sorted(records)}
neighbours = {c["client"]: c["neighbours"] for c in plan}
# every client retrained from scratch once (a client's training never reads another client): the gold network
# of any departure takes its affected clients from here
retrained, identical = {}, True
for i in sorted(records):
    idx = plan[i]["indices"]
    rec = train_client(cfg, info, x[idx], y[idx], bundle["holdout_x"], i, seed=seed, device=device)
    identical &= all(torch.equal(rec[k][n], records[i][k][n]) for k in ("main", "seed") for n in rec[k])
    retrained[i] = {"seconds": rec["seconds"], "probs": outputs(rec)}


def departure(d):
    dep = hdus.departure(probs, {i: r["probs"] for i, r in retrained.items()}, neighbours, d)
    return {**dep, "retrain_seconds": float(sum(retrained[i]["seconds"] for i in dep["affected"]))}


departures = [departure(d) for d in sorted(records)]
for dep in departures:
    log.info("client %d leaves: affected %s, unlearning %.2g s vs retraining them %.2g s, largest gap to the "
             "retrained network %.3g (%s)", dep["departed"], dep["affected"], dep["seconds"], dep["retrain_seconds"],
             dep["max_gap"], "exact" if dep["exact"] else "NOT exact")  # fmt: skip
log.info("retrained clients' weights %s the stored ones", "equal" if identical else "differ from")
main = departures[depart]
remaining, affected, before, after, gold = (main[k] for k in ("remaining", "affected", "before", "after", "gold"))
unlearn_seconds, retrain_seconds, gap, exact = (main[k] for k in ("seconds", "retrain_seconds", "max_gap", "exact"))


def acc(p, rows):
    return float((p[rows].argmax(1) == labels[rows]).mean()) if len(rows) else float("nan")


test_rows = np.arange(n_train, len(labels))
clients = []
for i in remaining:
    own = np.asarray(plan[i]["indices"], dtype=np.int64)
    row = {"client": i, "model": plan[i]["model"]["name"], "affected": i in affected, "samples": len(own),
           "neighbours_before": neighbours[i], "neighbours_after": main["neighbours_after"][i]}  # fmt: skip
    main_pred, seed_pred = probs[i][0][test_rows].argmax(1), probs[i][1][test_rows].argmax(1)
    row["acc_test_seed"] = acc(probs[i][1], test_rows)  # how well the seed model imitates its main model
    row["seed_agreement"] = float((main_pred == seed_pred).mean())
    for name, p in (("main", probs[i][0]), ("before", before[i]), ("after", after[i])):
        row[f"acc_test_{name}"] = acc(p, test_rows)
        row[f"acc_departed_{name}"] = acc(p, forget)
        row[f"acc_own_{name}"] = acc(p, own)
    clients.append(row)

network_outputs = {
    hdus.BEFORE: np.mean([before[i] for i in remaining], axis=0),
    hdus.METHOD: np.mean([after[i] for i in remaining], axis=0),
    hdus.GOLD: np.mean([gold[i] for i in remaining], axis=0),
}
runs = {
    hdus.BEFORE: {"seconds": None},
    hdus.METHOD: {"seconds": unlearn_seconds, "retrain_seconds": retrain_seconds, "exact": exact, "max_gap": gap},
    hdus.GOLD: {"seconds": retrain_seconds},
}
common = {"scenario": hdus.SCENARIO, "seed": seed, "device": str(device), "departed": depart, "affected": affected}
for name, p in network_outputs.items():
    save_npz(
        snakemake.output[f"{name}_probs"], train=p[:n_train].astype(np.float32), test=p[n_train:].astype(np.float32)
    )
    save_json({"method": name, **common, **runs[name]}, snakemake.output[f"{name}_run"])
save_json(
    {
        "scenario": hdus.SCENARIO,
        "spec": {"kind": "client", "client": depart},
        "seed": seed,
        "forgotten_classes": [],
        "forgotten_fine": None,
        "indices": forget.tolist(),
    },
    snakemake.output["forget"],
)
save_json(
    {
        **common,
        "clients": clients,
        "unlearn_seconds": unlearn_seconds,
        "retrain_seconds": retrain_seconds,
        "train_seconds": {str(i): records[i]["seconds"] for i in sorted(records)},
        "departures": [
            {k: dep[k] for k in ("departed", "affected", "seconds", "retrain_seconds", "max_gap", "exact")}
            for dep in departures
        ],
        "max_gap": gap,
        "exact": exact,
        "retrained_identical": bool(identical),
        "architectures": sorted({c["model"]["name"] for c in plan}),
        "check": "every remaining client's prediction after the departure equals the network rebuilt with the "
        "affected clients retrained from scratch (largest absolute difference <= 1e-6)",
    },
    snakemake.output["departure"],
)
