"""Share and keep: the link (with controls a teacher hides), presets, downloads and uploads; and the
interactive Plotly views of a paused run."""

from __future__ import annotations

import importlib.util
from urllib.parse import urlencode

import streamlit as st

from playground import export, figures, inspection
from playground.config import Config, ConfigError
from playground.datasets import points_to_csv
from playground.export import WeightsError
from playground.frames import boundary_mode
from playground.presets import PRESETS, preset
from ui import playground_state as state
from ui.lang import t

# Controls a link can hide (hide=a,b,c): config keys and the page's own groups.
HIDEABLE = ("dataset", "noise", "train_percent", "n_samples", "batch_size", "seed", "features", "layers",
            "activation", "learning_rate", "optimizer", "loss", "regularization", "regularization_rate", "problem",
            "more", "speed", "step", "reset", "test", "discretize", "inspect", "health", "presets", "share")


def presets_picker() -> None:
    """Start from a classic experiment (TF Playground's default, XOR, spiral, overfitting, ...)."""
    if state.shown("presets"):
        st.selectbox(t("playground.presets"), list(PRESETS), index=None, key="preset", on_change=_load_preset,
                     placeholder=t("playground.preset_placeholder"), width=200, label_visibility="collapsed",
                     format_func=lambda n: f"{n} — {PRESETS[n][0]}")


def share_panel() -> None:
    """A menu with the link to this exact experiment, downloads and uploads."""
    if not state.shown("share"):
        return
    with st.popover(t("playground.share_button"), icon=":material/share:", key="share_menu"):
        share_contents()


def share_contents() -> None:
    cfg, tr = state.config(), state.trainer()
    st.markdown(f"**{t('playground.share')}**")
    hide = st.multiselect(t("playground.hide_pick"), HIDEABLE, key="hide_pick", help=t("playground.hide_help"),
                          default=sorted(st.session_state.get(state.HIDDEN, frozenset()) & set(HIDEABLE)))
    st.code(share_link(cfg, hide), language=None, wrap_lines=False)
    st.caption(t("playground.link_caption"))
    left, right = st.columns(2)
    left.download_button(t("playground.download_config"), cfg.to_json(), "playground-config.json",
                       "application/json", key="download_config", icon=":material/download:", on_click="ignore",
                       width="stretch")
    right.download_button(t("playground.download_weights"), lambda: export.weights_bytes(tr),
                       "playground-weights.safetensors", "application/octet-stream", key="download_weights",
                       icon=":material/download:", on_click="ignore", width="stretch")
    ready = importlib.util.find_spec("playground.codegen") is not None
    left.download_button(t("playground.download_script"), lambda: export.pytorch_script(cfg), "train_playground.py",
                       "text/x-python", key="download_script", icon=":material/download:", on_click="ignore",
                       width="stretch", disabled=not ready,
                       help=None if ready else t("playground.script_unavailable"))
    if cfg.dataset == "custom" and cfg.points:
        right.download_button(t("playground.download_points"), points_to_csv(cfg.points), "playground-points.csv",
                           "text/csv", key="download_points", icon=":material/download:", on_click="ignore",
                           width="stretch")
    left, right = st.columns(2)
    left.file_uploader(t("playground.upload_config"), type=["json"], key="config_upload", on_change=_config_uploaded)
    right.file_uploader(t("playground.upload_weights"), type=["safetensors"], key="weights_upload",
                     on_change=_weights_uploaded, help=t("playground.upload_weights_help"))


def share_link(cfg: Config, hide: list[str]) -> str:
    base = st.context.url or ""
    params = dict(cfg.to_query())
    lang = st.query_params.get("lang")
    if lang:
        params["lang"] = lang
    if hide:
        params["hide"] = ",".join(hide)
    return f"{base}?{urlencode(params, safe=',:')}"


def _load_preset() -> None:
    name = st.session_state.get("preset")
    if name in PRESETS:
        state.load(preset(name))
    st.session_state["preset"] = None


def _config_uploaded() -> None:
    upload = st.session_state.get("config_upload")
    if upload is None:
        return
    try:
        state.load(Config.from_json(upload.getvalue()))
    except ConfigError as err:
        st.session_state[state.ERROR] = t("playground.config_error", message=str(err))


def _weights_uploaded() -> None:
    upload = st.session_state.get("weights_upload")
    if upload is None:
        return
    try:
        export.load_weights(state.trainer(), upload.getvalue())
    except WeightsError as err:
        st.session_state[state.ERROR] = t("playground.weights_error", message=str(err))
        return
    state.pause()
    st.session_state.pop(state.ERROR, None)


# ---- inspect: Plotly views with hover and zoom while paused --------------------------------------


def inspect_panel() -> None:
    if not st.session_state.get("inspect"):
        return
    if state.playing():
        st.caption(t("playground.inspect_paused"))
        return
    tr, cfg = state.trainer(), state.config()
    grid = inspection.decision_grid(tr, 100)
    mode = boundary_mode(cfg)
    tabs = [t("playground.tab.boundary"), t("playground.tab.network"), t("playground.tab.loss")]
    if cfg.problem == "classification":
        tabs.append(t("playground.tab.confusion"))
    views = st.tabs(tabs)
    with views[0]:
        st.plotly_chart(figures.boundary_figure(grid, tr.data, mode, show_test=st.session_state.get("show_test", True),
                                                discretize=st.session_state.get("discretize", False), size=560),
                        key="inspect_boundary")
    with views[1]:
        st.plotly_chart(figures.network_figure(cfg, inspection.weights(tr), inspection.decision_grid(tr, 30)),
                        key="inspect_network")
    with views[2]:
        log_y = st.toggle(t("playground.log_scale"), key="inspect_log")
        st.plotly_chart(figures.loss_figure(tr.history.to_dict(), log_y=log_y, size=360), key="inspect_loss")
    if cfg.problem == "classification":
        with views[3]:
            split = st.segmented_control(t("playground.split"), ["test", "train"], key="inspect_split",
                                         format_func=lambda s: t(f"playground.split.{s}"), default="test")
            st.plotly_chart(figures.confusion_figure(inspection.confusion_matrix(tr, split or "test")),
                            key="inspect_confusion")
