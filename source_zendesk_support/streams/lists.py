"""Streams over Zendesk's lists: cursor pages, offset pages, whole lists in one response, and the search export.

Lists are not ordered by update time (except where a row says so), so records are filtered by time on the client
and the saved cursor never passes the moment the read began.
"""

from __future__ import annotations

import time
from typing import Any, Dict, List, Mapping, Optional

from ..http.answer import ApiAnswer, FeatureUnavailable, parse_answer
from ..paging.guards import CLOCK_SKEW_SECONDS, list_in, paging_error, records_only, shape_error
from ..paging.lists import CursorPagesWalker, NewestFirst, OffsetPagesWalker, UnpagedWalker
from ..records.extractors import UnexpectedShape
from ..foundation.clock import cursor_value, to_epoch
from .base import ZendeskStream
from .estimates import RowEstimate, estimate_message


def list_share_group(path: str, first_params: Mapping[str, Any]) -> tuple:
    """A plain list read whole from its first page: a list stream and a per-parent stream walking the same list for
    its parents fetch each page once (sync/page_share.py)."""
    return ("list", path, tuple(sorted((key, str(value)) for key, value in first_params.items())))


class ListStream(ZendeskStream):
    """Lists filtered by time on the client: records older than the state are dropped."""

    read_started: Optional[int] = None

    def read_records(self, *args: Any, **kwargs: Any):
        # A record changed after its page was read is missed by this read, so the saved cursor never passes the
        # moment the read began (less a margin for clock skew).
        self.read_started = int(time.time()) - CLOCK_SKEW_SECONDS
        yield from super().read_records(*args, **kwargs)

    def keep(self, record: Mapping[str, Any], start: int, end: Optional[int]) -> bool:
        if not self.incremental:
            return True
        value = to_epoch(record.get(self.incremental_cursor))
        if value is None:
            return True
        return value >= start and (end is None or value <= end)

    def final_checkpoint(self, newest: Optional[int], **extra: Any):
        if self.incremental:
            if newest is not None and self.read_started is not None:
                newest = min(newest, self.read_started)
            progress = (
                {self.incremental_cursor: cursor_value(self.incremental_cursor, newest)} if newest is not None else {}
            )
            return self.checkpoint(**progress, **extra)
        return None

    def records_of(self, body: Any) -> List[Mapping[str, Any]]:
        """The page's records: its list, a bare array (Chat), or a single object (Talk stats, Chat account)."""
        if not self.spec.list_key:
            items = records_only(self, body, self.spec.name) if isinstance(body, list) else [body] if body else []
        elif not isinstance(body, Mapping):  # only Chat's lists, which have no list key, are bare arrays
            items = list_in(self, body, self.spec.list_key, "listing")
        elif isinstance(body.get(self.spec.list_key), Mapping):
            items = [body[self.spec.list_key]]
        else:
            items = list_in(self, body, self.spec.list_key, "listing")
        if not self.spec.extract:
            return items
        try:
            return list(self.spec.extract(body, items))
        except UnexpectedShape as error:
            raise paging_error(self, f"{error}.") from None

    def saved_newest(self) -> Optional[int]:
        return to_epoch(self._state.get(self.incremental_cursor)) if self.incremental else None


class CursorPagesStream(ListStream):
    """page[size]=100 with page[after]; server-side time filter where Zendesk has one.

    Ascending lists checkpoint after every page; descending ones stop after the page holding the first record older
    than the state (paging/lists.py: NewestFirst);
    append-only lists (audits) resume from the last page's cursor, so a re-sync reads only new pages.
    """

    paging = "cursor pages"

    @property
    def page_size(self) -> int:
        return self.context.config.list_page_size

    def read_pages(self, stream_slice):
        listed = self.context.listed.pop(self.spec.name, None)
        if listed is not None:  # read whole earlier in this sync (custom-field definitions)
            yield from self._read_listed(listed)
            return
        yield from self._read_cursor_pages()

    def shared_page_groups(self) -> List[Any]:
        """A list read whole from its first page may be another stream's parents (macros for macro_attachments)."""
        pages = self.spec.pages
        if pages.resume_from_page_cursor or pages.start_filter or pages.order == "desc":
            return []
        return [list_share_group(self.spec.path, self.first_params(0, None))]

    def _fetch_page(self, path_or_url: str, params: Optional[Mapping[str, Any]] = None) -> ApiAnswer:
        groups, fetcher = self.shared_page_groups(), self.fetcher
        if not groups:
            return fetcher.get(path_or_url, params)
        asked = dict(params or {})
        return parse_answer(
            self.context.page_share.fetch(groups[0], path_or_url, asked, lambda: fetcher.get_raw(path_or_url, asked))
        )

    def _read_listed(self, records: List[Mapping[str, Any]]):
        start, end = self.start_epoch(), self.end_epoch
        batch = [record for record in records if self.keep(record, start, end)]
        yield from batch
        message = self.final_checkpoint(self.newest_of(batch, self.saved_newest()))
        if message:
            yield message

    def _read_cursor_pages(self):
        start, end = self.start_epoch(), self.end_epoch
        newest = self.saved_newest()
        resumes = self.incremental and self.spec.pages.resume_from_page_cursor
        resume_cursor = self._state.get("page_after") if resumes else None
        walker = CursorPagesWalker(
            self.fetcher, self._fetch_page, self.spec.path, lambda after: self.first_params(start, after), resume_cursor
        )
        last_after = resume_cursor
        order = self.spec.pages.order
        estimate = RowEstimate(self, from_start=self.reads_from_start)
        message = estimate.before_pages()
        if message:
            yield message
        newest_first = (
            NewestFirst(self, self.spec.cursor_field, start) if self.incremental and order == "desc" else None
        )
        for page in walker.pages():
            if page.restarted:
                last_after = None
            stop = past_end = False
            batch = []
            records = self.records_of(page.body)
            for record in records:
                if self.keep(record, start, end):
                    batch.append(record)
                elif order == "asc" and end is not None and (to_epoch(record.get(self.spec.cursor_field)) or 0) > end:
                    stop = past_end = True  # a bounded backfill is done; the rest of an ascending list is later still
            message = estimate.after_page(batch, len(batch), more=page.more)
            if message:
                yield message
            if newest_first is not None and newest_first.done_after(records):
                stop = True
            yield from batch
            newest = self.newest_of(batch, newest)
            if not past_end:  # a saved cursor past end_date would make later syncs skip the records dropped here
                last_after = page.position.get("page_after") or last_after
            if self.incremental and order == "asc":
                yield self.final_checkpoint(newest, **self._page_cursor(last_after))
            if stop:
                break
        message = self.final_checkpoint(newest, **self._page_cursor(last_after))
        if message:
            yield message

    def _page_cursor(self, last_after: Optional[str]) -> Dict[str, Any]:
        return {"page_after": last_after} if self.spec.pages.resume_from_page_cursor and last_after else {}

    def first_params(self, start: int, page_after: Optional[str]) -> Dict[str, Any]:
        params: Dict[str, Any] = {"page[size]": self.page_size, **self.spec.params}
        if page_after:
            params["page[after]"] = page_after
        elif self.incremental and self.spec.pages.start_filter:
            params.update(self.spec.pages.start_filter(start, self.end_epoch))
        return params


