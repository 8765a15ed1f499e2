"""Every case of the hostile corpus (tests/hostile/) through the engine: links are read leniently,
files strictly, pickles never run, extreme hyperparameters never raise, and limits hold in the engine."""

from __future__ import annotations

import math
import pickle
import subprocess
import sys
from dataclasses import fields, replace
from pathlib import Path

import pytest
import torch

sys.path.insert(0, str(Path(__file__).parent))

from hostile.corpus import (  # noqa: E402
    CONFIG_CASES,
    CSV_CASES,
    MALFORMED_WEIGHTS,
    MARKER,
    PICKLES,
    bounded,
    config_bytes,
    csv_bytes,
    query_cases,
    sweep_link_outcomes,
    weights_bytes,
)

from playground.config import MAX_LAYERS, MAX_POINTS, MAX_UNITS, Config, ConfigError, Layer, validate  # noqa: E402
from playground.datasets import DataError, parse_csv  # noqa: E402
from playground.export import WeightsError, config_metadata, load_weights  # noqa: E402
from playground.export import weights_bytes as save_bytes
from playground.inspection import decision_grid  # noqa: E402
from playground.optim import OPTIMIZERS  # noqa: E402
from playground.training import Trainer  # noqa: E402

QUERIES = query_cases()
MESSAGE_MAX = 500  # a message a person reads: a hostile value must not turn it into a wall of text


def base_key(key: str) -> str:
    """`layers[0].units` -> `layers`."""
    return key.split("[")[0].split(".")[0]


def within_limits(c: Config) -> None:
    assert len(c.layers) <= MAX_LAYERS and all(1 <= l.units <= MAX_UNITS for l in c.layers)
    assert 50 <= c.n_samples <= MAX_POINTS and len(c.points) <= MAX_POINTS


# ---- links: skipped or clamped with a warning, never an exception ----------------------------------


def test_the_corpus_covers_what_the_issue_lists():
    names = {c.name for c in QUERIES}
    for needed in ("unknown_keys", "int_not_a_number", "too_large_clamped", "nan_values", "inf_values",
                   "negative_sizes", "very_long_string", "unknown_dataset", "unknown_activation",
                   "unknown_optimizer", "layers_only_colons", "script_tag_dataset", "huge_numbers"):
        assert needed in names
    assert len(QUERIES) >= 60


@pytest.mark.parametrize("case", QUERIES, ids=[c.name for c in QUERIES])
def test_query_is_read_leniently(case):
    config, warnings = Config.from_query(case.last_values())
    assert validate(config) is config  # whatever the link said, the result is a usable config
    within_limits(config)
    reported = {base_key(w.key) for w in warnings}
    assert set(case.keys) <= reported, f"not reported: {set(case.keys) - reported}"
    if not case.keys:
        assert not warnings, [str(w) for w in warnings]
    for w in warnings:
        assert isinstance(w, ConfigError) and len(str(w)) < MESSAGE_MAX, str(w)[:200]
    again, clean = Config.from_query(config.to_query())  # the page's own link is clean
    assert again == config and not clean


@pytest.mark.parametrize("case", QUERIES, ids=[c.name for c in QUERIES])
def test_query_config_trains(case):
    config, _ = Config.from_query(case.last_values())
    config = config.evolve(n_samples=min(config.n_samples, 200))  # one cheap epoch is enough here
    snap = Trainer(config).run(1)
    assert snap.status in ("running", "done", "diverged")


def test_out_of_range_numbers_are_clamped_or_skipped_to_an_allowed_value():
    config, warnings = Config.from_query({"n_samples": "1000000000", "learning_rate": "nan", "noise": "-20"})
    assert config.n_samples in (MAX_POINTS, Config().n_samples)
    assert config.learning_rate == Config().learning_rate
    assert config.noise in (0.0, Config().noise)
    assert {w.key for w in warnings} == {"n_samples", "learning_rate", "noise"}


