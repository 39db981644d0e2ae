"""Support handlers for tickets and what hangs off them: comments, audits, metrics, side conversations,
deleted tickets, satisfaction ratings, skips, activities and requests."""

from __future__ import annotations

import bisect
import calendar
import time

from ..foundation import errors
from ..paging.cache import cached
from ..data import ids
from ..data.timeline import iso
from ..paging.endpoint import Ctx, includes
from ..paging.support import (
    Sorted,
    cursor_pages,
    decode_keyset_cursor,
    encode_keyset_cursor,
    page_url,
    parse_int,
    wants_cursor,
)
from .exports import ticket_sideloads
from .ticket_scope import ids_in_scope, scope_of


def ticket_index(ctx: Ctx, name: str = "ticket_id") -> int:
    try:
        ticket_id = int(ctx.params[name])
    except ValueError:
        raise errors.record_not_found() from None
    tickets = ctx.account.tickets
    if not tickets.exists(ticket_id) or tickets.is_deleted(ticket_id):
        raise errors.record_not_found()
    return ticket_id


# sort name -> (cursor order, descending, the time the keys hold: "updated", "created" or None for the id)
TICKET_SORTS = {
    "id": ("nice_id", False, None),
    "updated_at": ("updated_at,id", False, "updated"),
    "-updated_at": ("-updated_at,-id", True, "updated"),
    "created_at": ("created_at,id", False, "created"),
    "-created_at": ("-created_at,-id", True, "created"),
    "-id": ("-nice_id", True, None),
}


def ticket_items(ctx: Ctx) -> Sorted:
    account, tickets = ctx.account, ctx.account.tickets
    sort = ctx.query.get("sort", "id")
    if "sort_by" in ctx.query:  # offset flavour: sort_by + sort_order
        sort = ("-" if ctx.query.get("sort_order") == "desc" else "") + ctx.query["sort_by"]
    if sort not in TICKET_SORTS:
        sort = "id"
    order, descending, time_field = TICKET_SORTS[sort]
    sign = -1 if descending else 1
    scope = scope_of(ctx)

    def build_keys():
        live = ids_in_scope(ctx, tickets.live_ids())
        if time_field is None:
            keys = [(sign * ticket_id,) for ticket_id in live]
        else:
            timestamp = tickets.updated_ts if time_field == "updated" else tickets.created_ts
            keys = [(sign * timestamp(ticket_id), sign * ticket_id) for ticket_id in live]
        keys.sort()
        return keys

    keys = cached(account, f"tickets:{sort}:{scope}", build_keys)
    return Sorted(keys, lambda position: tickets.ticket(abs(keys[position][-1])), order)


def ticket_show(ctx: Ctx) -> dict:
    """One ticket, with the sideloads `include=` names (as the ticket lists and exports take them)."""
    ticket = ctx.account.tickets.ticket(ticket_index(ctx))
    return {"ticket": ticket, **ticket_sideloads(ctx, [ticket])}


SHOW_MANY_MAX = 100


def tickets_show_many(ctx: Ctx) -> dict:
    """`/tickets/show_many?ids=1,2`: the tickets named that exist (deleted and unknown ids are left out), in the
    order asked, with the sideloads `include=` names."""
    raw = [part.strip() for part in ctx.query.get("ids", "").split(",") if part.strip()]
    if not raw:
        raise errors.invalid_value("ids is required")
    if len(raw) > SHOW_MANY_MAX:
        raise errors.too_many_values("ids", SHOW_MANY_MAX)
    tickets, found = ctx.account.tickets, []
    for part in raw:
        ticket_id = parse_int(part, "ids")
        if ticket_id is not None and tickets.exists(ticket_id) and not tickets.is_deleted(ticket_id):
            found.append(tickets.ticket(ticket_id))
    sideloads = ticket_sideloads(ctx, found)
    return {"tickets": found, **sideloads, "next_page": None, "previous_page": None, "count": len(found)}


def live_ticket_count(ctx: Ctx) -> int:
    tickets = ctx.account.tickets
    return len(cached(ctx.account, "tickets:id", lambda: [(ticket_id,) for ticket_id in tickets.live_ids()]))


