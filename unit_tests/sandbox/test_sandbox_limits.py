"""Pagination limits and the incremental-export quirks: page caps, bad cursors, deep offsets, duplicates at the
1000 cap, same-second page extension, too-recent start_time."""

import time

import pytest

from sandbox_client import Client
from sandbox_fixture import running_sandbox

pytestmark = pytest.mark.process  # starts the sandbox or the entrypoint, or opens a socket


@pytest.fixture(scope="module")
def client():
    with running_sandbox(
        "--tickets", "3000", "--seed", "2", "--rate-limit", "0", "--export-rate-limit", "100000"
    ) as info:
        yield Client(info)


def test_cursor_page_size_cap(client):
    r = client.get("/api/v2/tickets", {"page[size]": 101}, expect=400)
    assert r.json() == {"error": "InvalidPaginationParameter", "description": "page[size] cannot be greater than 100"}


def test_bad_cursor(client):
    r = client.get("/api/v2/tickets", {"page[size]": 10, "page[after]": "garbage"}, expect=400)
    assert r.json() == {"error": "InvalidPaginationParameter", "description": "page[after] is not valid"}
    # a real cursor of another sort order is refused too
    other = client.json("/api/v2/tickets", {"page[size]": 2, "sort": "updated_at"})["meta"]["after_cursor"]
    client.get("/api/v2/tickets", {"page[size]": 2, "page[after]": other}, expect=400)
    both = {"page[size]": 2, "page[after]": other, "page[before]": other, "sort": "updated_at"}
    client.get("/api/v2/tickets", both, expect=400)


def test_empty_cursor_page_has_null_cursors(client):
    body = client.json("/api/v2/suspended_tickets", {"page[size]": 100})
    last = client.json("/api/v2/suspended_tickets", {"page[size]": 100, "page[after]": body["meta"]["after_cursor"]})
    assert last["suspended_tickets"] == []
    assert last["meta"] == {"has_more": False, "after_cursor": None, "before_cursor": None}
    assert last["links"] == {"prev": None, "next": None}


def test_deep_offset_pages_are_refused(client):
    client.get("/api/v2/users", {"page": 100, "per_page": 100})
    for params in ({"page": 101, "per_page": 10}, {"page": 101, "per_page": 100}):
        r = client.get("/api/v2/users", params, expect=400)
        assert r.json()["errors"][0]["code"] == "InvalidPaginationDepth"


def test_sorted_cursor_pages(client):
    records = client.walk_cursor("/api/v2/tickets", "tickets", {"sort": "-updated_at"})
    stamps = [(t["updated_at"], t["id"]) for t in records]
    assert stamps == sorted(stamps, reverse=True)


def test_time_export_duplicates_at_the_1000_cap(client):
    _records, pages = client.walk_time_export("/api/v2/incremental/tickets", "tickets")
    capped = 0
    for page, following in zip(pages, pages[1:]):
        assert page["count"] <= 1000
        if page["count"] == 1000 and set(page["ids"]) & set(following["ids"]):
            capped += 1  # end_time = last second, so the next page re-reads it
    assert capped >= 1


def test_time_export_extends_pages_to_finish_a_second(client):
    body = client.json("/api/v2/incremental/tickets", {"start_time": 0, "per_page": 1})
    stamps = {t["generated_timestamp"] for t in body["tickets"]}
    assert len(stamps) == 1 and body["count"] == len(body["tickets"]) > 1
    assert body["end_time"] == stamps.pop() + 1
    assert "per_page=1" in body["next_page"] and f"start_time={body['end_time']}" in body["next_page"]


def test_cursor_export_splits_inside_a_second(client):
    body = client.json("/api/v2/incremental/tickets/cursor", {"start_time": 0, "per_page": 1})
    assert len(body["tickets"]) == 1 and body["before_cursor"] is None and body["end_of_stream"] is False
    nxt = client.json(body["after_url"])
    assert nxt["tickets"][0]["generated_timestamp"] == body["tickets"][0]["generated_timestamp"]
    assert nxt["tickets"][0]["id"] != body["tickets"][0]["id"]


