"""Backpropagation by hand on a 2-h-1 network: every forward and backward number, and the steps to show."""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass, replace

import numpy as np

HIDDEN_SIZES = (2, 3, 4)
LEAKY_SLOPE = 0.01  # as model.ACTIVATIONS["leaky_relu"]
HUBER_DELTA = 1.0
PHASES = ("forward", "backward", "update")


class BackpropError(ValueError):
    """Inputs the walkthrough cannot use; `key` names the message in the text catalogue."""

    def __init__(self, key: str, **values):
        self.key, self.values = key, values
        super().__init__(f"{key}: {values}" if values else key)


# ---------------------------------------------------------------- numbers as LaTeX

def num(v: float, digits: int = 4) -> str:
    """A number in LaTeX with `digits` significant digits (scientific form as a x 10^k)."""
    v = float(v) + 0.0  # no "-0"
    if not math.isfinite(v):
        return r"\mathrm{NaN}" if math.isnan(v) else ("-" if v < 0 else "") + r"\infty"
    s = f"{v:.{digits}g}"
    if "e" in s:
        mant, exp = s.split("e")
        s = rf"{mant} \times 10^{{{int(exp)}}}"
    return s


def par(v: float, digits: int = 4) -> str:
    """A number ready to be a factor or operand: negative and scientific ones in parentheses."""
    s = num(v, digits)
    return f"({s})" if s.startswith("-") or "times" in s else s


def cases(*rows: tuple[str, str]) -> str:
    return r"\begin{cases}" + r" \\ ".join(f"{v} & {c}" for v, c in rows) + r"\end{cases}"


BUDGET = 15.0  # widest formula line, in em of the formula font; the page sizes that font to fit it

_ZERO_WIDTH = {"mathrm", "operatorname", "bigl", "bigr", "left", "right", "hat", "mathbf", "displaystyle"}
_SPACES = {",": 0.17, " ": 0.33, ";": 0.28, "quad": 1.0, "qquad": 2.0}
_RELATIONS = {"le", "ge", "leftarrow", "approx"}
_BINARY = {"times", "cdot"}
_ENV = re.compile(r"\\begin\{(cases|bmatrix|aligned)\}")
_COMMAND = re.compile(r"\\([a-zA-Z]+|.)")


def _group(s: str, i: int) -> tuple[str, int]:
    """The {...} group starting at s[i] (or the single character there) and the index after it."""
    if i >= len(s) or s[i] != "{":
        return s[i:i + 1], i + 1
    depth = 0
    for j in range(i, len(s)):
        depth += {"{": 1, "}": -1}.get(s[j], 0)
        if depth == 0:
            return s[i + 1:j], j + 1
    return s[i + 1:], len(s)


def width(tex: str) -> float:
    """Rendered width of a LaTeX formula in em, roughly, to decide where a long chain breaks.

    Measured against KaTeX in Chromium over every step's formulas: the true width is 0.84-1.01 times this.
    """
    w, i = 0.0, 0
    while i < len(tex):
        c = tex[i]
        env = _ENV.match(tex, i) if c == "\\" else None
        if env:
            end = tex.find(rf"\end{{{env.group(1)}}}", i)
            end = len(tex) if end < 0 else end
            rows = [r.split("&") for r in tex[i + len(env.group(0)):end].split(r"\\")]
            cols = max(len(r) for r in rows)
            w += 1.2 + sum(max(width(r[k]) if k < len(r) else 0 for r in rows) + 1.0 for k in range(cols))
            i = end + len(env.group(1)) + 6
        elif c == "\\":
            name = _COMMAND.match(tex, i).group(1)
            i += len(name) + 1
            if name in ("frac", "tfrac"):
                top, i = _group(tex, i)
                bottom, i = _group(tex, i)
                w += max(width(top), width(bottom)) * (0.75 if name == "tfrac" else 1.0) + 0.3
            elif name in _SPACES:
                w += _SPACES[name]
            elif name in _RELATIONS:
                w += 1.35
            elif name in _BINARY:
                w += 1.2
            elif name not in _ZERO_WIDTH:
                w += 0.55 * len(name) if name in ("max", "ln", "tanh", "sign") else 0.6
        elif c in "^_":
            body, i = _group(tex, i + 1)
            w += 0.7 * width(body)
        elif c in "=<>":
            w, i = w + 1.35, i + 1
        elif c in "+-":
            w, i = w + 1.2, i + 1
        elif c in "{} &":
            i += 1
        elif c in "()[]|,.":
            w, i = w + 0.35, i + 1
        else:
            w, i = w + 0.55, i + 1
    return w


