"""Chat endpoints (API notes §3.7, §7.5): rows for the endpoint table. Chat needs its own OAuth token
(chat_auth.py); Support credentials get 401 here."""

from __future__ import annotations

from ..foundation import errors
from ..paging.endpoint import Ctx, Endpoint
from ..paging.support import page_url, parse_int
from ..paging.products import AFTER_EVERYTHING, chat_export, export_limit, since_id_page
from ..add_ons import gates
from ..add_ons.gates import chat, chat_gate

CHAT = "/api/v2/chat"


def chat_index_of(chat_id: str) -> int:
    """The chat index inside an id "YYMM.<index>.<token>"."""
    try:
        return int(chat_id.split(".")[1])
    except (IndexError, ValueError):
        raise errors.invalid_value("start_id is invalid") from None


incremental_chats = chat_export(
    "chats",
    lambda ctx, after: chat(ctx.account).chats.iter_after(after),
    lambda ctx, index: chat(ctx.account).chat(index),
    chat_index_of,
)


def incremental_agent_timeline(ctx: Ctx) -> dict:
    """start_time and end_time in microseconds; entries at or after start_time; end_time = last + 1."""
    chat_data = chat(ctx.account)
    start_micros = max(0, parse_int(ctx.query.get("start_time"), "start_time", 0))
    limit, cutoff = export_limit(ctx.query), ctx.account.export_cutoff()
    page: list[int] = []
    for second, index in chat_data.timeline.iter_after((start_micros // 1_000_000 - 1, AFTER_EVERYTHING)):
        if second >= cutoff or len(page) >= limit:
            break
        if chat_data.timeline_micros(index) >= start_micros:
            page.append(index)
    end_time = chat_data.timeline_micros(page[-1]) + 1 if page else start_micros
    keep = {name: value for name, value in ctx.query.items() if name != "start_time"}
    return {
        "agent_timeline": [chat_data.timeline_entry(index) for index in page],
        "count": len(page),
        "end_time": end_time,
        "next_page": page_url(ctx.base, ctx.path, {**keep, "start_time": end_time}),
    }


def agents(ctx: Ctx) -> list:
    return since_id_page(chat(ctx.account).agents(), ctx.query)


def bans(ctx: Ctx) -> dict:
    chat_data = chat(ctx.account)
    page = since_id_page(sorted(chat_data.bans_visitor + chat_data.bans_ip, key=lambda ban: ban["id"]), ctx.query)
    return {
        "visitor": [ban for ban in page if ban["type"] == "visitor"],
        "ip_address": [ban for ban in page if ban["type"] == "ip_address"],
    }


def chat_row(path: str, resource: str, handle, count=None) -> Endpoint:
    return Endpoint(f"{CHAT}/{path}", resource, handle, count=count, gate=chat_gate)


CHAT_ENDPOINTS: list[Endpoint] = [
    chat_row("incremental/chats", "chats", incremental_chats, count=gates.chats_exported),
    chat_row(
        "incremental/agent_timeline",
        "agent_timeline",
        incremental_agent_timeline,
        count=gates.agent_timeline_exported,
    ),
    chat_row("agents", "chat_agents", agents, count=gates.chat_agents),
    chat_row("bans", "chat_bans", bans, count=gates.chat_bans),
    chat_row(
        "departments",
        "chat_departments",
        lambda ctx: chat(ctx.account).departments,
        count=gates.chat_list("departments"),
    ),
    chat_row("goals", "chat_goals", lambda ctx: chat(ctx.account).goals, count=gates.chat_list("goals")),
    chat_row("roles", "chat_roles", lambda ctx: chat(ctx.account).roles, count=gates.chat_list("roles")),
    chat_row(
        "shortcuts", "chat_shortcuts", lambda ctx: chat(ctx.account).shortcuts, count=gates.chat_list("shortcuts")
    ),
    chat_row("skills", "chat_skills", lambda ctx: chat(ctx.account).skills, count=gates.chat_list("skills")),
    chat_row("triggers", "chat_triggers", lambda ctx: chat(ctx.account).triggers, count=gates.chat_list("triggers")),
    chat_row("account", "chat_accounts", lambda ctx: chat(ctx.account).account(), count=gates.one),
    chat_row(
        "routing_settings/account",
        "chat_routing_settings",
        lambda ctx: {"data": chat(ctx.account).routing_settings()},
        count=gates.one,
    ),
]
