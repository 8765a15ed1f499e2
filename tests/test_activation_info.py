"""Activations and losses as curves: autograd derivatives against formulas and finite differences."""

from __future__ import annotations

import math

import numpy as np
import pytest

from playground.activation_info import (
    ACTIVATION_FORMULAS,
    LOSS_FORMULAS,
    LOSS_NAMES,
    LOSS_VIEWS,
    activation_at,
    activation_curve,
    check_target,
    loss_curve,
    loss_values,
)
from playground.model import ACTIVATIONS
from playground.teaching_figures import activation_figure, loss_curve_figure


def sigmoid(x):
    return 1 / (1 + np.exp(-x))


def phi(x):
    return np.exp(-x**2 / 2) / math.sqrt(2 * math.pi)


def Phi(x):
    return 0.5 * (1 + np.vectorize(math.erf)(x / math.sqrt(2)))


# (f, f') written by hand from the textbook definitions.
KNOWN = {
    "relu": (lambda x: np.maximum(0, x), lambda x: (x > 0).astype(float)),
    "leaky_relu": (lambda x: np.where(x > 0, x, 0.01 * x), lambda x: np.where(x > 0, 1.0, 0.01)),
    "elu": (lambda x: np.where(x > 0, x, np.exp(x) - 1), lambda x: np.where(x > 0, 1.0, np.exp(x))),
    "gelu": (lambda x: x * Phi(x), lambda x: Phi(x) + x * phi(x)),
    "silu": (lambda x: x * sigmoid(x), lambda x: sigmoid(x) * (1 + x * (1 - sigmoid(x)))),
    "tanh": (np.tanh, lambda x: 1 - np.tanh(x) ** 2),
    "sigmoid": (sigmoid, lambda x: sigmoid(x) * (1 - sigmoid(x))),
    "softplus": (lambda x: np.log1p(np.exp(x)), sigmoid),
    "linear": (lambda x: x, lambda x: np.ones_like(x)),
}

# Points away from the kinks at 0, where finite differences are meaningful.
XS = np.array([-5.3, -2.7, -1.28, -0.75, -0.4, 0.3, 0.9, 1.8, 3.64, 5.5])


def test_every_activation_has_a_formula_and_a_known_form():
    assert set(ACTIVATIONS) == set(KNOWN) == set(ACTIVATION_FORMULAS)


