"""Hyperparameter sweeps: a base config, one or two varied knobs, trained as stacks of networks.

A SweepSpec expands into a grid of configs; plan() groups them by network shape and data size (one
vectorised Stack per group, chunked to bound memory; dropout or batch norm run on Trainer one after
another), estimates time and memory and refuses what would not fit; SweepRun trains the plan in slices
so a page can show progress and stop; SweepResult holds each cell's outcome and exports CSV and JSON.
"""

from __future__ import annotations

import csv
import io
import json
import math
import sys
import time
from dataclasses import dataclass, field, fields, replace
from types import SimpleNamespace
from urllib.parse import urlencode

import numpy as np

from playground import vectorized
from playground.config import MAX_LAYERS, MAX_UNITS, Config, ConfigError, Layer, _check_field, _from_text, validate
from playground.datasets import make_data
from playground.training import Trainer

MAX_CONFIGS = 256
MAX_VALUES = 32  # per knob
MAX_SECONDS = 300.0  # estimated training time a sweep may take
MAX_MEMORY = 1 << 30  # bytes for stacks and results
CHUNK_MEMORY = 256 << 20  # a stack bigger than this is split into several
CURVE_POINTS = 100  # points per loss curve (every k-th epoch)
GRID_RES = 32  # small decision boundaries
SLICE_EPOCHS = 25  # epochs per compiled call (bounds the records kept at once)

# Cost model (seconds), measured on the 2-core development machine with TF Playground's default.
LANE_UNIT_S = 0.5e-9  # one multiply-add or activation of one lane in a stack
STEP_S = 2e-6  # fixed cost of one batch step of a stack
FAST_UNIT_S = 3e-9  # one unit of a single run on Trainer's compiled path
TORCH_STEP_S = 150e-6  # one batch step of a single run on autograd
TORCH_EPOCH_S = 250e-6  # per-epoch measurement of a single run on autograd

METRICS = ("test_loss", "train_loss", "test_accuracy", "epochs_to_target")
LOWER_IS_BETTER = {"test_loss": True, "train_loss": True, "test_accuracy": False, "epochs_to_target": True}
ACTIVATION_CHOICES = ("relu", "leaky_relu", "elu", "gelu", "silu", "tanh", "sigmoid", "softplus", "linear")
# The knobs a page offers; the command line accepts every scalar config key besides.
KNOBS = ("learning_rate", "width", "depth", "batch_size", "activation", "optimizer", "regularization_rate",
         "init", "noise", "seed")
LAYER_KNOBS = ("width", "depth", "activation")
LOG_KNOBS = ("learning_rate", "regularization_rate")


# ---- knobs and values ------------------------------------------------------------------------


def knob_keys() -> list[str]:
    """Every key a sweep can vary: the layer knobs and each scalar config field."""
    scalar = [f.name for f in fields(Config) if f.name not in ("layers", "features", "points", "epochs")]
    return list(LAYER_KNOBS) + scalar


def log_values(lo: float, hi: float, n: int) -> list[float]:
    """n log-spaced values from lo to hi, rounded to three significant digits."""
    if not (lo > 0 and hi > 0) or n < 1:
        raise ValueError("log-spaced values need lo > 0, hi > 0 and n >= 1")
    raw = [lo] if n == 1 else np.geomspace(lo, hi, n)
    return list(dict.fromkeys(float(f"{v:.3g}") for v in raw))


def lin_values(lo: float, hi: float, n: int) -> list[float]:
    raw = [lo] if n == 1 else np.linspace(lo, hi, n)
    return list(dict.fromkeys(float(f"{v:.6g}") for v in raw))


def _kind(key: str):
    if key in ("width", "depth"):
        return int
    if key == "activation":
        return str
    f = {f.name: f for f in fields(Config)}[key]
    return {"int": int, "float": float, "str": str, "bool": bool}.get(f.type, f.type)


