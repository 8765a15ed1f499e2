"""A classroom on one server: N real headless Chromium sessions each press play on a different experiment.

Starts the app the way README says (`streamlit run streamlit_app.py`, here on a free loopback port), opens
--sessions browser contexts (one Streamlit session each), presses play (key `play`) in each and keeps them
training for --seconds. Each page carries a small probe that counts changes of the epoch counter (key
`epoch`) and of the decision boundary (key `boundary`: DOM changes, or draws on a canvas inside it).

The last line printed is one JSON object: sessions, min_fps, median_fps, errors, server_rss_mb, and the
per-session figures (fps, epochs/s, memory), server threads and the isolation check.

    python scripts/load_test.py --sessions 10 --seconds 60
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from urllib.parse import parse_qs, urlencode, urlparse

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--disable-quic", "--disable-dev-shm-usage"]

# Counts, inside each page, the changes a person would see. Runs in every frame (iframes too); a change
# in a frame or shadow root is attributed to the `.st-key-<key>` element that hosts it.
PROBE_JS = r"""
(() => {
  if (window.__np) return;
  const np = window.__np = {boundary: 0, epochText: 0, epoch: null, lastBoundary: 0, epochs: []};
  const hostOf = (node, key) => {
    let el = node && (node.nodeType === 1 ? node : node.parentElement);
    let win = window;
    for (let hops = 0; el && hops < 8; hops++) {
      const found = el.closest && el.closest('.st-key-' + key);
      if (found) return found;
      const root = el.getRootNode && el.getRootNode();
      if (root && root.host) { el = root.host; continue; }
      try { el = win.frameElement; win = win.parent; } catch (e) { return null; }
    }
    return null;
  };
  const top = () => { try { return window.top.__np || np; } catch (e) { return np; } };
  np.bump = () => {
    const t = performance.now();
    if (t - np.lastBoundary > 15) { np.boundary++; np.lastBoundary = t; }
  };
  np.readEpoch = () => {
    const el = document.querySelector('.st-key-epoch');
    if (!el) return;
    // the text nodes, not innerText: innerText lays the page out, on every change, in all 30 pages
    let text = '', n;
    const walk = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
    while ((n = walk.nextNode())) if (!/^(STYLE|SCRIPT)$/.test(n.parentNode.nodeName)) text += n.data + ' ';
    const m = text.match(/\d{1,3}(?:[,\u202f\u00a0 ]\d{3})+|\d+/);
    if (!m) return;
    const v = parseInt(m[0].replace(/\D/g, ''), 10);
    if (v !== np.epoch) { np.epoch = v; np.epochText++; np.epochs.push([Date.now(), v]); }
    if (np.epochs.length > 4000) np.epochs.splice(0, 2000);
  };
  const holds = (n, key) => n.nodeType === 1 && (n.matches('.st-key-' + key) || !!n.querySelector('.st-key-' + key));
  const watch = (root) => new MutationObserver((muts) => {
    let b = false;
    for (const m of muts) {
      // stale-marking and styling are not a new picture; new nodes, sources, paths and text are
      if (m.type === 'attributes' && /^(class|style|title|tabindex|data-stale|aria-)/.test(m.attributeName)) continue;
      const added = Array.from(m.addedNodes).some((n) => holds(n, 'boundary'));
      if (added || hostOf(m.target, 'boundary')) { b = true; break; }
    }
    if (b) top().bump();
    top().readEpoch();
  }).observe(root, {subtree: true, childList: true, attributes: true, characterData: true});
  watch(document);
  const origAttach = Element.prototype.attachShadow;
  Element.prototype.attachShadow = function (init) { const r = origAttach.call(this, init); watch(r); return r; };
  for (const proto of [window.CanvasRenderingContext2D && CanvasRenderingContext2D.prototype,
                       window.WebGLRenderingContext && WebGLRenderingContext.prototype,
                       window.WebGL2RenderingContext && WebGL2RenderingContext.prototype]) {
    if (!proto) continue;
    for (const name of ['putImageData', 'drawImage', 'fillRect', 'drawArrays', 'drawElements']) {
      const orig = proto[name];
      if (!orig) continue;
      proto[name] = function (...args) {
        try { if (hostOf(this.canvas, 'boundary')) top().bump(); } catch (e) {}
        return orig.apply(this, args);
      };
    }
  }
})();
"""

STATE_JS = """() => {
  const np = window.__np || {};
  const status = document.querySelector('[data-testid="stStatusWidget"]');
  // the page's own canvas keeps draw counts and lag (ui/canvas.js); the probe's count is the fallback
  const own = (window.__npStats || {}).boundary;
  return {boundary: own ? own.draws : (np.boundary || 0), ownCounter: !!own, epoch: np.epoch,
          epochText: np.epochText || 0, lagMax: own ? own.lagMax : null,
          play: ((document.querySelector('.st-key-play') || {}).innerText || '').trim().slice(0, 20),
          exceptions: document.querySelectorAll('[data-testid="stException"]').length,
          disconnected: !!(status && /connect/i.test(status.innerText)),
          heap_mb: performance.memory ? performance.memory.usedJSHeapSize / 1048576 : null,
          dataset: (() => { const el = document.querySelector('.st-key-dataset'); if (!el) return '';
                            const values = Array.from(el.querySelectorAll('input')).map((i) => i.value);
                            return el.innerText + ' ' + values.join(' '); })()};
}"""

# Classroom variety: each session gets its own dataset, seed, network and rate.
DATASETS = ["circle", "xor", "gauss", "spiral", "moons", "checkerboard", "plane", "multigauss", "sine"]
NETWORKS = ["4:tanh,2:tanh", "8:relu,8:relu", "6:tanh,6:tanh,6:tanh", "16:relu", "8:tanh,8:tanh,8:tanh,8:tanh"]
RATES = ["0.03", "0.01", "0.1", "0.003", "0.3"]


def session_query(i: int) -> dict[str, str]:
    """The i-th student's experiment as URL query parameters (the config's own keys)."""
    from playground.config import Config

    query = {"dataset": DATASETS[i % len(DATASETS)], "seed": str(1000 + i),
             "layers": NETWORKS[i % len(NETWORKS)], "learning_rate": RATES[(i // 2) % len(RATES)]}
    config, warnings = Config.from_query(query)
    assert not warnings, warnings
    return {k: config.to_query()[k] for k in query}


# Loaded into the server through PYTHONPATH (it changes nothing): once the app has imported torch, it
# writes torch's intra-op and inter-op thread counts as the app process sees them; SIGUSR1 makes the
# server write every thread's Python stack (for a run where sessions stall).
THREADS_PROBE = """
import faulthandler, os, signal, sys, threading, time