@pytest.mark.parametrize("name", list(ACTIVATIONS))
def test_activation_derivative_matches_formula_and_finite_differences(name):
    f, df = KNOWN[name]
    y, dy = activation_at(name, XS)
    np.testing.assert_allclose(y, f(XS), rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(dy, df(XS), rtol=1e-10, atol=1e-14)
    h = 1e-6
    fd = (activation_at(name, XS + h)[0] - activation_at(name, XS - h)[0]) / (2 * h)
    np.testing.assert_allclose(dy, fd, rtol=1e-6, atol=1e-8)
    value, slope = activation_at(name, 0.5)
    assert float(value) == pytest.approx(float(f(np.array(0.5)))) and np.ndim(slope) == 0


def test_dead_and_saturating_regions():
    relu = activation_curve("relu")
    assert relu.dead == [(-6.0, 0.0)] and relu.saturating == []
    sig = activation_curve("sigmoid")
    assert sig.dead == [] and len(sig.saturating) == 2
    (a, b), (c, d) = sig.saturating
    assert a == -6.0 and d == 6.0 and b == pytest.approx(-3.64, abs=0.03) and c == pytest.approx(3.64, abs=0.03)
    (a, b), (c, d) = activation_curve("tanh").saturating
    assert b == pytest.approx(-1.82, abs=0.03) and c == pytest.approx(1.82, abs=0.03)
    for left_only in ("elu", "softplus", "gelu", "silu"):
        tails = activation_curve(left_only).saturating
        assert len(tails) == 1 and tails[0][0] == -6.0 and tails[0][1] < 0, left_only
    for never in ("leaky_relu", "linear"):  # a constant slope, however small, is not saturation
        curve = activation_curve(never)
        assert curve.dead == [] and curve.saturating == [], never
    with pytest.raises(ValueError, match="activation"):
        activation_curve("swishy")


def test_claims_of_the_explanations():
    sig = activation_curve("sigmoid")
    assert sig.dy.max() == pytest.approx(0.25) and sig.x[sig.dy.argmax()] == pytest.approx(0.0, abs=1e-9)
    assert activation_curve("tanh").dy.max() == pytest.approx(1.0)
    gelu, silu = activation_curve("gelu", n=12001), activation_curve("silu", n=12001)
    assert gelu.x[gelu.y.argmin()] == pytest.approx(-0.75, abs=0.01)
    assert silu.x[silu.y.argmin()] == pytest.approx(-1.28, abs=0.01)
    assert silu.dy.min() < 0
    assert activation_curve("elu").y.min() > -1


def expected_loss(name, p, target, delta):
    e = p - target
    if name == "mse":
        return e**2, 2 * e
    if name == "mae":
        return np.abs(e), np.sign(e)
    if name == "huber":
        return np.where(np.abs(e) <= delta, 0.5 * e**2, delta * (np.abs(e) - 0.5 * delta)), np.clip(e, -delta, delta)
    if name == "bce":
        s = sigmoid(p)
        return -(target * np.log(s) + (1 - target) * np.log(1 - s)), s - target
    if name == "hinge":
        return np.maximum(0, 1 - target * p), np.where(target * p < 1, -target, 0.0)
    z = np.stack([p, np.zeros_like(p), np.zeros_like(p)], axis=1)
    soft = np.exp(z) / np.exp(z).sum(axis=1, keepdims=True)
    return -np.log(soft[:, int(target)]), soft[:, 0] - (target == 0)


CASES = [("mse", 0.5, 1.0), ("mse", -2.0, 1.0), ("mae", 1.3, 1.0), ("huber", 0.5, 1.0), ("huber", -1.0, 0.3),
         ("bce", 1, 1.0), ("bce", 0, 1.0), ("hinge", 1, 1.0), ("hinge", -1, 1.0), ("ce", 0, 1.0), ("ce", 2, 1.0)]


@pytest.mark.parametrize("name,target,delta", CASES)
def test_loss_and_gradient_match_formula_and_finite_differences(name, target, delta):
    lo, hi = LOSS_VIEWS[name].pred_range
    preds = np.linspace(lo, hi, 37) + 0.013  # off the kinks
    loss, grad = loss_values(name, preds, target, delta)
    want_loss, want_grad = expected_loss(name, preds, target, delta)
    np.testing.assert_allclose(loss, want_loss, rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(grad, want_grad, rtol=1e-9, atol=1e-12)
    h = 1e-6
    fd = (loss_values(name, preds + h, target, delta)[0] - loss_values(name, preds - h, target, delta)[0]) / (2 * h)
    np.testing.assert_allclose(grad, fd, rtol=1e-5, atol=1e-7)
    curve = loss_curve(name, target, delta, n=11)
    np.testing.assert_allclose(curve.loss, loss_values(name, curve.x, target, delta)[0])
    assert curve.x[0] == lo and curve.x[-1] == hi


def test_loss_shapes_the_page_describes():
    assert set(LOSS_NAMES) == set(LOSS_FORMULAS) == {"mse", "mae", "huber", "bce", "hinge", "ce"}
    _, grad = loss_values("hinge", [1.5, 3.0], 1)  # beyond the margin: no gradient at all
    assert (grad == 0).all()
    _, grad = loss_values("huber", [-3.0, 3.0], 0.0, huber_delta=0.5)  # capped at delta
    np.testing.assert_allclose(grad, [-0.5, 0.5])
    loss, grad = loss_values("bce", [-6.0], 1)  # confidently wrong: big loss, gradient does not fade
    assert loss[0] > 5 and grad[0] < -0.99
    _, up = loss_values("ce", [0.0], 0)
    _, down = loss_values("ce", [0.0], 1)
    assert up[0] < 0 < down[0]


def test_targets_are_validated():
    assert check_target("mse", 1.5) == 1.5
    for name, bad in [("mse", 3.0), ("bce", 0.5), ("hinge", 0), ("ce", 3)]:
        with pytest.raises(ValueError, match=name):
            check_target(name, bad)
    with pytest.raises(ValueError, match="loss"):
        loss_values("kl", [0.0], 0)
    with pytest.raises(ValueError, match="huber_delta"):
        loss_values("huber", [0.0], 0, huber_delta=0)


def test_figures_mark_regions_and_the_point():
    curve = activation_curve("relu")
    fig = activation_figure(curve, -2.0, 0.0, 0.0, "zh")
    rects = [s for s in fig.layout.shapes if s.type == "rect"]
    assert len(rects) == 1 and rects[0].x0 == -6.0 and rects[0].x1 == 0.0
    marker = fig.data[-1]
    assert list(marker.x) == [-2.0, -2.0] and list(marker.y) == [0.0, 0.0]
    assert [tr.name for tr in fig.data if tr.name in ("死亡区", "饱和区")] == ["死亡区"]
    sig = activation_figure(activation_curve("sigmoid"), 0.0, 0.5, 0.25)
    assert len([s for s in sig.layout.shapes if s.type == "rect"]) == 2
    lc = loss_curve("mse", 0.5)
    lfig = loss_curve_figure(lc, -1.0, 2.25, -3.0, "ŷ")
    assert list(lfig.data[2].x) == [-1.0, -1.0] and "∂L/∂ŷ = -3" in lfig.data[2].text[1]
    assert any(s.x0 == 0.5 for s in lfig.layout.shapes)  # the target line