def parse_values(key: str, text: str) -> list:
    """`V1,V2,...`, `log:LO:HI:N` or `lin:LO:HI:N` into typed values; ConfigError names what is wrong."""
    if key not in knob_keys():
        raise ConfigError("vary", key, f"a knob ({', '.join(knob_keys())})")
    text = str(text).strip()
    kind = _kind(key)
    if text.startswith(("log:", "lin:")):
        parts = text.split(":")
        try:
            lo, hi, n = float(parts[1]), float(parts[2]), int(parts[3])
            # bound the count before generating anything: a link may ask for 10^9 values
            ok = len(parts) == 4 and 1 <= n <= MAX_VALUES and math.isfinite(lo) and math.isfinite(hi)
            values = (log_values if parts[0] == "log" else lin_values)(lo, hi, n) if ok else None
        except (ValueError, IndexError):
            values, n = None, 0
        if values is None or kind not in (int, float) or not 1 <= n <= MAX_VALUES:
            raise ConfigError(key, text, f"{parts[0]}:LO:HI:N with numbers and 1 <= N <= {MAX_VALUES}")
        values = list(dict.fromkeys(int(round(v)) for v in values)) if kind is int else values
    else:
        items = [t.strip() for t in text.split(",") if t.strip()]
        if not items:
            raise ConfigError(key, text, "one or more values separated by commas")
        values = [_parse_one(key, kind, t) for t in items]
    if len(values) > MAX_VALUES:
        raise ConfigError(key, f"{len(values)} values", f"at most {MAX_VALUES} values")
    return [_in_range(key, v) for v in dict.fromkeys(values)]


def _in_range(key: str, value):
    """A knob value checked against the engine's limits (a link cannot bypass them)."""
    if key == "width" and not 1 <= value <= MAX_UNITS:
        raise ConfigError(key, value, f"a whole number from 1 to {MAX_UNITS}")
    if key == "depth" and not 0 <= value <= MAX_LAYERS:
        raise ConfigError(key, value, f"a whole number from 0 to {MAX_LAYERS}")
    if key not in ("width", "depth", "activation"):
        f = {f.name: f for f in fields(Config)}[key]
        return _check_field(f, value)
    return value


def _parse_one(key, kind, text):
    if key == "activation":
        if text not in ACTIVATION_CHOICES:
            raise ConfigError(key, text, f"one of {', '.join(ACTIVATION_CHOICES)}")
        return text
    if key in ("width", "depth"):
        try:
            return int(text)
        except ValueError:
            raise ConfigError(key, text, "a whole number") from None
    f = {f.name: f for f in fields(Config)}[key]
    return _from_text(f, text)


def apply(config: Config, key: str, value) -> Config:
    """The config with one knob set; width, depth and activation act on every hidden layer."""
    layers = list(config.layers)
    template = layers[0] if layers else Layer(4, "tanh")
    if key == "width":
        return config.evolve(layers=[replace(l, units=int(value)) for l in layers or [template]])
    if key == "depth":
        return config.evolve(layers=[replace(layers[i] if i < len(layers) else layers[-1] if layers else template)
                                     for i in range(int(value))])
    if key == "activation":
        return config.evolve(layers=[replace(l, activation=value) for l in layers])
    changes = {key: value}
    if key == "regularization_rate" and config.regularization == "none" and value > 0:
        changes["regularization"] = "l2"  # a rate alone would change nothing
    return config.evolve(**changes)


def fmt_value(value) -> str:
    if isinstance(value, float):
        return f"{value:.4g}"
    return str(value)


# ---- the sweep definition --------------------------------------------------------------------


@dataclass
class Axis:
    """One varied knob and its values."""

    key: str
    values: list

    def to_text(self) -> str:
        return f"{self.key}:{','.join(_value_text(v) for v in self.values)}"


def _value_text(v) -> str:
    if isinstance(v, bool):
        return "1" if v else "0"
    return repr(v) if isinstance(v, float) else str(v)


