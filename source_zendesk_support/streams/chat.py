"""Zendesk Chat's own ways of paging: an incremental export by (start_time, start_id), and lists by since_id."""
from __future__ import annotations

from typing import Any, Dict, Set

from ..records.timeutil import cursor_value, to_epoch
from .families import _ListStream

CHAT_EXPORT_LIMIT = 1000
SINCE_ID_LIMIT = 100


class ChatExportStream(_ListStream):
    """/chat/incremental/chats: pages end at (end_time, end_id); the next starts there.

    State: {<cursor field>: end_time, "start_id": end_id}. A short or empty page ends the export.
    """

    def read_pages(self, stream_slice):
        cursor_field = self.spec.cursor_field
        start = self.start_epoch()
        start_id = self._state.get("start_id") if self.incremental else None
        seen_at_boundary: Set[Any] = set()
        while True:
            params: Dict[str, Any] = {"start_time": start, "limit": CHAT_EXPORT_LIMIT, **self.spec.params}
            if start_id:
                params["start_id"] = start_id
            answer = self.fetch(self.spec.path, params)
            if not answer.ok:
                raise self.fail(answer, "the chat export failed")
            body = answer.body
            items = body.get(self.spec.list_key) or []
            fresh = [item for item in items if item.get("id") not in seen_at_boundary]
            end = self.end_epoch
            yield from (item for item in fresh if end is None or (to_epoch(item.get(cursor_field)) or 0) <= end)
            end_time, end_id = to_epoch(body.get("end_time")), body.get("end_id")
            if end_time is None or not items:
                break
            if end is not None and end_time > end:
                # A bounded backfill stops at end_date; saving end_time would make later syncs skip the chats
                # dropped above. The next sync starts at end_date (start_id belongs to end_time, so it goes too).
                self._state.pop("start_id", None)
                yield self.checkpoint(**{cursor_field: cursor_value(cursor_field, max(end, start))})
                break
            seen_at_boundary = {item.get("id") for item in items if to_epoch(item.get(cursor_field)) == end_time}
            yield self.checkpoint(**{cursor_field: cursor_value(cursor_field, end_time)}, **({"start_id": end_id} if end_id else {}))
            if len(items) < CHAT_EXPORT_LIMIT or not body.get("next_page") or (end_time == start and end_id == start_id):
                break
            start, start_id = end_time, end_id
        if not self.emitted_state and self.incremental:
            yield self.checkpoint()


class SinceIdStream(_ListStream):
    """Chat lists paged by id: ask for ids from since_id on, until a page comes back empty."""

    def read_pages(self, stream_slice):
        since_id = 0
        while True:
            answer = self.fetch(self.spec.path, {"since_id": since_id, "limit": SINCE_ID_LIMIT})
            if not answer.ok:
                raise self.fail(answer, "listing failed")
            records = self.records_of(answer.body)
            if not records:
                break
            yield from records
            ids = [to_epoch(record.get("id")) for record in records if to_epoch(record.get("id")) is not None]
            if not ids or max(ids) + 1 <= since_id or len(records) < SINCE_ID_LIMIT:
                break
            since_id = max(ids) + 1
