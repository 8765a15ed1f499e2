"""One student leaves the Playground training for a long time: memory must stay flat, and a closed session
must give its memory back.

Starts the app as README says, opens one headless Chromium session, presses play (key `play`) and keeps it
training for --minutes, printing the server's RSS, the page's JS heap and DOM size and the epoch every
--every seconds. Then it pauses (play again) and checks training stops, closes the session, and runs
--churn rounds of opening and closing a few more sessions: if closed sessions kept their models, the
server's memory would grow with every round.

The last line printed is one JSON object with the series, the growth, and the `flat` and `freed` verdicts.

    python scripts/soak_test.py --minutes 30
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from load_test import (  # noqa: E402
    ensure_playing,
    free_port,
    launch_browser,
    open_session,
    press_play,
    proc_stats,
    read_state,
    session_query,
    start_server,
    stop_server,
)

DOM_JS = "() => ({nodes: document.getElementsByTagName('*').length,"\
         " images: document.images.length, plots: document.querySelectorAll('.js-plotly-plot').length})"


def slope_per_hour(ts: list[float], ys: list[float]) -> float:
    """Least-squares slope of ys over ts (seconds), per hour."""
    if len(ts) < 3:
        return 0.0
    mt, my = statistics.fmean(ts), statistics.fmean(ys)
    den = sum((t - mt) ** 2 for t in ts)
    return 3600 * sum((t - mt) * (y - my) for t, y in zip(ts, ys, strict=True)) / den if den else 0.0


def soak(args) -> dict:
    from urllib.parse import urlencode

    from playwright.sync_api import sync_playwright

    port = args.port or free_port()
    # A closed tab's session is dropped after this TTL (Streamlit's default is 120 s); shorter here so
    # the churn rounds see it happen.
    server = start_server(port, args.app, extra=["--server.disconnectedSessionTTL", str(args.ttl)])
    base = f"http://127.0.0.1:{port}"
    errors: list[str] = []
    series = []
    out: dict = {"minutes": args.minutes}
    try:
        with sync_playwright() as pw:
            browser = launch_browser(pw)
            query = session_query(3)  # a deep tanh network on spiral: the heaviest of the classroom set
            ctx, page = open_session(browser, f"{base}/?{urlencode(query)}", errors, "soak")
            out["server_before_play"] = proc_stats(server.pid)
            ensure_playing(page)
            t0 = time.time()
            while time.time() - t0 < args.minutes * 60:
                time.sleep(min(args.every, max(0.0, args.minutes * 60 - (time.time() - t0))))
                st = read_state(page)
                dom = page.evaluate(DOM_JS)
                row = {"t_s": round(time.time() - t0), **proc_stats(server.pid), "epoch": st["epoch"],
                       "heap_mb": round(st["heap_mb"], 1) if st["heap_mb"] else None, "dom_nodes": dom["nodes"],
                       "plots": dom["plots"], "images": dom["images"]}
                series.append(row)
                print(json.dumps(row), flush=True)
                if st["exceptions"]:
                    errors.append(f"t={row['t_s']}s: exception on the page")
            before = read_state(page)["epoch"]
            if "pause" in page.locator(".st-key-play").first.inner_text().lower():
                press_play(page)  # pause
            time.sleep(2)
            paused_at = read_state(page)["epoch"]
            time.sleep(3)
            if read_state(page)["epoch"] != paused_at:
                errors.append("training went on after pause")
            out["paused_at_epoch"] = paused_at
            out["epochs_trained"] = before
            ctx.close()
            out["churn"] = churn(browser, base, server, args, errors)
            browser.close()
    finally:
        stop_server(server)
    out.update(verdict(series, out, args))
    out["errors"] = len(errors)
    out["error_messages"] = errors[:20]
    out["series"] = [{k: r[k] for k in ("t_s", "rss_mb", "threads", "epoch", "heap_mb", "dom_nodes")}
                     for r in series]
    return out


def churn(browser, base, server, args, errors) -> dict:
    """Rounds of opening, training and closing sessions; the server's RSS after each round settles."""
    from urllib.parse import urlencode

    settle = args.ttl + 10
    time.sleep(settle)
    rss = [proc_stats(server.pid)["rss_mb"]]
    for r in range(args.churn):
        opened = []
        for k in range(args.churn_sessions):
            query = session_query(10 * r + k)
            try:
                ctx, page = open_session(browser, f"{base}/?{urlencode(query)}", errors, f"churn {r}.{k}")
                ensure_playing(page)
                opened.append((ctx, page))
            except Exception as exc:
                errors.append(f"churn {r}.{k}: {str(exc).splitlines()[0][:160]}")
        time.sleep(args.churn_seconds)
        peak = proc_stats(server.pid)["rss_mb"]
        for ctx, _ in opened:
            ctx.close()
        time.sleep(settle)
        rss.append(proc_stats(server.pid)["rss_mb"])
        print(json.dumps({"churn_round": r, "rss_open_mb": peak, "rss_after_close_mb": rss[-1]}), flush=True)
    return {"rounds": args.churn, "sessions_per_round": args.churn_sessions, "rss_after_each_round_mb": rss}


def verdict(series, out, args) -> dict:
    if not series:
        return {"flat": False, "freed": False}
    ts = [r["t_s"] for r in series]
    rss = [r["rss_mb"] for r in series]
    half = len(series) // 2
    growth = rss[-1] - rss[half] if half < len(rss) else 0.0
    slope = slope_per_hour(ts[half:], rss[half:])
    heap = [r["heap_mb"] for r in series if r["heap_mb"] is not None]
    rounds = out.get("churn", {}).get("rss_after_each_round_mb", [])
    per_round = (rounds[-1] - rounds[0]) / max(1, len(rounds) - 1) if len(rounds) > 1 else 0.0
    return {
        "epochs_per_s": round(out.get("epochs_trained", 0) / max(1, ts[-1]), 1),
        "rss_first_mb": rss[0], "rss_mid_mb": rss[half], "rss_last_mb": rss[-1], "rss_max_mb": max(rss),
        "growth_second_half_mb": round(growth, 1), "slope_mb_per_hour": round(slope, 1),
        "client_heap_first_mb": heap[0] if heap else None, "client_heap_last_mb": heap[-1] if heap else None,
        "dom_nodes_first": series[0]["dom_nodes"], "dom_nodes_last": series[-1]["dom_nodes"],
        "churn_growth_per_round_mb": round(per_round, 1),
        # flat: the second half grows by less than 10 MB (noise of the allocator) and 5 %
        "flat": growth < max(10.0, 0.05 * rss[half]),
        # freed: a round of closed sessions leaves less than 5 MB behind
        "freed": per_round < 5.0,
    }


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--minutes", type=float, default=30, help="training time (default 30)")
    p.add_argument("--every", type=float, default=30, help="seconds between samples (default 30)")
    p.add_argument("--churn", type=int, default=4, help="open/close rounds after the soak (default 4)")
    p.add_argument("--churn-sessions", type=int, default=4, help="sessions per round (default 4)")
    p.add_argument("--churn-seconds", type=float, default=15, help="training time per round (default 15)")
    p.add_argument("--ttl", type=int, default=10, help="server.disconnectedSessionTTL in seconds (default 10)")
    p.add_argument("--port", type=int, help="server port (default: a free one)")
    p.add_argument("--app", default="streamlit_app.py", help="the app script (default: as README)")
    args = p.parse_args(argv)
    result = soak(args)
    print(json.dumps(result))
    return 0 if result["errors"] == 0 and result.get("flat") and result.get("freed") else 1


if __name__ == "__main__":
    sys.exit(main())
