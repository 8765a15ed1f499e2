"""The exported PyTorch script: standalone, same data, same network, same test loss as the playground."""

import json
import os
import runpy
import shutil
import subprocess
import sys

import numpy as np
import pytest
import torch
from torch import nn

from playground.codegen import ACTIVATION_CODE, FEATURE_CODE, script
from playground.config import Config, Layer
from playground.datasets import DATASETS, FEATURES, make_data
from playground.model import ACTIVATIONS, INITS
from playground.training import Trainer

ROOT = __import__("pathlib").Path(__file__).resolve().parents[1]
CUSTOM = [[-3.0, -2.0, 0], [2.5, 1.0, 1], [-1.0, 4.0, 0], [3.0, -3.5, 1], [0.5, 0.5, 1], [-4.0, 1.0, 0],
          [1.5, -2.0, 1], [-2.5, -4.0, 0], [4.5, 2.0, 1], [-0.5, 3.0, 0]]


def load(config: Config, tmp_path) -> dict:
    """The generated script's functions, without running its main()."""
    path = tmp_path / "exported.py"
    path.write_text(script(config))
    return runpy.run_path(str(path), run_name="exported")


def run_standalone(config: Config, tmp_path) -> dict:
    """Run the script in a fresh interpreter that cannot import the playground; its last line, parsed."""
    path = tmp_path / "exported.py"
    path.write_text(script(config))
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    out = subprocess.run([sys.executable, str(path)], capture_output=True, text=True, cwd=tmp_path, env=env,
                         timeout=600)
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_feature_and_activation_code_compute_the_registries():
    a, b = np.linspace(-6, 6, 13), np.linspace(5, -7, 13)
    for name, code in FEATURE_CODE.items():
        assert np.array_equal(eval(code), FEATURES[name](a, b)), name
    assert set(FEATURE_CODE) == set(FEATURES) and set(ACTIVATION_CODE) == set(ACTIVATIONS)
    x = torch.linspace(-25, 25, 101, dtype=torch.float64)
    for name, code in ACTIVATION_CODE.items():
        assert torch.equal(eval(code, {"nn": nn})(x), ACTIVATIONS[name]()(x)), name


@pytest.mark.parametrize("dataset", sorted(DATASETS))
def test_script_rebuilds_the_same_points_and_split(dataset, tmp_path):
    spec = DATASETS[dataset]
    config = Config(dataset=dataset, n_samples=80, noise=20, train_percent=60, seed=7,
                    problem=spec.problem or "classification", points=CUSTOM if dataset == "custom" else [])
    config = config.evolve(loss="square" if config.problem == "regression" or spec.classes == 2 else "ce",
                           features=["x1", "x2", "x1x2", "sinx2"])
    ns = load(config, tmp_path)
    (train_pts, train_labels), (test_pts, test_labels) = ns["make_data"]()
    data = make_data(config)
    assert np.array_equal(train_pts, data.train_points) and np.array_equal(test_pts, data.test_points)
    assert np.array_equal(train_labels, data.train_labels) and np.array_equal(test_labels, data.test_labels)
    assert np.array_equal(ns["features"](train_pts).numpy(), data.train_inputs)


@pytest.mark.parametrize("init", sorted(INITS))
def test_script_builds_the_same_initial_network(init, tmp_path):
    config = Config(init=init, layers=[Layer(5, "relu", dropout=0.1), Layer(3, "tanh", batch_norm=True)])
    net, linears = load(config, tmp_path)["build_model"]()
    ours = Trainer(config).model_.linears()
    assert len(linears) == len(ours)
    for mine, theirs in zip(linears, ours):
        assert torch.equal(mine.weight, theirs.weight) and torch.equal(mine.bias, theirs.bias)


