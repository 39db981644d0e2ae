"""Streams that read the same export pages (tickets and ticket_metrics; users and user_identities; ticket_events
and ticket_comments) fetch each page once: Zendesk allows only 10 export requests a minute.

Whichever stream asks first fetches the page; the other takes it from here. Nobody ever waits for a stream
that is not running: a page nobody collects is dropped once its group holds more than MAX_PENDING pages,
and a stream that finds no page simply fetches it itself.
"""
from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any, Callable, Dict, Hashable, Mapping, Optional, Tuple

MAX_PENDING = 4


@dataclass
class _Entry:
    group: Hashable
    remaining: int
    ready: threading.Event = field(default_factory=threading.Event)
    answer: Any = None
    failed: bool = False


class PageShare:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._entries: "OrderedDict[Tuple, _Entry]" = OrderedDict()
        self._readers: Dict[Hashable, int] = {}
        self.shared_pages = 0

    def register(self, group: Hashable) -> None:
        with self._lock:
            self._readers[group] = self._readers.get(group, 0) + 1

    def readers(self, group: Hashable) -> int:
        return self._readers.get(group, 0)

    def fetch(self, group: Hashable, path: str, params: Mapping[str, Any], fetch: Callable[[], Any]) -> Any:
        if self._readers.get(group, 0) < 2:
            return fetch()
        key = (group, path, tuple(sorted((k, str(v)) for k, v in params.items())))
        with self._lock:
            entry = self._entries.get(key)
            if entry is None:
                entry = _Entry(group=group, remaining=self._readers[group] - 1)
                self._entries[key] = entry
                self._evict_beyond_bound(group)
                leader = True
            else:
                entry.remaining -= 1
                if entry.remaining <= 0:
                    self._entries.pop(key, None)
                leader = False
        if leader:
            try:
                entry.answer = fetch()
                return entry.answer
            except BaseException:
                entry.failed = True
                with self._lock:
                    self._entries.pop(key, None)
                raise
            finally:
                entry.ready.set()
        entry.ready.wait()
        if entry.failed:
            return fetch()
        with self._lock:
            self.shared_pages += 1
        return entry.answer

    def _evict_beyond_bound(self, group: Hashable) -> None:
        pending = [key for key, entry in self._entries.items() if entry.group == group and entry.ready.is_set()]
        for key in pending[: max(0, len(pending) - MAX_PENDING)]:
            self._entries.pop(key, None)
