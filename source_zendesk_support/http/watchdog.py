"""One thread that calls a function once its moment has passed, unless it was disarmed first.

The transport arms it for every request, so that a server sending its status line or headers a byte at a time (each
byte resetting the socket's timeout) is cut off when the request's deadline passes. One thread for all requests:
arming and disarming cost a heap push and a flag, never a thread.
"""

from __future__ import annotations

import heapq
import itertools
import threading
import time
from typing import Callable, List, Optional


class Alarm:
    """A handle on one armed call (see Watchdog.disarm)."""

    __slots__ = ("call", "fired")

    def __init__(self, call: Callable[[], None]):
        self.call: Optional[Callable[[], None]] = call
        self.fired = False


class Watchdog:
    def __init__(self, clock: Callable[[], float] = time.monotonic):
        self._clock = clock
        self._heap: List[tuple] = []
        self._order = itertools.count()
        self._changed = threading.Condition()
        self._thread: Optional[threading.Thread] = None

    def arm(self, at: float, call: Callable[[], None]) -> Alarm:
        """Call `call` (from the watchdog's thread) once the clock passes `at`."""
        alarm = Alarm(call)
        with self._changed:
            heapq.heappush(self._heap, (at, next(self._order), alarm))
            if self._thread is None:
                self._thread = threading.Thread(target=self._watch, name="request-deadlines", daemon=True)
                self._thread.start()
            self._changed.notify()
        return alarm

    def disarm(self, alarm: Alarm) -> bool:
        """The call will not happen; False when it already has (or is happening now)."""
        with self._changed:
            alarm.call = None
            return not alarm.fired

    def _watch(self) -> None:
        while True:
            with self._changed:
                while self._heap and self._heap[0][2].call is None:
                    heapq.heappop(self._heap)  # disarmed
                if not self._heap:
                    self._changed.wait()
                    continue
                at, _, alarm = self._heap[0]
                wait = at - self._clock()
                if wait > 0:
                    self._changed.wait(wait)
                    continue
                heapq.heappop(self._heap)
                call, alarm.fired = alarm.call, alarm.call is not None
            if call is not None:
                try:
                    call()
                except Exception:  # noqa: BLE001 - a failed cut must not end the thread every request relies on
                    pass


WATCHDOG = Watchdog()
