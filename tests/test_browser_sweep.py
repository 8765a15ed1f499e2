"""The Sweeps page in real Chromium: set up a small sweep like a person, start it, see the grid, pick a
cell and open exactly that config in the Playground."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from conftest import wait_for_app

pytestmark = pytest.mark.browser
PLAYGROUND = Path(__file__).resolve().parents[1] / "app_pages" / "playground.py"


def settle(page) -> None:
    time.sleep(0.4)
    wait_for_app(page, 120_000)


def open_sweeps(page, app_url: str) -> None:
    """Through the app's own navigation, as a visitor would get there."""
    page.goto(f"{app_url}/")
    page.wait_for_selector(".st-key-lang_picker", timeout=120_000)
    page.get_by_role("link", name="Sweeps").click()
    page.wait_for_selector(".st-key-sweep_start", timeout=120_000)
    settle(page)


def type_into(page, key: str, text: str) -> None:
    """Type and confirm; on a busy machine a rerun still in flight can reset the field, so retype then."""
    box = page.locator(f".st-key-{key} input")
    for _ in range(3):
        box.fill(text)
        box.press("Enter")
        settle(page)
        time.sleep(1.0)
        settle(page)
        if box.input_value() == text:
            return
    assert box.input_value() == text


def wait_for_cost(page, text: str) -> None:
    page.wait_for_function("t => [...document.querySelectorAll('[data-testid=\"stAlert\"]')]"
                           ".some(e => e.innerText.includes(t))", arg=text)
    settle(page)


def test_a_small_sweep_shows_its_grid_and_opens_a_cell_in_the_playground(page, app_url):
    page.set_default_timeout(120_000)
    open_sweeps(page, app_url)
    page.locator(".st-key-sweep_source").click()
    page.get_by_role("option", name="Preset: xor-hidden").click()
    page.wait_for_function("() => location.href.includes('dataset=xor')")
    settle(page)
    type_into(page, "sweep_values1", "0.01,0.1")
    wait_for_cost(page, "10 networks")  # two rates x the five default seeds
    type_into(page, "sweep_values2", "1,2")
    wait_for_cost(page, "4 networks in 1 vectorised group")
    type_into(page, "sweep_epochs", "30")
    page.wait_for_function("() => location.href.includes('epochs=30')")
    assert "vary1=learning_rate" in page.url and "vary2=seed" in page.url  # the sweep is shareable

    page.click(".st-key-sweep_start button")
    page.wait_for_selector(".st-key-sweep_heatmap .js-plotly-plot", timeout=240_000)
    settle(page)
    assert "Trained 4 networks" in page.inner_text("[data-testid='stMain']")
    texts = page.locator(".st-key-sweep_heatmap .heatmaplayer text, .st-key-sweep_heatmap text.textpoint")
    assert texts.count() >= 4  # one value per cell

    # click the cell of learning rate 0.01, seed 2: first row, second column
    cells = page.locator(".st-key-sweep_heatmap .scatterlayer .trace").last.locator("path.point")
    assert cells.count() == 4
    page.locator(".st-key-sweep_heatmap").scroll_into_view_if_needed()
    box = cells.nth(1).bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    settle(page)
    page.wait_for_function(
        "() => document.querySelector('[data-testid=\"stMain\"]').innerText.includes('lr 0.01, seed 2: done')")

    with page.context.expect_page() as opened:
        page.click(".st-key-sweep_open a")
    playground = opened.value
    playground.wait_for_load_state()
    url = playground.url
    for part in ("dataset=xor", "learning_rate=0.01", "seed=2", "epochs=30", "layers=4%3Atanh"):
        assert part in url, url
    if not PLAYGROUND.exists():  # without the Playground page the link itself is the check
        return
    picker = playground.locator(".st-key-dataset input")
    picker.wait_for(timeout=120_000)
    assert "xor" in picker.input_value().lower()


def test_stop_during_a_long_sweep_keeps_what_ran(page, app_url):
    page.set_default_timeout(120_000)
    open_sweeps(page, app_url)
    type_into(page, "sweep_values1", "0.001,0.003,0.01,0.03,0.1,0.3,1,3")
    type_into(page, "sweep_values2", "1,2,3,4,5,6,7,8")
    type_into(page, "sweep_epochs", "5000")
    wait_for_cost(page, "64 networks in 1 vectorised group")
    page.click(".st-key-sweep_start button")
    page.wait_for_function("() => /\\d+% · about \\d+ s left/.test("
                           "document.querySelector('.st-key-sweep_progress')?.innerText || '')")
    page.click(".st-key-sweep_stop button")
    page.wait_for_selector(".st-key-sweep_heatmap .js-plotly-plot")
    settle(page)
    main = page.inner_text("[data-testid='stMain']")
    assert "Stopped:" in main and "stopped," in main  # the selected network ran part of its epochs
    assert page.locator(".st-key-sweep_start button").is_enabled()
    assert not page.locator(".st-key-sweep_stop button").is_enabled()