# ---- files: strict, one clear message ----------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(CSV_CASES))
def test_csv_file(name):
    problem, phrase = CSV_CASES[name]
    data = csv_bytes(name)
    if phrase is None:
        points = parse_csv(data, problem=problem)
        assert len(points) >= 2 and all(len(p) == 3 for p in points)
        Config().evolve(dataset="custom", points=points)  # what the file gave is a valid dataset
        return
    with pytest.raises(DataError) as err:
        parse_csv(data, problem=problem)
    message = str(err.value)
    assert phrase.lower() in message.lower(), message
    assert len(message) < MESSAGE_MAX


@pytest.mark.slow
def test_million_rows_as_text_are_refused_too():
    text = csv_bytes("million_rows.csv.gz").decode()
    with pytest.raises(DataError, match="(?i)too many rows|too large"):
        parse_csv(text)


@pytest.mark.parametrize("name", sorted(CONFIG_CASES))
def test_config_file_is_rejected_naming_the_key(name):
    with pytest.raises(ConfigError) as err:
        Config.from_json(config_bytes(name))
    key, expected = base_key(err.value.key), CONFIG_CASES[name]
    assert key == expected or (len(expected) > 100 and expected.startswith(key.rstrip(".…")[:50])), key[:80]
    assert len(str(err.value)) < MESSAGE_MAX, str(err.value)[:200]


def test_every_config_file_of_the_corpus_has_an_expectation():
    files = {p.name for p in (Path(__file__).parent / "hostile" / "configs").iterdir()}
    assert files == set(CONFIG_CASES)
    files = {p.name for p in (Path(__file__).parent / "hostile" / "csv").iterdir()}
    assert files == set(CSV_CASES)


def test_a_valid_config_file_still_loads():
    config = Config(dataset="xor", layers=[Layer(8, "relu")], learning_rate=0.1)
    assert Config.from_json(config.to_json().encode()) == config


# ---- weights: pickles refused, malformed files refused, the network untouched ------------------------


@pytest.mark.slow
def test_the_pickle_payloads_are_live(tmp_path):
    """Guard against a toothless corpus: unpickled the ordinary way, each payload does run."""
    script = (
        "import os, pickle, sys, torch\n"
        "for path in sys.argv[1:]:\n"
        "    data = open(path, 'rb').read()\n"
        "    if path.endswith('.pt'):\n"
        "        torch.load(path, weights_only=False)\n"
        "    else:\n"
        "        pickle.loads(data)\n"
        f"    assert os.path.exists({MARKER!r}), path\n"
        f"    os.remove({MARKER!r})\n"
        "print('all ran')\n"
    )
    paths = [str(Path(__file__).parent / "hostile" / "weights" / p) for p in PICKLES]
    out = subprocess.run([sys.executable, "-c", script, *paths], cwd=tmp_path, capture_output=True, text=True)
    assert out.stdout.strip() == "all ran", out.stderr[-2000:]


@pytest.fixture
def trainer():
    return Trainer(Config(epochs=5))


def state(trainer):
    return {k: v.clone() for k, v in trainer.model_.state_dict().items()}


def same(a, b):
    return a.keys() == b.keys() and all(torch.equal(a[k], b[k]) for k in a)


