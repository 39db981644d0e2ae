"""Zendesk's `support_type_scope`: the ticket endpoints that take it, and what one scope leaves out of another.

Those endpoints serve only tickets human agents handle unless the request names a scope, so every request to
them names one (the one the config chose, or the scope a backfill reads).
"""

from __future__ import annotations

from typing import Any, Dict, Mapping, Optional
from urllib.parse import parse_qs, urlsplit

PARAM = "support_type_scope"
# The paths under /api/v2/ that take the parameter (Zendesk's description: TicketSupportTypeScope).
SCOPED_PATHS = frozenset(
    {"incremental/tickets/cursor", "incremental/tickets", "incremental/ticket_events", "deleted_tickets", "tickets"}
)
# Each scope as the kinds of ticket it serves.
KINDS = {"agent": frozenset({"agent"}), "ai_agent": frozenset({"ai_agent"}), "all": frozenset({"agent", "ai_agent"})}
# The scope a request without the parameter gets, and so the scope a state saved before this option covers.
ZENDESK_DEFAULT = "agent"


def takes_scope(path_or_url: str) -> bool:
    path = urlsplit(path_or_url).path
    path = path[: -len(".json")] if path.endswith(".json") else path
    marker = "/api/v2/"
    if marker in path:
        path = path.split(marker, 1)[1]
    return path.strip("/") in SCOPED_PATHS


def with_scope(url: str, params: Optional[Mapping[str, Any]], scope: str) -> Dict[str, Any]:
    """The request's parameters, with the scope where the endpoint takes it and the request (or the link it
    follows) does not already name one."""
    asked = dict(params or {})
    if takes_scope(url) and PARAM not in asked and PARAM not in parse_qs(urlsplit(url).query):
        asked[PARAM] = scope
    return asked


def missed_scope(covered: str, wanted: str) -> Optional[str]:
    """The scope of the tickets `wanted` reads and a state covering `covered` never saw, or None."""
    missing = KINDS[wanted] - KINDS[covered]
    if not missing:
        return None
    return next(scope for scope, kinds in KINDS.items() if kinds == missing)
