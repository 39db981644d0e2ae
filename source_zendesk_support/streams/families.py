"""One class per way Zendesk pages its data. Streams are rows of registry.py bound to one of these."""
from __future__ import annotations

import time
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any, Dict, Iterable, List, Mapping, Optional, Set, Tuple

from airbyte_cdk.models import (
    AirbyteEstimateTraceMessage,
    AirbyteMessage,
    AirbyteTraceMessage,
    EstimateType,
    TraceType,
    Type,
)
from airbyte_cdk.utils.datetime_helpers import ab_datetime_now

from ..extractors import EXTRACTORS
from ..config import config_error
from ..search_streams import has_own_updated_bound
from ..timeutil import cursor_value, to_epoch, to_iso
from .base import ApiAnswer, FeatureUnavailable, ZendeskStream, parse_answer
from .page_share import RawAnswer

EXPORT_PAGE_SIZE = 1000
MIN_EXPORT_PAGE_SIZE = 100
LIST_PAGE_SIZE = 100
CLOCK_SKEW_MARGIN_SECONDS = 60


def estimate_message(stream: str, rows: int) -> AirbyteMessage:
    return AirbyteMessage(
        type=Type.TRACE,
        trace=AirbyteTraceMessage(
            type=TraceType.ESTIMATE,
            emitted_at=ab_datetime_now().timestamp() * 1000,
            estimate=AirbyteEstimateTraceMessage(name=stream, type=EstimateType.STREAM, row_estimate=rows),
        ),
    )