@dataclass
class SweepSpec:
    """What to sweep: the base config (its `epochs` is the budget), one or two axes, what to show."""

    base: Config
    axes: list[Axis]
    metric: str = "test_loss"
    target: float = 0.05  # epochs_to_target: first epoch whose training loss is at or below this

    def __post_init__(self):
        if not 1 <= len(self.axes) <= 2:
            raise ConfigError("vary", len(self.axes), "one or two knobs")
        if len(self.axes) == 2 and self.axes[0].key == self.axes[1].key:
            raise ConfigError("vary", self.axes[1].key, "two different knobs")
        for axis in self.axes:
            if not axis.values or len(axis.values) > MAX_VALUES:
                raise ConfigError(axis.key, len(axis.values), f"1 to {MAX_VALUES} values")
        if self.metric not in METRICS:
            raise ConfigError("metric", self.metric, f"one of {', '.join(METRICS)}")
        if not (isinstance(self.target, (int, float)) and math.isfinite(self.target)):
            raise ConfigError("target", self.target, "a number")

    @property
    def shape(self) -> tuple[int, int]:
        return len(self.axes[0].values), len(self.axes[1].values) if len(self.axes) > 1 else 1

    @property
    def size(self) -> int:
        rows, cols = self.shape
        return rows * cols

    def cell(self, index: int) -> tuple[int, int]:
        return divmod(index, self.shape[1])

    def values_of(self, index: int) -> dict:
        i, j = self.cell(index)
        out = {self.axes[0].key: self.axes[0].values[i]}
        if len(self.axes) > 1:
            out[self.axes[1].key] = self.axes[1].values[j]
        return out

    def configs(self) -> list[Config]:
        """Every cell's config, row by row (the first knob's values down, the second's across)."""
        if self.size > MAX_CONFIGS:
            raise ConfigError("vary", f"{self.size} configurations", f"at most {MAX_CONFIGS}")
        out = []
        for index in range(self.size):
            config = self.base
            for key, value in self.values_of(index).items():
                config = apply(config, key, value)
            out.append(config)
        return out

    def to_dict(self) -> dict:
        return {"base": self.base.to_dict(), "epochs": self.base.epochs,
                "vary": [{"key": a.key, "values": list(a.values)} for a in self.axes],
                "metric": self.metric, "target": self.target}

    def to_json(self, indent: int | None = 2) -> str:
        return json.dumps(self.to_dict(), indent=indent)

    @classmethod
    def from_dict(cls, data: dict) -> SweepSpec:
        if not isinstance(data, dict) or "base" not in data or "vary" not in data:
            raise ConfigError("sweep", type(data).__name__, "an object with base, vary, epochs")
        base = Config.from_dict(data["base"])
        if "epochs" in data:
            base = base.evolve(epochs=data["epochs"])
        axes = []
        for item in data["vary"]:
            key = item.get("key") if isinstance(item, dict) else None
            values = item.get("values") if isinstance(item, dict) else None
            if not isinstance(values, list):
                raise ConfigError("vary", item, "{key, values: [...]}")
            axes.append(Axis(key, parse_values(key, ",".join(_value_text(v) for v in values))))
        return cls(base, axes, data.get("metric", "test_loss"), float(data.get("target", 0.05)))

    @classmethod
    def from_json(cls, text) -> SweepSpec:
        try:
            return cls.from_dict(json.loads(text))
        except ValueError as exc:
            if isinstance(exc, ConfigError):
                raise
            raise ConfigError("sweep", str(exc)[:60], "valid JSON") from None

    def to_query(self) -> dict[str, str]:
        """The sweep's own URL parameters (vary1, vary2, metric, target), beside the config's keys."""
        out = {f"vary{i + 1}": a.to_text() for i, a in enumerate(self.axes)}
        out["metric"] = self.metric
        out["target"] = repr(float(self.target))
        return out


def axes_from_query(params: dict) -> tuple[list[Axis], list[ConfigError]]:
    """vary1 / vary2 (`key:v1,v2,...`) from a link, skipping bad ones with a reason."""
    axes, errors = [], []
    for name in ("vary1", "vary2"):
        raw = params.get(name)
        if isinstance(raw, list):
            raw = raw[-1] if raw else None
        if not raw:
            continue
        key, _, text = str(raw).partition(":")
        try:
            if any(a.key == key for a in axes):
                raise ConfigError(name, key, "a knob not already varied")
            axes.append(Axis(key, parse_values(key, text)))
        except ConfigError as err:
            errors.append(err)
    return axes, errors


