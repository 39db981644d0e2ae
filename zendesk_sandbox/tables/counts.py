"""Zendesk's count endpoints: `{"count": {"value": N, "refreshed_at": "<ISO time>"}}`, what a list holds.

Zendesk refreshes a count above 100,000 about once a day; the sandbox counts its generated account exactly, so a
client's estimate can be checked against the records it then reads.
"""

from __future__ import annotations

from typing import Callable

from ..data.timeline import iso
from ..paging.endpoint import Ctx, Endpoint, feature
from ..paging.support import Sorted
from ..support.people import organization_items, user_items
from ..support.tickets import activity_items, live_ticket_count, satisfaction_items


def count_answer(number: Callable[[Ctx], int]) -> Callable[[Ctx], dict]:
    def handle(ctx: Ctx) -> dict:
        return {"count": {"value": number(ctx), "refreshed_at": iso(ctx.account.now()).replace("Z", "+00:00")}}

    return handle


def count_of(items: Callable[[Ctx], Sorted]) -> Callable[[Ctx], dict]:
    """The count of what a list handler lists."""
    return count_answer(lambda ctx: len(items(ctx).keys))


COUNT_ENDPOINTS: list[Endpoint] = [
    Endpoint("/api/v2/tickets/count", "tickets", count_answer(live_ticket_count)),
    Endpoint("/api/v2/users/count", "users", count_of(user_items)),
    Endpoint("/api/v2/organizations/count", "organizations", count_of(organization_items)),
    Endpoint("/api/v2/activities/count", "ticket_activities", count_of(activity_items)),
    Endpoint(
        "/api/v2/satisfaction_ratings/count",
        "satisfaction_ratings",
        count_of(satisfaction_items),
        admin_only=True,
        gate=feature("csat"),
    ),
]