def _terms(tex: str) -> list[str]:
    """A sum split at its top-level " + " (not inside braces or parentheses)."""
    terms, depth, start = [], 0, 0
    for i, c in enumerate(tex):
        depth += {"{": 1, "(": 1, "}": -1, ")": -1}.get(c, 0)
        if depth == 0 and tex.startswith(" + ", i):
            terms.append(tex[start:i])
            start = i + 3
    return terms + [tex[start:]]


def chain(lhs: str, *parts, budget: float = BUDGET) -> str:
    """lhs = p1 = p2 ..., broken into aligned lines when wider than `budget`.

    A part is a formula (joined with "=") or an (operator, formula) pair; empty parts are skipped.
    Lines are aligned on "=" unless the left-hand side is wide, then they hang below it; a sum wider
    than a line is broken at its "+" signs.
    """
    segs = [p if isinstance(p, tuple) else ("=", p) for p in parts if p and (not isinstance(p, tuple) or p[1])]
    one = lhs + "".join(f" {op} {tex}" for op, tex in segs)
    if width(one) <= budget:
        return one
    hang = width(lhs) > 0.4 * budget
    room = budget - (1.0 if hang else width(lhs))
    lines: list[list[tuple[str, str]]] = [[]]
    used, fresh_line = 0.0, False
    for op, tex in segs:
        # a part too wide for a line is a sum: its terms continue at "+", on lines of their own
        terms = _terms(tex) if width(f"{op} {tex}") > room else [tex]
        for k, (o, x) in enumerate([(op, terms[0])] + [("+", term) for term in terms[1:]]):
            w = width(f"{o} {x}")
            if lines[-1] and (used + w > room or fresh_line or (k == 0 and len(terms) > 1)):
                lines.append([])
                used = 0.0
            lines[-1].append((o, x))
            used, fresh_line = used + w, False
        fresh_line = len(terms) > 1

    def row(segs: list[tuple[str, str]]) -> str:
        (op, tex), rest = segs[0], segs[1:]
        first = f"&{op} {tex}" if op == "=" else f"&{{}}{op} {tex}"
        return first + "".join(f" {o} {x}" for o, x in rest)

    rows = [f"& {lhs}"] + [r"&\quad " + row(seg)[1:] for seg in lines] if hang else \
        [lhs + " " + row(lines[0])] + [row(seg) for seg in lines[1:]]
    return r"\begin{aligned}" + r" \\ ".join(rows) + r"\end{aligned}"


# ---------------------------------------------------------------- activations and losses

def _sigmoid(z):
    z = np.asarray(z, dtype=np.float64)
    e = np.exp(-np.abs(z))  # never overflows, and keeps tiny outputs for very negative z
    return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


_erf = np.vectorize(math.erf, otypes=[np.float64])


def _phi_cdf(z):
    return 0.5 * (1.0 + _erf(np.asarray(z, dtype=np.float64) / math.sqrt(2.0)))


def _phi_pdf(z):
    return np.exp(-0.5 * np.asarray(z, dtype=np.float64) ** 2) / math.sqrt(2.0 * math.pi)


@dataclass(frozen=True)
class Activation:
    """f and f' by hand, and both in LaTeX; `show(z, a)` / `dshow(z, a)` write them for given operands."""

    symbol: str
    f: Callable[[np.ndarray], np.ndarray]
    df: Callable[[np.ndarray], np.ndarray]
    show: Callable[[str, str], str]
    dshow: Callable[[str, str], str]
    piecewise: bool = False  # written with cases: f' shown with the numbers only


