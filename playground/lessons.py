"""Guided experiments for class: each opens exact configs in the Playground and checks its own claim.

A lesson's texts live in the catalogue under `lessons.<id>.<part>`; its claim trains the lesson's configs
headless, to their epoch budget, and says whether what the lesson tells students to expect happened.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urlencode

import numpy as np
import torch

from playground.config import Config, Layer
from playground.inspection import decision_grid, weights
from playground.training import Trainer

ALL_FEATURES = ["x1", "x2", "x1sq", "x2sq", "x1x2", "sinx1", "sinx2"]
TOPICS = ("features", "learning", "overfitting", "inside")
PARTS = ("title", "question", "do", "watch", "see", "why", "result")

Runs = dict[str, list[Trainer]]  # run name -> one trained Trainer per seed, the lesson's own seed first


@dataclass(frozen=True)
class Outcome:
    """What a lesson's check measured, and whether the lesson's stated result held."""

    holds: bool
    numbers: dict[str, float]


@dataclass(frozen=True)
class Lesson:
    """One guided experiment: the configs it opens, its topic, and the claim a test checks."""

    id: str
    topic: str
    runs: dict[str, Config]  # "main" is what "Open in the Playground" opens; the others are comparisons
    claim: Callable[[Runs], Outcome]
    seeds: tuple[int, ...] = field(default=())  # more seeds, for effects that show on average

    @property
    def main(self) -> Config:
        return self.runs["main"]

    @property
    def variants(self) -> list[str]:
        return [name for name in self.runs if name != "main"]

    def key(self, part: str) -> str:
        """Catalogue key of one of the lesson's texts (see PARTS)."""
        return f"lessons.{self.id}.{part}"

    def label_key(self, run: str) -> str:
        """Catalogue key of a comparison run's short label."""
        return f"lessons.{self.id}.run.{run}"

    def facts(self) -> dict:
        """Values the lesson's texts may name, taken from its configs so text and config never drift."""
        return {"epochs": self.main.epochs, "seeds": 1 + len(self.seeds)}

    def link(self, run: str = "main", lang: str = "en") -> str:
        """The Playground URL that opens this run's exact config, in the given language."""
        return "/?" + urlencode({**self.runs[run].to_query(), "lang": lang})

    def train(self) -> Runs:
        """Train every run to its epoch budget, for the lesson's seed and any extra seeds."""
        out: Runs = {}
        for name, config in self.runs.items():
            out[name] = []
            for seed in (config.seed, *self.seeds):
                trainer = Trainer(config.evolve(seed=seed))
                trainer.run(config.epochs)
                out[name].append(trainer)
        return out

    def check(self) -> Outcome:
        return self.claim(self.train())


# ---- measurements --------------------------------------------------------------------------------


def _snap(runs: Runs, name: str = "main"):
    return runs[name][0].snapshot()


def _mean(runs: Runs, name: str, measure: Callable[[Trainer], float]) -> float:
    return float(np.mean([measure(tr) for tr in runs[name]]))


def _test_acc(tr: Trainer) -> float:
    return tr.snapshot().test_accuracy


def _test_loss(tr: Trainer) -> float:
    return tr.snapshot().test_loss


def _gap(tr: Trainer) -> float:
    """Training accuracy minus test accuracy: how much better the network does on what it memorised."""
    s = tr.snapshot()
    return s.train_accuracy - s.test_accuracy


def _drop(tr: Trainer) -> float:
    """Share of the starting training loss that training removed."""
    h = tr.history.train_loss
    return 1.0 - h[-1] / h[0]


def _rises(tr: Trainer) -> float:
    """Share of epochs after which the training loss was higher than the epoch before."""
    h = np.asarray(tr.history.train_loss)
    return float(np.mean(np.diff(h) > 0))


def _weight_sum(tr: Trainer) -> float:
    return float(sum(tr.snapshot().weight_norms))


def _unit_spread(tr: Trainer) -> float:
    """Largest difference between two neurons of one hidden layer, in incoming weights plus bias."""
    layers = weights(tr)[:-1]
    return max(float(np.ptp(l["weight"], axis=0).max()) + float(np.ptp(l["bias"])) for l in layers)


def _boundary(tr: Trainer) -> float:
    """Length of the decision boundary on a 100 x 100 grid, in grid widths (XOR's ideal cross is 2)."""
    side = decision_grid(tr, 100).output >= 0
    return float(np.sum(side[1:] != side[:-1]) + np.sum(side[:, 1:] != side[:, :-1])) / 100


def _output_range(tr: Trainer) -> float:
    """How much the network's output varies over the whole plane (0: the same answer everywhere)."""
    return float(np.ptp(decision_grid(tr, 50).output))


