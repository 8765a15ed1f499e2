"""The network builder: features as toggles with their maps, +/- hidden layers, +/- neurons, a menu per
layer (activation, width, dropout, batch norm), and the live diagram under them."""

from __future__ import annotations

from dataclasses import replace
from functools import lru_cache

import streamlit as st

from playground import frames
from playground.config import MAX_LAYERS, MAX_UNITS, Layer
from playground.datasets import FEATURE_LABELS, FEATURES
from playground.model import ACTIVATIONS
from ui import canvas
from ui import playground_state as state
from ui.lang import t
from ui.playground_panels import heading
from ui.playground_widgets import trigger_value

NET_LABELS = ("layer", "output", "bias", "weight", "on", "off")
COMPACT_FROM = 4  # hidden layers from which each layer's controls shrink to one menu (columns get narrow)


def _toggle_feature(name: str) -> None:
    cfg = state.config()
    on = st.session_state.get(f"feature_{name}")
    chosen = [f for f in FEATURES if (f == name and on) or (f != name and f in cfg.features)]
    if not chosen:
        st.session_state[state.ERROR] = t("playground.need_feature")
        st.session_state[state.RESYNC] = True
        return
    state.change(features=chosen)


@lru_cache(maxsize=1)
def _feature_images() -> dict:
    maps = frames.feature_maps(40, 6.0)
    lut = frames.diverging_lut()
    return {name: lut[frames.flip_rows(maps[i])] for i, name in enumerate(FEATURES)}


def features_panel() -> None:
    """The seven inputs as toggles, each beside its own small map (the diagram toggles them too)."""
    cfg = state.config()
    if not state.shown("features"):
        return
    images = _feature_images()
    n = len(cfg.features)
    label = str(n) if len(cfg.layers) >= COMPACT_FROM else t("playground.features_n", n=n)
    with st.popover(label, key="features_menu", width="stretch", help=t("playground.features_sub")):
        st.caption(t("playground.features_sub"))
        for name in FEATURES:
            pic, toggle = st.columns([1, 3], vertical_alignment="center")
            pic.image(images[name], width=34)
            state.seed_widget(f"feature_{name}", name in cfg.features)
            toggle.toggle(FEATURE_LABELS[name], key=f"feature_{name}", on_change=_toggle_feature, args=(name,))


def _set_layers(layers: list[Layer]) -> None:
    state.change(layers=layers)
    st.session_state[state.RESYNC] = True


# The +/- buttons bind the result they ask for (a layer count, a width), not a step, so a click delivered
# twice while timed reruns are in flight changes the network once.


def _add_layer(count: int) -> None:
    layers = list(state.config().layers)
    if len(layers) == count < MAX_LAYERS:
        last = layers[-1] if layers else Layer(4, "tanh")
        _set_layers([*layers, Layer(last.units, last.activation)])


def _remove_layer(count: int, i: int | None = None) -> None:
    layers = list(state.config().layers)
    if layers and len(layers) == count:
        layers.pop(len(layers) - 1 if i is None else i)
        _set_layers(layers)


def _resize_layer(i: int, units: int) -> None:
    layers = list(state.config().layers)
    if i < len(layers):
        layers[i] = replace(layers[i], units=min(MAX_UNITS, max(1, units)))
        _set_layers(layers)


def _edit_layer(i: int, field: str) -> None:
    layers = list(state.config().layers)
    value = st.session_state.get(f"layer{i}_{field}")
    if value is None or i >= len(layers):
        return
    layers[i] = replace(layers[i], **{field: value})
    state.change(layers=layers)


