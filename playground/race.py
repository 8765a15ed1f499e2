"""An optimizer race: torch.optim optimizers descending one surface from the same start, step by step."""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass, fields
from types import SimpleNamespace

import numpy as np
import torch

from playground.config import Config
from playground.optim import OPTIMIZERS
from playground.surfaces import DTYPE, Surface

OPTIMIZER_NAMES = tuple(OPTIMIZERS)

# The knobs worth turning on a 2D surface, per optimizer (eps stays at its default).
RACE_KNOBS: dict[str, tuple[str, ...]] = {
    "sgd": ("learning_rate",),
    "momentum": ("learning_rate", "momentum"),
    "nesterov": ("learning_rate", "momentum"),
    "adagrad": ("learning_rate",),
    "rmsprop": ("learning_rate", "rho"),
    "adam": ("learning_rate", "beta1", "beta2"),
    "adamw": ("learning_rate", "beta1", "beta2", "weight_decay"),
}

_FIELDS = {f.name: f for f in fields(Config)}
_ALL_KNOBS = ("learning_rate", "momentum", "beta1", "beta2", "rho", "eps", "weight_decay")
_DEFAULTS = Config()

MAX_STEPS = 2000  # the longest race kept in memory
CLOSE = 1e-3  # within this distance of a minimum a run counts as arrived


def knob_range(knob: str) -> tuple[float, float]:
    """Allowed (low, high) of a knob, from the experiment config's declaration."""
    meta = _FIELDS[knob].metadata
    return float(meta["lo"]), float(meta["hi"])


def default_knobs(optimizer: str, surface: Surface | None = None) -> dict[str, float]:
    """The optimizer's race knobs: the config's defaults, then what suits `surface`."""
    knobs = {k: float(getattr(_DEFAULTS, k)) for k in RACE_KNOBS[optimizer]}
    if surface is not None:
        knobs.update(surface.suggested.get(optimizer, {}))
    return knobs


def check_knobs(optimizer: str, knobs: dict[str, float]) -> dict[str, float]:
    """The knobs as floats, or ValueError naming the first one that is unknown or out of range."""
    if optimizer not in OPTIMIZERS:
        raise ValueError(f"optimizer: {optimizer!r} is not one of {', '.join(OPTIMIZER_NAMES)}")
    out = {}
    for key, value in knobs.items():
        if key not in _ALL_KNOBS:
            raise ValueError(f"{optimizer}: unknown knob {key!r}")
        lo, hi = knob_range(key)
        value = float(value)
        if not (lo <= value <= hi):
            raise ValueError(f"{optimizer}.{key}: {value!r} is not allowed; expected {lo:g} to {hi:g}")
        out[key] = value
    return out


def make_optimizer(optimizer: str, params, knobs: dict[str, float]) -> torch.optim.Optimizer:
    """The engine's optimizer `optimizer` with these knobs (others at the config's defaults)."""
    values = {k: getattr(_DEFAULTS, k) for k in _ALL_KNOBS} | check_knobs(optimizer, knobs)
    return OPTIMIZERS[optimizer](params, SimpleNamespace(**values))


@dataclass
class Lane:
    """One optimizer's run so far: its path, its loss at each point and how it stands."""

    optimizer: str
    knobs: dict[str, float]
    path: np.ndarray  # (steps + 1, 2): the start, then the point after each step
    losses: np.ndarray  # J at each point of the path
    status: str  # "running", "arrived" (at a minimum), "diverged"
    diverged_at: int | None = None  # the step that produced a non-finite or runaway point

    @property
    def position(self) -> np.ndarray:
        return self.path[-1]

    @property
    def loss(self) -> float:
        return float(self.losses[-1])


@dataclass
class RaceSnapshot:
    """Where every lane stands after `step` steps; plain numpy data."""

    step: int
    max_steps: int
    lanes: dict[str, Lane]

    @property
    def finished(self) -> bool:
        return self.step >= self.max_steps or all(l.status == "diverged" for l in self.lanes.values())


