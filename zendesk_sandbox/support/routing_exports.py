"""The incremental skill-based routing exports (/incremental/routing/{attributes,attribute_values,
instance_values}): `start_time` or `cursor`; each page's next_page carries the cursor after its last change, the
last page too, so a client resumes from it. Changes inside the hold-back wait for a later page."""

from __future__ import annotations

import bisect

from ..data.routing_changes import routing_changes
from ..paging.endpoint import Ctx
from ..paging.support import decode_keyset_cursor, encode_keyset_cursor, export_per_page, page_url, parse_int

ORDER = "time,seq"


def routing_export(kind: str):
    def handle(ctx: Ctx) -> dict:
        events = routing_changes(ctx.account).events(kind)
        keys = [(at, seq) for at, seq, _ in events]
        cursor = ctx.query.get("cursor")
        if cursor:
            after = decode_keyset_cursor(cursor, ORDER, "cursor")
            start = bisect.bisect_right(keys, after)
        else:
            start_time = max(0, parse_int(ctx.query.get("start_time"), "start_time", 0))
            start = bisect.bisect_left(keys, (start_time, -1))
            after = (start_time - 1, 2**62)
        cutoff = ctx.account.export_cutoff()
        end = start
        limit = min(len(events), start + export_per_page(ctx.query))
        while end < limit and events[end][0] < cutoff:
            end += 1
        page = [record for _, _, record in events[start:end]]
        last = keys[end - 1] if end > start else after
        next_cursor = encode_keyset_cursor(ORDER, last)
        return {
            kind: page,
            "count": len(page),
            "end_time": last[0] if end > start else None,
            "next_page": page_url(ctx.base, ctx.path, {"cursor": next_cursor}),
        }

    return handle


def exported(kind: str):
    """Ground truth: the changes a read from the start returns (all of them, bar the hold-back)."""
    return lambda account: sum(1 for at, _, _ in routing_changes(account).events(kind) if at < account.export_cutoff())
