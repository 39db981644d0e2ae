"""Zendesk's lists: cursor pages (page[size]/page[after], meta.has_more, links.next), offset pages (page/per_page,
next_page) and lists served whole in one response."""

from __future__ import annotations

from typing import Any, Callable, Dict, Iterable, Iterator, Mapping, Optional

from ..http.answer import ApiAnswer
from ..foundation.clock import to_epoch
from .guards import ProgressGuard, link_in, object_body
from .page import Page, Walker

LIST_PAGE_SIZE = 100

Fetch = Callable[[str, Optional[Mapping[str, Any]]], ApiAnswer]


def _listing_body(walker: Walker, answer: ApiAnswer, what: str) -> Any:
    if not answer.ok:
        raise walker.fail(answer, what)
    if isinstance(answer.body, list):  # Chat lists are bare arrays
        return answer.body
    return object_body(walker, answer, what)


class CursorPagesWalker:
    """Follows links.next (or page[after] with the page's after_cursor) while meta.has_more says there is more;
    a list that answers with offset pages instead (some Help Center lists) is followed by its next_page, and one
    that answers with the older cursor scheme by its before_url.
    Position: {"page_after": <the last page's after_cursor>}.

    `first_params(page_after)` builds the query of the first page (and of page[after] pages); a saved
    `resume_cursor` that Zendesk refuses (HTTP 400: expired) restarts the list from its beginning."""

    def __init__(
        self,
        walker: Walker,
        fetch: Fetch,
        path: str,
        first_params: Callable[[Optional[str]], Dict[str, Any]],
        resume_cursor: Optional[str] = None,
        what: str = "listing failed",
    ):
        self.walker, self.fetch, self.path = walker, fetch, path
        self.first_params, self.resume_cursor, self.what = first_params, resume_cursor, what

    def pages(self) -> Iterator[Page]:
        url: str = self.path
        params: Optional[Dict[str, Any]] = self.first_params(self.resume_cursor)
        guard = ProgressGuard(self.walker, "next page")
        resuming, restarted = bool(self.resume_cursor), False
        while True:
            answer = self.fetch(url, params)
            if answer.status == 400 and resuming:
                self.walker.logger.warning(
                    f"Stream {self.walker.name}: the saved page cursor expired; "
                    "reading the list again and filtering by time."
                )
                resuming, restarted = False, True
                url, params = self.path, self.first_params(None)
                continue
            resuming = False
            body = _listing_body(self.walker, answer, self.what)
            if isinstance(body, list):
                yield Page(body)
                return
            meta = body.get("meta") or {}
            after = meta.get("after_cursor") if isinstance(meta, Mapping) else None
            next_url = (
                link_in(self.walker, (body.get("links") or {}).get("next"), "links.next")
                if isinstance(body.get("links") or {}, Mapping)
                else None
            )
            has_more = isinstance(meta, Mapping) and bool(meta.get("has_more"))
            offset_next = None if has_more else link_in(self.walker, body.get("next_page"), "next_page")
            # Zendesk's older cursor lists (trigger revisions) run newest first: before_url, null at the end.
            older = (
                None if has_more or offset_next or meta else link_in(self.walker, body.get("before_url"), "before_url")
            )
            more = bool(has_more and (next_url or after)) or bool(offset_next) or bool(older)
            yield Page(body, position={"page_after": after} if after else {}, restarted=restarted, more=more)
            body = None
            if has_more and next_url:
                guard.see(next_url)
                url, params = next_url, None
            elif has_more and after:
                guard.see(after)
                url, params = self.path, {**self.first_params(None), "page[after]": after}
            elif offset_next:
                guard.see(offset_next)
                url, params = offset_next, None
            elif older:
                guard.see(older)
                url, params = older, None
            else:
                return


class NewestFirst:
    """A list read newest first by a time (`sort_order=desc`): once a page holds a record older than `start`, the
    rest of the list is older still, so a re-sync stops after that page. Zendesk's sort is checked, not trusted: a
    record newer than the one before it means the list is not in that order, and then the rest is read whole. A
    single record shows no order, so the stop needs two records seen (one-record pages read one page more)."""

    def __init__(self, walker: Walker, field: str, start: int):
        self.walker, self.field, self.start = walker, field, start
        self._previous: Optional[int] = None
        self._in_order = True
        self._order_seen = False

    def done_after(self, records: Iterable[Mapping[str, Any]]) -> bool:
        """True when the list needs no page after the one holding `records`."""
        reached_older = False
        for record in records:
            value = to_epoch(record.get(self.field)) if isinstance(record, Mapping) else None
            if value is None:
                continue
            self._order_seen = self._order_seen or self._previous is not None
            if self._previous is not None and value > self._previous and self._in_order:
                self._in_order = False
                self.walker.logger.warning(
                    f"Stream {self.walker.name}: Zendesk did not send the list newest first by {self.field}; "
                    f"reading all of it instead of stopping at the first record already read."
                )
            self._previous = value
            reached_older = reached_older or value < self.start
        return self._in_order and self._order_seen and reached_older


class OffsetPagesWalker:
    """page/per_page, following next_page until Zendesk sends none."""

    def __init__(
        self, walker: Walker, fetch: Fetch, path: str, params: Mapping[str, Any], what: str = "listing failed"
    ):
        self.walker, self.fetch, self.path, self.params, self.what = walker, fetch, path, params, what

    def pages(self) -> Iterator[Page]:
        url: Optional[str] = self.path
        params: Optional[Mapping[str, Any]] = {"per_page": LIST_PAGE_SIZE, **self.params}
        guard = ProgressGuard(self.walker, "next page")
        while url:
            body = _listing_body(self.walker, self.fetch(url, params), self.what)
            if isinstance(body, list):
                yield Page(body)
                return
            next_url = link_in(self.walker, body.get("next_page"), "next_page")
            yield Page(body)
            body = None
            if next_url:
                guard.see(next_url)
            url, params = next_url, None


class UnpagedWalker:
    """The whole list, or a single object, in one response."""

    def __init__(
        self, walker: Walker, fetch: Fetch, path: str, params: Mapping[str, Any], what: str = "listing failed"
    ):
        self.walker, self.fetch, self.path, self.params, self.what = walker, fetch, path, params, what

    def pages(self) -> Iterator[Page]:
        yield Page(_listing_body(self.walker, self.fetch(self.path, self.params), self.what))
