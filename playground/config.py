"""The experiment config: one declaration, its validation, and its JSON and URL forms."""

from __future__ import annotations

import json
import math
from dataclasses import MISSING, asdict, dataclass, field, fields, replace
from typing import Any

from playground.datasets import DATASETS, FEATURES
from playground.losses import BINARY_LOSSES, CLASSIFICATION_LOSSES, LOSSES, REGRESSION_LOSSES
from playground.model import ACTIVATIONS, INITS
from playground.optim import OPTIMIZERS, SCHEDULES

MAX_LAYERS = 10
MAX_UNITS = 32
MAX_POINTS = 2000
MAX_EPOCHS = 100_000
MAX_STRING = 2_000  # longest query value read at all; longer ones are refused unread
MAX_POINTS_STRING = 48_000  # ...except `points`: 2,000 points of about 20 characters each


class ConfigError(ValueError):
    """A config value that is not allowed; names the key, the bad value and what is allowed."""

    def __init__(self, key: str, value: Any, allowed: str, used: Any = None):
        self.key, self.value, self.allowed, self.used = key, value, allowed, used
        shown = repr(value)
        if len(shown) > 80:
            shown = shown[:77] + "..."
        name = key if len(key) <= 60 else key[:57] + "..."
        text = f"{name}: {shown} is not allowed; expected {allowed}"
        if used is not None:
            text += f"; using {used!r}"
        super().__init__(text)


def knob(default, *, lo=None, hi=None, choices=None, live=False, help=""):
    """A config field with its allowed range or choices; `live` knobs change mid-run without a reset."""
    meta = dict(lo=lo, hi=hi, choices=choices, live=live, help=help)
    if isinstance(default, list):
        return field(default_factory=lambda d=default: list(d), metadata=meta)
    return field(default=default, metadata=meta)


@dataclass(frozen=True)
class Layer:
    """One hidden layer: width, activation, and optional dropout and batch norm."""

    units: int = 4
    activation: str = "tanh"
    dropout: float = 0.0
    batch_norm: bool = False

    def to_token(self) -> str:
        """URL form: `units:activation[:d<rate>][:bn]`."""
        parts = [str(self.units), self.activation]
        if self.dropout:
            parts.append(f"d{_fmt_float(self.dropout)}")
        if self.batch_norm:
            parts.append("bn")
        return ":".join(parts)


