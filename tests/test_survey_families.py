"""The survey's decentralized (HDUS) and spiking-network families on hand-built cases: partitions, topologies, a
departed client's seed model never reaching a prediction, exactly reproducible clients; LIF dynamics, the
surrogate gradient, and the three SNN phases touching exactly the synapses and neurons they select."""

from __future__ import annotations

import copy

import numpy as np
import pandas as pd
import pytest
import torch

from unlearn import hdus
from unlearn.checkpoints import data_info, load_model, save_model
from unlearn.data import load_dataset
from unlearn.hdus import report as hdus_report
from unlearn.hdus.clients import train_client
from unlearn.models import build_model
from unlearn.snn import report as snn_report
from unlearn.snn import unlearn as snn
from unlearn.training import fit

INFO1 = {"in_channels": 1, "image_size": 1, "num_classes": 2, "mean": [0.0], "std": [1.0]}


# ---- HDUS --------------------------------------------------------------------------------------------------------
def test_partitions_cover_d_disjointly_and_label_skew_gives_each_client_its_classes():
    labels = np.array([2, 0, 1, 0, 2, 1, 0, 1, 2, 0, 1, 2])  # four of each class
    for kind in ("iid", "label_skew"):
        parts = hdus.partition(labels, 3, kind, seed=5)
        assert sorted(np.concatenate(parts).tolist()) == list(range(12))
        assert [len(p) for p in parts] == [4, 4, 4]
    skew = hdus.partition(labels, 3, "label_skew", seed=5)
    assert [sorted(set(labels[p].tolist())) for p in skew] == [[0], [1], [2]]
    iid = hdus.partition(labels, 3, "iid", seed=5)
    assert hdus.partition(labels, 3, "iid", seed=5)[0].tolist() == iid[0].tolist()
    assert any(len(set(labels[p].tolist())) > 1 for p in iid)


def test_topologies():
    assert hdus.topology(4, "ring", 0, seed=0) == [[1, 3], [0, 2], [1, 3], [0, 2]]
    assert hdus.topology(2, "ring", 0, seed=0) == [[1], [0]]
    assert hdus.topology(3, "full", 0, seed=0) == [[1, 2], [0, 2], [0, 1]]
    rand = hdus.topology(6, "random", 2, seed=3)
    assert all(len(n) == 2 and i not in n and len(set(n)) == 2 for i, n in enumerate(rand))
    assert rand == hdus.topology(6, "random", 2, seed=3) and rand != hdus.topology(6, "random", 2, seed=4)


@pytest.mark.parametrize(
    ("change", "field"),
    [({"clients": 1}, "hdus.clients"), ({"depart": 3}, "hdus.depart"), ({"topology": "star"}, "hdus.topology"),
     ({"topology": "random", "k": 0}, "hdus.k"), ({"topology": "random", "k": 3}, "hdus.k")],
)  # fmt: skip
def test_check_names_the_field(change, field):
    cfg = {"clients": 3, "depart": 0, "topology": "ring", "k": 2, **change}
    with pytest.raises(ValueError, match=f"^{field}: "):
        hdus.check(cfg, 100, 10)
    with pytest.raises(ValueError, match="holdout_per_class"):
        hdus.check({"clients": 3, "depart": 0, "topology": "ring", "k": 2}, 100, 0)


def network_with_poisoned_seed():
    """Four clients on a ring; client 0's seed model outputs NaN, so any prediction that reads it is NaN."""
    main = {i: np.array([[0.1 * (i + 1), 1 - 0.1 * (i + 1)]]) for i in range(4)}
    seed = {i: np.array([[0.5 + 0.1 * i, 0.5 - 0.1 * i]]) for i in range(4)}
    seed[0] = np.full((1, 2), np.nan)
    return hdus.Network(main, seed, dict(enumerate(hdus.topology(4, "ring", 0, seed=0))))


def test_a_departed_clients_seed_model_reaches_no_prediction():
    net = network_with_poisoned_seed()
    assert np.isnan(net.predict(1)).all() and np.isnan(net.predict(3)).all()  # they use client 0's seed model
    assert np.allclose(net.predict(2), [[(0.3 + 0.6 + 0.8) / 3, (0.7 + 0.4 + 0.2) / 3]])  # 2 does not
    affected = net.depart(0)
    assert affected == [1, 3] and net.clients == [1, 2, 3]
    assert net.neighbours == {1: [2], 2: [1, 3], 3: [2]}
    assert np.allclose(net.predict(1), [[(0.2 + 0.7) / 2, (0.8 + 0.3) / 2]])
    assert np.allclose(net.predict(3), [[(0.4 + 0.7) / 2, (0.6 + 0.3) / 2]])
    assert np.isfinite(net.predict_all()).all()
    assert np.allclose(net.predict_all(), np.mean([net.predict(i) for i in (1, 2, 3)], axis=0))


