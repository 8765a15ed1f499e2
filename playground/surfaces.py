"""2D test functions for optimizers: each a torch function with a plotting window, a start and its minima."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import torch

DTYPE = torch.float64


@dataclass(frozen=True)
class Surface:
    """A loss J(x, y) to descend, with where to look at it and where it is lowest."""

    f: Callable[[torch.Tensor, torch.Tensor], torch.Tensor]  # elementwise on broadcastable tensors
    x_range: tuple[float, float]  # plotting window
    y_range: tuple[float, float]
    start: tuple[float, float]  # default start point, inside the window
    minima: tuple[tuple[float, float], ...]  # global minima (all of them, where there are several)
    min_value: float  # J at the minima
    formula: str  # LaTeX
    log_contours: bool = False  # values span decades: colour by log(J - min) so the valleys show
    saddles: tuple[tuple[float, float], ...] = ()
    # Per-optimizer knobs that make a good race on this surface (merged over the global defaults).
    suggested: dict[str, dict[str, float]] = field(default_factory=dict)

    def __call__(self, xy: torch.Tensor) -> torch.Tensor:
        """J at a point (or points) given as a tensor whose last dimension is (x, y)."""
        return self.f(xy[..., 0], xy[..., 1])

    def value(self, x: float, y: float) -> float:
        return float(self.f(torch.tensor(x, dtype=DTYPE), torch.tensor(y, dtype=DTYPE)))

    def gradient(self, x: float, y: float) -> np.ndarray:
        """dJ/d(x, y) at a point, from autograd."""
        xy = torch.tensor([x, y], dtype=DTYPE, requires_grad=True)
        (grad,) = torch.autograd.grad(self(xy), xy)
        return grad.numpy()

    def grid(self, n: int = 120) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(xs, ys, J) on an n-by-n grid over the window; J[i, j] is at (xs[j], ys[i])."""
        xs = torch.linspace(*self.x_range, n, dtype=DTYPE)
        ys = torch.linspace(*self.y_range, n, dtype=DTYPE)
        with torch.no_grad():
            z = self.f(xs[None, :], ys[:, None])
        return xs.numpy(), ys.numpy(), z.numpy()

    def contains(self, x: float, y: float) -> bool:
        return self.x_range[0] <= x <= self.x_range[1] and self.y_range[0] <= y <= self.y_range[1]

    @property
    def bound(self) -> float:
        """Beyond this distance from the origin a run has left for good: it is diverging."""
        return 10.0 * max(map(abs, self.x_range + self.y_range))


def _bowl(x, y):
    return 0.5 * (x**2 + y**2)


def _ravine(x, y):
    # Curvatures 0.02 along x and 20 along y: condition number 1000.
    return 0.01 * x**2 + 10.0 * y**2


def _rosenbrock(x, y):
    return (1 - x) ** 2 + 100 * (y - x**2) ** 2


def _beale(x, y):
    return (1.5 - x + x * y) ** 2 + (2.25 - x + x * y**2) ** 2 + (2.625 - x + x * y**3) ** 2


def _saddle(x, y):
    # A saddle at the origin between two valleys at (0, +-1): downhill along y, uphill along x.
    return x**2 + 0.25 * (y**2 - 1) ** 2


def _himmelblau(x, y):
    return (x**2 + y - 11) ** 2 + (x + y**2 - 7) ** 2