@dataclass(frozen=True)
class Config:
    """Everything that defines an experiment; same config and seed give the same run."""

    # data
    dataset: str = knob("circle", choices=tuple(DATASETS), help="which 2D dataset")
    n_samples: int = knob(500, lo=50, hi=MAX_POINTS, help="number of generated points")
    noise: float = knob(0.0, lo=0.0, hi=50.0, help="noise, 0-50 as in TF Playground")
    train_percent: int = knob(50, lo=10, hi=90, help="share of points used for training (%)")
    seed: int = knob(1, lo=0, hi=2**31 - 1, help="seeds data, split, initial weights and batches")
    n_classes: int = knob(3, lo=3, hi=5, help="classes for the multi-class `blobs` dataset")
    points: list = knob([], help="custom dataset: [x1, x2, label] triples")
    features: list = knob(["x1", "x2"], choices=tuple(FEATURES), help="input features, non-empty")
    # network
    layers: list = knob([Layer(4, "tanh"), Layer(2, "tanh")], help="hidden layers in order")
    problem: str = knob("classification", choices=("classification", "regression"))
    loss: str = knob("square", choices=tuple(LOSSES), help="square reproduces TF Playground")
    huber_delta: float = knob(1.0, lo=1e-3, hi=100.0, live=True)
    init: str = knob("uniform", choices=tuple(INITS), help="weight initialiser")
    # optimisation
    optimizer: str = knob("sgd", choices=tuple(OPTIMIZERS), live=True)
    learning_rate: float = knob(0.03, lo=1e-6, hi=10.0, live=True)
    momentum: float = knob(0.9, lo=0.0, hi=0.999, live=True, help="momentum / nesterov")
    beta1: float = knob(0.9, lo=0.0, hi=0.999, live=True, help="adam / adamw")
    beta2: float = knob(0.999, lo=0.0, hi=0.99999, live=True, help="adam / adamw")
    rho: float = knob(0.99, lo=0.0, hi=0.99999, live=True, help="rmsprop smoothing")
    eps: float = knob(1e-8, lo=1e-12, hi=1.0, live=True, help="adagrad / rmsprop / adam epsilon")
    weight_decay: float = knob(0.0, lo=0.0, hi=1.0, live=True, help="the optimizer's own decay")
    schedule: str = knob("constant", choices=tuple(SCHEDULES), live=True)
    step_size: int = knob(100, lo=1, hi=MAX_EPOCHS, live=True, help="epochs between step decays")
    gamma: float = knob(0.5, lo=0.01, hi=1.0, live=True, help="decay factor (step, exponential)")
    batch_size: int = knob(10, lo=1, hi=MAX_POINTS, live=True)
    shuffle: bool = knob(False, live=True, help="reshuffle every epoch (TF Playground does not)")
    regularization: str = knob("none", choices=("none", "l1", "l2"), live=True)
    regularization_rate: float = knob(0.0, lo=0.0, hi=10.0, live=True)
    epochs: int = knob(500, lo=1, hi=MAX_EPOCHS, live=True, help="epoch budget for a run")
    early_stopping: int = knob(0, lo=0, hi=MAX_EPOCHS, live=True, help="patience in epochs; 0 = off")

    # ---- derived facts -------------------------------------------------------------------
    @property
    def n_outputs(self) -> int:
        return self.num_classes if self.loss == "ce" else 1

    @property
    def num_classes(self) -> int:
        """Classes in the data (1 for regression)."""
        if self.problem == "regression":
            return 1
        if self.dataset == "custom":
            labels = {int(p[2]) for p in self.points}
            return max(2, max(labels, default=1) + 1)
        return DATASETS[self.dataset].classes or self.n_classes

    def shape(self) -> list[int]:
        """Neurons per layer, input to output."""
        return [len(self.features), *(l.units for l in self.layers), self.n_outputs]

    def evolve(self, **changes) -> Config:
        """A copy with some values changed, validated; problem and loss follow a new dataset unless given."""
        return validate(_derive(replace(self, **changes), given=set(changes) | {"_evolve"}))

    def needs_reset(self, other: Config) -> bool:
        """True when moving from self to other needs fresh weights (data or architecture changed)."""
        return any(
            getattr(self, f.name) != getattr(other, f.name)
            for f in fields(self)
            if not f.metadata.get("live")
        )

    # ---- forms -----------------------------------------------------------------------------
    def to_dict(self) -> dict:
        d = asdict(self)
        d["layers"] = [asdict(l) for l in self.layers]
        d["points"] = [list(p) for p in self.points]
        return d

    def to_json(self, indent: int | None = 2) -> str:
        return json.dumps(self.to_dict(), indent=indent)

    @classmethod
    def from_dict(cls, data: dict) -> Config:
        """Strict reading (files, API): unknown keys and bad values raise ConfigError."""
        if not isinstance(data, dict):
            raise ConfigError("config", type(data).__name__, "a JSON object of config keys")
        known = {f.name: f for f in fields(cls)}
        values = {}
        for key, raw in data.items():
            if key not in known:
                raise ConfigError(key, raw, f"a known key ({', '.join(known)})")
            values[key] = _check_field(known[key], _coerce(known[key], raw))
        return validate(_derive(cls(**values), given=set(values)))

    @classmethod
    def from_json(cls, text: str | bytes) -> Config:
        try:
            data = json.loads(text)
        except (ValueError, UnicodeDecodeError, RecursionError) as exc:
            raise ConfigError("config", str(exc)[:60], "valid JSON") from None
        return cls.from_dict(data)

    def to_query(self, only_changed: bool = False) -> dict[str, str]:
        """URL query form: parameter names are the config keys."""
        base = Config()
        out = {}
        for f in fields(self):
            value = getattr(self, f.name)
            if only_changed and value == getattr(base, f.name):
                continue
            out[f.name] = _to_text(f.name, value)
        return out

    @classmethod
    def from_query(cls, params: dict[str, Any]) -> tuple[Config, list[ConfigError]]:
        """Lenient reading (links): bad or unknown values are skipped and reported, defaults kept."""
        known = {f.name: f for f in fields(cls)}
        warnings: list[ConfigError] = []
        values = {}
        for key, raw in params.items():
            if isinstance(raw, list):  # st.query_params.to_dict() gives the last value; be safe
                raw = raw[-1] if raw else ""
            if key not in known:
                continue  # other page parameters (lang, hide, ...) live beside the config
            try:
                text = str(raw)
                limit = MAX_POINTS_STRING if key == "points" else MAX_STRING
                if len(text) > limit:
                    raise ConfigError(key, text[:40] + "...", f"at most {limit:,} characters")
                value = _from_text(known[key], text)
                try:
                    values[key] = _check_field(known[key], value)
                except ConfigError:
                    clamped = _clamp(known[key], value)
                    if clamped is None:
                        raise
                    values[key] = clamped
                    lo, hi = known[key].metadata["lo"], known[key].metadata["hi"]
                    warnings.append(ConfigError(key, value, f"{lo} to {hi}", used=clamped))
            except ConfigError as err:
                warnings.append(err)
        config = _derive(cls(**values), given=set(values))
        config, fixes = _fit(config)
        return config, warnings + fixes


