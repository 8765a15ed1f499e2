"""Real learning outcomes, weights files, and the command line in a subprocess."""

import json
import subprocess
import sys

import numpy as np
import pytest
import torch

from playground.config import Config, Layer
from playground.export import WeightsError, config_metadata, load_weights, weights_bytes
from playground.inspection import weight_sparsity
from playground.training import Trainer

ROOT = __import__("pathlib").Path(__file__).resolve().parents[1]


def test_xor_needs_a_hidden_layer():
    flat = Trainer(Config().evolve(dataset="xor", layers=[], learning_rate=0.1)).run(100)
    deep = Trainer(Config().evolve(dataset="xor", layers=[Layer(4, "tanh")], learning_rate=0.1)).run(100)
    assert flat.test_accuracy < 0.75
    assert deep.test_accuracy > 0.95


def test_too_large_a_learning_rate_is_reported_diverged_and_weights_stay_finite():
    cfg = Config().evolve(dataset="plane", layers=[Layer(8, "relu"), Layer(8, "relu")], learning_rate=5.0)
    trainer = Trainer(cfg)
    snap = trainer.run(30)
    assert snap.status == "diverged"
    assert all(torch.isfinite(p).all() for p in trainer.model_.parameters())
    assert trainer.run(5).epoch == snap.epoch  # a diverged run does not go on


def test_l1_drives_weights_to_exactly_zero():
    cfg = Config().evolve(features=["x1", "x2", "x1sq", "x2sq", "x1x2", "sinx1", "sinx2"],
                          layers=[Layer(4, "tanh")], regularization="l1", regularization_rate=0.01)
    plain = Trainer(cfg.evolve(regularization="none")).run(150)
    trainer = Trainer(cfg)
    trainer.run(150)
    assert weight_sparsity(trainer) > 0.3
    assert trainer.snapshot().test_accuracy > 0.9 and plain.test_accuracy > 0.9


def test_same_config_and_seed_same_history_bit_for_bit():
    cfg = Config().evolve(dataset="spiral", layers=[Layer(6, "relu", dropout=0.1)], optimizer="adam",
                          learning_rate=0.01, shuffle=True)
    a, b = Trainer(cfg), Trainer(cfg)
    a.run(15)
    b.run(15)
    assert a.history.to_dict() == b.history.to_dict()
    c = Trainer(cfg.evolve(seed=2))
    c.run(15)
    assert c.history.to_dict() != a.history.to_dict()


def test_weights_round_trip_through_safetensors_and_pickles_are_refused(tmp_path):
    trainer = Trainer(Config())
    trainer.run(10)
    data = weights_bytes(trainer)
    fresh = Trainer(Config())
    load_weights(fresh, data)
    assert fresh.snapshot().train_loss == pytest.approx(trainer.snapshot().train_loss)
    assert Config.from_dict(config_metadata(data)) == trainer.config
    path = tmp_path / "w.pt"
    torch.save(trainer.model_.state_dict(), path)
    with pytest.raises(WeightsError, match="safetensors"):
        load_weights(fresh, path.read_bytes())
    import pickle
    with pytest.raises(WeightsError):
        load_weights(fresh, pickle.dumps({"a": 1}))
    other = Trainer(Config().evolve(layers=[Layer(3, "relu")]))
    with pytest.raises(WeightsError, match="different network"):
        load_weights(other, data)


def run_cli(*args, check=False):
    return subprocess.run([sys.executable, "-m", "playground", *args], capture_output=True, text=True,
                          cwd=ROOT, timeout=300, check=check)


def test_cli_train_prints_json_result_last(tmp_path):
    path = tmp_path / "xor.json"
    path.write_text(Config().evolve(dataset="xor", layers=[Layer(4, "tanh")], learning_rate=0.1).to_json())
    out = run_cli("train", "--config", str(path), "--epochs", "60", "--seed", "3", check=True)
    result = json.loads(out.stdout.strip().splitlines()[-1])
    for key in ("status", "epochs", "train_loss", "test_loss", "train_accuracy", "test_accuracy", "seconds",
                "weight_sparsity"):
        assert key in result
    assert result["status"] == "done" and result["epochs"] == 60 and result["test_accuracy"] > 0.9


def test_cli_regression_accuracy_is_null_and_divergence_exits_zero():
    out = run_cli("train", "--preset", "lr-too-high", "--quiet", check=True)
    result = json.loads(out.stdout.strip().splitlines()[-1])
    assert result["status"] == "diverged" and result["test_accuracy"] is None


@pytest.mark.parametrize("config,key", [
    ({"learning_rate": "fast"}, "learning_rate"),
    ({"layers": [{"units": 99, "activation": "relu"}]}, "layers[0].units"),
    ({"dataset": "mnist"}, "dataset"),
    ({"colour": "red"}, "colour"),
])
def test_cli_invalid_config_exits_2_naming_the_key(tmp_path, config, key):
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(config))
    out = run_cli("train", "--config", str(path))
    assert out.returncode == 2
    lines = out.stderr.strip().splitlines()
    assert len(lines) == 1 and key in lines[0]


def test_cli_presets_and_defaults():
    names = run_cli("presets", check=True).stdout
    assert "tf-default" in names and "xor-hidden" in names
    defaults = json.loads(run_cli("config", "--defaults", check=True).stdout)
    assert Config.from_dict(defaults) == Config()
    assert run_cli("train", "--preset", "nope").returncode == 2


def test_grid_is_finite_after_training():
    from playground.inspection import decision_grid

    trainer = Trainer(Config().evolve(dataset="spiral", layers=[Layer(8, "tanh")] * 6))
    trainer.run(5)
    grid = decision_grid(trainer)
    assert grid.output.shape == (100, 100) and len(grid.neurons) == 6
    assert np.isfinite(grid.output).all()


def test_reset_replays_the_same_run_with_dropout_and_shuffle():
    cfg = Config().evolve(layers=[Layer(6, "relu", dropout=0.2)], shuffle=True, optimizer="momentum")
    trainer = Trainer(cfg)
    trainer.run(8)
    first = trainer.history.to_dict()
    trainer.reset()
    assert trainer.epoch == 0
    trainer.run(8)
    assert trainer.history.to_dict() == first
