"""Scale-out: two app replicas behind nginx (deploy/nginx.conf, on loopback), real browsers through it.

Each browser session must stay on the replica that served it first (sticky cookie), including its
websocket, and keep training over that websocket through nginx.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from conftest import ROOT, free_port, start_app, wait_for_app

NGINX = "/usr/sbin/nginx"
LOG_LINE = re.compile(r'"(?P<method>\S+) (?P<path>\S+)[^"]*" (?P<status>\d+) upstream=(?P<upstream>\S+) '
                      r"route=(?P<route>\S+)")
SESSIONS = [{"dataset": "xor", "seed": "11"}, {"dataset": "circle", "seed": "12"},
            {"dataset": "gauss", "seed": "13"}, {"dataset": "spiral", "seed": "14"}]


def render(conf: str, tmp: Path, port: int, replicas: list[int]) -> str:
    """deploy/nginx.conf with loopback ports and every file under tmp (the deployed file is unchanged)."""
    out = conf.replace("server 127.0.0.1:8501", f"server 127.0.0.1:{replicas[0]}")
    out = out.replace("server 127.0.0.1:8502", f"server 127.0.0.1:{replicas[1]}")
    out = re.sub(r"listen\s+80;", f"listen 127.0.0.1:{port};", out)
    out = re.sub(r"^pid .*;$", f"pid {tmp}/nginx.pid;", out, flags=re.M)
    out = re.sub(r"^error_log .*;$", f"error_log {tmp}/error.log warn;", out, flags=re.M)
    out = re.sub(r"access_log \S+ playground;", f"access_log {tmp}/access.log playground;", out)
    temps = "".join(f"    {kind}_temp_path {tmp}/{kind};\n"
                    for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    out = out.replace("http {\n", "http {\n" + temps, 1)
    for needed in (str(replicas[0]), str(replicas[1]), f"127.0.0.1:{port}", f"{tmp}/access.log"):
        assert needed in out, f"deploy/nginx.conf no longer has the line that sets {needed}"
    return out


def log_lines(tmp: Path) -> list[dict]:
    path = tmp / "access.log"
    text = path.read_text() if path.exists() else ""
    return [m.groupdict() for m in map(LOG_LINE.search, text.splitlines()) if m]


def errors_of(tmp: Path) -> str:
    path = tmp / "error.log"
    return path.read_text()[-1500:] if path.exists() else ""


def wait_http(url: str, timeout: float = 30) -> None:
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise AssertionError(f"{url} did not answer")


@pytest.fixture(scope="module")
def cluster():
    """Two replicas started as README says, and nginx in front of them on a free loopback port."""
    if not Path(NGINX).exists():
        pytest.fail("nginx is missing: run `bash scripts/test.sh`, which installs Debian's nginx")
    tmp = Path(tempfile.mkdtemp(prefix="np-nginx-"))
    tmp.chmod(0o755)
    for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"):
        (tmp / kind).mkdir(mode=0o777)
        (tmp / kind).chmod(0o777)  # nginx's workers may run as another user
    ports = [free_port(), free_port()]
    secret = {"STREAMLIT_SERVER_COOKIE_SECRET": "one-secret-for-every-replica"}
    with ThreadPoolExecutor(2) as pool:
        replicas = list(pool.map(lambda p: start_app(p, secret), ports))
    port = free_port()
    conf = tmp / "nginx.conf"
    conf.write_text(render((ROOT / "deploy" / "nginx.conf").read_text(), tmp, port, ports))
    check = subprocess.run([NGINX, "-t", "-p", str(tmp), "-c", str(conf), "-e", str(tmp / "error.log")],
                           capture_output=True, text=True)
    assert check.returncode == 0, check.stderr
    proxy = subprocess.Popen([NGINX, "-p", str(tmp), "-c", str(conf), "-e", str(tmp / "error.log"),
                              "-g", "daemon off;"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        wait_http(f"http://127.0.0.1:{port}/_stcore/health")
        yield {"url": f"http://127.0.0.1:{port}", "tmp": tmp,
               "replicas": {f"127.0.0.1:{p}" for p in ports}}
    finally:
        proxy.terminate()
        proxy.wait(10)
        shutil.rmtree(tmp, ignore_errors=True)
        for r in replicas:
            r.terminate()
        for r in replicas:
            try:
                r.wait(10)
            except subprocess.TimeoutExpired:
                r.kill()


def pinned_contexts(browser, cluster, per_replica: int = 2) -> list[tuple]:
    """Fresh browser contexts (own cookies each) until each replica has `per_replica` of them."""
    chosen: dict[str, list] = {r: [] for r in cluster["replicas"]}
    spare = []
    for _ in range(40):
        if all(len(v) >= per_replica for v in chosen.values()):
            break
        ctx = browser.new_context(viewport={"width": 1280, "height": 800})
        assert ctx.request.get(cluster["url"] + "/_stcore/health").ok
        route = next(c["value"] for c in ctx.cookies() if c["name"] == "np_route")
        upstream = next(l["upstream"] for l in log_lines(cluster["tmp"]) if l["route"] == route)
        (chosen[upstream] if len(chosen[upstream]) < per_replica else spare).append((ctx, route, upstream))
    for ctx, _, _ in spare:
        ctx.close()
    assert all(len(v) >= per_replica for v in chosen.values()), "the sticky hash never chose one replica"
    return [item for items in chosen.values() for item in items]


def epoch_of(page) -> int:
    digits = re.sub(r"\D", "", page.locator(".st-key-epoch").first.inner_text())
    return int(digits or 0)


def ensure_playing(page) -> None:
    """Press play and see the epoch counter move; a click that lands during a rerun is pressed again."""
    control = page.locator(".st-key-play button, .st-key-play [role='switch'], .st-key-play label").first
    for _ in range(3):
        if "pause" not in page.locator(".st-key-play").first.inner_text().lower():
            control.click()
        start = epoch_of(page)
        deadline = time.time() + 20  # the first epochs of a fresh replica take a while on a busy machine
        while time.time() < deadline:
            page.wait_for_timeout(500)
            if epoch_of(page) > start:
                return
    raise AssertionError("the epoch counter never rose after pressing play")


@pytest.mark.browser
@pytest.mark.slow
def test_sessions_stay_on_their_replica_and_keep_training(cluster, browser):
    # the session's shared Chromium (one Playwright per process: a second would clash with it)
    sessions = []
    for (ctx, route, upstream), query in zip(pinned_contexts(browser, cluster), SESSIONS):
        page = ctx.new_page()
        page.set_default_timeout(60_000)
        page.goto(f"{cluster['url']}/?dataset={query['dataset']}&seed={query['seed']}")
        wait_for_app(page, timeout=60_000)
        sessions.append({"ctx": ctx, "page": page, "route": route, "upstream": upstream, "query": query})
    for s in sessions:
        ensure_playing(s["page"])
    # every session trains over its websocket through nginx, all at once
    page0 = sessions[0]["page"]
    first = [epoch_of(s["page"]) for s in sessions]
    page0.wait_for_timeout(4000)
    second = [epoch_of(s["page"]) for s in sessions]
    page0.wait_for_timeout(3000)
    third = [epoch_of(s["page"]) for s in sessions]
    assert all(a < b < c for a, b, c in zip(first, second, third)), (first, second, third)
    for s in sessions:  # each page still shows its own experiment
        assert f"seed={s['query']['seed']}" in s["page"].url and s["query"]["dataset"] in s["page"].url
    # a reload comes back to the same replica
    sessions[0]["page"].reload()
    wait_for_app(sessions[0]["page"], timeout=60_000)
    for s in sessions:
        s["ctx"].close()
    time.sleep(1.0)  # nginx writes a websocket's log line when it closes
    lines = log_lines(cluster["tmp"])
    for s in sessions:
        mine = [l for l in lines if l["route"] == s["route"]]
        moved = [l for l in mine if l["upstream"] != s["upstream"]]
        assert not moved, f"session moved: {moved[:5]}; nginx said: {errors_of(cluster['tmp'])}"
        streams = [l for l in mine if l["path"].startswith("/_stcore/stream")]
        assert streams and all(l["status"] == "101" for l in streams), streams
        assert any(l["path"].startswith("/?") for l in mine)
    reloaded = [l for l in lines if l["route"] == sessions[0]["route"] and l["path"].startswith("/_stcore/stream")]
    assert len(reloaded) >= 2  # the reloaded page's second websocket went to the same replica
    assert {s["upstream"] for s in sessions} == cluster["replicas"]  # both replicas carried sessions