def network_panel() -> None:
    """Features, hidden layers (+/- layers, +/- neurons, a menu per layer) and the live diagram."""
    cfg = state.config()
    editable = state.shown("layers")
    n = len(cfg.layers)
    head = st.container(horizontal=True, vertical_alignment="center", gap="small")
    with head:
        heading("playground.features")
        st.space("stretch")
        if editable:
            st.button("", key="remove_layer", icon=":material/remove:", on_click=_remove_layer, args=(n,),
                      disabled=not cfg.layers, help=t("playground.remove_layer"), type="tertiary")
            st.button("", key="add_layer", icon=":material/add:", on_click=_add_layer, args=(n,),
                      disabled=n >= MAX_LAYERS, help=t("playground.add_layer"), type="tertiary")
        title = t("playground.hidden_layers", n=n)
        st.markdown(f"<div class='np-head' style='margin:0;line-height:2rem'>{title}</div>", unsafe_allow_html=True)
        st.space("stretch")
    cols = st.columns(n + 2, gap="small")
    with cols[0]:
        features_panel()
    for i, layer in enumerate(cfg.layers):
        with cols[i + 1]:
            layer_controls(i, layer, editable, compact=len(cfg.layers) >= COMPACT_FROM)
    canvas.network("network", labels={k: t(f"playground.net.{k}") for k in NET_LABELS},
                   features_clickable=state.shown("features"), on_feature=_feature_clicked)
    st.caption(t("playground.network_caption"))
    if state.shown("health"):
        heading("playground.health.title")
        canvas.layer_health("health", labels={"layer": t("playground.net.layer"), "output": t("playground.net.output"),
                                              **{k: t(f"playground.health.{k}") for k in ("grad", "off", "off_long")}})
        st.caption(t("playground.health.caption"))


def layer_controls(i: int, layer: Layer, editable: bool, compact: bool = False) -> None:
    """+/- neurons, the width, and a menu with the rest; narrow columns (many layers) get the menu only."""
    extras = (" · d" if layer.dropout else "") + (" · bn" if layer.batch_norm else "")
    label = f"{t('playground.neurons', n=layer.units)}"
    if compact:
        if editable:
            with st.popover(str(layer.units), key=f"layer{i}_menu", width="stretch",
                            help=f"{label} · {layer.activation}{extras}"):
                layer_menu(i, layer, label)
        else:
            st.markdown(f"<p class='np-units'>{layer.units}</p>", unsafe_allow_html=True)
        return
    if editable:
        row = st.container(horizontal=True, horizontal_alignment="center", gap="small")
        row.button("", key=f"layer{i}_minus", icon=":material/remove:", on_click=_resize_layer,
                   args=(i, layer.units - 1),
                   disabled=layer.units <= 1, type="tertiary", help=t("playground.fewer_neurons"))
        row.button("", key=f"layer{i}_plus", icon=":material/add:", on_click=_resize_layer,
                   args=(i, layer.units + 1),
                   disabled=layer.units >= MAX_UNITS, type="tertiary", help=t("playground.more_neurons"))
    st.markdown(f"<p class='np-units'>{label}</p>", unsafe_allow_html=True)
    if not editable:
        st.markdown(f"<p class='np-units'>{layer.activation}{extras}</p>", unsafe_allow_html=True)
        return
    with st.popover(f"{layer.activation}{extras}", key=f"layer{i}_menu", width="stretch",
                    help=t("playground.layer_menu_help")):
        layer_menu(i, layer, label)


def layer_menu(i: int, layer: Layer, label: str) -> None:
    """One hidden layer's width, activation, dropout and batch norm, and a way to remove it."""
    st.markdown(f"**{t('playground.layer_n', n=i + 1)}** · {label}")
    for field, widget, kwargs in (
        ("units", st.slider, dict(min_value=1, max_value=MAX_UNITS)),
        ("activation", st.selectbox, dict(options=list(ACTIVATIONS))),
        ("dropout", st.slider, dict(min_value=0.0, max_value=0.9, step=0.05)),
        ("batch_norm", st.toggle, {}),
    ):
        key = f"layer{i}_{field}"
        state.seed_widget(key, getattr(layer, field))
        widget(t(f"playground.layer_{field}"), key=key, on_change=_edit_layer, args=(i, field), **kwargs)
    st.button(t("playground.remove_this_layer"), key=f"layer{i}_remove", icon=":material/delete:",
              on_click=_remove_layer, args=(len(state.config().layers), i))


def _feature_clicked() -> None:
    """A click on an input neuron in the diagram switches that feature (at least one stays on)."""
    picked = trigger_value("network", "feature")
    name = picked.get("name") if isinstance(picked, dict) else None
    cfg = state.config()
    if name not in FEATURES or not state.shown("features"):
        return
    chosen = [f for f in FEATURES if (f in cfg.features) != (f == name)]
    if not chosen:
        st.session_state[state.ERROR] = t("playground.need_feature")
        return
    state.change(features=chosen)
    st.session_state[state.RESYNC] = True