# ---- validation ----------------------------------------------------------------------------


def validate(config: Config) -> Config:
    """Check every field and the fields' agreement; raise ConfigError naming the first bad key."""
    for f in fields(config):
        _check_field(f, getattr(config, f.name))
    _check_agreement(config)
    return config


def _check_field(f, value):
    meta = f.metadata
    name = f.name
    if name == "layers":
        if not isinstance(value, (list, tuple)) or len(value) > MAX_LAYERS:
            raise ConfigError(name, value, f"a list of 0-{MAX_LAYERS} layers")
        return [_check_layer(i, l) for i, l in enumerate(value)]
    if name == "features":
        if not isinstance(value, (list, tuple)) or not value:
            raise ConfigError(name, value, f"a non-empty subset of {', '.join(FEATURES)}")
        for v in value:
            if not isinstance(v, str) or v not in FEATURES:
                raise ConfigError(name, v, f"a non-empty subset of {', '.join(FEATURES)}")
        if len(set(value)) != len(value):
            raise ConfigError(name, value, "each feature at most once")
        return [v for v in FEATURES if v in value]  # canonical order
    if name == "points":
        return _check_points(value)
    kind = f.type if isinstance(f.type, type) else {"int": int, "float": float, "str": str, "bool": bool}[f.type]
    if kind is bool:
        if not isinstance(value, bool):
            raise ConfigError(name, value, "true or false")
    elif kind is int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise ConfigError(name, value, f"a whole number from {meta['lo']} to {meta['hi']}")
    elif kind is float:
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
            raise ConfigError(name, value, f"a number from {meta['lo']} to {meta['hi']}")
    elif kind is str:
        if not isinstance(value, str) or value not in meta["choices"]:  # str first: lists are unhashable
            raise ConfigError(name, value, f"one of {', '.join(meta['choices'])}")
    if meta.get("lo") is not None and not (meta["lo"] <= value <= meta["hi"]):
        allowed = "a whole number" if kind is int else "a number"
        raise ConfigError(name, value, f"{allowed} from {meta['lo']} to {meta['hi']}")
    return value


def _check_layer(i: int, layer) -> Layer:
    key = f"layers[{i}]"
    if isinstance(layer, dict):
        unknown = set(layer) - {"units", "activation", "dropout", "batch_norm"}
        if unknown:
            raise ConfigError(key, sorted(unknown)[0], "layer keys units, activation, dropout, batch_norm")
        layer = Layer(**layer)
    if not isinstance(layer, Layer):
        raise ConfigError(key, layer, "a layer {units, activation, dropout, batch_norm}")
    u = layer.units
    if isinstance(u, bool) or not isinstance(u, int) or not 1 <= u <= MAX_UNITS:
        raise ConfigError(f"{key}.units", u, f"a whole number from 1 to {MAX_UNITS}")
    if not isinstance(layer.activation, str) or layer.activation not in ACTIVATIONS:
        raise ConfigError(f"{key}.activation", layer.activation, f"one of {', '.join(ACTIVATIONS)}")
    d = layer.dropout
    if isinstance(d, bool) or not isinstance(d, (int, float)) or not (0.0 <= d <= 0.9):
        raise ConfigError(f"{key}.dropout", d, "a number from 0 to 0.9")
    if not isinstance(layer.batch_norm, bool):
        raise ConfigError(f"{key}.batch_norm", layer.batch_norm, "true or false")
    return layer


