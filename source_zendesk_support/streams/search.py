"""Named Zendesk search queries, each its own stream, read through the search export (no 1000-result cap).

Config: "search_queries": [{"name": "vip_open", "query": "status:open tags:vip", "type": "ticket"}] gives the
stream `search_vip_open`. Incremental syncs add `updated>=<last sync>` to the query: Zendesk's search export
filters on that bound to the second.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any, Dict, Iterable, List, Mapping, Optional

from ..config.model import SEARCH_TYPES, config_error
from airbyte_cdk.utils.traced_exception import AirbyteTracedException

from ..http.answer import ApiAnswer
from ..http.fetch import stream_failure
from ..foundation.clock import to_iso
from .lists import CursorPagesStream
from .spec import StreamSpec

if TYPE_CHECKING:
    from ..config.model import SearchQuery

SEARCH_PATH = "search/export"


def search_specs(queries: Iterable["SearchQuery"]) -> List[StreamSpec]:
    """One stream per named query of the config (validated there)."""
    return [
        StreamSpec(
            name=f"search_{query.name}",
            path=SEARCH_PATH,
            family=SearchExportStream,
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


class SearchExportStream(CursorPagesStream):
    """A named search query through /search/export: up to 1000 results a page, no cap on the total.

    Results come newest-created first, so the state is saved at the end; incremental syncs bound the query by
    `updated>=` server-side (exact to the second) and the client filter drops anything older.
    """

    page_size = 1000

    def first_params(self, start: int, page_after: Optional[str]) -> Dict[str, Any]:
        params: Dict[str, Any] = {**self.spec.params, "page[size]": self.page_size}
        query = params.get("query", "")
        # Zendesk needs a query: one without terms (tickets_search) is bounded by the start in both sync modes.
        if (self.incremental or not query.strip()) and not has_own_updated_bound(query):
            params["query"] = f"{query} updated>={to_iso(start)}".strip()
        return params

    def explain_failure(self, name: str, answer: ApiAnswer, what: str) -> AirbyteTracedException:
        if answer.status in (400, 422):
            detail = answer.body.get("description") if isinstance(answer.body, Mapping) else answer.body
            return config_error(
                f"Zendesk refused the search query of stream {name} ({self.spec.params['query']!r}): {detail}. "
                "Fix the query in 'search_queries'."
            )
        return stream_failure(name, answer, what)
