"""The paging kinds of Help Center, Talk and Chat, each written once (API notes §3.1 "Help Center flavour",
§3.2, §3.5-§3.7). The names are the connector's (source_zendesk_support/paging/), flavour after the kind.

cursor_pages, Help Center    page[size] <= 100, page[after]/page[before], meta + links{first,last,prev,next}, a
                             `Link` header when has_more; the cursor is base64 of a JSON array of the keyset (as in
                             Zendesk's OpenAPI example `WzEuMCwxNjld`), not the Support `{"o","v"}` object.
offset_pages, Help Center    page, per_page (default 30, at most 100), page_count, sort_by, sort_order; past page
                             100 the Help Center `LimitError`.
time_export, Help Center     {key, count, end_time, next_page}: end_time is the last record's second, which comes
                             again on the next page; the last page has next_page null.
time_export, Talk            {key, count, end_time, next_page}: next_page is never null, the end is a page with
                             count 0.
chat_export                  {key, count, end_time, end_id, next_page}: records strictly after (start_time,
                             start_id).
since_id                     a bare array of records with id >= since_id, at most `limit`.
"""

from __future__ import annotations

import base64
import bisect
from typing import Any, Callable

import orjson
from aiohttp import web

from ..foundation import errors
from .support import EXPORT_PAGE_MAX, Sorted, cursor_pages_request, page_url, parse_int, start_time_param

AFTER_EVERYTHING = 1 << 62  # a row key after every record of one second

HELP_CENTER_PAGE_MAX = 100
HELP_CENTER_OFFSET_DEFAULT = 30
HELP_CENTER_MAX_PAGES = 100


def help_center_limit_error():
    return errors.ZendeskError(
        400, {"error": "LimitError", "description": "Offset-based pagination is limited to 100 pages"}
    )


def encode_help_center_cursor(key: tuple) -> str:
    return base64.b64encode(orjson.dumps(list(key))).decode()


def decode_help_center_cursor(cursor: str, name: str) -> tuple:
    try:
        value = orjson.loads(base64.b64decode(cursor, validate=True))
        if not isinstance(value, list):
            raise ValueError("not a keyset")
        return tuple(value)
    except Exception:
        raise errors.pagination_parameter(f"page[{name}] is not valid") from None


def help_center_cursor_pages(items: Sorted, key: str, query, base: str, path: str) -> web.Response:
    size, after, before = cursor_pages_request(query, HELP_CENTER_PAGE_MAX, default=HELP_CENTER_PAGE_MAX)
    keys, n = items.keys, len(items.keys)
    try:
        if after:
            start = bisect.bisect_right(keys, decode_help_center_cursor(after, "after"))
            end = min(n, start + size)
        elif before:
            end = bisect.bisect_left(keys, decode_help_center_cursor(before, "before"))
            start = max(0, end - size)
        else:
            start, end = 0, min(n, size)
    except TypeError:  # a keyset of another sort order
        raise errors.pagination_parameter(f"page[{'after' if after else 'before'}] is not valid") from None
    has_more = end < n if not before else start > 0
    records = [items.build(p) for p in range(start, end)]
    keep = {k: v for k, v in query.items() if not k.startswith("page[")}
    first = page_url(base, path, {**keep, "page[size]": size})
    last = first
    if n > size:
        last_cursor = encode_help_center_cursor(keys[n - size - 1])
        last = page_url(base, path, {**keep, "page[after]": last_cursor, "page[size]": size})
    after_cursor: str | None
    before_cursor: str | None
    nxt: str | None
    prev: str | None
    if records:
        after_cursor, before_cursor = encode_help_center_cursor(keys[end - 1]), encode_help_center_cursor(keys[start])
        nxt = page_url(base, path, {**keep, "page[after]": after_cursor, "page[size]": size})
        prev = page_url(base, path, {**keep, "page[before]": before_cursor, "page[size]": size})
    else:
        after_cursor = before_cursor = nxt = prev = None
    body = {
        key: records,
        "meta": {"has_more": has_more, "after_cursor": after_cursor, "before_cursor": before_cursor},
        "links": {"first": first, "last": last, "prev": prev, "next": nxt if has_more else None},
    }
    headers = {"Link": f'<{nxt}>; rel="next"'} if has_more and nxt else None
    return errors.json_response(body, headers=headers)


