"""IT asset management handlers: assets and locations in cursor pages only (a request without page[size] gets
the first page), asset types, their fields and statuses whole in one response."""

from __future__ import annotations

from ..foundation import errors
from ..data.assets import it_assets
from ..paging.endpoint import Ctx
from ..paging.support import Sorted, cursor_pages


def cursor_list(key: str, records_of):
    def handle(ctx: Ctx) -> dict:
        records = records_of(it_assets(ctx.account))
        return cursor_pages(
            Sorted.of_records(records, lambda record: (record["id"],), "id"), key, ctx.query, ctx.base, ctx.path
        )

    return handle


def whole(key: str, records_of):
    return lambda ctx: {key: records_of(it_assets(ctx.account))}


def asset_fields(ctx: Ctx) -> dict:
    assets = it_assets(ctx.account)
    kind = assets.type_by_id(ctx.params["asset_type_id"])
    if kind is None:
        raise errors.record_not_found()
    return {"fields": assets.fields[kind["id"]]}


def count_of(records_of):
    return lambda account: len(records_of(it_assets(account)))


def fields_count(account) -> int:
    return sum(len(fields) for fields in it_assets(account).fields.values())
