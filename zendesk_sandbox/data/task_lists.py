"""Task lists attached to tickets (one at most per ticket, made from a task list template): about one ticket in
seven carries one, created with the ticket's first audit and updated with its last."""

from __future__ import annotations

from .assets import ulid
from .timeline import iso

K_TASK_LIST, K_TEMPLATE = 5, 6
TEMPLATES = [
    ("Onboarding checklist", "Complete HR, IT, and payroll setup for new employees.", 4),
    ("Hardware return", "Collect, wipe and restock the equipment of a leaving employee.", 3),
]


def has_task_list(shape) -> bool:
    return shape.n_audits % 7 == 3


def task_lists(account, ticket_id: int) -> list[dict]:
    tickets = account.tickets
    if ticket_id > tickets.count or not has_task_list(tickets.shape(ticket_id)):
        return []
    name, description, tasks = TEMPLATES[ticket_id % len(TEMPLATES)]
    times = tickets.base_audit_times(ticket_id)
    return [
        {
            "id": ulid(K_TASK_LIST, ticket_id),
            "ticket_id": str(ticket_id),
            "name": name,
            "description": description,
            "task_count": tasks,
            "task_list_template_id": ulid(K_TEMPLATE, ticket_id % len(TEMPLATES) + 1),
            "created_at": iso(times[0]),
            "updated_at": iso(times[-1]),
        }
    ]