def comment_items(ctx: Ctx) -> Sorted:
    comments = ctx.account.tickets.comments(ticket_index(ctx))
    if ctx.query.get("sort") == "-created_at" or ctx.query.get("sort_order") == "desc":
        return Sorted.of_records(
            comments,
            lambda comment: (
                -calendar.timegm(time.strptime(comment["created_at"], "%Y-%m-%dT%H:%M:%SZ")),
                -comment["id"],
            ),
            "-created_at,-id",
        )
    return Sorted([(comment["id"],) for comment in comments], comments.__getitem__, "created_at,id")


def ticket_audit_items(ctx: Ctx) -> Sorted:
    audits = ctx.account.tickets.audits(ticket_index(ctx))
    return Sorted([(audit["id"],) for audit in audits], audits.__getitem__, "created_at,id")


def all_audit_keys(account) -> list[tuple]:
    tickets = account.tickets
    keys = [
        (spec[0], ids.AUDIT + ticket_id * ids.PER_TICKET + spec[1])
        for ticket_id in tickets.live_ids()
        for spec in tickets.audits_spec(ticket_id)
    ]
    keys.sort()
    return keys


def build_audit(account, key):
    tickets = account.tickets
    ticket_id, audit_index = divmod(key[1] - ids.AUDIT, ids.PER_TICKET)
    _rng, requester, _submitter, assignee, *_ = tickets.people(ticket_id)
    return tickets.audit(ticket_id, tickets.audits_spec(ticket_id)[audit_index], requester, assignee)


def ticket_audits(ctx: Ctx) -> dict:
    """CBP with page[size]; otherwise the legacy cursor (newest first, limit, before/after cursors)."""
    account = ctx.account
    keys = cached(account, "ticket_audits", lambda: all_audit_keys(account))
    if wants_cursor(ctx.query):
        return cursor_pages(
            Sorted(keys, lambda position: build_audit(account, keys[position]), "created_at,id"),
            "audits",
            ctx.query,
            ctx.base,
            ctx.path,
        )
    limit = min(1000, max(1, parse_int(ctx.query.get("limit"), "limit", 1000)))
    end = len(keys)
    if ctx.query.get("cursor"):
        end = bisect.bisect_left(keys, decode_keyset_cursor(ctx.query["cursor"], "created_at,id", "cursor"))
    start = max(0, end - limit)
    page = [build_audit(account, keys[position]) for position in range(end - 1, start - 1, -1)]
    before = encode_keyset_cursor("created_at,id", keys[start]) if page and start > 0 else None
    after = encode_keyset_cursor("created_at,id", keys[end - 1]) if page else None
    keep = {name: value for name, value in ctx.query.items() if name != "cursor"}
    return {
        "audits": page,
        "before_cursor": before,
        "after_cursor": after,
        "before_url": page_url(ctx.base, ctx.path, {**keep, "cursor": before}) if before else None,
        "after_url": None,
    }


def ticket_metric_show(ctx: Ctx) -> dict:
    return {"ticket_metric": ctx.account.tickets.metric(ticket_index(ctx))}


def ticket_metric_items(ctx: Ctx) -> Sorted:
    account, tickets = ctx.account, ctx.account.tickets
    keys = cached(
        account,
        "ticket_metrics",
        lambda: sorted((-tickets.created_ts(ticket_id), ticket_id) for ticket_id in tickets.live_ids()),
    )
    return Sorted(keys, lambda position: tickets.metric(keys[position][1]), "-created_at,id")


def side_conversation_items(ctx: Ctx) -> Sorted:
    ticket_id = ticket_index(ctx)
    tickets = ctx.account.tickets
    has_one = ticket_id <= tickets.count and tickets.shape(ticket_id).side_conversation
    conversations = [tickets.side_conversation(ticket_id)] if has_one else []
    return Sorted(
        [(conversation["created_at"], conversation["id"]) for conversation in conversations],
        conversations.__getitem__,
        "created_at,id",
    )


def conversation_log_items(ctx: Ctx) -> Sorted:
    ticket_id = ticket_index(ctx)
    events = ctx.account.tickets.conversation_log(ticket_id)
    return Sorted([(event["created_at"], event["id"]) for event in events], events.__getitem__, "created_at,id")


def side_conversation_sideloads(ctx: Ctx, conversations: list) -> dict:
    """include=events: every event of the listed side conversations, beside the list."""
    if "events" not in includes(ctx):
        return {}
    tickets = ctx.account.tickets
    return {
        "events": [
            event
            for conversation in conversations
            for event in tickets.side_conversation_events(conversation["ticket_id"])
        ]
    }


