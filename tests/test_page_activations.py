"""The activations-and-losses page, run headless with AppTest; shown numbers checked against autograd."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

import playground.activation_info  # noqa: F401  (the package, before AppTest puts app_pages/ on the path)
from playground.activation_info import LOSS_NAMES, activation_at, loss_values
from playground.model import ACTIVATIONS

PAGE = str(Path(__file__).resolve().parents[1] / "app_pages" / "activations.py")


def metrics(at) -> dict[str, float]:
    return {m.label: float(m.value) for m in at.metric}


@pytest.fixture
def at():
    app = AppTest.from_file(PAGE, default_timeout=60).run()
    assert not app.exception
    return app


def test_relu_at_one_then_dead_at_minus_two(at):
    assert at.selectbox(key="act_choice").value == "relu"
    m = metrics(at)
    assert m["f(x)"] == 1.0 and m["f′(x)"] == 1.0
    at.slider(key="act_x").set_value(-2.0).run()
    m = metrics(at)
    assert m["f(x)"] == 0.0 and m["f′(x)"] == 0.0
    assert any("dead" in e.value for e in at.error)


def test_every_activation_shows_autograds_numbers(at):
    at.slider(key="act_x").set_value(-3.7).run()
    for name in ACTIVATIONS:
        at.selectbox(key="act_choice").set_value(name).run()
        assert not at.exception
        f, df = (float(v) for v in activation_at(name, -3.7))
        m = metrics(at)
        assert m["f(x)"] == pytest.approx(f, rel=1e-3, abs=1e-9), name
        assert m["f′(x)"] == pytest.approx(df, rel=1e-3, abs=1e-9), name
        saturated = any("saturated" in w.value for w in at.warning)
        assert saturated == (name in ("sigmoid", "tanh", "elu", "gelu", "silu", "softplus")), name


def test_sigmoid_peak_slope(at):
    at.selectbox(key="act_choice").set_value("sigmoid").run()
    at.slider(key="act_x").set_value(0.0).run()
    assert metrics(at)["f′(x)"] == 0.25


def test_every_loss_shows_autograds_numbers(at):
    for name in LOSS_NAMES:
        at.selectbox(key="loss_choice").set_value(name).run()
        assert not at.exception
        lo, hi = (-6, 6) if name in ("bce", "ce") else (-3, 3)
        at.slider(key=f"loss_pred_{lo}_{hi}").set_value(0.4).run()
        target = {"mse": 0.5, "mae": 0.5, "huber": 0.5, "bce": 1, "hinge": 1, "ce": 0}[name]
        loss, grad = (float(v[0]) for v in loss_values(name, [0.4], target))
        m = metrics(at)
        assert m["Loss L"] == pytest.approx(loss, rel=1e-3), name
        grad_label = next(label for label in m if label.startswith("Gradient"))
        assert m[grad_label] == pytest.approx(grad, rel=1e-3, abs=1e-9), name


def test_targets_and_huber_delta_change_the_numbers(at):
    at.selectbox(key="loss_choice").set_value("bce").run()
    at.slider(key="loss_pred_-6_6").set_value(2.0).run()
    right = metrics(at)["Loss L"]
    at.radio(key="loss_target_bce").set_value(0).run()
    assert metrics(at)["Loss L"] > right
    at.selectbox(key="loss_choice").set_value("ce").run()
    at.radio(key="loss_target_ce").set_value(2).run()
    assert not at.exception and metrics(at)["Gradient ∂L/∂z_A"] > 0
    at.selectbox(key="loss_choice").set_value("huber").run()
    at.slider(key="loss_pred_-3_3").set_value(-3.0).run()
    at.slider(key="loss_delta").set_value(0.5).run()
    assert metrics(at)["Gradient ∂L/∂ŷ"] == -0.5
    at.selectbox(key="loss_choice").set_value("hinge").run()
    at.radio(key="loss_target_hinge").set_value(1).run()
    at.slider(key="loss_pred_-3_3").set_value(2.0).run()
    assert metrics(at)["Gradient ∂L/∂s"] == 0
    assert any("no gradient" in i.value for i in at.info)


def test_chinese():
    app = AppTest.from_file(PAGE, default_timeout=60)
    app.session_state["lang"] = "zh"
    app.run()
    assert not app.exception
    assert app.title[0].value == "激活函数与损失函数"
    assert app.selectbox(key="act_choice").label == "激活函数"