def test_departure_compares_with_the_affected_clients_retrained():
    """Client 0 leaves a ring of 4: clients 1 and 3 are affected. The gold network takes their retrained models
    and client 2's stored ones; a retrained model that differs (here: client 3's) makes the departure inexact,
    and a difference in an unaffected client's retrained copy is never read."""
    out = {i: (np.array([[0.1 * (i + 1), 1 - 0.1 * (i + 1)]]), np.array([[0.5, 0.5]])) for i in range(4)}
    ring = dict(enumerate(hdus.topology(4, "ring", 0, seed=0)))
    same = {i: (m.copy(), s.copy()) for i, (m, s) in out.items()}
    same[2] = (np.array([[0.9, 0.1]]), np.array([[0.0, 1.0]]))  # client 2 is not affected: never read
    dep = hdus.departure(out, same, ring, 0)
    assert dep["affected"] == [1, 3] and dep["remaining"] == [1, 2, 3]
    assert dep["exact"] and dep["max_gap"] == 0.0 and dep["neighbours_after"] == {1: [2], 2: [1, 3], 3: [2]}
    assert np.allclose(dep["before"][1], [[(0.2 + 0.5 + 0.5) / 3, (0.8 + 0.5 + 0.5) / 3]])
    assert np.allclose(dep["after"][1], [[(0.2 + 0.5) / 2, (0.8 + 0.5) / 2]])
    differs = {**same, 3: (np.array([[0.3, 0.7]]), np.array([[0.5, 0.5]]))}  # client 3's main: 0.4 -> 0.3
    dep = hdus.departure(out, differs, ring, 0)
    assert not dep["exact"] and dep["max_gap"] == pytest.approx(0.05)
    assert dep["gold"][3].tolist() == [[0.4, 0.6]] and dep["after"][3].tolist() == [[0.45, 0.55]]


def test_a_client_retrained_from_scratch_equals_the_stored_one_bit_for_bit():
    ds = load_dataset({"name": "digits", "holdout_per_class": 5})
    b = ds.to_tensors()
    info = data_info(b)
    small = {"name": "smallcnn", "width": 0.25}
    distill = {"epochs": 1, "batch_size": 16, "lr": 0.003, "optimizer": "adam", "temperature": 2.0}
    cfg = {
        "models": [small],
        "seed_model": small,
        "train": {"epochs": 1, "batch_size": 32, "lr": 0.05},
        "distill": distill,
    }
    x, y = b["train_x"][:96], b["train_y"][:96]
    one = train_client(cfg, info, x, y, b["holdout_x"], 2, seed=0, device="cpu")
    two = train_client(cfg, info, x, y, b["holdout_x"], 2, seed=0, device="cpu")
    other = train_client(cfg, info, x, y, b["holdout_x"], 3, seed=0, device="cpu")
    for key in ("main", "seed"):
        assert all(torch.equal(one[key][k], two[key][k]) for k in one[key])
    assert not torch.equal(one["main"]["head.weight"], other["main"]["head.weight"]), "clients are seeded apart"


def departure_record(seed, exact, gains):
    return {"seed": seed, "architectures": ["allcnn", "smallcnn"],
            "departures": [{"seconds": 0.001, "retrain_seconds": r, "exact": exact, "max_gap": 0.0 if exact else 0.1}
                           for r in (2.0, 3.0)],
            "clients": [{"acc_test_after": 0.8 + g, "acc_test_main": 0.8} for g in gains]}  # fmt: skip


def test_hdus_claims_follow_the_numbers():
    deps = [departure_record(0, True, [0.05, 0.04]), departure_record(1, True, [0.03, 0.06])]
    got = {c.id: c for c in hdus_report.claims(deps)}
    assert got["survey.hdus_fast"].judgement.verdict == "held"
    assert got["survey.hdus_fast"].ours == "0.001 s vs 2.5 s over 4 departures"
    assert got["survey.hdus_exact"].judgement.verdict == "held"
    assert got["survey.hdus_exact"].judgement.basis == "4 of 4 departures exact (every one must be)"
    assert got["survey.hdus_heterogeneous"].judgement.verdict == "held"
    deps[1] = departure_record(1, False, [-0.05, -0.06])
    got = {c.id: c for c in hdus_report.claims(deps)}
    assert got["survey.hdus_exact"].judgement.verdict == "not held"
    assert got["survey.hdus_exact"].ours == "2 of 4 departures equal (largest gap 0.1)"
    assert got["survey.hdus_heterogeneous"].judgement.verdict == "inconclusive"
    for d in deps:
        d["architectures"] = ["smallcnn"]
    assert {c.id: c for c in hdus_report.claims(deps)}["survey.hdus_heterogeneous"].judgement.verdict == "not tested"


