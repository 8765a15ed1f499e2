"""Training: a Trainer that runs epochs and yields plain-data snapshots; divergence never raises."""

from __future__ import annotations

import copy
import math
import time
from dataclasses import asdict, dataclass, field
from typing import Iterator

import numpy as np
import torch

from playground.config import Config, validate
from playground.datasets import Data, make_data
from playground.losses import LOSSES, predicted_class
from playground.model import RELU_LIKE, build_model
from playground.optim import make_optimizer, make_schedule

DIVERGED_LOSS = 1e12  # a loss this large has lost all meaning; treated like inf

STATUSES = ("running", "done", "diverged", "stopped")


@dataclass
class Snapshot:
    """Where a run stands after an epoch: numbers and lists only, safe to keep, send or store."""

    epoch: int
    step: int
    train_loss: float
    test_loss: float
    train_accuracy: float | None
    test_accuracy: float | None
    learning_rate: float
    weight_norms: list[float]
    grad_norms: list[float]
    dead_relu: float
    status: str
    message: str = ""

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass
class History:
    """Metrics per recorded epoch; long runs keep every k-th epoch so memory stays bounded."""

    max_len: int = 2000
    stride: int = 1
    epoch: list = field(default_factory=list)
    train_loss: list = field(default_factory=list)
    test_loss: list = field(default_factory=list)
    train_accuracy: list = field(default_factory=list)
    test_accuracy: list = field(default_factory=list)
    learning_rate: list = field(default_factory=list)

    KEYS = ("epoch", "train_loss", "test_loss", "train_accuracy", "test_accuracy", "learning_rate")

    def add(self, snap: Snapshot) -> None:
        if snap.epoch % self.stride:
            return
        for k in self.KEYS:
            getattr(self, k).append(getattr(snap, k))
        if len(self.epoch) > self.max_len:
            self.stride *= 2
            keep = [i for i, e in enumerate(self.epoch) if e % self.stride == 0]
            for k in self.KEYS:
                values = getattr(self, k)
                setattr(self, k, [values[i] for i in keep])

    def to_dict(self) -> dict:
        return {k: list(getattr(self, k)) for k in self.KEYS}

    def __len__(self):
        return len(self.epoch)


