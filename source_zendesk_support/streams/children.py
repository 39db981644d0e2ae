"""Per-parent lists (side conversations of a ticket, comments and votes of an article or post).

Only parents changed since the last sync are visited. A parent page's children are all emitted before the
parent position is saved, so no parent's children are skipped because another parent advanced a shared cursor.
"""
from __future__ import annotations

from typing import Any, Dict, Iterable, Iterator, List, Mapping, Optional, Tuple

from ..timeutil import cursor_value, to_epoch
from .base import FeatureUnavailable, parse_answer
from .families import EXPORT_PAGE_SIZE, _ExportStream, _ListStream
from .parent_lists import ParentBatch


class ParentChildrenStream(_ListStream):
    """State: {<parent position>, <cursor field>: newest child}. The parent position is the ticket export's
    cursor ("parent_cursor"), or the time of the newest parent change read ("parent_start")."""

    def read_pages(self, stream_slice):
        newest = to_epoch(self._state.get(self.spec.cursor_field)) if self.incremental else None
        self._children_answered = False
        for parents, position in self._parent_batches():
            for parent in parents:
                if parent.get("status") == "deleted":
                    continue  # Zendesk serves nothing under a deleted ticket
                children = list(self._children_of(parent["id"]))
                yield from children
                newest = self.newest_of(children, newest)
            progress = {self.spec.cursor_field: cursor_value(self.spec.cursor_field, newest)} if newest is not None and self.spec.cursor_field else {}
            yield self.checkpoint(**position, **progress)

    # --- parents --------------------------------------------------------------------------------------
    def _parent_batches(self) -> Iterable[ParentBatch]:
        parent = self.spec.parent or ""
        if parent.endswith("/cursor"):
            return self._cursor_export_parents()  # tickets: far too many to hold, and one stream reads them
        read = self._time_export_parents if "incremental/" in parent else self._listed_parents
        return self.context.parent_lists.batches(self.parent_key(), read)

    def parent_key(self) -> Tuple:
        """Streams with equal keys visit the same parents in the same order. Taken once, from the state the
        sync started with: the checkpoints of this sync must not change which pages it shares."""
        if not hasattr(self, "_parent_key"):
            self._parent_key = (self.spec.parent, self.spec.parent_list_key, self.incremental, self._saved_parent_start())
        return self._parent_key

    def shared_list_group(self) -> Tuple:
        """The per-parent list this stream walks (its own, or the comments its votes hang under): a stream
        listing an article's comments and one listing their votes read the same comment pages."""
        return ("children", self.spec.via or self.spec.path, self.parent_key())

    def _configured_start(self) -> int:
        return int(self.context.config.start.timestamp())

    def _saved_parent_start(self) -> int:
        saved = to_epoch(self._state.get("parent_start")) if self.incremental else None
        return max(saved, self._configured_start()) if saved is not None else self._configured_start()

    def _cursor_export_parents(self) -> Iterator[ParentBatch]:
        saved = self._state.get("parent_cursor") if self.incremental else None
        params: Dict[str, Any] = {"cursor": saved} if saved else {"start_time": self._configured_start()}
        while True:
            answer = self.fetch(self.spec.parent, {**params, "per_page": EXPORT_PAGE_SIZE})
            if answer.status in (400, 422) and "cursor" in params:
                params = {"start_time": self._configured_start()}
                continue
            if _ExportStream.too_recent(answer):
                return
            if not answer.ok:
                raise self.fail(answer, "reading the parent export failed")
            after = answer.body.get("after_cursor")
            yield answer.body.get(self.spec.parent_list_key) or [], ({"parent_cursor": after} if after else {})
            if answer.body.get("end_of_stream") or not after:
                return
            if not answer.body.get(self.spec.parent_list_key) and after == params.get("cursor"):
                return  # an empty page that does not move the cursor (records held back): asking again would spin
            params = {"cursor": after}

    def _time_export_parents(self) -> Iterator[ParentBatch]:
        start = self._saved_parent_start()
        while True:
            answer = self.fetch(self.spec.parent, {"start_time": start})
            if _ExportStream.too_recent(answer):
                return
            if not answer.ok:
                raise self.fail(answer, "reading the parent export failed")
            parents = answer.body.get(self.spec.parent_list_key) or []
            end_time = to_epoch(answer.body.get("end_time"))
            yield parents, {"parent_start": end_time if end_time is not None else start}
            if not parents or end_time is None or end_time <= start or answer.body.get("end_of_stream") or not answer.body.get("next_page"):
                return
            start = end_time

    def _listed_parents(self) -> Iterator[ParentBatch]:
        """Parents from a plain list: those updated since the saved time. Unordered, so saved at the end."""
        start = self._saved_parent_start()
        changed, newest = [], None
        for parent in self._list(self.spec.parent, self.spec.parent_list_key):
            updated = to_epoch(parent.get("updated_at"))
            if not self.incremental or updated is None or updated >= start:
                changed.append(parent)
            if updated is not None and (newest is None or updated > newest):
                newest = updated
        if newest is not None and self.read_started is not None:
            newest = min(newest, self.read_started)  # a parent changed while we listed is visited next time
        yield changed, ({"parent_start": newest} if newest is not None else {})

    # --- children ------------------------------------------------------------------------------------
    def _children_of(self, parent_id: Any) -> Iterable[Mapping[str, Any]]:
        key = self.spec.parent_key or "parent_id"
        if self.spec.via:
            for middle in self._list(self.spec.via.format(parent_id=parent_id), "comments", gated_ok=True, shared=True):
                path = self.spec.path.format(parent_id=parent_id, child_id=middle["id"])
                for record in self._list(path, self.spec.list_key, gated_ok=True):
                    yield {**record, key: record.get(key, parent_id), "comment_id": record.get("comment_id", middle["id"])}
            return
        for record in self._list(self.spec.path.format(parent_id=parent_id), self.spec.list_key, gated_ok=True, shared=True):
            yield {**record, key: record.get(key, parent_id)}

    def _list(self, path: str, list_key: str, gated_ok: bool = False, shared: bool = False) -> Iterator[Mapping[str, Any]]:
        """Every item of a list, whether Zendesk pages it by cursor, by offset or not at all. A `shared` list's
        pages are fetched once for every stream that walks it (see page_share.py)."""
        url: Optional[str] = path
        params: Optional[Dict[str, Any]] = {"page[size]": self.context.config.list_page_size}
        while url:
            try:
                if shared:
                    asked = dict(params or {})
                    answer = parse_answer(self.context.page_share.fetch(
                        self.shared_list_group(), url, asked, lambda: self.fetch_raw(url, asked)))
                else:
                    answer = self.fetch(url, params)
            except FeatureUnavailable as gate:
                # 404: this parent is gone or archived. 403 before any sibling answered: the add-on or the role
                # is missing, so the whole stream is unavailable.
                if gated_ok and (gate.status == 404 or self._children_answered):
                    return
                raise
            if gated_ok:
                self._children_answered = True
            if not answer.ok:
                raise self.fail(answer, f"listing {path} failed")
            yield from answer.body.get(list_key) or []
            meta = answer.body.get("meta") or {}
            links = answer.body.get("links") or {}
            url = links.get("next") if meta.get("has_more") else answer.body.get("next_page")
            params = None
