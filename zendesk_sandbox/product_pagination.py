"""The paging flavours of Help Center, Talk and Chat (API notes §3.1 "Help Center flavour", §3.2, §3.5-§3.7).

HC cursor pages   page[size] <= 100, page[after]/page[before], meta + links{first,last,prev,next}, a `Link` header
                  when has_more; the cursor is base64 of a JSON array of the keyset (as in Zendesk's OpenAPI
                  example `WzEuMCwxNjld`), not the Support `{"o","v"}` object.
HC offset pages   page, per_page (default 30, at most 100), page_count, sort_by, sort_order; past page 100 the
                  HC `LimitError`.
Talk export       {key, count, end_time, next_page}: next_page is never null, the end is a page with count 0.
Chat export       {key, count, end_time, end_id, next_page}: records strictly after (start_time, start_id).
since_id lists    a bare array of records with id >= since_id, at most `limit`.
"""
from __future__ import annotations

import base64
import bisect

import orjson
from aiohttp import web

from . import errors
from .pagination import Sorted, cursor_page_request, page_url, parse_int

HC_MAX = 100
HC_OFFSET_DEFAULT = 30
HC_MAX_PAGES = 100
EXPORT_MAX = 1000


def hc_limit_error():
    return errors.ZendeskError(400, {"error": "LimitError",
                                     "description": "Offset-based pagination is limited to 100 pages"})


def encode_hc_cursor(key: tuple) -> str:
    return base64.b64encode(orjson.dumps(list(key))).decode()


def decode_hc_cursor(cursor: str, name: str) -> tuple:
    try:
        value = orjson.loads(base64.b64decode(cursor, validate=True))
        if not isinstance(value, list):
            raise ValueError("not a keyset")
        return tuple(value)
    except Exception:
        raise errors.pagination_parameter(f"page[{name}] is not valid") from None


def hc_cursor_page(items: Sorted, key: str, query, base: str, path: str) -> web.Response:
    size, after, before = cursor_page_request(query, HC_MAX, default=HC_MAX)
    keys, n = items.keys, len(items.keys)
    try:
        if after:
            start = bisect.bisect_right(keys, decode_hc_cursor(after, "after"))
            end = min(n, start + size)
        elif before:
            end = bisect.bisect_left(keys, decode_hc_cursor(before, "before"))
            start = max(0, end - size)
        else:
            start, end = 0, min(n, size)
    except TypeError:  # a keyset of another sort order
        raise errors.pagination_parameter(f"page[{'after' if after else 'before'}] is not valid") from None
    has_more = end < n if not before else start > 0
    records = [items.build(p) for p in range(start, end)]
    keep = {k: v for k, v in query.items() if not k.startswith("page[")}
    first = page_url(base, path, {**keep, "page[size]": size})
    last = first if n <= size else page_url(base, path, {**keep, "page[after]": encode_hc_cursor(keys[n - size - 1]),
                                                         "page[size]": size})
    if records:
        after_cursor, before_cursor = encode_hc_cursor(keys[end - 1]), encode_hc_cursor(keys[start])
        nxt = page_url(base, path, {**keep, "page[after]": after_cursor, "page[size]": size})
        prev = page_url(base, path, {**keep, "page[before]": before_cursor, "page[size]": size})
    else:
        after_cursor = before_cursor = nxt = prev = None
    body = {key: records, "meta": {"has_more": has_more, "after_cursor": after_cursor, "before_cursor": before_cursor},
            "links": {"first": first, "last": last, "prev": prev, "next": nxt if has_more else None}}
    headers = {"Link": f'<{nxt}>; rel="next"'} if has_more and nxt else None
    return errors.json_response(body, headers=headers)


def hc_offset_page(items: Sorted, key: str, query, base: str, path: str, sort_by: str | None,
                   sort_order: str) -> dict:
    page = max(1, parse_int(query.get("page"), "page", 1))
    per_page = min(HC_MAX, max(1, parse_int(query.get("per_page"), "per_page", HC_OFFSET_DEFAULT)))
    if page > HC_MAX_PAGES:
        raise hc_limit_error()
    total = len(items.keys)
    start = (page - 1) * per_page
    end = min(total, start + per_page)
    records = [items.build(p) for p in range(start, end)] if start < total else []
    page_count = max(1, -(-total // per_page))
    keep = {k: v for k, v in query.items() if k not in ("page", "per_page")}
    nxt = page_url(base, path, {**keep, "page": page + 1, "per_page": per_page}) if end < total else None
    prev = page_url(base, path, {**keep, "page": page - 1, "per_page": per_page}) if page > 1 else None
    return {key: records, "page": page, "previous_page": prev, "next_page": nxt, "per_page": per_page,
            "page_count": page_count, "count": total, "sort_by": sort_by, "sort_order": sort_order}


def wants_hc_cursor(query) -> bool:
    return any(k in query for k in ("page[size]", "page[after]", "page[before]"))


def since_id_page(records: list[dict], query, default_limit: int = 100, max_limit: int = 100) -> list[dict]:
    """Records (id ascending) with id >= since_id, at most `limit`: clients ask again from last id + 1."""
    since = parse_int(query.get("since_id"), "since_id", 0)
    limit = min(max_limit, max(1, parse_int(query.get("limit"), "limit", default_limit)))
    ids = [r["id"] for r in records]
    start = bisect.bisect_left(ids, since)
    return records[start:start + limit]
