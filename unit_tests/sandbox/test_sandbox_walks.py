"""Walk every pagination family to the end and compare what came back with /_sandbox/summary."""

import time

import pytest

from sandbox_client import Client, distinct_ids
from sandbox_fixture import running_sandbox

pytestmark = pytest.mark.process  # starts the sandbox or the entrypoint, or opens a socket

ARGS = ("--tickets", "300", "--seed", "3", "--rate-limit", "0", "--export-rate-limit", "100000", "--time-scale", "60")


@pytest.fixture(scope="module")
def client():
    with running_sandbox(*ARGS) as info:
        yield Client(info)


@pytest.fixture(scope="module")
def summary(client):
    return client.summary()


def expected(summary, resource, path):
    return summary["resources"][resource]["endpoints"][path]


@pytest.mark.parametrize(
    "path,key,resource",
    [
        ("/api/v2/incremental/tickets", "tickets", "tickets"),
        ("/api/v2/incremental/users", "users", "users"),
        ("/api/v2/incremental/organizations", "organizations", "organizations"),
        ("/api/v2/incremental/ticket_events", "ticket_events", "ticket_events"),
        ("/api/v2/incremental/ticket_metric_events", "ticket_metric_events", "ticket_metric_events"),
    ],
)
@pytest.mark.parametrize("per_page", [None, 50])
def test_time_based_exports_return_every_record(client, summary, path, key, resource, per_page):
    records, pages = client.walk_time_export(path, key, {"per_page": per_page} if per_page else None)
    assert len(distinct_ids(records)) == expected(summary, resource, path)
    assert pages[-1]["end_of_stream"] is True
    assert all(p["next_page"] for p in pages), "next_page is always present"
    assert all(p["count"] == len(p["ids"]) for p in pages)


@pytest.mark.parametrize(
    "path,key,resource",
    [
        ("/api/v2/incremental/tickets/cursor", "tickets", "tickets"),
        ("/api/v2/incremental/users/cursor", "users", "users"),
    ],
)
def test_cursor_exports_return_every_record_once(client, summary, path, key, resource):
    records = client.walk_cursor_export(path, key, {"per_page": 37})
    assert len(records) == len(distinct_ids(records)) == expected(summary, resource, path)
    stamps = [(r.get("generated_timestamp") or r["updated_at"], r["id"]) for r in records]
    assert stamps == sorted(stamps)


def test_ticket_export_includes_archived_and_deleted(client, summary):
    records, _ = client.walk_time_export("/api/v2/incremental/tickets", "tickets")
    by_id = {r["id"]: r for r in records}
    t = summary["resources"]["tickets"]
    assert len(by_id) == t["total"]
    assert sum(1 for r in by_id.values() if r["status"] == "deleted") == t["deleted"]
    listed = distinct_ids(client.walk_cursor("/api/v2/tickets", "tickets"))
    assert len(listed) == t["live"] == t["total"] - t["deleted"] - t["archived"]
    archived = set(by_id) - listed - {i for i, r in by_id.items() if r["status"] == "deleted"}
    assert archived and all(by_id[i]["status"] == "closed" for i in archived)


def test_metric_events_cursor_mode(client, summary):
    path = "/api/v2/incremental/ticket_metric_events"
    records, url, params = [], path, {"start_time": 0, "page[size]": 100}
    while True:
        body = client.json(url, params)
        records.extend(body["ticket_metric_events"])
        if not body["meta"]["has_more"]:
            break
        url, params = body["links"]["next"], None
    assert len(records) == len(distinct_ids(records)) == expected(summary, "ticket_metric_events", path)
    times = [r["time"] for r in records]
    assert times == sorted(times)


