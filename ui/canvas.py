"""The live canvas: one small st.components.v2 component (inline JS, no build step, no network).

The views (decision boundary, network diagram, loss curve, epoch counter, losses) are mounted once in
their places and keep only their options; each tick, the live fragment sends its snapshots (a bundle
from playground/frames.py) to a single invisible `feed` mount, which hands them to every view in the
page, spaced over the tick. One element per tick keeps the tick cheap. Clicks come back as triggers.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import streamlit as st

HERE = Path(__file__).parent

CSS = """
.np-canvas { position: relative; width: 100%; user-select: none; }
.np-canvas canvas { display: block; }
.np-tip {
  display: none; position: absolute; z-index: 5; pointer-events: none; white-space: nowrap;
  background: rgba(31, 36, 48, 0.92); color: #fff; font: 12px/1.35 sans-serif;
  padding: 3px 7px; border-radius: 4px;
}
"""


@lru_cache(maxsize=1)
def _component():
    js = (HERE / "canvas.js").read_text(encoding="utf-8")
    return st.components.v2.component("neural_playground_canvas", js=js, css=CSS, isolate_styles=False)


def _mount(key: str, data: dict, **callbacks):
    return _component()(key=key, data=data, height="content", **callbacks)


def feed(key: str, bundle: dict, on_wake=None):
    """The one element the live fragment redraws each tick: it passes the tick's snapshots to every view.
    While playing, a feed that has heard nothing for a long while calls `on_wake` (see canvas.js)."""
    return _mount(key, {"kind": "feed", **bundle}, on_wake_change=on_wake or _ignore)


def boundary(key: str, *, show_test: bool, discretize: bool, clickable: bool, max_size: int = 560, on_click=None):
    """The decision boundary with its points; on custom data a click reports (x1, x2)."""
    data = {"kind": "boundary", "show_test": show_test, "discretize": discretize, "clickable": clickable,
            "max_size": max_size}
    return _mount(key, data, on_click_change=on_click or _ignore)


def network(key: str, *, labels: dict, features_clickable: bool, max_height: int = 520, on_feature=None):
    """Every neuron as a small map of its output, links coloured by sign and widened by |weight|."""
    data = {"kind": "network", "labels": labels, "features_clickable": features_clickable, "max_height": max_height}
    return _mount(key, data, on_feature_change=on_feature or _ignore)


def loss_chart(key: str, *, labels: dict, height: int = 90):
    """Train (grey) and test (dark) loss against epoch."""
    return _mount(key, {"kind": "loss", "labels": labels, "height": height})


def layer_health(key: str, *, labels: dict):
    """Each layer's gradient size on a log scale, and how many of its ReLUs are switched off."""
    return _mount(key, {"kind": "health", "labels": labels})


def epoch_counter(key: str, *, labels: dict):
    """The epoch number as text (readable by people, screen readers and tests)."""
    return _mount(key, {"kind": "epoch", "labels": labels})


def metrics(key: str, *, labels: dict):
    """Test and training loss (and accuracy) as text."""
    return _mount(key, {"kind": "metrics", "labels": labels})


def gallery(key: str, items: list[dict], *, selected: str, palette: list[str], lut_points: str,
            disabled: bool = False, on_pick=None):
    """Dataset thumbnails; a click reports the picked dataset's name."""
    data = {"kind": "gallery", "items": items, "selected": selected, "palette": palette,
            "lut_points": lut_points, "disabled": disabled}
    return _mount(key, data, on_pick_change=on_pick or _ignore)


def _ignore():
    """Trigger values are read in each view's own callback; nothing to do otherwise."""
