"""End to end through main.py: the IVR menus and routes (read from the IVR list, no request of their own) and
Chat's agent timeline (an export paged by microseconds) against the sandbox's own data."""

from __future__ import annotations

from typing import Any, Dict

import pytest
import requests

from conftest import running_sandbox
from sync_runner import configured_catalog, discovered_catalog, read_killed_after_states, run_connector, sandbox_api

pytestmark = [pytest.mark.e2e, pytest.mark.process]

TIMELINE = "chat_agent_timeline"


@pytest.fixture(scope="module")
def sandbox():
    # 25,000 tickets give the timeline 2,500 entries: three export pages of 1,000.
    with running_sandbox(
        "--seed", "21", "--tickets", "25000", "--plan", "enterprise", "--rate-limit", "0", "--export-rate-limit", "0"
    ) as info:
        info["streams"] = discovered_catalog(info["config"])
        yield info


def timeline_key(entry: Dict[str, Any]) -> tuple:
    return entry["agent_id"], entry["start_time"]


def test_ivr_menus_and_routes_equal_what_the_ivr_list_holds_and_cost_no_request_of_their_own(sandbox):
    catalog = configured_catalog(sandbox["streams"], ["ivrs", "ivr_menus", "ivr_routes"], incremental=False)
    ivrs = sandbox_api(sandbox, "/api/v2/channels/voice/ivr")["ivrs"]
    requests.post(f"{sandbox['url']}/_sandbox/stats/reset", json={}, timeout=30).raise_for_status()
    output = run_connector("read", sandbox["config"], catalog)
    assert output.returncode == 0, output.stderr[-3000:]
    menus = {(menu["id"], ivr["id"]) for ivr in ivrs for menu in ivr["menus"]}
    routes = {(route["id"], menu["id"], ivr["id"]) for ivr in ivrs for menu in ivr["menus"] for route in menu["routes"]}
    assert menus and routes
    assert {(m["id"], m["ivr_id"]) for m in output.records["ivr_menus"]} == menus
    assert {(r["id"], r["ivr_menu_id"], r["ivr_id"]) for r in output.records["ivr_routes"]} == routes
    assert all("routes" not in menu for menu in output.records["ivr_menus"])
    asked = requests.get(f"{sandbox['url']}/_sandbox/stats", timeout=30).json()["paths"]
    assert asked["/api/v2/channels/voice/ivr"] == {"200": 1}, asked  # one page, shared by the three streams


def test_agent_timeline_reads_every_entry_once_and_a_resync_reads_only_what_came_after(sandbox):
    catalog = configured_catalog(sandbox["streams"], [TIMELINE])
    first = run_connector("read", sandbox["config"], catalog)
    assert first.returncode == 0, first.stderr[-3000:]
    records = first.records[TIMELINE]
    truth = requests.get(f"{sandbox['url']}/_sandbox/summary", timeout=30).json()["resources"]["agent_timeline"]
    assert (
        len(records)
        == len({timeline_key(r) for r in records})
        == truth["endpoints"]["/api/v2/chat/incremental/agent_timeline"]
    )
    assert len(records) > 2000
    saved = first.states[TIMELINE]["start_time"]
    second = run_connector("read", sandbox["config"], catalog, state=first.state_list())
    assert second.returncode == 0, second.stderr[-3000:]
    # The sandbox's clock moves on: entries may have become visible since, and only those are read.
    again = second.records.get(TIMELINE, [])
    assert len(again) < 10 and all(entry["start_time"] >= saved for entry in again), (saved, again, records[-3:])
    assert not {timeline_key(r) for r in again} & {timeline_key(r) for r in records}


def test_agent_timeline_killed_after_its_first_page_resumes_without_loss(sandbox, tmp_path):
    catalog = configured_catalog(sandbox["streams"], [TIMELINE])
    reference = {timeline_key(r) for r in run_connector("read", sandbox["config"], catalog).records[TIMELINE]}
    killed, _ = read_killed_after_states(sandbox["config"], catalog, None, 1, tmp_path)
    seen = {timeline_key(m["record"]["data"]) for m in killed if m["type"] == "RECORD"}
    saved = [m["state"] for m in killed if m["type"] == "STATE"][-1]
    assert 0 < len(seen) < len(reference)
    resumed = run_connector("read", sandbox["config"], catalog, state=[saved])
    assert resumed.returncode == 0, resumed.stderr[-3000:]
    again = {timeline_key(r) for r in resumed.records[TIMELINE]}
    assert seen | again == reference
    assert not seen & again  # the saved end_time is exact: nothing is read twice
