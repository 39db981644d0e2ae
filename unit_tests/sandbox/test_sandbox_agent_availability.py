"""The sandbox's agent availability API, written from Zendesk's documentation: JSON:API compound documents in cursor
pages only, the summary's counts, the filters, the default unified statuses, admins only, and the gate."""

from __future__ import annotations

import pytest

from sandbox_client import Client
from sandbox_fixture import running_sandbox

pytestmark = pytest.mark.process  # starts the sandbox

ARGS = ("--tickets", "3000", "--seed", "6", "--rate-limit", "0")
LIST = "/api/v2/agent_availabilities"
STATUSES = "/api/v2/agent_availabilities/agent_statuses"


@pytest.fixture(scope="module")
def client():
    with running_sandbox(*ARGS) as info:
        yield Client(info)


def walk(client, params):
    data, included, body = [], [], client.json(LIST, params=params)
    while True:
        assert set(body) == {"data", "included", "links", "meta"} and set(body["meta"]) == {"has_more"}
        data += body["data"]
        included += body["included"]
        if not body["meta"]["has_more"]:
            assert body["links"]["next"] is None
            return data, included
        body = client.json(body["links"]["next"])


def test_pages_walk_every_agent_once_with_the_resources_each_refers_to(client):
    data, included = walk(client, {"page[size]": 4})
    ids = [d["attributes"]["agent_id"] for d in data]
    assert len(ids) == len(set(ids)) == client.summary()["resources"]["agent_availabilities"]["total"] == 30
    assert all(d["id"] == f"agent_availabilities|{d['attributes']['agent_id']}" for d in data)
    present = {(r["type"], r["id"]) for r in included}
    for resource in data:
        for ref in resource["relationships"]["channels"]["data"]:
            assert (ref["type"], ref["id"]) in present
    for channel in (r for r in included if r["type"] == "channels"):
        refs = channel["relationships"]["work_items"]["data"]
        assert len(refs) == channel["attributes"]["work_item_count"] <= channel["attributes"]["max_capacity"]
        assert all((ref["type"], ref["id"]) in present for ref in refs)


def test_page_size_above_100_and_both_cursors_are_refused(client):
    client.get(LIST, params={"page[size]": 101}, expect=400)
    client.get(LIST, params={"page[after]": "x", "page[before]": "y"}, expect=400)


def test_filters_narrow_the_list(client):
    everyone, included = walk(client, {})
    online = [d for d in everyone if d["attributes"]["agent_status"]["id"] == 3]
    assert online and len(online) < len(everyone)
    by_status, _ = walk(client, {"filter[agent_status_id]": "3"})
    assert [d["id"] for d in by_status] == [d["id"] for d in online]
    on_talk = {
        c["id"].rsplit("|channels|", 1)[0]
        for c in included
        if c["id"].endswith("|talk") and c["attributes"]["status"] == "online"
    }
    by_channel, _ = walk(client, {"filter[channel_status]": "talk:online"})
    assert {d["id"] for d in by_channel} == on_talk


def test_unified_statuses_hold_the_four_defaults_and_the_custom_ones(client):
    body = client.json(STATUSES)
    assert [s["id"] for s in body["default"]] == [2, 3, 4, 5]
    assert [s["attributes"]["name"] for s in body["default"]] == ["offline", "online", "away", "transfers_only"]
    assert body["custom"] and all("channels" in s["attributes"] and "updated_at" in s for s in body["custom"])
    assert body["meta"] == {"has_more": False}
    total = client.summary()["resources"]["unified_agent_statuses"]["total"]
    assert total == len(body["default"]) + len(body["custom"])


def test_agents_are_refused_as_on_an_admin_only_page(client):
    agent = Client(client.info, scheme="agent")
    for path in (LIST, STATUSES):
        agent.get(path, expect=403)


def test_without_omnichannel_routing_both_paths_answer_403():
    with running_sandbox(*ARGS, "--without", "omnichannel_routing") as info:
        gated = Client(info)
        for path in (LIST, STATUSES):
            gated.get(path, expect=403)
