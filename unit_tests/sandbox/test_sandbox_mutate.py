"""POST /_sandbox/mutate: changes land now, respect the export hold-back, and keep the summary true."""

import time

import pytest

from sandbox_client import Client, distinct_ids
from sandbox_fixture import running_sandbox

ARGS = (
    "--tickets",
    "200",
    "--seed",
    "5",
    "--rate-limit",
    "0",
    "--export-rate-limit",
    "100000",
    "--time-scale",
    "60",
)  # hold-back of 60 Zendesk-seconds = 1 real second
CHANGES = {
    "tickets": {"create": 5, "update": 10, "delete": 2, "touch": 3},
    "users": {"create": 2, "update": 3, "delete": 1},
    "organizations": {"update": 2, "delete": 1},
}


@pytest.fixture(scope="module")
def mutated():
    with running_sandbox(*ARGS) as info:
        client = Client(info)
        before_export = {t["id"]: t for t in client.walk_cursor_export("/api/v2/incremental/tickets/cursor", "tickets")}
        before = client.summary()
        result = client.mutate(CHANGES)
        held_back = client.walk_cursor_export("/api/v2/incremental/tickets/cursor", "tickets")
        time.sleep(2.2)  # one second of hold-back plus one of timestamp resolution
        yield client, before, before_export, result, held_back


def test_mutation_result_lists_affected_ids(mutated):
    _client, before, _be, result, _hb = mutated
    total = before["resources"]["tickets"]["total"]
    assert result["tickets"]["create"] == list(range(total + 1, total + 6))
    assert len(result["tickets"]["update"]) == 10 and len(result["tickets"]["delete"]) == 2
    assert len(result["users"]["create"]) == 2 and len(result["organizations"]["delete"]) == 1


@pytest.mark.process
def test_changes_are_held_back_then_exported(mutated):
    client, _before, before_export, result, held_back = mutated
    created = set(result["tickets"]["create"])
    assert not created & distinct_ids(held_back), "changes of the last minute are held back"
    records = client.walk_cursor_export("/api/v2/incremental/tickets/cursor", "tickets")
    by_id = {t["id"]: t for t in records}
    assert created <= set(by_id)
    summary = client.summary()
    assert len(by_id) == summary["resources"]["tickets"]["endpoints"]["/api/v2/incremental/tickets/cursor"]
    for i in result["tickets"]["delete"]:
        assert by_id[i]["status"] == "deleted"
    touched = [i for i in result["tickets"]["touch"] if i in before_export]  # may pick a ticket created just now
    assert touched
    for i in touched:
        assert by_id[i]["updated_at"] == before_export[i]["updated_at"]
        assert by_id[i]["generated_timestamp"] > before_export[i]["generated_timestamp"]
    for i in result["tickets"]["update"]:
        if i in before_export:
            assert by_id[i]["updated_at"] > before_export[i]["updated_at"]


@pytest.mark.process
def test_summary_follows_the_mutations(mutated):
    client, before, _be, result, _hb = mutated
    after = client.summary()["resources"]
    b = before["resources"]
    assert after["tickets"]["total"] == b["tickets"]["total"] + 5
    assert after["tickets"]["deleted"] == b["tickets"]["deleted"] + 2
    assert after["tickets"]["live"] == b["tickets"]["live"] + 5 - 2
    assert len(client.walk_cursor("/api/v2/tickets", "tickets")) == after["tickets"]["live"]
    deleted = client.walk_cursor("/api/v2/deleted_tickets", "deleted_tickets")
    assert set(result["tickets"]["delete"]) <= distinct_ids(deleted)
    assert after["users"]["total"] == b["users"]["total"] + 2
    assert after["users"]["deleted"] == b["users"]["deleted"] + 1
    users = client.walk_cursor_export("/api/v2/incremental/users/cursor", "users")
    assert len(users) == after["users"]["endpoints"]["/api/v2/incremental/users/cursor"]


@pytest.mark.process
def test_updates_add_audits_events_and_metric_events(mutated):
    client, before, _be, result, _hb = mutated
    after = client.summary()["resources"]
    events, _ = client.walk_time_export("/api/v2/incremental/ticket_events", "ticket_events")
    assert len(distinct_ids(events)) == after["ticket_events"]["endpoints"]["/api/v2/incremental/ticket_events"]
    assert after["ticket_events"]["total"] == before["resources"]["ticket_events"]["total"] + 10 + 5
    updated = set(result["tickets"]["update"])
    assert updated <= {e["ticket_id"] for e in events[-15:]}
    metric_events, _ = client.walk_time_export("/api/v2/incremental/ticket_metric_events", "ticket_metric_events")
    assert (
        len(distinct_ids(metric_events))
        == after["ticket_metric_events"]["endpoints"]["/api/v2/incremental/ticket_metric_events"]
    )


@pytest.mark.process
def test_mutations_are_deterministic():
    results = []
    for _ in range(2):
        with running_sandbox("--tickets", "80", "--seed", "9", "--rate-limit", "0") as info:
            results.append(Client(info).mutate({"tickets": {"update": 4, "delete": 1}, "users": {"update": 2}}))
    assert results[0] == results[1]


@pytest.mark.process
def test_bad_mutations_are_refused(mutated):
    import requests

    client = mutated[0]
    r = requests.post(client.url + "/_sandbox/mutate", json={"macros": {"create": 1}}, timeout=10)
    assert r.status_code == 400
    r = requests.post(client.url + "/_sandbox/mutate", json={"tickets": {"explode": 1}}, timeout=10)
    assert r.status_code == 400


@pytest.mark.process
@pytest.mark.parametrize("family", ["cursor", "time"])
def test_changes_during_a_walk_are_not_lost(family):
    with running_sandbox(*ARGS) as info:
        client = Client(info)
        path = "/api/v2/incremental/tickets/cursor" if family == "cursor" else "/api/v2/incremental/tickets"
        seen, url, params, pages, result = {}, path, {"start_time": 0, "per_page": 40}, 0, None
        while True:
            body = client.json(url, params)
            for t in body["tickets"]:
                seen.setdefault(t["id"], []).append(t)
            pages += 1
            if pages == 2:
                result = client.mutate({"tickets": {"update": 15, "create": 3, "delete": 2}})
                time.sleep(2.2)  # past the hold-back
            if body["end_of_stream"]:
                break
            url, params = (body["after_url"] if family == "cursor" else body["next_page"]), None
        summary = client.summary()["resources"]["tickets"]
        assert len(seen) == summary["total"], "every ticket, old and new, was read"
        for i in result["tickets"]["update"] + result["tickets"]["delete"]:
            assert seen[i][-1]["generated_timestamp"] >= seen[i][0]["generated_timestamp"]
        for i in result["tickets"]["delete"]:
            assert seen[i][-1]["status"] == "deleted"
