"""Per-parent lists (side conversations of a ticket, comments and votes of an article or post): parents from the
walker the row names, children from cursor pages.

Only parents changed since the last sync are visited. A parent page's children are all emitted before the
parent position is saved, so no parent's children are skipped because another parent advanced a shared cursor.
"""

from __future__ import annotations

from functools import partial
from typing import Any, Dict, Hashable, Iterable, Iterator, List, Mapping, Optional, Tuple

from ..http.answer import FeatureUnavailable, parse_answer
from ..paging.exports import CursorExportWalker, TimeExportWalker
from ..paging.guards import list_in
from ..paging.lists import CursorPagesWalker, NewestFirst
from ..paging.page import DirectSource
from ..foundation.clock import cursor_value, to_epoch
from ..sync.parent_lists import ParentBatch
from .estimates import ListedParentsEstimate, RowEstimate
from .lists import ListStream, list_share_group
from .spec import Parents


# Parents whose children are counted before the ESTIMATE scales the parent count by children per parent.
ESTIMATE_SAMPLE = 100


class ParentChildrenStream(ListStream):
    """State: {<parent position>, <cursor field>: newest child}. The parent position is the ticket export's
    cursor ("parent_cursor"), or the time of the newest parent change read ("parent_start")."""

    paging = "per changed parent"

    @property
    def parents_spec(self) -> Parents:
        """The spec's parents: registry/table.py gives every stream of this kind some."""
        parents = self.spec.parents
        assert parents is not None
        return parents

    def position_epoch(self):
        """How far the parents were read, in time; a parent export's cursor does not say."""
        return self.saved_epoch("parent_start") if self.incremental else None

    def read_pages(self, stream_slice: Optional[Mapping[str, Any]]):
        newest = self.saved_newest()
        self._children_answered = False
        from_start = self.reads_from_start
        estimate = RowEstimate(self, from_start=from_start)
        tally = ListedParentsEstimate(self, from_start, ESTIMATE_SAMPLE)
        sampled: list = []  # parents visited while the estimate waits for a sample of ESTIMATE_SAMPLE of them
        emitted = 0
        for parents, position in self._parent_batches():
            visited = children_seen = 0
            for parent in parents:
                if parent.get("status") == "deleted":
                    continue  # Zendesk serves nothing under a deleted ticket
                if not self.parents_spec.visits(parent):
                    if estimate.wants_first_page:
                        sampled.append(parent)  # a parent without children of this kind: the estimate counts it so
                    continue
                children = list(self._children_of(parent["id"]))
                visited, children_seen = visited + 1, children_seen + len(children)
                message = tally.after_parent(len(parents), visited, children_seen)
                if message:
                    yield message
                yield from children
                newest = self.newest_of(children, newest)
                if estimate.wants_first_page:
                    sampled.append(parent)
                    emitted += len(children)
                    if len(sampled) >= ESTIMATE_SAMPLE:
                        yield from self._estimated(estimate, sampled, emitted)
            yield from self._estimated(estimate, sampled, emitted)
            progress = (
                {self.spec.cursor_field: cursor_value(self.spec.cursor_field, newest)}
                if newest is not None and self.spec.cursor_field
                else {}
            )
            yield self.checkpoint(**position, **progress)

    @staticmethod
    def _estimated(estimate: RowEstimate, parents: list, children: int):
        message = estimate.after_page(parents, children)
        if message:
            yield message

    # --- parents --------------------------------------------------------------------------------------
    def _parent_batches(self) -> Iterable[ParentBatch]:
        paged_by = self.parents_spec.paged_by
        if paged_by is CursorExportWalker:
            return self._cursor_export_parents()  # tickets: far too many to hold, and one stream reads them
        read = self._time_export_parents if paged_by is TimeExportWalker else self._listed_parents
        return self.context.parent_lists.batches(self.parent_key(), read)

    def parent_key(self) -> Tuple:
        """Streams with equal keys visit the same parents in the same order. Taken once, from the state the
        sync started with: the checkpoints of this sync must not change which pages it shares."""
        if not hasattr(self, "_parent_key"):
            parents = self.parents_spec
            self._parent_key = (parents.path, parents.list_key, self.incremental, self._saved_parent_start())
        return self._parent_key

    def shared_list_group(self) -> Tuple:
        """The per-parent list this stream walks (its own, or the comments its votes hang under): a stream
        listing an article's comments and one listing their votes read the same comment pages."""
        return ("children", self.parents_spec.via or self.spec.path, self.parent_key())

    def shared_page_groups(self):
        return [self.shared_list_group()] + ([self._parent_list_group()] if self._parents_read_whole() else [])

    def _parents_read_whole(self) -> bool:
        """Parents from a plain list not sorted newest first: its pages are the same as the list stream's."""
        parents = self.parents_spec
        return parents.paged_by is CursorPagesWalker and not parents.newest_first

    def _parent_list_group(self) -> Tuple:
        return list_share_group(self.parents_spec.path, self._first_list_params(None, {}))

    def _first_list_params(self, after: Optional[str], sort_query: Mapping[str, Any]) -> Dict[str, Any]:
        return {
            "page[size]": self.context.config.list_page_size,
            **sort_query,
            **({"page[after]": after} if after else {}),
        }

    def _saved_parent_start(self) -> int:
        configured = self.configured_start()
        saved = self.saved_epoch("parent_start") if self.incremental else None
        return max(saved, configured) if saved is not None else configured

    def _parent_source(self) -> DirectSource:
        return DirectSource(partial(self.fetcher.get, self.parents_spec.path))

    def _cursor_export_parents(self) -> Iterator[ParentBatch]:
        parents = self.parents_spec
        walker = CursorExportWalker(
            self.fetcher,
            self._parent_source(),
            parents.list_key,
            parents.cursor_field,
            self.scope_until,
            start=self.configured_start(),
            saved_cursor=self._state.get("parent_cursor") if self.incremental else None,
        )
        for page in walker.pages():
            assert page.position is not None  # the cursor export gives every page a position
            position = {"parent_cursor": page.position["after_cursor"]} if "after_cursor" in page.position else {}
            yield page.items, position

    def _time_export_parents(self) -> Iterator[ParentBatch]:
        parents = self.parents_spec
        walker = TimeExportWalker(
            self.fetcher,
            self._parent_source(),
            parents.list_key,
            parents.cursor_field,
            None,
            start=self._saved_parent_start(),
        )
        for page in walker.pages():
            yield page.items, ({"parent_start": page.position["start_time"]} if page.position else {})

    def _listed_parents(self) -> Iterator[ParentBatch]:
        """Parents from a plain list: those updated since the saved time, saved at the end. A list sorted newest
        first is read only down to the first parent older than that time."""
        parents = self.parents_spec
        start = self._saved_parent_start()
        sorted_newest_first = self.incremental and bool(parents.newest_first)
        stop = NewestFirst(self, parents.cursor_field, start) if sorted_newest_first else None
        changed, newest = [], None
        sort_query = parents.newest_first if sorted_newest_first else {}
        group = self._parent_list_group() if self._parents_read_whole() else None
        for page in self._list_pages(parents.path, parents.list_key, sort_query=sort_query, group=group):
            for parent in page:
                updated = to_epoch(parent.get(parents.cursor_field))
                if not self.incremental or updated is None or updated >= start:
                    changed.append(parent)
                if updated is not None and (newest is None or updated > newest):
                    newest = updated
            if stop is not None and stop.done_after(page):
                break
        if newest is not None and self.read_started is not None:
            newest = min(newest, self.read_started)  # a parent changed while we listed is visited next time
        yield changed, ({"parent_start": newest} if newest is not None else {})

    # --- children ------------------------------------------------------------------------------------
    def _children_of(self, parent_id: Any) -> Iterable[Mapping[str, Any]]:
        key = self.parents_spec.child_key
        via = self.parents_spec.via
        if via:
            for middle in self._list(via.format(parent_id=parent_id), "comments", gated_ok=True, shared=True):
                path = self.spec.path.format(parent_id=parent_id, child_id=middle["id"])
                for record in self._list(path, self.spec.list_key, gated_ok=True):
                    yield {
                        **record,
                        key: record.get(key, parent_id),
                        "comment_id": record.get("comment_id", middle["id"]),
                    }
            return
        path = self.spec.path.format(parent_id=parent_id)
        for record in self._list(
            path, self.spec.list_key, gated_ok=True, shared=True, query=self.spec.params, extract=self.spec.extract
        ):
            yield {**record, key: record.get(key, parent_id)}

    def _list(
        self,
        path: str,
        list_key: str,
        gated_ok: bool = False,
        shared: bool = False,
        query: Mapping[str, Any] = {},
        extract: Any = None,
    ) -> Iterator[Mapping[str, Any]]:
        """Every item of a list, or the records `extract` makes of each page (sideloads, nested lists)."""
        for page in self._list_pages(path, list_key, gated_ok, shared, query=query, extract=extract):
            yield from page

    def _list_pages(
        self,
        path: str,
        list_key: str,
        gated_ok: bool = False,
        shared: bool = False,
        sort_query: Mapping[str, Any] = {},
        group: Optional[Hashable] = None,
        query: Mapping[str, Any] = {},
        extract: Any = None,
    ) -> Iterator[List[Mapping[str, Any]]]:
        """The items of a list, page by page (or the records `extract` makes of each). A `shared` list's pages (or
        those of `group`) are fetched once for every stream that walks it (see sync/page_share.py)."""
        group = self.shared_list_group() if shared else group
        fetcher, share = self.fetcher, self.context.page_share

        def fetch(url: str, params: Optional[Mapping[str, Any]]):
            if group is None:
                return fetcher.get(url, params)
            asked = dict(params or {})
            return parse_answer(share.fetch(group, url, asked, lambda: fetcher.get_raw(url, asked)))

        def first_params(after: Optional[str]) -> Dict[str, Any]:
            return {**self._first_list_params(after, sort_query), **query}

        try:
            for page in CursorPagesWalker(
                self.fetcher, fetch, path, first_params, what=f"listing {path} failed"
            ).pages():
                if gated_ok:
                    self._children_answered = True
                items = list_in(self, page.body, list_key, f"listing {path}")
                yield list(extract(page.body, items)) if extract is not None else items
        except FeatureUnavailable as gate:
            # 404: this parent is gone or archived. 403 before any sibling answered: the add-on or the role
            # is missing, so the whole stream is unavailable.
            if gated_ok and (gate.status == 404 or self._children_answered):
                return
            raise
