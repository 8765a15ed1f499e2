"""A standalone PyTorch script for an experiment: same data, same network, same training, no playground.

The data generator is the engine's own source (copied with inspect), so the script draws the very same
points from the same seeds; the network, initialiser, loss, optimizer, schedule and TF-style
regularisation step are written out as the Trainer runs them. Running the script reaches the same test
loss as the playground (to rounding). Needs torch and numpy, and scikit-learn for moons and blobs.
"""

from __future__ import annotations

import inspect
import pprint
import types

from playground import datasets, model
from playground.config import Config, validate

# Each must compute what its registry entry computes (tests/test_codegen.py checks them against it).
FEATURE_CODE = {
    "x1": "a", "x2": "b", "x1sq": "a * a", "x2sq": "b * b", "x1x2": "a * b",
    "sinx1": "np.sin(a)", "sinx2": "np.sin(b)",
}
ACTIVATION_CODE = {
    "relu": "nn.ReLU()", "leaky_relu": "nn.LeakyReLU(0.01)", "elu": "nn.ELU()", "gelu": "nn.GELU()",
    "silu": "nn.SiLU()", "tanh": "nn.Tanh()", "sigmoid": "nn.Sigmoid()", "softplus": "nn.Softplus()",
    "linear": "nn.Identity()",
}
LOSS_CODE = {
    "square": "0.5 * (torch.tanh(raw) - targets).pow(2).mean()",
    "square_regression": "0.5 * (raw - targets).pow(2).mean()",
    "bce": "F.binary_cross_entropy_with_logits(raw, targets)",
    "ce": "F.cross_entropy(raw, targets)",
    "hinge": "torch.clamp(1 - targets * raw, min=0).mean()",
    "mse": "F.mse_loss(raw, targets)",
    "mae": "F.l1_loss(raw, targets)",
    "huber": "F.huber_loss(raw, targets, delta={huber_delta!r})",
}
TARGET_CODE = {  # labels (numpy) -> what the loss compares the raw outputs with
    "signed": "torch.as_tensor(np.where(labels > 0, 1.0, -1.0)).unsqueeze(1)",
    "float": "torch.as_tensor(labels.astype(np.float64)).unsqueeze(1)",
    "class": "torch.as_tensor(labels.astype(np.int64))",
}
OPTIMIZER_CODE = {
    "sgd": "torch.optim.SGD(params, lr={learning_rate!r}, weight_decay={weight_decay!r}, foreach=True)",
    "momentum": "torch.optim.SGD(params, lr={learning_rate!r}, momentum={momentum!r}, "
                "weight_decay={weight_decay!r}, foreach=True)",
    "nesterov": "torch.optim.SGD(params, lr={learning_rate!r}, momentum={nesterov_momentum!r}, nesterov=True, "
                "weight_decay={weight_decay!r}, foreach=True)",
    "adagrad": "torch.optim.Adagrad(params, lr={learning_rate!r}, eps={eps!r}, weight_decay={weight_decay!r}, "
               "foreach=True)",
    "rmsprop": "torch.optim.RMSprop(params, lr={learning_rate!r}, alpha={rho!r}, eps={eps!r}, "
               "weight_decay={weight_decay!r}, foreach=True)",
    "adam": "torch.optim.Adam(params, lr={learning_rate!r}, betas=({beta1!r}, {beta2!r}), eps={eps!r}, "
            "weight_decay={weight_decay!r}, foreach=True)",
    "adamw": "torch.optim.AdamW(params, lr={learning_rate!r}, betas=({beta1!r}, {beta2!r}), eps={eps!r}, "
             "weight_decay={weight_decay!r}, foreach=True)",
}
SCHEDULE_CODE = {
    "constant": "None",
    "step": "lr_scheduler.StepLR(optimizer, step_size={step_size!r}, gamma={gamma!r})",
    "exponential": "lr_scheduler.ExponentialLR(optimizer, gamma={gamma!r} ** (1.0 / {step_size!r}))",
    "cosine": "lr_scheduler.CosineAnnealingLR(optimizer, T_max={epochs!r})",
}