def help_center_offset_pages(
    items: Sorted, key: str, query, base: str, path: str, sort_by: str | None, sort_order: str
) -> dict:
    page = max(1, parse_int(query.get("page"), "page", 1))
    per_page = parse_int(query.get("per_page"), "per_page", HELP_CENTER_OFFSET_DEFAULT)
    per_page = min(HELP_CENTER_PAGE_MAX, max(1, per_page))
    if page > HELP_CENTER_MAX_PAGES:
        raise help_center_limit_error()
    total = len(items.keys)
    start = (page - 1) * per_page
    end = min(total, start + per_page)
    records = [items.build(p) for p in range(start, end)] if start < total else []
    page_count = max(1, -(-total // per_page))
    keep = {k: v for k, v in query.items() if k not in ("page", "per_page")}
    nxt = page_url(base, path, {**keep, "page": page + 1, "per_page": per_page}) if end < total else None
    prev = page_url(base, path, {**keep, "page": page - 1, "per_page": per_page}) if page > 1 else None
    return {
        key: records,
        "page": page,
        "previous_page": prev,
        "next_page": nxt,
        "per_page": per_page,
        "page_count": page_count,
        "count": total,
        "sort_by": sort_by,
        "sort_order": sort_order,
    }


def since_id_page(records: list[dict], query, default_limit: int = 100, max_limit: int = 100) -> list[dict]:
    """Records (id ascending) with id >= since_id, at most `limit`: clients ask again from last id + 1."""
    since = parse_int(query.get("since_id"), "since_id", 0)
    limit = min(max_limit, max(1, parse_int(query.get("limit"), "limit", default_limit)))
    ids = [r["id"] for r in records]
    start = bisect.bisect_left(ids, since)
    return records[start : start + limit]


def export_limit(query, name: str = "limit") -> int:
    return min(EXPORT_PAGE_MAX, max(1, parse_int(query.get(name), name, EXPORT_PAGE_MAX)))


def help_center_time_export(key: str, rows_after: Callable, build: Callable, hidden: Callable):
    """rows_after(ctx, (ts, k)) yields (ts, k) in time order; build(ctx, k) -> the record; hidden(ctx, k): left
    out (deleted). A page ends on a second boundary unless one second fills it."""

    def handle(ctx) -> dict:
        start = start_time_param(ctx.query)
        per_page = export_limit(ctx.query, "per_page")
        cutoff = ctx.account.export_cutoff()
        page: list[tuple[int, Any]]
        page, end_of_stream = [], True
        for timestamp, index in rows_after(ctx, (start - 1, AFTER_EVERYTHING)):
            if timestamp >= cutoff:
                break
            if hidden(ctx, index):
                continue
            if page and len(page) >= per_page and timestamp != page[-1][0]:
                end_of_stream = False
                break
            if len(page) >= EXPORT_PAGE_MAX:
                end_of_stream = False
                break
            page.append((timestamp, index))
        records = [build(ctx, index) for _, index in page]
        end_time = page[-1][0] if page else None
        if end_time is not None and not end_of_stream and page[0][0] == end_time:
            end_time += 1  # a page filled by one second: step past it, or the walk would never move
        keep = {name: value for name, value in ctx.query.items() if name != "start_time"}
        next_page = (
            None
            if end_of_stream or end_time is None
            else page_url(ctx.base, ctx.path, {**keep, "start_time": end_time})
        )
        return {key: records, "count": len(records), "end_time": end_time, "next_page": next_page}

    return handle


def talk_time_export(key: str, rows_after: Callable, expand: Callable):
    """Talk's time export: rows_after(ctx, (ts, k)) yields (ts, k) in time order; expand(ctx, k) -> the records
    of row k. next_page is never null: a client stops on count == 0. Records come from start_time on, pages end
    on a second boundary (end_time = last + 1, so nothing repeats) unless 1000 records share a second; the
    newest seconds are held back as on the Support exports."""

    def handle(ctx) -> dict:
        start = start_time_param(ctx.query)
        cutoff = ctx.account.export_cutoff()
        records: list[dict]
        records, last_second, capped = [], None, False
        for second, indexes in by_second(rows_after(ctx, (start - 1, AFTER_EVERYTHING)), cutoff):
            rows = [record for index in indexes for record in expand(ctx, index)]
            if len(records) + len(rows) > EXPORT_PAGE_MAX:
                if not records:  # one second holds more than a page: cut inside it
                    records, last_second, capped = rows[:EXPORT_PAGE_MAX], second, True
                break
            records.extend(rows)
            last_second = second
        end_time = start if last_second is None else (last_second if capped else last_second + 1)
        keep = {name: value for name, value in ctx.query.items() if name != "start_time"}
        return {
            key: records,
            "next_page": page_url(ctx.base, ctx.path, {**keep, "start_time": end_time}),
            "count": len(records),
            "end_time": end_time,
        }

    return handle


def by_second(keyed, cutoff: int):
    """(ts, [k, ...]) per second, from (ts, k) pairs in time order, up to the hold-back cutoff."""
    group: list[Any]
    group, group_second = [], None
    for second, index in keyed:
        if second >= cutoff:
            break
        if group and second != group_second:
            yield group_second, group
            group = []
        group_second = second
        group.append(index)
    if group:
        yield group_second, group


def chat_export(key: str, rows_after: Callable, build: Callable, index_of_id: Callable):
    """Records changed at or after start_time, strictly after (start_time, start_id) when start_id is given, in
    (ts, id) order. rows_after(ctx, (ts, k)) yields (ts, k); build(ctx, k) -> the record; index_of_id(id) -> k.
    end_time/end_id name the last record; next_page is always given."""

    def handle(ctx) -> dict:
        start = max(0, parse_int(ctx.query.get("start_time"), "start_time", 0))
        start_id = ctx.query.get("start_id") or None
        after = (start, index_of_id(start_id)) if start_id else (start - 1, AFTER_EVERYTHING)
        limit, cutoff = export_limit(ctx.query), ctx.account.export_cutoff()
        page: list[tuple[int, Any]] = []
        for timestamp, index in rows_after(ctx, after):
            if timestamp >= cutoff or len(page) >= limit:
                break
            page.append((timestamp, index))
        records = [build(ctx, index) for _, index in page]
        end_time, end_id = (page[-1][0], records[-1]["id"]) if page else (start, start_id)
        keep = {name: value for name, value in ctx.query.items() if name not in ("start_time", "start_id")}
        params = {**keep, "start_time": end_time, **({"start_id": end_id} if end_id else {})}
        return {
            key: records,
            "count": len(records),
            "end_time": end_time,
            "end_id": end_id,
            "next_page": page_url(ctx.base, ctx.path, params),
        }

    return handle
