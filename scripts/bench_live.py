"""How alive the Playground is: drives the real app in headless Chromium and measures the live view.

For each scenario (TF Playground's default; the 6x8 spiral) it opens the page from a link, presses
play, and reads from the canvas how often the boundary, the neurons and the loss curve were redrawn,
how many epochs per second reached the screen, how far the picture trails the engine (seconds from a
frame leaving the server to its pixels), and how long pause takes to stop the counter.

    python scripts/bench_live.py [--seconds 10] [--viewport 1280x800] [--url http://host:port]

The last line printed is one JSON object with fps, epochs_per_s and lag_s for each scenario.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run", "--disable-quic"]
# TF Playground redraws once per epoch; one of its frames costs 1/125 s (circle) and 1/14 s (spiral) here.
SCENARIOS = {
    "circle": ("dataset=circle&layers=4:tanh,2:tanh&speed=max", 125.0),
    "spiral": ("dataset=spiral&layers=" + ",".join(["8:tanh"] * 6) + "&speed=max", 14.0),
}
STATS = "() => JSON.parse(JSON.stringify(window.__npStats || {}))"


def start_app() -> tuple[subprocess.Popen, str]:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(ROOT / "streamlit_app.py"), "--server.port", str(port),
         "--server.address", "127.0.0.1", "--server.headless", "true", "--browser.gatherUsageStats", "false"],
        cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    url = f"http://127.0.0.1:{port}"
    for _ in range(120):
        try:
            with urllib.request.urlopen(url + "/_stcore/health", timeout=2):
                return proc, url
        except OSError:
            time.sleep(0.5)
    proc.kill()
    raise SystemExit("streamlit did not start")


def epoch_text(page) -> int:
    digits = "".join(ch for ch in page.inner_text(".st-key-epoch") if ch.isdigit())
    return int(digits or 0)


def measure(browser, url: str, query: str, seconds: float, viewport: tuple[int, int]) -> dict:
    ctx = browser.new_context(viewport={"width": viewport[0], "height": viewport[1]})
    page = ctx.new_page()
    page.set_default_timeout(60_000)
    page.goto(f"{url}/?{query}")
    page.wait_for_selector(".st-key-boundary canvas")
    page.wait_for_function("() => window.__npStats && window.__npStats.boundary")
    page.click(".st-key-play button")
    time.sleep(2.5)  # let the tick size settle
    page.evaluate("() => { for (const s of Object.values(window.__npStats)) s.lagMax = 0; }")
    cdp = ctx.new_cdp_session(page)
    cdp.send("Performance.enable")
    busy0 = _task_seconds(cdp)
    a, ta = page.evaluate(STATS), time.perf_counter()
    time.sleep(seconds)
    b, tb = page.evaluate(STATS), time.perf_counter()
    dt = tb - ta
    busy = (_task_seconds(cdp) - busy0) / dt

    def rate(kind: str, field: str = "draws") -> float:
        return (b.get(kind, {}).get(field, 0) - a.get(kind, {}).get(field, 0)) / dt

    draws = max(1, b["boundary"]["draws"] - a["boundary"]["draws"])
    lag = (b["boundary"]["lagSum"] - a["boundary"]["lagSum"]) / draws
    draw_ms = sum(b[k]["ms"] - a[k]["ms"] for k in ("boundary", "network", "loss")) / draws
    train_share = (b["tick"].get("train_ms", 0) - a["tick"].get("train_ms", 0)) / (1000 * dt)
    reruns = rate("tick")
    ticks = max(1, b["tick"]["draws"] - a["tick"]["draws"])
    per_tick = {k: round((b["tick"].get(f"{k}_ms", 0) - a["tick"].get(f"{k}_ms", 0)) / ticks, 1)
                for k in ("train", "build", "cycle", "outside")}
    # pause: click, then watch the counter until it has not moved for a second
    page.click(".st-key-play button")
    clicked = time.perf_counter()
    last, last_change = epoch_text(page), clicked
    at_click = last
    while time.perf_counter() - last_change < 1.0 and time.perf_counter() - clicked < 10:
        now = epoch_text(page)
        if now != last:
            last, last_change = now, time.perf_counter()
        time.sleep(0.02)
    ctx.close()
    return {
        "fps": round(rate("boundary"), 2),
        "fps_neurons": round(rate("network"), 2),
        "fps_loss": round(rate("loss"), 2),
        "reruns_per_s": round(reruns, 2),
        "epochs_per_s": round((b["boundary"]["epoch"] - a["boundary"]["epoch"]) / dt, 1),
        "lag_s": round(lag, 3),
        "lag_max_s": round(b["boundary"]["lagMax"], 3),
        "pause_s": round(last_change - clicked, 3),
        "pause_epochs": last - at_click,
        "browser_draw_ms": round(draw_ms, 2),
        "browser_busy": round(busy, 3),
        "train_share": round(train_share, 3),
        "tick_ms": per_tick,
    }


def _task_seconds(cdp) -> float:
    """Main-thread time the page has spent on tasks so far (Chrome's TaskDuration)."""
    metrics = cdp.send("Performance.getMetrics")["metrics"]
    return next(m["value"] for m in metrics if m["name"] == "TaskDuration")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--viewport", default="1280x800")
    parser.add_argument("--url", help="an already running app; by default one is started")
    parser.add_argument("--scenarios", default=",".join(SCENARIOS))
    args = parser.parse_args()
    viewport = tuple(int(v) for v in args.viewport.split("x"))
    proc, url = (None, args.url.rstrip("/")) if args.url else start_app()
    from playwright.sync_api import sync_playwright

    results = {}
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
            for name in args.scenarios.split(","):
                query, tf_live = SCENARIOS[name]
                r = measure(browser, url, query, args.seconds, viewport)
                r["tf_live_epochs_per_s"] = tf_live
                r["x_tf"] = round(r["epochs_per_s"] / tf_live, 1)
                results[name] = r
                print(f"{name:7s} fps {r['fps']:5.1f} (neurons {r['fps_neurons']:.1f}, loss {r['fps_loss']:.1f}; "
                      f"{r['reruns_per_s']:.1f} reruns/s)  "
                      f"epochs/s {r['epochs_per_s']:8.1f} ({r['x_tf']}x TF)  lag {r['lag_s']:.3f} s "
                      f"(max {r['lag_max_s']:.3f})  pause {r['pause_s']:.2f} s (+{r['pause_epochs']} epochs shown)  "
                      f"draw {r['browser_draw_ms']:.1f} ms/frame, page busy {r['browser_busy']:.0%}  "
                      f"training {r['train_share']:.0%} of the time; per tick {r['tick_ms']}", flush=True)
            browser.close()
    finally:
        if proc is not None:
            proc.terminate()
            proc.wait(10)
    results["load_avg"] = [round(x, 2) for x in os.getloadavg()]
    results["viewport"] = args.viewport
    print(json.dumps(results))


if __name__ == "__main__":
    main()
