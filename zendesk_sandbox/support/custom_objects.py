"""Custom objects: definitions, fields, records (cursor pages only), their count, and the records' incremental
export (/incremental/custom_objects/{key}/cursor): start_time more than a minute ago, then cursor; pages of up to
1000; `meta.has_more` and a null `after_url` on the last page, whose `after_cursor` still resumes later."""

from __future__ import annotations

from typing import Callable, cast
from ..foundation import errors
from ..data.timeline import iso
from ..paging.endpoint import Ctx
from ..paging.support import (
    Sorted,
    cursor_export_page,
    cursor_pages,
    decode_export_cursor,
    encode_export_cursor,
    export_per_page,
    page_url,
    require_start_time,
)
from .search import parse_time

RECORDS_KEY = "custom_object_records"


def custom_object_not_found():
    return errors.ZendeskError(
        404, {"errors": [{"code": "CustomObjectNotFound", "status": "404", "title": "Custom object not found"}]}
    )


def invalid_cursor():
    return errors.ZendeskError(
        400, {"errors": [{"code": "InvalidCursor", "status": "400", "title": "cursor is invalid or expired"}]}
    )


def start_time_too_recent():
    """The custom object records export's own body for a start_time inside the last minute (or to come)."""
    return errors.ZendeskError(
        400,
        {
            "errors": [
                {"code": "StartTimeTooRecent", "status": "400", "title": "start_time must be more than 60 seconds ago"}
            ]
        },
    )


def _key(ctx: Ctx) -> str:
    key = ctx.params.get("custom_object_key", "")
    if key not in ctx.account.custom_objects.by_key:
        raise custom_object_not_found()
    return key


def list_objects(ctx: Ctx) -> dict:
    return {"custom_objects": ctx.account.custom_objects.definitions()}


def show_object(ctx: Ctx) -> dict:
    return {"custom_object": ctx.account.custom_objects.definition(_key(ctx))}


def field_items(ctx: Ctx) -> Sorted:
    return Sorted.of_records(
        ctx.account.custom_objects.fields(_key(ctx)), lambda field: (field["position"], field["id"]), "position,id"
    )


def list_records(ctx: Ctx) -> dict:
    key = _key(ctx)
    objects = ctx.account.custom_objects
    records = [objects.record(key, index) for index in objects.indexes(key) if objects.is_live(key, index)]
    sort = ctx.query.get("sort", "id")
    field = sort.lstrip("-")
    if field not in ("id", "updated_at"):
        raise errors.invalid_value("sort must be one of id, updated_at, -id, -updated_at")
    descending = sort.startswith("-")
    key_of: Callable[[dict], tuple]
    if field == "id":
        key_of = (lambda record: (_inverted(record["id"]),)) if descending else (lambda record: (record["id"],))
    else:
        key_of = (
            (lambda record: (-_epoch(record), _inverted(record["id"])))
            if descending
            else (lambda record: (_epoch(record), record["id"]))
        )
    return cursor_pages(Sorted.of_records(records, key_of, sort), RECORDS_KEY, ctx.query, ctx.base, ctx.path)


def _epoch(record: dict) -> int:
    return int(cast(int, parse_time(record["updated_at"])))  # a record's own ISO timestamp


def _inverted(text: str) -> str:
    """A string key that sorts the other way round (ids are fixed-length ULIDs)."""
    return "".join(chr(0x10FFFF - ord(char)) for char in text)


def count_records(ctx: Ctx) -> dict:
    key = _key(ctx)
    return {"count": {"value": ctx.account.custom_objects.live_count(key), "refreshed_at": iso(ctx.account.now())}}


def export_records(ctx: Ctx) -> dict:
    key = _key(ctx)
    objects = ctx.account.custom_objects
    if ctx.query.get("cursor"):
        try:
            after = decode_export_cursor(ctx.query["cursor"])
        except errors.ZendeskError:
            raise invalid_cursor() from None
    else:
        after = (require_start_time(ctx, too_recent=start_time_too_recent), 0)
    exclude_deleted = ctx.query.get("filter[exclude_deleted]") == "true"
    rows = (
        row for row in objects.export_rows(key, after) if not (exclude_deleted and not objects.is_live(key, row[1]))
    )
    page, last, end_of_stream = cursor_export_page(rows, after, export_per_page(ctx.query), ctx.account.export_cutoff())
    cursor = encode_export_cursor(*last)
    keep = {name: value for name, value in ctx.query.items() if name not in ("cursor", "start_time")}
    return {
        RECORDS_KEY: [objects.record(key, row[1], export=True) for row in page],
        "after_cursor": cursor,
        "before_cursor": None,
        "after_url": None if end_of_stream else page_url(ctx.base, ctx.path, {**keep, "cursor": cursor}),
        "before_url": None,
        "filter": {"exclude_deleted": exclude_deleted},
        "meta": {"has_more": not end_of_stream},
    }
