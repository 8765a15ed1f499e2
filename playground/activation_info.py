"""Activations and losses as curves: values and derivatives from autograd, flat and dead regions found."""

from __future__ import annotations

from dataclasses import dataclass
from types import SimpleNamespace

import numpy as np
import torch
from torch.func import vmap

from playground.losses import LOSSES
from playground.model import ACTIVATIONS, DTYPE

X_RANGE = (-6.0, 6.0)  # where activations are drawn
SATURATION = 0.1  # a tail whose slope is below this share of the peak slope, and still falling, saturates


# f and f' in LaTeX, for the page; the tests check autograd against these same formulas.
ACTIVATION_FORMULAS: dict[str, str] = {
    "relu": r"f(x) = \max(0, x), \quad f'(x) = \begin{cases} 1 & x > 0 \\ 0 & x < 0 \end{cases}",
    "leaky_relu": r"f(x) = \begin{cases} x & x > 0 \\ 0.01\,x & x < 0 \end{cases}, \quad "
                  r"f'(x) = \begin{cases} 1 & x > 0 \\ 0.01 & x < 0 \end{cases}",
    "elu": r"f(x) = \begin{cases} x & x > 0 \\ e^x - 1 & x \le 0 \end{cases}, \quad "
           r"f'(x) = \begin{cases} 1 & x > 0 \\ e^x & x \le 0 \end{cases}",
    "gelu": r"f(x) = x\,\Phi(x), \quad f'(x) = \Phi(x) + x\,\varphi(x)",
    "silu": r"f(x) = x\,\sigma(x), \quad f'(x) = \sigma(x)\,\bigl(1 + x\,(1 - \sigma(x))\bigr)",
    "tanh": r"f(x) = \tanh x, \quad f'(x) = 1 - \tanh^2 x",
    "sigmoid": r"\sigma(x) = \frac{1}{1 + e^{-x}}, \quad \sigma'(x) = \sigma(x)\,(1 - \sigma(x))",
    "softplus": r"f(x) = \ln(1 + e^x), \quad f'(x) = \sigma(x)",
    "linear": r"f(x) = x, \quad f'(x) = 1",
}


@dataclass
class ActivationCurve:
    """f and f' over a range, with the intervals where f' is exactly 0 (dead) or fading to 0 (saturating)."""

    name: str
    x: np.ndarray
    y: np.ndarray
    dy: np.ndarray
    dead: list[tuple[float, float]]
    saturating: list[tuple[float, float]]


def activation_at(name: str, x) -> tuple[np.ndarray, np.ndarray]:
    """(f(x), f'(x)) from the model's own activation module and autograd; x a number or an array."""
    t = torch.as_tensor(np.asarray(x, dtype=np.float64), dtype=DTYPE).clone().requires_grad_(True)
    y = ACTIVATIONS[name]()(t)
    (dy,) = torch.autograd.grad(y.sum(), t)
    return y.detach().numpy(), dy.numpy()


def _runs(mask: np.ndarray) -> list[tuple[int, int]]:
    """Index ranges [i, j] of consecutive True values."""
    edges = np.flatnonzero(np.diff(np.concatenate(([0], mask.astype(np.int8), [0]))))
    return [(int(a), int(b) - 1) for a, b in zip(edges[::2], edges[1::2], strict=True)]


def _saturating_tails(x: np.ndarray, dy: np.ndarray, dead: np.ndarray) -> list[tuple[float, float]]:
    peak = np.abs(dy).max()
    if peak == 0:
        return []
    flat = (np.abs(dy) < SATURATION * peak) & ~dead
    tails = []
    for a, b in _runs(flat):
        at_left, at_right = a == 0, b == len(x) - 1
        # A constant small slope (leaky ReLU) does not saturate: the slope must keep shrinking outwards.
        if at_left and abs(dy[a]) < 0.5 * abs(dy[b]):
            tails.append((float(x[a]), float(x[b])))
        elif at_right and abs(dy[b]) < 0.5 * abs(dy[a]):
            tails.append((float(x[a]), float(x[b])))
    return tails


def activation_curve(name: str, lo: float = X_RANGE[0], hi: float = X_RANGE[1], n: int = 601) -> ActivationCurve:
    """The activation and its derivative on [lo, hi], with its dead and saturating intervals."""
    if name not in ACTIVATIONS:
        raise ValueError(f"activation: {name!r} is not one of {', '.join(ACTIVATIONS)}")
    x = np.linspace(lo, hi, n)
    y, dy = activation_at(name, x)
    dead_mask = dy == 0.0
    dead = [(float(x[a]), float(x[b])) for a, b in _runs(dead_mask) if b > a]
    return ActivationCurve(name, x, y, dy, dead, _saturating_tails(x, dy, dead_mask))


