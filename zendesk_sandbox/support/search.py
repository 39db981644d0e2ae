"""Search: the query parser (type, status, created/updated comparisons), the matching records, and the
search, search count and search export handlers."""

from __future__ import annotations

import calendar
import re
import time
from typing import cast

from ..foundation import errors
from ..paging.cache import cached
from ..data import ids
from ..data.tickets import LAG
from ..paging.endpoint import Ctx
from ..paging.support import Sorted, offset_pages, parse_int, search_export_page

DAY = 86400
SEARCH_TERM = re.compile(r'(\w+)(>=|<=|:|>|<)("[^"]*"|\S+)')
SEARCH_EXPORT_TYPES = ("ticket", "user", "organization", "group")
TIME_FIELDS = {"created": "created", "created_at": "created", "updated": "updated", "updated_at": "updated"}


def parse_time(value: str) -> int | None:
    """A search/filter time: epoch seconds, ISO 8601 (Z) or a date."""
    value = value.strip().strip('"')
    if value.isdigit():
        return int(value)
    for fmt in ("%Y-%m-%dT%H:%M:%SZ", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d"):
        try:
            return calendar.timegm(time.strptime(value.replace("+00:00", "Z") if fmt.endswith("Z") else value, fmt))
        except ValueError:
            continue
    return None


def parse_query(query: str):
    """The record type a query names (or None) and its filters: (field, operator, value) with field one of
    "created", "updated" (epoch seconds) or "status"."""
    kind, filters = None, []
    if (query or "").count('"') % 2:
        raise errors.invalid_search("unbalanced quotes in the query")
    for name, operator, value in SEARCH_TERM.findall(query or ""):
        if name == "type" and operator == ":":
            kind = value
        elif name in TIME_FIELDS:
            timestamp = parse_time(value)
            if timestamp is None:  # Zendesk refuses a date it cannot read rather than ignoring the condition
                raise errors.invalid_search(f"'{name}{operator}{value}' is not a valid date")
            filters.append((TIME_FIELDS[name], operator, timestamp))
        elif name == "status":
            filters.append(("status", operator, value))
    return kind, filters


def compare(operator: str, actual: int, wanted: int) -> bool:
    """`created:2024-01-02` matches the whole day; the others compare the seconds."""
    if operator == ":":
        return wanted <= actual < wanted + DAY
    return {">=": actual >= wanted, ">": actual > wanted, "<": actual < wanted, "<=": actual <= wanted}[operator]


def matches(filters, created: int, updated: int, status: str | None = None) -> bool:
    for field, operator, wanted in filters:
        if field == "status":
            if status is None or (operator == ":" and status != wanted):
                return False
            continue
        if not compare(operator, created if field == "created" else updated, wanted):
            return False
    return True


def search_keys(account, kind: str, filters) -> list[tuple]:
    """(-created_at, id) of matching records: newest first, ties by id ascending. Deleted records excluded."""
    if kind == "ticket":
        return ticket_search_keys(account.tickets, filters)
    if kind in ("user", "organization"):
        people = account.users if kind == "user" else account.organizations
        return sorted(
            (-people.created_ts(index), people.id_base + index)
            for index in people.active_indexes()
            if matches(filters, people.created_ts(index), people.updated_ts(index))
        )
    if kind == "group":
        keys = []
        for group in account.config.groups:
            created, updated = cast(int, parse_time(group["created_at"])), cast(int, parse_time(group["updated_at"]))
            if not group["deleted"] and matches(filters, created, updated):
                keys.append((-created, group["id"]))
        return sorted(keys)
    return []


def ticket_search_keys(tickets, filters) -> list[tuple]:
    wants_status = any(field == "status" for field, _, _ in filters)
    wants_updated = any(field == "updated" for field, _, _ in filters)
    created_at, shapes, changes, period = tickets.timeline.at, tickets.shapes, tickets.changes, len(tickets.shapes)
    keys = []
    for ticket_id in range(*ticket_search_range(tickets, filters)):
        # fast path: unchanged generated tickets, computing only what the filters need
        if ticket_id in changes or shapes[ticket_id % period].deleted:
            continue
        created = created_at(ticket_id)
        if filters and not matches(
            filters,
            created,
            tickets.updated_ts(ticket_id) if wants_updated else 0,
            tickets.status(ticket_id) if wants_status else None,
        ):
            continue
        keys.append((-created, ticket_id))
    for ticket_id in changes:
        if (
            tickets.exists(ticket_id)
            and not tickets.is_deleted(ticket_id)
            and matches(
                filters,
                tickets.created_ts(ticket_id),
                tickets.updated_ts(ticket_id),
                tickets.status(ticket_id) if wants_status else None,
            )
        ):
            keys.append((-tickets.created_ts(ticket_id), ticket_id))
    keys.sort()
    return keys


def ticket_search_range(tickets, filters) -> tuple[int, int]:
    """Generated ticket ids that can match time filters: created_at(i) and generated_timestamp(i) are monotone
    in i and created <= updated <= generated, so each bound becomes a binary search. Changed tickets are
    checked separately."""
    low, high = 1, tickets.count + 1
    first = tickets.timeline.first_at_or_after
    for field, operator, value in filters:
        if field == "status":
            continue
        if operator in (">=", ">", ":"):
            bound = value + (1 if operator == ">" else 0)
            if field == "created":
                low = max(low, first(bound, 1, tickets.count))
            else:  # updated >= X needs generated >= X
                low = max(low, first(bound, 1, tickets.count + LAG) - LAG)
        if operator in ("<", "<=", ":"):
            bound = value + (1 if operator == "<=" else DAY if operator == ":" else 0)
            high = min(high, first(bound, 1, tickets.count))  # created < X is needed by both created/updated < X
    return max(1, low), max(max(1, low), high)


def search_record(account, kind: str, record_id: int) -> dict:
    if kind == "ticket":
        record = account.tickets.ticket(record_id)
    elif kind == "user":
        record = account.users.user(record_id - ids.USER)
    elif kind == "organization":
        record = account.organizations.organization(record_id - ids.ORGANIZATION)
    else:
        record = next(group for group in account.config.groups if group["id"] == record_id)
    return {**record, "result_type": kind}


def search_results(account, kind: str, filters) -> Sorted:
    keys = cached(account, f"search:{kind}:{filters}", lambda: search_keys(account, kind, filters))
    return Sorted(keys, lambda position: search_record(account, kind, keys[position][1]), "created_at,id")


def search_export(ctx: Ctx) -> dict:
    """The type comes from filter[type] or from a `type:` term in the query, as Zendesk accepts both."""
    query_kind, filters = parse_query(ctx.query.get("query", ""))
    kind = ctx.query.get("filter[type]") or query_kind
    if query_kind and kind != query_kind:
        raise errors.invalid_value(f"filter[type]={kind} and type:{query_kind} in the query disagree")
    if kind not in SEARCH_EXPORT_TYPES:
        raise errors.invalid_value(
            "filter[type] (or type: in the query) is required and must be one of ticket, user, organization, group"
        )
    return search_export_page(search_results(ctx.account, kind, filters), ctx.query, ctx.base, ctx.path)


def search(ctx: Ctx) -> dict:
    kind, filters = parse_query(ctx.query.get("query", ""))
    page = max(1, parse_int(ctx.query.get("page"), "page", 1))
    per_page = min(100, max(1, parse_int(ctx.query.get("per_page"), "per_page", 100)))
    if page * per_page > 1000:
        raise errors.search_too_deep()
    body = offset_pages(
        search_results(ctx.account, kind or "ticket", filters), "results", ctx.query, ctx.base, ctx.path
    )
    body["facets"] = None
    return body


def search_count(ctx: Ctx) -> dict:
    kind, filters = parse_query(ctx.query.get("query", ""))
    return {"count": len(search_results(ctx.account, kind or "ticket", filters).keys)}
