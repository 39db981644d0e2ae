"""The one thread that keeps request deadlines: it calls what is due, in order, and never what was disarmed."""

from __future__ import annotations

import threading
import time

from source_zendesk_support.http.watchdog import Watchdog

REAL_SLEEP = time.sleep  # some unit tests fake time.sleep; the watchdog's thread really waits


def test_due_calls_come_in_the_order_of_their_moments_and_disarmed_ones_never():
    watchdog, calls, done = Watchdog(), [], threading.Event()
    now = time.monotonic()
    watchdog.arm(now + 0.3, lambda: (calls.append("late"), done.set()))
    watchdog.arm(now + 0.1, lambda: calls.append("early"))
    dropped = watchdog.arm(now + 0.2, lambda: calls.append("disarmed"))
    assert watchdog.disarm(dropped) is True
    assert done.wait(5)
    assert calls == ["early", "late"]


def test_disarming_after_the_call_says_it_already_happened():
    watchdog, fired = Watchdog(), threading.Event()
    alarm = watchdog.arm(time.monotonic(), fired.set)
    assert fired.wait(5)
    REAL_SLEEP(0.05)
    assert watchdog.disarm(alarm) is False


def test_a_call_that_raises_does_not_stop_the_watchdog():
    watchdog, fired = Watchdog(), threading.Event()
    watchdog.arm(time.monotonic(), lambda: 1 / 0)
    watchdog.arm(time.monotonic() + 0.05, fired.set)
    assert fired.wait(5)
