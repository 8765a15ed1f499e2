"""A layer-by-layer network: activations, initialisers, and the MLP that keeps each layer's output."""

from __future__ import annotations

import math
from collections.abc import Callable

import torch
from torch import nn

DTYPE = torch.float64  # TF Playground computes in double precision; tiny networks cost the same

ACTIVATIONS: dict[str, Callable[[], nn.Module]] = {
    "relu": nn.ReLU,
    "leaky_relu": lambda: nn.LeakyReLU(0.01),
    "elu": nn.ELU,
    "gelu": nn.GELU,
    "silu": nn.SiLU,
    "tanh": nn.Tanh,
    "sigmoid": nn.Sigmoid,
    "softplus": nn.Softplus,
    "linear": nn.Identity,
}

RELU_LIKE = ("relu",)  # units that can die: output exactly 0 on every input


def _uniform_tf(w, b, g):
    """TF Playground's: weights uniform in [-0.5, 0.5], biases 0.1."""
    w.uniform_(-0.5, 0.5, generator=g)
    b.fill_(0.1)


def _fan(w):
    return w.shape[1], w.shape[0]


def _xavier_uniform(w, b, g):
    fan_in, fan_out = _fan(w)
    a = math.sqrt(6.0 / (fan_in + fan_out))
    w.uniform_(-a, a, generator=g)
    b.zero_()


def _xavier_normal(w, b, g):
    fan_in, fan_out = _fan(w)
    w.normal_(0.0, math.sqrt(2.0 / (fan_in + fan_out)), generator=g)
    b.zero_()


def _he_uniform(w, b, g):
    a = math.sqrt(6.0 / w.shape[1])
    w.uniform_(-a, a, generator=g)
    b.zero_()


def _he_normal(w, b, g):
    w.normal_(0.0, math.sqrt(2.0 / w.shape[1]), generator=g)
    b.zero_()


def _lecun(w, b, g):
    w.normal_(0.0, math.sqrt(1.0 / w.shape[1]), generator=g)
    b.zero_()


def _zeros(w, b, g):
    w.zero_()
    b.zero_()


# Each takes (weight, bias, generator) and fills them in place; torch.nn.init's formulas with a
# generator so the same seed gives the same weights in every process.
INITS: dict[str, Callable] = {
    "xavier_uniform": _xavier_uniform,
    "xavier_normal": _xavier_normal,
    "he_uniform": _he_uniform,
    "he_normal": _he_normal,
    "lecun": _lecun,
    "uniform": _uniform_tf,
    "zeros": _zeros,
}


class SeededDropout(nn.Module):
    """Inverted dropout drawing its masks from the network's own generator.

    nn.Dropout uses torch's global generator, which concurrent runs (two sessions of one server)
    share; an own generator keeps every run reproducible.
    """

    def __init__(self, p: float, generator: torch.Generator):
        super().__init__()
        self.p, self.generator = p, generator

    def forward(self, x):
        if not self.training or self.p == 0:
            return x
        keep = torch.empty_like(x).bernoulli_(1 - self.p, generator=self.generator)
        return x * keep / (1 - self.p)

    def extra_repr(self):
        return f"p={self.p}"


class Block(nn.Module):
    """One hidden layer: z = Wx + b, optional batch norm, a = f(z), optional dropout."""

    def __init__(self, n_in: int, units: int, activation: str, dropout: float = 0.0, batch_norm: bool = False,
                 generator: torch.Generator | None = None):
        super().__init__()
        self.linear = nn.Linear(n_in, units, dtype=DTYPE)
        self.norm = nn.BatchNorm1d(units, dtype=DTYPE) if batch_norm else None
        self.act = ACTIVATIONS[activation]()
        self.drop = SeededDropout(dropout, generator or torch.Generator()) if dropout > 0 else None
        self.activation = activation

    def forward(self, x):
        z = self.linear(x)
        if self.norm is not None:
            z = self.norm(z)
        a = self.act(z)
        return self.drop(a) if self.drop is not None else a


class MLP(nn.Module):
    """Hidden blocks in order, then a linear output layer (its activation belongs to the loss)."""

    def __init__(self, n_inputs: int, layers, n_outputs: int):
        super().__init__()
        sizes = [n_inputs] + [l.units for l in layers]
        self.generator = torch.Generator()  # dropout masks
        self.hidden = nn.ModuleList(
            Block(sizes[i], l.units, l.activation, l.dropout, l.batch_norm, self.generator)
            for i, l in enumerate(layers)
        )
        self.out = nn.Linear(sizes[-1], n_outputs, dtype=DTYPE)

    def forward(self, x, keep: list | None = None):
        """Raw output (pre output-activation); appends each hidden layer's activation to `keep`."""
        for block in self.hidden:
            x = block(x)
            if keep is not None:
                keep.append(x)
        return self.out(x)

    def reseed(self, seed: int) -> None:
        """Restart the dropout masks' random stream (a reset replays the same run)."""
        self.generator.manual_seed(int(seed) + 3)

    def linears(self) -> list[nn.Linear]:
        return [b.linear for b in self.hidden] + [self.out]

    def __repr__(self):
        shape = [self.hidden[0].linear.in_features if self.hidden else self.out.in_features]
        shape += [b.linear.out_features for b in self.hidden] + [self.out.out_features]
        return f"MLP({'-'.join(map(str, shape))})"


def build_model(config) -> MLP:
    """The config's network with initial weights drawn from its seed."""
    model = MLP(len(config.features), config.layers, config.n_outputs)
    init_weights(model, config.init, config.seed)
    model.reseed(config.seed)
    return model


@torch.no_grad()
def init_weights(model: MLP, init: str, seed: int) -> None:
    g = torch.Generator().manual_seed(int(seed))
    for lin in model.linears():
        INITS[init](lin.weight, lin.bias, g)
