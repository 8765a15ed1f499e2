"""The compiled fast path against the autograd path (the oracle), combination by combination."""

import copy
import subprocess
import sys
import warnings

import numpy as np
import pytest
import torch

from playground import fastpath
from playground.config import Config, Layer
from playground.inspection import _grid_inputs, _torch_grid, decision_grid
from playground.training import Trainer

pytestmark = pytest.mark.skipif(not fastpath.AVAILABLE, reason="numba is not installed")

RTOL = 1e-9
BASE = Config(n_samples=120, epochs=40, learning_rate=0.1)
ACTIVATIONS = ["relu", "leaky_relu", "elu", "gelu", "silu", "tanh", "sigmoid", "softplus", "linear"]


def _rel(a, b) -> float:
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    assert a.shape == b.shape
    if a.size == 0:
        return 0.0
    same_nan = np.isnan(a) & np.isnan(b)
    diff = np.where(same_nan, 0.0, np.abs(a - b))
    return float(np.max(diff / np.maximum(np.abs(b), 1e-300)))


def assert_same_run(fast: Trainer, oracle: Trainer):
    """Histories, snapshots and weights agree to RTOL; counters, statuses and accuracies exactly."""
    hf, ho = fast.history.to_dict(), oracle.history.to_dict()
    assert hf["epoch"] == ho["epoch"]
    for key in ("train_loss", "test_loss", "learning_rate"):
        assert _rel(hf[key], ho[key]) < RTOL, key
    for key in ("train_accuracy", "test_accuracy"):
        assert hf[key] == ho[key], key
    sf, so = fast.snapshot(), oracle.snapshot()
    assert (sf.epoch, sf.step, sf.status, sf.message) == (so.epoch, so.step, so.status, so.message)
    assert sf.dead_relu == so.dead_relu
    assert _rel(sf.weight_norms, so.weight_norms) < RTOL
    assert _rel(sf.grad_norms, so.grad_norms) < RTOL
    for p, q in zip(fast.model_.parameters(), oracle.model_.parameters()):
        assert _rel(p.detach().numpy(), q.detach().numpy()) < RTOL * 10


def compare(config: Config, epochs: int | None = None) -> tuple[Trainer, Trainer]:
    fast, oracle = Trainer(config), Trainer(config, engine="torch")
    assert fast.path == "fast" and oracle.path == "torch"
    fast.run(epochs or config.epochs)
    oracle.run(epochs or config.epochs)
    assert_same_run(fast, oracle)
    return fast, oracle


@pytest.mark.parametrize("activation", ACTIVATIONS)
def test_every_activation_matches_autograd(activation):
    compare(BASE.evolve(layers=[Layer(5, activation), Layer(3, activation)]))


@pytest.mark.parametrize("loss, changes", [
    ("square", {}), ("bce", {}), ("hinge", {}), ("ce", {}), ("ce", dict(dataset="blobs", n_classes=4)),
    ("ce", dict(dataset="spiral3")), ("square", dict(dataset="plane", problem="regression")),
    ("mse", dict(dataset="multigauss", problem="regression")), ("mae", dict(dataset="sine", problem="regression")),
    ("huber", dict(dataset="sine", problem="regression", huber_delta=0.3)),
])
def test_every_loss_matches_autograd(loss, changes):
    compare(BASE.evolve(loss=loss, layers=[Layer(6, "tanh")], **changes), epochs=25)


@pytest.mark.parametrize("optimizer", ["sgd", "momentum", "nesterov", "adagrad", "rmsprop", "adam", "adamw"])
@pytest.mark.parametrize("weight_decay", [0.0, 0.01])
def test_every_optimizer_matches_autograd(optimizer, weight_decay):
    compare(BASE.evolve(optimizer=optimizer, weight_decay=weight_decay, momentum=0.8, beta1=0.7, beta2=0.99,
                        rho=0.9, eps=1e-7, learning_rate=0.03 if optimizer in ("sgd", "momentum", "nesterov")
                        else 0.01), epochs=25)


@pytest.mark.parametrize("optimizer", ["momentum", "adam", "rmsprop", "adagrad"])
def test_a_run_moves_between_the_paths_sharing_optimizer_state(optimizer):
    config = BASE.evolve(optimizer=optimizer, learning_rate=0.01, epochs=60)
    moving, oracle = Trainer(config), Trainer(config, engine="torch")
    for engine in ("auto", "torch", "auto"):
        moving.engine = engine
        assert moving.path == ("fast" if engine == "auto" else "torch")
        moving.run(12)
    oracle.run(36)
    assert_same_run(moving, oracle)
    for p, q in zip(moving.model_.parameters(), oracle.model_.parameters()):
        ours, theirs = moving.optimizer_.state[p], oracle.optimizer_.state[q]
        assert set(ours) == set(theirs)
        for key in theirs:
            assert _rel(ours[key].numpy(), theirs[key].numpy()) < RTOL, key


