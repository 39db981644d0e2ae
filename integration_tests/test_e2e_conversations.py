"""End to end through main.py: the conversation log (asked only for messaging tickets) and the side conversations'
events and recipients (from the side conversations' own pages), against the sandbox's own data."""

from __future__ import annotations

import time
from collections import Counter

import pytest
import requests

from conftest import running_sandbox
from sync_runner import configured_catalog, discovered_catalog, distinct, read_through_kills, run_connector, sandbox_api

pytestmark = [pytest.mark.e2e, pytest.mark.process]

STREAMS = ["conversation_log", "side_conversations", "side_conversation_events", "side_conversation_recipients"]


@pytest.fixture(scope="module")
def sandbox():
    with running_sandbox(
        "--seed",
        "23",
        "--tickets",
        "300",
        "--plan",
        "enterprise",
        "--rate-limit",
        "0",
        "--export-rate-limit",
        "0",
        "--holdback",
        "2",
    ) as info:
        info["streams"] = discovered_catalog(info["config"])
        yield info


def every_ticket(sandbox):
    tickets, params = [], {"start_time": 0, "support_type_scope": "all"}
    url = "/api/v2/incremental/tickets/cursor"
    while True:
        body = sandbox_api(sandbox, url, params)
        tickets += body["tickets"]
        if body["end_of_stream"]:
            return tickets
        url, params = (
            "/api/v2/incremental/tickets/cursor",
            {"cursor": body["after_cursor"], "support_type_scope": "all"},
        )


def test_the_conversation_log_is_read_for_messaging_tickets_only_and_equals_the_sandbox(sandbox):
    requests.post(f"{sandbox['url']}/_sandbox/stats/reset", json={}, timeout=30).raise_for_status()
    output = run_connector("read", sandbox["config"], configured_catalog(sandbox["streams"], ["conversation_log"]))
    assert output.returncode == 0, output.stderr[-3000:]
    asked = requests.get(f"{sandbox['url']}/_sandbox/stats", timeout=30).json()["paths"]
    messaging = {t["id"] for t in every_ticket(sandbox) if t["from_messaging_channel"] and t["status"] != "deleted"}
    assert len(messaging) > 50  # about a third of the account
    records = output.records["conversation_log"]
    assert {r["ticket_id"] for r in records} == messaging
    expected = {
        (tid, e["id"])
        for tid in messaging
        for e in sandbox_api(sandbox, f"/api/v2/tickets/{tid}/conversation_log", {"page[size]": 100})["events"]
    }
    assert {(r["ticket_id"], r["id"]) for r in records} == expected
    # One page per messaging ticket (a log fits one page of 100 here), none for any other ticket.
    assert asked["/api/v2/tickets/{ticket_id}/conversation_log"] == {"200": len(messaging)}, asked


def test_a_resync_reads_the_log_of_changed_messaging_tickets_only(sandbox):
    catalog = configured_catalog(sandbox["streams"], ["conversation_log"])
    first = run_connector("read", sandbox["config"], catalog)
    assert first.returncode == 0
    time.sleep(3)
    changed = requests.post(f"{sandbox['url']}/_sandbox/mutate", json={"tickets": {"update": 12}}, timeout=30).json()
    time.sleep(3)
    messaging = {t["id"] for t in every_ticket(sandbox) if t["from_messaging_channel"]}
    second = run_connector("read", sandbox["config"], catalog, state=first.state_list())
    assert second.returncode == 0, second.stderr[-3000:]
    visited = {r["ticket_id"] for r in second.records.get("conversation_log", [])}
    newest = max(r["created_at"] for r in first.records["conversation_log"])
    assert set(changed["tickets"]["update"]) & messaging <= visited
    # Beyond the changed ones, at most the tickets of the first read's last second (a cursor's boundary).
    assert len(visited - set(changed["tickets"]["update"])) <= 3, (visited, newest)


def test_side_conversation_events_and_recipients_match_the_sandbox_and_share_one_request_per_ticket(sandbox):
    requests.post(f"{sandbox['url']}/_sandbox/stats/reset", json={}, timeout=30).raise_for_status()
    names = ["side_conversations", "side_conversation_events", "side_conversation_recipients"]
    output = run_connector("read", sandbox["config"], configured_catalog(sandbox["streams"], names))
    assert output.returncode == 0, output.stderr[-3000:]
    side = requests.get(f"{sandbox['url']}/_sandbox/stats", timeout=30).json()["paths"][
        "/api/v2/tickets/{ticket_id}/side_conversations"
    ]
    conversations = output.records["side_conversations"]
    assert conversations
    events, recipients = output.records["side_conversation_events"], output.records["side_conversation_recipients"]
    per_conversation = Counter(e["side_conversation_id"] for e in events)
    assert set(per_conversation) == {c["id"] for c in conversations}
    for conversation in conversations[:5]:
        body = sandbox_api(
            sandbox, f"/api/v2/tickets/{conversation['ticket_id']}/side_conversations", {"include": "events"}
        )
        assert per_conversation[conversation["id"]] == len(body["events"])
    assert len(recipients) == 2 * len(conversations)
    assert all(r["recipient"] and r["side_conversation_id"] for r in recipients)
    summary = requests.get(f"{sandbox['url']}/_sandbox/summary", timeout=30).json()["resources"]
    assert len(events) == summary["side_conversation_events"]["total"]
    tickets = {t["id"] for t in every_ticket(sandbox) if t["status"] != "deleted"}
    # The three streams walk the same tickets; each ticket's page is fetched once for all three when they share it.
    assert sum(side.values()) <= 3 * len(tickets)


def test_a_read_killed_at_random_states_resumes_without_losing_a_log_entry_event_or_recipient(tmp_path):
    # Three pages of parent tickets, so that the children streams checkpoint between them and a kill lands mid-stream.
    args = ["--seed", "23", "--tickets", "2100", "--rate-limit", "0", "--export-rate-limit", "0", "--holdback", "2"]
    with running_sandbox(*args) as info:
        streams = discovered_catalog(info["config"])
        catalog = configured_catalog(streams, STREAMS)
        keys = {s["name"]: s.get("source_defined_primary_key") or [["id"]] for s in streams}
        reference = run_connector("read", info["config"], catalog)
        assert reference.returncode == 0, reference.stderr[-3000:]
        checkpoints = Counter(state["stream"]["stream_descriptor"]["name"] for state in reference.state_messages)
        assert all(checkpoints[name] > 1 for name in STREAMS), f"a stream never checkpoints mid-read: {checkpoints}"
        seen = read_through_kills(info["config"], catalog, keys, 23, tmp_path)
    for name in STREAMS:
        assert reference.records[name], name
        assert distinct(reference.records[name], keys[name]) <= seen[name], f"{name} lost records across kills"
