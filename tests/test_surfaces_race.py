"""Surfaces and the optimizer race: known behaviour of gradient descent reproduced, torch.optim checked by hand."""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch

from playground.race import OPTIMIZER_NAMES, RACE_KNOBS, Race, check_knobs, default_knobs, knob_range, make_optimizer
from playground.surfaces import SURFACES
from playground.teaching_figures import CLICK_GRID, click_trace_index, contour_figure, loss_figure

RAVINE = SURFACES["ravine"]


def run(surface, optimizer, knobs, steps, start=None):
    """One optimizer alone on a surface, after `steps` steps."""
    race = Race(surface, {optimizer: knobs}, start=start, max_steps=max(steps, 1))
    return race.step(steps).lanes[optimizer]


def distance_to_min(lane, surface):
    x, y = lane.position
    return min(math.hypot(x - mx, y - my) for mx, my in surface.minima)


# --- surfaces ---------------------------------------------------------------------------------------

ANALYTIC_GRADIENTS = {
    "bowl": lambda x, y: (x, y),
    "ravine": lambda x, y: (0.02 * x, 20 * y),
    "rosenbrock": lambda x, y: (-2 * (1 - x) - 400 * x * (y - x**2), 200 * (y - x**2)),
    "beale": lambda x, y: (
        2 * (1.5 - x + x * y) * (y - 1) + 2 * (2.25 - x + x * y**2) * (y**2 - 1)
        + 2 * (2.625 - x + x * y**3) * (y**3 - 1),
        2 * (1.5 - x + x * y) * x + 2 * (2.25 - x + x * y**2) * 2 * x * y
        + 2 * (2.625 - x + x * y**3) * 3 * x * y**2,
    ),
    "saddle": lambda x, y: (2 * x, y * (y**2 - 1)),
    "himmelblau": lambda x, y: (4 * x * (x**2 + y - 11) + 2 * (x + y**2 - 7),
                                2 * (x**2 + y - 11) + 4 * y * (x + y**2 - 7)),
}


@pytest.mark.parametrize("name", list(SURFACES))
def test_surface_minima_start_and_gradient(name):
    s = SURFACES[name]
    assert s.contains(*s.start)
    for mx, my in s.minima:
        assert s.contains(mx, my)
        assert s.value(mx, my) == pytest.approx(s.min_value, abs=1e-9)
        assert np.abs(s.gradient(mx, my)).max() < 1e-4
    rng = np.random.default_rng(0)
    for _ in range(5):
        x, y = rng.uniform(*s.x_range), rng.uniform(*s.y_range)
        np.testing.assert_allclose(s.gradient(x, y), ANALYTIC_GRADIENTS[name](x, y), rtol=1e-10, atol=1e-10)
        assert s.value(x, y) >= s.min_value - 1e-12
    xs, ys, z = s.grid(30)
    assert z.shape == (30, 30) and np.isfinite(z).all()
    assert z[0, 0] == pytest.approx(s.value(xs[0], ys[0]))


def test_saddle_is_a_saddle():
    s = SURFACES["saddle"]
    hessian = torch.autograd.functional.hessian(s, torch.zeros(2, dtype=torch.float64))
    eig = torch.linalg.eigvalsh(hessian)
    assert eig[0] < 0 < eig[1]
    assert np.abs(s.gradient(0.0, 0.0)).max() == 0


# --- the ravine: zig-zag, momentum, divergence -------------------------------------------------------

def test_plain_gradient_descent_zigzags_across_the_ravine():
    lane = run(RAVINE, "sgd", {"learning_rate": 0.09}, 30)
    dy = np.diff(lane.path[:, 1])
    assert (dy[:-1] * dy[1:] < 0).all()  # the steep coordinate's step flips sign every single step
    dx = np.diff(lane.path[:, 0])
    assert (dx > 0).all()  # while it crawls steadily along the floor
    assert lane.position[0] < -8.0  # and after 30 steps has covered less than a tenth of the way


@pytest.mark.parametrize("steps", [100, 200, 300])
def test_momentum_gets_closer_than_any_stable_gradient_descent(steps):
    momentum = run(RAVINE, "momentum", {"learning_rate": 0.02, "momentum": 0.99}, steps)
    for lr in (0.02, 0.05, 0.09, 0.099):  # plain GD is stable only below 2/20 = 0.1
        sgd = run(RAVINE, "sgd", {"learning_rate": lr}, steps)
        assert sgd.status != "diverged"
        assert distance_to_min(momentum, RAVINE) < 0.6 * distance_to_min(sgd, RAVINE)


