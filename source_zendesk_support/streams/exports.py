"""Streams over Zendesk's incremental exports: every change, archived and deleted records included.

Streams reading the same export from the same point share its pages (sync/page_share.py); each page is fetched
ahead while the last one is emitted, and parsed under a permit (sync/page_permits.py).
"""

from __future__ import annotations

from typing import Any, Iterable, List, Mapping

from ..paging.exports import EXPORT_PAGE_SIZE, CursorExportWalker, NextPageCursorWalker, TimeExportWalker
from ..paging.page import PrefetchingSource
from ..foundation.clock import cursor_value, to_epoch
from .base import ZendeskStream
from .estimates import ProjectedEstimate, RowEstimate


class _ExportStream(ZendeskStream):
    page_size = EXPORT_PAGE_SIZE
    _walker = None

    def share_group(self):
        """Streams reading the same export from the same point, for the same tickets, see the same pages (see
        sync/page_share.py)."""
        saved = self._state.get("after_cursor") if self.incremental else None
        start = ("cursor", saved) if saved else ("start", self.start_epoch())
        scope = (self.ticket_scope, self.scope_until) if self.takes_ticket_scope else None
        return (self.spec.path, tuple(sorted(self.spec.params.items())), self.incremental, start, scope)

    def shared_page_groups(self) -> List[Any]:
        """The group of the incremental read, and of the backfill before it when one is due (from the state the
        sync starts with: the checkpoints of this sync must not change which pages it shares)."""
        plan = self.backfill_plan()  # first: it may set the state aside, which moves the read's start
        groups = [self._group]
        if plan is not None:
            with self.backfilling(plan):
                groups.append(self._group)
        return groups

    @property
    def _group(self):
        groups = self.__dict__.setdefault("_share_groups", {})
        phase = "backfill" if self.scope_until is not None else "read"
        if phase not in groups:
            groups[phase] = self.share_group()
        return groups[phase]

    def _walk_with(self, walker):
        """The walker of this phase of the read (a backfill's, then the incremental read's)."""
        if self._walker is not None:
            self._walker.close()
        self._walker = walker
        return walker

    def page_source(self) -> PrefetchingSource:
        # Bound once: pages are asked for in the prefetch thread, with no call back into this stream.
        share, group, fetcher, path, fixed = (
            self.context.page_share,
            self._group,
            self.fetcher,
            self.spec.path,
            self.spec.params,
        )

        def fetch(params: Mapping[str, Any]):
            asked = {**params, **fixed}
            return share.fetch(group, path, asked, lambda: fetcher.get_raw(path, asked))

        return PrefetchingSource(fetch, self.context.page_permits, thread_name=f"ahead-{self.name}")

    def read_records(self, *args: Any, **kwargs: Any):
        try:
            yield from super().read_records(*args, **kwargs)
        finally:
            if self._walker is not None:
                self._walker.close()
                self._walker = None

    def records_of(self, body: Mapping[str, Any], items: List[Mapping[str, Any]]) -> Iterable[Mapping[str, Any]]:
        return self.spec.extract(body, items) if self.spec.extract else items

    def page_records(self, page: Any, estimate: RowEstimate) -> Iterable[Any]:
        """The page's records, after the ESTIMATE its first page makes when the row scales a count by it."""
        records = self.records_of(page.body, page.items)
        if estimate.wants_first_page:
            records = list(records)
            message = estimate.after_page(page.items, len(records))
            if message:
                yield message
        yield from records


class CursorExportStream(_ExportStream):
    """/incremental/{tickets,users}/cursor. State: {"after_cursor": <Zendesk cursor>, <cursor field>: <newest value
    emitted>}. An unchanged account costs one request: the saved cursor answers with an empty page and end_of_stream."""

    paging = "cursor-based incremental export"
    walker_class = CursorExportWalker

    def read_pages(self, stream_slice):
        cursor_field = self.spec.state_cursor
        newest = to_epoch(self._state.get(cursor_field)) if self.incremental else None
        self._walk_with(
            self.walker_class(
                self.fetcher,
                self.page_source(),
                self.spec.list_key,
                cursor_field,
                self.end_epoch,
                self.page_size,
                start=self.start_epoch(),
                saved_cursor=self._state.get("after_cursor") if self.incremental else None,
            )
        )
        estimate = RowEstimate(self, from_start=self.reads_from_start)
        message = estimate.before_pages()
        if message:
            yield message
        for page in self._walker.pages():
            yield from self.page_records(page, estimate)
            newest = self.newest_of(page.items, newest, cursor_field)
            progress = {cursor_field: cursor_value(cursor_field, newest)} if newest is not None else {}
            yield self.checkpoint(**page.position, **progress)
            page = None  # a reader waiting for its next page holds none of this one
        if not self.emitted_state:
            yield self.checkpoint()


class NextPageCursorExportStream(CursorExportStream):
    """/incremental/routing/{attributes,attribute_values,instance_values}: as above, with the cursor read from each
    page's next_page. An unchanged account costs one request: the saved cursor answers with an empty page."""

    paging = "cursor-based incremental export (cursor in next_page)"
    walker_class = NextPageCursorWalker


class TimeExportStream(_ExportStream):
    """/incremental/{organizations,ticket_events,...}?start_time=. State is the next page's start_time, so a
    resumed sync re-reads at most one second (its repeats are dropped)."""

    paging = "time-based incremental export"

    def position_epoch(self):
        """The saved state is where the next read starts: it has read the second before."""
        saved = super().position_epoch()
        return saved - 1 if saved is not None else None

    def read_pages(self, stream_slice):
        cursor_field = self.spec.cursor_field
        start, end = self.start_epoch(), self.end_epoch
        estimate = RowEstimate(self, from_start=self.reads_from_start)
        message = estimate.before_pages()
        if message:
            yield message
        projected = ProjectedEstimate(self, start)
        self._walk_with(
            TimeExportWalker(
                self.fetcher, self.page_source(), self.spec.list_key, cursor_field, end, self.page_size, start=start
            )
        )
        for page in self._walker.pages():
            message = projected.after_page(page)
            if message:
                yield message
            yield from self.page_records(page, estimate)
            if page.position is not None:
                start = page.position["start_time"]
                yield self.checkpoint(**{cursor_field: cursor_value(cursor_field, start)})
            page = None  # a reader waiting for its next page holds none of this one
        if not self.emitted_state:
            yield self.checkpoint(**{cursor_field: cursor_value(cursor_field, min(start, end) if end else start)})