def _sources(func, module) -> list[str]:
    """The source of func and of every function and constant of `module` it uses, dependencies first."""
    seen: dict[str, str] = {}

    def visit(name: str):
        if name in seen or not hasattr(module, name):
            return
        value = getattr(module, name)
        if isinstance(value, types.FunctionType) and value.__module__ == module.__name__:
            seen[name] = ""  # placeholder: marks the visit, keeps recursion finite
            for used in _names(value.__code__):
                visit(used)
            seen.pop(name)
            seen[name] = inspect.getsource(value).rstrip()
        elif isinstance(value, (int, float, str, tuple)):
            seen[name] = f"{name} = {value!r}"

    visit(func.__name__)
    return list(seen.values())


def _names(code) -> set[str]:
    names = set(code.co_names)
    for const in code.co_consts:
        if isinstance(const, types.CodeType):
            names |= _names(const)
    return names


def _data_section(c: Config) -> str:
    if c.dataset == "custom":
        points = pprint.pformat([list(p) for p in c.points], width=100, compact=True)
        label = "arr[:, 2]" if c.problem == "regression" else "arr[:, 2].astype(int)"
        return (f"POINTS = {points}\n\n\ndef generate_points():\n"
                f"    if not POINTS:\n        return np.zeros((0, 2)), np.zeros(0)\n"
                f"    arr = np.asarray(POINTS, dtype=np.float64)\n    return arr[:, :2].copy(), {label}\n")
    make = datasets.DATASETS[c.dataset].make
    body = "\n\n\n".join(_sources(make, datasets))
    return (f"{body}\n\n\ndef generate_points():\n"
            f"    rng = np.random.default_rng([SEED, 0])\n"
            f"    pts, labels = {make.__name__}({c.n_samples!r}, {c.noise!r} / 100.0, rng, {c.n_classes!r})\n"
            f"    return pts.astype(np.float64), labels\n")


def _imports(c: Config) -> list[str]:
    lines = []
    if "F." in _loss_line(c):
        lines.append("import torch.nn.functional as F")
    lines.append("from torch import nn")
    if c.schedule != "constant":
        lines.append("from torch.optim import lr_scheduler")
    return lines


def _target_kind(c: Config) -> str:
    if c.loss == "ce":
        return "class"
    if c.problem == "classification" and c.loss in ("square", "hinge"):
        return "signed"
    return "float"


def _loss_line(c: Config) -> str:
    key = "square_regression" if c.loss == "square" and c.problem == "regression" else c.loss
    return LOSS_CODE[key].format(huber_delta=c.huber_delta)


def _accuracy_line(c: Config) -> str:
    if c.problem != "classification":
        return "None"
    pred = "raw.argmax(dim=1)" if c.loss == "ce" else "(raw[:, 0] >= 0).long()"
    return f"float(({pred} == torch.as_tensor(labels).long()).double().mean()) if len(raw) else None"


def _network_section(c: Config) -> str:
    lines = []
    n_in = len(c.features)
    for i, layer in enumerate(c.layers):
        parts = [f"nn.Linear({n_in}, {layer.units}, dtype=DTYPE)"]
        if layer.batch_norm:
            parts.append(f"nn.BatchNorm1d({layer.units}, dtype=DTYPE)")
        parts.append(ACTIVATION_CODE[layer.activation])
        if layer.dropout > 0:
            parts.append(f"SeededDropout({layer.dropout!r}, dropout_gen)")
        lines.append(f"        nn.Sequential({', '.join(parts)}),  # hidden layer {i + 1}")
        n_in = layer.units
    lines.append(f"        nn.Linear({n_in}, {c.n_outputs}, dtype=DTYPE),  # output")
    init = model.INITS[c.init]
    sources = _sources(init, model)
    dropout = ""
    if any(l.dropout > 0 for l in c.layers):
        sources.append(inspect.getsource(model.SeededDropout).rstrip())
        dropout = "    dropout_gen = torch.Generator().manual_seed(SEED + 3)  # the masks' own stream\n"
    init_src = "\n\n\n".join(sources)
    return (f"{init_src}\n\n\ndef build_model():\n{dropout}"
            f"    net = nn.Sequential(\n" + "\n".join(lines) + "\n    )\n"
            f"    linears = [m for m in net.modules() if isinstance(m, nn.Linear)]\n"
            f"    g = torch.Generator().manual_seed(SEED)\n"
            f"    with torch.no_grad():\n"
            f"        for lin in linears:\n"
            f"            {init.__name__}(lin.weight, lin.bias, g)\n"
            f"    return net, linears\n")


