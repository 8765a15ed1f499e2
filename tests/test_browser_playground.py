"""The Playground in real headless Chromium: play, watch it learn, pause, share a link, click points in,
and refuse a bad CSV without losing the data."""

from __future__ import annotations

import json
import time
from urllib.parse import parse_qs, urlparse

import pytest
from conftest import wait_for_app, wait_until

pytestmark = pytest.mark.browser

CUSTOM = "dataset=custom&points=1:1:1,-1:-1:0,2:2:1,-2:-2:0"


def open_page(page, app_url: str, query: str = "") -> None:
    page.goto(f"{app_url}/?{query}" if query else f"{app_url}/")
    wait_for_app(page, timeout=90_000)
    page.wait_for_selector(".st-key-boundary canvas", timeout=90_000)
    page.wait_for_function("() => document.querySelector('.st-key-boundary .np-canvas')?.dataset.seq", timeout=30_000)


def epoch(page) -> int:
    return int("".join(ch for ch in page.inner_text(".st-key-epoch") if ch.isdigit()) or 0)


def training_loss(page) -> float:
    cells = page.locator(".st-key-metrics .np-metrics b").all_inner_texts()
    return float(cells[1])


def boundary_pixels(page) -> str:
    return page.evaluate("() => document.querySelector('.st-key-boundary canvas').toDataURL()")


def config_params(url: str) -> dict:
    return {k: v for k, v in parse_qs(urlparse(url).query, keep_blank_values=True).items() if k not in ("lang",)}


def href(page) -> str:
    """The address bar (the app rewrites it with every change)."""
    return page.evaluate("() => location.href")


def test_play_learns_live_and_pause_stops(page, app_url):
    open_page(page, app_url)
    assert epoch(page) == 0
    loss0, pixels0 = training_loss(page), boundary_pixels(page)
    page.click(".st-key-play button")
    wait_until(lambda: epoch(page) > 0)
    first = epoch(page)
    wait_until(lambda: epoch(page) > first)  # the counter keeps rising while playing
    wait_until(lambda: training_loss(page) < loss0 * 0.5, timeout=30)
    assert boundary_pixels(page) != pixels0  # the boundary itself was redrawn with new data
    page.click(".st-key-play button")
    page.wait_for_selector(".st-key-play button:has-text('Play')")
    time.sleep(0.6)
    stopped = epoch(page)
    time.sleep(1.5)
    assert epoch(page) == stopped
    assert page.locator(".st-key-play button").first.inner_text().strip().endswith("Play")


def grad_norms(page) -> list:
    """The layer-health view's gradient norms, as it last drew them."""
    raw = page.evaluate("() => document.querySelector('.st-key-health .np-canvas')?.dataset.grad || '[]'")
    return json.loads(raw)


def test_step_and_reset(page, app_url):
    open_page(page, app_url)
    wait_until(lambda: grad_norms(page) == [0.0, 0.0, 0.0])  # no step yet: no gradient (default 4-2 network + output)
    page.click(".st-key-step button")
    wait_until(lambda: epoch(page) == 1)
    wait_until(lambda: len(grad_norms(page)) == 3 and all(g > 0 for g in grad_norms(page)))
    page.click(".st-key-step button")
    wait_until(lambda: epoch(page) == 2)
    page.click(".st-key-reset button")
    wait_until(lambda: epoch(page) == 0)


def test_copied_link_restores_the_same_experiment(page, app_url, browser):
    open_page(page, app_url)
    rects = page.wait_for_function(
        "() => document.querySelector('.st-key-dataset_gallery .np-canvas')?.parentElement.__np?.cache?.rects"
    ).json_value()
    xor = next(r for r in rects if r["name"] == "xor")
    page.click(".st-key-dataset_gallery canvas", position={"x": xor["x"] + xor["t"] / 2, "y": xor["y"] + xor["t"] / 2})
    wait_until(lambda: "dataset=xor" in href(page))
    page.click(".st-key-step button")
    wait_until(lambda: epoch(page) == 1)
    link = href(page)
    assert config_params(link)["seed"] == ["1"] and config_params(link)["layers"] == ["4:tanh,2:tanh"]
    ctx = browser.new_context(viewport={"width": 1280, "height": 800})
    fresh = ctx.new_page()
    try:
        open_page(fresh, link.split("/?")[0], link.split("?", 1)[1])
        assert fresh.locator(".st-key-dataset input").input_value() == "XOR"
        wait_until(lambda: config_params(href(fresh)) == config_params(link))
        fresh.wait_for_function("() => window.__npStats?.boundary?.epoch === 0")
    finally:
        ctx.close()


