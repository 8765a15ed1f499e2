"""Looking inside a trained network: outputs on a grid, every neuron's map, weights, confusion matrix."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import torch

from playground import fastpath
from playground.datasets import feature_matrix


@dataclass
class Grid:
    """The network evaluated on a square grid over the data's domain (row i is y, column j is x)."""

    xs: np.ndarray  # (res,)
    ys: np.ndarray  # (res,)
    output: np.ndarray  # (res, res): binary score in [-1, 1], regression value, or argmax class
    probs: np.ndarray | None  # (K, res, res) class probabilities for ce, else None
    neurons: list[np.ndarray]  # per hidden layer: (units, res, res) activations
    inputs: np.ndarray  # (n_features, res, res): each input feature's map


@lru_cache(maxsize=16)
def _grid_inputs(features: tuple[str, ...], resolution: int, domain: float):
    """Grid coordinates and the feature maps, unit-major (features x points), cached read-only."""
    xs = np.linspace(-domain, domain, resolution)
    gx, gy = np.meshgrid(xs, xs)  # gy varies along rows
    pts = np.stack([gx.ravel(), gy.ravel()], axis=1)
    inputs = np.ascontiguousarray(feature_matrix(pts, list(features)).T)
    xs.flags.writeable = False
    inputs.flags.writeable = False
    return xs, inputs


def decision_grid(trainer, resolution: int = 100) -> Grid:
    """Output and every hidden neuron on a resolution x resolution grid (one pass over all points)."""
    cfg = trainer.config
    r = int(resolution)
    xs, inputs = _grid_inputs(tuple(cfg.features), r, float(trainer.data.domain))
    compiled = fastpath.grid_outputs(trainer.model_, cfg, inputs)
    if compiled is None:
        return _torch_grid(trainer, xs, inputs)
    acts, shown = compiled
    probs = None
    if cfg.loss == "ce":
        probs = shown.reshape(-1, r, r)
        output = probs.argmax(axis=0).astype(np.float64)
    else:
        output = shown[0].reshape(r, r)
    neurons = [acts[i + 1, : layer.units].reshape(layer.units, r, r) for i, layer in enumerate(cfg.layers)]
    return Grid(xs=xs, ys=xs, output=output, probs=probs, neurons=neurons, inputs=inputs.reshape(-1, r, r))


@torch.inference_mode()
def _torch_grid(trainer, xs, inputs) -> Grid:
    """The same through the torch model (batch norm, or no compiler available)."""
    cfg = trainer.config
    model = trainer.model_
    was_training = model.training
    model.eval()
    hidden: list = []
    raw = model(torch.from_numpy(inputs.T.copy()), keep=hidden)
    if was_training:
        model.train()
    shown = trainer.loss_spec.display(raw, cfg)
    r = len(xs)
    probs = None
    if cfg.loss == "ce":
        probs = shown.T.reshape(-1, r, r).numpy().copy()
        output = probs.argmax(axis=0).astype(np.float64)
    else:
        output = shown[:, 0].reshape(r, r).numpy().copy()
    neurons = [h.T.reshape(-1, r, r).numpy().copy() for h in hidden]
    return Grid(xs=xs, ys=xs, output=output, probs=probs, neurons=neurons, inputs=inputs.reshape(-1, r, r))


def weights(trainer) -> list[dict]:
    """Each layer's weight matrix (out x in) and bias vector as numpy arrays."""
    return [
        {"weight": lin.weight.detach().numpy().copy(), "bias": lin.bias.detach().numpy().copy()}
        for lin in trainer.model_.linears()
    ]


@torch.inference_mode()
def predict(trainer, points: np.ndarray) -> np.ndarray:
    """Predicted class (classification) or value (regression) for raw (x1, x2) points."""
    from playground.losses import predicted_class

    model = trainer.model_
    was_training = model.training
    model.eval()
    raw = model(torch.as_tensor(feature_matrix(np.asarray(points, dtype=np.float64), trainer.config.features)))
    if was_training:
        model.train()
    if trainer.config.problem == "classification":
        return predicted_class(raw, trainer.config.loss).numpy()
    return trainer.loss_spec.display(raw, trainer.config)[:, 0].numpy()


def confusion_matrix(trainer, split: str = "test") -> np.ndarray:
    """Counts[true class, predicted class] on the train or test split."""
    d = trainer.data
    pts, labels = (d.test_points, d.test_labels) if split == "test" else (d.train_points, d.train_labels)
    k = d.num_classes
    out = np.zeros((k, k), dtype=int)
    if len(pts) == 0:
        return out
    pred = predict(trainer, pts)
    np.add.at(out, (np.asarray(labels, dtype=int), pred.astype(int)), 1)
    return out


def weight_sparsity(trainer, threshold: float = 1e-3) -> float:
    """Share of weights (not biases) with |w| < threshold."""
    ws = [lin.weight.detach().abs() for lin in trainer.model_.linears()]
    total = sum(w.numel() for w in ws)
    return float(sum(int((w < threshold).sum()) for w in ws) / total) if total else 0.0