@pytest.mark.parametrize("name", PICKLES)
def test_pickle_weights_are_refused_without_running(name, trainer, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    before = state(trainer)
    with pytest.raises(WeightsError):
        load_weights(trainer, weights_bytes(name))
    assert not (tmp_path / MARKER).exists()
    assert same(before, state(trainer))
    # the documented alternative, torch.load(weights_only=True), refuses it as well
    path = Path(__file__).parent / "hostile" / "weights" / name
    with pytest.raises((pickle.UnpicklingError, RuntimeError, EOFError)):
        torch.load(path, weights_only=True)
    assert not (tmp_path / MARKER).exists()


@pytest.mark.parametrize("name", MALFORMED_WEIGHTS)
def test_malformed_weights_are_refused(name, trainer):
    data = weights_bytes(name)
    before = state(trainer)
    with pytest.raises(WeightsError) as err:
        load_weights(trainer, data)
    assert len(str(err.value)) < MESSAGE_MAX
    assert same(before, state(trainer))
    meta = config_metadata(data)  # what a page reads first to offer the stored config
    assert meta is None or isinstance(meta, dict)
    if isinstance(meta, dict):
        with pytest.raises(ConfigError):
            Config.from_dict(meta)


def test_weights_that_do_not_fit_or_are_not_finite_are_refused(trainer):
    other = Trainer(Config(layers=[Layer(3, "tanh")]))
    with pytest.raises(WeightsError, match="shape"):
        load_weights(trainer, save_bytes(other))
    good = save_bytes(trainer)
    with pytest.raises(WeightsError):
        load_weights(trainer, good[: len(good) // 2])
    with pytest.raises(WeightsError, match="(?i)large"):
        load_weights(trainer, good + b" " * 1_100_000)
    bad = Trainer(Config(epochs=5))
    with torch.no_grad():
        bad.model_.out.weight.fill_(float("nan"))
    before = state(trainer)
    with pytest.raises(WeightsError, match="(?i)nan|infinite"):
        load_weights(trainer, save_bytes(bad))
    assert same(before, state(trainer))


def test_good_weights_still_load(trainer):
    source = Trainer(Config(epochs=5))
    source.run(5)
    load_weights(trainer, save_bytes(source))
    assert same(state(source), state(trainer))


# ---- extreme hyperparameters: diverged or carrying on, never an exception ------------------------------


def assert_survives(trainer, epochs):
    snap = trainer.run(epochs)
    assert snap.status in ("running", "done", "diverged")
    params = list(trainer.model_.parameters())
    assert all(bool(torch.isfinite(p).all()) for p in params)  # the last finite weights are kept
    if snap.status == "diverged":
        assert snap.message
        again = trainer.run(3)
        assert again.status == "diverged" and again.epoch == snap.epoch
    else:
        assert math.isfinite(snap.train_loss)
    grid = decision_grid(trainer, resolution=20)
    assert grid.output.shape == (20, 20)
    return snap


@pytest.mark.parametrize("optimizer", list(OPTIMIZERS))
def test_learning_rate_10_with_every_optimizer(optimizer):
    assert_survives(Trainer(Config(optimizer=optimizer, learning_rate=10.0, n_samples=200)), 10)
    regression = Config(dataset="plane", problem="regression", loss="mse", optimizer=optimizer,
                        learning_rate=10.0, n_samples=200)
    assert_survives(Trainer(regression), 10)


def test_learning_rate_10_is_reported_as_diverged_where_it_explodes():
    snap = assert_survives(Trainer(Config(dataset="plane", problem="regression", loss="mse",
                                          learning_rate=10.0, n_samples=200)), 10)
    assert snap.status == "diverged"


@pytest.mark.parametrize("activation", ["relu", "tanh", "sigmoid"])
def test_maximum_width_and_depth_with_batch_size_1(activation):
    config = Config(layers=[Layer(MAX_UNITS, activation)] * MAX_LAYERS, batch_size=1, n_samples=60,
                    optimizer="adam", learning_rate=10.0)
    assert_survives(Trainer(config), 2)


def test_batch_norm_and_heavy_dropout_with_batch_size_1():
    config = Config(layers=[Layer(8, "relu", dropout=0.9, batch_norm=True)] * 3, batch_size=1, n_samples=60,
                    learning_rate=10.0)
    assert_survives(Trainer(config), 3)


@pytest.mark.parametrize("activation", ["relu", "tanh", "sigmoid", "linear", "gelu"])
def test_zero_initialisation(activation):
    assert_survives(Trainer(Config(init="zeros", layers=[Layer(4, activation)] * 3, n_samples=100)), 5)


@pytest.mark.parametrize("kind", ["l1", "l2"])
@pytest.mark.parametrize("learning_rate", [0.03, 10.0])
def test_regularisation_rate_10(kind, learning_rate):
    config = Config(regularization=kind, regularization_rate=10.0, learning_rate=learning_rate, n_samples=100)
    assert_survives(Trainer(config), 8)


@pytest.mark.parametrize("dataset,loss", [("circle", "bce"), ("circle", "hinge"), ("blobs", "ce"),
                                          ("plane", "mae"), ("plane", "huber"), ("sine", "square")])
def test_every_loss_at_learning_rate_10(dataset, loss):
    problem = "regression" if dataset in ("plane", "sine") else "classification"
    config = Config(dataset=dataset, problem=problem, loss=loss, learning_rate=10.0, n_samples=100)
    assert_survives(Trainer(config), 5)


@pytest.mark.parametrize("schedule", ["step", "exponential", "cosine"])
def test_extreme_schedules(schedule):
    config = Config(schedule=schedule, step_size=1, gamma=0.01, epochs=1, learning_rate=10.0, n_samples=100)
    trainer = Trainer(config)
    assert_survives(trainer, 1)
    trainer.update(config.evolve(epochs=400))
    assert_survives(trainer, 400)  # the rate decays below any float; still no exception


def test_live_change_to_extreme_knobs_mid_run_then_reset():
    trainer = Trainer(Config(n_samples=100, epochs=1000))
    trainer.run(3)
    assert trainer.update(trainer.config.evolve(learning_rate=10.0, optimizer="momentum", momentum=0.999,
                                                regularization="l2", regularization_rate=10.0))
    assert_survives(trainer, 20)
    snap = trainer.reset()
    assert snap.status == "running" and snap.epoch == 0
    assert_survives(trainer, 2)


# ---- limits hold in the engine, whatever the caller ----------------------------------------------------

OVER_LIMIT = {
    "n_samples": 1_000_000,
    "layers": [Layer(4, "tanh")] * (MAX_LAYERS + 1),
    "batch_size": 0,
    "epochs": 10**9,
    "learning_rate": 1e6,
    "features": [],
}


@pytest.mark.parametrize("key", list(OVER_LIMIT))
def test_limits_are_enforced_by_the_engine(key):
    bypass = replace(Config(), **{key: OVER_LIMIT[key]})  # built without validation, as a careless caller might
    with pytest.raises(ConfigError) as err:
        Trainer(bypass)
    assert base_key(err.value.key) == key
    with pytest.raises(ConfigError):
        Config().evolve(**{key: OVER_LIMIT[key]})
    trainer = Trainer(Config(n_samples=60))
    before = trainer.config
    with pytest.raises(ConfigError):
        trainer.update(bypass)
    assert trainer.config == before


def test_width_and_custom_points_limits():
    with pytest.raises(ConfigError, match="units"):
        Trainer(replace(Config(), layers=[Layer(MAX_UNITS + 1, "relu")]))
    points = [[0.0, 0.0, 0], [1.0, 1.0, 1]] * (MAX_POINTS // 2 + 1)
    with pytest.raises(ConfigError, match="points"):
        Trainer(replace(Config(), dataset="custom", points=points))
    rows = "x1,x2,label\n" + "1,1,0\n2,2,1\n" * (MAX_POINTS // 2 + 1)
    with pytest.raises(DataError):
        parse_csv(rows)


def test_every_numeric_knob_has_limits():
    for f in fields(Config):
        if f.type in ("int", "float"):
            assert f.metadata["lo"] is not None and f.metadata["hi"] is not None, f.name


# ---- sweep links: bounded before any work is done -----------------------------------------------------

SWEEPS = query_cases("sweep_queries.txt")
PLAN_REFUSALS = {"sweep_grid_too_big": "too_many", "sweep_too_slow": "too_slow"}


@pytest.fixture(scope="module")
def sweep_outcomes():
    return sweep_link_outcomes(SWEEPS)


@pytest.mark.parametrize("case", SWEEPS, ids=[c.name for c in SWEEPS])
def test_sweep_link_is_read_and_bounded(case, sweep_outcomes):
    result = sweep_outcomes[case.name]
    outcome = result["outcome"]
    assert bounded(outcome), outcome
    reported = {base_key(k) for k in result["reported"]}
    assert set(case.keys) <= reported, f"not reported when the link is read: {set(case.keys) - reported}"
    if case.name in PLAN_REFUSALS:
        assert outcome == "refused:" + PLAN_REFUSALS[case.name]