def _check_points(value) -> list:
    if not isinstance(value, (list, tuple)) or len(value) > MAX_POINTS:
        raise ConfigError("points", f"{len(value) if isinstance(value, (list, tuple)) else value}",
                          f"a list of at most {MAX_POINTS} [x1, x2, label] triples")
    for i, p in enumerate(value):
        ok = isinstance(p, (list, tuple)) and len(p) == 3 and all(
            isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v) for v in p
        )
        if not ok or abs(p[0]) > 1e3 or abs(p[1]) > 1e3 or abs(p[2]) > 1e6:
            raise ConfigError(f"points[{i}]", p, "[x1, x2, label] with finite numbers, |x| <= 1000")
    return [list(p) for p in value]


def _check_agreement(c: Config) -> None:
    spec = DATASETS[c.dataset]
    if spec.problem and spec.problem != c.problem:
        raise ConfigError("problem", c.problem, f"{spec.problem} for dataset {c.dataset}")
    if c.problem == "classification" and c.loss not in CLASSIFICATION_LOSSES:
        raise ConfigError("loss", c.loss, f"a classification loss ({', '.join(CLASSIFICATION_LOSSES)}); "
                                           f"{c.loss} fits regression")
    if c.problem == "regression" and c.loss not in REGRESSION_LOSSES:
        raise ConfigError("loss", c.loss, f"a regression loss ({', '.join(REGRESSION_LOSSES)}); "
                                           f"{c.loss} fits classification")
    if c.problem == "classification" and c.num_classes > 2 and c.loss in BINARY_LOSSES:
        raise ConfigError("loss", c.loss, f"ce: dataset {c.dataset} has {c.num_classes} classes "
                                           f"and {c.loss} separates only two")
    if c.dataset == "custom":
        if len(c.points) > MAX_POINTS:
            raise ConfigError("points", len(c.points), f"at most {MAX_POINTS} points")
        if c.problem == "classification":
            for i, p in enumerate(c.points):
                if p[2] != int(p[2]) or not 0 <= p[2] <= 4:
                    raise ConfigError(f"points[{i}]", p, "a class label 0-4 for classification")


def _clamp(f, value):
    """An out-of-range finite number pulled into range, or None when it cannot be."""
    lo, hi = f.metadata.get("lo"), f.metadata.get("hi")
    if lo is None or isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    if isinstance(value, float) and not math.isfinite(value):
        return None
    v = min(max(value, lo), hi)
    return int(v) if f.type in ("int", int) else float(v)


def _derive(c: Config, given: set) -> Config:
    """Fill problem and loss from the dataset when the input did not set them."""
    if ("problem" in given and "loss" in given) or c.dataset not in DATASETS:
        return c
    if "_evolve" in given and not given & {"dataset", "n_classes", "points", "problem"}:
        return c
    try:
        return _derived(c, given)
    except (TypeError, ValueError, IndexError, KeyError):
        return c  # malformed values: validation reports them


def _derived(c: Config, given: set) -> Config:
    spec = DATASETS.get(c.dataset)
    changes = {}
    if "problem" not in given and spec is not None and spec.problem:
        changes["problem"] = spec.problem
    problem = changes.get("problem", c.problem)
    if "loss" not in given:
        if problem == "regression" and c.loss not in REGRESSION_LOSSES:
            changes["loss"] = "square"
        elif problem == "classification":
            probe = replace(c, **changes)
            if probe.num_classes > 2 and c.loss in BINARY_LOSSES:
                changes["loss"] = "ce"
    return replace(c, **changes) if changes else c


def _fit(c: Config) -> tuple[Config, list[ConfigError]]:
    """Make a leniently-read config self-consistent, reporting each change."""
    fixes = []
    try:
        _check_agreement(c)
        return c, fixes
    except ConfigError as err:
        fixes.append(err)
    return fit_problem(c), fixes


def fit_problem(c: Config) -> Config:
    """The config with problem and loss adjusted to suit its dataset (used when a picker changes)."""
    spec = DATASETS[c.dataset]
    problem = spec.problem or c.problem
    loss = c.loss
    if problem == "regression" and loss not in REGRESSION_LOSSES:
        loss = "square"
    if problem == "classification" and loss not in CLASSIFICATION_LOSSES:
        loss = "square"
    c = replace(c, problem=problem, loss=loss)
    if problem == "classification" and c.num_classes > 2 and loss in BINARY_LOSSES:
        c = replace(c, loss="ce")
    if c.dataset == "custom" and problem == "classification":
        bad = [p for p in c.points if p[2] != int(p[2]) or not 0 <= p[2] <= 4]
        if bad:
            c = replace(c, points=[p for p in c.points if p not in bad])
    return c


