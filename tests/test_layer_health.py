"""The Playground's layer-health view: what each frame carries about gradients and switched-off ReLUs,
checked on the lessons' own experiments (vanishing gradients, dead ReLUs)."""

from __future__ import annotations

from playground import frames, inspection
from playground.lessons import lesson
from playground.training import Trainer


def frame_after(config, epochs: int) -> dict:
    tr = Trainer(config)
    tr.run(epochs, budget=False)
    return frames.build_frame(tr, inspection.decision_grid(tr, 40), tr.snapshot())


def test_deep_sigmoid_shows_a_vanishing_gradient_and_tanh_does_not():
    item = lesson("vanishing")
    sigmoid = frame_after(item.runs["main"], 30)["health"]
    tanh = frame_after(item.runs["tanh"], 30)["health"]
    assert len(sigmoid["grad"]) == 7 and len(sigmoid["dead"]) == 7  # six hidden layers and the output
    assert sigmoid["grad"][0] < sigmoid["grad"][-1] / 100
    assert tanh["grad"][0] > tanh["grad"][-1] / 20
    assert all(d is None for d in sigmoid["dead"])  # no ReLU layers: nothing to switch off


def test_a_large_step_switches_relus_off_and_a_small_one_does_not():
    item = lesson("dead_relu")
    big = frame_after(item.runs["main"], item.main.epochs)["health"]
    small = frame_after(item.runs["small"], item.main.epochs)["health"]
    relu_layers = [i for i, layer in enumerate(item.main.layers) if layer.activation == "relu"]
    assert relu_layers and max(big["dead"][i] for i in relu_layers) >= 0.5
    assert max(small["dead"][i] for i in relu_layers) <= 0.25
    assert big["dead"][-1] is None  # the output layer is not a ReLU layer