def test_momentum_tolerates_steps_that_make_gradient_descent_diverge():
    for lr in (0.11, 0.15):
        sgd = run(RAVINE, "sgd", {"learning_rate": lr}, 300)
        assert sgd.status == "diverged" and sgd.diverged_at is not None
        momentum = run(RAVINE, "momentum", {"learning_rate": lr, "momentum": 0.99}, 300)
        assert momentum.status != "diverged"
        assert distance_to_min(momentum, RAVINE) < 9.0  # has made progress from 9.1 away
    # Its effective step along the floor, lr / (1 - beta) = 2, is twenty times GD's limit.
    too_far = run(RAVINE, "sgd", {"learning_rate": 2.0}, 10)
    assert too_far.status == "diverged"


def test_nesterov_stops_bouncing_between_the_walls():
    knobs = {"learning_rate": 0.02, "momentum": 0.99}
    momentum, nesterov = run(RAVINE, "momentum", knobs, 60), run(RAVINE, "nesterov", knobs, 60)
    assert np.abs(momentum.path[40:, 1]).max() > 0.1
    assert np.abs(nesterov.path[40:, 1]).max() < 0.01


def test_divergence_is_reported_never_raised():
    race = Race(RAVINE, {"sgd": {"learning_rate": 0.5}, "adam": {"learning_rate": 0.3}}, max_steps=50)
    snap = race.step(50)
    sgd = snap.lanes["sgd"]
    assert sgd.status == "diverged" and sgd.diverged_at == 2  # |1 - 0.5*20| = 9: 1.5 -> 13.5 -> 121
    assert len(sgd.path) == sgd.diverged_at + 1 and np.isfinite(sgd.path).all()
    assert snap.lanes["adam"].status != "diverged" and len(snap.lanes["adam"].path) == 51
    # Overflow to inf/nan on a steep surface is also just "diverged".
    beale = run(SURFACES["beale"], "sgd", {"learning_rate": 10.0}, 20, start=(4.0, 4.0))
    assert beale.status == "diverged" and np.isfinite(beale.path).all() and np.isfinite(beale.losses).all()


def test_bowl_one_step_and_divergence():
    bowl = SURFACES["bowl"]
    exact = run(bowl, "sgd", {"learning_rate": 1.0}, 1)
    np.testing.assert_allclose(exact.position, [0.0, 0.0], atol=1e-15)
    assert exact.status == "arrived"
    assert run(bowl, "sgd", {"learning_rate": 2.1}, 100).status == "diverged"


def test_saddle_plain_descent_lingers_while_adaptive_methods_leave():
    saddle = SURFACES["saddle"]
    knobs = {o: default_knobs(o, saddle) for o in ("sgd", "adam", "adagrad")}
    lanes = Race(saddle, knobs).step(40).lanes
    assert lanes["sgd"].loss > 0.2  # still near the saddle value 0.25
    assert abs(lanes["sgd"].position[1]) < 0.3
    assert lanes["adam"].loss < 0.05 and lanes["adagrad"].loss < 0.05


def test_himmelblau_momentum_ends_in_another_valley():
    him = SURFACES["himmelblau"]
    lanes = Race(him, {o: default_knobs(o, him) for o in ("sgd", "momentum")}).step(300).lanes

    def valley(lane):
        return int(np.argmin([math.hypot(*(lane.position - np.array(m))) for m in him.minima]))

    assert lanes["sgd"].status == lanes["momentum"].status == "arrived"
    assert valley(lanes["sgd"]) != valley(lanes["momentum"])


@pytest.mark.parametrize("name", list(SURFACES))
def test_default_race_never_diverges_and_improves(name):
    s = SURFACES[name]
    snap = Race(s, {o: default_knobs(o, s) for o in OPTIMIZER_NAMES}).step(300)
    for opt, lane in snap.lanes.items():
        assert lane.status != "diverged", opt
        assert lane.loss < lane.losses[0], opt


# --- torch.optim against hand-written updates ---------------------------------------------------------

def hand_written(optimizer, knobs, grad_fn, start, steps):
    """The textbook update rules (torch's conventions), in numpy."""
    k = {"momentum": 0.9, "beta1": 0.9, "beta2": 0.999, "rho": 0.99, "eps": 1e-8, "weight_decay": 0.0} | knobs
    lr, eps = k["learning_rate"], k["eps"]
    p = np.array(start, dtype=float)
    v, s, m = np.zeros(2), np.zeros(2), np.zeros(2)
    path = [p.copy()]
    for t in range(1, steps + 1):
        g = np.array(grad_fn(*p))
        if optimizer == "sgd":
            p = p - lr * g
        elif optimizer in ("momentum", "nesterov"):
            v = k["momentum"] * v + g if t > 1 else g
            p = p - lr * (g + k["momentum"] * v if optimizer == "nesterov" else v)
        elif optimizer == "adagrad":
            s = s + g**2
            p = p - lr * g / (np.sqrt(s) + eps)
        elif optimizer == "rmsprop":
            s = k["rho"] * s + (1 - k["rho"]) * g**2
            p = p - lr * g / (np.sqrt(s) + eps)
        else:  # adam, adamw
            if optimizer == "adamw":
                p = p * (1 - lr * k["weight_decay"])
            m = k["beta1"] * m + (1 - k["beta1"]) * g
            s = k["beta2"] * s + (1 - k["beta2"]) * g**2
            m_hat, v_hat = m / (1 - k["beta1"] ** t), s / (1 - k["beta2"] ** t)
            p = p - lr * m_hat / (np.sqrt(v_hat) + eps)
        path.append(p.copy())
    return np.array(path)


