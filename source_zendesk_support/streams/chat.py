"""Zendesk Chat's streams: the chats export, paged by (start_time, start_id), and lists paged by since_id."""

from __future__ import annotations

from dataclasses import replace
from functools import partial

from ..paging.chat import ChatExportWalker, MicrosExportWalker, SinceIdWalker, start_micros_of
from ..foundation.clock import cursor_value
from .estimates import ProjectedEstimate
from .lists import ListStream


class ChatExportStream(ListStream):
    """/chat/incremental/chats. State: {<cursor field>: end_time, "start_id": end_id}."""

    paging = "chat incremental export"

    def read_pages(self, stream_slice):
        cursor_field = self.spec.cursor_field
        start = self.start_epoch()
        walker = ChatExportWalker(
            self.fetcher,
            partial(self.fetcher.get, self.spec.path),
            self.spec.list_key,
            cursor_field,
            self.spec.params,
            start=start,
            start_id=self._state.get("start_id") if self.incremental else None,
            end=self.end_epoch,
        )
        projected = ProjectedEstimate(self, start)
        for page in walker.pages():
            message = projected.after_page(page)
            if message:
                yield message
            yield from page.items
            if page.position is not None:
                position = dict(page.position)
                yield self.checkpoint(
                    **{cursor_field: cursor_value(cursor_field, position.pop("start_time"))}, **position
                )
        if not self.emitted_state and self.incremental:
            yield self.checkpoint()


class AgentTimelineStream(ListStream):
    """/chat/incremental/agent_timeline: every agent's status changes. State: {<cursor field>: the second of the
    export's end_time, "start_micros": that end_time to the microsecond}; a resumed read asks from exactly there."""

    paging = "chat incremental export (microseconds)"

    def read_pages(self, stream_slice):
        cursor_field = self.spec.cursor_field
        saved = self.saved_epoch(cursor_field) if self.incremental else None
        start = start_micros_of(saved, self._state.get("start_micros"), self.configured_start())
        walker = MicrosExportWalker(
            self.fetcher,
            partial(self.fetcher.get, self.spec.path),
            self.spec.list_key,
            cursor_field,
            start,
            end=self.end_epoch,
        )
        projected = ProjectedEstimate(self, start // 1_000_000)
        for page in walker.pages():
            if page.position is not None:  # the projection counts time in seconds
                message = projected.after_page(
                    replace(page, position={"start_time": page.position["start_time"] // 1_000_000})
                )
                if message:
                    yield message
            yield from page.items
            if page.position is not None:
                micros = page.position["start_time"]
                yield self.checkpoint(
                    **{cursor_field: cursor_value(cursor_field, micros // 1_000_000)}, start_micros=micros
                )
        if not self.emitted_state and self.incremental:
            yield self.checkpoint()


class SinceIdStream(ListStream):
    """Chat lists paged by id."""

    paging = "since_id pages"

    def read_pages(self, stream_slice):
        for page in SinceIdWalker(self.fetcher, partial(self.fetcher.get, self.spec.path), self.records_of).pages():
            yield from page.items
