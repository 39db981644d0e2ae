"""Attachments on ticket comments (issue 7): the same attachments wherever a comment appears (per-ticket
comments, audits, comment_events of the ticket-event export), shaped like Zendesk's Attachment object, and
counted in /_sandbox/summary as `ticket_attachments`."""

import pytest

from sandbox_client import Client
from sandbox_fixture import running_sandbox

ARGS = ("--tickets", "250", "--seed", "11", "--rate-limit", "0", "--export-rate-limit", "100000", "--time-scale", "60")
KEYS = {
    "id",
    "file_name",
    "content_url",
    "mapped_content_url",
    "content_type",
    "size",
    "width",
    "height",
    "inline",
    "thumbnails",
    "url",
}


@pytest.fixture(scope="module")
def client():
    with running_sandbox(*ARGS) as info:
        yield Client(info)


@pytest.fixture(scope="module")
def summary(client):
    return client.summary()["resources"]["ticket_attachments"]


@pytest.fixture(scope="module")
def tickets(client):
    records, _ = client.walk_time_export("/api/v2/incremental/tickets", "tickets")
    return {t["id"]: t for t in records}


def per_ticket_attachments(client, tickets, path):
    """{comment id: attachments} over every ticket that answers 200 on the per-ticket path."""
    out = {}
    for i, t in tickets.items():
        if t["status"] == "deleted":
            client.get(path.format(i), expect=404)
            continue
        key = "comments" if path.endswith("comments") else "audits"
        for record in client.walk_cursor(path.format(i), key):
            comments = [record] if key == "comments" else [e for e in record["events"] if e["type"] == "Comment"]
            for c in comments:
                out[c["id"]] = c["attachments"]
    return out


def test_comments_and_audits_carry_the_same_attachments(client, tickets, summary):
    by_comments = per_ticket_attachments(client, tickets, "/api/v2/tickets/{}/comments")
    by_audits = per_ticket_attachments(client, tickets, "/api/v2/tickets/{}/audits")
    assert by_comments == by_audits
    n = sum(len(v) for v in by_comments.values())
    assert (
        n
        == summary["endpoints"]["/api/v2/tickets/{ticket_id}/comments"]
        == summary["endpoints"]["/api/v2/tickets/{ticket_id}/audits"]
    )
    assert 0 < n < summary["total"]  # some, and deleted tickets' attachments only in the export
    with_attachments = [c for c in by_comments.values() if c]
    assert len(with_attachments) < len(by_comments), "only some comments carry attachments"


def test_attachment_shape(client, tickets):
    seen = []
    for i in [i for i, t in tickets.items() if t["status"] != "deleted"][:80]:
        for c in client.json(f"/api/v2/tickets/{i}/comments")["comments"]:
            seen += c["attachments"]
    assert seen
    for a in seen:
        assert KEYS <= set(a)
        assert a["url"].endswith(f"/api/v2/attachments/{a['id']}.json")
        assert a["content_url"].startswith("https://") and a["file_name"] in a["content_url"]
        if a["content_type"].startswith("image/"):
            assert a["width"] and a["height"] and a["thumbnails"]
            assert {
                "id",
                "file_name",
                "content_url",
                "mapped_content_url",
                "content_type",
                "size",
                "width",
                "height",
                "url",
            } <= set(a["thumbnails"][0])
        else:
            assert a["width"] is None and a["height"] is None and a["thumbnails"] == []
    assert len({a["id"] for a in seen}) == len(seen)


def test_ticket_event_export_carries_them_in_comment_events(client, summary, tickets):
    events, _ = client.walk_time_export(
        "/api/v2/incremental/ticket_events", "ticket_events", {"include": "comment_events"}
    )
    distinct = {e["id"]: e for e in events}
    attachments = [
        a
        for e in distinct.values()
        for c in e["child_events"]
        if c["event_type"] == "Comment"
        for a in c["attachments"]
    ]
    assert len(attachments) == summary["endpoints"]["/api/v2/incremental/ticket_events"] == summary["total"]
    live = next(
        i
        for i, t in tickets.items()
        if t["status"] != "deleted"
        and any(c["attachments"] for c in client.json(f"/api/v2/tickets/{i}/comments")["comments"])
    )
    from_comments = {c["id"]: c["attachments"] for c in client.json(f"/api/v2/tickets/{live}/comments")["comments"]}
    from_events = {
        c["id"]: c["attachments"]
        for e in distinct.values()
        if e["ticket_id"] == live
        for c in e["child_events"]
        if c["event_type"] == "Comment"
    }
    assert from_events == from_comments


@pytest.mark.process
def test_mutated_tickets_keep_the_count_right():
    with running_sandbox(*ARGS) as info:
        c = Client(info)
        result = c.mutate({"tickets": {"update": 40, "delete": 5, "create": 3}})
        resources = c.summary()["resources"]
        want = resources["ticket_attachments"]["endpoints"]["/api/v2/tickets/{ticket_id}/comments"]
        got = answered = 0
        for i in range(1, resources["tickets"]["total"] + 1):  # every parent that answers 200
            r = c.get(f"/api/v2/tickets/{i}/comments", expect=None)
            if r.status_code == 404:
                continue
            answered += 1
            got += sum(len(x["attachments"]) for x in r.json()["comments"])
        assert answered == resources["tickets"]["total"] - resources["tickets"]["deleted"]
        assert set(result["tickets"]["create"]) <= set(range(1, resources["tickets"]["total"] + 1))
        assert got == want