faulthandler.register(signal.SIGUSR1, file=open(os.environ["NP_STACKS_FILE"], "w"), all_threads=True)

def _report(path=os.environ["NP_TORCH_THREADS_FILE"]):
    while "torch" not in sys.modules or not hasattr(sys.modules["torch"], "get_num_threads"):
        time.sleep(0.5)
    torch = sys.modules["torch"]
    seen = {}

    def read():  # a fresh thread each time, as each Streamlit script run is: torch sets it up anew
        seen["v"] = f"{torch.get_num_threads()} {torch.get_num_interop_threads()}"

    while True:
        time.sleep(2)
        reader = threading.Thread(target=read, name="np-threads-read")
        reader.start()
        reader.join()
        with open(path, "w") as fh:
            fh.write(seen["v"])

threading.Thread(target=_report, daemon=True, name="np-threads-probe").start()
"""


def torch_threads_probe(tmp: Path) -> dict:
    """Environment that makes the server report torch's thread settings into tmp/threads."""
    (tmp / "sitecustomize.py").write_text(THREADS_PROBE)
    path = os.pathsep.join(p for p in (str(tmp), os.environ.get("PYTHONPATH", "")) if p)
    return {"PYTHONPATH": path, "NP_TORCH_THREADS_FILE": str(tmp / "threads"),
            "NP_STACKS_FILE": str(tmp / "stacks.txt")}


def health_ms(base: str) -> float | None:
    """How long the server takes to answer /_stcore/health (None: not within 10 s): a blocked event loop."""
    t0 = time.perf_counter()
    try:
        with urllib.request.urlopen(f"{base}/_stcore/health", timeout=10) as r:
            r.read()
        return round(1000 * (time.perf_counter() - t0), 1)
    except OSError:
        return None


def read_torch_threads(tmp: Path) -> dict | None:
    try:
        intra, inter = (tmp / "threads").read_text().split()
        return {"intra_op": int(intra), "inter_op": int(inter)}
    except (OSError, ValueError):
        return None