def metric_events_grouped(ctx: Ctx) -> dict:
    ticket_id = ticket_index(ctx)
    tickets = ctx.account.tickets
    grouped: dict = {}
    for spec in tickets.metric_events_spec(ticket_id):
        grouped.setdefault(spec[3], []).append(tickets.metric_event(spec))
    return grouped


def by_time_sort(ctx: Ctx, fields: dict) -> tuple | None:
    """`sort_by=<field>&sort_order=asc|desc` of a ticket list Zendesk sorts by a time: ((name, time of a ticket
    id), descending?), or None for the list's default order (Zendesk ignores a field it does not sort by)."""
    field = fields.get(ctx.query.get("sort_by", ""))
    return (field, ctx.query.get("sort_order") == "desc") if field else None


def time_sorted_keys(ticket_ids, sort: tuple | None) -> tuple[list[tuple], str]:
    """Cursor keys of ticket ids in the order `sort` asks for; the id is always the last key element."""
    if sort is None:
        return [(ticket_id,) for ticket_id in ticket_ids], "nice_id"
    (name, time_of), desc = sort
    sign = -1 if desc else 1
    prefix = "-" if desc else ""
    keys = sorted((sign * time_of(ticket_id), sign * ticket_id) for ticket_id in ticket_ids)
    return keys, f"{prefix}{name},{prefix}id"


def deleted_ticket_items(ctx: Ctx) -> Sorted:
    """Deleted tickets until they are purged (the purge moves with the clock, so this list is not cached)."""
    account, tickets = ctx.account, ctx.account.tickets
    sort = by_time_sort(ctx, {"deleted_at": ("deleted_at", tickets.deleted_at)})
    keys, order = time_sorted_keys(ids_in_scope(ctx, tickets.recoverable_deleted_ids()), sort)

    def build(position):
        ticket_id = abs(keys[position][-1])
        ticket = tickets.ticket(ticket_id)
        change = tickets.changes.get(ticket_id)
        return {
            "id": ticket_id,
            "subject": ticket["subject"],
            "description": ticket["description"],
            "actor": {"id": account.users.admin_id(), "name": "Admin"},
            "deleted_at": iso(tickets.deleted_at(ticket_id)),
            "previous_state": "solved" if change is None else "open",
        }

    return Sorted(keys, build, order)


def satisfaction_items(ctx: Ctx) -> Sorted:
    account, tickets = ctx.account, ctx.account.tickets
    keys = cached(
        account,
        "csat",
        lambda: [
            (tickets.generated_base_ts(ticket_id), ids.SATISFACTION + ticket_id)
            for ticket_id in tickets.ids_with_shape(lambda shape: shape.csat in ("good", "bad"))
            if tickets.has_csat(ticket_id)
        ],
    )
    low = parse_int(ctx.query.get("start_time"), "start_time", None)
    high = parse_int(ctx.query.get("end_time"), "end_time", None)
    score = ctx.query.get("score")
    selected = keys
    if low or high:
        selected = [key for key in keys if (low is None or key[0] >= low) and (high is None or key[0] < high)]
    if score:
        selected = [key for key in selected if tickets.shape(key[1] - ids.SATISFACTION).csat == score]
    return Sorted(
        selected,
        lambda position: tickets.satisfaction_rating(selected[position][1] - ids.SATISFACTION),
        "created_at,id",
    )


def skip_items(ctx: Ctx) -> Sorted:
    account, tickets = ctx.account, ctx.account.tickets
    keys = cached(
        account,
        "skips",
        lambda: [
            (tickets.base_audit_times(ticket_id)[0] + 60, ids.SKIP + ticket_id)
            for ticket_id in tickets.ids_with_shape(lambda shape: shape.skipped and not shape.deleted)
        ],
    )
    low = parse_int(ctx.query.get("start_time"), "start_time", None)
    selected = [key for key in keys if key[0] >= low] if low else keys
    if ctx.query.get("sort_order") == "desc":
        selected = sorted((-key[0], -key[1]) for key in selected)
        return Sorted(selected, lambda position: tickets.skip(-selected[position][1] - ids.SKIP), "-created_at,-id")
    return Sorted(selected, lambda position: tickets.skip(selected[position][1] - ids.SKIP), "created_at,id")


