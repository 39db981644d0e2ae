"""AI-agent tickets: read-only messaging tickets, hidden from the ticket endpoints unless support_type_scope asks
for them (Zendesk's default is the human agents' tickets), and a 400 for a scope Zendesk does not know."""

import pytest

from sandbox_client import TICKET_SCOPED_PATHS, Client, distinct_ids
from sandbox_fixture import running_sandbox

pytestmark = pytest.mark.process  # starts the sandbox

ARGS = ("--tickets", "400", "--seed", "5", "--rate-limit", "0", "--export-rate-limit", "100000", "--time-scale", "60")
EXPORTS = [("/api/v2/incremental/tickets/cursor", "cursor"), ("/api/v2/incremental/tickets", "time")]


@pytest.fixture(scope="module")
def info():
    with running_sandbox(*ARGS) as info:
        yield info


@pytest.fixture(scope="module")
def every(info):
    """A client that asks for every ticket."""
    return Client(info, ticket_scope="all")


@pytest.fixture(scope="module")
def unaware(info):
    """A client that never sends support_type_scope, as one written before it existed."""
    return Client(info, ticket_scope=None)


def walk(client, path, kind, params=None):
    if kind == "cursor":
        return client.walk_cursor_export(path, "tickets", params)
    return client.walk_time_export(path, "tickets", params)[0]


def ai_ids(records):
    return {record["id"] for record in records if record["support_type"] == "ai_agent"}


def test_a_realistic_share_of_the_demo_account_is_handled_by_ai_agents(every):
    summary = every.summary()["resources"]["tickets"]
    assert 0.15 <= summary["ai_agent"] / summary["total"] <= 0.25
    tickets = every.walk_cursor_export("/api/v2/incremental/tickets/cursor", "tickets")
    assert len(ai_ids(tickets)) == summary["ai_agent"]


def test_ai_agent_tickets_look_as_zendesk_sends_them(every):
    tickets = every.walk_cursor_export(
        "/api/v2/incremental/tickets/cursor", "tickets", {"support_type_scope": "ai_agent"}
    )
    assert tickets and all(ticket["support_type"] == "ai_agent" for ticket in tickets)
    for ticket in tickets:
        assert ticket["via"]["channel"] == "native_messaging"
        assert ticket["from_messaging_channel"] is True
        assert ticket["assignee_id"] is None  # the AI agent holds the conversation, no human agent
    live = next(ticket for ticket in tickets if ticket["status"] not in ("deleted", "closed"))
    comments = every.json(f"/api/v2/tickets/{live['id']}/comments")["comments"]
    assert comments and {comment["via"]["channel"] for comment in comments} == {"native_messaging"}
    human = every.json("/api/v2/tickets", {"page[size]": 100, "support_type_scope": "agent"})["tickets"]
    assert human and all(t["support_type"] == "agent" for t in human)
    # Human agents' conversations come over messaging too (WhatsApp, Messenger, web messaging), flagged as such.
    messaging = {"native_messaging", "whatsapp", "messenger"}
    assert all(t["from_messaging_channel"] == (t["via"]["channel"] in messaging) for t in human)
    assert any(t["from_messaging_channel"] for t in human) and not all(t["from_messaging_channel"] for t in human)


@pytest.mark.parametrize("path,kind", EXPORTS)
def test_the_ticket_exports_hide_ai_agent_tickets_unless_asked(every, unaware, path, kind):
    everything = {t["id"]: t for t in walk(every, path, kind)}
    default = {t["id"] for t in walk(unaware, path, kind)}
    only_ai = {t["id"] for t in walk(unaware, path, kind, {"support_type_scope": "ai_agent"})}
    human = {t["id"] for t in walk(unaware, path, kind, {"support_type_scope": "agent"})}
    assert len(everything) == every.summary()["resources"]["tickets"]["endpoints"][path]
    assert only_ai == ai_ids(everything.values()) and only_ai
    assert default == human == set(everything) - only_ai


