"""Zendesk Support's paging kinds, each written once (API notes §3) and bound to paths by the table in
tables/support.py. The names are the connector's (source_zendesk_support/paging/): one vocabulary for both packages.

cursor_pages    page[size] <= 100, page[after]/page[before], meta + links, keyset cursors.
offset_pages    page, per_page <= 100, next_page/previous_page/count, depth cap.
unpaged         everything in one answer.
time_export     start_time, 1000 per page, same-second extension, end_time rules.
cursor_export   start_time then cursor "<ts>.0||<id>|", after_url, end_of_stream.
search_export   filter[type], page[size] <= 1000, cursor pages forward only (created_at desc, id asc).
"""

from __future__ import annotations

import base64
import bisect
import struct
from dataclasses import dataclass
from typing import Any, Callable, Iterator, cast, overload
from urllib.parse import urlencode

import orjson

from ..foundation import errors
from ..data.pools import mix

EXPORT_PAGE_MAX = 1000
SEARCH_EXPORT_MAX = 1000
CURSOR_PAGES_MAX = 100
OFFSET_PAGES_MAX = 100


@dataclass
class Sorted:
    """Records of a list endpoint in cursor order: one keyset tuple per record, and how to build record p.
    Keys are pre-transformed so ascending tuple order is the endpoint's order (descending fields negated)."""

    keys: list[tuple]
    build: Callable[[int], dict]
    order: str

    @classmethod
    def of_records(cls, records: list[dict], key: Callable[[dict], tuple], order: str) -> "Sorted":
        records = sorted(records, key=key)
        return cls([key(r) for r in records], records.__getitem__, order)


def encode_keyset_cursor(order: str, key: tuple) -> str:
    raw = b""
    for v in key:
        if isinstance(v, int):
            raw += b"i" + struct.pack("<q", v)
        else:
            data = str(v).encode()
            raw += b"s" + struct.pack("<i", len(data)) + data
    payload = orjson.dumps({"o": order, "v": base64.b64encode(raw).decode()})
    return base64.b64encode(payload).decode()


def decode_keyset_cursor(cursor: str, order: str, name: str) -> tuple:
    try:
        payload = orjson.loads(base64.b64decode(cursor, validate=True))
        if payload["o"] != order:
            raise ValueError("order mismatch")
        raw = base64.b64decode(payload["v"], validate=True)
        out, pos = [], 0
        while pos < len(raw):
            tag = raw[pos : pos + 1]
            if tag == b"i":
                out.append(struct.unpack_from("<q", raw, pos + 1)[0])
                pos += 9
            elif tag == b"s":
                n = struct.unpack_from("<i", raw, pos + 1)[0]
                out.append(raw[pos + 5 : pos + 5 + n].decode())
                pos += 5 + n
            else:
                raise ValueError("bad tag")
        return tuple(out)
    except Exception:
        raise errors.pagination_parameter(f"page[{name}] is not valid") from None


def page_url(base: str, path: str, params: dict) -> str:
    return f"{base}{path}?{urlencode(params)}"


@overload
def parse_int(value, name: str, default: int) -> int: ...
@overload
def parse_int(value, name: str, default: None = None) -> int | None: ...
def parse_int(value, name: str, default: int | None = None) -> int | None:
    if value is None or value == "":
        return default
    try:
        return int(value)
    except ValueError:
        raise errors.invalid_value(f"{name} must be an integer") from None


def wants_cursor(query) -> bool:
    return any(k in query for k in ("page[size]", "page[after]", "page[before]"))


def cursor_pages_request(query, max_size: int, default: int) -> tuple[int, str | None, str | None]:
    """page[size], page[after], page[before] of a cursor-page request, refused as Zendesk refuses them."""
    size = parse_int(query.get("page[size]"), "page[size]", default)
    if size > max_size:
        raise errors.pagination_parameter(f"page[size] cannot be greater than {max_size}")
    after, before = query.get("page[after]"), query.get("page[before]")
    if after and before:
        raise errors.pagination_parameter("page[before] and page[after] cannot be used together")
    return max(1, size), after, before


def cursor_pages(
    items: Sorted,
    key: str,
    query,
    base: str,
    path: str,
    max_size: int = CURSOR_PAGES_MAX,
    extra: dict | None = None,
    trailing_empty_page: bool = False,
) -> dict:
    """Cursor pages. `trailing_empty_page`: a full last page still says has_more, and the next one is empty."""
    size, after, before = cursor_pages_request(query, max_size, default=100)
    n = len(items.keys)
    if after:
        start = bisect.bisect_right(items.keys, decode_keyset_cursor(after, items.order, "after"))
        end = min(n, start + size)
        has_more = end < n
    elif before:
        end = bisect.bisect_left(items.keys, decode_keyset_cursor(before, items.order, "before"))
        start = max(0, end - size)
        has_more = start > 0
    else:
        start, end = 0, min(n, size)
        has_more = end < n
    records = [items.build(p) for p in range(start, end)]
    if trailing_empty_page and not before and not has_more and len(records) == size:
        has_more = True
    keep = {k: v for k, v in query.items() if not k.startswith("page[")}
    after_cursor: str | None
    before_cursor: str | None
    nxt: str | None
    prev: str | None
    if records:
        after_cursor = encode_keyset_cursor(items.order, items.keys[end - 1])
        before_cursor = encode_keyset_cursor(items.order, items.keys[start])
        nxt = page_url(base, path, {**keep, "page[after]": after_cursor, "page[size]": size})
        prev = page_url(base, path, {**keep, "page[before]": before_cursor, "page[size]": size})
    else:
        after_cursor = before_cursor = nxt = prev = None
    body = {
        key: records,
        **(extra or {}),
        "meta": {"has_more": has_more, "after_cursor": after_cursor, "before_cursor": before_cursor},
        "links": {"prev": prev, "next": nxt},
    }
    return body


