"""Activations and losses: each function with its derivative from autograd, at any point the user picks."""

from __future__ import annotations

import streamlit as st

from playground.activation_info import (
    ACTIVATION_FORMULAS,
    LOSS_FORMULAS,
    LOSS_NAMES,
    LOSS_VIEWS,
    X_RANGE,
    activation_at,
    activation_curve,
    loss_curve,
    loss_values,
)
from playground.model import ACTIVATIONS
from playground.teaching_figures import activation_figure, loss_curve_figure
from ui.lang import current, t

CE_CLASSES = ("A", "B", "C")
PRED_LABELS = {"mse": "value", "mae": "value", "huber": "value", "bce": "logit", "hinge": "score",
               "ce": "class_logit"}
PRED_SYMBOLS = {"value": "ŷ", "logit": "z", "score": "s", "class_logit": "z_A"}


@st.cache_data(show_spinner=False)
def cached_activation_curve(name: str):
    return activation_curve(name)


@st.cache_data(show_spinner=False)
def cached_loss_curve(name: str, target: float, delta: float):
    return loss_curve(name, target, delta)


def _fmt(v: float) -> str:
    return f"{v:.4g}"


def activation_panel() -> None:
    st.header(t("activations.section.act"))
    controls, chart = st.columns([1, 2], gap="large")
    with controls:
        name = st.selectbox(t("activations.act_choice"), list(ACTIVATIONS), key="act_choice",
                            format_func=lambda n: t(f"activations.name.{n}"))
        x = st.slider(t("activations.act_x"), X_RANGE[0], X_RANGE[1], 1.0, step=0.1, key="act_x")
        fx, dfx = (float(v) for v in activation_at(name, x))
        curve = cached_activation_curve(name)
        st.metric(t("activations.metric.f"), _fmt(fx))
        st.metric(t("activations.metric.df"), _fmt(dfx))
        if any(a <= x <= b for a, b in curve.dead) and dfx == 0:
            st.error(t("activations.at.dead", x=_fmt(x)))
        elif any(a <= x <= b for a, b in curve.saturating):
            st.warning(t("activations.at.saturating", x=_fmt(x), d=_fmt(dfx)))
        else:
            st.info(t("activations.at.active", x=_fmt(x), d=_fmt(dfx)))
    with chart:
        st.latex(ACTIVATION_FORMULAS[name])
        st.plotly_chart(activation_figure(curve, x, fx, dfx, current()), key="act_chart",
                        config={"displaylogo": False}, theme=None)
        st.caption(t("activations.regions"))
    st.markdown(t(f"activations.explain.{name}"))


def target_input(name: str) -> float:
    """The target widget that suits the loss: a number, a class 0/1, a label ±1 or one of three classes."""
    view = LOSS_VIEWS[name]
    if name == "ce":
        c = st.radio(t("activations.target_ce"), range(len(CE_CLASSES)), horizontal=True, key="loss_target_ce",
                     format_func=lambda i: t("activations.class", name=CE_CLASSES[i]))
        return float(c)
    if view.targets is not None:
        label = t("activations.target_bce") if name == "bce" else t("activations.target_hinge")
        options = list(view.targets)
        return float(st.radio(label, options, index=len(options) - 1, horizontal=True, key=f"loss_target_{name}",
                              format_func=lambda v: f"{v:+d}" if name == "hinge" else str(v)))
    lo, hi = view.target_range
    return float(st.slider(t("activations.target"), lo, hi, 0.5, step=0.1, key="loss_target_value"))


def loss_panel() -> None:
    st.header(t("activations.section.loss"))
    controls, chart = st.columns([1, 2], gap="large")
    with controls:
        name = st.selectbox(t("activations.loss_choice"), LOSS_NAMES, key="loss_choice",
                            format_func=lambda n: t(f"activations.lossname.{n}"))
        target = target_input(name)
        delta = 1.0
        if name == "huber":
            delta = float(st.slider(t("activations.delta"), 0.1, 3.0, 1.0, step=0.1, key="loss_delta"))
        lo, hi = LOSS_VIEWS[name].pred_range
        axis_label = t(f"activations.pred.{PRED_LABELS[name]}")
        pred = float(st.slider(axis_label, lo, hi, (lo + hi) / 2 - 1.0, step=0.1, key=f"loss_pred_{lo:g}_{hi:g}"))
        value, grad = (float(v[0]) for v in loss_values(name, [pred], target, delta))
        m1, m2 = st.columns(2)
        m1.metric(t("activations.metric.loss"), _fmt(value))
        symbol = PRED_SYMBOLS[PRED_LABELS[name]]
        m2.metric(t("activations.metric.grad", sym=symbol), _fmt(grad))
        direction = "none" if grad == 0 else ("up" if grad < 0 else "down")
        shown = f"({_fmt(grad)})" if grad < 0 else _fmt(grad)
        st.info(t("activations.loss_step", g=shown, direction=t(f"activations.direction.{direction}")))
    with chart:
        st.latex(LOSS_FORMULAS[name])
        curve = cached_loss_curve(name, target, delta)
        fig = loss_curve_figure(curve, pred, value, grad, axis_label, current(),
                                target_line=LOSS_VIEWS[name].targets is None, symbol=symbol)
        st.plotly_chart(fig, key="loss_chart_act", config={"displaylogo": False}, theme=None)
    st.markdown(t(f"activations.lossexplain.{name}"))


st.title(t("activations.title"))
st.markdown(t("activations.intro"))
activation_panel()
st.divider()
loss_panel()