def test_hdus_tables_average_over_seeds_and_flag_an_inexact_seed():
    recs = []
    for seed, (before, after) in enumerate([(0.5, 0.7), (0.6, 0.9)]):
        for method, acc, seconds in (("hdus_before", before, float("nan")), ("hdus", after, 0.001),
                                     ("hdus_retrain", after, 2.0)):  # fmt: skip
            recs.append({"seed": seed, "method": method, "acc_forget": acc, "acc_retain": 0.8, "acc_test": acc,
                         "mia_efficacy": 0.25 * (seed + 1), "tow": 1.0, "seconds": seconds})  # fmt: skip
    client = {"model": "smallcnn", "affected": True, "samples": 10, "acc_test_seed": 0.5, "seed_agreement": 0.75}
    acc = {f"acc_{s}_{m}": 0.5 for s in ("test", "departed") for m in ("main", "before", "after")}
    deps = [{"seed": 0, "exact": True, "max_gap": 0.0, "clients": [{**client, **acc, "client": 1}]},
            {"seed": 1, "exact": False, "max_gap": 0.01,
             "clients": [{**client, **acc, "acc_test_after": 0.9, "client": 1}]}]  # fmt: skip
    net = hdus_report.network_table(pd.DataFrame(recs), deps).set_index("method")
    assert list(net.index) == ["hdus_before", "hdus", "hdus_retrain"]
    assert net["acc_test"].tolist() == pytest.approx([0.55, 0.8, 0.8])
    assert net.loc["hdus", "mia_efficacy"] == pytest.approx(0.375)
    assert net.loc["hdus", "seconds"] == pytest.approx(0.001) and np.isnan(net.loc["hdus_before", "seconds"])
    assert net.loc["hdus", "exact"] == "NO (1 of 2 seeds)" and net.loc["hdus", "max_gap"] == 0.01
    assert net.loc["hdus_retrain", "exact"] == ""
    shown = hdus_report.display_network(net.reset_index())
    assert list(shown["Acc D_test"]) == ["55.0", "80.0", "80.0"] and list(shown["time (s)"]) == ["", "0.001", "2"]
    clients = hdus_report.client_table(deps)
    assert clients.loc[0, "acc_test_after"] == pytest.approx(0.7) and clients.loc[0, "acc_test_main"] == 0.5


# ---- spiking network ---------------------------------------------------------------------------------------------
def one_neuron(weight, *, steps=4, beta=1.0, slope=5.0):
    model = build_model({"name": "snn", "hidden": [1], "steps": steps, "beta": beta, "slope": slope}, INFO1)
    with torch.no_grad():
        model.layers[0].weight.fill_(weight)
        model.layers[0].bias.zero_()
        model.head.weight.copy_(torch.tensor([[2.0], [-1.0]]))
        model.head.bias.copy_(torch.tensor([0.5, 0.0]))
    return model


def test_lif_neuron_spikes_as_worked_out_by_hand():
    """Current 0.6, no leak, threshold 1, soft reset: v = 0.6, 1.2 (spike -> 0.2), 0.8, 1.4 (spike): 2 of 4."""
    model = one_neuron(0.6)
    x = torch.ones(1, 1, 1, 1)
    assert model.features(x).tolist() == [[0.5]]
    assert torch.allclose(model(x), torch.tensor([[1.5, -0.5]]))
    model.thresholds()[0].fill_(2.0)  # v = 0.6, 1.2, 1.8, 2.4 -> one spike
    assert model.features(x).tolist() == [[0.25]]
    model.thresholds()[0].fill_(0.5)  # v = 0.6 (spike -> 0.1), 0.7 (-> 0.2), 0.8 (-> 0.3), 0.9: a spike every step
    assert model.features(x).tolist() == [[1.0]]
    leaky = one_neuron(0.6, beta=0.5)  # v = 0.6, 0.9, 1.05 (spike -> 0.05), 0.625: 1 of 4
    assert leaky.features(x).tolist() == [[0.25]]