SURFACES: dict[str, Surface] = {
    "bowl": Surface(
        _bowl, (-3.0, 3.0), (-3.0, 3.0), (-2.5, 2.0), ((0.0, 0.0),), 0.0,
        r"J(x, y) = \tfrac{1}{2}(x^2 + y^2)",
        suggested={"sgd": {"learning_rate": 0.1}, "momentum": {"learning_rate": 0.05},
                   "nesterov": {"learning_rate": 0.05}, "adagrad": {"learning_rate": 0.5},
                   "rmsprop": {"learning_rate": 0.05}, "adam": {"learning_rate": 0.1},
                   "adamw": {"learning_rate": 0.1, "weight_decay": 0.1}},
    ),
    "ravine": Surface(
        _ravine, (-10.0, 10.0), (-3.0, 3.0), (-9.0, 1.5), ((0.0, 0.0),), 0.0,
        r"J(x, y) = 0.01\,x^2 + 10\,y^2", log_contours=True,
        suggested={"sgd": {"learning_rate": 0.09}, "momentum": {"learning_rate": 0.02, "momentum": 0.99},
                   "nesterov": {"learning_rate": 0.02, "momentum": 0.99}, "adagrad": {"learning_rate": 1.0},
                   "rmsprop": {"learning_rate": 0.1}, "adam": {"learning_rate": 0.3},
                   "adamw": {"learning_rate": 0.3, "weight_decay": 0.01}},
    ),
    "rosenbrock": Surface(
        _rosenbrock, (-2.0, 2.0), (-1.0, 3.0), (-1.2, 1.0), ((1.0, 1.0),), 0.0,
        r"J(x, y) = (1 - x)^2 + 100\,(y - x^2)^2", log_contours=True,
        suggested={"sgd": {"learning_rate": 0.0015}, "momentum": {"learning_rate": 0.001},
                   "nesterov": {"learning_rate": 0.001}, "adagrad": {"learning_rate": 1.0},
                   "rmsprop": {"learning_rate": 0.02}, "adam": {"learning_rate": 0.1},
                   "adamw": {"learning_rate": 0.1, "weight_decay": 0.01}},
    ),
    "beale": Surface(
        _beale, (-4.5, 4.5), (-4.5, 4.5), (1.0, 1.5), ((3.0, 0.5),), 0.0,
        r"J(x, y) = (1.5 - x + xy)^2 + (2.25 - x + xy^2)^2 + (2.625 - x + xy^3)^2", log_contours=True,
        suggested={"sgd": {"learning_rate": 0.005}, "momentum": {"learning_rate": 0.001},
                   "nesterov": {"learning_rate": 0.001}, "adagrad": {"learning_rate": 0.5},
                   "rmsprop": {"learning_rate": 0.02}, "adam": {"learning_rate": 0.05},
                   "adamw": {"learning_rate": 0.05, "weight_decay": 0.01}},
    ),
    "saddle": Surface(
        _saddle, (-2.0, 2.0), (-2.0, 2.0), (-1.8, 0.001), ((0.0, -1.0), (0.0, 1.0)), 0.0,
        r"J(x, y) = x^2 + \tfrac{1}{4}(y^2 - 1)^2", saddles=((0.0, 0.0),),
        suggested={"sgd": {"learning_rate": 0.1}, "momentum": {"learning_rate": 0.02},
                   "nesterov": {"learning_rate": 0.02}, "adagrad": {"learning_rate": 0.5},
                   "rmsprop": {"learning_rate": 0.02}, "adam": {"learning_rate": 0.05},
                   "adamw": {"learning_rate": 0.05, "weight_decay": 0.01}},
    ),
    "himmelblau": Surface(
        _himmelblau, (-5.0, 5.0), (-5.0, 5.0), (-0.5, -4.5),
        ((3.0, 2.0), (-2.805118, 3.131312), (-3.779310, -3.283186), (3.584428, -1.848126)), 0.0,
        r"J(x, y) = (x^2 + y - 11)^2 + (x + y^2 - 7)^2", log_contours=True,
        suggested={"sgd": {"learning_rate": 0.005}, "momentum": {"learning_rate": 0.002},
                   "nesterov": {"learning_rate": 0.002}, "adagrad": {"learning_rate": 1.0},
                   "rmsprop": {"learning_rate": 0.05}, "adam": {"learning_rate": 0.1},
                   "adamw": {"learning_rate": 0.1, "weight_decay": 0.01}},
    ),
}
