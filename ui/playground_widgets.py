"""Widgets bound to config fields: seeded from the config, writing back through playground_state."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import streamlit as st

from playground.config import field_info
from ui import playground_state as state


def bind(widget: Callable, key: str, label: str, *, field: str | None = None,
         to_widget: Callable = lambda v: v, from_widget: Callable = lambda v: v, **kwargs) -> Any:
    """A widget showing config[field] (its key defaults to the field's name); changes go to the config."""
    field = field or key
    state.seed_widget(key, to_widget(getattr(state.config(), field)))
    return widget(label, key=key, on_change=_write, args=(key, field, from_widget), **kwargs)


def _write(key: str, field: str, from_widget: Callable) -> None:
    value = st.session_state.get(key)
    if value is None:  # a cleared single-choice control keeps the config as it was
        st.session_state[state.RESYNC] = True
        return
    state.change(**{field: from_widget(value)})


def choices_with(current, options) -> list:
    """Options with the current value added (a link can carry a value between the usual steps)."""
    out = sorted(set(options) | {current})
    return out


def number_label(v) -> str:
    if isinstance(v, float) and v and (abs(v) < 1e-3 or abs(v) >= 1e4):
        return f"{v:.0e}"
    return f"{v:g}" if isinstance(v, float) else str(v)


def limits(name: str) -> tuple:
    info = field_info(name)
    return info["lo"], info["hi"]


def trigger_value(key: str, event: str):
    """A component's trigger value (clicked point, picked dataset, ...) read inside its callback."""
    value = st.session_state.get(key)
    if value is None:
        return None
    try:
        return value[event]
    except (KeyError, TypeError, IndexError):
        return getattr(value, event, None)
