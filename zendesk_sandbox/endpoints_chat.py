"""Chat endpoints (API notes §3.7, §7.5): rows for the endpoint table. Chat needs its own OAuth token
(chat_auth.py); Support credentials get 401 here."""
from __future__ import annotations

from . import errors
from .endpoint import Ctx, Endpoint
from .pagination import page_url, parse_int
from .product_pagination import EXPORT_MAX, since_id_page
from .products import chat, chat_gate

BIG = 1 << 62
CHAT = "/api/v2/chat"


def _limit(ctx: Ctx) -> int:
    return min(EXPORT_MAX, max(1, parse_int(ctx.query.get("limit"), "limit", EXPORT_MAX)))


def _start_time(ctx: Ctx) -> int:
    return max(0, parse_int(ctx.query.get("start_time"), "start_time", 0))


def chat_index_of(chat_id: str) -> int:
    """The chat index inside an id "YYMM.<index>.<token>"."""
    try:
        return int(chat_id.split(".")[1])
    except (IndexError, ValueError):
        raise errors.invalid_value("start_id is invalid") from None


def incremental_chats(ctx: Ctx) -> dict:
    """Chats changed at or after start_time, strictly after (start_time, start_id) when start_id is given, in
    (update_timestamp, id) order. end_time/end_id name the last chat; next_page is always given."""
    c = chat(ctx.account)
    start, start_id = _start_time(ctx), ctx.query.get("start_id") or None
    after = (start, chat_index_of(start_id)) if start_id else (start - 1, BIG)
    limit, cutoff = _limit(ctx), ctx.account.export_cutoff()
    page = []
    for ts, k in c.chats.iter_after(after):
        if ts >= cutoff or len(page) >= limit:
            break
        page.append((ts, k))
    records = [c.chat(k) for _, k in page]
    end_time, end_id = (page[-1][0], records[-1]["id"]) if page else (start, start_id)
    keep = {k: v for k, v in ctx.query.items() if k not in ("start_time", "start_id")}
    params = {**keep, "start_time": end_time, **({"start_id": end_id} if end_id else {})}
    return {"chats": records, "count": len(records), "end_time": end_time, "end_id": end_id,
            "next_page": page_url(ctx.base, ctx.path, params)}


def incremental_agent_timeline(ctx: Ctx) -> dict:
    """start_time and end_time in microseconds; entries at or after start_time; end_time = last + 1."""
    c = chat(ctx.account)
    start_us = _start_time(ctx)
    limit, cutoff = _limit(ctx), ctx.account.export_cutoff()
    page = []
    for ts, k in c.timeline.iter_after((start_us // 1_000_000 - 1, BIG)):
        if ts >= cutoff or len(page) >= limit:
            break
        if c.timeline_micros(k) >= start_us:
            page.append(k)
    end_time = c.timeline_micros(page[-1]) + 1 if page else start_us
    keep = {k: v for k, v in ctx.query.items() if k != "start_time"}
    return {"agent_timeline": [c.timeline_entry(k) for k in page], "count": len(page), "end_time": end_time,
            "next_page": page_url(ctx.base, ctx.path, {**keep, "start_time": end_time})}


def agents(ctx: Ctx) -> list:
    return since_id_page(chat(ctx.account).agents(), ctx.query)


def bans(ctx: Ctx) -> dict:
    c = chat(ctx.account)
    page = since_id_page(sorted(c.bans_visitor + c.bans_ip, key=lambda b: b["id"]), ctx.query)
    return {"visitor": [b for b in page if b["type"] == "visitor"],
            "ip_address": [b for b in page if b["type"] == "ip_address"]}


def ch(path: str, resource: str, handle) -> Endpoint:
    return Endpoint(f"{CHAT}/{path}", resource, handle, gate=chat_gate)


CHAT_ENDPOINTS: list[Endpoint] = [
    ch("incremental/chats", "chats", incremental_chats),
    ch("incremental/agent_timeline", "agent_timeline", incremental_agent_timeline),
    ch("agents", "chat_agents", agents),
    ch("bans", "chat_bans", bans),
    ch("departments", "chat_departments", lambda ctx: chat(ctx.account).departments),
    ch("goals", "chat_goals", lambda ctx: chat(ctx.account).goals),
    ch("roles", "chat_roles", lambda ctx: chat(ctx.account).roles),
    ch("shortcuts", "chat_shortcuts", lambda ctx: chat(ctx.account).shortcuts),
    ch("skills", "chat_skills", lambda ctx: chat(ctx.account).skills),
    ch("triggers", "chat_triggers", lambda ctx: chat(ctx.account).triggers),
    ch("account", "chat_accounts", lambda ctx: chat(ctx.account).account()),
    ch("routing_settings/account", "chat_routing_settings", lambda ctx: {"data": chat(ctx.account).routing_settings()}),
]
