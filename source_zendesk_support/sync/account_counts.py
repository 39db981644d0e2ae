"""Zendesk's count endpoints, asked at most once per sync: every stream estimating from the same count (tickets
and ticket_metrics from tickets/count) shares the one answer."""

from __future__ import annotations

import logging
import threading
from typing import Any, Callable, Dict, Mapping, Optional, cast

from ..foundation.numbers import MAX_COUNT

logger = logging.getLogger("airbyte")

_UNKNOWN = object()


def count_value(body: Any) -> Optional[int]:
    """N from a count endpoint's `{"count": {"value": N, ...}}` or an offset page's `{"count": N}`; else None."""
    count = body.get("count") if isinstance(body, Mapping) else None
    value = count.get("value") if isinstance(count, Mapping) else count
    return value if isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= MAX_COUNT else None


class AccountCounts:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._path_locks: Dict[str, threading.Lock] = {}
        self._values: Dict[str, Optional[int]] = {}

    def value(self, path: str, ask: Callable[[], Optional[int]]) -> Optional[int]:
        """The count named `path` (with its query); `ask` fetches it (None when Zendesk gives none) the first
        time only."""
        with self._lock:
            path_lock = self._path_locks.setdefault(path, threading.Lock())
        with path_lock:
            known = self._values.get(path, _UNKNOWN)
            if known is _UNKNOWN:
                known = self._values[path] = ask()
            return cast(Optional[int], known)  # an answer of `ask`, no longer _UNKNOWN