ACTIVATIONS: dict[str, Activation] = {
    "sigmoid": Activation(
        r"\sigma", _sigmoid, lambda z: _sigmoid(z) * (1 - _sigmoid(z)),
        lambda z, a: rf"\frac{{1}}{{1 + e^{{-{z}}}}}", lambda z, a: rf"{a}\,(1 - {a})"),
    "tanh": Activation(
        r"\tanh", np.tanh, lambda z: 1 - np.tanh(z) ** 2,
        lambda z, a: rf"\tanh {z}", lambda z, a: rf"1 - {a}^2"),
    "relu": Activation(
        r"\mathrm{ReLU}", lambda z: np.maximum(z, 0.0), lambda z: (np.asarray(z) > 0).astype(np.float64),
        lambda z, a: rf"\max(0,\ {z})", lambda z, a: cases(("1", f"{z} > 0"), ("0", rf"{z} \le 0")), True),
    "leaky_relu": Activation(
        r"\mathrm{LeakyReLU}", lambda z: np.where(np.asarray(z) > 0, z, LEAKY_SLOPE * np.asarray(z)),
        lambda z: np.where(np.asarray(z) > 0, 1.0, LEAKY_SLOPE),
        lambda z, a: cases((z, f"{z} > 0"), (rf"{LEAKY_SLOPE} \times {z}", rf"{z} \le 0")),
        lambda z, a: cases(("1", f"{z} > 0"), (str(LEAKY_SLOPE), rf"{z} \le 0")), True),
    "elu": Activation(
        r"\mathrm{ELU}", lambda z: np.where(np.asarray(z) > 0, z, np.expm1(np.minimum(z, 0.0))),
        lambda z: np.where(np.asarray(z) > 0, 1.0, np.exp(np.minimum(z, 0.0))),
        lambda z, a: cases((z, f"{z} > 0"), (rf"e^{{{z}}} - 1", rf"{z} \le 0")),
        lambda z, a: cases(("1", f"{z} > 0"), (rf"e^{{{z}}}", rf"{z} \le 0")), True),
    "gelu": Activation(
        r"\mathrm{GELU}", lambda z: np.asarray(z) * _phi_cdf(z), lambda z: _phi_cdf(z) + np.asarray(z) * _phi_pdf(z),
        lambda z, a: rf"{z}\,\Phi({z})", lambda z, a: rf"\Phi({z}) + {z}\,\varphi({z})"),
    "silu": Activation(
        r"\mathrm{SiLU}", lambda z: np.asarray(z) * _sigmoid(z),
        lambda z: _sigmoid(z) * (1 + np.asarray(z) * (1 - _sigmoid(z))),
        lambda z, a: rf"{z}\,\sigma({z})", lambda z, a: rf"\sigma({z})\,\bigl(1 + {z}\,(1 - \sigma({z}))\bigr)"),
    "softplus": Activation(
        r"\mathrm{softplus}", lambda z: np.logaddexp(0.0, z), _sigmoid,
        lambda z, a: rf"\ln\left(1 + e^{{{z}}}\right)", lambda z, a: rf"\frac{{1}}{{1 + e^{{-{z}}}}}"),
    "linear": Activation(r"\mathrm{id}", lambda z: np.asarray(z, dtype=np.float64) * 1.0,
                         lambda z: np.ones_like(np.asarray(z, dtype=np.float64)),
                         lambda z, a: "", lambda z, a: ""),
}


def _sign(v):
    return float(np.sign(v))


@dataclass(frozen=True)
class Loss:
    """L(y_hat, y) and dL/dy_hat by hand, and both in LaTeX for given operands."""

    value: Callable[[float, float], float]
    grad: Callable[[float, float], float]
    show: Callable[[str, str], str]
    dshow: Callable[[str, str], str]
    piecewise: bool = False  # written with cases: shown with the numbers only


