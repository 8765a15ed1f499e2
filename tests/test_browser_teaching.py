"""The optimizer race and the activations page in real Chromium: click like a person, check what changed."""

from __future__ import annotations

import re
import time

import conftest
import pytest
from conftest import wait_for_app

pytestmark = pytest.mark.browser

MAP = ".st-key-opt_contour .js-plotly-plot"
PATH_LENGTH = """name => {
    const gd = document.querySelector('.st-key-opt_contour .js-plotly-plot');
    const trace = gd && gd._fullData ? gd._fullData.find(t => t.name && t.name.startsWith(name)) : null;
    return trace ? trace._length : -1;
}"""


def open_page(page, app_url: str, path: str) -> None:
    # The first visit to a fresh server runs the entry script, which switches Streamlit from its
    # app_pages/-folder mode to st.navigation; then go to the page itself.
    page.goto(app_url + "/")
    wait_for_app(page, 60_000)
    page.goto(f"{app_url}/{path}")
    wait_for_app(page, 60_000)


def shown_step(page) -> int:
    text = page.locator("text=/Step \\d+ of \\d+/").first.inner_text()
    return int(re.search(r"Step (\d+)", text).group(1))


def path_length(page, name: str = "SGD") -> int:
    return page.evaluate(PATH_LENGTH, name)


def wait_until(predicate, what: str) -> None:
    """conftest.wait_until with this page's patience: Plotly charts re-render while they are read."""
    conftest.wait_until(predicate, timeout=60.0, every=0.2, what=what, retry_errors=True)


def test_race_play_step_pause_reset_and_click_a_start(page, app_url):
    open_page(page, app_url, "optimizers")
    page.wait_for_selector(MAP, timeout=60_000)
    wait_until(lambda: path_length(page) == 1, what="the map with one point per optimizer")
    assert shown_step(page) == 0

    page.locator(".st-key-opt_step button").click()
    wait_until(lambda: shown_step(page) == 1 and path_length(page) == 2, what="one step")

    play = page.locator(".st-key-opt_play button")
    play.click()
    wait_until(lambda: path_length(page) >= 12 and path_length(page, "Adam") >= 12, what="trajectories growing")
    assert "Pause" in play.inner_text()
    assert shown_step(page) >= 11

    play.click()
    wait_until(lambda: "Play" in page.locator(".st-key-opt_play button").inner_text(), what="paused")
    wait_for_app(page, 60_000)
    paused = shown_step(page)
    time.sleep(2.0)
    assert shown_step(page) == paused  # nothing moves while paused
    assert path_length(page) == paused + 1

    page.locator(".st-key-opt_reset button").click()
    wait_until(lambda: shown_step(page) == 0 and path_length(page) == 1, what="reset")

    # A click on the map moves the start point there.
    x_input = page.locator(".st-key-opt_ravine_start_x input")
    assert float(x_input.input_value()) == -9.0
    page.wait_for_selector(MAP, timeout=60_000)
    area = page.locator(".st-key-opt_contour .nsewdrag").first.bounding_box()
    page.mouse.move(area["x"] + 0.75 * area["width"], area["y"] + 0.25 * area["height"])
    time.sleep(0.5)
    page.mouse.click(area["x"] + 0.75 * area["width"], area["y"] + 0.25 * area["height"])
    wait_until(lambda: float(x_input.input_value()) > 0, what="the start to move to the click")
    assert float(page.locator(".st-key-opt_ravine_start_y input").input_value()) > 0


def test_diverging_optimizer_is_shown_as_diverged(page, app_url):
    open_page(page, app_url, "optimizers")
    page.wait_for_selector(MAP, timeout=60_000)
    lr = page.locator(".st-key-opt_ravine_sgd_learning_rate")
    page.get_by_text("Settings of SGD").click()
    lr.locator("input").fill("0.5")
    lr.locator("input").press("Enter")
    wait_for_app(page, 60_000)
    for expected in (1, 2, 3):
        page.locator(".st-key-opt_step button").click()
        wait_until(lambda e=expected: shown_step(page) == e, what=f"step {expected}")
    wait_until(lambda: page.get_by_text("diverged at step 2").count() > 0, what="the diverged status")
    assert page.get_by_text("Lower its learning rate").count() == 1


def metric_values(page) -> list[str]:
    return [m.inner_text() for m in page.get_by_test_id("stMetricValue").all()]


def test_activation_slider_moves_the_point(page, app_url):
    open_page(page, app_url, "activations")
    page.wait_for_selector(".st-key-act_chart .js-plotly-plot", timeout=60_000)
    assert metric_values(page)[:2] == ["1", "1"]  # ReLU at x = 1

    thumb = page.locator(".st-key-act_x input[type='range']")
    thumb.focus()
    for _ in range(5):
        thumb.press("ArrowRight")
    wait_until(lambda: metric_values(page)[0] == "1.5", what="f(1.5) = 1.5")
    marker_x = page.evaluate(
        "() => { const gd = document.querySelector('.st-key-act_chart .js-plotly-plot');"
        " return gd._fullData[gd._fullData.length - 1].x[0]; }")
    assert marker_x == pytest.approx(1.5)

    for _ in range(30):
        thumb.press("ArrowLeft")
    wait_until(lambda: metric_values(page)[:2] == ["0", "0"], what="ReLU dead at x = -1.5")
    assert page.get_by_text("the unit is dead").count() == 1

    page.locator(".st-key-act_choice").click()
    page.get_by_role("option", name="Sigmoid").click()
    wait_until(lambda: metric_values(page)[0] == "0.1824", what="sigmoid(-1.5)")
    assert metric_values(page)[1] == "0.1491"
