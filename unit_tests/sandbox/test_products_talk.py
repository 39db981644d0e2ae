"""Talk: the call and leg exports walked until count == 0 (next_page is never null), the offset lists, the
single-object stats, relationships to tickets and agents, mutations, and the product gate."""

import time

import pytest

from sandbox_client import Client
from sandbox_fixture import running_sandbox

pytestmark = pytest.mark.process  # starts the sandbox or the entrypoint, or opens a socket

ARGS = ("--tickets", "4000", "--seed", "7", "--rate-limit", "0", "--export-rate-limit", "100000", "--time-scale", "60")
VOICE = "/api/v2/channels/voice"


@pytest.fixture(scope="module")
def client():
    with running_sandbox(*ARGS) as info:
        yield Client(info)


@pytest.fixture(scope="module")
def summary(client):
    return client.summary()["resources"]


def walk_talk_export(client, path, key, start_time=0):
    """Follow next_page until a page has count 0, as Zendesk documents for Talk."""
    records, pages, url, params = [], [], path, {"start_time": start_time}
    for _ in range(10000):
        body = client.json(url, params)
        assert set(body) == {key, "count", "end_time", "next_page"}
        assert body["next_page"], "Talk's next_page is never null"
        assert body["count"] == len(body[key])
        pages.append(body)
        if body["count"] == 0:
            return records, pages
        records.extend(body[key])
        url, params = body["next_page"], None
    raise AssertionError("talk export did not end")


@pytest.mark.parametrize(
    "path,key,resource",
    [
        (f"{VOICE}/stats/incremental/calls", "calls", "calls"),
        (f"{VOICE}/incremental/calls", "calls", "calls"),
        (f"{VOICE}/stats/incremental/legs", "legs", "legs"),
    ],
)
def test_exports_walk_until_count_is_zero(client, summary, path, key, resource):
    records, pages = walk_talk_export(client, path, key)
    assert len(pages) > 2, "more than one page of 1000"
    assert all(p["count"] <= 1000 for p in pages)
    assert len(records) == len({r["id"] for r in records}) == summary[resource]["endpoints"][path]
    stamps = [r["updated_at"] for r in records]
    assert stamps == sorted(stamps)
    last = pages[-1]
    assert last["count"] == 0 and f"start_time={last['end_time']}" in last["next_page"]
    again = client.json(last["next_page"])
    assert again["count"] == 0 and again["next_page"], "polling the end keeps answering an empty page"


def test_the_alias_serves_the_same_calls(client):
    a, _ = walk_talk_export(client, f"{VOICE}/stats/incremental/calls", "calls")
    b, _ = walk_talk_export(client, f"{VOICE}/incremental/calls", "calls")
    assert a == b


def test_a_mid_stream_start_time_resumes(client):
    records, pages = walk_talk_export(client, f"{VOICE}/stats/incremental/calls", "calls")
    middle = pages[0]["end_time"]
    rest, _ = walk_talk_export(client, f"{VOICE}/stats/incremental/calls", "calls", start_time=middle)
    assert rest and rest == records[len(records) - len(rest) :]


def test_calls_link_to_tickets_agents_and_legs(client):
    calls, _ = walk_talk_export(client, f"{VOICE}/stats/incremental/calls", "calls")
    legs, _ = walk_talk_export(client, f"{VOICE}/stats/incremental/legs", "legs")
    by_call = {}
    for leg in legs:
        by_call.setdefault(leg["call_id"], []).append(leg)
    assert set(by_call) == {c["id"] for c in calls}
    assert all(len(v) >= 2 and v[0]["type"] == "customer" for v in by_call.values())
    linked = [c for c in calls if c["ticket_id"]]
    assert len(linked) > len(calls) // 2
    for call in linked[:5]:
        client.get(f"/api/v2/tickets/{call['ticket_id']}")
    answered = [c for c in calls if c["agent_id"]]
    for call in answered[:5]:
        user = client.json(f"/api/v2/users/{call['agent_id']}")["user"]
        assert user["role"] in ("agent", "admin")
    for key in ("call_charge", "completion_status", "direction", "duration", "phone_number_id", "wrap_up_time"):
        assert key in calls[0]
    assert isinstance(calls[0]["call_charge"], str)


