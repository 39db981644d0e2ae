"""Named Zendesk search queries, each its own stream, read through the search export (no 1000-result cap).

Config: "search_queries": [{"name": "vip_open", "query": "status:open tags:vip", "type": "ticket"}] gives the
stream `search_vip_open`. Incremental syncs add `updated>=<last sync>` to the query: Zendesk's search export
filters on that bound to the second.
"""
from __future__ import annotations

import re
from typing import Any, Dict, List, Mapping, Optional

from ..config import config_error
from ..http.answer import ApiAnswer
from ..records.timeutil import to_iso
from .lists import CursorPagesStream
from .spec import StreamSpec

SEARCH_TYPES = {"ticket": "tickets", "user": "users", "organization": "organizations", "group": "groups"}
NAME_PATTERN = re.compile(r"^[a-z0-9_]{1,60}$")
SEARCH_PATH = "search/export"


def search_specs(config: Mapping[str, Any]) -> List[StreamSpec]:
    queries = config.get("search_queries") or []
    if not isinstance(queries, list):
        raise config_error("'search_queries' must be a list of {name, query, type} objects.")
    specs, names = [], set()
    for position, entry in enumerate(queries):
        if not isinstance(entry, Mapping):
            raise config_error(f"'search_queries[{position}]' must be an object with name, query and type.")
        name, query, kind = entry.get("name"), entry.get("query"), entry.get("type") or "ticket"
        label = f"search query '{name}'" if name else f"search_queries[{position}]"
        if not isinstance(name, str) or not NAME_PATTERN.match(name):
            raise config_error(f"{label}: 'name' must be lower-case letters, digits and underscores (it names the stream search_<name>).")
        if name in names:
            raise config_error(f"{label}: two search queries share the name '{name}'.")
        if not isinstance(query, str) or not query.strip():
            raise config_error(f"{label}: 'query' is empty.")
        if re.search(r"(^|\s)type:", query):
            raise config_error(f"{label}: remove 'type:' from the query ({query!r}) and set 'type' instead; Zendesk's search export needs it apart.")
        if kind not in SEARCH_TYPES:
            raise config_error(f"{label}: 'type' must be one of {', '.join(SEARCH_TYPES)}; got {kind!r}.")
        names.add(name)
        specs.append(
            StreamSpec(
                name=f"search_{name}",
                path=SEARCH_PATH,
                family=SearchExportStream,
                list_key="results",
                cursor_field="updated_at",
                params={"query": query.strip(), "filter[type]": kind},
                schema=SEARCH_TYPES[kind],
                suggested=False,
            )
        )
    return specs


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
        query = params["query"]
        if self.incremental and not has_own_updated_bound(query):
            params["query"] = f"{query} updated>={to_iso(start)}"
        return params

    def fail(self, answer: ApiAnswer, what: str):
        if answer.status in (400, 422):
            detail = answer.body.get("description") if isinstance(answer.body, Mapping) else answer.body
            return config_error(
                f"Zendesk refused the search query of stream {self.name} ({self.spec.params['query']!r}): {detail}. Fix the query in 'search_queries'."
            )
        return super().fail(answer, what)