def test_click_on_the_output_adds_a_point_of_the_chosen_class(page, app_url):
    open_page(page, app_url, "dataset=custom")
    box = page.locator(".st-key-boundary canvas").bounding_box()
    page.click(".st-key-boundary canvas", position={"x": box["width"] * 0.75, "y": box["height"] * 0.25})
    wait_until(lambda: "points=" in href(page) and config_params(href(page)).get("points", [""])[0])
    points = config_params(href(page))["points"][0].split(",")
    assert len(points) == 1
    x1, x2, label = (float(v) for v in points[0].split(":"))
    assert x1 > 1 and x2 > 1 and label == 1  # upper right of the plane, default class 1
    page.locator(".st-key-point_label button").first.click()  # class 0
    page.click(".st-key-boundary canvas", position={"x": box["width"] * 0.25, "y": box["height"] * 0.75})
    wait_until(lambda: len(config_params(href(page))["points"][0].split(",")) == 2)
    x1, x2, label = (float(v) for v in config_params(href(page))["points"][0].split(",")[1].split(":"))
    assert x1 < -1 and x2 < -1 and label == 0
    page.click(".st-key-play button")
    wait_until(lambda: epoch(page) > 0)


def test_bad_csv_shows_an_error_and_keeps_the_points(page, app_url, tmp_path):
    open_page(page, app_url, CUSTOM)
    wait_until(lambda: config_params(href(page)).get("points") == ["1:1:1,-1:-1:0,2:2:1,-2:-2:0"])
    bad = tmp_path / "bad.csv"
    bad.write_text("x1,x2,label\n1,2,3\nnot,a,number\n")
    page.locator(".st-key-csv_upload input[type=file]").set_input_files(str(bad))
    page.wait_for_selector("[data-testid='stAlertContentError']:has-text('not a number')")
    assert config_params(href(page))["points"] == ["1:1:1,-1:-1:0,2:2:1,-2:-2:0"]
    good = tmp_path / "good.csv"
    good.write_text("x1,x2,label\n0.5,0.5,1\n-3,2,0\n4,-4,1\n")
    page.locator(".st-key-csv_upload input[type=file]").set_input_files(str(good))
    wait_until(lambda: config_params(href(page)).get("points") == ["0.5:0.5:1,-3:2:0,4:-4:1"])
    assert page.locator("[data-testid='stAlertContentError']").count() == 0


def test_clicking_an_input_in_the_diagram_switches_it_on(page, app_url):
    open_page(page, app_url)
    page.wait_for_function("() => document.querySelector('.st-key-network .np-canvas')?.parentElement.__np.cache")
    node = page.evaluate("() => document.querySelector('.st-key-network .np-canvas').parentElement"
                         ".__np.cache.L.nodes.find(n => n.c === 0 && n.i === 2)")  # x1 squared
    page.click(".st-key-network canvas", position={"x": node["x"] + node["s"] / 2, "y": node["y"] + node["s"] / 2})
    wait_until(lambda: config_params(href(page)).get("features") == ["x1,x2,x1sq"])


def test_a_lost_fragment_timer_is_woken_up_again(page, app_url):
    """Streamlit can lose the live fragment's timer under load (see canvas.js); the page recovers it."""
    open_page(page, app_url)
    page.click(".st-key-play button")
    wait_until(lambda: epoch(page) > 0)
    # every timer of the page but the live view's watchdog goes: the fragment's auto-rerun among them
    page.evaluate("""() => {
        const keep = window.__npBus.watchdog;
        const top = setInterval(() => {}, 100000);
        for (let id = 1; id <= top; id++) if (id !== keep) clearInterval(id);
    }""")
    time.sleep(2)
    stalled = epoch(page)
    time.sleep(2)
    assert epoch(page) == stalled  # nothing ticks any more
    wait_until(lambda: page.evaluate("() => (window.__npStats.wake || {}).draws || 0") >= 1, timeout=30)
    wait_until(lambda: epoch(page) > stalled, timeout=30)  # a full-page run set the timer again
    later = epoch(page)
    wait_until(lambda: epoch(page) > later, timeout=15)  # and it keeps ticking