LOSSES: dict[str, Loss] = {
    "mse": Loss(lambda p, y: (p - y) ** 2, lambda p, y: 2 * (p - y),
                lambda p, y: rf"({p} - {y})^2", lambda p, y: rf"2\,({p} - {y})"),
    "square": Loss(lambda p, y: 0.5 * (p - y) ** 2, lambda p, y: p - y,
                   lambda p, y: rf"\tfrac{{1}}{{2}}({p} - {y})^2", lambda p, y: rf"{p} - {y}"),
    "mae": Loss(lambda p, y: abs(p - y), lambda p, y: _sign(p - y),
                lambda p, y: rf"\left|{p} - {y}\right|", lambda p, y: rf"\operatorname{{sign}}({p} - {y})"),
    "huber": Loss(
        lambda p, y: 0.5 * (p - y) ** 2 if abs(p - y) < HUBER_DELTA else HUBER_DELTA * (abs(p - y) - 0.5 * HUBER_DELTA),
        lambda p, y: p - y if abs(p - y) <= HUBER_DELTA else HUBER_DELTA * _sign(p - y),
        lambda p, y: cases((rf"\tfrac{{1}}{{2}}({p} - {y})^2", rf"|{p} - {y}| \le 1"),
                           (rf"|{p} - {y}| - \tfrac{{1}}{{2}}", rf"|{p} - {y}| > 1")),
        lambda p, y: cases((rf"{p} - {y}", rf"|{p} - {y}| \le 1"),
                           (rf"\operatorname{{sign}}({p} - {y})", rf"|{p} - {y}| > 1")), True),
    "bce": Loss(
        lambda p, y: -(y * math.log(p) + (1 - y) * math.log(1 - p)),
        lambda p, y: (p - y) / (p * (1 - p)),
        lambda p, y: rf"-\bigl[{y} \ln {p} + (1 - {y}) \ln(1 - {p})\bigr]",
        lambda p, y: rf"\frac{{{p} - {y}}}{{{p}\,(1 - {p})}}"),
    # torch's clamp passes the gradient at the kink too, so the margin test is >= 0
    "hinge": Loss(lambda p, y: max(0.0, 1 - y * p), lambda p, y: -y if 1 - y * p >= 0 else 0.0,
                  lambda p, y: rf"\max(0,\ 1 - {y} \times {p})",
                  lambda p, y: cases((f"-{y}", rf"1 - {y} \times {p} \ge 0"), ("0", rf"1 - {y} \times {p} < 0")),
                  True),
}


# ---------------------------------------------------------------- the setup and the computation

@dataclass(frozen=True, eq=False)
class Setup:
    """One sample, the network's parameters and the training choices."""

    x: np.ndarray  # (2,) inputs
    y: float  # target
    W1: np.ndarray  # (h, 2) hidden weights, row j feeds hidden neuron j
    b1: np.ndarray  # (h,) hidden biases
    W2: np.ndarray  # (h,) output weights
    b2: float  # output bias
    hidden_activation: str = "relu"
    output_activation: str = "relu"
    loss: str = "mse"
    lr: float = 0.01

    @property
    def hidden(self) -> int:
        return len(self.b1)

    def validate(self) -> Setup:
        """Self, with every array as float64; raises BackpropError naming what is not allowed."""
        if self.hidden not in HIDDEN_SIZES or np.shape(self.W1) != (self.hidden, 2) or np.shape(self.W2) != (
                self.hidden,):
            raise BackpropError("hidden", allowed="2-4")
        for act in (self.hidden_activation, self.output_activation):
            if act not in ACTIVATIONS:
                raise BackpropError("activation", name=act)
        if self.loss not in LOSSES:
            raise BackpropError("loss", name=self.loss)
        s = replace(self, x=np.asarray(self.x, dtype=np.float64).reshape(2), y=float(self.y),
                    W1=np.asarray(self.W1, dtype=np.float64), b1=np.asarray(self.b1, dtype=np.float64),
                    W2=np.asarray(self.W2, dtype=np.float64), b2=float(self.b2), lr=float(self.lr))
        values = np.concatenate([s.x, [s.y, s.b2, s.lr], s.W1.ravel(), s.b1, s.W2])
        if not np.all(np.isfinite(values)):
            raise BackpropError("not_finite")
        if s.lr < 0:
            raise BackpropError("lr")
        if s.loss == "bce":
            if s.output_activation != "sigmoid":
                raise BackpropError("bce_output")
            if not 0 <= s.y <= 1:
                raise BackpropError("bce_target")
        if s.loss == "hinge" and s.y not in (-1.0, 1.0):
            raise BackpropError("hinge_target")
        return s


