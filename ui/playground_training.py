"""Training knobs: learning rate, activation, optimizer (and its knobs), loss, regularisation, problem,
and a "more" menu with schedule, initialiser, seed, batching and stopping rules."""

from __future__ import annotations

import streamlit as st

from playground.config import Layer
from playground.datasets import DATASETS
from playground.losses import BINARY_LOSSES, LOSSES
from playground.model import ACTIVATIONS, INITS
from playground.optim import OPTIMIZER_KNOBS, OPTIMIZERS, SCHEDULES
from ui import playground_state as state
from ui.lang import t
from ui.playground_widgets import bind, choices_with, limits, number_label

LEARNING_RATES = (0.00001, 0.0001, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0)
REG_RATES = (0.0, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0)
EPS_CHOICES = (1e-10, 1e-8, 1e-6, 1e-4, 1e-2)
DECAY_CHOICES = (0.0, 1e-5, 1e-4, 1e-3, 1e-2, 1e-1)
MIXED = "mixed"
W = 112  # px: each knob in the bar


def training_panel() -> None:
    """The knobs bar; learning rate, optimizer knobs and regularisation change without a reset."""
    cfg = state.config()
    if state.shown("learning_rate"):
        bind(st.selectbox, "learning_rate", t("playground.learning_rate"), width=W,
             options=choices_with(cfg.learning_rate, LEARNING_RATES), format_func=number_label)
    if state.shown("activation") and state.shown("layers") and cfg.layers:
        activation_picker(cfg)
    if state.shown("optimizer"):
        bind(st.selectbox, "optimizer", t("playground.optimizer"), options=list(OPTIMIZERS), width=W + 12,
             format_func=lambda o: t(f"playground.opt.{o}"))
    if state.shown("loss"):
        bind(st.selectbox, "loss", t("playground.loss"), options=_losses(cfg), width=W + 38,
             format_func=lambda name: t(f"playground.lossname.{name}"), help=LOSSES[cfg.loss].description)
    if state.shown("regularization"):
        bind(st.selectbox, "regularization", t("playground.regularization"), options=["none", "l1", "l2"],
             width=W, format_func=lambda r: t(f"playground.reg.{r}"))
    if state.shown("regularization_rate"):
        bind(st.selectbox, "regularization_rate", t("playground.regularization_rate"), width=W,
             options=choices_with(cfg.regularization_rate, REG_RATES), format_func=number_label,
             disabled=cfg.regularization == "none")
    if state.shown("more"):
        with st.popover(t("playground.more"), icon=":material/tune:", key="more_menu"):
            more_knobs(cfg)


def _losses(cfg) -> list[str]:
    names = [n for n, spec in LOSSES.items() if cfg.problem in spec.problems]
    if cfg.problem == "classification" and cfg.num_classes > 2:
        names = [n for n in names if n not in BINARY_LOSSES]
    return names


def problem_picker() -> None:
    """Classification or regression; for a built-in dataset this switches to one of that type."""
    if state.shown("problem"):
        bind(st.selectbox, "problem", t("playground.problem"), options=["classification", "regression"],
             format_func=lambda p: t(f"playground.problem.{p}"), from_widget=_problem_choice)


def _problem_choice(problem: str) -> str:
    """Switching the problem type also picks a dataset of that type (as TF Playground does)."""
    cfg = state.config()
    spec = DATASETS[cfg.dataset]
    if spec.problem and spec.problem != problem:
        first = next(n for n, s in DATASETS.items() if s.problem == problem)
        state.change(dataset=first, problem=problem)
        st.session_state[state.RESYNC] = True
    return problem


def activation_picker(cfg) -> None:
    """One activation for every hidden layer at once (each layer's menu can still differ)."""
    acts = {l.activation for l in cfg.layers}
    current = acts.pop() if len(acts) == 1 else MIXED
    options = list(ACTIVATIONS) + ([MIXED] if current == MIXED else [])
    st.session_state["activation"] = current
    st.selectbox(t("playground.activation"), options, key="activation", width=W, on_change=_set_activation,
                 format_func=lambda a: t("playground.mixed") if a == MIXED else a)


def _set_activation() -> None:
    act = st.session_state.get("activation")
    if act in ACTIVATIONS:
        layers = [Layer(l.units, act, l.dropout, l.batch_norm) for l in state.config().layers]
        state.change(layers=layers)
        st.session_state[state.RESYNC] = True


def more_knobs(cfg) -> None:
    """Optimizer knobs for the chosen optimizer, schedule, initialiser, seed and stopping rules."""
    st.markdown(f"**{t('playground.opt.' + cfg.optimizer)}**")
    for knob in OPTIMIZER_KNOBS[cfg.optimizer]:
        if not state.shown(knob):
            continue
        label = t(f"playground.knob.{knob}")
        if knob in ("eps", "weight_decay"):
            options = EPS_CHOICES if knob == "eps" else DECAY_CHOICES
            bind(st.selectbox, knob, label, options=choices_with(getattr(cfg, knob), options),
                 format_func=number_label)
        else:
            lo, hi = limits(knob)
            bind(st.slider, knob, label, min_value=float(lo), max_value=float(hi), step=0.001, format="%.3f")
    if cfg.loss == "huber" and state.shown("huber_delta"):
        bind(st.number_input, "huber_delta", t("playground.knob.huber_delta"), min_value=0.001, max_value=100.0)
    if state.shown("schedule"):
        bind(st.selectbox, "schedule", t("playground.schedule"), options=list(SCHEDULES),
             format_func=lambda s: t(f"playground.sched.{s}"))
        if cfg.schedule in ("step", "exponential"):
            bind(st.number_input, "step_size", t("playground.step_size"), min_value=1, max_value=100_000)
            bind(st.slider, "gamma", t("playground.gamma"), min_value=0.01, max_value=1.0, step=0.01)
    if state.shown("init"):
        bind(st.selectbox, "init", t("playground.init"), options=list(INITS),
             format_func=lambda i: t(f"playground.initname.{i}"), help=t("playground.init_help"))
    if state.shown("seed"):
        bind(st.number_input, "seed", t("playground.seed"), min_value=0, max_value=2**31 - 1, step=1,
             help=t("playground.seed_help"))
    if state.shown("shuffle"):
        bind(st.toggle, "shuffle", t("playground.shuffle"), help=t("playground.shuffle_help"))
    if state.shown("early_stopping"):
        bind(st.number_input, "early_stopping", t("playground.early_stopping"), min_value=0, max_value=100_000,
             help=t("playground.early_stopping_help"))
    if state.shown("epochs"):
        bind(st.number_input, "epochs", t("playground.epochs"), min_value=1, max_value=100_000,
             help=t("playground.epochs_help"))