@dataclass(frozen=True)
class LossView:
    """How one loss is drawn: what the prediction axis is and which targets it takes."""

    pred_range: tuple[float, float]
    targets: tuple | None  # the allowed targets, or None for any number in target_range
    target_range: tuple[float, float] = (-2.0, 2.0)
    classes: int = 1  # > 1: prediction is the first class's logit, the others held at 0


LOSS_VIEWS: dict[str, LossView] = {
    "mse": LossView((-3.0, 3.0), None),
    "mae": LossView((-3.0, 3.0), None),
    "huber": LossView((-3.0, 3.0), None),
    "bce": LossView((-6.0, 6.0), (0, 1)),
    "hinge": LossView((-3.0, 3.0), (-1, 1)),
    "ce": LossView((-6.0, 6.0), (0, 1, 2), classes=3),
}
LOSS_NAMES = tuple(LOSS_VIEWS)

# One example's loss and its derivative in LaTeX (e = y_hat - y); the engine's losses, checked by the tests.
LOSS_FORMULAS: dict[str, str] = {
    "mse": r"L = (\hat y - y)^2, \quad \frac{\partial L}{\partial \hat y} = 2(\hat y - y)",
    "mae": r"L = |\hat y - y|, \quad \frac{\partial L}{\partial \hat y} = \operatorname{sign}(\hat y - y)",
    "huber": r"L = \begin{cases} \tfrac12 e^2 & |e| \le \delta \\ \delta\,(|e| - \tfrac12\delta) & |e| > \delta "
             r"\end{cases}, \quad \frac{\partial L}{\partial \hat y} = \operatorname{clip}(e, -\delta, \delta)",
    "bce": r"L = -\bigl[y \ln \sigma(z) + (1-y) \ln(1 - \sigma(z))\bigr], \quad "
           r"\frac{\partial L}{\partial z} = \sigma(z) - y",
    "hinge": r"L = \max(0,\ 1 - t\,s), \quad \frac{\partial L}{\partial s} = \begin{cases} -t & t\,s < 1 \\ "
             r"0 & t\,s > 1 \end{cases}",
    "ce": r"L = -\ln \frac{e^{z_c}}{\sum_k e^{z_k}}, \quad \frac{\partial L}{\partial z_A} = "
          r"\operatorname{softmax}(z)_A - [c = A]",
}


@dataclass
class LossCurve:
    """A loss and its derivative as the prediction sweeps its range, for one target."""

    name: str
    target: float
    x: np.ndarray
    loss: np.ndarray
    grad: np.ndarray


def check_target(name: str, target) -> float:
    """The target as a number, or ValueError naming what the loss accepts."""
    view = LOSS_VIEWS[name]
    target = float(target)
    if view.targets is not None:
        if target not in view.targets:
            raise ValueError(f"{name}: target {target:g} is not one of {', '.join(map(str, view.targets))}")
    elif not view.target_range[0] <= target <= view.target_range[1]:
        raise ValueError(f"{name}: target {target:g} is outside {view.target_range[0]:g} to {view.target_range[1]:g}")
    return target


def loss_values(name: str, preds, target, huber_delta: float = 1.0) -> tuple[np.ndarray, np.ndarray]:
    """(loss, dloss/dprediction) at each prediction, from the engine's loss and autograd."""
    if name not in LOSS_VIEWS:
        raise ValueError(f"loss: {name!r} is not one of {', '.join(LOSS_NAMES)}")
    if not huber_delta > 0:
        raise ValueError(f"huber_delta: {huber_delta!r} must be positive")
    view, target = LOSS_VIEWS[name], check_target(name, target)
    spec = LOSSES[name]
    config = SimpleNamespace(problem=spec.problems[-1], huber_delta=float(huber_delta))
    p = torch.as_tensor(np.atleast_1d(np.asarray(preds, dtype=np.float64)), dtype=DTYPE).clone()
    p.requires_grad_(True)
    if view.classes > 1:
        t = torch.tensor([int(target)])
        rest = torch.zeros(view.classes - 1, dtype=DTYPE)

        def one(z):
            return spec.value(torch.cat([z.reshape(1), rest]).reshape(1, -1), t, config)
    else:
        t = torch.tensor([[target]], dtype=DTYPE)

        def one(z):
            return spec.value(z.reshape(1, 1), t, config)

    values = vmap(one)(p)
    (grad,) = torch.autograd.grad(values.sum(), p)
    return values.detach().numpy(), grad.numpy()


def loss_curve(name: str, target, huber_delta: float = 1.0, n: int = 401) -> LossCurve:
    """The loss for `target` as the prediction sweeps the loss's range."""
    x = np.linspace(*LOSS_VIEWS[name].pred_range, n) if name in LOSS_VIEWS else np.zeros(1)
    loss, grad = loss_values(name, x, target, huber_delta)
    return LossCurve(name, float(target), x, loss, grad)
