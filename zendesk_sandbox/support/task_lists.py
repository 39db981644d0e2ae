"""GET /tickets/{ticket_id}/task_lists: the ticket's task list, offset-paged (one page: a ticket has one at most)."""

from __future__ import annotations

from ..data.task_lists import has_task_list, task_lists
from ..paging.endpoint import Ctx
from .ground_truth import _tickets_not_deleted
from .tickets import ticket_index


def ticket_task_lists(ctx: Ctx) -> dict:
    found = task_lists(ctx.account, ticket_index(ctx))
    return {"task_lists": found, "count": len(found), "next_page": None, "previous_page": None}


def task_lists_listed(account) -> int:
    """Ground truth: the task lists of the tickets not deleted."""
    return _tickets_not_deleted(
        account, lambda shape: int(has_task_list(shape)), lambda ticket_id: len(task_lists(account, ticket_id))
    )
