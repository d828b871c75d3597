"""HDUS: decentralized unlearning with seed-model distillation (Ye et al. 2023; survey, paper 003).

Clients hold disjoint parts of D. Each trains a main model on its own part and distils a lightweight seed model
from it on a shared reference set (held out of D). A client predicts with the mean softmax of its main model and
its neighbours' seed models. When a client leaves, its neighbours drop its seed model: nothing is retrained.

The DAG: `hdus_partition` (parts, neighbours, the departing client's forget set), `hdus_clients` (main + seed
models, `clients_per_job` clients per job), `hdus_depart` (the network before and after the departure, the
affected clients retrained from scratch for the gold network and the cost comparison, the exactness check),
then the ordinary `evaluate` and `hdus_report`.
"""

from __future__ import annotations

import time

import numpy as np

SCENARIO = "hdus"  # the departure: D_f = the departing client's data
GOLD = "hdus_retrain"  # the network rebuilt without the client: every affected client retrained from scratch
BEFORE = "hdus_before"  # the remaining clients before the departure (the departed seed model still in use)
METHOD = "hdus"  # the remaining clients after the departure (its seed model dropped)
MODELS = [GOLD, BEFORE, METHOD]
PARTITIONS = ("iid", "label_skew")
TOPOLOGIES = ("ring", "full", "random")


def check(cfg: dict, n_train: int | None, holdout: int | None) -> None:
    """Raise ValueError 'hdus.<field>: ...' for settings the schema cannot express."""
    clients = int(cfg["clients"])
    if clients < 2:
        raise ValueError(f"hdus.clients: {clients} clients; a network needs at least 2")
    if not 0 <= int(cfg["depart"]) < clients:
        raise ValueError(f"hdus.depart: client {cfg['depart']} does not exist; allowed: 0..{clients - 1}")
    if cfg["topology"] not in TOPOLOGIES:
        raise ValueError(f"hdus.topology: '{cfg['topology']}' is not one of {', '.join(TOPOLOGIES)}")
    if cfg["topology"] == "random" and not 1 <= int(cfg["k"]) <= clients - 1:
        raise ValueError(
            f"hdus.k: {cfg['k']} neighbours per client; the topology would be empty or need more clients "
            f"than the other {clients - 1} (allowed: 1..{clients - 1})"
        )
    if n_train is not None and clients > n_train:
        raise ValueError(f"hdus.clients: {clients} clients for {n_train} training samples")
    if holdout is not None and holdout == 0:
        raise ValueError("hdus: the seed models' reference set is the held-out pool; set dataset.holdout_per_class > 0")


def partition(labels, clients: int, kind: str, seed: int) -> list[np.ndarray]:
    """Disjoint parts of D (sorted indices) covering all of it.

    iid: a seeded permutation cut into `clients` near-equal parts. label_skew: the indices sorted by label
    (ties in seeded order) and cut into `clients` contiguous parts, so each client holds few classes."""
    labels = np.asarray(labels)
    rng = np.random.default_rng(int(seed))
    order = rng.permutation(len(labels))
    if kind == "label_skew":
        order = order[np.argsort(labels[order], kind="stable")]
    elif kind != "iid":
        raise ValueError(f"hdus.partition: '{kind}' is not one of {', '.join(PARTITIONS)}")
    return [np.sort(part).astype(np.int64) for part in np.array_split(order, clients)]


def topology(clients: int, kind: str, k: int, seed: int) -> list[list[int]]:
    """Each client's neighbours (whose seed models it uses). ring: i-1 and i+1; full: every other client;
    random: k distinct other clients drawn per client (seeded; directed)."""
    if kind == "ring":
        return [sorted({(i - 1) % clients, (i + 1) % clients} - {i}) for i in range(clients)]
    if kind == "full":
        return [[j for j in range(clients) if j != i] for i in range(clients)]
    if kind == "random":
        rng = np.random.default_rng(int(seed) + 7919)
        return [sorted(int(j) for j in rng.choice([j for j in range(clients) if j != i], size=k, replace=False))
                for i in range(clients)]  # fmt: skip
    raise ValueError(f"hdus.topology: '{kind}' is not one of {', '.join(TOPOLOGIES)}")


def client_model(cfg: dict, client: int) -> dict:
    """The main model of a client: `models` cycled over the clients (heterogeneous architectures)."""
    return dict(cfg["models"][client % len(cfg["models"])])


def batches(cfg: dict) -> list[tuple[int, int]]:
    """(first, last) client of each `hdus_clients` job."""
    n, per = int(cfg["clients"]), int(cfg["clients_per_job"])
    return [(a, min(a + per, n) - 1) for a in range(0, n, per)]


class Network:
    """The clients' predictions from their models' outputs on one set of images.

    main[i], seed[i]: N x K softmax outputs of client i's main and seed model; neighbours[i]: whose seed models
    client i uses. Client i predicts the mean of main[i] and seed[j] for j in its neighbours."""

    def __init__(self, main: dict, seed: dict, neighbours: dict):
        self.main = dict(main)
        self.seed = dict(seed)
        self.neighbours = {i: list(n) for i, n in neighbours.items()}

    @property
    def clients(self) -> list[int]:
        return sorted(self.main)

    def predict(self, client: int) -> np.ndarray:
        parts = [self.main[client], *(self.seed[j] for j in self.neighbours[client])]
        return np.mean(np.stack(parts), axis=0)

    def depart(self, client: int) -> list[int]:
        """The client leaves: its models go, and every neighbour drops its seed model. Returns the clients
        that used it (the affected ones)."""
        affected = [i for i, n in self.neighbours.items() if client in n and i != client]
        del self.main[client], self.seed[client], self.neighbours[client]
        for i in affected:
            self.neighbours[i] = [j for j in self.neighbours[i] if j != client]
        return affected

    def predict_all(self) -> np.ndarray:
        """The network's answer: the mean over its clients of their predictions."""
        return np.mean(np.stack([self.predict(i) for i in self.clients]), axis=0)


def departure(outputs: dict, retrained: dict, neighbours: dict, client: int, tolerance: float = 1e-6) -> dict:
    """Client `client` leaves the network built from `outputs` ({i: (main, seed) outputs}).

    Returns the remaining clients' predictions before and after (its seed model dropped: the unlearning, timed),
    the *gold* predictions of the network rebuilt without it -- every affected client's models from `retrained`
    (trained from scratch), the others as they are, the topology without `client` -- and the exactness check:
    the largest absolute difference between after and gold, exact when <= tolerance."""

    def network(source):
        return Network({i: m for i, (m, _) in source.items()}, {i: s for i, (_, s) in source.items()}, neighbours)

    net = network(outputs)
    remaining = [i for i in net.clients if i != client]
    before = {i: net.predict(i) for i in remaining}
    start = time.perf_counter()
    affected = net.depart(client)
    after = {i: net.predict(i) for i in remaining}
    seconds = time.perf_counter() - start
    gold_net = network({i: retrained[i] if i in affected else outputs[i] for i in remaining})
    gold_net.neighbours = {i: [j for j in neighbours[i] if j != client] for i in remaining}
    gold = {i: gold_net.predict(i) for i in remaining}
    gap = max((float(np.abs(after[i] - gold[i]).max()) for i in remaining), default=0.0)
    return {"departed": client, "remaining": remaining, "affected": affected, "before": before, "after": after,
            "gold": gold, "neighbours_after": net.neighbours, "seconds": seconds, "max_gap": gap,
            "exact": gap <= tolerance}  # fmt: skip