def script(config: Config) -> str:
    """The config as a standalone PyTorch training script (its source text)."""
    c = validate(config)
    batch_norm = any(l.batch_norm for l in c.layers)
    knobs = dict(c.to_dict(), nesterov_momentum=max(c.momentum, 1e-6))
    features = ", ".join(FEATURE_CODE[f] for f in c.features)
    uses_sklearn = c.dataset in ("moons", "blobs")
    summary = (f"{c.dataset} ({c.n_samples} points, noise {c.noise}, {c.train_percent}% train), features "
               f"{', '.join(c.features)}; layers {','.join(l.to_token() for l in c.layers) or 'none'}; "
               f"{c.loss} loss, {c.optimizer} lr {c.learning_rate}, batch {c.batch_size}, {c.epochs} epochs")
    reg = c.regularization if c.regularization_rate > 0 else "none"
    return TEMPLATE.format(
        summary=summary,
        needs="torch, numpy and scikit-learn" if uses_sklearn else "torch and numpy",
        config_literal=pprint.pformat(c.to_dict(), width=100, sort_dicts=False),
        imports="\n".join(_imports(c)),
        seed=c.seed, epochs=c.epochs, batch=c.batch_size, train_percent=c.train_percent,
        shuffle=c.shuffle, reg=reg, reg_rate=c.regularization_rate, early=c.early_stopping,
        problem=c.problem, batch_norm=batch_norm,
        data_section=_data_section(c), features=features,
        targets=TARGET_CODE[_target_kind(c)],
        network_section=_network_section(c),
        loss=_loss_line(c), accuracy=_accuracy_line(c),
        optimizer=OPTIMIZER_CODE[c.optimizer].format(**knobs),
        schedule=SCHEDULE_CODE[c.schedule].format(**knobs),
    )


