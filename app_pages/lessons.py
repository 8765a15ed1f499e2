"""Lessons: guided experiments a teacher runs in class, each one click away from the Playground."""

from __future__ import annotations

import html
import time

import streamlit as st

from playground.i18n import text
from playground.lessons import LESSONS, TOPICS, Lesson, lesson
from ui.lang import current, t

ALL = "all"
CSS = """<style>
.stMainBlockContainer { padding-top: 2.5rem; }
.st-key-lesson_list p, .st-key-lesson_list li { font-size: 1.08rem; line-height: 1.55; }
.np-lesson-tag { font-size: .8rem; font-weight: 700; letter-spacing: .06em; text-transform: uppercase;
                 color: #6b7480; margin-bottom: -.3rem; }
.np-lesson-title { font-size: 1.6rem; font-weight: 700; line-height: 1.25; margin: .1rem 0 .5rem 0;
                   color: #1f2430; }
.np-question { font-size: 1.3rem; line-height: 1.45; border-left: 4px solid #f59322; padding: .15rem 0 .15rem .8rem;
               margin: .2rem 0 .6rem 0; color: #1f2430; }
.np-part { font-size: .82rem; font-weight: 700; letter-spacing: .05em; text-transform: uppercase; color: #5f6b7a;
           margin: 0 0 .1rem 0; }
.np-links { display: flex; flex-wrap: wrap; gap: .55rem; margin: .3rem 0 .6rem 0; }
.np-links a { display: inline-flex; align-items: center; gap: .4rem; padding: .5rem 1rem; border-radius: .5rem;
              font-weight: 600; font-size: 1.02rem; text-decoration: none; border: 1px solid #f59322; }
.np-links a.np-open { background: #f59322; color: #ffffff; }
.np-links a.np-open:hover { background: #e07f0c; }
.np-links a.np-compare { background: #ffffff; color: #b36205; }
.np-links a.np-compare:hover { background: #fff4e6; }
/* a projector or a big screen: larger type, the same layout */
@media (min-width: 1600px) {
  .st-key-lesson_list p, .st-key-lesson_list li { font-size: 1.22rem; }
  .np-lesson-title { font-size: 1.9rem; }
  .np-question { font-size: 1.5rem; }
  .np-links a { font-size: 1.15rem; }
}
</style>"""


@st.cache_data(show_spinner=False, max_entries=64)
def verified(lesson_id: str) -> tuple[bool, dict, float]:
    """Train a lesson's experiments headless and check its claim (pure: same code, same answer)."""
    start = time.perf_counter()
    outcome = lesson(lesson_id).check()
    return outcome.holds, outcome.numbers, time.perf_counter() - start


def topic_picker(lang: str) -> str:
    """The topic filter; kept in the URL as `topic=` so a teacher can link to one topic."""
    options = [ALL, *TOPICS]
    if st.session_state.get("topic") not in options:  # first run, or a bad value: the link decides
        wanted = st.query_params.get("topic", ALL)
        if wanted not in options:
            st.warning(t("lessons.bad_topic", topic=wanted[:40]), icon=":material/link_off:")
        st.session_state["topic"] = wanted if wanted in options else ALL
    topic = st.pills(t("lessons.topic"), options, required=True, key="topic", label_visibility="collapsed",
                     format_func=lambda name: text(f"lessons.topic.{name}", lang)) or ALL
    if topic == ALL:
        if "topic" in st.query_params:
            del st.query_params["topic"]
    elif st.query_params.get("topic") != topic:
        st.query_params["topic"] = topic
    return topic


def links(item: Lesson, lang: str) -> None:
    """One-click links: the lesson's experiment, then each comparison, all in the current language."""
    anchors = [
        f"<a class='np-open' href='{html.escape(item.link('main', lang))}' target='_self' "
        f"title='{html.escape(t('lessons.open_help'))}'>▶ {html.escape(t('lessons.open'))}</a>"
    ]
    for run in item.variants:
        label = t("lessons.compare", label=t(item.label_key(run)))
        anchors.append(f"<a class='np-compare' href='{html.escape(item.link(run, lang))}' target='_self'>"
                       f"⇄ {html.escape(label)}</a>")
    with st.container(key=f"open_{item.id}"):
        st.markdown(f"<div class='np-links'>{''.join(anchors)}</div>", unsafe_allow_html=True)


def check_panel(item: Lesson) -> None:
    """Runs the lesson's own check on this server, as the automated test does, and shows the numbers."""
    checked = st.session_state.setdefault("lessons_checked", set())
    if st.button(t("lessons.check"), key=f"check_{item.id}", icon=":material/science:",
                 help=t("lessons.check_help")):
        checked.add(item.id)
    if item.id not in checked:
        return
    with st.container(key=f"result_{item.id}"):
        try:
            with st.spinner(t("lessons.checking")):
                holds, numbers, seconds = verified(item.id)
        except Exception as exc:  # an engine failure is reported on the card, never crashes the page
            st.error(t("lessons.check_error", error=f"{type(exc).__name__}: {exc}"[:300]), icon=":material/error:")
            return
        message = t(item.key("result"), **item.facts(), **numbers)
        if holds:
            st.success(t("lessons.held", result=message), icon=":material/check_circle:")
        else:
            st.error(t("lessons.failed", result=message), icon=":material/error:")
        st.caption(t("lessons.seconds", seconds=seconds))


def lesson_card(number: int, item: Lesson, lang: str) -> None:
    facts = item.facts()
    with st.container(border=True, key=f"lesson_{item.id}"):
        tag = f"{t('lessons.number', n=number)} · {t(f'lessons.topic.{item.topic}')}"
        st.markdown(f"<div class='np-lesson-tag'>{html.escape(tag)}</div>"
                    f"<div class='np-lesson-title'>{html.escape(t(item.key('title')))}</div>"
                    f"<div class='np-question'>{html.escape(t(item.key('question')))}</div>",
                    unsafe_allow_html=True)
        do, watch = st.columns(2, gap="large")
        for column, part in ((do, "do"), (watch, "watch")):
            with column:
                st.markdown(f"<div class='np-part'>{html.escape(t(f'lessons.{part}'))}</div>",
                            unsafe_allow_html=True)
                st.markdown(t(item.key(part), **facts))
        links(item, lang)
        with st.expander(t("lessons.see"), icon=":material/visibility:", key=f"answer_{item.id}"):
            st.markdown(t(item.key("see"), **facts))
            st.markdown(f"**{t('lessons.why')}** {t(item.key('why'), **facts)}")
            check_panel(item)


st.markdown(CSS, unsafe_allow_html=True)
st.title(t("lessons.title"))
st.markdown(t("lessons.intro"))
lang = current()
topic = topic_picker(lang)
shown = [(i, item) for i, item in enumerate(LESSONS, start=1) if topic == ALL or item.topic == topic]
st.caption(t("lessons.count", n=len(shown)))
with st.container(key="lesson_list"):
    for number, item in shown:
        lesson_card(number, item, lang)