# ---- the server --------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(port: int, app: str = "streamlit_app.py", extra: list[str] | None = None,
                 env: dict | None = None, log=None) -> subprocess.Popen:
    """`streamlit run streamlit_app.py` (README) on loopback; returns once /_stcore/health answers."""
    cmd = [sys.executable, "-m", "streamlit", "run", app, "--server.port", str(port),
           "--server.address", "127.0.0.1", "--server.headless", "true", "--browser.gatherUsageStats", "false",
           *(extra or [])]
    proc = subprocess.Popen(cmd, cwd=ROOT, env={**os.environ, "PYTHONUNBUFFERED": "1", **(env or {})},
                            stdout=log or subprocess.DEVNULL, stderr=subprocess.STDOUT)
    wait_healthy(f"http://127.0.0.1:{port}", proc)
    return proc


def wait_healthy(base: str, proc: subprocess.Popen | None = None, timeout: float = 90) -> None:
    deadline = time.time() + timeout
    while time.time() < deadline:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"the server exited with code {proc.returncode}")
        try:
            with urllib.request.urlopen(f"{base}/_stcore/health", timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"{base} did not become healthy within {timeout:.0f} s")


def stop_server(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(5)


def proc_stats(pid: int) -> dict:
    """RSS (MB), OS threads and CPU seconds of one process, from /proc."""
    status = Path(f"/proc/{pid}/status").read_text()
    rss = next(int(l.split()[1]) for l in status.splitlines() if l.startswith("VmRSS:")) / 1024
    threads = next(int(l.split()[1]) for l in status.splitlines() if l.startswith("Threads:"))
    stat = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    cpu = (int(stat[11]) + int(stat[12])) / os.sysconf("SC_CLK_TCK")
    return {"rss_mb": round(rss, 1), "threads": threads, "cpu_s": round(cpu, 2)}


# ---- the browser side --------------------------------------------------------------------------------


def launch_browser(pw):
    return pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)


def wait_for_app(page, timeout: float = 60_000) -> None:
    page.wait_for_selector("[data-testid='stApp']", timeout=timeout)
    page.wait_for_function(
        "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')"
        " || !/Running/.test(document.querySelector('[data-testid=\"stStatusWidget\"]').innerText)",
        timeout=timeout,
    )


PLAY_CONTROL = ", ".join(f".st-key-play {w}" for w in ("button", "[role='switch']", "label"))


def open_session(browser, url: str, errors: list, label: str):
    """A fresh context (its own cookies: its own Streamlit session) on `url`, probe installed."""
    ctx = browser.new_context(viewport={"width": 1280, "height": 800})
    ctx.add_init_script(PROBE_JS)
    page = ctx.new_page()
    page.set_default_timeout(60_000)
    page.on("pageerror", lambda exc: errors.append(f"{label}: page error: {str(exc)[:200]}"))
    frames = page.ws_frames = {"sent": 0, "received": 0, "closed": 0}  # which side goes quiet, if one does

    def on_ws(ws):
        ws.on("framesent", lambda _: frames.__setitem__("sent", frames["sent"] + 1))
        ws.on("framereceived", lambda _: frames.__setitem__("received", frames["received"] + 1))
        ws.on("close", lambda _: frames.__setitem__("closed", frames["closed"] + 1))

    page.on("websocket", on_ws)
    page.goto(url, wait_until="domcontentloaded")
    wait_for_app(page)
    page.wait_for_selector(PLAY_CONTROL, timeout=60_000)
    return ctx, page


def press_play(page) -> None:
    """Click the play control, whatever widget it is (button, toggle, segmented control)."""
    page.locator(PLAY_CONTROL).first.click()


def ensure_playing(page, timeout: float = 120) -> int:
    """Press play and wait until the control shows pause and the epoch counter moves; the epoch.

    On a busy machine a click can take many seconds to come back; it is repeated only when the control
    still offers play half a minute later (a click that landed during a rerun is lost), never sooner,
    since a second click that arrives late would pause the run again.
    """
    start = read_state(page)["epoch"] or 0
    deadline, clicked = time.time() + timeout, None
    while time.time() < deadline:
        playing = "pause" in page.locator(".st-key-play").first.inner_text().lower()
        epoch = read_state(page)["epoch"] or 0
        if playing and epoch > start:
            return epoch
        if not playing and (clicked is None or time.time() - clicked > 30):
            press_play(page)
            clicked = time.time()
        time.sleep(0.5)
    raise RuntimeError("the epoch counter did not rise after pressing play")


def read_state(page) -> dict:
    return {**page.evaluate(STATE_JS), **{f"ws_{k}": v for k, v in getattr(page, "ws_frames", {}).items()}}


