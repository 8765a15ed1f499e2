"""Backpropagation by hand: every number against torch.autograd, and the course text's worked example."""

from __future__ import annotations

import re

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from playground import backprop as bp
from playground.backprop_figures import PHASE_COLORS, loss_figure, network_figure
from playground.i18n import CATALOGUE
from playground.model import ACTIVATIONS as TORCH_ACTIVATIONS

TOL = 1e-6
SEEDS = (0, 1, 2)


def torch_loss(name: str, y_hat: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    """Each loss the page offers, written the way torch (and playground.losses) writes it."""
    return {
        "mse": lambda: F.mse_loss(y_hat, y),
        "square": lambda: 0.5 * F.mse_loss(y_hat, y),
        "mae": lambda: F.l1_loss(y_hat, y),
        "huber": lambda: F.huber_loss(y_hat, y, delta=1.0),
        "bce": lambda: F.binary_cross_entropy(y_hat, y),
        "hinge": lambda: torch.clamp(1 - y * y_hat, min=0).mean(),
    }[name]()


def torch_pass(s: bp.Setup) -> dict[str, np.ndarray | float]:
    """The same network in torch: values, gradients from autograd, and one torch.optim.SGD step."""
    params = {k: torch.tensor(np.asarray(v, dtype=np.float64), requires_grad=True)
              for k, v in dict(W1=s.W1, b1=s.b1, W2=s.W2, b2=[s.b2]).items()}
    x, y = torch.tensor(np.asarray(s.x, dtype=np.float64)), torch.tensor([float(s.y)], dtype=torch.float64)
    f, g = TORCH_ACTIVATIONS[s.hidden_activation](), TORCH_ACTIVATIONS[s.output_activation]()

    def forward():
        z1 = params["W1"] @ x + params["b1"]
        a1 = f(z1)
        z2 = params["W2"] @ a1 + params["b2"]
        y_hat = g(z2)
        return z1, a1, z2, y_hat, torch_loss(s.loss, y_hat, y)

    z1, a1, z2, y_hat, loss = forward()
    for t in (z1, a1, z2, y_hat):
        t.retain_grad()
    opt = torch.optim.SGD(list(params.values()), lr=s.lr)
    opt.zero_grad()
    loss.backward()
    out = dict(z1=z1, a1=a1, z2=z2, y_hat=y_hat, loss=loss, dL_dyhat=y_hat.grad, delta2=z2.grad,
               dL_da1=a1.grad, delta1=z1.grad, dW1=params["W1"].grad, db1=params["b1"].grad,
               dW2=params["W2"].grad, db2=params["b2"].grad)
    out = {k: v.detach().numpy().copy() for k, v in out.items()}
    opt.step()
    with torch.no_grad():
        *_, y_hat_after, loss_after = forward()
    out.update({k: v.detach().numpy().copy() for k, v in params.items()})
    out.update(y_hat_after=y_hat_after.numpy(), loss_after=loss_after.numpy())
    return out


def assert_same(p: bp.Pass, ref: dict) -> None:
    ours = dict(z1=p.z1, a1=p.a1, z2=p.z2, y_hat=p.y_hat, loss=p.loss, dL_dyhat=p.dL_dyhat, delta2=p.delta2,
                dL_da1=p.dL_da1, delta1=p.delta1, dW1=p.dW1, db1=p.db1, dW2=p.dW2, db2=p.db2,
                W1=p.new.W1, b1=p.new.b1, W2=p.new.W2, b2=p.new.b2, y_hat_after=p.y_hat_after,
                loss_after=p.loss_after)
    for name, value in ours.items():
        np.testing.assert_allclose(np.ravel(value), np.ravel(ref[name]), rtol=0, atol=TOL, err_msg=name)


def random_case(seed: int, hidden_activation: str, output_activation: str, loss: str) -> bp.Setup:
    rng = np.random.default_rng(seed)
    h = bp.HIDDEN_SIZES[seed % len(bp.HIDDEN_SIZES)]
    y = {"bce": rng.uniform(0, 1), "hinge": rng.choice([-1.0, 1.0])}.get(loss, rng.uniform(-1.5, 1.5))
    return bp.Setup(x=rng.uniform(-2, 2, 2), y=float(y), W1=rng.uniform(-1.5, 1.5, (h, 2)),
                    b1=rng.uniform(-0.5, 0.5, h), W2=rng.uniform(-1.5, 1.5, h), b2=float(rng.uniform(-0.5, 0.5)),
                    hidden_activation=hidden_activation, output_activation=output_activation, loss=loss,
                    lr=float(rng.uniform(0.01, 0.5)))


def output_activations(loss: str) -> list[str]:
    return ["sigmoid"] if loss == "bce" else list(bp.ACTIVATIONS)


# ---------------------------------------------------------------- against torch.autograd

def test_the_page_offers_every_activation_of_the_playground():
    assert set(bp.ACTIVATIONS) == set(TORCH_ACTIVATIONS)
    z = np.linspace(-4, 4, 81)
    for name, act in bp.ACTIVATIONS.items():
        zt = torch.tensor(z, requires_grad=True)
        a = TORCH_ACTIVATIONS[name]()(zt)
        a.sum().backward()
        np.testing.assert_allclose(act.f(z), a.detach().numpy(), atol=1e-12, err_msg=name)
        np.testing.assert_allclose(act.df(z), zt.grad.numpy(), atol=1e-12, err_msg=name)


@pytest.mark.parametrize("loss", list(bp.LOSSES))
@pytest.mark.parametrize("hidden_activation", list(bp.ACTIVATIONS))
def test_every_number_equals_autograd(hidden_activation, loss):
    for output_activation in output_activations(loss):
        for seed in SEEDS:
            s = random_case(seed, hidden_activation, output_activation, loss)
            assert_same(bp.compute(s), torch_pass(s))


@pytest.mark.parametrize("name", ["relu", "leaky_relu", "elu"])
def test_kinks_follow_torch(name):
    """At z = 0 exactly, the slope is the one torch's backward uses."""
    s = bp.Setup(x=[1.0, -2.0], y=0.3, W1=[[0.0, 0.0], [2.0, 1.0], [0.5, -0.5]], b1=[0.0, 0.0, 0.1],
                 W2=[0.4, -0.7, 0.2], b2=0.0, hidden_activation=name, output_activation=name, loss="mse", lr=0.1)
    p = bp.compute(s)
    assert p.z1[0] == 0 and p.z1[1] == 0
    assert_same(p, torch_pass(s))


@pytest.mark.parametrize("loss, y, b2", [("mae", 0.5, 0.5), ("huber", 1.5, 0.5), ("huber", -0.5, 0.5),
                                         ("hinge", 1.0, 1.0), ("hinge", -1.0, -1.0)])
def test_loss_kinks_follow_torch(loss, y, b2):
    """y_hat - y = 0 for |.|, |y_hat - y| = 1 for Huber, y * y_hat = 1 for the hinge: torch's choice."""
    s = bp.Setup(x=[0.0, 0.0], y=y, W1=[[1.0, 1.0], [1.0, -1.0]], b1=[0.0, 0.0], W2=[1.0, 1.0], b2=b2,
                 hidden_activation="tanh", output_activation="linear", loss=loss, lr=0.1)
    assert_same(bp.compute(s), torch_pass(s))


def test_autograd_check_agrees_and_notices_a_wrong_gradient():
    p = bp.compute(random_case(1, "tanh", "sigmoid", "bce"))
    assert bp.autograd_check(p) < 1e-12
    tampered = bp.Pass(**{**p.__dict__, "dW1": p.dW1 + np.array([[0.0, 0.01]] + [[0.0, 0.0]] * (p.setup.hidden - 1))})
    assert bp.autograd_check(tampered) == pytest.approx(0.01)


# ---------------------------------------------------------------- the course text's example, by hand

def test_course_example_forward_backward_update():
    """2-3-1, x = (1, 2), y = 0, ReLU, squared error, alpha = 0.01: every number worked out by hand."""
    p = bp.compute(bp.course_example())
    np.testing.assert_allclose(p.z1, [0.6, 1.3, 2.0], atol=1e-12)  # 0.1*1 + 0.2*2 + 0.1, ...
    np.testing.assert_allclose(p.a1, [0.6, 1.3, 2.0], atol=1e-12)  # all positive: ReLU passes them
    assert p.z2 == pytest.approx(4.16, abs=1e-12)  # 0.7*0.6 + 0.8*1.3 + 0.9*2 + 0.9
    assert p.loss == pytest.approx(17.3056, abs=1e-12)  # 4.16^2
    assert p.dL_dyhat == pytest.approx(8.32, abs=1e-12)  # 2 * (4.16 - 0)
    assert p.delta2 == pytest.approx(8.32, abs=1e-12)  # ReLU'(4.16) = 1
    np.testing.assert_allclose(p.dW2, [4.992, 10.816, 16.64], atol=1e-12)  # 8.32 * a1
    assert p.db2 == pytest.approx(8.32, abs=1e-12)
    np.testing.assert_allclose(p.delta1, [5.824, 6.656, 7.488], atol=1e-12)  # 8.32 * w2_j * 1
    np.testing.assert_allclose(p.dW1, [[5.824, 11.648], [6.656, 13.312], [7.488, 14.976]], atol=1e-12)
    np.testing.assert_allclose(p.new.W1, [[0.04176, 0.08352], [0.23344, 0.26688], [0.42512, 0.45024]], atol=1e-12)
    np.testing.assert_allclose(p.new.b1, [0.04176, 0.13344, 0.22512], atol=1e-12)
    np.testing.assert_allclose(p.new.W2, [0.65008, 0.69184, 0.7336], atol=1e-12)
    assert p.new.b2 == pytest.approx(0.8168, abs=1e-12)
    # by hand with the new weights: z1 = (0.25056, 0.90064, 1.55072), y_hat = 2.7403910144
    assert p.y_hat_after == pytest.approx(2.7403910144, abs=1e-12)
    assert p.loss_after == pytest.approx(2.7403910144 ** 2, abs=1e-12)


def test_course_example_chain_rule_goes_through_the_output_weights():
    """The text's code takes delta1 = delta2 * a1; the chain rule multiplies by w2_j and f'(z1_j)."""
    p = bp.compute(bp.course_example())
    assert not np.allclose(p.delta1, p.delta2 * p.a1)
    np.testing.assert_allclose(p.delta1, p.delta2 * p.setup.W2 * (p.z1 > 0), atol=1e-12)


def test_course_example_formulas_show_the_numbers():
    steps = bp.walkthrough(bp.compute(bp.course_example()), digits=4, budget=1e9)  # one line each
    text = {s.name + str(s.neuron or ""): " ".join(s.latex) for s in steps}
    assert r"0.1 \times 1 + 0.2 \times 2 + 0.1" in text["hidden_forward1"] and "= 0.6" in text["hidden_forward1"]
    assert r"0.7 \times 0.6 + 0.8 \times 1.3 + 0.9 \times 2 + 0.9" in text["output_forward"]
    assert "(4.16 - 0)^2" in text["loss"] and "17.31" in text["loss"]
    assert r"8.32 \times 0.8" in text["hidden_backward2"] and "6.656" in text["hidden_backward2"]
    assert r"0.7 - 0.01 \times 4.992" in text["update_output"] and "0.6501" in text["update_output"]
    assert "0.04176" in text["update_hidden"]
    assert "7.51 - 17.31" in text["check"]


# ---------------------------------------------------------------- the walkthrough

@pytest.mark.parametrize("hidden", bp.HIDDEN_SIZES)
def test_walkthrough_order_and_highlights(hidden):
    s = bp.random_setup(seed=hidden, hidden=hidden, hidden_activation="sigmoid", output_activation="sigmoid",
                        loss="bce", y=1.0)
    steps = bp.walkthrough(bp.compute(s))
    assert len(steps) == 2 * hidden + 7
    assert [st.phase for st in steps] == sorted((st.phase for st in steps), key=bp.PHASES.index)
    assert [st.neuron for st in steps if st.name == "hidden_backward"] == list(range(1, hidden + 1))
    nodes = {"x1", "x2", "out", "loss"} | {f"h{j}" for j in range(1, hidden + 1)}
    for st in steps:
        assert st.latex and set(st.nodes) <= nodes and st.nodes
        assert all(a in nodes and b in nodes for a, b in st.edges)
        for key in (f"backprop.step.{st.name}", f"backprop.explain.{st.name}", f"backprop.phase.{st.phase}"):
            assert key in CATALOGUE
    # with a sigmoid output and cross-entropy, the page shows delta2 = y_hat - y
    assert any(r"\hat y - y" in f for f in steps[hidden + 2].latex)


@pytest.mark.parametrize("loss", list(bp.LOSSES))
@pytest.mark.parametrize("act", list(bp.ACTIVATIONS))
def test_formulas_are_balanced_and_fit_their_width(act, loss):
    s = random_case(7, act, "sigmoid" if loss == "bce" else act, loss)
    for budget in (15.0, 24.0):
        for step in bp.walkthrough(bp.compute(s), digits=4, budget=budget):
            for tex in step.latex:
                assert tex.count("{") == tex.count("}"), tex
                assert len(re.findall(r"\\begin\{", tex)) == len(re.findall(r"\\end\{", tex)), tex
                assert "nan" not in tex.lower() and "inf" not in tex
                if tex.startswith(r"\begin{aligned}"):  # broken: every line fits unless it is one part
                    for row in aligned_rows(tex):
                        assert bp.width(row) <= budget or row.count(" = ") <= 1, row
                else:
                    assert bp.width(tex) <= budget, tex


def aligned_rows(tex: str) -> list[str]:
    """The lines of an aligned block, not splitting the rows of a cases or matrix inside it."""
    body, rows, depth, start = tex[len(r"\begin{aligned}"):-len(r"\end{aligned}")], [], 0, 0
    for m in re.finditer(r"\\begin\{|\\end\{| \\\\ ", body):
        depth += {r"\begin{": 1, r"\end{": -1}.get(m.group(0), 0)
        if m.group(0) == r" \\ " and depth == 0:
            rows.append(body[start:m.start()])
            start = m.end()
    return rows + [body[start:]]


def test_numbers_in_latex():
    assert bp.num(0.000012345) == r"1.234 \times 10^{-5}" or bp.num(0.000012345) == r"1.235 \times 10^{-5}"
    assert bp.num(-0.0) == "0" and bp.num(2.0) == "2" and bp.num(17.3056) == "17.31"
    assert bp.par(-0.3) == "(-0.3)" and bp.par(0.3) == "0.3"
    assert bp.num(float("inf")) == r"\infty"


def test_chain_breaks_long_formulas_only():
    assert bp.chain("a", "b", "c") == "a = b = c"
    long = bp.chain("z", "1 + 2 + 3 + 4 + 5", "6 + 7 + 8 + 9", "45", budget=10)
    assert long.startswith(r"\begin{aligned}z &= 1 + 2") and r"\\ &= 6 + 7" in long
    total = bp.chain("z", r"0.07956 \times 1 + 0.1591 \times 2 + 0.04176", "0.4773", budget=9)
    assert r"\\ &{}+ 0.1591" in total and total.endswith(r"\\ &= 0.4773\end{aligned}")
    inner = bp.chain("f", r"\sigma(z)\,\bigl(1 + z\,(1 - \sigma(z))\bigr)", "1", budget=3)
    assert r"\bigl(1 + z" in inner  # never broken inside parentheses


# ---------------------------------------------------------------- bad input

@pytest.mark.parametrize("change, key", [
    (dict(loss="bce", output_activation="relu"), "bce_output"),
    (dict(loss="bce", output_activation="sigmoid", y=1.5), "bce_target"),
    (dict(loss="hinge", y=0.5), "hinge_target"),
    (dict(lr=-0.1), "lr"),
    (dict(b2=float("nan")), "not_finite"),
    (dict(W1=np.full((3, 2), 1e308)), "not_finite"),
    (dict(W1=np.full((3, 2), 100.0), hidden_activation="linear", output_activation="sigmoid", loss="bce"),
     "bce_saturated"),
    (dict(hidden_activation="swish"), "activation"),
    (dict(loss="ce"), "loss"),
    (dict(W1=np.zeros((5, 2)), b1=np.zeros(5), W2=np.zeros(5)), "hidden"),
])
def test_bad_input_names_its_message(change, key):
    s = bp.course_example()
    with pytest.raises(bp.BackpropError) as err:
        bp.compute(bp.Setup(**{**s.__dict__, **change}))
    assert err.value.key == key
    assert f"backprop.error.{key}" in CATALOGUE


def test_random_parameters_are_reproducible_and_readable():
    a, b = bp.random_parameters(4, 7), bp.random_parameters(4, 7)
    assert all(np.array_equal(a[k], b[k]) for k in a)
    assert not np.array_equal(a["W1"], bp.random_parameters(4, 8)["W1"])
    assert np.array_equal(np.round(a["W1"], 2), a["W1"]) and a["W1"].shape == (4, 2)


def test_a_small_step_lowers_the_loss():
    for seed in SEEDS:
        s = random_case(seed, "tanh", "linear", "square")
        p = bp.compute(bp.Setup(**{**s.__dict__, "lr": 0.01}))
        assert p.loss_after < p.loss


# ---------------------------------------------------------------- figures

def test_network_figure_highlights_the_step():
    p = bp.compute(bp.course_example())
    for step in bp.walkthrough(p):
        fig = network_figure(p, step)
        lit = [tr for tr in fig.data if tr.mode == "lines" and tr.line.color == PHASE_COLORS[step.phase]]
        assert len(lit) == 1 and lit[0].x.count(None) == len(step.edges)
        nodes = fig.data[-1]
        assert sum(w == 5 for w in nodes.marker.line.width) == len(step.nodes)
    plain = network_figure(p, None)
    assert all(w == 2 for w in plain.data[-1].marker.line.width)
    labels = [a.text for a in plain.layout.annotations]
    assert "0.7" in labels and "b = 0.9" in labels  # the weights and biases are on the drawing


def test_network_figure_shows_gradients_then_new_weights():
    p = bp.compute(bp.course_example())
    steps = {s.name: s for s in bp.walkthrough(p)}
    grads = [a.text for a in network_figure(p, steps["output_grads"]).layout.annotations]
    assert {"4.99", "10.8", "16.6"} <= set(grads) and "0.7" not in grads
    new = [a.text for a in network_figure(p, steps["update_output"]).layout.annotations]
    assert {"0.65", "0.692", "0.734", "b = 0.8168"} <= set(new)


def test_network_figure_after_the_update():
    """The last step draws the network with the new weights: the course example's y_hat' = 2.74, L' = 7.51."""
    p = bp.compute(bp.course_example())
    fig = network_figure(p, bp.walkthrough(p)[-1])
    inside = list(fig.data[-1].text)
    assert "2.74" in inside and "7.51" in inside and "0.251" in inside  # z1 = 0.25056 through ReLU
    labels = [a.text for a in fig.layout.annotations]
    assert "0.65" in labels and "0.7" not in labels


def test_loss_figure_has_one_point_per_iteration():
    fig = loss_figure([3.0, 2.0, 1.5], "iteration", "loss")
    assert list(fig.data[0].y) == [3.0, 2.0, 1.5] and list(fig.data[0].x) == [0, 1, 2]
    assert list(fig.data[1].x) == [2]  # the latest point stands out