def test_ticket_events_of_ai_agent_tickets_are_hidden_unless_asked(every, unaware):
    ai = ai_ids(every.walk_cursor_export("/api/v2/incremental/tickets/cursor", "tickets"))
    path = "/api/v2/incremental/ticket_events"
    everything, _ = every.walk_time_export(path, "ticket_events")
    default, _ = unaware.walk_time_export(path, "ticket_events")
    only_ai, _ = unaware.walk_time_export(path, "ticket_events", {"support_type_scope": "ai_agent"})
    assert len(distinct_ids(everything)) == every.summary()["resources"]["ticket_events"]["endpoints"][path]
    assert {event["ticket_id"] for event in only_ai} == ai
    assert not {event["ticket_id"] for event in default} & ai
    assert len(distinct_ids(default)) + len(distinct_ids(only_ai)) == len(distinct_ids(everything))


def test_tickets_and_deleted_tickets_lists_hide_ai_agent_tickets_unless_asked(every, unaware):
    every.mutate({"tickets": {"delete": 40}})
    for path, key in (("/api/v2/tickets", "tickets"), ("/api/v2/deleted_tickets", "deleted_tickets")):
        everything = {t["id"] for t in every.walk_cursor(path, key)}
        default = {t["id"] for t in unaware.walk_cursor(path, key)}
        only_ai = {t["id"] for t in unaware.walk_cursor(path, key, {"support_type_scope": "ai_agent"})}
        assert only_ai and default, path
        assert default | only_ai == everything and not default & only_ai, path
        shown = {
            t["id"]: t for t in every.walk_cursor("/api/v2/tickets", "tickets", {"support_type_scope": "ai_agent"})
        }
        assert all(t["support_type"] == "ai_agent" for t in shown.values())
    assert (
        len({t["id"] for t in every.walk_cursor("/api/v2/deleted_tickets", "deleted_tickets")})
        == every.summary()["resources"]["deleted_tickets"]["endpoints"]["/api/v2/deleted_tickets"]
    )


@pytest.mark.parametrize("path", TICKET_SCOPED_PATHS)
@pytest.mark.parametrize("value", ["bots", "", "ALL"])
def test_an_unknown_scope_is_refused_like_zendesk_refuses_a_bad_value(unaware, path, value):
    params = {"support_type_scope": value, "start_time": 0}
    response = unaware.get(path, params, expect=400)
    body = response.json()
    assert body["error"] == "InvalidValue" and "support_type_scope" in body["description"]


def test_other_ticket_lists_show_ai_agent_tickets_whatever_the_scope(unaware):
    """Only the five endpoints Zendesk names take the scope: audits and metric events list every ticket's."""
    audits = unaware.walk_cursor("/api/v2/ticket_audits", "audits")
    every_ticket = Client(unaware.info).walk_cursor_export("/api/v2/incremental/tickets/cursor", "tickets")
    ai = ai_ids(every_ticket)
    assert {audit["ticket_id"] for audit in audits} & ai


def test_an_agent_taking_an_ai_agent_ticket_over_makes_it_an_ordinary_ticket(info):
    every, unaware = Client(info, ticket_scope="all"), Client(info, ticket_scope=None)
    before = every.summary()["resources"]["tickets"]["ai_agent"]
    ai_before = ai_ids(every.walk_cursor("/api/v2/tickets", "tickets"))
    updated = set(every.mutate({"tickets": {"update": 60}})["tickets"]["update"])
    taken_over = updated & ai_before
    assert taken_over
    listed = {t["id"]: t for t in every.walk_cursor("/api/v2/tickets", "tickets")}
    for ticket_id in taken_over:
        ticket = listed[ticket_id]
        assert ticket["support_type"] == "agent" and ticket["via"]["channel"] == "native_messaging"
        assert ticket["from_messaging_channel"] is True
    assert taken_over <= {t["id"] for t in unaware.walk_cursor("/api/v2/tickets", "tickets")}
    assert not taken_over & {
        t["id"] for t in unaware.walk_cursor("/api/v2/tickets", "tickets", {"support_type_scope": "ai_agent"})
    }
    assert every.summary()["resources"]["tickets"]["ai_agent"] == before - len(taken_over)
