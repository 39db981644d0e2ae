"""Requests that clients written elsewhere send, answered as Zendesk answers them: lists Zendesk serves are served,
and attributes Zendesk leaves out are absent rather than null."""

from __future__ import annotations

import pytest
from sandbox_client import Client
from sandbox_fixture import running_sandbox

pytestmark = pytest.mark.process  # starts the sandbox


@pytest.fixture(scope="module")
def client():
    with running_sandbox("--tickets", "60", "--seed", "9", "--rate-limit", "0") as info:
        yield Client(info)


def test_job_statuses_is_a_plain_list_newest_first_in_offset_and_cursor_pages(client):
    body = client.json("/api/v2/job_statuses")
    jobs = body["job_statuses"]
    assert jobs and {"next_page", "previous_page", "count"} <= set(body)
    for job in jobs:
        assert isinstance(job["id"], str) and len(job["id"]) == 32
        assert job["status"] == "completed" and job["progress"] == job["total"] == len(job["results"])
        assert job["url"].endswith(f"/api/v2/job_statuses/{job['id']}")
    created = [job["created_at"] for job in jobs]
    assert created == sorted(created, reverse=True)
    walked = client.walk_cursor("/api/v2/job_statuses", "job_statuses", size=2)
    assert [job["id"] for job in walked] == [job["id"] for job in jobs]
    assert client.json("/api/v2/job_statuses.json")["job_statuses"] == jobs


@pytest.mark.parametrize(
    "path,key",
    [
        ("/api/v2/ticket_fields", "ticket_fields"),
        ("/api/v2/user_fields", "user_fields"),
        ("/api/v2/organization_fields", "organization_fields"),
    ],
)
def test_custom_field_options_are_sent_only_on_fields_that_have_options(client, path, key):
    fields = client.json(path)[key]
    with_options = [field for field in fields if field["type"] in ("tagger", "dropdown", "multiselect")]
    assert with_options
    for field in fields:
        if field in with_options:
            assert isinstance(field["custom_field_options"], list) and field["custom_field_options"]
        else:
            assert "custom_field_options" not in field, field["type"]


def test_the_conversation_log_holds_comments_and_for_messaging_tickets_their_messages(client):
    tickets = client.walk_cursor_export("/api/v2/incremental/tickets/cursor", "tickets", {"support_type_scope": "all"})
    live = [t for t in tickets if t["status"] != "deleted"]
    messaging = next(t for t in live if t["from_messaging_channel"])
    other = next(t for t in live if not t["from_messaging_channel"])
    log = client.walk_cursor(f"/api/v2/tickets/{messaging['id']}/conversation_log", "events", size=2)
    comments = client.json(f"/api/v2/tickets/{messaging['id']}/comments")["comments"]
    kinds = [event["type"] for event in log]
    assert kinds.count("Comment") == len(comments) == kinds.count("Messaging::ConversationMessage")
    assert [e["created_at"] for e in log] == sorted(e["created_at"] for e in log)
    assert all(
        {"id", "type", "reference", "created_at", "author", "content", "metadata", "attachments"} <= set(e) for e in log
    )
    plain = client.json(f"/api/v2/tickets/{other['id']}/conversation_log")["events"]
    assert plain and {event["type"] for event in plain} == {"Comment"}
