"""One server, a whole class: the live views of every session share the server's cores fairly.

Measured with scripts/load_test.py on 2 cores: when each playing session ran its own timer at full rate,
about ten sessions were enough to freeze them all. Every tick of every session is a script run on a new
thread, and training releases the GIL, so ten sessions meant ten busy native threads and some fifty
thread starts a second competing with the one event-loop thread that sends everybody's pictures; it got
too little of a core to keep up, and every view stalled together.

So the live view asks this process-wide registry three things each tick:
- how many sessions are playing (each tick is a heartbeat; a session that stopped ticking drops out);
- how often it may tick: the server as a whole runs about TICKS_PER_SECOND live ticks, shared out;
- a turn to train: at most SLOTS sessions train at the same moment, first come first served, and each
  session's training per tick is its share of TRAIN_SHARE of those slots.
Pictures per tick follow from a server-wide PICTURES_PER_SECOND the same way. A sweep (app_pages/sweep.py)
trains its slices inside the same turns, in smaller slices when many sessions play. One student alone gets
the full rate; thirty get slower, but every one of them keeps moving.
"""

from __future__ import annotations

import os
import threading
import time
from collections import deque
from contextlib import contextmanager

ACTIVE_FOR = 3.0  # seconds (or two of the class's tick intervals): silent this long, a session no longer plays
TICKS_PER_SECOND = 8.0  # live ticks the whole server runs per second (a rerun, a thread, a message each)
PICTURES_PER_SECOND = 100.0  # pictures the whole server builds and sends per second
TRAIN_SHARE = 0.8  # of each training slot's time; the rest of the machine serves pages and pictures
SLOTS = max(1, min(4, (os.cpu_count() or 1) - 1))  # sessions training at the same moment
# From this many playing sessions each tick's earlier pictures leave the network diagram out: the boundary
# still moves with every picture, the diagram once per tick (every second or more by then). Measured in
# the browser, the diagram is half of what a picture costs to draw and most of its bytes.
CROWDED = 10


class FairSlots:
    """A counting semaphore that serves waiters in arrival order (threading.Semaphore does not)."""

    def __init__(self, slots: int):
        self._cond = threading.Condition()
        self._free = slots
        self._queue: deque[object] = deque()

    def acquire(self) -> None:
        me = object()
        with self._cond:
            self._queue.append(me)
            while self._queue[0] is not me or self._free == 0:
                self._cond.wait()
            self._queue.popleft()
            self._free -= 1
            self._cond.notify_all()  # the next in line may find a free slot too

    def release(self) -> None:
        with self._cond:
            self._free += 1
            self._cond.notify_all()

    def waiting(self) -> int:
        with self._cond:
            return len(self._queue)


class Classroom:
    """Who is playing on this server, and turns to train."""

    def __init__(self, slots: int = SLOTS, clock=time.monotonic):
        self.slots = slots
        self._clock = clock
        self._lock = threading.Lock()
        self._seen: dict[str, float] = {}
        self._turns = FairSlots(slots)

    def _prune(self, now: float) -> None:
        """Forget sessions that stopped ticking (call with the lock held). A crowded class ticks each
        session only every few seconds, so "stopped" means silent for twice the class's own tick interval
        too: otherwise the sessions between two ticks would drop out, the class would look smaller, and
        every timer would be set too fast for the server's share."""
        limit = max(ACTIVE_FOR, 2.0 * self.tick_interval(len(self._seen)))
        for other, last in list(self._seen.items()):
            if now - last > limit:
                del self._seen[other]

    def beat(self, session: str) -> int:
        """This session is playing now; returns how many sessions are (this one included)."""
        now = self._clock()
        with self._lock:
            self._seen[session] = now
            self._prune(now)
            return len(self._seen)

    def leave(self, session: str) -> None:
        with self._lock:
            self._seen.pop(session, None)

    def playing(self, session: str | None = None) -> int:
        """Sessions playing now, counting `session` as one of them even before its first tick."""
        with self._lock:
            self._prune(self._clock())
            return max(1, len(self._seen) + (session is not None and session not in self._seen))

    @contextmanager
    def turn(self):
        """Train inside this: waits (without holding the GIL) until one of the slots is free."""
        self._turns.acquire()
        try:
            yield
        finally:
            self._turns.release()

    # ---- each session's share, given how many are playing ------------------------------------------

    @staticmethod
    def tick_interval(playing: int) -> float:
        """The shortest time between two ticks of one session."""
        return playing / TICKS_PER_SECOND

    def train_seconds(self, playing: int, cycle: float) -> float:
        """Training one tick may use, if its cycle lasts `cycle` seconds."""
        return self.slots * TRAIN_SHARE * cycle / max(1, playing)

    @staticmethod
    def pictures_per_second(playing: int) -> float:
        return PICTURES_PER_SECOND / max(1, playing)


CLASSROOM = Classroom()
