"""Sweeps: vectorised stacks equal single Trainer runs, grouping by shape, limits, exports, the CLI."""

from __future__ import annotations

import csv
import io
import json
import math
import os
import subprocess
import sys

import numpy as np
import pytest

from playground import sweep as sw
from playground import vectorized
from playground.config import Config, ConfigError, Layer
from playground.datasets import make_data
from playground.presets import preset
from playground.training import Trainer

ROOT = __import__("pathlib").Path(__file__).resolve().parents[1]
REL = 1e-9  # last-bit differences (torch's and libm's rounding) stay this small in a stable run

pytestmark = pytest.mark.skipif(not vectorized.AVAILABLE, reason="the vectorised engine needs numba")


def alone(config: Config, engine: str = "auto"):
    """The reference: the config trained by itself on Trainer to its budget."""
    trainer = Trainer(config, engine=engine)
    for _ in trainer.iterate(every=10):
        pass
    return trainer


def stacked(configs: list[Config], stride: int = 1) -> vectorized.Stack:
    stack = vectorized.Stack(configs, [make_data(c) for c in configs], target=0.05, stride=stride)
    while stack.advance(7):
        pass
    return stack


def assert_same(lane: vectorized.Lane, trainer: Trainer, rel: float = REL):
    snap = trainer.snapshot()
    assert lane.status == snap.status
    assert lane.epoch == snap.epoch
    for name in ("train_loss", "test_loss"):
        assert getattr(lane, name) == pytest.approx(getattr(snap, name), rel=rel, abs=1e-14), name
    for name in ("train_accuracy", "test_accuracy"):
        assert getattr(lane, name) == getattr(snap, name), name
    for (w, b), lin in zip(lane.weights, trainer.model_.linears(), strict=True):
        np.testing.assert_allclose(w, lin.weight.detach().numpy(), rtol=rel, atol=1e-12)
        np.testing.assert_allclose(b, lin.bias.detach().numpy(), rtol=rel, atol=1e-12)
    # every recorded point of the curve is the single run's value at that epoch
    history = dict(zip(trainer.history.epoch, trainer.history.test_loss, strict=True))
    for epoch, value in zip(lane.curve["epoch"], lane.curve["test_loss"], strict=True):
        if epoch in history:
            assert value == pytest.approx(history[epoch], rel=rel, abs=1e-14)


BASE = Config(epochs=40)
KNOB_CASES = {
    "learning_rate": [BASE.evolve(learning_rate=lr) for lr in (0.003, 0.01, 0.03, 0.1)],
    "seed": [BASE.evolve(seed=s) for s in (1, 2, 3, 4)],  # different data and weights per lane
    "l1_l2": [BASE.evolve(regularization=r, regularization_rate=rate)
              for r in ("l1", "l2") for rate in (0.001, 0.01, 0.03)],
    "momentum": [BASE.evolve(optimizer="momentum", learning_rate=lr, momentum=m, weight_decay=wd)
                 for lr, m, wd in ((0.01, 0.9, 0.0), (0.003, 0.5, 0.001))],
    "noise_bce": [BASE.evolve(loss="bce", noise=n, learning_rate=0.03) for n in (0, 25)],
}


@pytest.mark.parametrize("case", list(KNOB_CASES))
def test_a_stack_equals_each_config_trained_alone(case):
    configs = KNOB_CASES[case]
    stack = stacked(configs)
    for lane, config in zip(stack.lanes(), configs, strict=True):
        assert lane.vectorised
        assert_same(lane, alone(config))


@pytest.mark.parametrize("activation", ["relu", "leaky_relu", "elu", "gelu", "silu", "sigmoid", "softplus",
                                        "linear"])
def test_every_activation_matches(activation):
    configs = [BASE.evolve(layers=[Layer(5, activation), Layer(3, activation)], learning_rate=lr, init="he_uniform")
               for lr in (0.003, 0.01)]
    for lane, config in zip(stacked(configs).lanes(), configs, strict=True):
        assert_same(lane, alone(config))


@pytest.mark.parametrize("batch_size", [1, 7, 250])
def test_batch_sizes_match_including_a_short_last_batch(batch_size):
    configs = [BASE.evolve(batch_size=batch_size, learning_rate=0.01, seed=s, epochs=15) for s in (1, 2)]
    for lane, config in zip(stacked(configs).lanes(), configs, strict=True):
        assert_same(lane, alone(config))


@pytest.mark.parametrize("optimizer", ["adagrad", "rmsprop", "adam", "adamw"])
def test_adaptive_optimizers_match_torch_optim(optimizer):
    configs = [BASE.evolve(optimizer=optimizer, learning_rate=lr, weight_decay=wd, epochs=8)
               for lr, wd in ((0.003, 0.0), (0.001, 0.01))]
    for lane, config in zip(stacked(configs).lanes(), configs, strict=True):
        assert_same(lane, alone(config, engine="torch"), rel=1e-8)


