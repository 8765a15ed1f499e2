"""The current language (from the URL's `lang`) and the `t()` every page uses for its text."""

from __future__ import annotations

import streamlit as st

from playground.i18n import DEFAULT_LANG, LANGUAGES, text


def current() -> str:
    lang = st.session_state.get("lang")
    if lang not in LANGUAGES:
        lang = st.query_params.get("lang", DEFAULT_LANG)
        lang = lang if lang in LANGUAGES else DEFAULT_LANG
        st.session_state["lang"] = lang
    return lang


def t(key: str, **values) -> str:
    """User-visible text for `key` in the current language."""
    return text(key, current(), **values)


def language_picker() -> None:
    """Sidebar language switch; remembered in the URL as lang=en / lang=zh."""
    lang = current()
    choice = st.sidebar.selectbox(
        text("app.language", lang), list(LANGUAGES), index=list(LANGUAGES).index(lang),
        format_func=LANGUAGES.get, key="lang_picker",
    )
    if choice != lang:
        st.session_state["lang"] = choice
        st.query_params["lang"] = choice
        st.rerun()
    if st.query_params.get("lang") != lang:
        st.query_params["lang"] = lang
