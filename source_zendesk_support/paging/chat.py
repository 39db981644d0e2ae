"""Zendesk Chat's own ways of paging: incremental exports by (start_time, start_id) and by microseconds, and lists
by since_id."""

from __future__ import annotations

from typing import Any, Callable, Dict, Iterator, List, Mapping, Optional, Set

from ..http.answer import ApiAnswer
from ..foundation.numbers import same_id
from ..foundation.clock import to_epoch
from .guards import ProgressGuard, clamp_future, list_in, now_epoch, object_body, paging_time
from .page import Page, Walker

CHAT_EXPORT_LIMIT = 1000
SINCE_ID_LIMIT = 100

Fetch = Callable[[Mapping[str, Any]], ApiAnswer]


class ChatExportWalker:
    """/chat/incremental/chats: a page ends at (end_time, end_id) and the next starts there; a short or empty
    page ends the export. Chats of the boundary second seen on one page are dropped from the next.
    Position: {"start_time": end_time, "start_id": end_id}, with start_id None past end_date."""

    def __init__(
        self,
        walker: Walker,
        fetch: Fetch,
        list_key: str,
        cursor_field: str,
        params: Mapping[str, Any],
        start: int,
        start_id: Optional[Any],
        end: Optional[int],
    ):
        self.walker, self.fetch, self.list_key, self.cursor_field = walker, fetch, list_key, cursor_field
        self.params, self.start, self.start_id, self.end = params, start, start_id, end
        self.now = now_epoch()

    def pages(self) -> Iterator[Page]:
        start, start_id, end = self.start, self.start_id, self.end
        seen_at_boundary: Set[Any] = set()
        guard = ProgressGuard(self.walker, "chat export position")
        # Each page's, let go of once the page is emitted.
        body: Optional[Mapping[str, Any]]
        listed: Optional[List[Mapping[str, Any]]]
        fresh: Optional[List[Mapping[str, Any]]]
        kept: Optional[List[Mapping[str, Any]]]
        while True:
            params: Dict[str, Any] = {"start_time": start, "limit": CHAT_EXPORT_LIMIT, **self.params}
            if start_id:
                params["start_id"] = start_id
            answer = self.fetch(params)
            if not answer.ok:
                raise self.walker.fail(answer, "the chat export failed")
            body = object_body(self.walker, answer, "the chat export")
            listed = list_in(self.walker, body, self.list_key, "the chat export")
            fresh = [item for item in listed if same_id(item.get("id")) not in seen_at_boundary]
            kept = [item for item in fresh if end is None or (to_epoch(item.get(self.cursor_field)) or 0) <= end]
            sent_end, end_id = paging_time(self.walker, body, "end_time"), body.get("end_id")
            if sent_end is None or not listed:
                yield Page(body, kept)
                return
            end_time = clamp_future(self.walker, "end_time", sent_end, self.now)
            if end is not None and end_time > end:
                # A bounded backfill stops at end_date; saving end_time would make later syncs skip the chats
                # dropped above. The next read starts at end_date (start_id belongs to end_time, so it goes too).
                yield Page(body, kept, {"start_time": max(end, start), "start_id": None}, reached_end=True)
                return
            if end_time < sent_end:  # a clock from the future: save now, forget the id that belonged to it
                yield Page(body, kept, {"start_time": end_time, "start_id": None})
                return
            seen_at_boundary = {
                same_id(item.get("id")) for item in listed if to_epoch(item.get(self.cursor_field)) == end_time
            }
            more = not (
                len(listed) < CHAT_EXPORT_LIMIT
                or not body.get("next_page")
                or (end_time == start and end_id == start_id)
            )
            position = {"start_time": end_time, "start_id": end_id} if end_id else {"start_time": end_time}
            yield Page(body, kept, position, more=more)
            if not more:
                return
            guard.see((end_time, end_id))
            start, start_id = end_time, end_id
            body = listed = fresh = kept = None


