"""The shape of a registry row (registry/table.py): one stream, the class that reads it, and its options in small
typed parts. Rows are built in registry/table.py, and from the config for named search queries."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Callable, Dict, List, Mapping, Optional, Type, Union

from ..records.extractors import Extractor

if TYPE_CHECKING:
    from .base import ZendeskStream

# Query parameters that make Zendesk filter a list by time server-side, from (start, end) in epoch seconds.
StartFilter = Callable[[int, Optional[int]], Dict[str, Any]]


@dataclass(frozen=True)
class ListOrder:
    """Cursor pages: what Zendesk guarantees about a list's order, and how it filters it by time."""

    # The order of records by cursor_field ("asc" or "desc"), when Zendesk guarantees one.
    order: Optional[str] = None
    start_filter: Optional[StartFilter] = None
    # An append-only list: the next sync resumes from the last page's cursor.
    resume_from_page_cursor: bool = False


@dataclass(frozen=True)
class Parents:
    """Per-parent lists: which walker pages the parents, where they come from, their list key, the key each child
    gets, and an intermediate list (comments) for votes on comments. Children are always listed by cursor pages."""

    path: str
    list_key: str
    child_key: str
    paged_by: type
    via: Optional[str] = None
    cursor_field: str = "updated_at"
    # A plain parent list: the query that sorts it newest first by cursor_field, so a re-sync stops at the first
    # parent it already visited (paging/lists.py: NewestFirst). Empty: the list is read whole.
    newest_first: Mapping[str, Any] = field(default_factory=dict)
    # Only the parents this says yes to have children worth asking for (the conversation log: messaging
    # tickets); the others cost no request.
    only: Optional[Callable[[Mapping[str, Any]], bool]] = None

    def visits(self, parent: Mapping[str, Any]) -> bool:
        return self.only is None or self.only(parent)


@dataclass(frozen=True)
class CountEstimate:
    """Where Zendesk counts what a stream reads, so a first read can tell the platform how many rows to expect.

    `path` is a count endpoint (`{"count": {"value": N}}`). Without `per`, each counted object is one record. With
    `per`, records come several to a counted object (events of a ticket): the first page's records per distinct
    value of `per` among its listed items scale the count. `params` narrow the request (an offset-paged list's
    first page of one item carries the list's `count`)."""

    path: str
    per: Optional[str] = None
    params: Mapping[str, Any] = field(default_factory=dict)
    # Asked only once the first page says more pages follow: a list that fits one page needs no estimate.
    when_more: bool = False


@dataclass(frozen=True)
class TimeProjection:
    """For a time export Zendesk counts nowhere (Talk, Chat): the rows read so far, scaled by how much of the time
    from the read's start to now its pages have covered. Sent after the first page and again when it moves."""


@dataclass(frozen=True)
class ListedParents:
    """For a per-parent stream whose parents come whole from a plain list before any child is read: the parents
    listed times the children per parent over the first ones visited. Costs no request."""


@dataclass(frozen=True)
class NotCounted:
    """A list Zendesk counts nowhere (no count endpoint, no offset pages carrying a `count`): no estimate."""


@dataclass(frozen=True)
class StreamSpec:
    name: str
    path: str
    family: Type[ZendeskStream]
    list_key: str
    primary_key: Union[str, List[str], None] = "id"
    cursor_field: Optional[str] = None
    params: Mapping[str, Any] = field(default_factory=dict)
    # Builds the stream's records from a page when they are not simply the page's list (sideloads, nested events).
    extract: Optional[Extractor] = None
    # Field of the exported list items whose value drives the state (when records are derived from them).
    export_cursor: Optional[str] = None
    pages: ListOrder = ListOrder()
    parents: Optional[Parents] = None
    product: str = "support"
    # What the account needs for Zendesk to serve this data, beyond the product (named when the stream is skipped).
    needs: Optional[str] = None
    schema: Optional[str] = None
    deletion_field: Optional[str] = None
    suggested: bool = True
    estimate: Union[CountEstimate, TimeProjection, ListedParents, NotCounted, None] = None

    @property
    def state_cursor(self) -> Optional[str]:
        return self.export_cursor or self.cursor_field
