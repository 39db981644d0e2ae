"""Zendesk's paging kinds, each written once (API notes §3) and bound to endpoints in endpoints.py. The names
are the connector's (source_zendesk_support/paging/): one vocabulary for both packages.

cursor pages: page[size] <= 100, page[after]/page[before], meta + links, keyset cursors.
offset pages: page, per_page <= 100, next_page/previous_page/count, depth cap.
time export: start_time, 1000 per page, same-second extension, end_time rules.
cursor export: start_time then cursor "<ts>.0||<id>|", after_url, end_of_stream.
search export: filter[type], page[size] <= 1000, cursor paging (created_at desc, id asc).
"""
from __future__ import annotations

import base64
import bisect
import struct
from dataclasses import dataclass
from typing import Callable, Iterator
from urllib.parse import urlencode

import orjson

from . import errors

EXPORT_PAGE_MAX = 1000
CBP_MAX = 100
OBP_MAX = 100


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


def encode_cbp_cursor(order: str, key: tuple) -> str:
    raw = b""
    for v in key:
        if isinstance(v, int):
            raw += b"i" + struct.pack("<q", v)
        else:
            data = str(v).encode()
            raw += b"s" + struct.pack("<i", len(data)) + data
    payload = orjson.dumps({"o": order, "v": base64.b64encode(raw).decode()})
    return base64.b64encode(payload).decode()


def decode_cbp_cursor(cursor: str, order: str, name: str) -> tuple:
    try:
        payload = orjson.loads(base64.b64decode(cursor, validate=True))
        if payload["o"] != order:
            raise ValueError("order mismatch")
        raw = base64.b64decode(payload["v"], validate=True)
        out, pos = [], 0
        while pos < len(raw):
            tag = raw[pos:pos + 1]
            if tag == b"i":
                out.append(struct.unpack_from("<q", raw, pos + 1)[0])
                pos += 9
            elif tag == b"s":
                n = struct.unpack_from("<i", raw, pos + 1)[0]
                out.append(raw[pos + 5:pos + 5 + n].decode())
                pos += 5 + n
            else:
                raise ValueError("bad tag")
        return tuple(out)
    except Exception:
        raise errors.pagination_parameter(f"page[{name}] is not valid") from None


def page_url(base: str, path: str, params: dict) -> str:
    return f"{base}{path}?{urlencode(params)}"


def parse_int(value, name: str, default: int | None = None) -> int | None:
    if value is None or value == "":
        return default
    try:
        return int(value)
    except ValueError:
        raise errors.invalid_value(f"{name} must be an integer") from None


def wants_cursor(query) -> bool:
    return any(k in query for k in ("page[size]", "page[after]", "page[before]"))


def cursor_page_request(query, max_size: int, default: int) -> tuple[int, str | None, str | None]:
    """page[size], page[after], page[before] of a cursor-page request, refused as Zendesk refuses them."""
    size = parse_int(query.get("page[size]"), "page[size]", default)
    if size > max_size:
        raise errors.pagination_parameter(f"page[size] cannot be greater than {max_size}")
    after, before = query.get("page[after]"), query.get("page[before]")
    if after and before:
        raise errors.pagination_parameter("page[before] and page[after] cannot be used together")
    return max(1, size), after, before


def cursor_page(items: Sorted, key: str, query, base: str, path: str, max_size: int = CBP_MAX,
                extra: dict | None = None, trailing_empty_page: bool = False) -> dict:
    """Cursor pages. `trailing_empty_page`: a full last page still says has_more, and the next one is empty."""
    size, after, before = cursor_page_request(query, max_size, default=100)
    n = len(items.keys)
    if after:
        start = bisect.bisect_right(items.keys, decode_cbp_cursor(after, items.order, "after"))
        end = min(n, start + size)
        has_more = end < n
    elif before:
        end = bisect.bisect_left(items.keys, decode_cbp_cursor(before, items.order, "before"))
        start = max(0, end - size)
        has_more = start > 0
    else:
        start, end = 0, min(n, size)
        has_more = end < n
    records = [items.build(p) for p in range(start, end)]
    if trailing_empty_page and not before and not has_more and len(records) == size:
        has_more = True
    keep = {k: v for k, v in query.items() if not k.startswith("page[")}
    if records:
        after_cursor = encode_cbp_cursor(items.order, items.keys[end - 1])
        before_cursor = encode_cbp_cursor(items.order, items.keys[start])
        nxt = page_url(base, path, {**keep, "page[after]": after_cursor, "page[size]": size})
        prev = page_url(base, path, {**keep, "page[before]": before_cursor, "page[size]": size})
    else:
        after_cursor = before_cursor = nxt = prev = None
    body = {key: records, **(extra or {}),
            "meta": {"has_more": has_more, "after_cursor": after_cursor, "before_cursor": before_cursor},
            "links": {"prev": prev, "next": nxt}}
    return body


def offset_page(items: Sorted, key: str, query, base: str, path: str, extra: dict | None = None,
                unpaged: bool = False) -> dict:
    """Offset pages. `unpaged` endpoints return everything at once with next_page null."""
    total = len(items.keys)
    if unpaged:
        return {key: [items.build(p) for p in range(total)], **(extra or {}),
                "next_page": None, "previous_page": None, "count": total}
    page = max(1, parse_int(query.get("page"), "page", 1))
    per_page = min(OBP_MAX, max(1, parse_int(query.get("per_page"), "per_page", 100)))
    if page > 100 or page * per_page > 10000:
        raise errors.pagination_depth()
    start = (page - 1) * per_page
    end = min(total, start + per_page)
    records = [items.build(p) for p in range(start, end)] if start < total else []
    keep = {k: v for k, v in query.items() if k not in ("page", "per_page")}
    nxt = page_url(base, path, {**keep, "page": page + 1, "per_page": per_page}) if end < total else None
    prev = page_url(base, path, {**keep, "page": page - 1, "per_page": per_page}) if page > 1 else None
    return {key: records, **(extra or {}), "next_page": nxt, "previous_page": prev, "count": total}


# ---- exports ------------------------------------------------------------------------------------------
def export_per_page(query) -> int:
    per_page = parse_int(query.get("per_page"), "per_page", EXPORT_PAGE_MAX)
    return min(EXPORT_PAGE_MAX, max(1, per_page))


def time_export_page(rows: Iterator[tuple], start_time: int, per_page: int, cutoff: int,
                     hard_cap: int = EXPORT_PAGE_MAX):
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
    """Cursor export: paging over rows (ts, id, ...) strictly after `after`. Returns (rows, after_key, end_of_stream)."""
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