def test_losses_for_regression_and_multiclass_match():
    regression = [Config(dataset="plane", problem="regression", loss=loss, learning_rate=0.01, epochs=25)
                  for loss in ("mse", "mae", "huber")]
    for config in regression:
        (lane,) = stacked([config]).lanes()
        assert_same(lane, alone(config))
    blobs = [preset("blobs").evolve(epochs=25, learning_rate=lr, optimizer="sgd") for lr in (0.01, 0.03)]
    for lane, config in zip(stacked(blobs).lanes(), blobs, strict=True):
        assert_same(lane, alone(config))


def test_shuffled_batches_and_schedules_match():
    configs = [BASE.evolve(shuffle=True, batch_size=8, seed=s, epochs=20) for s in (3, 4)]
    for lane, config in zip(stacked(configs).lanes(), configs, strict=True):
        assert_same(lane, alone(config))
    for schedule in ("step", "exponential", "cosine"):
        config = BASE.evolve(schedule=schedule, step_size=10, epochs=30)
        (lane,) = stacked([config]).lanes()
        assert_same(lane, alone(config))


def test_a_diverging_lane_stops_alone_with_its_last_finite_weights():
    good = preset("lr-too-high").evolve(learning_rate=0.003, epochs=20)
    bad = preset("lr-too-high").evolve(epochs=20)
    stack = stacked([good, bad])
    lane_good, lane_bad = stack.lanes()
    reference = alone(bad)
    assert reference.status == "diverged" and lane_bad.status == "diverged"
    assert_same(lane_bad, reference)
    assert "diverged at epoch" in lane_bad.message
    assert all(np.isfinite(w).all() for w, _ in lane_bad.weights)
    assert lane_good.status == "done" and lane_good.epoch == 20
    assert_same(lane_good, alone(good))


def test_early_stopping_stops_each_lane_at_its_own_epoch():
    configs = [Config(dataset="gauss", noise=50, epochs=400, early_stopping=p, learning_rate=0.03) for p in (5, 20)]
    stack = stacked(configs)
    for lane, config in zip(stack.lanes(), configs, strict=True):
        reference = alone(config)
        assert lane.epoch < 400 and "early stopping" in lane.message
        assert_same(lane, reference)
    assert stack.lanes()[0].epoch != stack.lanes()[1].epoch


def test_epochs_to_target_is_the_first_epoch_at_or_below_it():
    config = BASE.evolve(learning_rate=0.1, seed=2, epochs=60)
    slow = config.evolve(learning_rate=0.001)
    fast_lane, slow_lane = stacked([config, slow]).lanes()
    history = alone(config).history
    first = next(e for e, v in zip(history.epoch, history.train_loss, strict=True) if e > 0 and v <= 0.05)
    assert 0 < first < 60 and fast_lane.epochs_to_target == first
    assert slow_lane.epochs_to_target is None


def test_lanes_split_over_threads_train_exactly_as_one_block():
    # a diverging lane, early stopping and a ragged last block: lanes never interact, so nothing changes
    configs = [preset("lr-too-high").evolve(epochs=30, seed=s, learning_rate=lr, early_stopping=patience)
               for s in (1, 2, 3) for lr, patience in ((0.003, 0), (0.03, 4), (3.0, 0))]
    datas = [make_data(c) for c in configs]
    one = vectorized.Stack(configs, datas, target=0.05, stride=3, threads=1)
    split = vectorized.Stack(configs, datas, target=0.05, stride=3, threads=2)
    assert [(b.lo, b.hi) for b in one.blocks] == [(0, 9)]
    assert [(b.lo, b.hi) for b in split.blocks] == [(0, 8), (8, 9)]
    while one.advance(7) | split.advance(7):
        pass
    statuses = set()
    for a, b in zip(one.lanes(), split.lanes(), strict=True):
        statuses.add(a.status)
        assert (a.status, a.epoch, a.message, a.epochs_to_target) == (b.status, b.epoch, b.message, b.epochs_to_target)
        assert a.curve == b.curve and a.test_loss == b.test_loss and a.train_loss == b.train_loss
        for (wa, ba), (wb, bb) in zip(a.weights, b.weights, strict=True):
            assert np.array_equal(wa, wb) and np.array_equal(ba, bb)
        assert a.curve["epoch"][-1] == a.epoch  # each curve: every third epoch and its own last one
        assert all(e % 3 == 0 for e in a.curve["epoch"][:-1])
    assert statuses == {"done", "diverged"}


