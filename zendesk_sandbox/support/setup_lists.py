"""Support handlers for the setup lists of data/setup_lists.py, and the one of them that pages its own way
(approval requests: `after_cursor`/`before_cursor` instead of `page[after]`/`page[before]`), and the trigger
categories' sort and rule counts."""

from __future__ import annotations

from typing import Callable

from ..foundation import errors
from ..paging.endpoint import Ctx, includes
from ..paging.support import Sorted, cursor_pages, listing, page_url
from .configuration import static


def setup_list(name: str, key_of=lambda record: (record["id"],), order: str = "id"):
    """Items of the setup list `account.setup.<name>`."""
    return static(lambda account: getattr(account.setup, name), key_of, order)


def setup_records(name: str) -> Callable:
    return lambda account: getattr(account.setup, name)


def approval_requests(ctx: Ctx) -> dict:
    """Cursor pages newest first, moved by `after_cursor`/`before_cursor`, filtered by status."""
    requests = ctx.account.setup.approval_requests
    wanted = {value for value in ctx.query.get("filter[status]", "").split(",") if value}
    if wanted:
        requests = [request for request in requests if request["status"] in wanted]
    items = Sorted.of_records(requests, lambda request: (_newest_first(request), request["id"]), "-created_at,id")
    query = {name: value for name, value in ctx.query.items() if name not in ("after_cursor", "before_cursor")}
    if ctx.query.get("after_cursor"):
        query["page[after]"] = ctx.query["after_cursor"]
    if ctx.query.get("before_cursor"):
        query["page[before]"] = ctx.query["before_cursor"]
    body = cursor_pages(items, "approval_requests", query, ctx.base, ctx.path)
    keep = {name: value for name, value in query.items() if not name.startswith("page[")}
    meta = body["meta"]
    body["links"] = {
        "next": page_url(ctx.base, ctx.path, {**keep, "after_cursor": meta["after_cursor"]})
        if meta["has_more"]
        else None,
        "prev": page_url(ctx.base, ctx.path, {**keep, "before_cursor": meta["before_cursor"]})
        if meta["before_cursor"] and (ctx.query.get("after_cursor") or ctx.query.get("before_cursor"))
        else None,
    }
    return body


def _newest_first(request: dict) -> str:
    """A key that sorts ISO times newest first: each digit replaced by its complement."""
    return request["created_at"].translate(_COMPLEMENT)


TRIGGER_CATEGORY_SORTS = {"position", "name", "created_at", "updated_at"}


def trigger_categories(ctx: Ctx) -> dict:
    """Cursor or offset pages in the order `sort` names (position by default, `-` for descending), with each
    category's active and inactive trigger counts under `include=rule_counts`."""
    sort = ctx.query.get("sort") or "position"
    field = sort.removeprefix("-")
    if field not in TRIGGER_CATEGORY_SORTS:
        raise errors.invalid_value(f"sort must be one of {', '.join(sorted(TRIGGER_CATEGORY_SORTS))}")
    categories = ctx.account.setup.trigger_categories
    if "rule_counts" in includes(ctx):
        triggers = ctx.account.config.triggers
        categories = [
            {
                **category,
                **{
                    name: sum(
                        1
                        for trigger in triggers
                        if trigger["category_id"] == category["id"] and trigger["active"] is active
                    )
                    for name, active in (("active_count", True), ("inactive_count", False))
                },
            }
            for category in categories
        ]
    ordered = sorted(categories, key=lambda category: (category[field], category["id"]), reverse=sort.startswith("-"))
    rank = {category["id"]: position for position, category in enumerate(ordered)}
    items = Sorted.of_records(ordered, lambda category: (rank[category["id"]],), f"{sort},id")
    return listing("trigger_categories", lambda _: items)(ctx)


_COMPLEMENT = str.maketrans("0123456789", "9876543210")


def template_tasks(ctx: Ctx) -> dict:
    """A template's steps in one offset page, as Zendesk lists them; an unknown template is not found."""
    setup = ctx.account.setup
    template = next((t for t in setup.task_list_templates if t["id"] == ctx.params["task_list_template_id"]), None)
    if template is None:
        raise errors.record_not_found()
    tasks = setup.template_tasks(template)
    return {"tasks": tasks, "count": len(tasks), "next_page": None, "previous_page": None}


def template_tasks_count(account) -> int:
    return sum(template["task_count"] for template in account.setup.task_list_templates)