@pytest.mark.parametrize(
    "path,key,resource",
    [
        ("phone_numbers", "phone_numbers", "phone_numbers"),
        ("addresses", "addresses", "addresses"),
        ("greetings", "greetings", "greetings"),
        ("greeting_categories", "greeting_categories", "greeting_categories"),
        ("ivr", "ivrs", "ivrs"),
        ("lines", "lines", "lines"),
        ("stats/agents_activity", "agents_activity", "agents_activity"),
    ],
)
@pytest.mark.parametrize("per_page", [None, 2])
def test_offset_lists_walk_to_the_summary(client, summary, path, key, resource, per_page):
    records = client.walk_offset(f"{VOICE}/{path}", key, per_page=per_page or 100)
    assert len(records) == summary[resource]["endpoints"][f"{VOICE}/{path}"] > 0
    body = client.json(f"{VOICE}/{path}")
    assert {"next_page", "previous_page", "count"} <= set(body)


def test_ivrs_have_menus_with_routes(client):
    ivrs = client.json(f"{VOICE}/ivr")["ivrs"]
    assert ivrs and all(ivr["menus"] and all(m["routes"] for m in ivr["menus"]) for ivr in ivrs)


@pytest.mark.parametrize(
    "path,key",
    [
        ("stats/current_queue_activity", "current_queue_activity"),
        ("stats/account_overview", "account_overview"),
        ("stats/agents_overview", "agents_overview"),
        ("settings", "settings"),
    ],
)
def test_single_objects(client, summary, path, key):
    body = client.json(f"{VOICE}/{path}")
    assert list(body) == [key] and isinstance(body[key], dict) and body[key]


def test_mutations_add_and_move_calls():
    with running_sandbox(*ARGS, "--holdback", "0") as info:
        c = Client(info)
        before = c.summary()["resources"]
        result = c.mutate({"calls": {"create": 4, "update": 3}})
        time.sleep(1.1)  # the changed second is complete (hold-back 0)
        after = c.summary()["resources"]
        path = f"{VOICE}/stats/incremental/calls"
        assert after["calls"]["total"] == before["calls"]["total"] + 4
        records, _ = walk_talk_export(c, path, "calls")
        assert len({r["id"] for r in records}) == after["calls"]["endpoints"][path]
        tail = {r["id"] for r in records[-7:]}
        assert set(result["calls"]["create"]) | set(result["calls"]["update"]) == tail
        updated = [r for r in records if r["id"] in result["calls"]["update"]]
        assert all(r["created_at"] < "2026-11-01" < r["updated_at"] for r in updated), "an update keeps created_at"
        legs, _ = walk_talk_export(c, f"{VOICE}/stats/incremental/legs", "legs")
        assert len(legs) == after["legs"]["endpoints"][f"{VOICE}/stats/incremental/legs"]
        r = c.session.post(info["url"] + "/_sandbox/mutate", json={"calls": {"delete": 1}}, timeout=30)
        assert r.status_code == 400


def test_talk_off_answers_the_object_form_403():
    with running_sandbox(*ARGS, "--without", "talk") as info:
        c = Client(info)
        for path in (
            "stats/incremental/calls?start_time=0",
            "incremental/calls?start_time=0",
            "phone_numbers",
            "ivr",
            "stats/agents_overview",
            "settings",
        ):
            r = c.get(f"{VOICE}/{path}", expect=403)
            assert r.json() == {
                "error": {
                    "title": "Forbidden",
                    "message": "Access to this resource is restricted. "
                    "Please contact the account administrator for assistance.",
                }
            }
        resources = c.summary()["resources"]
        for name in ("calls", "legs", "phone_numbers", "talk_settings"):
            assert set(resources[name]["endpoints"].values()) == {0}, name
