"""The live loop: an auto-rerunning fragment that trains as many epochs per tick as fit, then draws.

A Streamlit rerun is the expensive part of a frame (the browser re-renders every widget on the page),
so each tick trains for most of a TICK_SECONDS period in a few chunks and sends a snapshot after each
chunk; the browser shows them spaced over the tick. The page measures what a tick costs outside
training and gives training the rest, so a faster engine shows up as more epochs per tick, while the
picture changes about TARGET_FPS times a second. The speed control caps epochs per second.

Sessions share the server (ui/classroom.py): with many playing at once each ticks less often, trains in
turn and sends fewer pictures per second, so that all of them keep moving.
"""

from __future__ import annotations

import time

import streamlit as st

from playground import frames, inspection
from ui import canvas
from ui import playground_state as state
from ui.classroom import CLASSROOM, CROWDED

TICK_SECONDS = 0.2  # one rerun per tick: long enough to amortise it, short enough for pause to land
TARGET_FPS = 15.0  # pictures per second, from snapshots taken within each tick
MAX_SNAPSHOTS = 16  # a crowded server ticks each session every few seconds: still several pictures a second
# The fragment's fastest timer. At full speed training fills each tick, so its length sets the pace. At a
# chosen speed the timer does, and it is never shorter than a tick: a rerun costs the browser far more
# than a picture (measured: about 17 ms of React work per rerun on this page, since every widget on it
# re-renders, against 4 ms per picture), so 5 ticks a second with 3 pictures each show the same 15
# pictures a second as 20 ticks with one each, for well under half the browser's work.
MIN_INTERVAL = 0.05
GRID_RES = 60  # boundary resolution (the canvas interpolates it smoothly)
MAX_EPOCHS_PER_TICK = 50_000
MAX_TRAIN_SECONDS = 0.25  # a tick never trains longer: pause must land within half a second
# Streamlit sends messages from its event loop, which needs the GIL that training keeps busy, and it
# drops a run's unsent messages when the next run starts: pausing this long after the tick's one
# message lets it leave (measured: without it, 2-3 of every 5 bundles never reached the browser).
FLUSH_SECONDS = 0.008
RETIME = 1.5  # the fragment's timer is set anew (a full rerun) when the fair one is this far off


def speed() -> int:
    value = st.session_state.get("speed", state.DEFAULT_SPEED)
    return value if value in state.SPEEDS else state.DEFAULT_SPEED


def interval() -> float | None:
    """The fragment's timer while playing: fast for fast speeds, about one tick per epoch for slow ones,
    and never faster than this session's share of the server's ticks."""
    if not state.playing():
        return None
    value = fair_timer(speed(), CLASSROOM.playing(state.session_id()))
    st.session_state.setdefault(state.TIMING, {})["interval"] = value
    return value


def timer_for(target: int) -> float:
    return MIN_INTERVAL if target == 0 else max(TICK_SECONDS, min(1.0, 1.0 / target))


def fair_timer(target: int, playing: int) -> float:
    return max(timer_for(target), CLASSROOM.tick_interval(playing))


def needs_retiming(timing: dict, target: int, playing: int) -> bool:
    """Has the class grown or shrunk so much that this session's timer should change?"""
    current, fair = timing.get("interval"), fair_timer(target, playing)
    return current is not None and not current / RETIME <= fair <= current * RETIME


def _ema(old: float | None, new: float, a: float = 0.3) -> float:
    return new if old is None else (1 - a) * old + a * new


def epochs_for_tick(timing: dict, now: float, target: int = 0, playing: int = 1) -> int:
    """How many epochs this tick trains, from the measured tick cost, the target epochs/s (0 = max) and
    this session's share of the server's training time when `playing` sessions train."""
    last = timing.get("start")
    # a gap much longer than the timer is a pause or a lost timer, not a tick's length; a crowded
    # server's timer is several seconds long, and its ticks must still be measured
    if last is not None and now - last < max(2.0, 2.5 * (timing.get("interval") or 0.0)):
        cycle = now - last
        timing["cycle"] = _ema(timing.get("cycle"), cycle)
        timing["outside"] = _ema(timing.get("outside"), max(0.0, cycle - timing.get("train", 0.0)))
    timing["start"] = now
    if target == 0:  # training fills what the tick's other work leaves
        outside = timing.get("outside", TICK_SECONDS / 2)
        budget = min(MAX_TRAIN_SECONDS, max(TICK_SECONDS - outside, 0.25 * TICK_SECONDS))
    else:  # the timer sets the pace; the time between ticks is mostly waiting, not work
        budget = min(MAX_TRAIN_SECONDS, 0.75 * max(TICK_SECONDS, timing.get("cycle", TICK_SECONDS)))
    if playing > 1:
        budget = min(budget, CLASSROOM.train_seconds(playing, timing.get("cycle", TICK_SECONDS)))
    per_epoch = timing.get("epoch")  # unknown on the first tick: train one epoch and measure it
    fit = 1 if per_epoch is None else max(1, min(MAX_EPOCHS_PER_TICK, int(budget / max(per_epoch, 1e-7))))
    if target == 0:
        return fit
    want = target * timing.get("cycle", timer_for(target)) + timing.get("carry", 0.0)
    n = min(fit, int(want))
    timing["carry"] = min(want - n, 1.0) if n < fit else 0.0
    return n


