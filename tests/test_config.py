"""The one config: validation messages, and exact JSON and URL round trips (property-based)."""

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from playground.config import (
    LIVE_KEYS,
    MAX_LAYERS,
    MAX_UNITS,
    Config,
    ConfigError,
    Layer,
    field_info,
    field_names,
    fit_problem,
)
from playground.datasets import DATASETS, FEATURES
from playground.losses import CLASSIFICATION_LOSSES, REGRESSION_LOSSES
from playground.model import ACTIVATIONS, INITS
from playground.optim import OPTIMIZERS, SCHEDULES

PRODUCT_KEYS = ["dataset", "n_samples", "noise", "train_percent", "seed", "features", "layers", "problem",
                "loss", "optimizer", "learning_rate", "batch_size", "regularization", "regularization_rate",
                "init", "epochs"]


def test_product_keys_exist_with_defaults():
    d = Config().to_dict()
    for key in PRODUCT_KEYS:
        assert key in d
    assert d["layers"] == [{"units": 4, "activation": "tanh", "dropout": 0.0, "batch_norm": False}] + [
        {"units": 2, "activation": "tanh", "dropout": 0.0, "batch_norm": False}]
    assert Config().to_query()["layers"] == "4:tanh,2:tanh"


def floats(lo, hi):
    return st.floats(lo, hi, allow_nan=False, allow_infinity=False)


@st.composite
def configs(draw):
    dataset = draw(st.sampled_from(sorted(DATASETS)))
    problem = DATASETS[dataset].problem or draw(st.sampled_from(["classification", "regression"]))
    points = []
    if dataset == "custom":
        label = st.integers(0, 4) if problem == "classification" else floats(-5, 5)
        points = draw(st.lists(st.tuples(floats(-100, 100), floats(-100, 100), label).map(list), max_size=20))
    base = Config(dataset=dataset, problem=problem, points=points,
                  n_classes=draw(st.integers(3, 5)))
    losses = CLASSIFICATION_LOSSES if problem == "classification" else REGRESSION_LOSSES
    loss = draw(st.sampled_from(losses))
    if problem == "classification" and base.num_classes > 2:
        loss = "ce"
    layers = draw(st.lists(st.builds(
        Layer, units=st.integers(1, MAX_UNITS), activation=st.sampled_from(sorted(ACTIVATIONS)),
        dropout=st.one_of(st.just(0.0), floats(0.0, 0.9)), batch_norm=st.booleans()), max_size=MAX_LAYERS))
    feats = draw(st.sets(st.sampled_from(list(FEATURES)), min_size=1))
    return Config(
        dataset=dataset, problem=problem, points=points, n_classes=base.n_classes, loss=loss, layers=layers,
        features=[f for f in FEATURES if f in feats],
        n_samples=draw(st.integers(50, 2000)), noise=draw(floats(0, 50)),
        train_percent=draw(st.integers(10, 90)), seed=draw(st.integers(0, 2**31 - 1)),
        optimizer=draw(st.sampled_from(sorted(OPTIMIZERS))), learning_rate=draw(floats(1e-6, 10)),
        batch_size=draw(st.integers(1, 2000)), regularization=draw(st.sampled_from(["none", "l1", "l2"])),
        regularization_rate=draw(floats(0, 10)), init=draw(st.sampled_from(sorted(INITS))),
        schedule=draw(st.sampled_from(sorted(SCHEDULES))), epochs=draw(st.integers(1, 100_000)),
        shuffle=draw(st.booleans()), momentum=draw(floats(0, 0.999)), eps=draw(floats(1e-12, 1.0)),
    ).evolve()


@settings(max_examples=200, suppress_health_check=[HealthCheck.too_slow])
@given(configs())
def test_json_round_trip_is_exact(config):
    again = Config.from_json(config.to_json())
    assert again == config
    assert again.to_json() == config.to_json()


@settings(max_examples=200, suppress_health_check=[HealthCheck.too_slow])
@given(configs())
def test_url_round_trip_is_exact(config):
    again, warnings = Config.from_query(config.to_query())
    assert warnings == []
    assert again == config
    only, warnings = Config.from_query(config.to_query(only_changed=True))
    assert warnings == [] and only == config