@dataclass(frozen=True, eq=False)
class Pass:
    """Every number of one forward pass, backward pass and update."""

    setup: Setup
    z1: np.ndarray
    a1: np.ndarray
    z2: float
    y_hat: float
    loss: float
    dL_dyhat: float
    g_prime: float  # output activation's derivative at z2
    delta2: float  # dL/dz2
    dW2: np.ndarray
    db2: float
    dL_da1: np.ndarray
    f_prime: np.ndarray  # hidden activation's derivative at z1
    delta1: np.ndarray  # dL/dz1
    dW1: np.ndarray
    db1: np.ndarray
    new: Setup  # after W <- W - lr * dL/dW
    y_hat_after: float  # the output and the loss with the new parameters
    loss_after: float


def forward(s: Setup) -> tuple[np.ndarray, np.ndarray, float, float, float]:
    """z1, a1, z2, y_hat and the loss."""
    f, g = ACTIVATIONS[s.hidden_activation], ACTIVATIONS[s.output_activation]
    with np.errstate(over="ignore", invalid="ignore"):
        z1 = s.W1 @ s.x + s.b1
        a1 = f.f(z1)
        z2 = float(s.W2 @ a1 + s.b2)
        y_hat = float(g.f(z2))
    if s.loss == "bce" and not 0 < y_hat < 1:
        raise BackpropError("bce_saturated")
    with np.errstate(over="ignore", invalid="ignore"):
        loss = float(LOSSES[s.loss].value(y_hat, s.y))
    if not np.all(np.isfinite(np.concatenate([z1, a1, [z2, y_hat, loss]]))):
        raise BackpropError("not_finite")
    return z1, a1, z2, y_hat, loss


def compute(setup: Setup) -> Pass:
    """Forward pass, the chain rule backwards by hand, and the gradient-descent update."""
    s = setup.validate()
    f, g = ACTIVATIONS[s.hidden_activation], ACTIVATIONS[s.output_activation]
    z1, a1, z2, y_hat, loss = forward(s)
    with np.errstate(over="ignore", invalid="ignore"):
        dL_dyhat = float(LOSSES[s.loss].grad(y_hat, s.y))
        g_prime = float(g.df(z2))
        delta2 = dL_dyhat * g_prime  # dL/dz2 = dL/dy_hat * dy_hat/dz2
        dW2 = delta2 * a1  # dz2/dW2_j = a1_j
        db2 = delta2
        dL_da1 = delta2 * s.W2  # dz2/da1_j = W2_j
        f_prime = f.df(z1)
        delta1 = dL_da1 * f_prime
        dW1 = np.outer(delta1, s.x)  # dz1_j/dW1_ji = x_i
        db1 = delta1.copy()
    grads = np.concatenate([[dL_dyhat, g_prime, delta2, db2], dW2, dL_da1, f_prime, dW1.ravel()])
    if not np.all(np.isfinite(grads)):
        raise BackpropError("not_finite")
    new = replace(s, W1=s.W1 - s.lr * dW1, b1=s.b1 - s.lr * db1, W2=s.W2 - s.lr * dW2, b2=s.b2 - s.lr * db2)
    try:
        y_hat_after, loss_after = forward(new)[3:]
    except BackpropError:
        y_hat_after, loss_after = math.nan, math.inf  # the step overshot so far the numbers overflowed
    return Pass(s, z1, a1, z2, y_hat, loss, dL_dyhat, g_prime, delta2, dW2, db2, dL_da1, f_prime, delta1, dW1,
                db1, new, y_hat_after, loss_after)


