"""GET /triggers/{trigger_id}/revisions: Zendesk's older cursor scheme, newest first by (created_at, id): `limit`
(at most 1000, the default) and `cursor`; before_url asks for older revisions, after_url for newer ones, each null
when there are none."""

from __future__ import annotations

from ..foundation import errors
from ..data.trigger_revisions import revisions_of
from ..paging.endpoint import Ctx
from ..paging.support import decode_keyset_cursor, encode_keyset_cursor, page_url, parse_int

ORDER = "-created_at,-id"
MAX_LIMIT = 1000


def trigger_revisions(ctx: Ctx) -> dict:
    trigger = next((t for t in ctx.account.config.triggers if str(t["id"]) == ctx.params["trigger_id"]), None)
    if trigger is None:
        raise errors.record_not_found()
    newest_first = sorted(revisions_of(ctx.account, trigger), key=lambda r: (r["created_at"], r["id"]), reverse=True)
    keys = [(r["created_at"], r["id"]) for r in newest_first]
    limit = min(MAX_LIMIT, max(1, parse_int(ctx.query.get("limit"), "limit", MAX_LIMIT)))
    start, end = 0, min(len(keys), limit)
    if ctx.query.get("cursor"):
        direction, *key = decode_keyset_cursor(ctx.query["cursor"], ORDER, "cursor")
        if direction == "before":  # older: past the key
            start = next((i for i, k in enumerate(keys) if k < tuple(key)), len(keys))
            end = min(len(keys), start + limit)
        else:  # newer: up to the key
            end = next((i for i, k in enumerate(keys) if k <= tuple(key)), len(keys))
            start = max(0, end - limit)
    page = newest_first[start:end]
    older = encode_keyset_cursor(ORDER, ("before", *keys[end - 1])) if page and end < len(keys) else None
    newer = encode_keyset_cursor(ORDER, ("after", *keys[start])) if page and start > 0 else None
    link = lambda cursor: page_url(ctx.base, ctx.path, {"cursor": cursor, "limit": limit}) if cursor else None  # noqa: E731
    return {
        "trigger_revisions": page,
        "before_cursor": older,
        "after_cursor": newer,
        "before_url": link(older),
        "after_url": link(newer),
        "count": len(page),
    }