def test_surrogate_gradient_is_the_fast_sigmoid():
    """One step, v - theta = 0.8 - 1 = -0.2: no spike, d spike / d w = x / (1 + 5 * 0.2)^2 = 0.25."""
    model = one_neuron(0.8, steps=1)
    rate = model.features(torch.ones(1, 1, 1, 1)).sum()
    rate.backward()
    assert rate.item() == 0.0 and model.layers[0].weight.grad.item() == pytest.approx(0.25)


def small_snn(seed=0):
    torch.manual_seed(seed)
    info = {"in_channels": 1, "image_size": 2, "num_classes": 3, "mean": [0.0], "std": [1.0]}
    return build_model({"name": "snn", "hidden": [5], "steps": 4}, info)


def test_pruning_removes_exactly_the_synapses_over_the_threshold():
    model = small_snn()
    before = {n: layer.weight.detach().clone() for n, layer in model.synapse_layers()}
    change = {"l0": torch.zeros(5, 4), "head": torch.zeros(3, 5)}
    change["l0"][0, 1], change["l0"][2, 3], change["l0"][4, 0] = 1.0, -0.6, 0.4  # max 1: cut at 0.5
    change["head"][1, 2], change["head"][0, 0] = 0.2, 0.1  # max 0.2: cut at 0.1 (>=, so both)
    removed = snn.prune(model, change, 0.5)
    assert removed == {"l0": 2, "head": 2}
    expect = {"l0": {(0, 1), (2, 3)}, "head": {(1, 2), (0, 0)}}
    for name, layer in model.synapse_layers():
        cut = {tuple(i) for i in (model.mask(name) == 0).nonzero().tolist()}
        assert cut == expect[name]
        kept = model.mask(name) == 1
        assert torch.equal(layer.weight[kept], before[name][kept]) and (layer.weight[~kept] == 0).all()
    with pytest.raises(ValueError, match=r"prune_threshold: 1.5 is outside \(0, 1\]"):
        snn.prune(model, change, 1.5)


def test_pruned_synapses_stay_removed_through_training_and_a_checkpoint(tmp_path):
    model = small_snn()
    change = {"l0": torch.zeros(5, 4), "head": torch.zeros(3, 5)}
    change["l0"][1, 1] = change["head"][2, 4] = 1.0
    snn.prune(model, change, 1.0)
    x = torch.randint(0, 256, (40, 1, 2, 2), dtype=torch.uint8)
    y = torch.randint(0, 3, (40,))
    fit(model, x, y, {"epochs": 2, "batch_size": 8, "lr": 0.1, "momentum": 0.9, "weight_decay": 0.01}, seed=0,
        device="cpu", tag="t")  # fmt: skip
    assert model.layers[0].weight[1, 1] == 0 and model.head.weight[2, 4] == 0
    model.thresholds()[0][3] = 1.7
    save_model(model, tmp_path / "m.pt", spec={"name": "snn", "hidden": [5], "steps": 4}, info=data_info_of(),
               seed=0, config={})  # fmt: skip
    back = load_model(tmp_path / "m.pt")[0]
    assert back.mask("l0")[1, 1] == 0 and back.thresholds()[0][3] == pytest.approx(1.7)
    assert torch.equal(back(x[:4].float() / 255), model(x[:4].float() / 255))


def data_info_of():
    return {"in_channels": 1, "image_size": 2, "num_classes": 3, "mean": [0.0], "std": [1.0]}


def test_thresholds_change_only_for_the_selected_neurons():
    model = small_snn()
    rates_f = [torch.tensor([0.5, 0.2, 0.9, 0.1, 0.30])]
    rates_r = [torch.tensor([0.1, 0.2, 0.5, 0.3, 0.26])]  # excess 0.4, 0, 0.4, -0.2, 0.04
    assert snn.adapt_thresholds(model, rates_f, rates_r, margin=0.05, gain=2.0) == [2]
    assert torch.allclose(model.thresholds()[0], torch.tensor([1.8, 1.0, 1.8, 1.0, 1.0]))


def test_selection_takes_the_top_share_by_forget_over_retain_change():
    change_f = {"l0": torch.tensor([[4.0, 1.0], [0.0, 3.0]]), "head": torch.tensor([[2.0, 0.5]])}
    change_r = {"l0": torch.tensor([[1.0, 1.0], [1.0, 0.5]]), "head": torch.tensor([[1.0, 0.1]])}
    # scores: l0 [[4, 1], [0, 6]], head [[2, 5]]; 3 of 6 synapses -> 6, 5, 4
    sel = snn.select_synapses(change_f, change_r, 0.5)
    assert sel["l0"].tolist() == [[True, False], [False, True]] and sel["head"].tolist() == [[False, True]]
    ties = snn.select_synapses({"l0": torch.ones(2, 2)}, {"l0": torch.ones(2, 2)}, 0.5)
    assert int(ties["l0"].sum()) == 2, "ties at the cutoff still select exactly the share"