def course_example() -> Setup:
    """The course text's 2-3-1 example: x = (1, 2), y = 0, ReLU everywhere, squared error, alpha = 0.01.

    The text lists only two output weights (0.7, 0.8) for its three hidden neurons; the third, 0.9,
    continues its pattern.
    """
    return Setup(x=np.array([1.0, 2.0]), y=0.0,
                 W1=np.array([[0.1, 0.2], [0.3, 0.4], [0.5, 0.6]]), b1=np.array([0.1, 0.2, 0.3]),
                 W2=np.array([0.7, 0.8, 0.9]), b2=0.9, hidden_activation="relu", output_activation="relu",
                 loss="mse", lr=0.01)


def random_parameters(hidden: int, seed: int) -> dict[str, np.ndarray | float]:
    """W1, b1, W2, b2 drawn from the seed, rounded to two decimals so they can be read aloud."""
    if hidden not in HIDDEN_SIZES:
        raise BackpropError("hidden", allowed="2-4")
    rng = np.random.default_rng(int(seed))
    return dict(W1=np.round(rng.uniform(-1, 1, (hidden, 2)), 2), b1=np.round(rng.uniform(-0.5, 0.5, hidden), 2),
                W2=np.round(rng.uniform(-1, 1, hidden), 2), b2=float(np.round(rng.uniform(-0.5, 0.5), 2)))


def random_setup(seed: int, hidden: int = 3, **choices) -> Setup:
    """A setup with random parameters from `seed`; x, y and the choices default to the course example's."""
    base = dict(x=np.array([1.0, 2.0]), y=0.0) | random_parameters(hidden, seed)
    return Setup(**(base | choices))


def autograd_check(p: Pass) -> float:
    """The largest difference between this pass's gradients and torch.autograd's on the same network."""
    import torch

    from playground.model import ACTIVATIONS as TORCH_ACTIVATIONS

    s = p.setup
    t = {k: torch.tensor(np.asarray(v, dtype=np.float64), requires_grad=True)
         for k, v in dict(W1=s.W1, b1=s.b1, W2=s.W2, b2=s.b2).items()}
    x, y = torch.tensor(s.x, dtype=torch.float64), torch.tensor(s.y, dtype=torch.float64)
    a1 = TORCH_ACTIVATIONS[s.hidden_activation]()(t["W1"] @ x + t["b1"])
    y_hat = TORCH_ACTIVATIONS[s.output_activation]()(t["W2"] @ a1 + t["b2"])
    loss = {
        "mse": lambda: (y_hat - y) ** 2, "square": lambda: 0.5 * (y_hat - y) ** 2, "mae": lambda: (y_hat - y).abs(),
        "huber": lambda: torch.nn.functional.huber_loss(y_hat, y, delta=HUBER_DELTA),
        "bce": lambda: torch.nn.functional.binary_cross_entropy(y_hat, y),
        "hinge": lambda: torch.clamp(1 - y * y_hat, min=0),
    }[s.loss]()
    loss.backward()
    ours = dict(W1=p.dW1, b1=p.db1, W2=p.dW2, b2=p.db2)
    return max(float(np.max(np.abs(t[k].grad.numpy() - np.asarray(ours[k])))) for k in ours)


# ---------------------------------------------------------------- the walkthrough

@dataclass(frozen=True)
class Step:
    """One step of the walkthrough: what it computes, its formulas with numbers, what to highlight."""

    phase: str  # one of PHASES
    name: str  # what the step computes; the page's text key is "backprop.step.<name>"
    neuron: int | None  # 1-based hidden neuron for per-neuron steps
    latex: tuple[str, ...]
    nodes: tuple[str, ...]  # x1, x2, h1..h4, out, loss
    edges: tuple[tuple[str, str], ...]


def _d(of: str) -> str:
    return rf"\frac{{\partial L}}{{\partial {of}}}"


def _w1(j, i):
    return rf"w^{{(1)}}_{{{j}{i}}}"