def _dead_per_layer(tr: Trainer) -> list[float]:
    """Share of each hidden layer's neurons that output 0 on every training point."""
    hidden: list = []
    was_training = tr.model_.training
    with torch.inference_mode():
        tr.model_.eval()
        tr.model_(tr.x_train, keep=hidden)
    tr.model_.train(was_training)
    return [float((h <= 0).all(dim=0).double().mean()) for h in hidden]


def _first_layer(tr: Trainer) -> dict[str, np.ndarray]:
    """Each input feature's outgoing weights into the first layer."""
    w = weights(tr)[0]["weight"]
    return {f: w[:, i] for i, f in enumerate(tr.config.features)}


def _layers(spec: str) -> list[Layer]:
    """Hidden layers written as the URL writes them: `16:relu:d0.3,8:tanh`."""
    return Config.from_dict({"layers": spec}).layers


# ---- the claims: each checks every outcome the lesson's "what you should see" states ----------------


def _gauss_line(runs: Runs) -> Outcome:
    acc = _snap(runs).test_accuracy
    return Outcome(acc >= 0.95, {"acc": acc})


def _xor_hidden(runs: Runs) -> Outcome:
    line, hidden = _snap(runs).test_accuracy, _snap(runs, "hidden").test_accuracy
    return Outcome(0.35 <= line <= 0.65 and hidden >= 0.9, {"line": line, "hidden": hidden})


def _xor_cross(runs: Runs) -> Outcome:
    cross, plain = _snap(runs).test_accuracy, _snap(runs, "plain").test_accuracy
    return Outcome(cross >= 0.95 and 0.35 <= plain <= 0.65, {"cross": cross, "plain": plain})


def _circle_squares(runs: Runs) -> Outcome:
    squares, plain = _snap(runs).test_accuracy, _snap(runs, "plain").test_accuracy
    return Outcome(squares >= 0.95 and plain <= 0.7, {"squares": squares, "plain": plain})


def _spiral(runs: Runs) -> Outcome:
    wide, deep, feats = (_snap(runs, n).test_accuracy for n in ("main", "deep", "features"))
    holds = wide <= 0.8 and deep >= 0.9 and feats >= 0.9
    return Outcome(holds, {"wide": wide, "deep": deep, "features": feats})


def _lr_high(runs: Runs) -> Outcome:
    high, moderate = runs["main"][0], runs["moderate"][0]
    start, peak = high.history.train_loss[0], max(high.history.train_loss)
    calm = moderate.history.train_loss
    holds = (high.status == "diverged" and 5 <= high.epoch <= 30 and peak > 1000 * start
             and moderate.status != "diverged" and calm[-1] < 0.01 * calm[0])
    return Outcome(holds, {"epoch": high.epoch, "start": start, "peak": peak, "calm": calm[-1]})


def _lr_low(runs: Runs) -> Outcome:
    slow, normal = _drop(runs["main"][0]), _drop(runs["normal"][0])
    return Outcome(0 < slow < 0.1 and normal > 0.9, {"slow": slow, "normal": normal})


def _batch(runs: Runs) -> Outcome:
    one, fifty = runs["main"][0], runs["batch50"][0]
    r_one, r_fifty = _rises(one), _rises(fifty)
    l_one, l_fifty = one.snapshot().train_loss, fifty.snapshot().train_loss
    # batch size 1 is chaotic: the last epoch lands anywhere low, so "low" means a third of the start
    holds = r_one >= 1 / 6 and r_fifty <= 0.02 and _drop(one) > 2 / 3 and _drop(fifty) > 2 / 3
    return Outcome(holds, {"rises_1": r_one, "rises_50": r_fifty, "loss_1": l_one, "loss_50": l_fifty,
                           "steps_1": one.step / one.epoch, "steps_50": fifty.step / fifty.epoch})


def _adam(runs: Runs) -> Outcome:
    adam, sgd = _snap(runs), _snap(runs, "sgd")
    holds = adam.train_loss <= 0.1 and adam.test_accuracy >= 0.9 and sgd.train_loss >= 0.5 \
        and sgd.test_accuracy <= 0.75
    return Outcome(holds, {"loss_adam": adam.train_loss, "loss_sgd": sgd.train_loss,
                           "acc_adam": adam.test_accuracy, "acc_sgd": sgd.test_accuracy})


