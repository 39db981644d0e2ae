"""Support handlers for the account's configuration objects: fields, forms, rules, views, schedules, audit logs
and the other short lists kept in data/config_objects.py."""

from __future__ import annotations

from datetime import datetime
from typing import Callable, cast

from ..foundation import errors
from ..paging.endpoint import Ctx, includes
from ..paging.support import Sorted, cursor_pages, offset_pages, wants_cursor
from .search import parse_time


def static(records_of: Callable, key_of=lambda record: (record["id"],), order: str = "id"):
    """Items of a fixed list of the account, e.g. `static(lambda account: account.config.brands)`."""
    return lambda ctx: Sorted.of_records(records_of(ctx.account), key_of, order)


def config_list(name: str, key_of=lambda record: (record["id"],), order: str = "id"):
    """Items of the configuration list `account.config.<name>`."""
    return static(lambda account: getattr(account.config, name), key_of, order)


def newest_first(record: dict) -> tuple:
    """Sort key of lists Zendesk gives newest first (ISO times compare as their instants)."""
    return (-int(datetime.fromisoformat(record["created_at"].replace("Z", "+00:00")).timestamp()), record["id"])


def by_position(name: str):
    """Items of `account.config.<name>` in (position, id) order."""
    return config_list(name, lambda record: (record["position"], record["id"]), "position,id")


def config_records(name: str) -> Callable:
    return lambda account: getattr(account.config, name)


def rule_items(kind: str, key_of, order: str):
    """Macros, triggers or automations, with the fields Zendesk sends only when `include=` names them."""

    def items(ctx: Ctx) -> Sorted:
        config = ctx.account.config
        wanted = [name for name in config.RULE_SIDELOADS[kind] if name in includes(ctx)]
        rules = [
            {**rule, **{name: config.rule_sideload(rule, name) for name in wanted}} for rule in getattr(config, kind)
        ]
        return Sorted.of_records(rules, key_of, order)

    return items


def show(key: str, records_of: Callable, id_name: str):
    """One record of a short list, by the id in the path."""

    def handle(ctx: Ctx) -> dict:
        for record in records_of(ctx.account):
            if str(record["id"]) == ctx.params[id_name]:
                return {key: record}
        raise errors.record_not_found()

    return handle


def schedule_holidays(ctx: Ctx) -> dict:
    try:
        schedule_id = int(ctx.params["schedule_id"])
    except ValueError:
        raise errors.record_not_found() from None
    holidays = ctx.account.config.holidays.get(schedule_id)
    if holidays is None:
        raise errors.record_not_found()
    return {"holidays": holidays}


def routing_definitions(ctx: Ctx) -> dict:
    return {"definitions": ctx.account.config.routing_definitions}


def audit_logs(ctx: Ctx) -> dict:
    logs = ctx.account.config.audit_logs
    bounds = ctx.query.getall("filter[created_at][]", [])
    if len(bounds) == 2:
        low, high = parse_time(bounds[0]), parse_time(bounds[1])
        # an unparsable bound (None) fails here with a TypeError, as it always has
        logs = [log for log in logs if low <= parse_time(log["created_at"]) <= high]  # type: ignore[operator]
    for name in ("source_type", "action", "actor_id"):
        wanted = ctx.query.get(f"filter[{name}]")
        if wanted:
            logs = [log for log in logs if str(log[name]) == wanted]
    if ctx.query.get("sort") == "created_at":
        items = Sorted.of_records(logs, lambda log: (log["created_at"], log["id"]), "created_at,id")
    else:
        items = Sorted.of_records(
            logs, lambda log: (-cast(int, parse_time(log["created_at"])), -log["id"]), "-created_at,-id"
        )
    if wants_cursor(ctx.query):
        return cursor_pages(items, "audit_logs", ctx.query, ctx.base, ctx.path)
    return offset_pages(items, "audit_logs", ctx.query, ctx.base, ctx.path)


def macro_categories(ctx: Ctx) -> dict:
    """The categories of the account's macros: the part of a title before "::", each once."""
    titles = [macro["title"] for macro in ctx.account.config.macros]
    return {"categories": sorted({title.split("::", 1)[0] for title in titles if "::" in title})}
