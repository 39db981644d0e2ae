"""The agent availability API's handlers (JSON:API documents, cursor pages only): every agent's availability, with
its channels and work items as a compound document, and the account's unified statuses, defaults and custom ones
in one answer."""

from __future__ import annotations

from ..data.agent_availability import agent_availability
from ..paging.endpoint import Ctx
from ..paging.support import Sorted, cursor_pages

# Filters the list endpoint takes (Zendesk's names): a unified status id, or "<channel>:<status>".
STATUS_FILTER, CHANNEL_FILTER = "filter[agent_status_id]", "filter[channel_status]"


def agent_availabilities(ctx: Ctx) -> dict:
    """Cursor pages of agents by id (page[size] up to 100), each page's channels and work items in `included`;
    `meta` carries only has_more, the cursors travel in `links` (the API does not serve offset pages)."""
    data = agent_availability(ctx.account)
    resources = {agent_id: data.resources(agent_id) for agent_id in data.agent_ids()}
    wanted = [agent_id for agent_id, (resource, included) in resources.items() if _kept(ctx, resource, included)]
    items = Sorted(keys=[(agent_id,) for agent_id in wanted], build=lambda p: resources[wanted[p]][0], order="id")
    body = cursor_pages(items, "data", ctx.query, ctx.base, ctx.path)
    body["meta"] = {"has_more": body["meta"]["has_more"]}
    if not body["meta"]["has_more"]:
        body["links"]["next"] = None
    body["included"] = [part for resource in body["data"] for part in resources[resource["attributes"]["agent_id"]][1]]
    return body


def _kept(ctx: Ctx, resource: dict, included: list[dict]) -> bool:
    status = ctx.query.get(STATUS_FILTER)
    if status and str(resource["attributes"]["agent_status"]["id"]) != status:
        return False
    channel_status = ctx.query.get(CHANNEL_FILTER)
    if channel_status:
        channel, _, state = channel_status.partition(":")
        return any(
            part["type"] == "channels"
            and part["attributes"]["name"] == channel
            and part["attributes"]["status"] == state
            for part in included
        )
    return True


def unified_agent_statuses(ctx: Ctx) -> dict:
    """The default and custom statuses: a few of each, so the first page holds them all."""
    statuses = agent_availability(ctx.account).statuses
    return {
        "default": statuses["default"],
        "custom": statuses["custom"],
        "links": {"next": None, "prev": None},
        "meta": {"has_more": False},
    }


def availabilities_count(account) -> int:
    return len(agent_availability(account).agent_ids())


def statuses_count(account) -> int:
    return agent_availability(account).status_count()
