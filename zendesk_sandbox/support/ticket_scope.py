"""`support_type_scope`: which tickets the ticket endpoints serve (/tickets, /deleted_tickets and the ticket and
ticket-event exports). Without it they serve the tickets human agents handle only, as Zendesk does: an AI-agent
ticket is served only to a request that asks for `ai_agent` or `all`."""

from __future__ import annotations

from typing import Callable, Iterable, Optional

from ..foundation import errors
from ..paging.endpoint import Ctx

PARAM = "support_type_scope"
DEFAULT_SCOPE = "agent"
# scope -> whether it serves AI-agent tickets (True), human-agent ones (False), or both (None)
SCOPES = {"agent": False, "ai_agent": True, "all": None}


def scope_of(ctx: Ctx) -> str:
    value = ctx.query.get(PARAM, DEFAULT_SCOPE)
    if value not in SCOPES:
        raise errors.invalid_value(f"{PARAM} must be one of {', '.join(SCOPES)}; got {value!r}")
    return value


def ticket_filter(ctx: Ctx) -> Optional[Callable[[int], bool]]:
    """Whether a ticket id is served to this request; None when every ticket is."""
    wants_ai = SCOPES[scope_of(ctx)]
    if wants_ai is None:
        return None
    tickets = ctx.account.tickets
    return lambda ticket_id: tickets.is_ai_agent(ticket_id) == wants_ai


def rows_in_scope(ctx: Ctx, rows: Iterable[tuple]) -> Iterable[tuple]:
    """The rows (ts, ticket id, ...) of the tickets this request may see."""
    keep = ticket_filter(ctx)
    return rows if keep is None else (row for row in rows if keep(row[1]))


def ids_in_scope(ctx: Ctx, ticket_ids: list) -> list:
    keep = ticket_filter(ctx)
    return ticket_ids if keep is None else [ticket_id for ticket_id in ticket_ids if keep(ticket_id)]