class OffsetPagesStream(ListStream):
    """page/per_page with next_page; Zendesk's `count` becomes a row estimate.

    Rows listing the same path with the same query (ticket_forms and the condition rows derived from it) fetch
    each page once (sync/page_share.py): every one of them reads every page and filters on its own."""

    paging = "offset pages"

    def list_params(self) -> Dict[str, Any]:
        return {"per_page": self.context.config.list_page_size, **self.spec.params}

    def shared_page_groups(self) -> List[Any]:
        return [
            (
                "offset pages",
                self.spec.path,
                tuple(sorted((key, str(value)) for key, value in self.list_params().items())),
            )
        ]

    def fetch_shared(self, path_or_url: str, params: Optional[Mapping[str, Any]] = None) -> ApiAnswer:
        asked = dict(params or {})
        group, fetcher = self.shared_page_groups()[0], self.fetcher
        return parse_answer(
            self.context.page_share.fetch(group, path_or_url, asked, lambda: fetcher.get_raw(path_or_url, asked))
        )

    def read_pages(self, stream_slice):
        start, end = self.start_epoch(), self.end_epoch
        newest = self.saved_newest()
        first = True
        for page in OffsetPagesWalker(self.fetcher, self.fetch_shared, self.spec.path, self.list_params()).pages():
            # `count` counts the list's items, not the rows a derived stream makes of them
            if (
                first
                and not self.spec.extract
                and isinstance(page.body, Mapping)
                and isinstance(page.body.get("count"), int)
            ):
                yield estimate_message(self.name, page.body["count"])
            first = False
            batch = [record for record in self.records_of(page.body) if self.keep(record, start, end)]
            yield from batch
            newest = self.newest_of(batch, newest)
        message = self.final_checkpoint(newest)
        if message:
            yield message


class UnpagedStream(ListStream):
    """The whole list, or a single object, in one response."""

    paging = "single response"

    def read_pages(self, stream_slice: Optional[Mapping[str, Any]]):
        start, end = self.start_epoch(), self.end_epoch
        batch: List[Mapping[str, Any]] = []
        for page in UnpagedWalker(self.fetcher, self.fetcher.get, self.spec.path, self.spec.params).pages():
            batch = [self.enrich(record) for record in self.records_of(page.body) if self.keep(record, start, end)]
            yield from batch
        message = self.final_checkpoint(self.newest_of(batch, self.saved_newest()))
        if message:
            yield message

    def enrich(self, record: Mapping[str, Any]) -> Mapping[str, Any]:
        return record


class NamesStream(UnpagedStream):
    """A list of bare names (macro categories): one record {"name": ...} per name."""

    def records_of(self, body: Any) -> List[Mapping[str, Any]]:
        key = self.spec.list_key
        names = body.get(key) if isinstance(body, Mapping) else None
        if not isinstance(names, list):
            raise shape_error(self, f"listing: Zendesk's answer has no '{key}' list of names.")
        for position, name in enumerate(names):
            if not isinstance(name, str):
                raise shape_error(
                    self, f"listing: Zendesk sent something other than a name as item {position} of '{key}'."
                )
        return [{"name": name} for name in names]


class SchedulesStream(UnpagedStream):
    """Schedules carry their holidays, which Zendesk serves one schedule at a time."""

    def enrich(self, record: Mapping[str, Any]) -> Mapping[str, Any]:
        try:
            answer = self.fetch(f"business_hours/schedules/{record['id']}/holidays")
        except FeatureUnavailable:  # this schedule was deleted after the list was read: not a plan gate
            return {**record, "holidays": []}
        holidays = (answer.body or {}).get("holidays") if answer.ok and isinstance(answer.body, Mapping) else None
        return {**record, "holidays": holidays or []}

    def records_of(self, body: Mapping[str, Any]) -> List[Mapping[str, Any]]:
        return body.get(self.spec.list_key) or []