def isolation_problems(page, query: dict, dataset_labels: dict) -> list[str]:
    """Does this page still show its own experiment (URL and dataset picker), nobody else's?"""
    problems = []
    shown = {k: v[-1] for k, v in parse_qs(urlparse(page.url).query).items()}
    for key in ("dataset", "seed"):
        if key in shown and shown[key] != query[key]:
            problems.append(f"url {key}={shown[key]!r}, opened with {query[key]!r}")
    if "seed" not in shown:
        problems.append("the URL no longer carries the config")
    text = read_state(page)["dataset"].lower()
    label = dataset_labels.get(query["dataset"], query["dataset"]).lower()
    if text and query["dataset"] not in text and label not in text:
        problems.append(f"dataset picker shows {text[:40]!r}, expected {query['dataset']}")
    return problems


def dump_stacks(pid: int, probe_dir: Path, out: str) -> str:
    """Every session froze: ask the server for all its threads' stacks and keep them for the report."""
    os.kill(pid, signal.SIGUSR1)
    time.sleep(1.0)
    shutil.copy(probe_dir / "stacks.txt", out)
    print(f"every session stalled: server stacks written to {out}", file=sys.stderr, flush=True)
    return out


# ---- the run -----------------------------------------------------------------------------------------


def run(args) -> dict:
    from playwright.sync_api import sync_playwright

    port = args.port or free_port()
    log = open(args.server_log, "w") if args.server_log else None
    probe_dir = Path(tempfile.mkdtemp(prefix="np-load-"))
    server = start_server(port, args.app, log=log, env=torch_threads_probe(probe_dir))
    base = f"http://127.0.0.1:{port}"
    errors: list[str] = []
    sessions = []
    samples = []
    result: dict = {"sessions": args.sessions, "seconds": args.seconds}
    try:
        with sync_playwright() as pw:
            browser = launch_browser(pw)
            warm_ctx, warm = open_session(browser, f"{base}/", errors, "warm-up")  # imports, caches
            warm_ctx.close()
            time.sleep(1)
            idle = proc_stats(server.pid)
            result["server_idle"] = idle
            for i in range(args.sessions):
                query = session_query(i)
                label = f"session {i}"
                try:
                    ctx, page = open_session(browser, f"{base}/?{urlencode(query)}", errors, label)
                    ensure_playing(page)
                    sessions.append({"i": i, "query": query, "ctx": ctx, "page": page, "ok": True})
                except Exception as exc:  # a session that cannot start is an error, not the end of the run
                    errors.append(f"{label}: could not start: {str(exc).splitlines()[0][:200]}")
                    print(errors[-1], file=sys.stderr, flush=True)
                print(f"session {i} playing ({len(sessions)} ok)", file=sys.stderr, flush=True)
            loaded = proc_stats(server.pid)
            start = {s["i"]: read_state(s["page"]) for s in sessions}
            t0 = time.time()
            while time.time() - t0 < args.seconds:
                time.sleep(min(5.0, max(0.0, args.seconds - (time.time() - t0))))
                stats = proc_stats(server.pid)
                epochs = {}
                for s in sessions:
                    try:
                        epochs[s["i"]] = read_state(s["page"])["epoch"]
                    except Exception as exc:
                        errors.append(f"session {s['i']}: probe failed: {str(exc)[:120]}")
                        s["ok"] = False
                samples.append({"t": round(time.time() - t0, 1), **stats, "epochs": epochs,
                                "health_ms": health_ms(base)})
                print(f"t={samples[-1]['t']}s rss={stats['rss_mb']}MB threads={stats['threads']} "
                      f"health={samples[-1]['health_ms']}ms epochs={list(epochs.values())}",
                      file=sys.stderr, flush=True)
                if args.stacks_out and len(samples) > 1 and "server_stacks" not in result and epochs and all(
                        epochs[i] == samples[-2]["epochs"].get(i) for i in epochs):
                    result["server_stacks"] = dump_stacks(server.pid, probe_dir, args.stacks_out)
            elapsed = time.time() - t0
            end = {s["i"]: read_state(s["page"]) for s in sessions}
            result.update(summarise(sessions, start, end, samples, elapsed, errors, idle, loaded))
            for s in sessions:
                s["ctx"].close()
            browser.close()
        time.sleep(2)
        result["server_after_close"] = proc_stats(server.pid)
        result["torch_threads_in_server"] = read_torch_threads(probe_dir)
    finally:
        shutil.rmtree(probe_dir, ignore_errors=True)
        stop_server(server)
        if log:
            log.close()
    return result


