"""Monotone timestamps for lazily generated records, and helpers to walk them in time order.

Record i (1-based) of a collection is created at `at(i)`; records come in bursts that share one second
(so page boundaries really cut through seconds), and get denser towards the present (recent records are
more numerous, as in a growing account: density grows with the square of time). Because `at` is monotone,
"first record at or after T" is a binary search, which is what lets a 1,000,000-ticket export start anywhere
without an index.
"""

from __future__ import annotations

import bisect

import functools
import heapq
import time
from typing import Callable, Iterator, overload


@functools.lru_cache(maxsize=1 << 16)
def _iso(ts: int) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(ts))


@overload
def iso(ts: float) -> str: ...
@overload
def iso(ts: None) -> None: ...
@overload
def iso(ts: float | None) -> str | None: ...
def iso(ts: float | None) -> str | None:
    """UTC ISO 8601 with a literal Z, as Zendesk writes timestamps (cached: records in a burst share seconds)."""
    if ts is None:
        return None
    return _iso(int(ts))


class Timeline:
    def __init__(self, count: int, lag: int, start: int, end: int, burst: int = 7):
        self.count = count
        self.lag = lag  # "updated" of record i is at(i + lag): monotone too
        self.start = start
        self.span = max(1, end - start)
        self.burst = burst
        self.groups = (count + lag + 8 - 1) // burst + 1

    def at(self, i: int) -> int:
        g = (i - 1) // self.burst
        return self.start + int(self.span * (g / self.groups) ** (1 / 3))

    def first_at_or_after(self, ts: float, lo: int = 1, hi: int | None = None) -> int:
        """Smallest i in [lo, hi] with at(i) >= ts (hi + 1 when none)."""
        hi = self.count + self.lag + 8 if hi is None else hi
        lo_, hi_ = lo, hi + 1
        while lo_ < hi_:
            mid = (lo_ + hi_) // 2
            if self.at(mid) >= ts:
                hi_ = mid
            else:
                lo_ = mid + 1
        return lo_


def merge_children(
    first_parent: int,
    last_parent: int,
    children_of: Callable[[int], list[tuple]],
    lower_bound_of: Callable[[int], int],
) -> Iterator[tuple]:
    """Yield the children of parents first..last in (ts, parent, j, ...) order.

    Every child of parent p has ts >= lower_bound_of(p), and lower bounds are monotone in p, so a heap
    item older than the next parent's lower bound can be emitted: no later parent can precede it.
    """
    heap: list[tuple] = []
    p = first_parent
    while p <= last_parent:
        for child in children_of(p):
            heapq.heappush(heap, child)
        p += 1
        bound = lower_bound_of(p) if p <= last_parent else None
        while heap and (bound is None or heap[0][0] < bound):
            yield heapq.heappop(heap)
    while heap:
        yield heapq.heappop(heap)


def iter_keyset(
    timeline: "Timeline", count: int, changes, changed_order, after: tuple[int, int], lag: int = 0, id_base: int = 0
):
    """(time, public id) ascending, strictly after the keyset `after`: the generated records (index k, at
    `timeline.at(k + lag)`, id `k + id_base`) merged with the changed ones (`changed_order`: sorted (time, k) of
    the records in `changes`, which replace their generated selves), each record once. This is how every export
    walks a lazily generated account without building it."""
    ts0, id0 = after
    k = max(1, timeline.first_at_or_after(ts0, 1, count + lag) - lag)
    o = bisect.bisect_right(changed_order, (ts0, id0 - id_base))
    at = timeline.at
    while True:
        while k <= count and (k in changes or (at(k + lag), k + id_base) <= (ts0, id0)):
            k += 1
        generated = (at(k + lag), k + id_base) if k <= count else None
        changed = (changed_order[o][0], changed_order[o][1] + id_base) if o < len(changed_order) else None
        if generated is None and changed is None:
            return
        if changed is None or (generated is not None and generated < changed):
            yield generated
            k += 1
        else:
            yield changed
            o += 1