@pytest.mark.parametrize("config", [
    Config(epochs=20),
    Config(dataset="spiral", layers=[Layer(8, "tanh")] * 3, optimizer="momentum", regularization="l2",
           regularization_rate=0.003, schedule="cosine", shuffle=True, batch_size=16, epochs=20, seed=5),
    Config(dataset="multigauss", problem="regression", loss="huber", huber_delta=0.5, optimizer="adam",
           learning_rate=0.01, layers=[Layer(6, "relu", dropout=0.1), Layer(4, "elu", batch_norm=True)],
           init="he_normal", schedule="step", step_size=5, regularization="l1", regularization_rate=0.001,
           batch_size=12, early_stopping=3, epochs=12),
], ids=["tf-default", "spiral-momentum-l2-shuffle", "regression-adam-dropout-bn"])
def test_standalone_script_reaches_the_playgrounds_test_loss(config, tmp_path):
    result = run_standalone(config, tmp_path)
    trainer = Trainer(config)
    trainer.run(config.epochs)
    snap = trainer.snapshot()
    assert result["epochs"] == snap.epoch
    assert result["test_loss"] == pytest.approx(snap.test_loss, rel=1e-7)
    assert result["train_loss"] == pytest.approx(snap.train_loss, rel=1e-7)
    assert result["test_accuracy"] == snap.test_accuracy


@pytest.mark.parametrize("config", [
    Config(dataset="custom", points=CUSTOM * 3, loss="ce", layers=[Layer(4, "sigmoid")], optimizer="rmsprop",
           learning_rate=0.01, epochs=15),
    Config(dataset="blobs", n_classes=4, loss="ce", optimizer="adagrad", layers=[Layer(6, "gelu")], epochs=10),
    Config(dataset="xor", loss="bce", optimizer="adamw", weight_decay=0.01, layers=[Layer(5, "silu")], epochs=10),
    Config(dataset="gauss", loss="hinge", optimizer="nesterov", layers=[Layer(3, "softplus")], epochs=10,
           schedule="exponential", gamma=0.9, step_size=2),
    Config(dataset="sine", problem="regression", loss="mae", layers=[Layer(4, "leaky_relu")], epochs=10),
    Config(dataset="plane", problem="regression", loss="mse", layers=[Layer(8, "relu")] * 2,
           learning_rate=3.0, epochs=20),
], ids=["custom-ce-rmsprop", "blobs-adagrad", "xor-bce-adamw", "gauss-hinge-nesterov", "sine-mae", "diverges"])
def test_script_trains_like_the_playground_for_every_loss_and_optimizer(config, tmp_path, capsys):
    load(config, tmp_path)["main"]()
    result = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    trainer = Trainer(config)
    trainer.run(config.epochs)
    snap = trainer.snapshot()
    assert result["status"] == ("diverged" if snap.status == "diverged" else "done")
    assert result["epochs"] == snap.epoch
    assert result["test_loss"] == pytest.approx(snap.test_loss, rel=1e-7)


def test_script_is_plain_python_without_the_playground():
    text = script(Config(dataset="moons", layers=[Layer(4, "tanh", dropout=0.2)]))
    compile(text, "exported.py", "exec")
    assert "playground import" not in text and "import playground" not in text
    assert "from sklearn.datasets import make_moons" in text
    assert "Needs torch, numpy and scikit-learn" in text


@pytest.mark.skipif(shutil.which("ruff") is None, reason="ruff is not installed")
def test_script_passes_ruff(tmp_path):
    for i, config in enumerate([Config(), Config(dataset="multigauss", problem="regression", loss="huber",
                                                 schedule="step", layers=[Layer(3, "relu", dropout=0.3)])]):
        path = tmp_path / f"exported_{i}.py"
        path.write_text(script(config))
        out = subprocess.run(["ruff", "check", "--no-cache", "--isolated", str(path)], capture_output=True,
                             text=True)
        assert out.returncode == 0, out.stdout


def test_export_code_command_prints_the_script(tmp_path):
    config_file = tmp_path / "experiment.json"
    config_file.write_text(Config(dataset="xor", epochs=7).to_json())
    out = subprocess.run([sys.executable, "-m", "playground", "export-code", "--config", str(config_file)],
                         capture_output=True, text=True, cwd=ROOT, check=True)
    assert out.stdout.startswith('"""Neural Playground experiment')
    assert "EPOCHS = 7" in out.stdout and "def xor(" in out.stdout