def offset_pages(
    items: Sorted, key: str, query, base: str, path: str, extra: dict | None = None, unpaged: bool = False
) -> dict:
    """Offset pages. `unpaged` endpoints return everything at once with next_page null."""
    total = len(items.keys)
    if unpaged:
        return {
            key: [items.build(p) for p in range(total)],
            **(extra or {}),
            "next_page": None,
            "previous_page": None,
            "count": total,
        }
    page = max(1, parse_int(query.get("page"), "page", 1))
    per_page = min(OFFSET_PAGES_MAX, max(1, parse_int(query.get("per_page"), "per_page", 100)))
    if page > 100 or page * per_page > 10000:
        raise errors.pagination_depth()
    start = (page - 1) * per_page
    end = min(total, start + per_page)
    records = [items.build(p) for p in range(start, end)] if start < total else []
    keep = {k: v for k, v in query.items() if k not in ("page", "per_page")}
    nxt = page_url(base, path, {**keep, "page": page + 1, "per_page": per_page}) if end < total else None
    prev = page_url(base, path, {**keep, "page": page - 1, "per_page": per_page}) if page > 1 else None
    return {key: records, **(extra or {}), "next_page": nxt, "previous_page": prev, "count": total}


def search_export_page(items: Sorted, query, base: str, path: str) -> dict:
    """search_export: cursor pages of up to 1000 results that only page forward."""
    body = cursor_pages(items, "results", query, base, path, max_size=SEARCH_EXPORT_MAX)
    body["facets"] = None
    body["links"]["prev"] = None
    return body


# ---- exports ------------------------------------------------------------------------------------------
def export_per_page(query) -> int:
    per_page = parse_int(query.get("per_page"), "per_page", EXPORT_PAGE_MAX)
    return min(EXPORT_PAGE_MAX, max(1, per_page))


def time_export_page(
    rows: Iterator[tuple], start_time: int, per_page: int, cutoff: int, hard_cap: int = EXPORT_PAGE_MAX
):
    """Time export: paging over rows (ts, ...) ascending from start_time. Returns (rows, end_time, end_of_stream)."""
    page: list[tuple] = []
    end_of_stream = True
    capped = False
    for row in rows:
        ts = row[0]
        if ts >= cutoff:
            break
        if page and len(page) >= per_page and ts != page[-1][0]:
            end_of_stream = False
            break
        if len(page) >= hard_cap:
            capped, end_of_stream = True, False
            break
        page.append(row)
    if not page:
        return page, start_time, True
    last = page[-1][0]
    if end_of_stream or capped:
        return page, last, end_of_stream
    return page, last + 1, False


def encode_export_cursor(ts: int, record_id: int) -> str:
    return base64.b64encode(f"{ts}.0||{record_id}|".encode()).decode()


def decode_export_cursor(cursor: str) -> tuple[int, int]:
    try:
        text = base64.b64decode(cursor, validate=True).decode()
        ts_part, rest = text.split("||", 1)
        return int(float(ts_part)), int(rest.rstrip("|") or 0)
    except Exception:
        raise errors.invalid_value("cursor is invalid") from None


def cursor_export_page(rows: Iterator[tuple], after: tuple[int, int], per_page: int, cutoff: int):
    """Cursor export: paging over rows (ts, id, ...) strictly after `after`.
    Returns (rows, after_key, end_of_stream)."""
    page: list[tuple] = []
    end_of_stream = True
    for row in rows:
        if row[0] >= cutoff:
            break
        if len(page) >= per_page:
            end_of_stream = False
            break
        page.append(row)
    last = (page[-1][0], page[-1][1]) if page else after
    return page, last, end_of_stream