def snapshots_for_tick(timing: dict, epochs: int, playing: int = 1) -> int:
    """Pictures this tick sends: enough for TARGET_FPS (or this session's share of the server's pictures)
    over the measured tick, at most one per epoch."""
    cycle = timing.get("cycle", TICK_SECONDS)
    fps = min(TARGET_FPS, CLASSROOM.pictures_per_second(playing))
    return max(1, min(MAX_SNAPSHOTS, epochs, round(cycle * fps)))


def chunks(total: int, parts: int) -> list[int]:
    """`total` epochs in `parts` nearly equal runs."""
    return [total // parts + (1 if i < total % parts else 0) for i in range(parts)]


def train_tick() -> list[dict]:
    """Train this tick's epochs in chunks, a snapshot after each; pause on divergence or early stopping."""
    tr = state.trainer()
    timing = st.session_state.setdefault(state.TIMING, {})
    playing = CLASSROOM.beat(state.session_id())
    if needs_retiming(timing, speed(), playing):
        state.request_app_rerun()
    n = epochs_for_tick(timing, time.perf_counter(), speed(), playing)
    timing["n"], timing["playing"] = n, playing
    timing["train"] = 0.0
    if n <= 0:
        return [snapshot_frame()]
    pictures = []
    timing["build"] = 0.0
    for part in chunks(n, snapshots_for_tick(timing, n, playing)):
        with CLASSROOM.turn():
            t0 = time.perf_counter()
            snap = tr.run(part, budget=False)
            t1 = time.perf_counter()
        pictures.append(snapshot_frame())
        timing["train"] += t1 - t0
        timing["build"] += time.perf_counter() - t1
        if snap.status != "running":
            break
    timing["epoch"] = _ema(timing.get("epoch"), timing["train"] / n, 0.5)
    if snap.status == "diverged" or (snap.status == "done" and snap.message):
        state.pause()
        state.request_app_rerun()
    return pictures


def snapshot_frame() -> dict:
    """The run as it stands: boundary and every neuron on the grid, weights, numbers and curve."""
    tr = state.trainer()
    grid = inspection.decision_grid(tr, GRID_RES)
    return frames.build_frame(tr, grid, tr.snapshot(), seq=state.next_seq(), session=state.session_id())


def render() -> None:
    """The live fragment: while playing it reruns on a timer, trains a tick, and sends one frame."""
    st.fragment(run_every=interval())(_tick)()


def _woken() -> None:
    """The browser's watchdog: the page says playing but no tick arrived for long (its fragment timer was
    lost); a full-page run sets the timer again."""
    if state.playing():
        state.request_app_rerun()


def _tick() -> None:
    if state.take_app_rerun():
        st.rerun(scope="app")
    tick = {}
    if state.playing() and state.can_train():
        pictures = train_tick()
        timing = st.session_state.get(state.TIMING) or {}
        spacing = timing.get("cycle", TICK_SECONDS) / len(pictures)
        tick = {"epochs": timing.get("n", 0), "playing": timing.get("playing", 1),
                **{f"{k}_ms": round(1000 * timing.get(k, 0.0), 2) for k in ("train", "build", "cycle", "outside")}}
    else:
        CLASSROOM.leave(state.session_id())
        pictures, spacing = [snapshot_frame()], 0.0
    crowded = tick.get("playing", 1) >= CROWDED
    canvas.feed("feed", frames.bundle(pictures, spacing, tick, network_each=not crowded), on_wake=_woken)
    if tick:
        time.sleep(FLUSH_SECONDS)
    if state.take_app_rerun():  # the run just diverged or stopped early: redraw controls and banner
        st.rerun(scope="app")
