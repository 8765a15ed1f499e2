"""Every registry entry exercised (default plus one change), checked against torch or a hand computation."""

import math

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from playground.config import Config, Layer
from playground.datasets import DATASETS, FEATURES
from playground.inspection import confusion_matrix, decision_grid, weight_sparsity, weights
from playground.losses import LOSSES
from playground.model import ACTIVATIONS, DTYPE, INITS, build_model
from playground.optim import OPTIMIZERS, SCHEDULES
from playground.presets import PRESETS, preset
from playground.training import Trainer

EXPECTED_ACT = {
    "relu": torch.relu, "leaky_relu": lambda x: F.leaky_relu(x, 0.01), "elu": F.elu, "gelu": F.gelu,
    "silu": F.silu, "tanh": torch.tanh, "sigmoid": torch.sigmoid, "softplus": F.softplus, "linear": lambda x: x,
}


def short(**changes):
    return Config().evolve(epochs=3, n_samples=100, **changes)


def assert_trains(config, epochs=3):
    trainer = Trainer(config)
    snap = trainer.run(epochs)
    assert snap.epoch == epochs and snap.status in ("running", "done")
    assert math.isfinite(snap.train_loss) and math.isfinite(snap.test_loss)
    grid = decision_grid(trainer, resolution=20)
    assert grid.output.shape == (20, 20) and np.isfinite(grid.output).all()
    return trainer


@pytest.mark.parametrize("name", sorted(ACTIVATIONS))
def test_activation_matches_torch_and_trains(name):
    x = torch.linspace(-4, 4, 41, dtype=DTYPE)
    assert torch.allclose(ACTIVATIONS[name]()(x), EXPECTED_ACT[name](x))
    assert_trains(short(layers=[Layer(4, name), Layer(3, name)]))


@pytest.mark.parametrize("name", [d for d in DATASETS if d != "custom"])
def test_every_dataset_trains(name):
    assert_trains(Config().evolve(dataset=name, n_samples=100))


@pytest.mark.parametrize("name", list(FEATURES))
def test_every_feature_alone_trains(name):
    assert_trains(short(features=[name]))


@pytest.mark.parametrize("name", sorted(OPTIMIZERS))
def test_every_optimizer_lowers_the_loss(name):
    lr = 0.03 if name in ("sgd", "momentum", "nesterov", "adagrad") else 0.01
    trainer = Trainer(Config().evolve(optimizer=name, learning_rate=lr, n_samples=200))
    first = trainer.snapshot().train_loss
    assert trainer.run(30).train_loss < first * 0.7
    assert type(trainer.optimizer_).__name__.lower().startswith(name[:3] if name not in (
        "momentum", "nesterov") else "sgd")


@pytest.mark.parametrize("name", sorted(SCHEDULES))
def test_every_schedule_sets_the_learning_rate(name):
    trainer = Trainer(Config().evolve(schedule=name, step_size=2, gamma=0.5, epochs=8, n_samples=100))
    trainer.run(4)
    lr = trainer.snapshot().learning_rate
    expected = {"constant": 0.03, "step": 0.03 * 0.25, "exponential": 0.03 * 0.5 ** 2,
                "cosine": 0.03 * (1 + math.cos(math.pi * 4 / 8)) / 2}[name]
    assert lr == pytest.approx(expected)


def test_initialisers_follow_their_formulas():
    cfg = Config().evolve(layers=[Layer(32, "relu")] * 3, features=list(FEATURES))
    for name in INITS:
        model = build_model(cfg.evolve(init=name))
        w = model.hidden[1].linear.weight.detach()
        b = model.hidden[1].linear.bias.detach()
        fan_in = fan_out = 32
        if name == "uniform":
            assert w.abs().max() <= 0.5 and torch.all(b == 0.1)
        elif name == "zeros":
            assert torch.all(w == 0) and torch.all(b == 0)
        else:
            std = {"xavier_uniform": math.sqrt(2 / (fan_in + fan_out)), "xavier_normal": math.sqrt(2 / 64),
                   "he_uniform": math.sqrt(2 / fan_in), "he_normal": math.sqrt(2 / fan_in),
                   "lecun": math.sqrt(1 / fan_in)}[name]
            assert float(w.std()) == pytest.approx(std, rel=0.15)
            assert torch.all(b == 0)
    a, b_ = build_model(cfg.evolve(init="he_normal")), build_model(cfg.evolve(init="he_normal"))
    assert all(torch.equal(p, q) for p, q in zip(a.parameters(), b_.parameters()))


