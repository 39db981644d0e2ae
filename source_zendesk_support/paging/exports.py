"""Zendesk's incremental exports: by cursor (/incremental/{tickets,users}/cursor) and by time (start_time/end_time).

Both ask for 1000 records a page and halve the page after a 504 (Zendesk's own advice for a page that timed
out), down to the smallest page that a 504 shrinks (http/retry_policy.py); below it the 504 is retried.
"""

from __future__ import annotations

from typing import Any, Dict, Hashable, Iterator, List, Mapping, Optional, Set, Tuple
from urllib.parse import parse_qs, urlsplit

import orjson

from ..foundation.numbers import same_id
from ..http.answer import ApiAnswer
from ..http.retry_policy import asking_for_page_of, shrinks_on_504, smaller_page
from ..foundation.clock import to_epoch
from .guards import ProgressGuard, clamp_future, link_in, list_in, now_epoch, object_body, paging_error, paging_time
from .page import DirectSource, Page, PrefetchingSource, Walker

EXPORT_PAGE_SIZE = 1000
# The same end_time on this many pages in a row: the export is not moving.
MAX_STALLED_PAGES = 3


def too_recent(answer: ApiAnswer) -> bool:
    """Zendesk refuses a start_time in the last minute: nothing newer to read yet."""
    if answer.status not in (400, 422):
        return False
    text = str(answer.body)
    return "StartTimeTooRecent" in text or "Too recent" in text


class _ExportWalker:
    def __init__(
        self,
        walker: Walker,
        source: "DirectSource | PrefetchingSource",
        list_key: str,
        cursor_field: str,
        end: Optional[int],
        page_size: int = EXPORT_PAGE_SIZE,
    ):
        self.walker, self.source = walker, source
        self.list_key, self.cursor_field, self.end = list_key, cursor_field, end
        self.page_size = page_size
        self.now = now_epoch()

    def ask(self, params: Mapping[str, Any]) -> None:
        with asking_for_page_of(self.page_size):
            self.source.ask({**params, "per_page": self.page_size})

    def shrunk(self, answer: ApiAnswer) -> bool:
        """A 504 on a big page: ask again for half as many records."""
        if answer.status == 504 and shrinks_on_504(self.page_size):
            self.page_size = smaller_page(self.page_size)
            self.walker.logger.warning(
                f"Stream {self.walker.name}: Zendesk timed out on a large page; "
                f"asking for {self.page_size} records per page."
            )
            return True
        return False

    def answer_to(self, params: Mapping[str, Any]) -> ApiAnswer:
        """The answer to the page asked for with `params`; after a 504 on a big page, to half as many records."""
        answer = self.source.answer()
        while self.shrunk(answer):
            self.ask(params)
            answer = self.source.answer()
        return answer

    def answered(self, answer: ApiAnswer) -> Tuple[Optional[Mapping[str, Any]], List[Mapping[str, Any]]]:
        """The page's body and list; (None, []) when Zendesk has nothing newer yet."""
        if too_recent(answer):
            return None, []
        if not answer.ok:
            raise self.walker.fail(answer, "the incremental export failed")
        body = object_body(self.walker, answer, "the incremental export")
        return body, list_in(self.walker, body, self.list_key, "the incremental export")

    def close(self) -> None:
        self.source.close()


def _stream_ends(body: Mapping[str, Any]) -> bool:
    """The last page: `end_of_stream` (tickets, users), or `meta.has_more` false (custom object records)."""
    meta = body.get("meta")
    return bool(body.get("end_of_stream")) or (isinstance(meta, Mapping) and meta.get("has_more") is False)