LISTS = [  # path, list key, resource, supports cursor pagination
    ("/api/v2/tickets", "tickets", "tickets", True),
    ("/api/v2/users", "users", "users", True),
    ("/api/v2/organizations", "organizations", "organizations", True),
    ("/api/v2/groups", "groups", "groups", True),
    ("/api/v2/group_memberships", "group_memberships", "group_memberships", True),
    ("/api/v2/organization_memberships", "organization_memberships", "organization_memberships", True),
    ("/api/v2/ticket_audits", "audits", "ticket_audits", True),
    ("/api/v2/ticket_metrics", "ticket_metrics", "ticket_metrics", True),
    ("/api/v2/deleted_tickets", "deleted_tickets", "deleted_tickets", True),
    ("/api/v2/deleted_users", "deleted_users", "users", True),
    ("/api/v2/satisfaction_ratings", "satisfaction_ratings", "satisfaction_ratings", True),
    ("/api/v2/skips", "skips", "ticket_skips", True),
    ("/api/v2/activities", "activities", "ticket_activities", True),
    ("/api/v2/requests", "requests", "requests", True),
    ("/api/v2/ticket_fields", "ticket_fields", "ticket_fields", True),
    ("/api/v2/user_fields", "user_fields", "user_fields", True),
    ("/api/v2/organization_fields", "organization_fields", "organization_fields", True),
    ("/api/v2/ticket_forms", "ticket_forms", "ticket_forms", False),
    ("/api/v2/brands", "brands", "brands", True),
    ("/api/v2/tags", "tags", "tags", True),
    ("/api/v2/macros", "macros", "macros", True),
    ("/api/v2/triggers", "triggers", "triggers", True),
    ("/api/v2/automations", "automations", "automations", True),
    ("/api/v2/views", "views", "views", True),
    ("/api/v2/slas/policies", "sla_policies", "sla_policies", False),
    ("/api/v2/custom_roles", "custom_roles", "custom_roles", False),
    ("/api/v2/audit_logs", "audit_logs", "audit_logs", True),
    ("/api/v2/routing/attributes", "attributes", "account_attributes", False),
    ("/api/v2/suspended_tickets", "suspended_tickets", "suspended_tickets", True),
    ("/api/v2/targets", "targets", "targets", False),
    ("/api/v2/sharing_agreements", "sharing_agreements", "sharing_agreements", False),
    ("/api/v2/recipient_addresses", "recipient_addresses", "recipient_addresses", True),
    ("/api/v2/dynamic_content/items", "items", "dynamic_content", True),
]


@pytest.mark.parametrize("path,key,resource,cursor", LISTS, ids=[row[0] for row in LISTS])
def test_list_endpoints_walk_to_the_summary_count(client, summary, path, key, resource, cursor):
    want = expected(summary, resource, path)
    ident = "name" if key == "tags" else "id"
    offset = client.walk_offset(path, key, per_page=7)
    assert len(offset) == len(distinct_ids(offset, ident)) == want
    if cursor:
        records = client.walk_cursor(path, key, size=7)
        if path == "/api/v2/ticket_audits":  # without page[size]: the legacy cursor, newest first
            offset = offset[::-1]
        assert [r[ident] for r in records] == [r[ident] for r in offset], "both families give one order"


def test_ticket_audits_legacy_cursor_walks_newest_first(client, summary):
    records, url, params = [], "/api/v2/ticket_audits", {"limit": 50}
    while url:
        body = client.json(url, params)
        records.extend(body["audits"])
        url, params = body["before_url"], None
    assert len(records) == len(distinct_ids(records)) == expected(summary, "ticket_audits", "/api/v2/ticket_audits")
    stamps = [r["created_at"] for r in records]
    assert stamps == sorted(stamps, reverse=True)


def test_cursor_pages_go_backwards(client):
    first = client.json("/api/v2/users", {"page[size]": 5})
    second = client.json(first["links"]["next"])
    back = client.json(second["links"]["prev"])
    assert [u["id"] for u in back["users"]] == [u["id"] for u in first["users"]]


@pytest.mark.parametrize(
    "kind,resource", [("ticket", "tickets"), ("user", "users"), ("organization", "organizations"), ("group", "groups")]
)
def test_search_export_walks_every_live_record(client, summary, kind, resource):
    records, url, params = [], "/api/v2/search/export", {"filter[type]": kind, "page[size]": 1000, "query": ""}
    while True:
        body = client.json(url, params)
        records.extend(body["results"])
        if not body["meta"]["has_more"]:
            break
        url, params = body["links"]["next"], None
    assert len(distinct_ids(records)) == expected(summary, resource, "/api/v2/search/export")
    assert all(r["result_type"] == kind for r in records)


def test_per_ticket_children_sum_to_the_summary(client, summary):
    total = summary["resources"]["tickets"]["total"]
    comments = audits = sides = metrics = 0
    for i in range(1, total + 1):
        r = client.get(f"/api/v2/tickets/{i}/comments.json", expect=None)
        if r.status_code == 404:
            assert r.json() == {"error": "RecordNotFound", "description": "Not found"}
            continue
        comments += len(r.json()["comments"])
        audits += len(client.walk_cursor(f"/api/v2/tickets/{i}/audits", "audits"))
        sides += len(client.json(f"/api/v2/tickets/{i}/side_conversations")["side_conversations"])
        metrics += client.json(f"/api/v2/tickets/{i}/metrics")["ticket_metric"]["ticket_id"] == i
    assert comments == expected(summary, "ticket_comments", "/api/v2/tickets/{ticket_id}/comments")
    assert audits == expected(summary, "ticket_audits", "/api/v2/tickets/{ticket_id}/audits")
    assert sides == expected(summary, "side_conversations", "/api/v2/tickets/{ticket_id}/side_conversations")
    assert metrics == expected(summary, "ticket_metrics", "/api/v2/tickets/{ticket_id}/metrics")


