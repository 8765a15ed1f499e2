"""Training: a Trainer that runs epochs and yields plain-data snapshots; divergence never raises."""

from __future__ import annotations

import copy
import math
import time
import warnings
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field

import numpy as np
import torch

from playground import fastpath
from playground.config import Config, validate
from playground.datasets import Data, make_data
from playground.losses import LOSSES, predicted_class
from playground.model import RELU_LIKE, build_model
from playground.optim import make_optimizer, make_schedule

DIVERGED_LOSS = 1e12  # a loss this large has lost all meaning; treated like inf

STATUSES = ("running", "done", "diverged", "stopped")
NO_TRAINING_DATA = "No training points: add more points, or give a larger share of them to training."
ENGINES = ("auto", "torch")  # auto: the compiled fast path where it applies, else autograd
FAST_CHUNK = 256  # epochs per compiled call at most (bounds the shuffle orders kept at once)


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
        self.record(snap.epoch, snap.train_loss, snap.test_loss, snap.train_accuracy, snap.test_accuracy,
                    snap.learning_rate)

    def record(self, epoch, train_loss, test_loss, train_accuracy, test_accuracy, learning_rate) -> None:
        if epoch % self.stride:
            return
        self.epoch.append(epoch)
        self.train_loss.append(train_loss)
        self.test_loss.append(test_loss)
        self.train_accuracy.append(train_accuracy)
        self.test_accuracy.append(test_accuracy)
        self.learning_rate.append(learning_rate)
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

    def __init__(self, config: Config, data: Data | None = None, *, engine: str = "auto"):
        if engine not in ENGINES:
            raise ValueError(f"engine: {engine!r} is not one of {', '.join(ENGINES)}")
        self.engine = engine
        self.config = validate(config)
        self.data = data if data is not None else make_data(self.config)
        self.loss_spec = LOSSES[self.config.loss]
        self.model_ = build_model(self.config)
        self.initial_state_ = copy.deepcopy(self.model_.state_dict())
        self._prepare_tensors()
        self._compilable = fastpath.structural_support(self.config, len(self.x_train))
        self._relu_units = sum(l.units for l in self.config.layers if l.activation in RELU_LIKE)
        self._fast = None
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
        self._bounds_np = np.array(bounds, dtype=np.int64).reshape(-1, 2)
        self._batches = [(self.x_train[s:e], self.t_train[s:e]) for s, e in bounds]

    @property
    def path(self) -> str:
        """Which engine the next epoch runs on: `fast` (compiled) or `torch` (autograd).

        `engine` may be changed between runs ("auto" or "torch"); both paths share the weights and the
        optimizer's state, so a run can move from one to the other and back.
        """
        return "fast" if self._fast_path() is not None else "torch"

    def _fast_path(self):
        if self.engine != "auto" or not self._compilable or not fastpath.supports(self.optimizer_):
            return None
        fast = self._fast
        if fast is None or not fast.still_bound(self.model_):
            fast = self._fast = fastpath.FastPath(self.model_, self.config, self.x_train, self.t_train,
                                                  self.y_train, self.x_test, self.t_test, self.y_test)
        return fast

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
        self.model_.reseed(self.config.seed)
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
        left = int(epochs)
        if left > 0 and not len(self.data.train_labels):  # nothing to learn from: say so, never "diverged"
            self.status = self._snapshot.status = "done"
            self.message = self._snapshot.message = NO_TRAINING_DATA
            return self._snapshot
        while left > 0:
            if self.status not in ("running", "done") or (budget and self.status == "done"):
                break
            if budget and self.epoch >= self.config.epochs:
                self.status = "done"
                self._snapshot.status = "done"
                break
            fast = self._fast_path()
            if fast is None:
                self._one_epoch()
                left -= 1
                continue
            n = min(left, FAST_CHUNK, self.config.epochs - self.epoch if budget else left)
            left -= self._fast_epochs(fast, n)
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
        self._step_schedule()
        snap = self._evaluate()
        finite = ok and math.isfinite(snap.train_loss) and snap.train_loss < DIVERGED_LOSS and bool(
            torch.cat([p.detach().reshape(-1) for p in params]).isfinite().all()
        )
        if not finite:
            with torch.no_grad():
                torch._foreach_copy_(params, self._good)
            self.status = "diverged"
            snap = self._evaluate()
            snap.status = "diverged"
            snap.message = self._diverged_message()
        elif self.config.early_stopping:
            best, at = self._best
            if snap.test_loss < best - 1e-12:
                self._best = (snap.test_loss, self.epoch)
            elif self.epoch - at >= self.config.early_stopping:
                self.status = "done"
                snap.status = "done"
                snap.message = self._early_message(at)
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
        last = len(batches) - 1
        grad_norms = None
        params = [p for g in opt.param_groups for p in g["params"]]
        for i, (xb, tb) in enumerate(batches):
            loss = spec.value(model(xb), tb, cfg)
            grads = [p.grad for p in params if p.grad is not None]
            if grads:  # optimizer.zero_grad without its profiling wrapper: one fused op
                torch._foreach_zero_(grads)
            loss.backward()
            if i == last:  # before the step: Nesterov's foreach update rewrites .grad in place
                grad_norms = torch._foreach_norm([w.grad for w in weights])
            opt.step()
            self.step += 1
            if reg != "none":
                self._regularize(weights, reg, cfg.regularization_rate * opt.param_groups[0]["lr"])
            if not torch.isfinite(loss):
                return False
        if grad_norms is not None:
            self._grad_norms = [float(g) for g in grad_norms]
        return True

    def _step_schedule(self):
        if self.config.schedule != "constant":  # ConstantLR(factor=1) never changes the rate
            self.scheduler_.step()

    def _diverged_message(self) -> str:
        return (f"Training diverged at epoch {self.epoch}: the loss became "
                f"infinite or NaN. Try a smaller learning rate.")

    def _early_message(self, at: int) -> str:
        return (f"early stopping: no better test loss for "
                f"{self.config.early_stopping} epochs (best at epoch {at})")

    def _fast_epochs(self, fast, n: int) -> int:
        """Up to n epochs in one compiled call, with the same checks as _one_epoch; returns epochs run."""
        t0 = time.perf_counter()
        cfg = self.config
        lrs = self._chunk_rates(n)
        gen_state = self._shuffle_gen.get_state() if cfg.shuffle else None
        order = self._orders(n) if cfg.shuffle else None
        fast.grad_norms[:] = self._grad_norms
        best, at = self._best
        state = np.array([best, at, self.epoch, self.step, 0, 0, 0, 0], dtype=np.float64)
        metrics = fast.run(self.optimizer_, cfg, lrs, order, self._bounds_np, state)
        done, first = len(metrics), self.epoch
        self.epoch, self.step = int(state[2]), int(state[3])
        self._best = (float(state[0]), int(state[1]))
        if done < n:  # stopped early: the schedule and the shuffle must stand where epoch-by-epoch would
            if cfg.schedule != "constant":
                self.scheduler_ = make_schedule(self.optimizer_, cfg, self.epoch)
            if cfg.shuffle:
                self._shuffle_gen.set_state(gen_state)
                self._orders(done)
        rows = self._metric_rows(metrics)
        for i, row in enumerate(rows[:-1]):
            self.history.record(first + i + 1, *row, float(lrs[i + 1]))
        if int(state[5]) == fastpath.DIVERGED:
            self.status = "diverged"
            self.message = self._diverged_message()
        elif int(state[5]) == fastpath.EARLY_STOP:
            self.status = "done"
            self.message = self._early_message(self._best[1])
        self._grad_norms = fast.grad_norms.tolist()
        train_loss, test_loss, train_acc, test_acc = rows[-1]
        self._snapshot = Snapshot(
            epoch=self.epoch, step=self.step, train_loss=train_loss, test_loss=test_loss,
            train_accuracy=train_acc, test_accuracy=test_acc, learning_rate=self.learning_rate,
            weight_norms=fast.weight_norms.tolist(), grad_norms=list(self._grad_norms),
            dead_relu=float(state[6]) / self._relu_units if self._relu_units else 0.0,
            status=self.status, message=self.message,
        )
        self.history.add(self._snapshot)
        self.seconds += time.perf_counter() - t0
        return done

    def _chunk_rates(self, n: int) -> np.ndarray:
        """The learning rate of each of the next n epochs and the one after, stepping the schedule."""
        group = self.optimizer_.param_groups[0]
        lrs = np.full(n + 1, float(group["lr"]))
        if self.config.schedule != "constant":
            with warnings.catch_warnings():  # torch notes that optimizer.step() was not called: the kernel stepped
                warnings.filterwarnings("ignore", message=r"Detected call of `lr_scheduler\.step\(\)`")
                for i in range(1, n + 1):
                    self.scheduler_.step()
                    lrs[i] = group["lr"]
        return lrs

    def _metric_rows(self, metrics: np.ndarray) -> list[tuple]:
        """(train loss, test loss, train accuracy, test accuracy) per epoch; no accuracy is None."""
        classify = self.config.problem == "classification"
        return [(tr, te, a if classify and a == a else None, b if classify and b == b else None)
                for tr, te, a, b in metrics.tolist()]

    def _orders(self, n: int) -> np.ndarray:
        size = len(self.x_train)
        return np.stack([torch.randperm(size, generator=self._shuffle_gen).numpy() for _ in range(n)])

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
        for layer, acts in zip(cfg.layers, hidden, strict=True):
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