class CursorExportWalker(_ExportWalker):
    """Follows after_cursor exactly, so nothing is skipped or repeated. Position: {"after_cursor": ...}."""

    def __init__(self, *args: Any, start: int, saved_cursor: Optional[str], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.start, self.saved_cursor = start, saved_cursor

    def pages(self) -> Iterator[Page]:
        params: Dict[str, Any] = {"cursor": self.saved_cursor} if self.saved_cursor else {"start_time": self.start}
        guard = ProgressGuard(self.walker, "export cursor")
        if self.saved_cursor:
            guard.see(self.saved_cursor)
        restarted = False
        self.ask(params)
        # Each page's, let go of once the page is emitted.
        answer: Optional[ApiAnswer]
        listed: Optional[List[Mapping[str, Any]]]
        items: Optional[List[Mapping[str, Any]]]
        while True:
            answer = self.answer_to(params)
            if answer.status in (400, 422) and "cursor" in params and not restarted:
                self.walker.logger.warning(
                    f"Stream {self.walker.name}: Zendesk no longer accepts the saved export cursor; "
                    "resuming from the saved time instead."
                )
                restarted = True
                params = {"start_time": self.start}
                self.ask(params)
                continue
            body, listed = self.answered(answer)
            if body is None:
                return
            items, reached_end = listed, False
            if self.end is not None:
                items = [item for item in listed if (to_epoch(item.get(self.cursor_field)) or 0) <= self.end]
                reached_end = len(items) < len(listed)
            after = self.next_cursor(body)
            # An empty page that leaves the cursor where it was (records held back) would be asked for again forever.
            held_back = not listed and after == params.get("cursor")
            more = bool(after) and not reached_end and not self.stream_ends(body, listed) and not held_back
            if more:  # ask for the next page while this one is emitted
                guard.see(after)
                params = {"cursor": after}
                self.ask(params)
            if reached_end:  # the next sync restarts from the time, not past end_date
                position: Dict[str, Any] = {"after_cursor": None}
            elif after:
                position = {"after_cursor": after}
            else:
                position = {"after_cursor": None} if restarted else {}
            yield Page(body, items, position, restarted=restarted, reached_end=reached_end)
            answer = body = listed = items = None  # a reader waiting for its next page holds none of this one
            if not more:
                return

    def next_cursor(self, body: Mapping[str, Any]) -> Optional[str]:
        return body.get("after_cursor")

    def stream_ends(self, body: Mapping[str, Any], listed: List[Mapping[str, Any]]) -> bool:
        return _stream_ends(body)


class NextPageCursorWalker(CursorExportWalker):
    """The skill-based routing exports: the next page's `cursor` rides in `next_page`, which Zendesk sends on every
    page, the last one too; the page that brings nothing is the end, and its cursor is where the next sync starts."""

    def next_cursor(self, body: Mapping[str, Any]) -> Optional[str]:
        url = link_in(self.walker, body.get("next_page"), "next_page")
        if url is None:
            return None
        cursors = parse_qs(urlsplit(url).query).get("cursor") or []
        if len(cursors) != 1 or not cursors[0]:
            raise paging_error(self.walker, f"Zendesk's next_page carries no single export cursor: {url[:200]!r}.")
        return cursors[0]

    def stream_ends(self, body: Mapping[str, Any], listed: List[Mapping[str, Any]]) -> bool:
        return not listed


def _boundary_key(item: Mapping[str, Any], second: int) -> Hashable:
    """Records repeated on the next page are the same record at the same second. A record without an id is known
    by its whole content, so two different id-less records in one second are both kept."""
    record_id = item.get("id")
    if record_id is not None:
        return ("id", same_id(record_id), second)  # "123" on one page and 123 on the next are one record
    return ("content", orjson.dumps(item, option=orjson.OPT_SORT_KEYS), second)


class TimeExportWalker(_ExportWalker):
    """start_time=, next page at end_time. Zendesk repeats the records of a page's last second on the next page
    when a page is cut at its size; they are dropped here. Position: {"start_time": <where the next read starts>}."""

    def __init__(self, *args: Any, start: int, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.start = start

    def pages(self) -> Iterator[Page]:
        start, end = self.start, self.end
        if end is not None and start > end:  # end_date is inclusive: the second `end` itself is read too
            return
        seen_at_boundary: Set[Hashable] = set()
        stalled = 0
        self.ask({"start_time": start})
        # Each page's, let go of once the page is emitted.
        answer: Optional[ApiAnswer]
        listed: Optional[List[Mapping[str, Any]]]
        fresh: Optional[List[Mapping[str, Any]]]
        while True:
            answer = self.answer_to({"start_time": start})
            body, listed = self.answered(answer)
            if body is None:
                return
            fresh, last_second, at_second = self._fresh(listed, start, seen_at_boundary)
            sent_end = paging_time(self.walker, body, "end_time")
            end_time = sent_end if sent_end is not None else ((last_second + 1) if last_second is not None else start)
            end_time = clamp_future(self.walker, "end_time", end_time, self.now)
            in_future = sent_end is not None and end_time < sent_end
            # A null next_page is not taken for the end: the walk goes on until a page brings nothing new, so that
            # the saved position passes the last second read (Talk never sends a null next_page anyway).
            ends = bool(body.get("end_of_stream"))
            stuck = end_time <= start and not ends
            # Zendesk leaves end_time at start_time only for a page cut inside one crowded second, which the walk
            # steps past; the next page then moves on by itself. Pages in a row that Zendesk itself never moves on
            # (whatever records they bring) are the export standing still.
            stalled = stalled + 1 if stuck and listed else 0
            if stalled >= MAX_STALLED_PAGES:
                raise paging_error(
                    self.walker,
                    f"Zendesk's export did not move past end_time {body.get('end_time')!r} "
                    f"on {stalled} pages in a row; "
                    "the stream stops here (its state stays at the last page emitted). Try again later.",
                )
            if stuck and listed:
                # The page ended in the second it started. Exports whose end_time is the last record's second
                # (Help Center, Talk) end each page there; only a full page means a second with more records than
                # a page, which Zendesk cannot page inside.
                if len(listed) >= self.page_size:
                    self.walker.logger.warning(
                        f"Stream {self.walker.name}: over {len(listed)} records share second {start}; moving past it."
                    )
                end_time = start + 1
            # Talk never sends a null next_page: an empty page is the end there (and everywhere else too).
            more = bool(listed) and not ends and end_time > start and not in_future and (end is None or end_time <= end)
            if more:  # ask for the next page while this one is emitted
                self.ask({"start_time": end_time})
            seen_at_boundary = {key for second, key in at_second if second == end_time}
            moved = not (stuck and not listed) and end_time >= start
            position = {"start_time": min(end_time, end) if end is not None else end_time} if moved else None
            yield Page(body, fresh, position, more=more)
            answer = body = listed = fresh = at_second = (
                None  # a reader waiting for its next page holds none of this one
            )
            if not more:
                return
            start = end_time

    def _fresh(self, listed: List[Mapping[str, Any]], start: int, seen: Set[Hashable]):
        """The page's records not seen at the last boundary and not past end_date; the newest second among them;
        and (second, key) of every record."""
        fresh: List[Mapping[str, Any]] = []
        last_second: Optional[int] = None
        at_second: List[Tuple[Optional[int], Hashable]] = []
        for item in listed:
            stamped = to_epoch(item.get(self.cursor_field))
            second = stamped if stamped is not None else start
            key = _boundary_key(item, second)
            at_second.append((stamped, key))
            if key in seen:
                continue
            if self.end is not None and second > self.end:
                continue
            fresh.append(item)
            last_second = second if last_second is None else max(last_second, second)
        return fresh, last_second, at_second
