"""How many distinct records a full walk of each Support endpoint returns: the `count` of its row in the
table (tables/support.py), which /_sandbox/summary reports. Generated tickets repeat their shape every PERIOD ids,
so every count is a closed-form sum corrected for the few mutated tickets."""

from __future__ import annotations

from ..data import tickets as ticket_data
from ..data.periodic import PERIOD, Periodic
from .tickets import activity_count, request_ids


def _ticket_sum(tickets, per_shape_not_deleted: Periodic, low: int, high: int, actual, include) -> int:
    """Sum of a per-ticket quantity over generated ids low..high (shapes not deleted), corrected for mutated
    tickets: their generated value out, `actual(i)` in where `include(i)`."""
    total = per_shape_not_deleted.total(low, min(high, tickets.count))
    for ticket_id in tickets.changes:
        if low <= ticket_id <= tickets.count and not tickets.shape(ticket_id).deleted:
            total -= per_shape_not_deleted.values[ticket_id % PERIOD]
        if include(ticket_id):
            total += actual(ticket_id)
    return total


def _not_deleted_shapes(tickets, value_of_shape) -> Periodic:
    return Periodic([0 if shape.deleted else value_of_shape(shape) for shape in tickets.shapes])


def _comments_of(tickets, ticket_id: int) -> int:
    return sum(1 for spec in tickets.audits_spec(ticket_id) if spec[5] is not None)


def _audits_of(tickets, ticket_id: int) -> int:
    return len(tickets.audits_spec(ticket_id))


# ---- tickets ----------------------------------------------------------------------------------------------
def tickets_total(account) -> int:
    return account.tickets.next_id - 1


def tickets_deleted(account) -> int:
    tickets = account.tickets
    by_mutation = sum(1 for change in tickets.changes.values() if change.deleted_at is not None)
    return tickets.sum_deleted.total(1, tickets.count) + by_mutation


def tickets_archived(account) -> int:
    tickets = account.tickets
    first_unarchived = tickets.first_unarchived
    return (first_unarchived - 1) - tickets.sum_deleted.total(1, first_unarchived - 1)


def tickets_live(account) -> int:
    return tickets_total(account) - tickets_deleted(account) - tickets_archived(account)


def tickets_not_deleted(account) -> int:
    return tickets_total(account) - tickets_deleted(account)


def tickets_exported(account) -> int:
    """Tickets last changed before the hold-back (deleted ones too: the exports keep them)."""
    tickets = account.tickets
    cutoff = account.export_cutoff()
    first_out = tickets.timeline.first_at_or_after(cutoff, 1, tickets.count + ticket_data.LAG) - ticket_data.LAG - 1
    generated_in = max(0, min(tickets.count, first_out))
    return (
        generated_in
        - sum(1 for ticket_id in tickets.changes if ticket_id <= generated_in)
        + sum(1 for change in tickets.changes.values() if change.generated < cutoff)
    )


def deleted_tickets_listed(account) -> int:
    return account.tickets.recoverable_deleted_count()


def _every_ticket(account, generated: Periodic, value_of_shape, actual) -> int:
    """A per-ticket quantity summed over every ticket, deleted ones too: the generated sums corrected for the
    mutated tickets."""
    tickets = account.tickets
    return generated.total(1, tickets.count) + sum(
        actual(ticket_id) - (value_of_shape(tickets.shapes[ticket_id % PERIOD]) if ticket_id <= tickets.count else 0)
        for ticket_id in tickets.changes
    )


def _tickets_not_deleted(account, value_of_shape, actual) -> int:
    """A per-ticket quantity summed over the tickets not deleted (what per-ticket endpoints list)."""
    tickets = account.tickets
    return _ticket_sum(
        tickets,
        _not_deleted_shapes(tickets, value_of_shape),
        1,
        tickets.count,
        actual,
        lambda ticket_id: not tickets.is_deleted(ticket_id),
    )


def comments_total(account) -> int:
    tickets = account.tickets
    return _every_ticket(
        account,
        tickets.sum_comments,
        lambda shape: shape.n_comments,
        lambda ticket_id: _comments_of(tickets, ticket_id),
    )


def comments_listed(account) -> int:
    """/tickets/{ticket_id}/comments."""
    return _tickets_not_deleted(
        account, lambda shape: shape.n_comments, lambda ticket_id: _comments_of(account.tickets, ticket_id)
    )


def audits_total(account) -> int:
    tickets = account.tickets
    return _every_ticket(
        account, tickets.sum_audits, lambda shape: shape.n_audits, lambda ticket_id: _audits_of(tickets, ticket_id)
    )


def audits_listed(account) -> int:
    """Audits of live tickets (/ticket_audits leaves archived tickets out)."""
    tickets = account.tickets
    return _ticket_sum(
        tickets,
        _not_deleted_shapes(tickets, lambda shape: shape.n_audits),
        tickets.first_unarchived,
        tickets.count,
        lambda ticket_id: _audits_of(tickets, ticket_id),
        tickets.is_live,
    )