@pytest.mark.parametrize("kind", ["l1", "l2"])
def test_tf_regularisation_step_matches_autograd(kind):
    fast, _ = compare(BASE.evolve(regularization=kind, regularization_rate=0.05, layers=[Layer(6, "relu")]))
    if kind == "l1":  # L1 sets weights to exactly zero when they would cross it
        assert any((p.detach() == 0).any() for p in fast.model_.parameters())


@pytest.mark.parametrize("batch_size", [1, 7, 60, 2000])
def test_batch_sizes_match_autograd(batch_size):
    compare(BASE.evolve(batch_size=batch_size, learning_rate=0.03), epochs=10 if batch_size == 1 else None)


@pytest.mark.parametrize("changes", [
    dict(shuffle=True, batch_size=7), dict(schedule="step", step_size=7, gamma=0.7),
    dict(schedule="exponential", step_size=5, gamma=0.5), dict(schedule="cosine", epochs=30),
    dict(layers=[], features=["x1sq", "x2sq"]), dict(init="he_normal", layers=[Layer(8, "relu")] * 3),
    dict(dataset="xor", features=["x1", "x2", "x1x2", "sinx1"], layers=[Layer(8, "tanh")] * 2),
])
def test_other_settings_match_autograd(changes):
    compare(BASE.evolve(**changes))


def test_deep_spiral_matches_autograd_over_many_epochs():
    compare(Config(dataset="spiral", n_samples=60, layers=[Layer(8, "tanh")] * 6, epochs=120))


def test_early_stopping_matches_autograd():
    config = BASE.evolve(dataset="gauss", noise=50, early_stopping=4, epochs=400)
    fast, _ = compare(config)
    assert fast.status == "done" and fast.epoch < 400 and fast.message.startswith("early stopping")


@pytest.mark.parametrize("optimizer", ["sgd", "momentum"])
def test_divergence_keeps_last_finite_weights_like_autograd(optimizer):
    config = BASE.evolve(dataset="plane", problem="regression", layers=[Layer(8, "relu")] * 2,
                         learning_rate=3.0, optimizer=optimizer)
    fast, oracle = Trainer(config), Trainer(config, engine="torch")
    for trainer in (fast, oracle):
        before = None
        while trainer.status == "running":
            before = [p.detach().clone() for p in trainer.model_.parameters()]
            trainer.run(1)
        assert trainer.status == "diverged" and "diverged" in trainer.message
        after = list(trainer.model_.parameters())
        assert all(torch.isfinite(p).all() for p in after)
        assert all(torch.equal(a.detach(), b) for a, b in zip(after, before))
    assert_same_run(fast, oracle)
    assert fast.run(5).epoch == fast.epoch  # a diverged run stays put


def test_live_changes_follow_autograd_including_path_switches():
    config = BASE.evolve(optimizer="momentum", epochs=200)
    fast, oracle = Trainer(config), Trainer(config, engine="torch")
    steps = [
        dict(learning_rate=0.05), dict(regularization="l2", regularization_rate=0.01),
        dict(momentum=0.5, weight_decay=0.001), dict(batch_size=13), dict(optimizer="adam", learning_rate=0.01),
        dict(optimizer="nesterov", learning_rate=0.02, regularization="l1"), dict(momentum=0.0),
        dict(shuffle=True, schedule="step", step_size=3),
    ]
    paths = []
    for changes in steps:
        config = config.evolve(**changes)
        assert fast.update(config) and oracle.update(config)
        paths.append(fast.path)
        fast.run(6)
        oracle.run(6)
        assert_same_run(fast, oracle)
    assert paths == ["fast"] * len(steps)


def test_same_config_same_history_bit_for_bit():
    config = BASE.evolve(shuffle=True, optimizer="nesterov", learning_rate=0.05, regularization="l1",
                         regularization_rate=0.001)
    a, b = Trainer(config), Trainer(config)
    a.run(30)
    b.run(7)
    b.run(23)  # chunking does not change a bit
    assert a.history.to_dict() == b.history.to_dict()
    assert a.snapshot() == b.snapshot()
    assert all(torch.equal(p, q) for p, q in zip(a.model_.parameters(), b.model_.parameters()))
    first = a.history.to_dict()
    a.reset()
    a.run(30)
    assert a.history.to_dict() == first