HAND_KNOBS = {
    "sgd": {"learning_rate": 0.001},
    "momentum": {"learning_rate": 0.0005, "momentum": 0.8},
    "nesterov": {"learning_rate": 0.0005, "momentum": 0.7},
    "adagrad": {"learning_rate": 0.1},
    "rmsprop": {"learning_rate": 0.01, "rho": 0.9},
    "adam": {"learning_rate": 0.05, "beta1": 0.8, "beta2": 0.99},
    "adamw": {"learning_rate": 0.05, "beta1": 0.8, "beta2": 0.99, "weight_decay": 0.3},
}


@pytest.mark.parametrize("optimizer", OPTIMIZER_NAMES)
def test_each_optimizer_matches_its_hand_written_update(optimizer):
    surface, start = SURFACES["rosenbrock"], (-1.2, 1.0)
    lane = run(surface, optimizer, HAND_KNOBS[optimizer], 6, start=start)
    expected = hand_written(optimizer, HAND_KNOBS[optimizer], ANALYTIC_GRADIENTS["rosenbrock"], start, 6)
    np.testing.assert_allclose(lane.path, expected, rtol=1e-11, atol=1e-13)
    np.testing.assert_allclose(lane.losses, [surface.value(*p) for p in expected], rtol=1e-10)


# --- the race API ----------------------------------------------------------------------------------

def test_iterate_reset_and_bounds():
    race = Race(RAVINE, {o: default_knobs(o, RAVINE) for o in ("sgd", "adam")}, max_steps=25)
    snaps = list(race.iterate())
    assert [s.step for s in snaps] == list(range(1, 26)) and snaps[-1].finished
    assert race.step(10).step == 25  # never past max_steps
    first = snaps[-1].lanes["sgd"].path.copy()
    race.reset()
    assert race.steps == 0 and len(race.snapshot().lanes["sgd"].path) == 1
    np.testing.assert_array_equal(race.step(25).lanes["sgd"].path, first)  # same run, bit for bit
    assert "sgd" in repr(race)


def test_knobs_are_validated_with_a_message():
    for opt in OPTIMIZER_NAMES:
        knobs = default_knobs(opt)
        assert set(knobs) == set(RACE_KNOBS[opt])
        make_optimizer(opt, [torch.zeros(2, requires_grad=True)], knobs)
    lo, hi = knob_range("learning_rate")
    with pytest.raises(ValueError, match="learning_rate"):
        check_knobs("sgd", {"learning_rate": hi * 2})
    with pytest.raises(ValueError, match="momentum"):
        check_knobs("momentum", {"momentum": 1.5})
    with pytest.raises(ValueError, match="unknown knob"):
        check_knobs("sgd", {"lr": 0.1})
    with pytest.raises(ValueError, match="optimizer"):
        Race(RAVINE, {"lbfgs": {}})
    with pytest.raises(ValueError, match="start"):
        Race(RAVINE, {"sgd": {}}, start=(float("nan"), 0.0))
    with pytest.raises(ValueError, match="max_steps"):
        Race(RAVINE, {"sgd": {}}, max_steps=0)


def test_figures_show_paths_divergence_and_click_grid():
    race = Race(RAVINE, {"sgd": {"learning_rate": 0.5}, "adam": {"learning_rate": 0.3}}, max_steps=20)
    snap = race.step(20)
    for lang in ("en", "zh"):
        fig = contour_figure(RAVINE, snap, race.start, lang)
        names = [tr.name or "" for tr in fig.data]
        assert any("SGD" in n and ("diverged at step 2" in n or "第 2 步发散" in n) for n in names)
        grid = fig.data[click_trace_index(fig)]
        assert len(grid.x) == CLICK_GRID**2 and grid.marker.opacity == 0
        adam = next(tr for tr in fig.data if tr.name == "Adam")
        assert len(adam.x) == 21
        loss = loss_figure(RAVINE, snap, lang)
        assert loss.layout.yaxis.type == "log" and len(loss.data[0].y) == 3
    playing = contour_figure(RAVINE, snap, race.start, clickable=False)
    assert len(playing.data) == len(fig.data) - 1