class Trainer:
    """Owns one run: data, network, optimizer, schedule and history for one config."""

    def __init__(self, config: Config, data: Data | None = None):
        self.config = validate(config)
        self.data = data if data is not None else make_data(self.config)
        self.loss_spec = LOSSES[self.config.loss]
        torch.manual_seed(self.config.seed)  # dropout masks draw from the global generator
        self.model_ = build_model(self.config)
        self.initial_state_ = copy.deepcopy(self.model_.state_dict())
        self._prepare_tensors()
        self._good = [p.detach().clone() for p in self.model_.parameters()]
        self._start()

    # ---- setup -------------------------------------------------------------------------------
    def _prepare_tensors(self):
        d, c = self.data, self.config
        self.x_train = torch.as_tensor(d.train_inputs)
        self.x_test = torch.as_tensor(d.test_inputs)
        self.t_train = self.loss_spec.targets(d.train_labels, c.problem)
        self.t_test = self.loss_spec.targets(d.test_labels, c.problem)
        self.y_train = torch.as_tensor(np.asarray(d.train_labels))
        self.y_test = torch.as_tensor(np.asarray(d.test_labels))
        self._has_dropout_or_bn = any(l.dropout > 0 or l.batch_norm for l in c.layers)
        self._bn = any(l.batch_norm for l in c.layers)
        self._slice_batches()

    def _slice_batches(self):
        """Pre-sliced views of the training set, one per batch (no DataLoader: per-op cost rules)."""
        n = len(self.x_train)
        b = self.config.batch_size
        if self._bn:
            b = max(b, 2)  # batch norm needs two values per channel
        starts = list(range(0, n, b))
        bounds = [(s, min(s + b, n)) for s in starts]
        if self._bn and len(bounds) > 1 and bounds[-1][1] - bounds[-1][0] < 2:
            bounds[-2] = (bounds[-2][0], n)
            bounds.pop()
        self._bounds = bounds
        self._batches = [(self.x_train[s:e], self.t_train[s:e]) for s, e in bounds]

    def _start(self):
        self.epoch = 0
        self.step = 0
        self.status = "running"
        self.message = ""
        self.history = History()
        self.optimizer_ = make_optimizer(self.model_.parameters(), self.config)
        self.scheduler_ = make_schedule(self.optimizer_, self.config, 0)
        self._shuffle_gen = torch.Generator().manual_seed(self.config.seed + 2)
        self._grad_norms = [0.0] * len(self.model_.linears())
        self._best = (math.inf, 0)
        self.seconds = 0.0
        self._snapshot = self._evaluate()
        self.history.add(self._snapshot)

    # ---- control -----------------------------------------------------------------------------
    def reset(self) -> Snapshot:
        """Back to the same initial weights: the replay is the same run."""
        self.model_.load_state_dict(self.initial_state_)
        torch.manual_seed(self.config.seed)
        self._start()
        return self._snapshot

    def stop(self) -> Snapshot:
        if self.status == "running":
            self.status = "stopped"
            self._snapshot.status = "stopped"
        return self._snapshot

    def update(self, config: Config) -> bool:
        """Apply live knobs (rates, optimizer, regularisation, batching) without a reset.

        Returns False, changing nothing, when the new config needs fresh weights.
        """
        config = validate(config)
        old = self.config
        if old.needs_reset(config):
            return False
        self.config = config
        if config.optimizer != old.optimizer:
            self.optimizer_ = make_optimizer(self.model_.parameters(), config)
        else:
            for g in self.optimizer_.param_groups:
                g["weight_decay"] = config.weight_decay
                if "momentum" in g and config.optimizer in ("momentum", "nesterov"):
                    g["momentum"] = max(config.momentum, 1e-6 if config.optimizer == "nesterov" else 0)
                if "betas" in g:
                    g["betas"] = (config.beta1, config.beta2)
                if "alpha" in g:
                    g["alpha"] = config.rho
                if "eps" in g:
                    g["eps"] = config.eps
        self.scheduler_ = make_schedule(self.optimizer_, config, self.epoch)
        if config.batch_size != old.batch_size:
            self._slice_batches()
        if self.status == "done" and self.epoch < config.epochs and not self.message.startswith("early"):
            self.status = "running"
        return True

    # ---- training ----------------------------------------------------------------------------
    @property
    def learning_rate(self) -> float:
        return float(self.optimizer_.param_groups[0]["lr"])

    def run(self, epochs: int = 1, budget: bool = True) -> Snapshot:
        """Train up to `epochs` more epochs (fewer if the run ends); return the last snapshot.

        With budget=False the run ignores config.epochs (the page's endless play).
        """
        for _ in range(epochs):
            if self.status not in ("running", "done") or (budget and self.status == "done"):
                break
            if budget and self.epoch >= self.config.epochs:
                self.status = "done"
                self._snapshot.status = "done"
                break
            self._one_epoch()
        return self._snapshot

    def iterate(self, every: int = 1, budget: bool = True) -> Iterator[Snapshot]:
        """Yield a snapshot every `every` epochs until the run is done, diverged or stopped."""
        yield self._snapshot
        while self.status == "running" and (not budget or self.epoch < self.config.epochs):
            snap = self.run(every, budget=budget)
            yield snap
        if budget and self.status == "running" and self.epoch >= self.config.epochs:
            self.status = "done"
            self._snapshot.status = "done"
            yield self._snapshot

    def _one_epoch(self):
        t0 = time.perf_counter()
        params = list(self.model_.parameters())
        torch._foreach_copy_(self._good, params)
        ok = self._epoch_torch()
        self.epoch += 1
        self.scheduler_.step()
        snap = self._evaluate()
        finite = ok and math.isfinite(snap.train_loss) and snap.train_loss < DIVERGED_LOSS and all(
            bool(torch.isfinite(p).all()) for p in params
        )
        if not finite:
            with torch.no_grad():
                torch._foreach_copy_(params, self._good)
            self.status = "diverged"
            snap = self._evaluate()
            snap.status = "diverged"
            snap.message = (f"Training diverged at epoch {self.epoch}: the loss became "
                            f"infinite or NaN. Try a smaller learning rate.")
        elif self.config.early_stopping:
            best, at = self._best
            if snap.test_loss < best - 1e-12:
                self._best = (snap.test_loss, self.epoch)
            elif self.epoch - at >= self.config.early_stopping:
                self.status = "done"
                snap.status = "done"
                snap.message = (f"early stopping: no better test loss for "
                                f"{self.config.early_stopping} epochs (best at epoch {at})")
        self.message = snap.message
        self._snapshot = snap
        self.history.add(snap)
        self.seconds += time.perf_counter() - t0

    def _epoch_torch(self) -> bool:
        """One pass over the training batches with autograd and the torch.optim optimizer."""
        model, opt, spec, cfg = self.model_, self.optimizer_, self.loss_spec, self.config
        model.train()
        batches = self._batches
        if cfg.shuffle:
            perm = torch.randperm(len(self.x_train), generator=self._shuffle_gen)
            x, t = self.x_train[perm], self.t_train[perm]
            batches = [(x[s:e], t[s:e]) for s, e in self._bounds]
        reg = cfg.regularization if cfg.regularization_rate > 0 else "none"
        weights = [lin.weight for lin in model.linears()]
        for xb, tb in batches:
            loss = spec.value(model(xb), tb, cfg)
            opt.zero_grad(set_to_none=False)
            loss.backward()
            opt.step()
            self.step += 1
            if reg != "none":
                self._regularize(weights, reg, cfg.regularization_rate * opt.param_groups[0]["lr"])
            if not torch.isfinite(loss):
                return False
        self._grad_norms = [float(w.grad.norm()) if w.grad is not None else 0.0 for w in weights]
        return True

    @staticmethod
    @torch.no_grad()
    def _regularize(weights, kind: str, shrink: float):
        """TF Playground's penalty step after the gradient step (weights only, not biases).

        L2: w <- w - shrink*w. L1: w <- w - shrink*sign(w), set to exactly 0 where it would cross 0.
        """
        if kind == "l2":
            torch._foreach_mul_(weights, 1.0 - shrink)
            return
        for w in weights:
            new = w - shrink * torch.sign(w)
            new[new * w < 0] = 0.0
            w.copy_(new)

    # ---- measurement -------------------------------------------------------------------------
    @torch.inference_mode()
    def _evaluate(self) -> Snapshot:
        model, spec, cfg = self.model_, self.loss_spec, self.config
        was_training = model.training
        model.eval()
        hidden: list = []
        raw_train = model(self.x_train, keep=hidden)
        raw_test = model(self.x_test)
        if was_training:
            model.train()
        train_loss = _loss_value(spec, raw_train, self.t_train, cfg)
        test_loss = _loss_value(spec, raw_test, self.t_test, cfg)
        train_acc = test_acc = None
        if cfg.problem == "classification":
            train_acc = _accuracy(raw_train, self.y_train, cfg.loss)
            test_acc = _accuracy(raw_test, self.y_test, cfg.loss)
        dead, total = 0, 0
        for layer, acts in zip(cfg.layers, hidden):
            if layer.activation in RELU_LIKE and len(acts):
                dead += int((acts <= 0).all(dim=0).sum())
                total += acts.shape[1]
        return Snapshot(
            epoch=self.epoch, step=self.step, train_loss=train_loss, test_loss=test_loss,
            train_accuracy=train_acc, test_accuracy=test_acc, learning_rate=self.learning_rate,
            weight_norms=[float(l.weight.norm()) for l in model.linears()],
            grad_norms=list(self._grad_norms), dead_relu=dead / total if total else 0.0,
            status=self.status, message=self.message,
        )

    def snapshot(self) -> Snapshot:
        return self._snapshot

    def __repr__(self):
        return f"Trainer({self.model_!r}, epoch={self.epoch}, status={self.status})"


def _loss_value(spec, raw, targets, cfg) -> float:
    if len(raw) == 0:
        return float("nan")
    v = float(spec.value(raw, targets, cfg))
    return v if math.isfinite(v) else float("inf")


def _accuracy(raw, labels, loss) -> float | None:
    if len(raw) == 0:
        return None
    return float((predicted_class(raw, loss) == labels.long()).double().mean())


def train(config: Config, every: int = 1) -> Iterator[Snapshot]:
    """Train the config for its epoch budget, yielding a snapshot every `every` epochs."""
    return Trainer(config).iterate(every=every)