TEMPLATE = '''"""Neural Playground experiment, exported as a standalone PyTorch script.

{summary}.
It rebuilds the same data (generator, seed, split) and network and trains it as the playground does:
training points visited in order in batches, the TF Playground regularisation step after each update.
Needs {needs}. Run: python this_file.py
"""

import json
import math

import numpy as np
import torch
{imports}

# The experiment as the playground saved it (the constants below are read from it).
CONFIG = {config_literal}
SEED = {seed}
EPOCHS = {epochs}
BATCH_SIZE = {batch}
TRAIN_PERCENT = {train_percent}
SHUFFLE = {shuffle}
REGULARIZATION, REGULARIZATION_RATE = {reg!r}, {reg_rate!r}
EARLY_STOPPING = {early}  # patience in epochs; 0 = off
BATCH_NORM = {batch_norm}  # batch norm needs two rows per batch
DTYPE = torch.float64


# ---- data: the playground's generator, seeded the same way ----------------------------------------

{data_section}

def make_data():
    """Shuffle once with its own seed, then split: train first, test after."""
    pts, labels = generate_points()
    order = np.random.default_rng([SEED, 1]).permutation(len(pts))
    pts, labels = pts[order], labels[order]
    n_train = math.floor(len(pts) * TRAIN_PERCENT / 100)
    if len(pts) >= 2:
        n_train = min(max(n_train, 1), len(pts) - 1)
    return (pts[:n_train], labels[:n_train]), (pts[n_train:], labels[n_train:])


def features(pts):
    a, b = pts[:, 0], pts[:, 1]
    return torch.as_tensor(np.stack([{features}], axis=1).astype(np.float64))


def targets(labels):
    return {targets}


# ---- network --------------------------------------------------------------------------------------

{network_section}

def loss_of(raw, targets):
    return {loss}


def accuracy_of(raw, labels):
    return {accuracy}


def regularize(weights, lr):
    """TF Playground's penalty step on the weights (not biases), after the optimizer's step."""
    shrink = REGULARIZATION_RATE * lr
    with torch.no_grad():
        for w in weights:
            if REGULARIZATION == "l2":
                w.mul_(1.0 - shrink)
            elif REGULARIZATION == "l1":
                new = w - shrink * torch.sign(w)
                new[new * w < 0] = 0.0
                w.copy_(new)


def batch_bounds(n):
    size = max(BATCH_SIZE, 2) if BATCH_NORM else BATCH_SIZE
    bounds = [(s, min(s + size, n)) for s in range(0, n, size)]
    if BATCH_NORM and len(bounds) > 1 and bounds[-1][1] - bounds[-1][0] < 2:
        bounds[-2:] = [(bounds[-2][0], n)]
    return bounds


@torch.no_grad()
def evaluate(net, x, t, labels):
    if len(x) == 0:
        return float("nan"), None
    net.eval()
    raw = net(x)
    net.train()
    value = float(loss_of(raw, t))
    return (value if math.isfinite(value) else float("inf")), accuracy_of(raw, labels)


def main():
    torch.set_num_threads(1)  # tiny tensors: more threads only add hand-offs
    (train_pts, train_labels), (test_pts, test_labels) = make_data()
    x_train, x_test = features(train_pts), features(test_pts)
    t_train, t_test = targets(train_labels), targets(test_labels)
    net, linears = build_model()
    weights = [lin.weight for lin in linears]
    params = list(net.parameters())
    optimizer = {optimizer}
    schedule = {schedule}
    shuffle_gen = torch.Generator().manual_seed(SEED + 2)
    bounds = batch_bounds(len(x_train))
    best, best_at, status, epoch = math.inf, 0, "done", 0
    train_loss, train_acc = evaluate(net, x_train, t_train, train_labels)
    test_loss, test_acc = evaluate(net, x_test, t_test, test_labels)
    for epoch in range(1, EPOCHS + 1):
        good = [p.detach().clone() for p in params]
        x, t = x_train, t_train
        if SHUFFLE:
            perm = torch.randperm(len(x_train), generator=shuffle_gen)
            x, t = x_train[perm], t_train[perm]
        finite = True
        net.train()
        for lo, hi in bounds:
            loss = loss_of(net(x[lo:hi]), t[lo:hi])
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            if REGULARIZATION != "none" and REGULARIZATION_RATE > 0:
                regularize(weights, optimizer.param_groups[0]["lr"])
            if not torch.isfinite(loss):
                finite = False
                break
        if schedule is not None:
            schedule.step()
        train_loss, train_acc = evaluate(net, x_train, t_train, train_labels)
        finite = finite and math.isfinite(train_loss) and train_loss < 1e12
        finite = finite and all(bool(torch.isfinite(p).all()) for p in params)
        if not finite:  # keep the last finite weights, as the playground does
            with torch.no_grad():
                for p, g in zip(params, good):
                    p.copy_(g)
            train_loss, train_acc = evaluate(net, x_train, t_train, train_labels)
            test_loss, test_acc = evaluate(net, x_test, t_test, test_labels)
            status = "diverged"
            break
        test_loss, test_acc = evaluate(net, x_test, t_test, test_labels)
        if EARLY_STOPPING:
            if test_loss < best - 1e-12:
                best, best_at = test_loss, epoch
            elif epoch - best_at >= EARLY_STOPPING:
                break
        if epoch % max(1, EPOCHS // 10) == 0:
            print(f"epoch {{epoch}}: train loss {{train_loss:.6f}}, test loss {{test_loss:.6f}}")
    print(json.dumps({{"status": status, "epochs": epoch, "train_loss": train_loss, "test_loss": test_loss,
                      "train_accuracy": train_acc, "test_accuracy": test_acc}}))


if __name__ == "__main__":
    main()
'''
