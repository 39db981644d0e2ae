"""Named Zendesk search queries, each its own stream, read through the search export (no 1000-result cap).

Config: "search_queries": [{"name": "vip_open", "query": "status:open tags:vip", "type": "ticket"}] gives the
stream `search_vip_open`. Incremental syncs add `updated>=<last sync>` to the query: Zendesk's search export
filters on that bound to the second.
"""
from __future__ import annotations

import re
from typing import TYPE_CHECKING, Iterable, List

from .registry import CURSOR_PAGES, StreamSpec

if TYPE_CHECKING:
    from .config import SearchQuery

SEARCH_TYPES = {"ticket": "tickets", "user": "users", "organization": "organizations", "group": "groups"}
SEARCH_PATH = "search/export"


def search_specs(queries: Iterable["SearchQuery"]) -> List[StreamSpec]:
    """One stream per named query of the config (validated there)."""
    return [
        StreamSpec(
            name=f"search_{query.name}",
            path=SEARCH_PATH,
            family=CURSOR_PAGES,
            list_key="results",
            cursor_field="updated_at",
            params={"query": query.query, "filter[type]": query.type},
            schema=SEARCH_TYPES[query.type],
            suggested=False,
        )
        for query in queries
    ]


def has_own_updated_bound(query: str) -> bool:
    return re.search(r"(^|\s)updated[<>:]", query) is not None
