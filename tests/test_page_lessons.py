"""The Lessons page under AppTest, in English and Chinese: cards, links with the language, topic filter, check."""

from __future__ import annotations

import html
import re
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest
from streamlit.testing.v1 import AppTest

# app_pages/ is on sys.path while a page runs; import the engine package first so `playground` means it.
import playground.lessons  # noqa: F401
from playground.config import Config
from playground.i18n import text
from playground.lessons import LESSONS, TOPICS, lesson

PAGE = str(Path(__file__).resolve().parents[1] / "app_pages" / "lessons.py")
HREF = re.compile(r"href='([^']+)'")


def app(query: dict | None = None) -> AppTest:
    at = AppTest.from_file(PAGE, default_timeout=120)
    if query:
        at.query_params.update(query)
    at.run()
    assert not at.exception, at.exception
    return at


def titles(at) -> list[str]:
    found = []
    for m in at.markdown:
        hit = re.search(r"<div class='np-lesson-title'>(.*?)</div>", m.value)
        if hit:
            found.append(html.unescape(hit.group(1)))
    return found


def links(at) -> list[str]:
    return [html.unescape(h) for m in at.markdown if "np-links" in m.value for h in HREF.findall(m.value)]


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_every_lesson_is_shown_with_its_texts(lang):
    at = app({"lang": lang})
    assert at.title[0].value == text("lessons.title", lang)
    assert titles(at) == [text(item.key("title"), lang) for item in LESSONS]
    shown = " ".join(m.value for m in at.markdown)
    for item in LESSONS:
        assert text(item.key("do"), lang, **item.facts()) in shown
        assert text(item.key("watch"), lang, **item.facts()) in shown
        assert text(item.key("see"), lang, **item.facts()) in shown  # inside the folded answer
    assert at.caption[0].value == text("lessons.count", lang, n=len(LESSONS))
    assert [e.label for e in at.expander] == [text("lessons.see", lang)] * len(LESSONS)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_links_open_each_run_in_the_current_language(lang):
    at = app({"lang": lang})
    expected = [item.link(run, lang) for item in LESSONS for run in item.runs]
    assert links(at) == expected
    for href in links(at):
        params = {k: v[-1] for k, v in parse_qs(urlparse(href).query, keep_blank_values=True).items()}
        assert params.pop("lang") == lang
        config, warnings = Config.from_query(params)
        assert not warnings and config in [c for item in LESSONS for c in item.runs.values()]
    compare = text("lessons.compare", lang, label=text(lesson("spiral").label_key("deep"), lang))
    assert any(compare in m.value for m in at.markdown)


def test_topic_filter_shows_one_topic_and_is_kept_in_the_url():
    at = app()
    picker = at.button_group(key="topic")
    assert picker.value == "all"
    picker.set_value("overfitting").run()
    assert not at.exception
    expected = [item for item in LESSONS if item.topic == "overfitting"]
    assert titles(at) == [text(item.key("title"), "en") for item in expected]
    assert at.caption[0].value == text("lessons.count", "en", n=len(expected))
    assert at.query_params["topic"] == "overfitting"


@pytest.mark.parametrize("topic", TOPICS)
def test_a_topic_link_opens_that_topic(topic):
    at = app({"topic": topic, "lang": "zh"})
    assert titles(at) == [text(item.key("title"), "zh") for item in LESSONS if item.topic == topic]


def test_a_bad_topic_in_the_link_shows_everything_and_says_so():
    at = app({"topic": "<script>", "lang": "en"})
    assert len(titles(at)) == len(LESSONS)
    assert [w.value for w in at.warning] == [text("lessons.bad_topic", "en", topic="<script>")]
    at.button_group(key="topic").set_value("inside").run()  # a choice made on the page replaces it
    assert not at.warning and at.query_params["topic"] == "inside"


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_checking_a_lesson_runs_it_and_shows_the_numbers(lang):
    at = app({"lang": lang})
    assert not at.success
    at.button(key="check_xor_hidden").click().run()
    assert not at.exception and not at.error
    holds, numbers, _ = _verified("xor_hidden")
    assert holds
    result = text("lessons.xor_hidden.result", lang, **lesson("xor_hidden").facts(), **numbers)
    assert [s.value for s in at.success] == [text("lessons.held", lang, result=result)]
    # the result stays while the user does something else on the page
    at.button_group(key="topic").set_value("features").run()
    assert [s.value for s in at.success] == [text("lessons.held", lang, result=result)]
    at.button_group(key="topic").set_value("inside").run()
    assert not at.success  # that lesson is not shown under this topic


def _verified(lesson_id: str):
    outcome = lesson(lesson_id).check()
    return outcome.holds, outcome.numbers, 0.0