ACTIVITY_WINDOW = 30 * 86400


def activity_keys(account) -> list[tuple]:
    tickets = account.tickets
    # Zendesk keeps ~30 days of activities; counted back from the newest generated ticket so that a
    # reproducible account of any size has some
    since = tickets.timeline.at(tickets.count) - ACTIVITY_WINDOW
    first = tickets.timeline.first_at_or_after(since, 1, tickets.count)
    live = [ticket_id for ticket_id in range(first, tickets.count + 1) if not tickets.shape(ticket_id).deleted]
    live += [
        ticket_id
        for ticket_id, change in tickets.changes.items()
        if change.created_at is not None and change.deleted_at is None
    ]
    return sorted((-tickets.created_ts(ticket_id), ticket_id) for ticket_id in live)


def activity_count(account) -> int:
    return len(cached(account, "activities", lambda: activity_keys(account)))


def activity_items(ctx: Ctx) -> Sorted:
    account, tickets = ctx.account, ctx.account.tickets
    keys = cached(account, "activities", lambda: activity_keys(account))
    low = parse_int(ctx.query.get("start_time") or ctx.query.get("since"), "start_time", None)
    selected = [key for key in keys if -key[0] >= low] if low else keys

    def build(position):
        created, ticket_id = -selected[position][0], selected[position][1]
        ticket = tickets.ticket(ticket_id)
        actor = account.users.user(2)
        user = account.users.user(max(1, (ticket["assignee_id"] or ids.USER + 2) - ids.USER))
        activity_id = ids.config_id(40, ticket_id)
        about = {"ticket": {"id": ticket_id, "subject": ticket["subject"]}}
        return {
            "url": f"{account.base_url}/api/v2/activities/{activity_id}.json",
            "id": activity_id,
            "title": f"{actor['name']} assigned ticket #{ticket_id} to you.",
            "verb": "tickets.assignment",
            "user_id": user["id"],
            "actor_id": actor["id"],
            "created_at": iso(created),
            "updated_at": iso(created),
            "object": about,
            "target": dict(about),
            "user": user,
            "actor": actor,
        }

    return Sorted(selected, build, "-created_at,id")


def activity_sideloads(ctx: Ctx, records: list) -> dict:
    """/activities always sends the page's actors and users, each once, next to the activities."""

    def distinct(people):
        return list({person["id"]: person for person in people}.values())

    return {
        "actors": distinct(record["actor"] for record in records),
        "users": distinct(record["user"] for record in records),
    }


def request_ids(account) -> list[int]:
    """The tickets the admin requested: every 50th generated ticket still live."""
    tickets = account.tickets
    return [ticket_id for ticket_id in tickets.live_ids() if ticket_id % 50 == 0 and ticket_id <= tickets.count]


def request_items(ctx: Ctx) -> Sorted:
    account, tickets = ctx.account, ctx.account.tickets
    sort = by_time_sort(
        ctx, {"updated_at": ("updated_at", tickets.updated_ts), "created_at": ("created_at", tickets.created_ts)}
    )
    admin = ctx.user_id == account.users.admin_id()
    ticket_ids = cached(account, "requests", lambda: request_ids(account)) if admin else []
    keys, order = time_sorted_keys(ticket_ids, sort)

    def build(position):
        ticket = tickets.ticket(abs(keys[position][-1]))
        copied = ("status", "priority", "type", "subject", "description", "organization_id", "via", "custom_fields")
        return {
            "url": f"{account.base_url}/api/v2/requests/{ticket['id']}.json",
            "id": ticket["id"],
            **{name: ticket[name] for name in copied},
            "fields": ticket["custom_fields"],
            "requester_id": ticket["requester_id"],
            "collaborator_ids": [],
            "email_cc_ids": [],
            "is_public": True,
            "due_at": ticket["due_at"],
            "can_be_solved_by_me": False,
            "solved": ticket["status"] in ("solved", "closed"),
            "ticket_form_id": ticket["ticket_form_id"],
            "recipient": ticket["recipient"],
            "followup_source_id": None,
            "assignee_id": ticket["assignee_id"],
            "group_id": ticket["group_id"],
            "custom_status_id": ticket["custom_status_id"],
            "created_at": ticket["created_at"],
            "updated_at": ticket["updated_at"],
        }

    return Sorted(keys, build, "id" if sort is None else order)
