"""What the Support incremental exports serve: the rows each export walks, the record built from a row and
the arrays `include=` adds. The paging itself (time_export, cursor_export) is paging/support.py's."""

from __future__ import annotations

from ..foundation import errors
from ..data import ids
from ..paging.endpoint import Ctx, includes
from ..paging.support import (
    decode_keyset_cursor,
    encode_keyset_cursor,
    page_url,
    parse_int,
    require_start_time,
    time_export,
    wants_cursor,
)
from .ticket_scope import rows_in_scope

AFTER_EVERYTHING = 1 << 62  # a row key after every (ticket, index) of one second
SAMPLE_ROWS = 50


def ticket_rows(ctx: Ctx, start: int):
    return rows_in_scope(ctx, ctx.account.tickets.iter_export((start, 0)))


def ticket_rows_after(ctx: Ctx, after: tuple):
    return rows_in_scope(ctx, ctx.account.tickets.iter_export(after))


def ticket_deleted(ctx: Ctx, row: tuple) -> bool:
    return ctx.account.tickets.is_deleted(row[1])


def build_export_ticket(ctx: Ctx, row: tuple) -> dict:
    return ctx.account.tickets.ticket(row[1], export=True, metric_set="metric_sets" in includes(ctx))


def ticket_sideloads(ctx: Ctx, records: list) -> dict:
    wanted_arrays = includes(ctx)
    account = ctx.account
    sideloads = {}
    wanted: list[int] | set[int]
    if "users" in wanted_arrays:
        wanted = sorted(
            {
                record[field]
                for record in records
                for field in ("requester_id", "submitter_id", "assignee_id")
                if record[field]
            }
        )
        sideloads["users"] = [account.users.user(user_id - ids.USER) for user_id in wanted]
    if "organizations" in wanted_arrays:
        wanted = sorted({record["organization_id"] for record in records if record["organization_id"]})
        sideloads["organizations"] = [
            account.organizations.organization(org_id - ids.ORGANIZATION) for org_id in wanted
        ]
    if "groups" in wanted_arrays:
        wanted = {record["group_id"] for record in records}
        sideloads["groups"] = [group for group in account.config.groups if group["id"] in wanted]
    if "comment_count" in wanted_arrays:
        for record in records:
            record["comment_count"] = sum(
                1 for spec in account.tickets.audits_spec(record["id"]) if spec[5] is not None
            )
    return sideloads


def user_rows(ctx: Ctx, start: int):
    return ctx.account.users.iter_export((start, 0))


def user_rows_after(ctx: Ctx, after: tuple):
    return ctx.account.users.iter_export(after)


def build_export_user(ctx: Ctx, row: tuple) -> dict:
    return ctx.account.users.user(row[1] - ids.USER, export=True)


def user_sideloads(ctx: Ctx, records: list) -> dict:
    if "identities" not in includes(ctx):
        return {}
    users = ctx.account.users
    return {"identities": [identity for record in records for identity in users.identities(record["id"] - ids.USER)]}


def organization_rows(ctx: Ctx, start: int):
    return ctx.account.organizations.iter_export((start, 0))


def build_export_organization(ctx: Ctx, row: tuple) -> dict:
    return ctx.account.organizations.organization(row[1] - ids.ORGANIZATION, export=True)


def event_rows(ctx: Ctx, start: int):
    return rows_in_scope(ctx, ctx.account.tickets.iter_events((start - 1, AFTER_EVERYTHING, AFTER_EVERYTHING)))


def build_event(ctx: Ctx, row: tuple) -> dict:
    tickets = ctx.account.tickets
    _ts, ticket_id, audit_index = row[:3]
    return tickets.ticket_event(
        ticket_id, tickets.audits_spec(ticket_id)[audit_index], "comment_events" in includes(ctx)
    )


def metric_event_rows(ctx: Ctx, start: int):
    return ctx.account.tickets.iter_metric_events((start - 1, AFTER_EVERYTHING, AFTER_EVERYTHING))


def build_metric_event(ctx: Ctx, row: tuple) -> dict:
    return ctx.account.tickets.metric_event(row)


metric_events_time_export = time_export("ticket_metric_events", metric_event_rows, build_metric_event)


def metric_event_id(row: tuple) -> int:
    return ids.METRIC_EVENT + row[1] * ids.PER_TICKET + row[2]


def ticket_metric_events(ctx: Ctx) -> dict:
    """Time-based without page[size]; cursor pages (size <= 100) with it."""
    if not wants_cursor(ctx.query):
        return metric_events_time_export(ctx)
    size = parse_int(ctx.query.get("page[size]"), "page[size]", 100)
    if size > 100:
        raise errors.pagination_parameter("page[size] cannot be greater than 100")
    order = "time,id"
    if ctx.query.get("page[after]"):
        key = decode_keyset_cursor(ctx.query["page[after]"], order, "after")
        after = (key[0], *divmod(key[1] - ids.METRIC_EVENT, ids.PER_TICKET))
    else:
        after = (require_start_time(ctx) - 1, AFTER_EVERYTHING, AFTER_EVERYTHING)
    cutoff = ctx.account.export_cutoff()
    rows: list[tuple] = []
    for row in ctx.account.tickets.iter_metric_events(after):
        if row[0] >= cutoff or len(rows) > size:
            break
        rows.append(row)
    has_more = len(rows) > size
    rows = rows[:size]
    records = [build_metric_event(ctx, row) for row in rows]
    keep = {name: value for name, value in ctx.query.items() if name not in ("page[after]", "start_time")}
    after_cursor: str | None
    before_cursor: str | None
    next_url: str | None
    if rows:
        after_cursor = encode_keyset_cursor(order, (rows[-1][0], metric_event_id(rows[-1])))
        before_cursor = encode_keyset_cursor(order, (rows[0][0], metric_event_id(rows[0])))
        next_url = page_url(ctx.base, ctx.path, {**keep, "page[after]": after_cursor})
    else:
        after_cursor = before_cursor = next_url = None
    return {
        "ticket_metric_events": records,
        "meta": {"has_more": has_more, "after_cursor": after_cursor, "before_cursor": before_cursor},
        "links": {"prev": None, "next": next_url if has_more else None},
    }
