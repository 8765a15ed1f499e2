"""Losses: each knows its targets, its output activation, its value and its accuracy rule."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import torch
import torch.nn.functional as F


@dataclass(frozen=True)
class LossSpec:
    """How a loss turns raw outputs and labels into a number, a prediction and an accuracy."""

    problems: tuple[str, ...]
    binary_only: bool
    targets: Callable[[np.ndarray, str], torch.Tensor]  # (labels, problem) -> what the loss compares with
    value: Callable  # (raw, targets, config) -> mean loss
    display: Callable  # raw -> [-1, 1] score (binary), probabilities (ce), or value (regression)
    description: str


def _pm1(labels):
    """Classes 0/1 as TF Playground's -1/+1 (regression labels pass through)."""
    t = torch.as_tensor(np.asarray(labels, dtype=np.float64))
    return t.unsqueeze(1) if t.dtype.is_floating_point and t.ndim == 1 else t


def _signed(labels):
    arr = np.asarray(labels, dtype=np.float64)
    return torch.as_tensor(np.where(arr > 0, 1.0, -1.0)).unsqueeze(1)


def _square_value(raw, t, c):
    out = torch.tanh(raw) if c.problem == "classification" else raw
    return 0.5 * (out - t).pow(2).mean()


def _square_display(raw, c):
    return torch.tanh(raw) if c.problem == "classification" else raw


LOSSES: dict[str, LossSpec] = {
    "square": LossSpec(
        ("classification", "regression"), True,
        lambda y, p: _signed(y) if p == "classification" else _pm1(y), _square_value, _square_display,
        "TF Playground's: tanh output (classification), mean of 0.5*(o-t)^2",
    ),
    "bce": LossSpec(
        ("classification",), True,
        lambda y, p: _pm1(np.asarray(y, dtype=np.float64)),
        lambda raw, t, c: F.binary_cross_entropy_with_logits(raw, t),
        lambda raw, c: 2 * torch.sigmoid(raw) - 1,
        "binary cross-entropy on a sigmoid output",
    ),
    "ce": LossSpec(
        ("classification",), False,
        lambda y, p: torch.as_tensor(np.asarray(y, dtype=np.int64)),
        lambda raw, t, c: F.cross_entropy(raw, t),
        lambda raw, c: torch.softmax(raw, dim=1),
        "cross-entropy on a K-class softmax output",
    ),
    "hinge": LossSpec(
        ("classification",), True,
        lambda y, p: _signed(y),
        lambda raw, t, c: torch.clamp(1 - t * raw, min=0).mean(),
        lambda raw, c: torch.clamp(raw, -1, 1),
        "hinge: max(0, 1 - t*o) with labels -1/+1, as a linear SVM",
    ),
    "mse": LossSpec(
        ("regression",), False, lambda y, p: _pm1(y),
        lambda raw, t, c: F.mse_loss(raw, t), lambda raw, c: raw,
        "mean squared error",
    ),
    "mae": LossSpec(
        ("regression",), False, lambda y, p: _pm1(y),
        lambda raw, t, c: F.l1_loss(raw, t), lambda raw, c: raw,
        "mean absolute error",
    ),
    "huber": LossSpec(
        ("regression",), False, lambda y, p: _pm1(y),
        lambda raw, t, c: F.huber_loss(raw, t, delta=c.huber_delta), lambda raw, c: raw,
        "Huber: squared near zero, absolute beyond delta",
    ),
}

CLASSIFICATION_LOSSES = tuple(k for k, v in LOSSES.items() if "classification" in v.problems)
REGRESSION_LOSSES = tuple(k for k, v in LOSSES.items() if "regression" in v.problems)
BINARY_LOSSES = tuple(k for k, v in LOSSES.items() if v.binary_only and "classification" in v.problems)


def predicted_class(raw: torch.Tensor, loss: str) -> torch.Tensor:
    """Predicted class per row from raw outputs."""
    if loss == "ce":
        return raw.argmax(dim=1)
    return (raw[:, 0] >= 0).long()