# ---- the handlers of each kind, bound to rows by the endpoint tables -----------------------------------------
def listing(
    key: str,
    items: Callable,
    cursor: bool = True,
    unpaged: bool = False,
    trailing_empty_page_quirk: bool = False,
    sideload: Callable | None = None,
    offset: bool = True,
):
    """A list endpoint: cursor pages when page[size]/page[after]/page[before] is sent, offset pages otherwise
    (`offset=False`: cursor pages always, for the endpoints Zendesk documents with cursor pagination only).
    `items(ctx)` gives the Sorted records; `sideload(ctx, records)` adds the arrays the endpoint sends next to
    the list."""

    def handle(ctx) -> dict:
        sorted_items = items(ctx)
        if cursor and (wants_cursor(ctx.query) or not offset):
            quirk = trailing_empty_page_quirk and ctx.account.settings.trailing_empty_page
            body = cursor_pages(sorted_items, key, ctx.query, ctx.base, ctx.path, trailing_empty_page=quirk)
        else:
            body = offset_pages(sorted_items, key, ctx.query, ctx.base, ctx.path, unpaged=unpaged)
        if sideload is not None:
            body.update(sideload(ctx, body[key]))
        return body

    return handle


def unpaged(key: str, records_of: Callable):
    """Everything at once under `key`, with no paging fields at all."""
    return lambda ctx: {key: records_of(ctx.account)}


def start_time_param(query) -> int:
    """The required start_time of an export, at least 0."""
    raw = query.get("start_time")
    if raw is None or raw == "":
        raise errors.invalid_value("start_time is required")
    return max(0, cast(int, parse_int(raw, "start_time")))  # raw is non-empty: an int or a refusal


def require_start_time(ctx, too_recent: Callable | None = None) -> int:
    """start_time of a Support export, refused when it is within the hold-back as Zendesk refuses it (with
    `too_recent()`'s error where an export documents a body of its own)."""
    raw = ctx.query.get("start_time")
    if raw is None or raw == "":
        raise errors.invalid_value("start_time is required")
    start = cast(int, parse_int(raw, "start_time"))  # raw is non-empty: an int or a refusal
    if start >= ctx.account.export_cutoff():
        if too_recent is not None:
            raise too_recent()
        raise errors.start_time_too_recent(legacy=ctx.account.settings.too_recent_mode == "422")
    return max(0, start)


def insertion_order(rows, seed: int):
    """Zendesk orders records inside one second by internal insertion order, not by id (e.g. 28, 29, 37, 30).
    Rows arrive (ts, id)-sorted; each second's group is re-ordered by a stable hash standing in for it."""
    group: list = []
    for row in rows:
        if group and row[0] != group[0][0]:
            group.sort(key=lambda r: mix(seed, 77, hash(r[1:3])))
            yield from group
            group = []
        group.append(row)
    group.sort(key=lambda r: mix(seed, 77, hash(r[1:3])))
    yield from group


def time_export(
    key: str,
    rows_from: Callable,
    build: Callable,
    sideload: Callable | None = None,
    max_rows: int | None = None,
    deleted: Callable | None = None,
):
    """A time-export endpoint. rows_from(ctx, start) yields (ts, ...) ascending; build(ctx, row) -> record."""

    def handle(ctx) -> dict:
        start = require_start_time(ctx)
        per_page = export_per_page(ctx.query)
        cap = EXPORT_PAGE_MAX
        if max_rows is not None:
            per_page, cap = max_rows, max_rows
        rows = insertion_order(rows_from(ctx, start), ctx.account.settings.seed)
        if deleted is not None and ctx.query.get("exclude_deleted") == "true":
            rows = (row for row in rows if not deleted(ctx, row))
        page, end_time, end_of_stream = time_export_page(
            rows, start, per_page, ctx.account.export_cutoff(), hard_cap=cap
        )
        records = [build(ctx, row) for row in page]
        keep = {name: value for name, value in ctx.query.items() if name != "start_time"}
        body: dict[str, Any] = {key: records}
        if sideload:
            body.update(sideload(ctx, records))
        body.update(
            {
                "next_page": page_url(ctx.base, ctx.path, {**keep, "start_time": end_time}),
                "count": len(records),
                "end_of_stream": end_of_stream,
                "end_time": end_time,
            }
        )
        return body

    return handle


def cursor_export(
    key: str, rows_after: Callable, build: Callable, sideload: Callable | None = None, deleted: Callable | None = None
):
    """A cursor-export endpoint. rows_after(ctx, (ts, id)) yields (ts, id) strictly after the keyset."""

    def handle(ctx) -> dict:
        if ctx.query.get("cursor"):
            after = decode_export_cursor(ctx.query["cursor"])
        else:
            after = (require_start_time(ctx), 0)
        per_page = export_per_page(ctx.query)
        rows = rows_after(ctx, after)
        if deleted is not None and ctx.query.get("exclude_deleted") == "true":
            rows = (row for row in rows if not deleted(ctx, row))
        page, last, end_of_stream = cursor_export_page(rows, after, per_page, ctx.account.export_cutoff())
        records = [build(ctx, row) for row in page]
        cursor = encode_export_cursor(*last)
        keep = {name: value for name, value in ctx.query.items() if name not in ("cursor", "start_time")}
        body: dict[str, Any] = {key: records}
        if sideload:
            body.update(sideload(ctx, records))
        body.update(
            {
                "after_url": page_url(ctx.base, ctx.path, {**keep, "cursor": cursor}),
                "before_url": None,
                "after_cursor": cursor,
                "before_cursor": None,
                "end_of_stream": end_of_stream,
            }
        )
        return body

    return handle