class MicrosExportWalker:
    """/chat/incremental/agent_timeline: start_time and end_time in microseconds; a page holds the entries from
    start_time on, and its end_time (the last entry's time plus one) starts the next, so pages never overlap. A
    short page, or one that does not move, ends the export. Position: {"start_time": end_time in microseconds}."""

    def __init__(
        self, walker: Walker, fetch: Fetch, list_key: str, cursor_field: str, start_micros: int, end: Optional[int]
    ):
        self.walker, self.fetch, self.list_key, self.cursor_field = walker, fetch, list_key, cursor_field
        self.start, self.end = start_micros, end
        self.now = now_epoch()

    def pages(self) -> Iterator[Page]:
        start = self.start
        guard = ProgressGuard(self.walker, "agent timeline position")
        # Each page's, let go of once the page is emitted.
        body: Optional[Mapping[str, Any]]
        listed: Optional[List[Mapping[str, Any]]]
        kept: Optional[List[Mapping[str, Any]]]
        while True:
            answer = self.fetch({"start_time": start, "limit": CHAT_EXPORT_LIMIT})
            if not answer.ok:
                raise self.walker.fail(answer, "the agent timeline export failed")
            body = object_body(self.walker, answer, "the agent timeline export")
            listed = list_in(self.walker, body, self.list_key, "the agent timeline export")
            kept = [
                item for item in listed if self.end is None or (to_epoch(item.get(self.cursor_field)) or 0) <= self.end
            ]
            sent_end = paging_time(self.walker, body, "end_time", 1_000_000, "microseconds since the epoch")
            if not listed or sent_end is None or sent_end <= start:
                yield Page(body, kept)
                return
            end_seconds = clamp_future(self.walker, "end_time", sent_end // 1_000_000, self.now)
            end_time = min(sent_end, (end_seconds + 1) * 1_000_000 - 1)
            if self.end is not None and end_time // 1_000_000 > self.end:
                yield Page(body, kept, {"start_time": max(start, (self.end + 1) * 1_000_000)}, reached_end=True)
                return
            more = len(listed) >= CHAT_EXPORT_LIMIT and bool(body.get("next_page")) and end_time == sent_end
            yield Page(body, kept, {"start_time": end_time}, more=more)
            if not more:
                return
            guard.see(end_time)
            start = end_time
            body = listed = kept = None


def start_micros_of(saved_time: Optional[int], saved_micros: Any, configured_start: int) -> int:
    """Where the agent timeline starts: the saved end_time to the microsecond when it belongs to the saved time (a
    state edited by hand keeps only its time), else that second, never before the start date."""
    start = configured_start * 1_000_000
    if saved_time is None:
        return start
    exact = saved_micros if isinstance(saved_micros, int) and not isinstance(saved_micros, bool) else None
    micros = exact if exact is not None and exact // 1_000_000 == saved_time else saved_time * 1_000_000
    return max(micros, start)


class SinceIdWalker:
    """Chat lists paged by id: ask for ids from since_id on, until a page comes back short or empty."""

    def __init__(self, walker: Walker, fetch: Fetch, records_of: Callable[[Any], list]):
        self.walker, self.fetch, self.records_of = walker, fetch, records_of

    def pages(self) -> Iterator[Page]:
        since_id = 0
        while True:
            answer = self.fetch({"since_id": since_id, "limit": SINCE_ID_LIMIT})
            if not answer.ok:
                raise self.walker.fail(answer, "listing failed")
            records = self.records_of(answer.body)
            if not records:
                return
            yield Page(answer.body, records)
            ids = [
                key
                for key in (same_id(record.get("id")) for record in records)
                if isinstance(key, int) and not isinstance(key, bool)
            ]
            if not ids or max(ids) + 1 <= since_id or len(records) < SINCE_ID_LIMIT:
                return
            since_id = max(ids) + 1
