"""How many parsed export pages the whole sync holds at once.

A 1000-ticket export page is about 2 MB of JSON and 9 MB once parsed. Readers take a permit to parse a page and
give it back, with their references to the page, before they wait for the next one. So a sync can run many
workers, most of them waiting for a rate window, and its memory still follows the permits, not the workers.
"""

from __future__ import annotations

import threading

PARSED_EXPORT_PAGES = 4


class PagePermits:
    def __init__(self, permits: int = PARSED_EXPORT_PAGES) -> None:
        self.permits = permits
        self._semaphore = threading.BoundedSemaphore(permits)
        self._mine = threading.local()  # a reader holds at most one permit, whatever it calls in between
        self._count_lock = threading.Lock()
        self._taken = 0

    def hold(self) -> None:
        if not getattr(self._mine, "held", False):
            self._semaphore.acquire()
            self._mine.held = True
            with self._count_lock:
                self._taken += 1

    def let_go(self) -> None:
        if getattr(self._mine, "held", False):
            self._mine.held = False
            with self._count_lock:
                self._taken -= 1
            self._semaphore.release()

    @property
    def free(self) -> int:
        """Permits nobody holds now."""
        return self.permits - self._taken

    @property
    def held_here(self) -> bool:
        return getattr(self._mine, "held", False)
