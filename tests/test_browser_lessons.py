"""The Lessons page in real headless Chromium: switch the language, filter a topic, check a lesson, and open
lessons in the Playground with their config applied."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest
from conftest import ROOT, wait_for_app, wait_until

from playground.config import Config
from playground.i18n import LANGUAGES, text
from playground.lessons import LESSONS, lesson

pytestmark = pytest.mark.browser

PLAYGROUND_PAGE = Path(ROOT) / "app_pages" / "playground.py"


def open_lessons(page, app_url: str, query: str = "") -> None:
    page.goto(f"{app_url}/lessons{'?' + query if query else ''}")
    wait_for_app(page, timeout=90_000)
    page.wait_for_selector(".st-key-lesson_list .np-lesson-title", timeout=90_000)


def titles(page) -> list[str]:
    return page.locator(".st-key-lesson_list .np-lesson-title").all_inner_texts()


def query(page) -> dict:
    return {k: v[-1] for k, v in parse_qs(urlparse(page.url).query, keep_blank_values=True).items()}


def press_until_shown(button, shown, tries: int = 3, seconds: float = 20.0) -> None:
    """Click, and click again if nothing answered: a click that lands while the page is still rerunning
    after the previous one can be dropped by the browser on a busy machine (the check itself is idempotent)."""
    for _ in range(tries):
        button.click()
        try:
            shown.first.wait_for(state="attached", timeout=seconds * 1000)
            return
        except Exception:  # noqa: BLE001 - Playwright's TimeoutError: try the click again
            continue
    raise AssertionError(f"nothing answered {tries} clicks")


def pick_language(page, lang: str) -> None:
    """Choose a language in the sidebar picker as a person does: open the list, click the name."""
    page.locator(".st-key-lang_picker [role='combobox']").click()
    page.get_by_role("option", name=LANGUAGES[lang]).click()


def test_switch_language_filter_a_topic_and_check_a_lesson(page, app_url):
    open_lessons(page, app_url)
    assert titles(page) == [text(item.key("title"), "en") for item in LESSONS]
    assert page.locator("h1").first.inner_text() == text("lessons.title", "en")

    pick_language(page, "zh")
    wait_until(lambda: page.locator("h1").first.inner_text() == text("lessons.title", "zh"))
    wait_until(lambda: query(page).get("lang") == "zh")
    wait_until(lambda: titles(page) == [text(item.key("title"), "zh") for item in LESSONS])
    first_link = page.locator(".st-key-open_gauss_line a.np-open").get_attribute("href")
    assert first_link == lesson("gauss_line").link("main", "zh")

    page.locator(".st-key-topic button", has_text=text("lessons.topic.inside", "zh")).first.click()
    inside = [text(item.key("title"), "zh") for item in LESSONS if item.topic == "inside"]
    wait_until(lambda: titles(page) == inside)
    wait_until(lambda: query(page).get("topic") == "inside")
    assert query(page).get("lang") == "zh"

    card = page.locator(".st-key-lesson_zero_init")
    card.locator("summary").click()
    card.get_by_text(text("lessons.zero_init.see", "zh", **lesson("zero_init").facts())).wait_for()
    press_until_shown(card.locator(".st-key-check_zero_init button").first, page.locator(".st-key-result_zero_init"))
    result = page.locator(".st-key-result_zero_init [data-testid='stAlertContentSuccess']")
    result.wait_for(timeout=180_000)
    outcome = lesson("zero_init").check()  # the same check, run here: the page shows its very numbers
    expected = text("lessons.zero_init.result", "zh", **lesson("zero_init").facts(), **outcome.numbers)
    assert text("lessons.held", "zh", result=expected) in result.inner_text()


@pytest.mark.parametrize("run", ["main", "hidden"])
def test_open_link_lands_in_the_playground_with_the_config(page, app_url, run):
    item = lesson("xor_hidden")
    config = item.runs[run]
    open_lessons(page, app_url, "lang=zh")
    link = page.locator(f".st-key-open_{item.id} a").nth(item.variants.index(run) + 1 if run != "main" else 0)
    assert link.get_attribute("href") == item.link(run, "zh")
    link.click()
    wait_until(lambda: urlparse(page.url).path in ("/", "/playground"), timeout=60)
    wait_for_app(page, timeout=90_000)
    params = query(page)
    assert params["lang"] == "zh"
    read, warnings = Config.from_query({k: v for k, v in params.items() if k != "lang"})
    assert not warnings and read == config
    assert params["dataset"] == "xor" and params["layers"] == ("4:tanh" if run == "hidden" else "")
    assert PLAYGROUND_PAGE.exists(), "the Playground page is not there to open the lesson in"
    dataset = page.locator(".st-key-dataset [role='combobox']")
    dataset.wait_for(timeout=90_000)
    wait_until(lambda: dataset.input_value() == text("playground.ds.xor", "zh"), timeout=60)
    hidden = text("playground.hidden_layers", "zh", n=len(config.layers))
    wait_until(lambda: hidden in page.inner_text("body"), timeout=60)
    assert query(page)["layers"] == params["layers"]  # the page kept the lesson's network