def audits_of_tickets_listed(account) -> int:
    """/tickets/{ticket_id}/audits."""
    return _tickets_not_deleted(
        account, lambda shape: shape.n_audits, lambda ticket_id: _audits_of(account.tickets, ticket_id)
    )


def events_exported(account) -> int:
    tickets = account.tickets
    cutoff = account.export_cutoff()
    return audits_total(account) - sum(
        1 for ticket_id in tickets.changes for spec in tickets.audits_spec(ticket_id) if spec[0] >= cutoff
    )


def metric_events_total(account) -> int:
    tickets = account.tickets
    return tickets.sum_metric_events.total(1, tickets.count) + sum(
        len(change.extra_metric_events) for change in tickets.changes.values()
    )


def metric_events_exported(account) -> int:
    cutoff = account.export_cutoff()
    return metric_events_total(account) - sum(
        1 for change in account.tickets.changes.values() for event in change.extra_metric_events if event[0] >= cutoff
    )


def satisfaction_ratings(account) -> int:
    tickets = account.tickets
    first_unarchived = tickets.first_unarchived
    return tickets.sum_csat_archived.total(1, first_unarchived - 1) + tickets.sum_csat_live.total(
        first_unarchived, tickets.count
    )


def side_conversations(account) -> int:
    tickets = account.tickets

    def has_one(ticket_id: int) -> int:
        return int(ticket_id <= tickets.count and tickets.shape(ticket_id).side_conversation)

    return _tickets_not_deleted(account, lambda shape: int(shape.side_conversation), has_one)


def side_conversation_events(account) -> int:
    """One create event and one reply per later audit of each side conversation."""
    tickets = account.tickets

    def events_of(ticket_id: int) -> int:
        shape = tickets.shape(ticket_id)
        return (shape.n_comments + 1) if ticket_id <= tickets.count and shape.side_conversation else 0

    return _tickets_not_deleted(account, lambda shape: int(shape.side_conversation) * (shape.n_comments + 1), events_of)


def conversation_log(account) -> int:
    """What the connector reads: the log of each messaging ticket not deleted, a message beside each comment."""
    tickets = account.tickets

    def events_of(ticket_id: int) -> int:
        return 2 * _comments_of(tickets, ticket_id) if tickets.from_messaging(ticket_id) else 0

    return _tickets_not_deleted(account, lambda shape: 2 * shape.n_comments if shape.messaging else 0, events_of)


def side_conversation_recipients(account) -> int:
    return 2 * side_conversations(account)  # the agent and the outside address


def skips(account) -> int:
    return account.tickets.sum_skips.total(1, account.tickets.count)


def activities(account) -> int:
    return activity_count(account)


def requests(account) -> int:
    return len(request_ids(account))


# ---- people -----------------------------------------------------------------------------------------------
def people_total(people) -> int:
    return people.next_index - 1


def people_deleted(people) -> int:
    return len(people.deleted_indexes())


def people_exported(account, people) -> int:
    cutoff = account.export_cutoff()
    return sum(1 for index in range(1, people.next_index) if people.export_ts(index) < cutoff)


def users_live(account) -> int:
    return people_total(account.users) - people_deleted(account.users)


def users_deleted(account) -> int:
    return people_deleted(account.users)


def users_exported(account) -> int:
    return people_exported(account, account.users)


def organizations_live(account) -> int:
    return people_total(account.organizations) - people_deleted(account.organizations)


def organizations_exported(account) -> int:
    return people_exported(account, account.organizations)


def identities_listed(account) -> int:
    """Identities of active users: each has its email, every third user a phone number too."""
    return sum(1 + (index % 3 == 0) for index in account.users.active_indexes())


def organization_memberships(account) -> int:
    users = account.users
    return sum(1 for index in users.active_indexes() if users.organization_index(index) is not None)


def live_groups(account) -> int:
    return sum(1 for group in account.config.groups if not group["deleted"])


# ---- configuration --------------------------------------------------------------------------------------
def config_count(name: str):
    """The records of the configuration list `account.config.<name>`."""
    return lambda account: len(getattr(account.config, name))


def one(account) -> int:
    """A single-record endpoint (account settings)."""
    return 1


def setup_count(name: str):
    """The records of the setup list `account.setup.<name>` (data/setup_lists.py)."""
    return lambda account: len(getattr(account.setup, name))


def macro_categories(account) -> int:
    return len({macro["title"].split("::", 1)[0] for macro in account.config.macros if "::" in macro["title"]})


def routing_definitions(account) -> int:
    """One record per definition, listed under conditions_all and conditions_any."""
    definitions = account.config.routing_definitions
    return len(definitions["conditions_all"]) + len(definitions["conditions_any"])


def holidays(account) -> int:
    return sum(len(schedule_holidays) for schedule_holidays in account.config.holidays.values())


def custom_objects(account) -> int:
    return len(account.custom_objects.by_key)


def custom_object_fields(account) -> int:
    return sum(len(objects.spec.fields) for objects in account.custom_objects.by_key.values())