# ---- planning ------------------------------------------------------------------------------------


@dataclass
class Refusal:
    """Why a sweep is not started: a code for the page's text and the English message."""

    code: str  # too_many | too_slow | too_big | invalid
    values: dict
    message: str


@dataclass
class Plan:
    """Which configs train together, what it will cost, and whether it may start."""

    configs: list[Config]
    stacks: list[list[int]]  # config indices trained as one vectorised stack
    sequential: list[int]  # config indices trained one by one on Trainer
    work: list[float]  # estimated seconds per config
    seconds: float
    memory: int
    refusal: Refusal | None = None

    @property
    def ok(self) -> bool:
        return self.refusal is None


def _sizes(config: Config) -> tuple[int, int]:
    """Training and test rows the config's data will have (generators may round n down)."""
    n = config.n_samples if config.dataset != "custom" else len(config.points)
    if config.dataset in ("circle", "gauss"):
        n = n // 2 * 2
    elif config.dataset in ("spiral", "spiral3"):
        arms = 2 if config.dataset == "spiral" else 3
        n = n // arms * arms
    n_train = int(math.floor(n * config.train_percent / 100))
    if n >= 2:
        n_train = min(max(n_train, 1), n - 1)
    return n_train, n - n_train


def _units(config: Config) -> tuple[int, int]:
    """(multiply-adds, activations) of one forward pass of one row."""
    shape = config.shape()
    return sum(a * b for a, b in zip(shape[:-1], shape[1:], strict=True)), sum(shape[1:])


def stride_for(epochs: int) -> int:
    return max(1, math.ceil(epochs / CURVE_POINTS))


def lane_seconds(config: Config, n_train: int, n_test: int) -> float:
    """Estimated seconds for one config as one lane of a stack."""
    macs, acts = _units(config)
    steps = math.ceil(n_train / max(1, config.batch_size))
    per_epoch = n_train * (3 * macs + 2 * acts) + (n_train + n_test / stride_for(config.epochs)) * (macs + acts)
    return config.epochs * per_epoch * LANE_UNIT_S + config.epochs * steps * STEP_S / 8


def single_seconds(config: Config, n_train: int, n_test: int) -> float:
    """Estimated seconds for one config on Trainer alone."""
    macs, acts = _units(config)
    steps = math.ceil(n_train / max(1, config.batch_size))
    fast = config.optimizer in ("sgd", "momentum", "nesterov") and not any(
        l.dropout > 0 or l.batch_norm for l in config.layers)
    if fast:
        return config.epochs * (n_train * (3 * macs + 2 * acts) + (n_train + n_test) * (macs + acts)) * FAST_UNIT_S
    return config.epochs * (steps * TORCH_STEP_S + TORCH_EPOCH_S)