def _overfitting(runs: Runs) -> Outcome:
    gap = _mean(runs, "main", _gap)
    test = _mean(runs, "main", _test_acc)
    rise = _mean(runs, "main", lambda tr: tr.snapshot().test_loss / min(tr.history.test_loss))
    # the training loss is still falling in the second half of the run, for every seed
    falling = all(tr.history.train_loss[-1] < tr.history.train_loss[len(tr.history) // 2] for tr in runs["main"])
    return Outcome(gap >= 0.12 and test <= 0.8 and rise >= 1.2 and falling,
                   {"train": test + gap, "test": test, "rise": rise})


def _regularised(loss_ratio: float, weight_ratio: float | None):
    """A claim that the main (regularised) run generalises better than the `none` run, on average."""

    def claim(runs: Runs) -> Outcome:
        m = {f"{what}_{side}": _mean(runs, name, measure)
             for side, name in (("with", "main"), ("without", "none"))
             for what, measure in (("loss", _test_loss), ("gap", _gap), ("w", _weight_sum),
                                   ("boundary", _boundary), ("train", lambda tr: tr.snapshot().train_accuracy))}
        holds = (m["loss_with"] <= loss_ratio * m["loss_without"] and m["gap_with"] < m["gap_without"]
                 and m["boundary_with"] <= 0.85 * m["boundary_without"])
        if weight_ratio is not None:  # L2 shrinks weights; dropout need not
            holds = holds and m["w_with"] <= weight_ratio * m["w_without"]
        else:
            holds = holds and m["train_with"] < m["train_without"]
        return Outcome(holds, m)

    return claim


def _l1(runs: Runs) -> Outcome:
    l1, l2 = _first_layer(runs["main"][0]), _first_layer(runs["l2"][0])
    unneeded = np.concatenate([l1[f] for f in ("x1", "x2", "x1x2", "sinx1", "sinx2")])
    zero_unneeded = float(np.mean(unneeded == 0))
    kept = all(bool(np.any(l1[f] != 0)) for f in ("x1sq", "x2sq"))
    zero_l2 = float(np.mean(np.concatenate(list(l2.values())) == 0))
    acc = _snap(runs).test_accuracy
    holds = zero_unneeded >= 0.9 and kept and zero_l2 == 0 and acc >= 0.95
    return Outcome(holds, {"zero_l1": zero_unneeded, "zero_l2": zero_l2, "acc": acc})


def _vanishing(runs: Runs) -> Outcome:
    sig, tanh = _snap(runs), _snap(runs, "tanh")
    ratio_sig = sig.grad_norms[0] / sig.grad_norms[-1]
    ratio_tanh = tanh.grad_norms[0] / tanh.grad_norms[-1]
    flat = _output_range(runs["main"][0])
    holds = (ratio_sig < 0.01 and ratio_tanh > 0.05 and 0.35 <= sig.test_accuracy <= 0.65 and flat < 0.05
             and tanh.test_accuracy >= 0.95)
    return Outcome(holds, {"first": sig.grad_norms[0], "last": sig.grad_norms[-1], "ratio": ratio_sig,
                           "ratio_tanh": ratio_tanh, "acc": sig.test_accuracy, "acc_tanh": tanh.test_accuracy,
                           "range": flat})


def _dead_relu(runs: Runs) -> Outcome:
    big, small = runs["main"][0], runs["small"][0]
    per_layer = _dead_per_layer(big)
    h = big.history.train_loss
    # the first recorded epoch from which the loss no longer moves
    frozen_from = next(big.history.epoch[i] for i in range(len(h))
                       if all(abs(v - h[-1]) <= 1e-9 * h[-1] for v in h[i:]))
    flat = _output_range(big)
    s, t = big.snapshot(), small.snapshot()
    holds = (per_layer[-1] == 1.0 and flat < 1e-9 and frozen_from <= 5 and s.train_loss >= 0.05
             and t.dead_relu <= 0.15 and t.train_loss <= 0.02)
    return Outcome(holds, {"dead": s.dead_relu, "dead_last": per_layer[-1], "dead_small": t.dead_relu,
                           "loss": s.train_loss, "loss_small": t.train_loss, "frozen_from": frozen_from})


def _zero_init(runs: Runs) -> Outcome:
    zero, rand = runs["main"][0], runs["random"][0]
    spread, spread_rand = _unit_spread(zero), _unit_spread(rand)
    moved = zero.snapshot().weight_norms[0]
    acc, acc_rand = zero.snapshot().test_accuracy, rand.snapshot().test_accuracy
    holds = spread < 1e-9 and moved > 1e-3 and acc <= 0.7 and acc_rand >= 0.95 and spread_rand > 0.1
    return Outcome(holds, {"spread": spread, "moved": moved, "acc": acc, "acc_random": acc_rand,
                           "spread_random": spread_rand})


# ---- the lessons ---------------------------------------------------------------------------------

_BASE = Config()
_XOR = _BASE.evolve(dataset="xor", layers=[], epochs=100)
_CIRCLE_LINE = _BASE.evolve(dataset="circle", layers=[], epochs=50)
_SPIRAL = _BASE.evolve(dataset="spiral", layers=_layers("16:tanh"), epochs=500)
_PLANE = _BASE.evolve(dataset="plane", problem="regression", layers=[], batch_size=500, epochs=60)
_NOISY = _BASE.evolve(dataset="xor", noise=50, n_samples=300, train_percent=10, init="he_uniform",
                      layers=_layers("16:relu,16:relu,16:relu"), epochs=800)
_NOISY_DROPOUT = _NOISY.evolve(layers=_layers("16:relu:d0.3,16:relu:d0.3,16:relu:d0.3"))
_NOISY_L2 = _NOISY.evolve(regularization="l2", regularization_rate=0.03)
_ALL_IN = _BASE.evolve(features=ALL_FEATURES, layers=_layers("4:tanh"), regularization_rate=0.01, epochs=300)
_DEEP = _BASE.evolve(layers=_layers(",".join(["8:sigmoid"] * 6)), epochs=200)
_RELU_PLANE = _BASE.evolve(dataset="plane", problem="regression", layers=_layers("8:relu,8:relu"), epochs=50)
_SYMMETRIC = _BASE.evolve(layers=_layers("4:sigmoid,4:sigmoid"), learning_rate=0.1, epochs=300)
_SPIRAL_RELU = _BASE.evolve(dataset="spiral", layers=_layers("8:relu,8:relu,8:relu"), init="he_uniform",
                            loss="bce", learning_rate=0.01, epochs=60)
_CIRCLE_FAST = _BASE.evolve(learning_rate=0.1, epochs=100)

LESSONS: list[Lesson] = [
    Lesson("gauss_line", "features", {"main": _BASE.evolve(dataset="gauss", layers=[], epochs=50)}, _gauss_line),
    Lesson("xor_hidden", "features", {"main": _XOR, "hidden": _XOR.evolve(layers=_layers("4:tanh"))}, _xor_hidden),
    Lesson("xor_cross", "features", {"main": _XOR.evolve(features=["x1x2"], epochs=50), "plain": _XOR},
           _xor_cross),
    Lesson("circle_squares", "features",
           {"main": _CIRCLE_LINE.evolve(features=["x1sq", "x2sq"]), "plain": _CIRCLE_LINE}, _circle_squares),
    Lesson("spiral", "features",
           {"main": _SPIRAL, "deep": _SPIRAL.evolve(layers=_layers("16:tanh,16:tanh,16:tanh")),
            "features": _SPIRAL.evolve(features=ALL_FEATURES)}, _spiral),
    Lesson("lr_high", "learning",
           {"main": _PLANE.evolve(learning_rate=0.3), "moderate": _PLANE.evolve(learning_rate=0.05)}, _lr_high),
    Lesson("lr_low", "learning",
           {"main": _BASE.evolve(learning_rate=0.0003, epochs=100), "normal": _BASE.evolve(epochs=100)}, _lr_low),
    Lesson("batch_size", "learning",
           {"main": _CIRCLE_FAST.evolve(batch_size=1), "batch50": _CIRCLE_FAST.evolve(batch_size=50)}, _batch),
    Lesson("adam", "learning",
           {"main": _SPIRAL_RELU.evolve(optimizer="adam"), "sgd": _SPIRAL_RELU}, _adam),
    Lesson("overfitting", "overfitting", {"main": _NOISY}, _overfitting, seeds=(2, 3, 4, 5)),
    Lesson("l2", "overfitting", {"main": _NOISY_L2, "none": _NOISY}, _regularised(0.8, 0.5), seeds=(2, 3, 4, 5)),
    Lesson("dropout", "overfitting", {"main": _NOISY_DROPOUT, "none": _NOISY}, _regularised(0.85, None),
           seeds=(2, 3)),
    Lesson("l1", "overfitting",
           {"main": _ALL_IN.evolve(regularization="l1"), "l2": _ALL_IN.evolve(regularization="l2")}, _l1),
    Lesson("vanishing", "inside",
           {"main": _DEEP, "tanh": _DEEP.evolve(layers=_layers(",".join(["8:tanh"] * 6)))}, _vanishing),
    Lesson("dead_relu", "inside",
           {"main": _RELU_PLANE.evolve(learning_rate=1.0), "small": _RELU_PLANE}, _dead_relu),
    Lesson("zero_init", "inside", {"main": _SYMMETRIC.evolve(init="zeros"), "random": _SYMMETRIC}, _zero_init),
]

BY_ID: dict[str, Lesson] = {lesson.id: lesson for lesson in LESSONS}


def lesson(lesson_id: str) -> Lesson:
    """The lesson with this id; KeyError names the known ones."""
    if lesson_id not in BY_ID:
        raise KeyError(f"unknown lesson {lesson_id!r}; known: {', '.join(BY_ID)}")
    return BY_ID[lesson_id]
