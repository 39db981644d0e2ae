"""End to end through main.py: every agent's current availability (a JSON:API list in cursor pages, channels and
work items from the compound document) and the unified agent statuses, against the sandbox's own data; an account
without omnichannel routing skips both with a warning and the sync succeeds."""

from __future__ import annotations

from typing import Any, Dict, List

import pytest
import requests

from conftest import running_sandbox
from sync_runner import configured_catalog, discovered_catalog, run_connector, sandbox_api

pytestmark = [pytest.mark.e2e, pytest.mark.process]

STREAMS = ["agent_availabilities", "unified_agent_statuses"]


@pytest.fixture(scope="module")
def sandbox():
    # 6,000 tickets give 60 agents: pages of 25 make the read follow links.next twice.
    with running_sandbox("--seed", "29", "--tickets", "6000", "--rate-limit", "0", "--export-rate-limit", "0") as info:
        info["streams"] = discovered_catalog(info["config"])
        yield info


def walk(sandbox: Dict[str, Any]) -> tuple[List[Dict[str, Any]], List[Dict[str, Any]]]:
    """The sandbox's own agent availabilities and included resources, page by page."""
    data, included = [], []
    body = sandbox_api(sandbox, "/api/v2/agent_availabilities", {"page[size]": 7})
    while True:
        data += body["data"]
        included += body["included"]
        if not body["meta"]["has_more"]:
            return data, included
        body = sandbox_api(sandbox, body["links"]["next"].split(sandbox["url"], 1)[1])


def test_every_agent_is_read_once_with_its_channels_and_work_items_as_the_sandbox_has_them(sandbox):
    config = {**sandbox["config"], "page_size": 25}
    catalog = configured_catalog(sandbox["streams"], STREAMS, incremental=False)
    requests.post(f"{sandbox['url']}/_sandbox/stats/reset", json={}, timeout=30).raise_for_status()
    output = run_connector("read", config, catalog)
    assert output.returncode == 0, output.stderr[-3000:]
    asked = requests.get(f"{sandbox['url']}/_sandbox/stats", timeout=30).json()["paths"]
    assert asked["/api/v2/agent_availabilities"] == {"200": 3}, asked  # 60 agents in pages of 25
    data, included = walk(sandbox)
    truth = requests.get(f"{sandbox['url']}/_sandbox/summary", timeout=30).json()["resources"]
    records = output.records["agent_availabilities"]
    assert [r["agent_id"] for r in records] == [d["attributes"]["agent_id"] for d in data]
    assert len(records) == truth["agent_availabilities"]["total"] == 60
    channels = {c["id"]: c for c in included if c["type"] == "channels"}
    work_items = {w["id"] for w in included if w["type"] == "work_items"}
    read_channels = {c["id"]: c for r in records for c in r["channels"]}
    assert read_channels.keys() == channels.keys()
    assert {w["id"] for c in read_channels.values() for w in c["work_items"]} == work_items and work_items
    assert all(c["work_item_count"] == len(c["work_items"]) for c in read_channels.values())
    by_agent = {d["attributes"]["agent_id"]: d["attributes"] for d in data}
    assert all(r["agent_status"] == by_agent[r["agent_id"]]["agent_status"] for r in records)

    statuses = sandbox_api(sandbox, "/api/v2/agent_availabilities/agent_statuses")
    read = output.records["unified_agent_statuses"]
    expected = [(s["id"], "default") for s in statuses["default"]] + [(s["id"], "custom") for s in statuses["custom"]]
    assert [(r["id"], r["kind"]) for r in read] == expected
    assert len(read) == truth["unified_agent_statuses"]["total"]
    assert {r["id"] for r in read if r["kind"] == "default"} == {2, 3, 4, 5}
    # every agent's status is one the account has
    assert {r["agent_status"]["id"] for r in records} <= {r["id"] for r in read}


def test_an_account_without_omnichannel_routing_skips_both_streams_and_the_sync_succeeds():
    without = ("--without", "omnichannel_routing")
    with running_sandbox("--seed", "29", "--tickets", "200", "--rate-limit", "0", *without) as info:
        catalog = configured_catalog(discovered_catalog(info["config"]), [*STREAMS, "groups"], incremental=False)
        output = run_connector("read", info["config"], catalog)
    assert output.returncode == 0, output.stderr[-3000:]
    assert output.records["groups"]
    for stream in STREAMS:
        assert not output.records.get(stream)
        assert output.statuses(stream)[-1] == "INCOMPLETE"
        assert any(f"Stream '{stream}' skipped" in line and "omnichannel routing" in line for line in output.logs())