def summarise(sessions, start, end, samples, elapsed, errors, idle, loaded) -> dict:
    from playground.i18n import CATALOGUE

    labels = {k.rsplit(".", 1)[1]: v[0] for k, v in CATALOGUE.items() if ".ds." in k}  # the picker's names
    per = []
    for s in sessions:
        i, a, b = s["i"], start[s["i"]], end[s["i"]]
        series = [smp["epochs"].get(i) for smp in samples if smp["epochs"].get(i) is not None]
        if any(y < x for x, y in zip(series, series[1:], strict=False)):
            errors.append(f"session {i}: its epoch counter went backwards: {series}")
        if b["exceptions"]:
            errors.append(f"session {i}: {b['exceptions']} exception(s) on the page")
        if b["disconnected"]:
            errors.append(f"session {i}: the page shows a connection problem")
        for p in isolation_problems(s["page"], s["query"], labels):
            errors.append(f"session {i}: {p}")
        fps = (b["boundary"] - a["boundary"]) / elapsed
        epoch_fps = (b["epochText"] - a["epochText"]) / elapsed
        epochs_per_s = ((b["epoch"] or 0) - (a["epoch"] or 0)) / elapsed
        if epoch_fps <= 0:
            errors.append(f"session {i}: stopped training (epochs {series[:3]}...{series[-2:]}, "
                          f"play control shows {b['play']!r})")
        per.append({"i": i, "dataset": s["query"]["dataset"], "fps": round(fps, 2),
                    "lag_max_s": round(b["lagMax"], 2) if b["lagMax"] is not None else None,
                    "epoch_fps": round(epoch_fps, 2), "epochs_per_s": round(epochs_per_s, 1),
                    "client_heap_mb": round(b["heap_mb"], 1) if b["heap_mb"] else None, "epochs": series,
                    "ws_frames_sent": b.get("ws_sent", 0) - a.get("ws_sent", 0),
                    "ws_frames_received": b.get("ws_received", 0) - a.get("ws_received", 0),
                    "ws_closed": b.get("ws_closed", 0)})
    # a page that draws on a canvas the probe cannot see still counts its visible epoch updates
    fps = [p["fps"] if p["fps"] > 0 else p["epoch_fps"] for p in per]
    peak = max([smp["rss_mb"] for smp in samples] + [loaded["rss_mb"]])
    cpu = (samples[-1]["cpu_s"] - loaded["cpu_s"]) / elapsed if samples else None
    n = max(1, len(per))
    return {
        "min_fps": round(min(fps), 2) if fps else 0.0,
        "median_fps": round(statistics.median(fps), 2) if fps else 0.0,
        "errors": len(errors),
        "server_rss_mb": peak,
        "server_rss_idle_mb": idle["rss_mb"],
        "per_session_mb": round((peak - idle["rss_mb"]) / n, 2),
        "server_threads": {"idle": idle["threads"], "loaded": loaded["threads"],
                           "peak": max([smp["threads"] for smp in samples] + [loaded["threads"]])},
        "server_cpu_cores": round(cpu, 2) if cpu is not None else None,
        "min_epochs_per_s": min((p["epochs_per_s"] for p in per), default=0.0),
        "median_epochs_per_s": statistics.median([p["epochs_per_s"] for p in per]) if per else 0.0,
        "median_epoch_fps": statistics.median([p["epoch_fps"] for p in per]) if per else 0.0,
        "per_session": per,
        "rss_series_mb": [smp["rss_mb"] for smp in samples],
        "health_ms_series": [smp["health_ms"] for smp in samples],
        "error_messages": errors[:50],
        "load_average": os.getloadavg()[0],
    }


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--sessions", type=int, default=30, help="browser sessions (default 30)")
    p.add_argument("--seconds", type=float, default=60, help="measured training time (default 60)")
    p.add_argument("--port", type=int, help="server port (default: a free one)")
    p.add_argument("--app", default="streamlit_app.py", help="the app script (default: as README)")
    p.add_argument("--server-log", help="write the server's output here")
    p.add_argument("--stacks-out", help="if every session stalls, write the server's thread stacks here "
                   "(off by default: dumping a running server's threads can crash it, and once did)")
    args = p.parse_args(argv)
    result = run(args)
    print(json.dumps(result))
    return 0 if result["errors"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
