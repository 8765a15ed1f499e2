"""The Playground's panels, laid out like TF Playground: controls on top, then data, network, output.

Each panel draws its widgets (seeded from the config, writing back to it) and mounts its live views
(epoch counter, network diagram, losses, loss curve, boundary), which the live fragment's feed redraws.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import streamlit as st

from playground import frames
from playground.config import Config
from playground.datasets import DATASETS, DataError, make_data, parse_csv
from ui import canvas
from ui import playground_state as state
from ui.lang import t
from ui.playground_training import problem_picker
from ui.playground_widgets import bind, trigger_value

CSS = """
<style>
[data-testid="stMainBlockContainer"] { padding: 1.4rem 2rem 2rem 2rem; }
.np-head { font-size: 0.78rem; font-weight: 700; letter-spacing: .06em; color: #5f6b7a;
           text-transform: uppercase; margin: 0 0 .15rem 0; }
.np-sub { font-size: 0.8rem; color: #6b7480; margin: -.1rem 0 .35rem 0; line-height: 1.25; }
.np-epoch-label { font-size: .72rem; color: #6b7480; text-transform: uppercase; letter-spacing: .06em; }
.np-epoch { font: 600 1.9rem/1.05 ui-monospace, SFMono-Regular, Menlo, monospace; color: #1f2430;
            font-variant-numeric: tabular-nums; }
.st-key-epoch { min-width: 8.6rem; margin: 0 .4rem; }
.np-metrics { display: grid; grid-template-columns: auto auto; justify-content: start; column-gap: .8rem;
              font-size: .92rem; line-height: 1.35; color: #3c4653; }
.np-metrics b { font-variant-numeric: tabular-nums; color: #1f2430; }
.np-metrics i { display: inline-block; width: 14px; margin-right: 6px; vertical-align: middle;
                border-top: 2px solid #1f2430; }
.np-metrics i.train { border-top-color: #9aa3ad; }
.np-metrics i.none { border-top-color: transparent; }
[class*="st-key-layer"][class*="_menu"] button, .st-key-features_menu button {
  padding-left: .3rem; padding-right: .2rem; gap: .1rem; justify-content: center; }
.np-units { text-align: center; font-size: .8rem; color: #3c4653; margin: 0; white-space: nowrap; }
.np-legend { display: flex; align-items: center; gap: .4rem; font-size: .75rem; color: #6b7480; }
.np-legend .bar { flex: 1; height: 10px; border-radius: 2px;
                  background: linear-gradient(90deg, #f59322, #e8eaeb, #0877bd); }
</style>
"""

CLASS_DOTS = (":orange[●]", ":blue[●]", ":green[●]", ":violet[●]", ":red[●]")  # the canvas palette's hues


def style() -> None:
    st.markdown(CSS, unsafe_allow_html=True)


def heading(key: str, sub: str | None = None) -> None:
    st.markdown(f"<div class='np-head'>{t(key)}</div>", unsafe_allow_html=True)
    if sub:
        st.markdown(f"<div class='np-sub'>{t(sub)}</div>", unsafe_allow_html=True)


# ---- controls: play / step / reset, the epoch counter, speed --------------------------------------


def controls() -> None:
    """Play/pause, step, reset, the live epoch counter, and the speed."""
    playing = state.playing()
    st.button(t("playground.pause" if playing else "playground.play"), key="play", type="primary",
              icon=":material/pause:" if playing else ":material/play_arrow:", on_click=state.set_playing,
              args=(not playing,), disabled=not state.can_train(), help=t("playground.play_help"))
    if state.shown("step"):
        st.button("", key="step", icon=":material/skip_next:", on_click=state.step,
                  disabled=not state.can_train(), help=t("playground.step_help"))
    if state.shown("reset"):
        st.button("", key="reset", icon=":material/replay:", on_click=state.reset,
                  help=t("playground.reset_help"))
    with st.container(width=150):
        canvas.epoch_counter("epoch", labels={"epoch": t("playground.epoch")})
    if state.shown("speed"):
        if st.session_state.get("speed") not in state.SPEEDS:
            st.session_state["speed"] = state.DEFAULT_SPEED
        st.select_slider(t("playground.speed"), options=state.SPEEDS, key="speed", width=170,
                         format_func=lambda s: t("playground.speed_max") if s == 0 else f"{s:g}/s",
                         help=t("playground.speed_help"))


# ---- data ----------------------------------------------------------------------------------------


@lru_cache(maxsize=64)
def _thumbnail(name: str, n_classes: int) -> dict:
    """A dataset's look at noise 0: quantised points with a colour index each (seed fixed)."""
    spec = DATASETS[name]
    cfg = Config(dataset=name, problem=spec.problem or "classification", n_samples=160,
                 loss="ce" if (spec.classes or n_classes) > 2 else "square", n_classes=n_classes)
    data = make_data(cfg)
    mode = frames.boundary_mode(cfg)
    block = frames.points_block(data, mode, 1.0)
    return {"name": name, "mode": mode, "xy": block["xy"], "c": block["c"]}


def _custom_thumbnail(points: list, problem: str) -> dict:
    """The user's own points, scaled like the boundary shows them."""
    pts = np.asarray(points, dtype=float).reshape(-1, 3)
    d = max(6.0, float(np.abs(pts[:, :2]).max()) * 1.1) if len(pts) else 6.0
    q = np.clip(np.round((pts[:, :2] + d) / (2 * d) * 65535), 0, 65535).astype("<u2")
    if problem == "regression":
        colour = frames.to_u8(pts[:, 2], -frames.regression_scale(pts[:, 2]), frames.regression_scale(pts[:, 2]))
        return {"name": "custom", "mode": "regression", "xy": frames.b64(q), "c": frames.b64(colour)}
    return {"name": "custom", "mode": "classes", "xy": frames.b64(q), "c": frames.b64(pts[:, 2].astype(np.uint8) % 5)}


def _pick_dataset() -> None:
    name = trigger_value("dataset_gallery", "pick")
    if name in DATASETS and state.shown("dataset"):
        state.change(dataset=name)
        st.session_state[state.RESYNC] = True


def data_panel() -> None:
    """Dataset (thumbnails and picker), training share, noise, points, batch size, regenerate."""
    cfg = state.config()
    heading("playground.data", "playground.data_sub")
    if state.shown("dataset"):
        items = []
        for name in DATASETS:
            item = _custom_thumbnail(cfg.points, cfg.problem) if name == "custom" else _thumbnail(name, cfg.n_classes)
            items.append({**item, "label": t(f"playground.ds.{name}")})
        canvas.gallery("dataset_gallery", items, selected=cfg.dataset, lut_points=frames.lut_b64("diverging", 2),
                       palette=[frames.hex_color(c) for c in frames.CLASS_COLORS], on_pick=_pick_dataset)
        bind(st.selectbox, "dataset", t("playground.dataset"), options=list(DATASETS),
             format_func=lambda n: t(f"playground.ds.{n}"), help=t(f"playground.dsd.{cfg.dataset}"))
    problem_picker()
    if cfg.dataset == "blobs" and state.shown("n_classes"):
        bind(st.slider, "n_classes", t("playground.n_classes"), min_value=3, max_value=5)
    if cfg.dataset == "custom":
        custom_tools(cfg)
    if state.shown("train_percent"):
        bind(st.slider, "train_percent", t("playground.train_percent"), min_value=10, max_value=90, step=5,
             format="%d%%")
    if state.shown("noise") and cfg.dataset != "custom":
        bind(st.slider, "noise", t("playground.noise"), min_value=0, max_value=50, step=5,
             to_widget=lambda v: int(round(v)), from_widget=float)
    if state.shown("n_samples") and cfg.dataset != "custom":
        bind(st.slider, "n_samples", t("playground.n_samples"), min_value=50, max_value=2000, step=50)
    if state.shown("batch_size"):
        bind(st.slider, "batch_size", t("playground.batch_size"), min_value=1,
             max_value=max(100, cfg.batch_size), help=t("playground.batch_size_help"))
    if state.shown("seed"):
        st.button(t("playground.regenerate"), key="regenerate", icon=":material/casino:",
                  on_click=state.regenerate, help=t("playground.regenerate_help"), width="stretch")


def custom_tools(cfg: Config) -> None:
    """Custom data: the class a click adds, undo, clear, and CSV import."""
    st.caption(t("playground.custom_count", n=len(cfg.points)))
    if cfg.problem == "classification":
        if st.session_state.get("point_label") not in range(5):
            st.session_state["point_label"] = 1
        st.pills(t("playground.point_class"), options=[0, 1, 2, 3, 4], key="point_label",
                 format_func=lambda k: f"{CLASS_DOTS[k]} {k}")
    else:
        if not isinstance(st.session_state.get("point_label"), float):
            st.session_state["point_label"] = 1.0
        st.slider(t("playground.point_value"), -1.0, 1.0, step=0.1, key="point_label")
    undo, clear = st.columns(2)
    undo.button(t("playground.undo"), key="undo_point", width="stretch",
                on_click=state.undo_points, disabled=not st.session_state.get(state.UNDO))
    clear.button(t("playground.clear"), key="clear_points", width="stretch",
                 on_click=state.set_points, args=([],), disabled=not cfg.points)
    st.file_uploader(t("playground.csv"), type=["csv", "txt"], key="csv_upload", on_change=_csv_uploaded,
                     help=t("playground.csv_help"))


def _csv_uploaded() -> None:
    upload = st.session_state.get("csv_upload")
    if upload is None:
        return
    cfg = state.config()
    try:
        points = parse_csv(upload.getvalue(), problem=cfg.problem)
    except DataError as err:
        st.session_state[state.ERROR] = t("playground.csv_error", message=str(err))
        return
    state.set_points(points)


# ---- output --------------------------------------------------------------------------------------


def output_panel() -> None:
    """Losses, the loss curve, the decision boundary, how it is shown, and what went wrong."""
    cfg = state.config()
    heading("playground.output")
    canvas.metrics("metrics", labels={k: t(f"playground.{k}") for k in ("test_loss", "train_loss", "test_accuracy")})
    canvas.loss_chart("loss_chart", labels={"epoch": t("playground.epoch")})
    banner(cfg)
    canvas.boundary("boundary", show_test=st.session_state.get("show_test", False),
                    discretize=st.session_state.get("discretize", False),
                    clickable=cfg.dataset == "custom" and state.shown("dataset"), on_click=_boundary_clicked)
    row = st.container(horizontal=True, gap="small")
    with row:
        if state.shown("test"):
            st.session_state.setdefault("show_test", False)
            st.toggle(t("playground.show_test"), key="show_test")
        if state.shown("discretize"):
            st.session_state.setdefault("discretize", False)
            st.toggle(t("playground.discretize"), key="discretize")
        if state.shown("inspect"):
            st.toggle(t("playground.inspect"), key="inspect", disabled=state.playing())
    data = state.trainer().data
    scale = frames.regression_scale(np.concatenate([data.train_labels, data.test_labels])) \
        if cfg.problem == "regression" else 1.0
    low, high = f"{-scale:g}", f"{scale:g}"
    if cfg.problem == "classification" and cfg.loss == "ce":
        st.caption(t("playground.legend_classes"))
    else:
        st.markdown(f"<div class='np-legend'>{low}<div class='bar'></div>{high}</div>", unsafe_allow_html=True)
        st.caption(t("playground.legend_regression" if cfg.problem == "regression" else "playground.legend_binary"))
    if cfg.dataset == "custom" and state.shown("dataset"):
        st.caption(t("playground.click_to_add"))


def banner(cfg: Config) -> None:
    """Divergence (with what to try), early stopping, or custom data too small to train."""
    snap = state.trainer().snapshot()
    if snap.status == "diverged":
        st.error(t("playground.diverged", epoch=snap.epoch), icon=":material/warning:")
    elif snap.status == "done" and snap.message:
        st.info(t("playground.early_stopped", epoch=snap.epoch), icon=":material/flag:")
    elif not state.can_train(cfg):
        st.info(t("playground.custom_empty"), icon=":material/ads_click:")


def _boundary_clicked() -> None:
    """A click on the output adds a point of the chosen class (or value) to the custom data."""
    click = trigger_value("boundary", "click")
    cfg = state.config()
    if not isinstance(click, dict) or cfg.dataset != "custom":
        return
    try:
        x1, x2 = float(click["x1"]), float(click["x2"])
    except (KeyError, TypeError, ValueError):
        return
    label = st.session_state.get("point_label")
    if cfg.problem == "classification":
        label = int(label) if label in range(5) else 1
    else:
        label = float(label) if isinstance(label, (int, float)) else 1.0
    state.set_points([*cfg.points, [round(x1, 2), round(x2, 2), label]])