def test_start_time_rules(client):
    now = int(time.time())
    for start in (now, now + 3600, now - 30):
        r = client.get("/api/v2/incremental/tickets", {"start_time": start}, expect=400)
        assert r.json() == {
            "error": "StartTimeTooRecent",
            "description": "Too recent start_time. Use a start_time older than 1 minute.",
        }
    r = client.get("/api/v2/incremental/tickets", expect=400)
    assert r.json()["error"] == "InvalidValue"
    body = client.json("/api/v2/incremental/tickets", {"start_time": now - 300})
    assert body["end_of_stream"] is True and body["count"] == 0 and body["next_page"]


def test_end_of_stream_page_keeps_a_cursor(client):
    records = client.walk_cursor_export("/api/v2/incremental/users/cursor", "users")
    body = client.json("/api/v2/incremental/users/cursor", {"start_time": 0, "per_page": 1000})
    while not body["end_of_stream"]:
        body = client.json(body["after_url"])
    assert body["after_cursor"] and body["after_url"]
    again = client.json(body["after_url"])
    assert again["users"] == [] and again["end_of_stream"] is True
    assert records


def test_search_limits(client):
    client.get("/api/v2/search", {"query": "type:ticket", "page": 10, "per_page": 100})
    r = client.get("/api/v2/search", {"query": "type:ticket", "page": 11, "per_page": 100}, expect=422)
    assert r.json()["error"] == "invalid"
    client.get("/api/v2/search/export", {"query": "x"}, expect=400)
    client.get("/api/v2/search/export", {"filter[type]": "ticket", "page[size]": 1001}, expect=400)
    n = client.json("/api/v2/search/count", {"query": "type:ticket"})["count"]
    assert n == client.summary()["resources"]["tickets"]["endpoints"]["/api/v2/search/export"]


def test_search_export_time_filters_are_exact(client):
    records = client.walk_cursor("/api/v2/tickets", "tickets")
    pivot = sorted(t["updated_at"] for t in records)[len(records) // 2]
    found = []
    url, params = "/api/v2/search/export", {"filter[type]": "ticket", "page[size]": 1000, "query": f"updated>={pivot}"}
    while True:
        body = client.json(url, params)
        found.extend(body["results"])
        if not body["meta"]["has_more"]:
            break
        url, params = body["links"]["next"], None
    assert found and all(t["updated_at"] >= pivot for t in found)
    created = [t["created_at"] for t in found]
    assert created == sorted(created, reverse=True)


def test_tickets_count(client):
    count = client.json("/api/v2/tickets/count")["count"]
    assert count["value"] == client.summary()["resources"]["tickets"]["live"]
    assert count["refreshed_at"].endswith("+00:00")


def test_time_export_orders_a_second_by_insertion_not_id(client):
    records, _ = client.walk_time_export("/api/v2/incremental/tickets", "tickets")
    by_second = {}
    for t in records:
        by_second.setdefault(t["generated_timestamp"], []).append(t["id"])
    groups = [ids for ids in by_second.values() if len(ids) > 2]
    assert any(ids != sorted(ids) for ids in groups)
    stamps = [t["generated_timestamp"] for t in records]
    assert stamps == sorted(stamps)


def test_exclude_deleted(client):
    for path, walk in (
        ("/api/v2/incremental/tickets", client.walk_time_export),
        ("/api/v2/incremental/tickets/cursor", client.walk_cursor_export),
    ):
        got = walk(path, "tickets", {"exclude_deleted": "true"})
        records = got[0] if isinstance(got, tuple) else got
        assert records and all(t["status"] != "deleted" for t in records)
        live_and_archived = client.summary()["resources"]["tickets"]
        assert len({t["id"] for t in records}) == live_and_archived["total"] - live_and_archived["deleted"]


@pytest.mark.parametrize("quirk", [False, True])
def test_trailing_empty_page_quirk(quirk):
    args = ["--tickets", "400", "--rate-limit", "0"] + (["--cbp-trailing-empty-page"] if quirk else [])
    with running_sandbox(*args) as info:
        c = Client(info)
        total = c.summary()["resources"]["ticket_activities"]["endpoints"]["/api/v2/activities"]
        assert 0 < total <= 100
        first = c.json("/api/v2/activities", {"page[size]": total})
        assert len(first["activities"]) == total and first["meta"]["has_more"] is quirk
        if quirk:
            last = c.json(first["links"]["next"])
            assert last["activities"] == [] and last["meta"]["has_more"] is False
