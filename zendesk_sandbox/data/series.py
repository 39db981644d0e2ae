"""A lazily generated, time-ordered collection of records (articles, posts, calls, chats) with an overlay of
mutations: record k's base change time is `Timeline.at(k)` (monotone, so a walk from any time starts with a
binary search), and records changed through /_sandbox/mutate move to "now" in a small sorted overlay."""

from __future__ import annotations

import random
from dataclasses import dataclass

from .timeline import Timeline, iter_keyset


@dataclass
class SeriesChange:
    updated: int
    created: int | None = None  # set for records created by a mutation
    deleted: bool = False
    revision: int = 0


class Series:
    def __init__(self, count: int, start: int, end: int, burst: int = 5):
        self.count = count
        self.timeline = Timeline(count, 0, start, end, burst=burst)
        self.changes: dict[int, SeriesChange] = {}
        self.next_index = count + 1
        self._order: list[tuple[int, int]] | None = None

    # ---- state ------------------------------------------------------------------------------------
    def exists(self, k: int) -> bool:
        return 1 <= k < self.next_index

    def updated_ts(self, k: int) -> int:
        change = self.changes.get(k)
        return change.updated if change is not None else self.timeline.at(k)

    def base_created_ts(self, k: int, spread: int) -> int:
        """Base records were created up to `spread` seconds before their base change (0 for mutation-born)."""
        change = self.changes.get(k)
        if change is not None and change.created is not None:
            return change.created
        return self.timeline.at(k) - (k * 7919) % max(1, spread)

    def is_deleted(self, k: int) -> bool:
        change = self.changes.get(k)
        return change is not None and change.deleted

    def revision(self, k: int) -> int:
        change = self.changes.get(k)
        return change.revision if change is not None else 0

    def live_indexes(self) -> list[int]:
        return [k for k in range(1, self.next_index) if not self.is_deleted(k)]

    def live_count(self) -> int:
        return self.next_index - 1 - sum(1 for change in self.changes.values() if change.deleted)

    def count_before(self, cutoff: int, include_deleted: bool = False) -> int:
        """Records whose change time is before `cutoff` (what an export walked to the end returns)."""
        base = self.timeline.first_at_or_after(cutoff, 1, self.count) - 1
        n = base - sum(1 for k in self.changes if k <= base)
        return n + sum(
            1 for change in self.changes.values() if change.updated < cutoff and (include_deleted or not change.deleted)
        )

    # ---- walking ----------------------------------------------------------------------------------
    def _changed_order(self) -> list[tuple[int, int]]:
        if self._order is None:
            self._order = sorted((change.updated, k) for k, change in self.changes.items())
        return self._order

    def iter_after(self, after: tuple[int, int]):
        """(change time, k) ascending, strictly after the keyset `after`; deleted records included."""
        return iter_keyset(self.timeline, self.count, self.changes, self._changed_order(), after)

    # ---- mutations --------------------------------------------------------------------------------
    def mutate(
        self,
        action: str,
        n: int,
        rng: random.Random,
        now: int,
        allowed=("create", "update", "delete"),
        protected: int = 0,
    ) -> list[int]:
        """Apply `n` creates/updates/deletes at `now`; returns the affected indexes. Records 1..protected stay."""
        if action not in allowed:
            raise ValueError(f"action {action!r} is not supported here (use {', '.join(allowed)})")
        self._order = None
        if action == "create":
            out = []
            for _ in range(n):
                k = self.next_index
                self.next_index += 1
                self.changes[k] = SeriesChange(updated=now, created=now)
                out.append(k)
            return out
        live = [k for k in self.live_indexes() if k > protected]
        targets = sorted(rng.sample(live, min(n, len(live))))
        for k in targets:
            change = self.changes.get(k) or SeriesChange(updated=now)
            change.updated = now
            change.revision += 1
            change.deleted = action == "delete"
            self.changes[k] = change
        return targets