class _Runner:
    """One optimizer on one surface."""

    def __init__(self, surface: Surface, optimizer: str, knobs: dict[str, float], start):
        self.surface, self.optimizer = surface, optimizer
        self.knobs = check_knobs(optimizer, knobs)
        self.point = torch.tensor(start, dtype=DTYPE, requires_grad=True)
        self.opt = make_optimizer(optimizer, [self.point], self.knobs)
        self.path = [tuple(map(float, start))]
        self._loss = surface(self.point)  # J at the current point, its graph kept for the next step
        self.losses = [float(self._loss.detach())]
        self.status = "running"
        self.diverged_at: int | None = None

    def step(self, number: int) -> None:
        if self.status == "diverged":
            return
        self.opt.zero_grad()
        self._loss.backward()
        if not torch.isfinite(self.point.grad).all():
            self._diverge(number)
            return
        self.opt.step()
        self._loss = self.surface(self.point)
        x, y = self.point.tolist()
        value = float(self._loss.detach())
        if not all(map(math.isfinite, (x, y, value))):
            self._diverge(number)
            return
        self.path.append((x, y))
        self.losses.append(value)
        if math.hypot(x, y) > self.surface.bound:
            self._diverge(number)
            return
        near = min(math.hypot(x - mx, y - my) for mx, my in self.surface.minima)
        self.status = "arrived" if near < CLOSE else "running"

    def _diverge(self, number: int) -> None:
        self.status, self.diverged_at = "diverged", number

    def lane(self) -> Lane:
        return Lane(self.optimizer, dict(self.knobs), np.array(self.path), np.array(self.losses),
                    self.status, self.diverged_at)


class Race:
    """Optimizers (name -> knobs) racing down `surface` from `start`; a diverging run stops, never raises."""

    def __init__(self, surface: Surface, entrants: dict[str, dict[str, float]], start=None,
                 max_steps: int = 300):
        self.surface = surface
        self.entrants = {name: check_knobs(name, knobs) for name, knobs in entrants.items()}
        self.start = tuple(map(float, start if start is not None else surface.start))
        if not all(map(math.isfinite, self.start)):
            raise ValueError(f"start: {self.start!r} is not a finite point")
        if not 1 <= int(max_steps) <= MAX_STEPS:
            raise ValueError(f"max_steps: {max_steps!r} is not allowed; expected 1 to {MAX_STEPS}")
        self.max_steps = int(max_steps)
        self.reset()

    def reset(self) -> None:
        """Back to the start, every optimizer's state cleared."""
        self.steps = 0
        self._runners = {name: _Runner(self.surface, name, knobs, self.start)
                         for name, knobs in self.entrants.items()}

    @property
    def finished(self) -> bool:
        return self.steps >= self.max_steps or all(r.status == "diverged" for r in self._runners.values())

    def step(self, n: int = 1) -> RaceSnapshot:
        """Advance every running lane by up to `n` steps (never past max_steps)."""
        for _ in range(max(0, min(int(n), self.max_steps - self.steps))):
            self.steps += 1
            for runner in self._runners.values():
                runner.step(self.steps)
        return self.snapshot()

    def iterate(self) -> Iterator[RaceSnapshot]:
        """One snapshot per step until the race is over; the caller decides how often to draw."""
        while not self.finished:
            yield self.step()

    def snapshot(self) -> RaceSnapshot:
        return RaceSnapshot(self.steps, self.max_steps, {n: r.lane() for n, r in self._runners.items()})

    def __repr__(self):
        return f"Race({', '.join(self.entrants)} on step {self.steps}/{self.max_steps})"


# How torch.optim updates theta with g = grad J(theta) (the forms the tests check step by step).
UPDATE_RULES: dict[str, str] = {
    "sgd": r"\theta \leftarrow \theta - \alpha\, g",
    "momentum": r"v \leftarrow \mu v + g,\quad \theta \leftarrow \theta - \alpha v",
    "nesterov": r"v \leftarrow \mu v + g,\quad \theta \leftarrow \theta - \alpha\,(g + \mu v)",
    "adagrad": r"s \leftarrow s + g^2,\quad \theta \leftarrow \theta - \alpha\, \frac{g}{\sqrt{s} + \epsilon}",
    "rmsprop": r"s \leftarrow \rho s + (1-\rho)\, g^2,\quad "
               r"\theta \leftarrow \theta - \alpha\, \frac{g}{\sqrt{s} + \epsilon}",
    "adam": r"m \leftarrow \beta_1 m + (1-\beta_1) g,\ v \leftarrow \beta_2 v + (1-\beta_2) g^2,\ "
            r"\theta \leftarrow \theta - \alpha\, \frac{m / (1-\beta_1^t)}{\sqrt{v / (1-\beta_2^t)} + \epsilon}",
    "adamw": r"\theta \leftarrow \theta - \alpha \lambda \theta - \alpha\, "
             r"\frac{m / (1-\beta_1^t)}{\sqrt{v / (1-\beta_2^t)} + \epsilon}\quad (m, v\ \text{as in Adam})",
}