def test_selective_retraining_moves_only_the_selected_synapses():
    model = small_snn()
    before = {n: layer.weight.detach().clone() for n, layer in model.synapse_layers()}
    thresholds = [t.clone() for t in model.thresholds()]
    sel = {"l0": torch.zeros(5, 4, dtype=torch.bool), "head": torch.zeros(3, 5, dtype=torch.bool)}
    sel["l0"][0, 0] = sel["l0"][3, 2] = sel["head"][1, 1] = True
    gen = torch.Generator().manual_seed(0)
    x = torch.randint(0, 256, (32, 1, 2, 2), dtype=torch.uint8, generator=gen)
    y = torch.randint(0, 3, (32,), generator=gen)
    hp = {"epochs": 2, "batch_size": 8, "lr": 0.5, "momentum": 0.9, "weight_decay": 0.1, "forget_weight": 1.0}
    snn.selective_retrain(model, sel, (x[:8], y[:8]), (x[8:], y[8:]), hp, seed=0, device="cpu")
    for name, layer in model.synapse_layers():
        assert torch.equal(layer.weight[~sel[name]], before[name][~sel[name]]), name
    moved = [not torch.equal(layer.weight[sel[n]], before[n][sel[n]]) for n, layer in model.synapse_layers()]
    assert any(moved)
    assert all(torch.equal(a, b) for a, b in zip(model.thresholds(), thresholds, strict=True))


def test_snn_accuracy_loss_and_claims_follow_the_numbers():
    rows = []
    for seed in (0, 1, 2):
        for scenario, share, loss in (("snn_r2", 0.02, 0.02), ("snn_r10", 0.1, 0.06)):
            for method, acc_f, acc_t in (("snn_original", 0.99, 0.95), ("snn_unlearn", 0.6, 0.95 - loss),
                                         ("snn_recover", 0.9, 0.94), ("snn_retrain", 0.9, 0.93),
                                         ("snn_finetune", 0.98, 0.95)):  # fmt: skip
                rows.append({"scenario": scenario, "seed": seed, "method": method, "acc_forget": acc_f,
                             "acc_test": acc_t, "share": share, "kind": "random"})  # fmt: skip
    long = pd.DataFrame(rows)
    loss = snn_report.accuracy_loss(long).set_index(["scenario", "seed", "method"])["loss"]
    assert loss[("snn_r10", 0, "snn_unlearn")] == pytest.approx(6.0)
    assert loss[("snn_r2", 1, "snn_recover")] == pytest.approx(1.0)
    got = {c.id: c.judgement.verdict for c in snn_report.claims(long)}
    assert got == {"survey.snn_forgets": "held", "survey.snn_recovery": "held", "survey.snn_tradeoff": "held",
                   "survey.snn_dataset": "not tested"}  # fmt: skip
    flipped = long.copy()
    flipped.loc[(flipped["method"] == "snn_recover"), "acc_test"] = 0.5
    flipped.loc[(flipped["scenario"] == "snn_r10") & (flipped["method"] == "snn_unlearn"), "acc_test"] = 0.95
    got = {c.id: c.judgement.verdict for c in snn_report.claims(flipped)}
    assert got["survey.snn_recovery"] == "not held" and got["survey.snn_tradeoff"] == "not held"


def test_unlearn_reports_what_each_phase_touched():
    model = small_snn()
    gen = torch.Generator().manual_seed(1)
    x = torch.randint(0, 256, (60, 1, 2, 2), dtype=torch.uint8, generator=gen)
    y = torch.randint(0, 3, (60,), generator=gen)
    hp = {"epochs": 1, "batch_size": 16, "lr": 0.05, "momentum": 0.9, "select_fraction": 0.1, "forget_weight": 1.0,
          "prune_threshold": 0.9, "rate_margin": 0.0, "threshold_gain": 1.0, "retain_sample": 30}  # fmt: skip
    original = copy.deepcopy(model)
    report = snn.unlearn(model, x, y, torch.arange(10), hp, seed=0, device="cpu")
    assert report["synapses"] == 5 * 4 + 3 * 5 and report["selected"] == round(0.1 * 35)
    assert report["pruned"] == sum(int((model.mask(n) == 0).sum()) for n, _ in model.synapse_layers()) >= 2
    changed = int((model.thresholds()[0] != original.thresholds()[0]).sum())
    assert report["neurons_adjusted"] == [changed]