def test_torch_sees_the_weights_the_kernel_trains():
    trainer = Trainer(BASE)
    trainer.run(10)
    snap = trainer.snapshot()
    again = trainer._evaluate()  # the autograd model, reading the shared memory
    assert abs(again.train_loss - snap.train_loss) <= 1e-12 * snap.train_loss
    with torch.no_grad():  # and a change made through torch reaches the kernel
        trainer.model_.load_state_dict(trainer.initial_state_)
    trainer.run(10)
    fresh = Trainer(BASE)
    fresh.run(10)
    assert trainer.snapshot().train_loss == fresh.history.train_loss[-1]


def test_copied_trainer_trains_independently():
    trainer = Trainer(BASE)
    trainer.run(5)
    twin = copy.deepcopy(trainer)
    twin.run(5)
    assert trainer.epoch == 5 and twin.epoch == 10
    trainer.run(5)
    assert trainer.snapshot().train_loss == twin.snapshot().train_loss
    assert twin.path == "fast"


def test_tanh_rows_within_two_ulp_of_libm():
    x = np.concatenate([np.linspace(-25, 25, 20001), np.random.default_rng(0).normal(0, 0.05, 5000),
                        [0.0, -0.0, 5e-324, 0.625, -0.625, np.nextafter(0.625, 0), 19.999, 20.0, 400.0, -np.inf]])
    out = np.empty_like(x)
    fastpath._tanh_rows(x, out, len(x))
    ref = np.tanh(x)
    assert np.all(np.abs(out - ref) <= 2 * np.spacing(np.abs(ref)))
    nan = np.empty(1)
    fastpath._tanh_rows(np.array([np.nan]), nan, 1)
    assert np.isnan(nan[0])


@pytest.mark.parametrize("config", [
    Config(), Config(dataset="spiral", layers=[Layer(8, "tanh")] * 6),
    Config(dataset="blobs", loss="ce", layers=[Layer(5, "relu"), Layer(3, "sigmoid")]),
    Config(loss="bce", layers=[Layer(5, "gelu", dropout=0.2)]),
    Config(loss="hinge", layers=[Layer(5, "elu"), Layer(4, "softplus")]),
    Config(dataset="sine", problem="regression", loss="huber", layers=[Layer(5, "silu"), Layer(4, "leaky_relu")]),
])
def test_decision_grid_matches_the_torch_model(config):
    trainer = Trainer(config)
    trainer.run(20)
    grid = decision_grid(trainer, 60)
    xs, inputs = _grid_inputs(tuple(config.features), 60, float(trainer.data.domain))
    oracle = _torch_grid(trainer, xs, inputs)
    assert np.allclose(grid.output, oracle.output, rtol=1e-12, atol=1e-14)
    assert [n.shape for n in grid.neurons] == [n.shape for n in oracle.neurons]
    for mine, theirs in zip(grid.neurons, oracle.neurons):
        assert np.allclose(mine, theirs, rtol=1e-12, atol=1e-14)
    if config.loss == "ce":
        assert np.allclose(grid.probs, oracle.probs, rtol=1e-12, atol=1e-14)


def test_batch_norm_grid_uses_torch():
    config = Config(layers=[Layer(4, "tanh", batch_norm=True)])
    trainer = Trainer(config)
    assert trainer.path == "torch"
    trainer.run(3)
    grid = decision_grid(trainer, 20)
    assert grid.output.shape == (20, 20) and np.isfinite(grid.output).all()


@pytest.mark.parametrize("code", [
    "import sys; sys.modules['numba'] = None",  # numba not installed
    "import os; os.environ['PLAYGROUND_FASTPATH'] = '0'",  # switched off
])
def test_without_numba_everything_runs_on_torch(code):
    program = (f"{code}\nimport warnings; warnings.simplefilter('ignore')\n"
               "from playground import fastpath\nfrom playground.training import Trainer\n"
               "from playground.config import Config\nfrom playground.inspection import decision_grid\n"
               "t = Trainer(Config(n_samples=60, epochs=3)); s = t.run(3)\n"
               "g = decision_grid(t, 10)\n"
               "print(fastpath.AVAILABLE, t.path, s.epoch, fastpath.warm_up(), g.output.shape)")
    out = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "torch", "3", "0.0", "(10,", "10)"]


def test_warm_up_is_once_per_process():
    fastpath.warm_up()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert fastpath.warm_up() == 0.0