class _ExportStream(ZendeskStream):
    """Shared by both incremental-export families: 1000-record pages that shrink when Zendesk times out."""

    page_size = EXPORT_PAGE_SIZE
    _ahead: Optional[ThreadPoolExecutor] = None

    def share_group(self):
        """Streams reading the same export from the same point see the same pages (see page_share.py)."""
        saved = self._state.get("after_cursor") if self.incremental else None
        start = ("cursor", saved) if saved else ("start", self.start_epoch())
        return (self.spec.path, tuple(sorted(self.spec.params.items())), self.incremental, start)

    def fetch_page(self, params: Mapping[str, Any]) -> RawAnswer:
        """The page's bytes; parsed only when its turn comes, so a page fetched ahead costs bytes, not objects."""
        params = {**params, "per_page": self.page_size, **self.spec.params}
        return self.context.page_share.fetch(self._group, self.spec.path, params, lambda: self.fetch_raw(self.spec.path, params))

    def fetch_ahead(self, params: Mapping[str, Any]) -> Future:
        """Request a page in the background, so the next page travels while this one is emitted."""
        if self._ahead is None:
            self._ahead = ThreadPoolExecutor(max_workers=1, thread_name_prefix=f"ahead-{self.name}")
        return self._ahead.submit(self.fetch_page, dict(params))

    def next_answer(self, pending: Future) -> ApiAnswer:
        """The page fetched ahead, parsed under a permit (page_permits.py). The caller has dropped the last page."""
        permits = self.context.page_permits
        permits.let_go()
        raw = pending.result()
        permits.hold()
        return parse_answer(raw)

    def read_records(self, *args: Any, **kwargs: Any):
        try:
            yield from super().read_records(*args, **kwargs)
        finally:
            self.context.page_permits.let_go()
            if self._ahead is not None:
                self._ahead.shutdown(wait=False, cancel_futures=True)
                self._ahead = None

    @property
    def _group(self):
        if not hasattr(self, "_share_group"):
            self._share_group = self.share_group()
        return self._share_group

    def records_of(self, body: Mapping[str, Any], items: List[Mapping[str, Any]]) -> Iterable[Mapping[str, Any]]:
        extractor = EXTRACTORS.get(self.spec.extract or "")
        return extractor(body, items) if extractor else items

    def shrink_page(self, answer: ApiAnswer) -> bool:
        """A 504 on a big export page: ask again for half as many records (Zendesk's own advice)."""
        if answer.status == 504 and self.page_size > MIN_EXPORT_PAGE_SIZE:
            self.page_size = max(MIN_EXPORT_PAGE_SIZE, self.page_size // 2)
            self.logger.warning(f"Stream {self.name}: Zendesk timed out on a large page; asking for {self.page_size} records per page.")
            return True
        return False

    @staticmethod
    def too_recent(answer: ApiAnswer) -> bool:
        if answer.status not in (400, 422):
            return False
        text = str(answer.body)
        return "StartTimeTooRecent" in text or "Too recent" in text


class CursorExportStream(_ExportStream):
    """/incremental/{tickets,users}/cursor: follows after_cursor exactly, so nothing is skipped or repeated.

    State: {"after_cursor": <Zendesk cursor>, <cursor field>: <newest value emitted>}. An unchanged account costs
    one request: the saved cursor answers with an empty page and end_of_stream.
    """

    def read_pages(self, stream_slice):
        cursor_field = self.spec.state_cursor
        saved_cursor = self._state.get("after_cursor") if self.incremental else None
        newest = to_epoch(self._state.get(cursor_field)) if self.incremental else None
        end = self.end_epoch
        params = self._first_params(saved_cursor)
        pending: Optional[Future] = self.fetch_ahead(params)
        while pending is not None:
            answer, pending = self.next_answer(pending), None
            if self.shrink_page(answer):
                pending = self.fetch_ahead(params)
                continue
            if answer.status in (400, 422) and "cursor" in params:
                self.logger.warning(f"Stream {self.name}: Zendesk no longer accepts the saved export cursor; resuming from the saved time instead.")
                self._state.pop("after_cursor", None)
                params = self._first_params(None)
                pending = self.fetch_ahead(params)
                continue
            if self.too_recent(answer):
                break
            if not answer.ok:
                raise self.fail(answer, "the incremental export failed")
            body = answer.body
            items = body.get(self.spec.list_key) or []
            reached_end = False
            if end is not None:
                kept = [item for item in items if (to_epoch(item.get(cursor_field)) or 0) <= end]
                reached_end = len(kept) < len(items)
                items = kept
            after = body.get("after_cursor")
            # An empty page that leaves the cursor where it was (records held back) would be asked for again forever.
            stuck = not body.get(self.spec.list_key) and after == params.get("cursor")
            more = bool(after) and not reached_end and not body.get("end_of_stream") and not stuck
            if more:  # ask for the next page while this one is emitted
                params = {"cursor": after}
                pending = self.fetch_ahead(params)
            yield from self.records_of(body, items)
            for item in items:
                value = to_epoch(item.get(cursor_field))
                if value is not None and (newest is None or value > newest):
                    newest = value
            progress = {cursor_field: cursor_value(cursor_field, newest)} if newest is not None else {}
            if reached_end:
                # A bounded backfill stops at end_date; the next sync restarts from the time, not past it.
                self._state.pop("after_cursor", None)
                yield self.checkpoint(**progress)
                break
            yield self.checkpoint(**({"after_cursor": after} if after else {}), **progress)
            answer = body = items = kept = None  # a reader waiting for its next page holds none of this one
        if not self.emitted_state:
            yield self.checkpoint()

    def _first_params(self, saved_cursor: Optional[str]) -> Dict[str, Any]:
        return {"cursor": saved_cursor} if saved_cursor else {"start_time": self.start_epoch()}


class TimeExportStream(_ExportStream):
    """/incremental/{organizations,ticket_events,ticket_metric_events}?start_time=.

    Zendesk repeats the records of a page's last second on the next page when a page is cut at 1000; they are
    dropped by (id, timestamp). State is the next page's start_time, so a resumed sync re-reads at most one second.
    """

    def read_pages(self, stream_slice):
        cursor_field = self.spec.cursor_field
        start = self.start_epoch()
        end = self.end_epoch
        seen_at_boundary: Set[Tuple[Any, int]] = set()
        # end_date is inclusive, as in the other families: the second `end` itself is read too.
        pending: Optional[Future] = self.fetch_ahead({"start_time": start}) if end is None or start <= end else None
        while pending is not None:
            answer, pending = self.next_answer(pending), None
            if self.shrink_page(answer):
                pending = self.fetch_ahead({"start_time": start})
                continue
            if self.too_recent(answer):
                break
            if not answer.ok:
                raise self.fail(answer, "the incremental export failed")
            body = answer.body
            page = body.get(self.spec.list_key) or []
            fresh: List[Mapping[str, Any]] = []
            last_second: Optional[int] = None
            for item in page:
                second = to_epoch(item.get(cursor_field))
                if second is None:
                    second = start
                if (item.get("id"), second) in seen_at_boundary:
                    continue
                if end is not None and second > end:
                    continue
                fresh.append(item)
                last_second = second if last_second is None else max(last_second, second)
            end_time = to_epoch(body.get("end_time"))
            if end_time is None:
                end_time = (last_second + 1) if last_second is not None else start
            stuck = end_time <= start and not body.get("end_of_stream")
            if stuck and page:
                # More than a page of records in one second: Zendesk cannot page inside it. The page may hold only
                # records already seen at the boundary (fresh is empty); stopping then would stick every later sync here.
                # Exports whose end_time is the last record's second (Help Center, Talk) end each page there; only a
                # full page that cannot move on means a second with more records than a page.
                if len(page) >= self.page_size:
                    self.logger.warning(f"Stream {self.name}: over {len(page)} records share second {start}; moving past it.")
                end_time = start + 1
            # Talk never sends a null next_page: an empty page is the end there (and everywhere else too).
            more = bool(page) and not body.get("end_of_stream") and end_time > start and (end is None or end_time <= end)
            if more:  # ask for the next page while this one is emitted
                pending = self.fetch_ahead({"start_time": end_time})
            yield from self.records_of(body, fresh)
            if stuck and not page:
                break
            seen_at_boundary = {
                (item.get("id"), to_epoch(item.get(cursor_field))) for item in page if to_epoch(item.get(cursor_field)) == end_time
            }
            resume = min(end_time, end) if end is not None else end_time
            yield self.checkpoint(**{cursor_field: cursor_value(cursor_field, resume)})
            start = end_time
            answer = body = page = fresh = None  # a reader waiting for its next page holds none of this one
        if not self.emitted_state:
            yield self.checkpoint(**{cursor_field: cursor_value(cursor_field, min(start, end) if end else start)})


class _ListStream(ZendeskStream):
    """Lists filtered by time on the client: records older than the state are dropped."""

    read_started: Optional[int] = None

    def read_records(self, *args: Any, **kwargs: Any):
        # These lists are not ordered by update time: a record changed after its page was read is missed by this
        # read, so the saved cursor never passes the moment the read began (less a margin for clock skew).
        self.read_started = int(time.time()) - CLOCK_SKEW_MARGIN_SECONDS
        yield from super().read_records(*args, **kwargs)

    def keep(self, record: Mapping[str, Any], start: int, end: Optional[int]) -> bool:
        if not self.incremental:
            return True
        value = to_epoch(record.get(self.spec.cursor_field))
        if value is None:
            return True
        return value >= start and (end is None or value <= end)

    def newest_of(self, records: Iterable[Mapping[str, Any]], newest: Optional[int]) -> Optional[int]:
        for record in records:
            value = to_epoch(record.get(self.spec.cursor_field)) if self.spec.cursor_field else None
            if value is not None and (newest is None or value > newest):
                newest = value
        return newest

    def final_checkpoint(self, newest: Optional[int], **extra: Any):
        if self.incremental:
            if newest is not None and self.read_started is not None:
                newest = min(newest, self.read_started)
            progress = {self.spec.cursor_field: cursor_value(self.spec.cursor_field, newest)} if newest is not None else {}
            return self.checkpoint(**progress, **extra)
        return None

    def records_of(self, body: Any) -> List[Mapping[str, Any]]:
        """The page's records: its list, a bare array (Chat), or a single object (Talk stats, Chat account)."""
        extractor = EXTRACTORS.get(self.spec.extract or "")
        if isinstance(body, list):
            items = body
        elif not self.spec.list_key:
            items = [body] if body else []
        else:
            value = body.get(self.spec.list_key)
            items = value if isinstance(value, list) else [value] if isinstance(value, Mapping) else []
        return list(extractor(body, items)) if extractor else items


class CursorPagesStream(_ListStream):
    """page[size]=100 with page[after]; server-side time filter where Zendesk has one.

    Ascending lists checkpoint after every page; descending ones stop at the first record older than the state;
    append-only lists (audits) resume from the last page's cursor, so a re-sync reads only new pages.
    """

    def read_pages(self, stream_slice):
        listed = self.context.listed.pop(self.spec.name, None)
        if listed is not None:  # read whole earlier in this sync (custom-field definitions)
            yield from self._read_listed(listed)
            return
        yield from self._read_cursor_pages()

    def _read_listed(self, records: List[Mapping[str, Any]]):
        start, end = self.start_epoch(), self.end_epoch
        newest = to_epoch(self._state.get(self.spec.cursor_field)) if self.incremental else None
        batch = [record for record in records if self.keep(record, start, end)]
        yield from batch
        message = self.final_checkpoint(self.newest_of(batch, newest))
        if message:
            yield message

    def _read_cursor_pages(self):
        start, end = self.start_epoch(), self.end_epoch
        newest = to_epoch(self._state.get(self.spec.cursor_field)) if self.incremental else None
        resume_cursor = self._state.get("page_after") if (self.incremental and self.spec.resume_from_page_cursor) else None
        url, params = self.spec.path, self._first_params(start, resume_cursor)
        last_after = resume_cursor
        while True:
            answer = self.fetch(url, params)
            if answer.status == 400 and resume_cursor and params and "page[after]" in params:
                self.logger.warning(f"Stream {self.name}: the saved page cursor expired; reading the list again and filtering by time.")
                resume_cursor = last_after = None
                url, params = self.spec.path, self._first_params(start, None)
                continue
            if not answer.ok:
                raise self.fail(answer, "listing failed")
            body = answer.body
            stop = past_end = False
            batch = []
            for record in self.records_of(body):
                if self.keep(record, start, end):
                    batch.append(record)
                elif self.spec.order == "desc" and (to_epoch(record.get(self.spec.cursor_field)) or 0) < start:
                    stop = True
                elif self.spec.order == "asc" and end is not None and (to_epoch(record.get(self.spec.cursor_field)) or 0) > end:
                    stop = past_end = True  # a bounded backfill is done; the rest of an ascending list is later still
            yield from batch
            newest = self.newest_of(batch, newest)
            meta = body.get("meta") or {}
            if not past_end:  # a saved cursor past end_date would make later syncs skip the records dropped here
                last_after = meta.get("after_cursor") or last_after
            if self.incremental and self.spec.order == "asc":
                extra = {"page_after": last_after} if self.spec.resume_from_page_cursor and last_after else {}
                yield self.final_checkpoint(newest, **extra)
            next_url = (body.get("links") or {}).get("next")
            if stop or not meta.get("has_more") or not (next_url or meta.get("after_cursor")):
                break
            if next_url:
                url, params = next_url, None
            else:
                url, params = self.spec.path, {**self._first_params(start, None), "page[after]": meta["after_cursor"]}
        extra = {"page_after": last_after} if self.spec.resume_from_page_cursor and last_after else {}
        message = self.final_checkpoint(newest, **extra)
        if message:
            yield message

    def _first_params(self, start: int, page_after: Optional[str]) -> Dict[str, Any]:
        params: Dict[str, Any] = {"page[size]": LIST_PAGE_SIZE, **self.spec.params}
        if page_after:
            params["page[after]"] = page_after
        elif self.incremental and self.spec.start_param:
            if self.spec.start_param.endswith("[]"):
                # audit_logs takes a [from, to] pair
                params[self.spec.start_param] = [cursor_value("created_at", start), cursor_value("created_at", self.end_epoch or 4102444800)]
            else:
                params[self.spec.start_param] = start
        return params


class SearchExportStream(CursorPagesStream):
    """A named search query through /search/export: up to 1000 results a page, no cap on the total.

    Results come newest-created first, so the state is saved at the end; incremental syncs bound the query by
    `updated>=` server-side (exact to the second) and the client filter drops anything older.
    """

    page_size = 1000

    def _first_params(self, start: int, page_after: Optional[str]) -> Dict[str, Any]:
        params: Dict[str, Any] = {**self.spec.params, "page[size]": self.page_size}
        query = params.get("query", "")
        # A query without terms (tickets_search) is bounded by the start date in both sync modes.
        if (self.incremental or not query.strip()) and not has_own_updated_bound(query):
            params["query"] = f"{query} updated>={to_iso(start)}".strip()
        return params

    def fail(self, answer: ApiAnswer, what: str):
        if answer.status in (400, 422):
            detail = answer.body.get("description") if isinstance(answer.body, Mapping) else answer.body
            return config_error(
                f"Zendesk refused the search query of stream {self.name} ({self.spec.params['query']!r}): {detail}. Fix the query in 'search_queries'."
            )
        return super().fail(answer, what)


class OffsetPagesStream(_ListStream):
    """page/per_page with next_page; Zendesk's `count` becomes a row estimate."""

    def read_pages(self, stream_slice):
        start, end = self.start_epoch(), self.end_epoch
        newest = to_epoch(self._state.get(self.spec.cursor_field)) if self.incremental else None
        url, params = self.spec.path, {"per_page": LIST_PAGE_SIZE, **self.spec.params}
        first = True
        while url:
            answer = self.fetch(url, params)
            if not answer.ok:
                raise self.fail(answer, "listing failed")
            body = answer.body
            if first and isinstance(body.get("count"), int):
                yield estimate_message(self.name, body["count"])
            first = False
            batch = [record for record in self.records_of(body) if self.keep(record, start, end)]
            yield from batch
            newest = self.newest_of(batch, newest)
            url, params = body.get("next_page"), None
        message = self.final_checkpoint(newest)
        if message:
            yield message


class UnpagedStream(_ListStream):
    def read_pages(self, stream_slice):
        start, end = self.start_epoch(), self.end_epoch
        newest = to_epoch(self._state.get(self.spec.cursor_field)) if self.incremental else None
        answer = self.fetch(self.spec.path, self.spec.params)
        if not answer.ok:
            raise self.fail(answer, "listing failed")
        batch = [self.enrich(record) for record in self.records_of(answer.body) if self.keep(record, start, end)]
        yield from batch
        message = self.final_checkpoint(self.newest_of(batch, newest))
        if message:
            yield message

    def enrich(self, record: Mapping[str, Any]) -> Mapping[str, Any]:
        return record


class SchedulesStream(UnpagedStream):
    """Schedules carry their holidays, which Zendesk serves one schedule at a time."""

    def enrich(self, record: Mapping[str, Any]) -> Mapping[str, Any]:
        try:
            answer = self.fetch(f"business_hours/schedules/{record['id']}/holidays")
        except FeatureUnavailable:  # this schedule was deleted after the list was read: not a plan gate
            return {**record, "holidays": []}
        holidays = (answer.body or {}).get("holidays") if answer.ok else None
        return {**record, "holidays": holidays or []}

    def records_of(self, body: Mapping[str, Any]) -> List[Mapping[str, Any]]:
        return body.get(self.spec.list_key) or []
