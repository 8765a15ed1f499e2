"""The server-wide share-out of the live views (ui/classroom.py): who counts as playing, turns to train
in arrival order, and each session's share shrinking as the class grows."""

from __future__ import annotations

import threading
import time

from ui.classroom import ACTIVE_FOR, Classroom, FairSlots
from ui.playground_live import TICK_SECONDS, epochs_for_tick, fair_timer, needs_retiming, snapshots_for_tick


class Clock:
    def __init__(self):
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_playing_sessions_are_counted_and_drop_out_when_they_stop_ticking():
    clock = Clock()
    room = Classroom(slots=1, clock=clock)
    assert room.playing() == 1 and room.playing("a") == 1  # alone, even before the first tick
    assert room.beat("a") == 1 and room.beat("b") == 2 and room.beat("a") == 2
    assert room.playing("c") == 3  # a session about to play counts itself
    clock.now += ACTIVE_FOR / 2
    assert room.beat("b") == 2
    clock.now += ACTIVE_FOR * 0.75  # "a" stopped ticking a while ago
    assert room.beat("b") == 1
    room.leave("b")
    assert room.playing() == 1 and room.beat("c") == 1


def test_turns_are_served_in_arrival_order_and_never_more_than_the_slots():
    slots = FairSlots(1)
    slots.acquire()  # the first session trains; the others queue behind it
    order, inside, most = [], [0], [0]
    lock = threading.Lock()

    def student(i: int) -> None:
        slots.acquire()
        with lock:
            inside[0] += 1
            most[0] = max(most[0], inside[0])
            order.append(i)
        time.sleep(0.01)
        with lock:
            inside[0] -= 1
        slots.release()

    threads = []
    for i in range(6):
        threads.append(threading.Thread(target=student, args=(i,)))
        threads[-1].start()
        deadline = time.time() + 5
        while slots.waiting() < i + 1 and time.time() < deadline:  # queue them one after another
            time.sleep(0.001)
    assert slots.waiting() == 6
    slots.release()
    for th in threads:
        th.join(5)
    assert order == list(range(6)) and most[0] == 1


def test_two_slots_let_two_train_at_once():
    room = Classroom(slots=2)
    together = threading.Barrier(2, timeout=5)

    def student():
        with room.turn():
            together.wait()  # both inside at the same moment, or the barrier times out

    threads = [threading.Thread(target=student) for _ in range(2)]
    for th in threads:
        th.start()
    for th in threads:
        th.join(6)
    assert not together.broken


def test_each_share_shrinks_as_the_class_grows():
    room = Classroom(slots=1)
    assert fair_timer(0, 1) <= 0.2 and fair_timer(0, 30) >= 3.0  # one student ticks fast, thirty slower
    assert fair_timer(1, 1) == 1.0  # a slow speed keeps its own, slower timer
    assert room.train_seconds(30, 1.5) < room.train_seconds(2, 1.5) / 10
    alone, crowded = ({"cycle": TICK_SECONDS}, {"cycle": fair_timer(0, 30)})
    assert snapshots_for_tick(alone, 100, 1) == 3
    assert snapshots_for_tick(crowded, 100, 30) / fair_timer(0, 30) >= 3  # still several pictures a second each
    # training per tick is capped by the session's share when many play
    timing = {"epoch": 0.0001, "train": 0.01, "start": 0.0, "cycle": 1.5, "outside": 1.4}
    shared = epochs_for_tick(dict(timing), 1.5, 0, playing=30)
    assert shared * 0.0001 <= room.train_seconds(30, 1.5) * 1.01


def test_the_timer_is_set_again_only_when_the_class_changed_a_lot():
    timing = {"interval": fair_timer(0, 10)}
    assert not needs_retiming(timing, 0, 10) and not needs_retiming(timing, 0, 11)
    assert needs_retiming(timing, 0, 20) and needs_retiming(timing, 0, 2)
    assert not needs_retiming({}, 0, 30)  # before the first timer is known


def test_a_crowded_session_measures_its_long_ticks_and_trains_its_share():
    """Thirty playing: each session ticks every few seconds, and that long tick is its cycle (not a pause),
    so it trains its full share each tick instead of the sliver a 0.2 s cycle would give."""
    room = Classroom(slots=1)
    interval = fair_timer(300, 30)
    timing = {"interval": interval, "epoch": 0.001, "train": 0.01}
    now = 0.0
    for _ in range(6):
        n = epochs_for_tick(timing, now, 300, playing=30)
        now += interval
    assert abs(timing["cycle"] - interval) < 0.05 * interval
    share = room.train_seconds(30, interval)
    assert n >= int(0.9 * share / 0.001) and n * 0.001 <= share * 1.01
    # a gap far longer than the timer (a pause) is not taken for a tick
    epochs_for_tick(timing, now + 10 * interval, 300, playing=30)
    assert abs(timing["cycle"] - interval) < 0.05 * interval


def test_a_crowded_class_keeps_counting_sessions_between_their_long_ticks():
    clock = Clock()
    room = Classroom(slots=1, clock=clock)
    for i in range(30):
        room.beat(f"s{i}")
    gap = room.tick_interval(30)
    assert gap > ACTIVE_FOR  # each of thirty ticks less often than the plain heartbeat window
    clock.now += gap * 0.9  # nobody has ticked again yet: all thirty still play
    assert room.playing() == 30
    clock.now += 2.5 * gap  # now they have all stopped
    assert room.playing() == 1
