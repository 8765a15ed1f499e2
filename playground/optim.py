"""Optimizers from torch.optim and schedules from torch.optim.lr_scheduler, by name."""

from __future__ import annotations

import warnings
from collections.abc import Callable

import torch
from torch.optim import lr_scheduler

# Each takes (params, config). foreach=True: one fused update per step instead of a loop over tensors.
OPTIMIZERS: dict[str, Callable] = {
    "sgd": lambda p, c: torch.optim.SGD(p, lr=c.learning_rate, weight_decay=c.weight_decay, foreach=True),
    "momentum": lambda p, c: torch.optim.SGD(
        p, lr=c.learning_rate, momentum=c.momentum, weight_decay=c.weight_decay, foreach=True),
    "nesterov": lambda p, c: torch.optim.SGD(
        p, lr=c.learning_rate, momentum=max(c.momentum, 1e-6), nesterov=True,
        weight_decay=c.weight_decay, foreach=True),
    "adagrad": lambda p, c: torch.optim.Adagrad(
        p, lr=c.learning_rate, eps=c.eps, weight_decay=c.weight_decay, foreach=True),
    "rmsprop": lambda p, c: torch.optim.RMSprop(
        p, lr=c.learning_rate, alpha=c.rho, eps=c.eps, weight_decay=c.weight_decay, foreach=True),
    "adam": lambda p, c: torch.optim.Adam(
        p, lr=c.learning_rate, betas=(c.beta1, c.beta2), eps=c.eps, weight_decay=c.weight_decay, foreach=True),
    "adamw": lambda p, c: torch.optim.AdamW(
        p, lr=c.learning_rate, betas=(c.beta1, c.beta2), eps=c.eps, weight_decay=c.weight_decay, foreach=True),
}

# The optimizer knobs each optimizer reads (for pages that show only what matters).
OPTIMIZER_KNOBS: dict[str, tuple[str, ...]] = {
    "sgd": ("weight_decay",),
    "momentum": ("momentum", "weight_decay"),
    "nesterov": ("momentum", "weight_decay"),
    "adagrad": ("eps", "weight_decay"),
    "rmsprop": ("rho", "eps", "weight_decay"),
    "adam": ("beta1", "beta2", "eps", "weight_decay"),
    "adamw": ("beta1", "beta2", "eps", "weight_decay"),
}

# Each takes (optimizer, config); stepped once per epoch.
SCHEDULES: dict[str, Callable] = {
    "constant": lambda o, c: lr_scheduler.ConstantLR(o, factor=1.0, total_iters=0),
    "step": lambda o, c: lr_scheduler.StepLR(o, step_size=c.step_size, gamma=c.gamma),
    "exponential": lambda o, c: lr_scheduler.ExponentialLR(o, gamma=c.gamma ** (1.0 / c.step_size)),
    "cosine": lambda o, c: lr_scheduler.CosineAnnealingLR(o, T_max=c.epochs),
}


def make_optimizer(params, config) -> torch.optim.Optimizer:
    return OPTIMIZERS[config.optimizer](params, config)


def make_schedule(optimizer, config, epoch: int = 0):
    """The config's schedule, advanced to `epoch` (so a live change keeps the run's position)."""
    for group in optimizer.param_groups:
        group["lr"] = config.learning_rate
        group.pop("initial_lr", None)
    sched = SCHEDULES[config.schedule](optimizer, config)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for _ in range(epoch if config.schedule != "constant" else 0):
            sched.step()
    return sched