# ---- text forms ----------------------------------------------------------------------------


def _fmt_float(x: float) -> str:
    if float(x).is_integer() and abs(x) < 1e15:
        return str(int(x)) if isinstance(x, int) else repr(float(x)).removesuffix(".0")
    return repr(float(x))


def _to_text(name: str, value) -> str:
    if name == "layers":
        return ",".join(l.to_token() for l in value)
    if name == "features":
        return ",".join(value)
    if name == "points":
        return ",".join(":".join(_fmt_float(v) for v in p) for p in value)
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float):
        return repr(value)
    return str(value)


def _from_text(f, text: str):
    name = f.name
    text = text.strip()
    if name == "layers":
        return [] if text in ("", "none") else [_parse_layer(i, t) for i, t in enumerate(text.split(","))]
    if name == "features":
        return [t.strip() for t in text.split(",") if t.strip()]
    if name == "points":
        if not text:
            return []
        out = []
        for i, item in enumerate(text.split(",")):
            parts = item.split(":")
            try:
                out.append([_num(p) for p in parts] if len(parts) == 3 else None)
            except ValueError:
                out.append(None)
            if out[-1] is None:
                raise ConfigError(f"points[{i}]", item, "x1:x2:label")
        return out
    kind = {"int": int, "float": float, "str": str, "bool": bool}.get(f.type, f.type)
    if kind is bool:
        low = text.lower()
        if low in ("1", "true", "yes", "on"):
            return True
        if low in ("0", "false", "no", "off"):
            return False
        raise ConfigError(name, text, "true or false (1 or 0)")
    if kind is int:
        try:
            return int(text)
        except ValueError:
            try:
                as_float = float(text)
            except ValueError:
                as_float = math.nan
            if math.isfinite(as_float) and as_float.is_integer():
                return int(as_float)
            raise ConfigError(name, text, f"a whole number from {f.metadata['lo']} to {f.metadata['hi']}") from None
    if kind is float:
        try:
            return float(text)
        except ValueError:
            raise ConfigError(name, text, f"a number from {f.metadata['lo']} to {f.metadata['hi']}") from None
    return text


def _num(text: str) -> float:
    v = float(text)
    return int(v) if v.is_integer() and "." not in text and "e" not in text.lower() else v


def _parse_layer(i: int, token: str) -> Layer:
    parts = [p.strip() for p in token.split(":")]
    key = f"layers[{i}]"
    try:
        units = int(parts[0])
    except ValueError:
        raise ConfigError(key, token, "units:activation, e.g. 4:tanh") from None
    activation = parts[1] if len(parts) > 1 else "tanh"
    dropout, bn = 0.0, False
    for extra in parts[2:]:
        if extra == "bn":
            bn = True
        elif extra.startswith("d"):
            try:
                dropout = float(extra[1:])
            except ValueError:
                raise ConfigError(f"{key}.dropout", extra, "d<rate>, e.g. d0.2") from None
        else:
            raise ConfigError(key, token, "units:activation[:d<rate>][:bn]")
    return _check_layer(i, Layer(units, activation, dropout, bn))


def _coerce(f, raw):
    """JSON values into field types (ints given as 3.0 stay ints only when whole)."""
    if f.name == "layers" and isinstance(raw, str):
        return _from_text(f, raw)
    if f.name == "layers" and isinstance(raw, list):
        return [_check_layer(i, l) for i, l in enumerate(raw)]
    if f.type in ("float", float) and isinstance(raw, int) and not isinstance(raw, bool):
        return float(raw)
    if f.type in ("int", int) and isinstance(raw, float) and raw.is_integer():
        return int(raw)
    return raw


def defaults() -> Config:
    return Config()


def field_names() -> list[str]:
    return [f.name for f in fields(Config)]


def field_info(name: str) -> dict:
    """Range, choices and help text of one field (for widgets and messages)."""
    for f in fields(Config):
        if f.name == name:
            d = dict(f.metadata)
            d["default"] = f.default if f.default is not MISSING else f.default_factory()
            return d
    raise KeyError(name)


LIVE_KEYS = frozenset(f.name for f in fields(Config) if f.metadata.get("live"))
