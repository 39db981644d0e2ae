"""Children streams of one parent list walk that list once per sync.

An article's attachments, comments, votes and comment votes are four streams over the same articles; without
this each would page through the article export (and the posts list) on its own. The first stream to ask reads
the parents; the others, asking for the same list from the same position, get the same batches. Only what the
children need of a parent is kept (its id and status), so a large Help Center costs little memory.
"""

from __future__ import annotations

import threading
from typing import Any, Callable, Dict, Hashable, Iterable, List, Mapping, Tuple

from ..foundation.numbers import same_id

ParentBatch = Tuple[List[Mapping[str, Any]], Dict[str, Any]]
KEPT_FIELDS = ("id", "status")


class _Once:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.batches: List[ParentBatch] | None = None


class ParentLists:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._lists: Dict[Hashable, _Once] = {}

    def batches(self, key: Hashable, read: Callable[[], Iterable[ParentBatch]]) -> List[ParentBatch]:
        with self._lock:
            entry = self._lists.setdefault(key, _Once())
        with entry.lock:  # the others wait for the first reader rather than reading the list again
            if entry.batches is None:
                # a failed read is not kept: the next stream tries again and reports its own error
                entry.batches = list(_first_sightings(read()))
            return entry.batches


def _first_sightings(batches: Iterable[ParentBatch]) -> Iterable[ParentBatch]:
    """Time exports repeat the records of a page's last second on the next page: a parent seen once is not
    visited again, or its children would be fetched and emitted twice."""
    seen = set()
    for parents, position in batches:
        fresh: List[Mapping[str, Any]] = []
        for parent in parents:
            key = same_id(parent.get("id"))  # "123" on one page and 123 on the next are one parent
            if key in seen:
                continue
            seen.add(key)
            fresh.append({k: parent.get(k) for k in KEPT_FIELDS})
        yield fresh, position