def test_the_thread_count_is_bounded_and_read_from_the_environment(monkeypatch):
    cpus = os.cpu_count() or 1
    for value, expected in (("", min(2, cpus)), ("abc", min(2, cpus)), ("1", 1), ("0", 1), ("999", cpus)):
        monkeypatch.setenv("PLAYGROUND_SWEEP_THREADS", value)
        assert vectorized._threads() == expected, value


# ---- grouping and planning -------------------------------------------------------------------------


def test_configs_are_grouped_by_network_shape_and_data_size():
    spec = sw.SweepSpec(BASE, [sw.Axis("width", [2, 4, 8]), sw.Axis("seed", [1, 2])])
    plan = sw.plan(spec)
    assert sorted(len(s) for s in plan.stacks) == [2, 2, 2]
    for members in plan.stacks:
        widths = {plan.configs[i].layers[0].units for i in members}
        assert len(widths) == 1  # one shape per stack; seeds (different data) share it
    assert plan.sequential == []
    spec = sw.SweepSpec(BASE, [sw.Axis("learning_rate", [0.01, 0.1]), sw.Axis("batch_size", [5, 10])])
    assert len(sw.plan(spec).stacks) == 2  # batch size changes the steps: its own stack


def test_planned_data_sizes_match_the_generators():
    from playground.datasets import DATASETS

    for name, spec in DATASETS.items():
        if name == "custom":
            continue
        config = Config(dataset=name, problem=spec.problem, loss="square" if spec.classes <= 2 else "ce",
                        n_samples=101, train_percent=37)
        data = make_data(config)
        assert sw._sizes(config) == (len(data.train_labels), len(data.test_labels)), name


def test_dropout_and_batch_norm_run_alone_on_trainer():
    base = BASE.evolve(layers=[Layer(4, "tanh", dropout=0.2), Layer(2, "tanh")], epochs=5)
    spec = sw.SweepSpec(base, [sw.Axis("learning_rate", [0.01, 0.03])])
    plan = sw.plan(spec)
    assert plan.stacks == [] and plan.sequential == [0, 1]
    result = sw.run(spec, plan)
    for lane, config in zip(result.lanes, plan.configs, strict=True):
        assert not lane.vectorised
        assert lane.status == "done"
        assert lane.test_loss == alone(config).snapshot().test_loss


def test_a_mixed_sweep_gives_every_cell_its_single_run_result():
    spec = sw.SweepSpec(BASE.evolve(epochs=25), [sw.Axis("depth", [0, 1, 2]), sw.Axis("learning_rate", [0.01, 0.1])])
    result = sw.run(spec)
    assert result.stacks == 3
    for lane, config in zip(result.lanes, spec.configs(), strict=True):
        assert_same(lane, alone(config))


def test_limits_refuse_with_a_reason():
    too_many = sw.SweepSpec(BASE, [sw.Axis("learning_rate", sw.log_values(1e-4, 1, 20)),
                                   sw.Axis("seed", list(range(1, 21)))])
    plan = sw.plan(too_many)
    assert plan.refusal.code == "too_many" and "at most 256" in plan.refusal.message
    too_slow = sw.SweepSpec(BASE.evolve(epochs=100_000, n_samples=2000, layers=[Layer(32, "tanh")] * 10),
                            [sw.Axis("seed", list(range(1, 17)))])
    plan = sw.plan(too_slow)
    assert plan.refusal.code == "too_slow" and plan.seconds > sw.MAX_SECONDS
    with pytest.raises(ConfigError):
        sw.SweepRun(too_slow, plan)
    fine = sw.plan(sw.SweepSpec(BASE, [sw.Axis("seed", [1, 2])]))
    assert fine.ok and 0 < fine.seconds < 5 and 0 < fine.memory < sw.MAX_MEMORY


def test_stop_keeps_what_ran_and_marks_the_rest():
    spec = sw.SweepSpec(BASE.evolve(epochs=400), [sw.Axis("width", [2, 3]), sw.Axis("seed", [1, 2])])
    run = sw.SweepRun(spec)
    while run.current is None or run.current[2].epoch < 30:
        run.advance(0.05)
    run.stop()
    result = run.result()
    statuses = result.statuses()
    assert run.done and statuses.count("stopped") == 2 and statuses.count("pending") == 2
    stopped = [lane for lane in result.lanes if lane is not None]
    assert all(0 < lane.epoch < 400 and math.isfinite(lane.test_loss) for lane in stopped)
    assert result.summary()["pending"] == 2


# ---- the definition and its forms ------------------------------------------------------------------