def _sym(kind: str, j: int | None = None) -> str:
    return {"z1": rf"z^{{(1)}}_{{{j}}}", "a1": rf"a^{{(1)}}_{{{j}}}", "b1": rf"b^{{(1)}}_{{{j}}}",
            "w2": rf"w^{{(2)}}_{{{j}}}", "d1": rf"\delta^{{(1)}}_{{{j}}}"}[kind]


def _matrix(m: np.ndarray, digits: int) -> str:
    rows = np.atleast_2d(m) if m.ndim == 2 else m.reshape(-1, 1)
    return r"\begin{bmatrix}" + r" \\ ".join(" & ".join(num(v, digits) for v in r) for r in rows) + r"\end{bmatrix}"


def walkthrough(p: Pass, digits: int = 4, budget: float = BUDGET) -> list[Step]:
    """The steps of one iteration in teaching order: forward neuron by neuron, the loss, backward, update."""
    s, h = p.setup, p.setup.hidden
    f, g, loss = ACTIVATIONS[s.hidden_activation], ACTIVATIONS[s.output_activation], LOSSES[s.loss]

    def n(v):
        return num(v, digits)

    def q(v):
        return par(v, digits)

    def eq(lhs, *parts):
        return chain(lhs, *parts, budget=budget)

    hid = tuple(f"h{j}" for j in range(1, h + 1))
    into = {j: (("x1", f"h{j}"), ("x2", f"h{j}")) for j in range(1, h + 1)}
    to_out = tuple((k, "out") for k in hid)
    every_in = tuple(e for j in into for e in into[j])
    steps: list[Step] = []

    for j in range(1, h + 1):
        w, x, b = s.W1[j - 1], s.x, s.b1[j - 1]
        z, a = p.z1[j - 1], p.a1[j - 1]
        steps.append(Step("forward", "hidden_forward", j, (
            eq(_sym("z1", j), rf"{_w1(j, 1)}\,x_1 + {_w1(j, 2)}\,x_2 + {_sym('b1', j)}",
               rf"{q(w[0])} \times {q(x[0])} + {q(w[1])} \times {q(x[1])} + {q(b)}", n(z)),
            eq(_sym("a1", j), rf"{f.symbol}\bigl({_sym('z1', j)}\bigr)", f.show(q(z), ""), n(a)),
        ), ("x1", "x2", f"h{j}"), into[j]))

    terms = " + ".join(rf"{_sym('w2', j)}\,{_sym('a1', j)}" for j in range(1, h + 1))
    values = " + ".join(rf"{q(s.W2[j])} \times {q(p.a1[j])}" for j in range(h))
    steps.append(Step("forward", "output_forward", None, (
        eq("z^{(2)}", terms + " + b^{(2)}", values + f" + {q(s.b2)}", n(p.z2)),
        eq(r"\hat y", rf"{g.symbol}\bigl(z^{{(2)}}\bigr)", g.show(q(p.z2), ""), n(p.y_hat)),
    ), hid + ("out",), to_out))
    steps.append(Step("forward", "loss", None, (
        eq("L", "" if loss.piecewise else loss.show(r"\hat y", "y"), loss.show(q(p.y_hat), q(s.y)), n(p.loss)),
    ), ("out", "loss"), (("out", "loss"),)))

    def slope(act, z_sym, a_sym, z, a, value):
        """act'(z) = its rule = the rule with numbers = value (piecewise rules: numbers only)."""
        return eq(rf"{act.symbol}'\bigl({z_sym}\bigr)", "" if act.piecewise else act.dshow(z_sym, a_sym),
                  act.dshow(q(z), q(a)), n(value))

    delta2 = [
        eq(_d(r"\hat y"), "" if loss.piecewise else loss.dshow(r"\hat y", "y"), loss.dshow(q(p.y_hat), q(s.y)),
           n(p.dL_dyhat)),
        slope(g, "z^{(2)}", r"\hat y", p.z2, p.y_hat, p.g_prime),
        eq(r"\delta^{(2)}", _d("z^{(2)}"), _d(r"\hat y") + rf"\cdot {g.symbol}'\bigl(z^{{(2)}}\bigr)",
           rf"{q(p.dL_dyhat)} \times {q(p.g_prime)}", n(p.delta2)),
    ]
    if s.loss == "bce" and s.output_activation == "sigmoid":  # the two fractions cancel
        delta2.append(eq(r"\delta^{(2)}", r"\hat y - y", rf"{q(p.y_hat)} - {q(s.y)}", n(p.y_hat - s.y)))
    steps.append(Step("backward", "output_delta", None, tuple(delta2), ("loss", "out"), (("out", "loss"),)))
    steps.append(Step("backward", "output_grads", None, tuple(
        eq(_d(_sym("w2", j)), rf"\delta^{{(2)}}\,{_sym('a1', j)}", rf"{q(p.delta2)} \times {q(p.a1[j - 1])}",
           n(p.dW2[j - 1])) for j in range(1, h + 1)
    ) + (eq(_d("b^{(2)}"), r"\delta^{(2)}", n(p.db2)),), hid + ("out",), to_out))

    for j in range(1, h + 1):
        k = j - 1
        z1, a1, d1 = _sym("z1", j), _sym("a1", j), _sym("d1", j)
        steps.append(Step("backward", "hidden_backward", j, (
            eq(_d(a1), rf"\delta^{{(2)}}\,{_sym('w2', j)}", rf"{q(p.delta2)} \times {q(s.W2[k])}", n(p.dL_da1[k])),
            slope(f, z1, a1, p.z1[k], p.a1[k], p.f_prime[k]),
            eq(d1, _d(z1), rf"{_d(a1)} \cdot {f.symbol}'\bigl({z1}\bigr)",
               rf"{q(p.dL_da1[k])} \times {q(p.f_prime[k])}", n(p.delta1[k])),
            eq(_d(_w1(j, 1)), rf"{d1}\,x_1", rf"{q(p.delta1[k])} \times {q(s.x[0])}", n(p.dW1[k, 0])),
            eq(_d(_w1(j, 2)), rf"{d1}\,x_2", rf"{q(p.delta1[k])} \times {q(s.x[1])}", n(p.dW1[k, 1])),
            eq(_d(_sym("b1", j)), d1, n(p.db1[k])),
        ), ("out", f"h{j}", "x1", "x2"), (((f"h{j}", "out"),) + into[j])))

    alpha = q(s.lr)
    steps.append(Step("update", "update_output", None, tuple(
        eq(rf"{_sym('w2', j)} \leftarrow {_sym('w2', j)} - \alpha\,{_d(_sym('w2', j))}",
           rf"{n(s.W2[j - 1])} - {alpha} \times {q(p.dW2[j - 1])}", n(p.new.W2[j - 1])) for j in range(1, h + 1)
    ) + (eq(r"b^{(2)} \leftarrow b^{(2)} - \alpha\," + _d("b^{(2)}"), rf"{n(s.b2)} - {alpha} \times {q(p.db2)}",
            n(p.new.b2)),), hid + ("out",), to_out))
    steps.append(Step("update", "update_hidden", None, tuple(
        eq(rf"{big} \leftarrow {big} - \alpha\,{_d(big)}", _matrix(old, digits),
           ("-", rf"{alpha} \times {_matrix(grad, digits)}"), _matrix(new, digits))
        for big, old, grad, new in (("W^{(1)}", s.W1, p.dW1, p.new.W1), ("b^{(1)}", s.b1, p.db1, p.new.b1))
    ), ("x1", "x2") + hid, every_in))
    steps.append(Step("update", "check", None, (
        eq(r"\hat y'", n(p.y_hat_after)),
        eq("L'", loss.show(q(p.y_hat_after), q(s.y)), n(p.loss_after)),
        eq("L' - L", rf"{n(p.loss_after)} - {q(p.loss)}", n(p.loss_after - p.loss)),
    ), ("x1", "x2") + hid + ("out", "loss"), every_in + to_out + (("out", "loss"),)))
    return steps