def stack_memory(config: Config, n_train: int, n_test: int, lanes: int) -> int:
    """Bytes one stack of `lanes` configs holds while training."""
    shape = config.shape()
    params = sum((a + 1) * b for a, b in zip(shape[:-1], shape[1:], strict=True))
    width, layers = max(shape), len(shape)
    rows = max(min(config.batch_size, n_train), vectorized.EVAL_BLOCK)
    per_lane = (5 * params + 2 * layers * width * rows + 3 * width * rows
                + (n_train + n_test) * (shape[0] + shape[-1] + 1) + SLICE_EPOCHS * 4
                + max(1, config.epochs) * 4 + config.epochs // stride_for(config.epochs) * 5 * 8)
    return 8 * per_lane * lanes


def plan(spec: SweepSpec, max_seconds: float = MAX_SECONDS, max_memory: int = MAX_MEMORY) -> Plan:
    """Group the sweep's configs into stacks and estimate its cost; `refusal` says why it cannot start."""
    if spec.size > MAX_CONFIGS:
        return Plan([], [], [], [], 0.0, 0, Refusal(
            "too_many", {"n": spec.size, "max": MAX_CONFIGS},
            f"{spec.size} configurations; a sweep may have at most {MAX_CONFIGS}"))
    configs = spec.configs()
    groups: dict[tuple, list[int]] = {}
    sequential, work = [], []
    for i, c in enumerate(configs):
        n_train, n_test = _sizes(c)
        key = vectorized.vector_key(c, n_train, n_test)
        if key is None:
            sequential.append(i)
            work.append(single_seconds(c, n_train, n_test))
        else:
            groups.setdefault(key, []).append(i)
            work.append(lane_seconds(c, n_train, n_test))
    stacks, memory = [], 0
    for members in groups.values():
        c = configs[members[0]]
        n_train, n_test = _sizes(c)
        per = stack_memory(c, n_train, n_test, 1)
        size = max(1, min(len(members), CHUNK_MEMORY // max(per, 1)))
        for s in range(0, len(members), size):
            stacks.append(members[s:s + size])
            memory = max(memory, per * len(stacks[-1]))
    memory += spec.size * (GRID_RES * GRID_RES * 8 + CURVE_POINTS * 4 * 8 + 4096)
    seconds = float(sum(work))
    result = Plan(configs, stacks, sequential, work, seconds, memory)
    if seconds > max_seconds:
        result.refusal = Refusal("too_slow", {"seconds": seconds, "max": max_seconds},
                                 f"about {seconds:.0f} s of training; a sweep may take at most {max_seconds:.0f} s "
                                 f"(fewer values, epochs or points)")
    elif memory > max_memory:
        result.refusal = Refusal("too_big", {"mb": memory / 2**20, "max": max_memory / 2**20},
                                 f"about {memory / 2**20:.0f} MB; a sweep may use at most {max_memory / 2**20:.0f} MB")
    return result


# ---- running ---------------------------------------------------------------------------------------


def _lane_from_trainer(trainer: Trainer, target: float, stride: int, status: str | None = None) -> vectorized.Lane:
    snap = trainer.snapshot()
    h = trainer.history
    reached = next((e for e, v in zip(h.epoch, h.train_loss, strict=True) if e > 0 and v <= target), None)
    keep = [i for i, e in enumerate(h.epoch) if e % stride == 0 or e == snap.epoch]
    curve = {"epoch": [h.epoch[i] for i in keep], "train_loss": [h.train_loss[i] for i in keep],
             "test_loss": [h.test_loss[i] for i in keep], "test_accuracy": [h.test_accuracy[i] for i in keep]}
    if not curve["epoch"] or curve["epoch"][-1] != snap.epoch:
        for k, v in (("epoch", snap.epoch), ("train_loss", snap.train_loss), ("test_loss", snap.test_loss),
                     ("test_accuracy", snap.test_accuracy)):
            curve[k].append(v)
    weights = [(lin.weight.detach().numpy().copy(), lin.bias.detach().numpy().copy())
               for lin in trainer.model_.linears()]
    return vectorized.Lane(
        config=trainer.config, status=status or snap.status, epoch=snap.epoch, train_loss=snap.train_loss,
        test_loss=snap.test_loss, train_accuracy=snap.train_accuracy, test_accuracy=snap.test_accuracy,
        epochs_to_target=reached, message=snap.message, seconds=trainer.seconds, vectorised=False,
        curve=curve, weights=weights)


class SweepRun:
    """Trains a plan in slices: advance() for a while, read result() at any time, stop() to keep what ran."""

    def __init__(self, spec: SweepSpec, the_plan: Plan | None = None):
        self.spec = spec
        self.plan = the_plan or plan(spec)
        if not self.plan.ok:
            raise ConfigError("sweep", self.plan.refusal.message, "a smaller sweep")
        self.lanes: list[vectorized.Lane | None] = [None] * len(self.plan.configs)
        self.domains = [6.0] * len(self.plan.configs)
        self.queue = [("stack", members) for members in self.plan.stacks] + \
                     [("single", [i]) for i in self.plan.sequential]
        self.current = None  # (kind, members, Stack | Trainer)
        self.stopped = False
        self.seconds = 0.0
        self.total_work = max(sum(self.plan.work), 1e-9)
        self.done_work = 0.0
        self._data_cache: dict = {}

    @property
    def done(self) -> bool:
        return self.stopped or (not self.queue and self.current is None)

    def _data(self, config: Config):
        key = (config.dataset, config.n_samples, config.noise, config.train_percent, config.seed,
               config.n_classes, json.dumps(config.points), tuple(config.features), config.problem)
        if key not in self._data_cache:
            self._data_cache[key] = make_data(config)
        return self._data_cache[key]

    def _start_next(self):
        kind, members = self.queue.pop(0)
        configs = [self.plan.configs[i] for i in members]
        datas = [self._data(c) for c in configs]
        for i, d in zip(members, datas, strict=True):
            self.domains[i] = float(d.domain)
        stride = stride_for(max(c.epochs for c in configs))
        sizes: dict[tuple, list[int]] = {}
        for i, d in zip(members, datas, strict=True):
            sizes.setdefault((len(d.train_labels), len(d.test_labels)), []).append(i)
        if kind == "stack" and len(sizes) > 1:  # a generator rounded differently than planned: split by size
            self.queue[:0] = [("stack", group) for group in sizes.values()]
            return self._start_next()
        if kind == "stack":
            runner = vectorized.Stack(configs, datas, target=self.spec.target, stride=stride)
        else:
            runner = Trainer(configs[0], datas[0])
        self.current = (kind, members, runner, stride)

    def advance(self, seconds: float = 0.25) -> float:
        """Train for about `seconds`; returns the share of the estimated work done so far."""
        t0 = time.perf_counter()
        while not self.done and time.perf_counter() - t0 < seconds:
            if self.current is None:
                self._start_next()
            kind, members, runner, stride = self.current
            if kind == "stack":
                before = runner.epoch
                ran = runner.advance(SLICE_EPOCHS)
                share = sum(self.plan.work[i] for i in members) / max(runner.epochs, 1)
                self.done_work += share * ran
                finished = runner.done or ran == 0 or runner.epoch >= runner.epochs
                if finished:
                    self.done_work += share * (runner.epochs - runner.epoch)
                    for g, i in enumerate(members):
                        self.lanes[i] = runner.lane(g)
                    self.current = None
                elif runner.epoch == before:
                    self.current = None
            else:
                i = members[0]
                before = runner.epoch
                runner.run(SLICE_EPOCHS)
                cfg = runner.config
                self.done_work += self.plan.work[i] * (runner.epoch - before) / max(cfg.epochs, 1)
                if runner.status != "running" or runner.epoch >= cfg.epochs:
                    runner.run(1)  # at the budget this only marks the run done
                    self.done_work += self.plan.work[i] * (cfg.epochs - runner.epoch) / max(cfg.epochs, 1)
                    self.lanes[i] = _lane_from_trainer(runner, self.spec.target, stride)
                    self.current = None
        self.seconds += time.perf_counter() - t0
        return self.progress

    @property
    def progress(self) -> float:
        return 1.0 if self.done and not self.stopped else min(1.0, self.done_work / self.total_work)

    def eta(self) -> float:
        """Seconds left: the estimate scaled by how fast the work actually went so far."""
        left = max(self.total_work - self.done_work, 0.0)
        if self.done_work > 0.02 * self.total_work and self.seconds > 0.2:
            return left * self.seconds / self.done_work
        return left

    def stop(self) -> None:
        """Stop now: what is mid-training is kept as `stopped`, what never started stays empty."""
        if self.current is not None:
            kind, members, runner, stride = self.current
            if kind == "stack" and runner.epoch > 0:
                for g, i in enumerate(members):
                    self.lanes[i] = runner.lane(g)
            elif kind == "single" and runner.epoch > 0:
                runner.stop()
                self.lanes[members[0]] = _lane_from_trainer(runner, self.spec.target, stride)
            self.current = None
        self.stopped = True

    def result(self) -> SweepResult:
        lanes = list(self.lanes)
        if self.current is not None and self.current[0] == "stack" and self.current[2].epoch > 0:
            kind, members, runner, stride = self.current
            for g, i in enumerate(members):
                lanes[i] = runner.lane(g)
        return SweepResult(self.spec, lanes, self.domains, self.seconds, len(self.plan.stacks),
                           len(self.plan.sequential))


def run(spec: SweepSpec, the_plan: Plan | None = None, on_progress=None) -> SweepResult:
    """Train the whole sweep; on_progress(share, seconds left) after each slice."""
    sweep = SweepRun(spec, the_plan)
    while not sweep.done:
        share = sweep.advance(0.5)
        if on_progress is not None:
            on_progress(share, sweep.eta())
    return sweep.result()


# ---- results ---------------------------------------------------------------------------------------


@dataclass
class SweepResult:
    """Every cell's outcome (None where nothing ran) and what they share."""

    spec: SweepSpec
    lanes: list
    domains: list = field(default_factory=list)
    seconds: float = 0.0
    stacks: int = 0
    sequential: int = 0

    def value(self, index: int, metric: str | None = None) -> float:
        """The metric of one cell (NaN where it did not run or diverged)."""
        lane = self.lanes[index]
        metric = metric or self.spec.metric
        if lane is None or lane.status == "diverged":
            return math.nan
        v = getattr(lane, metric)
        return math.nan if v is None else float(v)

    def grid(self, metric: str | None = None) -> np.ndarray:
        rows, cols = self.spec.shape
        return np.array([self.value(i, metric) for i in range(self.spec.size)]).reshape(rows, cols)

    def statuses(self) -> list[str]:
        return [lane.status if lane is not None else "pending" for lane in self.lanes]

    def best(self, metric: str | None = None) -> int | None:
        metric = metric or self.spec.metric
        values = [self.value(i, metric) for i in range(self.spec.size)]
        finite = [(v, i) for i, v in enumerate(values) if math.isfinite(v)]
        if not finite:
            return None
        return (min if LOWER_IS_BETTER[metric] else max)(finite)[1]

    def row(self, index: int) -> dict:
        """One cell as plain data: its knob values, outcome and the Playground link's query."""
        lane = self.lanes[index]
        out = {"index": index}
        out.update(self.spec.values_of(index))
        config = self.spec.configs()[index] if lane is None else lane.config
        if lane is None:
            out.update(status="pending", epochs=0, train_loss=None, test_loss=None, train_accuracy=None,
                       test_accuracy=None, epochs_to_target=None, vectorised=None)
        else:
            out.update(status=lane.status, epochs=lane.epoch, train_loss=_num(lane.train_loss),
                       test_loss=_num(lane.test_loss), train_accuracy=_num(lane.train_accuracy),
                       test_accuracy=_num(lane.test_accuracy), epochs_to_target=lane.epochs_to_target,
                       vectorised=lane.vectorised)
        out["query"] = urlencode(config.to_query())
        return out

    def rows(self) -> list[dict]:
        return [self.row(i) for i in range(self.spec.size)]

    def summary(self) -> dict:
        statuses = self.statuses()
        best = self.best()
        return {"summary": True, "configs": self.spec.size, "stacks": self.stacks, "sequential": self.sequential,
                "done": statuses.count("done"), "diverged": statuses.count("diverged"),
                "stopped": statuses.count("stopped"), "pending": statuses.count("pending"),
                "seconds": round(self.seconds, 3), "metric": self.spec.metric,
                "best": None if best is None else {**self.spec.values_of(best),
                                                    self.spec.metric: self.value(best)}}

    def to_csv(self) -> str:
        rows = self.rows()
        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
        return out.getvalue()

    def to_json(self) -> str:
        return json.dumps({"sweep": self.spec.to_dict(), "results": self.rows(), "summary": self.summary()},
                          indent=2)


def _num(v):
    if v is None:
        return None
    v = float(v)
    return v if math.isfinite(v) else None


def boundary(result: SweepResult, index: int, resolution: int = GRID_RES) -> np.ndarray | None:
    """The trained network's output on a resolution x resolution grid (None where nothing ran)."""
    lane = result.lanes[index]
    if lane is None:
        return None
    import torch

    from playground.inspection import decision_grid
    from playground.losses import LOSSES
    from playground.model import build_model

    model = build_model(lane.config)
    with torch.no_grad():
        for lin, (w, b) in zip(model.linears(), lane.weights, strict=True):
            lin.weight.copy_(torch.as_tensor(w))
            lin.bias.copy_(torch.as_tensor(b))

    run_view = SimpleNamespace(config=lane.config, model_=model, loss_spec=LOSSES[lane.config.loss],
                               data=SimpleNamespace(domain=result.domains[index]))
    return decision_grid(run_view, resolution).output


# ---- command line ----------------------------------------------------------------------------------


def spec_from_args(args, base: Config) -> SweepSpec:
    axes = []
    for item in args.vary or []:
        key, sep, text = item.partition("=")
        if not sep:
            raise ConfigError("vary", item, "KEY=V1,V2,... (or KEY=log:LO:HI:N)")
        axes.append(Axis(key.strip(), parse_values(key.strip(), text)))
    if not axes:
        raise ConfigError("vary", "nothing", "--vary KEY=V1,V2,... once or twice")
    return SweepSpec(validate(base), axes)


def cli(args, base_config: Config) -> int:
    """`python -m playground sweep`: one JSON line per configuration, then a summary line."""
    from playground.__main__ import torch_threads

    torch_threads()
    try:
        spec = spec_from_args(args, base_config)
        the_plan = plan(spec)
    except ConfigError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    if not the_plan.ok:
        print(f"error: sweep refused: {the_plan.refusal.message}", file=sys.stderr)
        return 2
    result = run(spec, the_plan)
    for row in result.rows():
        row.pop("query")
        print(json.dumps(row))
    print(json.dumps(result.summary()))
    return 0


def bench_configs(epochs: int = 200) -> list[Config]:
    """TF Playground's default on circle: 8 learning rates (its menu) x 8 seeds."""
    rates = (0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0)
    return [Config(epochs=epochs, learning_rate=lr, seed=s) for lr in rates for s in range(1, 9)]


def bench(args) -> int:
    """`python -m playground bench-sweep`: the 8 x 8 sweep vectorised vs one Trainer after another."""
    from playground import fastpath
    from playground.__main__ import torch_threads

    torch_threads()
    warm = vectorized.warm_up() + fastpath.warm_up()
    configs = bench_configs()
    spec = SweepSpec(configs[0], [Axis("learning_rate", sorted({c.learning_rate for c in configs})),
                                  Axis("seed", list(range(1, 9)))])
    best = {"vec": math.inf, "seq": math.inf, "vec_cpu": math.inf, "seq_cpu": math.inf}
    for rep in range(3):
        t0, c0 = time.perf_counter(), time.process_time()
        result = run(spec)
        vec, vec_cpu = time.perf_counter() - t0, time.process_time() - c0
        t0, c0 = time.perf_counter(), time.process_time()
        for c in configs:
            Trainer(c).run(c.epochs)
        seq, seq_cpu = time.perf_counter() - t0, time.process_time() - c0
        for k, v in (("vec", vec), ("seq", seq), ("vec_cpu", vec_cpu), ("seq_cpu", seq_cpu)):
            best[k] = min(best[k], v)
        print(json.dumps({"round": rep + 1, "vectorised_s": round(vec, 4), "sequential_s": round(seq, 4),
                          "vectorised_cpu_s": round(vec_cpu, 4), "sequential_cpu_s": round(seq_cpu, 4)}))
    t0 = time.perf_counter()
    for c in configs[::8]:  # one seed per rate on autograd alone, scaled to all 64
        Trainer(c, engine="torch").run(c.epochs)
    torch_s = (time.perf_counter() - t0) * 8
    print(json.dumps({
        "configs": len(configs), "epochs": 200, "stacks": result.stacks, "threads": vectorized.THREADS,
        "warm_up_s": round(warm, 3),
        "diverged": result.statuses().count("diverged"),
        "sequential_torch_s_estimated": round(torch_s, 3), "speedup_vs_torch": round(torch_s / best["vec"], 1),
        "vectorised_cpu_s": round(best["vec_cpu"], 4), "sequential_cpu_s": round(best["seq_cpu"], 4),
        "vectorised_s": round(best["vec"], 4), "sequential_s": round(best["seq"], 4),
        "speedup": round(best["seq"] / best["vec"], 2),
    }))
    return 0