def test_values_parse_with_log_spaced_helpers_and_reject_nonsense():
    assert sw.log_values(0.001, 1, 4) == [0.001, 0.01, 0.1, 1.0]
    assert sw.parse_values("learning_rate", "log:0.001:1:7")[:3] == [0.001, 0.00316, 0.01]
    assert sw.parse_values("width", "2, 4,8") == [2, 4, 8]
    assert sw.parse_values("activation", "relu,tanh") == ["relu", "tanh"]
    for key, text in (("learning_rate", "fast"), ("activation", "swish"), ("colour", "1"), ("seed", ""),
                      ("learning_rate", "log:1:0:99")):
        with pytest.raises(ConfigError):
            sw.parse_values(key, text)
    with pytest.raises(ConfigError):  # 20 is not a valid learning rate
        sw.SweepSpec(BASE, [sw.Axis("learning_rate", [20.0])]).configs()


def test_knobs_change_what_they_name():
    assert [l.units for l in sw.apply(BASE, "width", 8).layers] == [8, 8]
    assert len(sw.apply(BASE, "depth", 3).layers) == 3 and sw.apply(BASE, "depth", 0).layers == []
    assert {l.activation for l in sw.apply(BASE, "activation", "relu").layers} == {"relu"}
    reg = sw.apply(BASE, "regularization_rate", 0.01)
    assert reg.regularization == "l2" and reg.regularization_rate == 0.01


def test_the_definition_round_trips_through_json_and_the_link():
    spec = sw.SweepSpec(BASE.evolve(dataset="xor", epochs=120),
                        [sw.Axis("learning_rate", [0.01, 0.03]), sw.Axis("activation", ["relu", "tanh"])],
                        metric="test_accuracy", target=0.1)
    again = sw.SweepSpec.from_json(spec.to_json())
    assert again.to_dict() == spec.to_dict()
    query = spec.to_query()
    assert query["vary1"] == "learning_rate:0.01,0.03" and query["vary2"] == "activation:relu,tanh"
    axes, errors = sw.axes_from_query({**query, "vary2": "activation:relu,swish"})
    assert [a.key for a in axes] == ["learning_rate"] and "swish" in str(errors[0])


def test_results_export_as_csv_and_json():
    spec = sw.SweepSpec(BASE.evolve(epochs=10), [sw.Axis("learning_rate", [0.01, 0.1]), sw.Axis("seed", [1, 2])])
    result = sw.run(spec)
    rows = list(csv.DictReader(io.StringIO(result.to_csv())))
    assert len(rows) == 4 and rows[3]["learning_rate"] == "0.1" and rows[3]["seed"] == "2"
    assert float(rows[0]["test_loss"]) == pytest.approx(result.lanes[0].test_loss)
    assert "learning_rate=0.1" in rows[3]["query"] and "seed=2" in rows[3]["query"]
    data = json.loads(result.to_json())
    assert data["sweep"]["vary"][0]["values"] == [0.01, 0.1] and len(data["results"]) == 4
    assert result.grid().shape == (2, 2)
    assert sw.boundary(result, 0, resolution=20).shape == (20, 20)


# ---- the command line ------------------------------------------------------------------------------


def cli(*args, cwd=ROOT):
    return subprocess.run([sys.executable, "-m", "playground", *args], capture_output=True, text=True, cwd=cwd,
                          timeout=600)


def test_cli_prints_one_line_per_config_then_a_summary(tmp_path):
    base = tmp_path / "base.json"
    base.write_text(json.dumps({"dataset": "xor", "layers": "4:tanh"}))
    out = cli("sweep", "--config", str(base), "--vary", "learning_rate=0.01,0.1", "--vary", "seed=1,2",
              "--epochs", "20")
    assert out.returncode == 0, out.stderr
    lines = [json.loads(line) for line in out.stdout.strip().splitlines()]
    assert len(lines) == 5 and lines[-1]["summary"] is True and lines[-1]["configs"] == 4
    for row in lines[:4]:
        config = Config(dataset="xor", layers=[Layer(4, "tanh")], epochs=20, learning_rate=row["learning_rate"],
                        seed=row["seed"])
        assert row["status"] == "done" and row["epochs"] == 20
        assert row["test_loss"] == pytest.approx(alone(config).snapshot().test_loss, rel=REL)


def test_cli_rejects_a_bad_knob_and_a_refused_sweep_with_exit_2(tmp_path):
    out = cli("sweep", "--vary", "learning_rate=fast")
    assert out.returncode == 2 and "learning_rate" in out.stderr and "fast" in out.stderr
    out = cli("sweep", "--vary", "learning_rate=log:0.0001:1:20", "--vary", "seed=1,2,3,4,5,6,7,8,9,10,11,12,13,14")
    assert out.returncode == 2 and "refused" in out.stderr and "256" in out.stderr
    with pytest.raises(ConfigError, match="--vary"):
        sw.spec_from_args(type("Args", (), {"vary": []})(), BASE)
