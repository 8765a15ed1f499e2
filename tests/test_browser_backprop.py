"""The backpropagation page in real Chromium: step through it, watch the drawing and formulas follow, iterate."""

from __future__ import annotations

import pytest
from conftest import wait_for_app

from playground.i18n import text

pytestmark = pytest.mark.browser

FORWARD, BACKWARD = "rgb(43, 123, 186)", "rgb(228, 87, 46)"  # backprop_figures.PHASE_COLORS


def open_page(page, app_url, query=""):
    page.goto(f"{app_url}/backprop{query}")
    wait_for_app(page, timeout=60_000)
    # a cold server on a busy machine takes a while to import torch and draw the first figures
    page.wait_for_selector(".st-key-bp_network .main-svg", timeout=60_000)
    page.wait_for_selector(".st-key-bp_loss_chart .main-svg", timeout=60_000)


def click(page, key):
    page.locator(f".st-key-{key} button:visible").first.click()


def wait_until_changed(page, selector, old):
    page.wait_for_function(
        "([sel, old]) => { const e = document.querySelector(sel); return e && e.innerText !== old; }",
        arg=[selector, old])
    wait_for_app(page)


def formula(page):
    return page.locator(".st-key-bp_formula").inner_text()


def highlighted_nodes(page):
    """(stroke colour, index) of every neuron drawn with the highlight's thick outline."""
    return page.evaluate("""() => {
        const traces = document.querySelectorAll('.st-key-bp_network .scatterlayer .trace');
        if (!traces.length) return [];  // between two draws
        const nodes = traces[traces.length - 1].querySelectorAll('path.point');
        return Array.from(nodes).map((p, i) => [p.style.stroke, p.style.strokeWidth, i])
            .filter(([s, w]) => parseFloat(w) >= 4).map(([s, w, i]) => [s, i]);
    }""")


def wait_for_highlight_change(page, before, seconds=15.0):
    """The drawing redraws a moment after the formula: poll until its highlight differs."""
    import time

    deadline = time.time() + seconds
    now = highlighted_nodes(page)
    while now == before and time.time() < deadline:
        page.wait_for_timeout(200)
        now = highlighted_nodes(page)
    return now


def loss_points(page):
    return page.locator(".st-key-bp_loss_chart .scatterlayer .trace").first.locator("path.point").count()


def test_step_through_the_walkthrough_and_iterate(page, app_url):
    open_page(page, app_url)
    first = formula(page)
    assert "Hidden neuron 1" in first and "0.6" in first
    lit = wait_for_highlight_change(page, [])
    assert len(lit) == 3 and {s for s, _ in lit} == {FORWARD}  # x1, x2 and h1

    click(page, "bp_next")
    wait_until_changed(page, ".st-key-bp_formula", first)
    second = formula(page)
    assert "Hidden neuron 2" in second and "1.3" in second
    lit2 = wait_for_highlight_change(page, lit)
    assert len(lit2) == 3 and lit2 != lit  # h2 instead of h1

    before = second
    for _ in range(4):  # output neuron, loss, then the first backward step
        click(page, "bp_next")
        wait_until_changed(page, ".st-key-bp_formula", before)
        before = formula(page)
    assert "Backward" in page.locator(".st-key-bp_formula h3").first.inner_text()
    assert "8.32" in before  # dL/dy_hat = 2 (4.16 - 0)
    page.wait_for_function("""(color) => {  // the drawing follows the formula a moment later
        const traces = document.querySelectorAll('.st-key-bp_network .scatterlayer .trace');
        const nodes = traces.length ? Array.from(traces[traces.length - 1].querySelectorAll('path.point')) : [];
        const lit = nodes.filter(p => parseFloat(p.style.strokeWidth) >= 4);
        return lit.length > 0 && lit.every(p => p.style.stroke === color);
    }""", arg=BACKWARD)

    page.keyboard.press("ArrowLeft")  # the arrow keys step too, for a presenter's clicker
    wait_until_changed(page, ".st-key-bp_formula", before)
    assert "The loss" in page.locator(".st-key-bp_formula h3").first.inner_text()

    assert loss_points(page) == 1
    summary = page.locator(".st-key-bp_loss_chart:not([data-stale='true'])").first.inner_text()
    click(page, "bp_iterate")
    page.wait_for_function(
        "() => document.querySelectorAll('.st-key-bp_loss_chart .scatterlayer .trace')[0]"
        "?.querySelectorAll('path.point').length === 2")
    wait_for_app(page)
    assert loss_points(page) == 2
    assert page.locator(".st-key-bp_loss_chart:not([data-stale='true'])").first.inner_text() != summary
    assert "Hidden neuron 1" in formula(page) and "0.2506" in formula(page)  # z with the new weights


def test_show_all_and_chinese(page, app_url):
    open_page(page, app_url, "?lang=zh")
    assert text("backprop.title", "zh") in page.locator("h1").first.inner_text()
    old = formula(page)
    click(page, "bp_all")
    wait_until_changed(page, ".st-key-bp_formula", old)
    # every step's heading (13) is on the page, and stays there once the run has settled
    page.wait_for_function("() => document.querySelectorAll('.st-key-bp_formula h4').length === 13")
    wait_for_app(page)
    assert page.locator(".st-key-bp_formula h4").count() == 13
    assert text("backprop.step.check", "zh") in formula(page)


def test_editing_a_weight_redraws(page, app_url):
    open_page(page, app_url)
    old = formula(page)
    field = page.locator(".st-key-bp_w1_0_0 input")
    field.fill("0.5")
    field.press("Enter")
    wait_until_changed(page, ".st-key-bp_formula", old)
    assert "=0.5×1+0.2×2+0.1" in formula(page).replace(" ", "")  # KaTeX's text, without spaces