@pytest.mark.parametrize("key,value,fragment", [
    ("learning_rate", -1, "learning_rate"),
    ("n_samples", 10, "50 to 2000"),
    ("noise", 51, "0.0 to 50.0"),
    ("train_percent", 95, "10 to 90"),
    ("dataset", "moon", "one of circle"),
    ("activation", None, None),
    ("features", [], "non-empty"),
    ("layers", [{"units": 33, "activation": "relu"}], "layers[0].units"),
    ("layers", [{"units": 4, "activation": "swish"}], "layers[0].activation"),
    ("layers", [{"units": 4}] * 11, "0-10 layers"),
    ("optimizer", "lbfgs", "one of sgd"),
    ("batch_size", 0, "batch_size"),
    ("regularization", "l3", "none, l1, l2"),
    ("init", "ones", "xavier_uniform"),
    ("epochs", 10**9, "epochs"),
])
def test_invalid_values_name_key_value_and_allowed(key, value, fragment):
    if value is None:
        return
    with pytest.raises(ConfigError) as err:
        Config.from_dict({key: value})
    assert key.split("[")[0] in str(err.value)
    assert fragment in str(err.value)


def test_unknown_key_and_bad_json_are_rejected():
    with pytest.raises(ConfigError, match="learning_rat"):
        Config.from_dict({"learning_rat": 0.1})
    with pytest.raises(ConfigError, match="valid JSON"):
        Config.from_json("{not json")
    with pytest.raises(ConfigError, match="JSON object"):
        Config.from_json("[1, 2]")


def test_loss_that_does_not_fit_the_problem_says_so():
    with pytest.raises(ConfigError, match="regression"):
        Config.from_dict({"dataset": "circle", "loss": "mse"})
    with pytest.raises(ConfigError, match="classification"):
        Config.from_dict({"dataset": "plane", "loss": "bce"})
    with pytest.raises(ConfigError, match="3 classes"):
        Config.from_dict({"dataset": "spiral3", "loss": "square"})


def test_problem_and_loss_follow_the_dataset_when_not_given():
    assert Config.from_dict({"dataset": "plane"}).problem == "regression"
    assert Config.from_dict({"dataset": "blobs"}).loss == "ce"
    assert fit_problem(Config().evolve(dataset="xor").__class__(dataset="sine")).problem == "regression"


def test_url_reading_skips_or_clamps_with_warnings():
    config, warnings = Config.from_query({"learning_rate": "abc", "n_samples": "999999", "layers": "4:foo",
                                          "unknown": "x", "dataset": "spiral", "noise": "nan"})
    assert config.dataset == "spiral"
    assert config.learning_rate == Config().learning_rate
    assert config.n_samples == 2000
    assert config.layers == Config().layers
    assert {w.key for w in warnings} == {"learning_rate", "n_samples", "layers[0].activation", "noise"}


def test_layer_tokens_carry_dropout_and_batch_norm():
    config, warnings = Config.from_query({"layers": "8:relu:d0.25:bn,3:gelu"})
    assert warnings == []
    assert config.layers == [Layer(8, "relu", 0.25, True), Layer(3, "gelu")]
    assert config.to_query()["layers"] == "8:relu:d0.25:bn,3:gelu"


def test_live_keys_do_not_need_reset_and_the_rest_do():
    base = Config()
    assert "learning_rate" in LIVE_KEYS and "regularization_rate" in LIVE_KEYS and "optimizer" in LIVE_KEYS
    assert not base.needs_reset(base.evolve(learning_rate=0.3, regularization="l2", optimizer="adam"))
    assert base.needs_reset(base.evolve(dataset="xor"))
    assert base.needs_reset(base.evolve(layers=[Layer(3, "relu")]))


def test_field_info_serves_widgets():
    info = field_info("n_samples")
    assert (info["lo"], info["hi"], info["default"]) == (50, 2000, 500)
    assert set(field_names()) == set(json.loads(Config().to_json()))
