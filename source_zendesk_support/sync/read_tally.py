"""What each stream of a read cost: records, requests, retries and seconds spent waiting for rate windows, told in
one log line per stream when the read ends.

Each stream's HTTP client gets the sync's rate budget through a `TalliedBudget`, which counts every request that
passes and times the wait for its slot (the rate budget's own wait) and, for a request answered 429, the time
until it is sent again (the wait Zendesk asked for).
"""

from __future__ import annotations

import threading
import time
import weakref
from dataclasses import dataclass
from typing import Any, Dict, Iterable, List, Mapping, Optional

from airbyte_cdk.sources.streams.call_rate import APIBudget


@dataclass
class StreamTally:
    records: int = 0
    requests: int = 0
    retries: int = 0
    waited: float = 0.0

    def line(self, stream: str) -> str:
        return (
            f"Stream {stream} read summary: {self.records} records, {self.requests} requests, {self.retries} retries, "
            f"{self.waited:.1f} s waited for rate windows."
        )


class ReadTally:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._streams: Dict[str, StreamTally] = {}

    def of(self, stream: str) -> StreamTally:
        with self._lock:
            return self._streams.setdefault(stream, StreamTally())

    def budget_for(self, stream: str, budget: APIBudget) -> "TalliedBudget":
        return TalliedBudget(budget, self.of(stream), self._lock)

    def summary_lines(self, streams: Iterable[str], records: Mapping[str, int]) -> List[str]:
        """One line per stream; `records` are counted where they are printed."""
        lines = []
        for stream in sorted(streams):
            tally = self.of(stream)
            tally.records = records.get(stream, 0)
            lines.append(tally.line(stream))
        return lines


class TalliedBudget(APIBudget):
    """The sync's budget as one stream sees it: every call is the shared budget's, and is counted for this stream."""

    def __init__(self, budget: APIBudget, tally: StreamTally, lock: threading.Lock):
        super().__init__(policies=[])
        self.budget = budget
        self._tally = tally
        self._lock = lock
        self._sent: "weakref.WeakKeyDictionary[Any, Optional[float]]" = weakref.WeakKeyDictionary()

    def acquire_call(self, request: Any, block: bool = True, timeout: Optional[float] = None) -> None:
        asked = time.monotonic()
        self.budget.acquire_call(request, block=block, timeout=timeout)
        waited = time.monotonic() - asked
        with self._lock:  # the stream's reader and its prefetch thread send through the same view
            try:
                limited_at = self._sent.get(request, ...)
            except TypeError:  # a request object that takes no weak reference: counted, never as a retry
                limited_at = ...
            self._tally.requests += 1
            if limited_at is not ...:
                self._tally.retries += 1
                if limited_at is not None:  # the backoff's sleep before this retry was Zendesk's Retry-After
                    waited += asked - limited_at
            self._tally.waited += waited
            self._remember(request, None)

    def get_matching_policy(self, request: Any) -> Any:
        return self.budget.get_matching_policy(request)

    def update_from_response(self, request: Any, response: Any) -> None:
        self.budget.update_from_response(request, response)
        if getattr(response, "status_code", None) == 429:
            with self._lock:
                self._remember(request, time.monotonic())

    def _remember(self, request: Any, limited_at: Optional[float]) -> None:
        """Under the lock: this request was sent (and when Zendesk answered it 429)."""
        try:
            self._sent[request] = limited_at
        except TypeError:
            pass
