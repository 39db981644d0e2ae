"""Named Zendesk search queries, each its own stream, read through the search export (no 1000-result cap).

Config: "search_queries": [{"name": "vip_open", "query": "status:open tags:vip", "type": "ticket"}] gives the
stream `search_vip_open`. Incremental syncs add `updated>=<last sync>` to the query: Zendesk's search export
filters on that bound to the second.
"""
from __future__ import annotations

import re
from typing import Any, List, Mapping

from ..config import config_error
from ..registry import CURSOR_PAGES, StreamSpec

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
                family=CURSOR_PAGES,
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