def test_square_loss_is_tf_playground_definition():
    trainer = Trainer(Config())
    raw = trainer.model_(trainer.x_train).detach()
    out = np.tanh(raw.numpy()[:, 0])
    target = np.where(np.asarray(trainer.data.train_labels) > 0, 1.0, -1.0)
    assert trainer.snapshot().train_loss == pytest.approx(np.mean(0.5 * (out - target) ** 2))
    assert trainer.snapshot().train_accuracy == pytest.approx(np.mean((out >= 0) == (target > 0)))


@pytest.mark.parametrize("name,problem", [(n, p) for n, s in LOSSES.items() for p in s.problems])
def test_every_loss_against_hand_computation(name, problem):
    dataset = "circle" if problem == "classification" else "plane"
    trainer = Trainer(Config().evolve(dataset=dataset, problem=problem, loss=name, n_samples=100))
    raw = trainer.model_(trainer.x_train).detach().numpy()
    y = np.asarray(trainer.data.train_labels, dtype=float)
    o = raw[:, 0]
    s = np.where(y > 0, 1.0, -1.0)
    hand = {
        "square": np.mean(0.5 * ((np.tanh(o) if problem == "classification" else o) - (
            s if problem == "classification" else y)) ** 2),
        "bce": np.mean(np.log1p(np.exp(-o)) * y + np.log1p(np.exp(o)) * (1 - y)),
        "hinge": np.mean(np.maximum(0, 1 - s * o)),
        "mse": np.mean((o - y) ** 2), "mae": np.mean(np.abs(o - y)),
        "huber": np.mean(np.where(np.abs(o - y) <= 1, 0.5 * (o - y) ** 2, np.abs(o - y) - 0.5)),
    }
    if name == "ce":
        logp = raw - np.log(np.exp(raw).sum(1, keepdims=True))
        hand[name] = -np.mean(logp[np.arange(len(y)), y.astype(int)])
    assert trainer.snapshot().train_loss == pytest.approx(hand[name], rel=1e-9)


def test_every_preset_is_valid_and_trains():
    for name in PRESETS:
        if name == "lr-too-high":
            snap = Trainer(preset(name)).run(20)
            assert snap.status == "diverged" and "diverged" in snap.message
            continue
        assert_trains(preset(name).evolve(n_samples=100), epochs=2)


def test_inspection_shapes_and_confusion_matrix():
    trainer = Trainer(Config().evolve(dataset="blobs", n_classes=4, loss="ce", layers=[Layer(5, "relu")]))
    trainer.run(20)
    grid = decision_grid(trainer, resolution=30)
    assert grid.probs.shape == (4, 30, 30) and np.allclose(grid.probs.sum(0), 1)
    assert grid.neurons[0].shape == (5, 30, 30) and grid.inputs.shape == (2, 30, 30)
    cm = confusion_matrix(trainer)
    assert cm.shape == (4, 4) and cm.sum() == len(trainer.data.test_points)
    assert np.trace(cm) / cm.sum() == pytest.approx(trainer.snapshot().test_accuracy)
    w = weights(trainer)
    assert [x["weight"].shape for x in w] == [(5, 2), (4, 5)]
    assert 0 <= weight_sparsity(trainer) <= 1


def test_grid_matches_single_point_forward():
    trainer = Trainer(Config())
    trainer.run(5)
    grid = decision_grid(trainer, resolution=11)
    j, i = 3, 7  # x index, y index
    x = torch.tensor([[grid.xs[j], grid.ys[i]]], dtype=DTYPE)
    with torch.no_grad():
        expect = torch.tanh(trainer.model_(x))[0, 0].item()
    assert grid.output[i, j] == pytest.approx(expect)
