"""Streams that read the same export (tickets and ticket_metrics; users and user_identities; ticket_events with
comments, attachments and history) fetch each page once: Zendesk allows only 10 export requests a minute.

Whichever stream asks first fetches the page; the others take it from here, whenever the CDK's scheduler gets
round to them: nobody waits for a stream that is not running. Pages wait as compressed response bytes, in
memory up to a budget and then in a temporary file, until every reader has taken them; each reader parses its
own copy. The last reader to take a page gives its memory back. A page that would overrun the disk budget is
not kept: the other readers fetch it themselves.
"""

from __future__ import annotations

import os
import tempfile
import threading
import zlib
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import IO, Callable, Dict, Hashable, Mapping, Optional, Tuple, Any

from ..http.answer import RawAnswer

MEMORY_BUDGET = 8 * 1024 * 1024  # beyond this, waiting pages go to a temporary file: memory stays flat
DISK_BUDGET = 4 * 1024 * 1024 * 1024


class _Spool:
    """Compressed page bytes: in memory while they fit the budget, else appended to a temporary file."""

    def __init__(self, memory_budget: int, disk_budget: int):
        self._lock = threading.Lock()
        self._memory_budget, self._disk_budget = memory_budget, disk_budget
        self._in_memory = 0
        self._file: Optional[IO[bytes]] = None
        self._end = 0

    def put(self, data: bytes) -> Optional[Tuple]:
        with self._lock:
            if self._in_memory + len(data) <= self._memory_budget:
                self._in_memory += len(data)
                return ("memory", data)
            if self._end + len(data) > self._disk_budget:
                return None
            if self._file is None:
                self._file = tempfile.TemporaryFile(prefix="zendesk-pages-")
            offset, self._end = self._end, self._end + len(data)
        os.pwrite(self._file.fileno(), data, offset)
        return ("disk", offset, len(data))

    @property
    def in_memory(self) -> int:
        return self._in_memory

    def get(self, handle: Tuple) -> bytes:
        if handle[0] == "memory":
            return handle[1]
        assert self._file is not None  # a disk handle's bytes were written to it
        return os.pread(self._file.fileno(), handle[2], handle[1])

    def release(self, handle: Tuple) -> None:
        if handle[0] == "memory":
            with self._lock:
                self._in_memory -= len(handle[1])


@dataclass
class _Entry:
    group: Hashable
    remaining: int
    ready: threading.Event = field(default_factory=threading.Event)
    status: int = 0
    headers: Mapping[str, str] = field(default_factory=dict)
    handle: Optional[Tuple] = None
    failed: bool = False


class PageShare:
    def __init__(self, memory_budget: int = MEMORY_BUDGET, disk_budget: int = DISK_BUDGET) -> None:
        self._lock = threading.Lock()
        self._entries: "OrderedDict[Tuple, _Entry]" = OrderedDict()
        self._readers: Dict[Hashable, int] = {}
        self._spool = _Spool(memory_budget, disk_budget)
        self.shared_pages = 0

    def register(self, group: Hashable) -> None:
        with self._lock:
            self._readers[group] = self._readers.get(group, 0) + 1

    @property
    def bytes_in_memory(self) -> int:
        """Compressed bytes of the pages waiting in memory for their readers."""
        return self._spool.in_memory

    def fetch(self, group: Hashable, path: str, params: Mapping[str, Any], fetch: Callable[[], RawAnswer]) -> RawAnswer:
        if self._readers.get(group, 0) < 2:
            return fetch()
        key = (group, path, tuple(sorted((k, str(v)) for k, v in params.items())))
        with self._lock:
            entry = self._entries.get(key)
            if entry is None:
                entry = _Entry(group=group, remaining=self._readers[group] - 1)
                self._entries[key] = entry
                leader = True
            else:
                entry.remaining -= 1
                # Decided here, under the lock: of followers waiting together, only the last one lets go.
                last_reader = entry.remaining <= 0
                if last_reader:
                    self._entries.pop(key, None)
                leader = False
        if leader:
            return self._fetch_for_all(key, entry, fetch)
        entry.ready.wait()
        if entry.failed or entry.handle is None:
            return fetch()
        content = zlib.decompress(self._spool.get(entry.handle))
        if last_reader:
            self._spool.release(entry.handle)
        with self._lock:
            self.shared_pages += 1
        return RawAnswer(entry.status, content, entry.headers)

    def _fetch_for_all(self, key: Tuple, entry: _Entry, fetch: Callable[[], RawAnswer]) -> RawAnswer:
        try:
            answer = fetch()
            entry.status, entry.headers = answer.status, dict(answer.headers)
            entry.handle = self._spool.put(zlib.compress(answer.content, 1))
            if entry.handle is None:  # over the disk budget: the others fetch it themselves
                with self._lock:
                    self._entries.pop(key, None)
            return answer
        except BaseException:
            entry.failed = True
            with self._lock:
                self._entries.pop(key, None)
            raise
        finally:
            entry.ready.set()