def test_identities_and_holidays_sum_to_the_summary(client, summary):
    users = client.walk_cursor("/api/v2/users", "users")
    identities = sum(len(client.json(f"/api/v2/users/{u['id']}/identities")["identities"]) for u in users)
    assert identities == expected(summary, "user_identities", "/api/v2/users/{user_id}/identities")
    schedules = client.json("/api/v2/business_hours/schedules")["schedules"]
    holidays = sum(
        len(client.json(f"/api/v2/business_hours/schedules/{s['id']}/holidays")["holidays"]) for s in schedules
    )
    assert holidays == expected(summary, "schedule_holidays", "/api/v2/business_hours/schedules/{schedule_id}/holidays")
    assert len(schedules) == expected(summary, "schedules", "/api/v2/business_hours/schedules")


def test_sideloads(client):
    body = client.json(
        "/api/v2/incremental/tickets/cursor",
        {"start_time": 0, "per_page": 20, "include": "users,groups,organizations,metric_sets"},
    )
    users = {u["id"] for u in body["users"]}
    assert all(t["requester_id"] in users for t in body["tickets"])
    assert all(t["metric_set"]["ticket_id"] == t["id"] for t in body["tickets"])
    assert body["groups"] and "organizations" in body
    body = client.json("/api/v2/incremental/users", {"start_time": 0, "include": "identities"})
    assert {i["user_id"] for i in body["identities"]} <= {u["id"] for u in body["users"]}
    body = client.json("/api/v2/incremental/ticket_events", {"start_time": 0, "include": "comment_events"})
    comments = [c for e in body["ticket_events"] for c in e["child_events"] if c["event_type"] == "Comment"]
    assert comments and all("body" in c for c in comments)
    plain = client.json("/api/v2/incremental/ticket_events", {"start_time": 0})
    assert all("body" not in c for e in plain["ticket_events"] for c in e["child_events"])


def test_json_suffix_and_unknown_paths(client):
    assert client.json("/api/v2/groups.json") == client.json("/api/v2/groups")
    r = client.get("/api/v2/no_such_thing", expect=404)
    assert r.json() == {"error": "InvalidEndpoint", "description": "Not found"}
    r = client.get("/api/v2/tickets/99999999", expect=404)
    assert r.json() == {"error": "RecordNotFound", "description": "Not found"}
    body = client.json("/api/v2/tickets", {"page[size]": 2})
    assert body["links"]["next"].startswith(client.url + "/api/v2/tickets")


def test_attribute_definitions_count_each_condition(client, summary):
    definitions = client.json("/api/v2/routing/attributes/definitions")["definitions"]
    n = len(definitions["conditions_all"]) + len(definitions["conditions_any"])
    assert n == expected(summary, "attribute_definitions", "/api/v2/routing/attributes/definitions") > 0


@pytest.fixture(scope="module")
def changed_client():
    """Its own account: fresh deletions (the generated ones are purged) and updates spread over a few seconds."""
    with running_sandbox("--tickets", "2000", *ARGS[2:]) as info:
        client = Client(info)
        for _ in range(3):
            client.mutate({"tickets": {"delete": 5, "update": 60}})
            time.sleep(1.05)
        yield client


@pytest.mark.parametrize(
    "path,key,field",
    [("/api/v2/deleted_tickets", "deleted_tickets", "deleted_at"), ("/api/v2/requests", "requests", "updated_at")],
)
@pytest.mark.parametrize("order", ["asc", "desc"])
def test_time_sorted_lists_walk_every_record_in_that_order(changed_client, path, key, field, order):
    client = changed_client
    unsorted = client.walk_cursor(path, key, size=7)
    params = {"sort_by": field, "sort_order": order}
    for records in (client.walk_cursor(path, key, params, size=7), client.walk_offset(path, key, params, per_page=7)):
        assert sorted(r["id"] for r in records) == sorted(r["id"] for r in unsorted) and len(records) > 7
        stamps = [r[field] for r in records]
        assert stamps == sorted(stamps, reverse=order == "desc")
        assert len(set(stamps)) > 1
