"""End to end through main.py against the sandbox: a relative start_date resolved once and kept in the state
(the second sync reads only what changed), and search_queries presets (read, and an unknown name refused by
check and read as a config_error naming it)."""

from __future__ import annotations

import time
from datetime import datetime, timedelta, timezone

import pytest
import requests

from conftest import running_sandbox
from sync_runner import configured_catalog, discovered_catalog, run_connector

pytestmark = pytest.mark.e2e

RESOLVED = "resolved_start_date"
STREAMS = ["tickets", "organizations", "ticket_audits", "ticket_forms"]


@pytest.fixture(scope="module")
def sandbox():
    with running_sandbox(
        "--seed",
        "17",
        "--tickets",
        "400",
        "--holdback",
        "20",
        "--time-scale",
        "10",
        "--rate-limit",
        "0",
        "--export-rate-limit",
        "0",
    ) as info:
        # the generated history ends a month back: a few fresh tickets fall inside any recent window
        assert (
            requests.post(f"{info['url']}/_sandbox/mutate", json={"tickets": {"create": 3}}, timeout=30).status_code
            == 200
        )
        time.sleep(2.5)  # past the hold-back (20 Zendesk-seconds at time scale 10)
        yield info


def _epoch(iso: str) -> int:
    return int(datetime.strptime(iso, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=timezone.utc).timestamp())


def _count(sandbox, query: str) -> int:
    credentials = sandbox["config"]["credentials"]
    response = requests.get(
        f"{sandbox['url']}/api/v2/search/count",
        params={"query": query},
        auth=(credentials["email"] + "/token", credentials["api_token"]),
        timeout=30,
    )
    return response.json()["count"]


def test_a_relative_start_is_resolved_once_and_the_second_sync_reads_nothing_old(sandbox):
    config = {**sandbox["config"], "start_date": "P45D"}
    status = run_connector("check", config).of_type("CONNECTION_STATUS")[0]["connectionStatus"]
    assert status["status"] == "SUCCEEDED", status
    catalog = configured_catalog(discovered_catalog(config), STREAMS)
    window_start = int((datetime.now(timezone.utc) - timedelta(days=45)).timestamp())
    first = run_connector("read", config, catalog)
    assert first.returncode == 0, first.stderr[-3000:]
    resolved = {name: first.states[name].get(RESOLVED) for name in STREAMS}
    assert None not in resolved.values(), first.states
    assert all(abs(_epoch(value) - window_start) < 300 for value in resolved.values()), resolved
    tickets = first.records["tickets"]
    assert tickets and all(ticket["generated_timestamp"] >= _epoch(resolved["tickets"]) for ticket in tickets)
    summary = requests.get(f"{sandbox['url']}/_sandbox/summary", timeout=30).json()
    assert len({t["id"] for t in tickets}) < summary["resources"]["tickets"]["total"]  # the window, not the history

    time.sleep(3)
    changed = requests.post(
        f"{sandbox['url']}/_sandbox/mutate", json={"tickets": {"update": 4, "create": 2}}, timeout=30
    ).json()
    time.sleep(3)  # the changes leave the hold-back window
    second = run_connector("read", config, catalog, state=first.state_list())
    assert second.returncode == 0, second.stderr[-3000:]
    assert {t["id"] for t in second.records["tickets"]} == set(changed["tickets"]["update"]) | set(
        changed["tickets"]["create"]
    )
    assert not second.records.get("organizations") and not second.records.get("ticket_forms")
    assert {
        name: second.states[name].get(RESOLVED) for name in STREAMS
    } == resolved  # the same moment, not 45 days before now


def test_a_preset_reads_the_query_it_stands_for(sandbox):
    year_start = f"{datetime.now(timezone.utc).year}-01-01"
    config = {
        **sandbox["config"],
        "search_queries": [
            {"preset": "open_tickets"},
            {"preset": "organizations_created_this_year", "name": "new_orgs"},
        ],
    }
    status = run_connector("check", config).of_type("CONNECTION_STATUS")[0]["connectionStatus"]
    assert status["status"] == "SUCCEEDED", status
    streams = discovered_catalog(config)
    output = run_connector(
        "read", config, configured_catalog(streams, ["search_open_tickets", "search_new_orgs"], incremental=False)
    )
    assert output.returncode == 0, output.stderr[-3000:]
    open_tickets = output.records["search_open_tickets"]
    assert open_tickets and all(ticket["status"] == "open" for ticket in open_tickets)
    assert len({t["id"] for t in open_tickets}) == _count(sandbox, "type:ticket status:open")
    assert len({o["id"] for o in output.records["search_new_orgs"]}) == _count(
        sandbox, f"type:organization created>={year_start}"
    )


def test_an_unknown_preset_is_a_config_error_naming_it_from_check_and_read(sandbox):
    config = {**sandbox["config"], "search_queries": [{"preset": "open_tikets"}]}
    status = run_connector("check", config).of_type("CONNECTION_STATUS")[0]["connectionStatus"]
    assert status["status"] == "FAILED" and "'open_tikets'" in status["message"] and "open_tickets" in status["message"]
    catalog = configured_catalog(discovered_catalog(sandbox["config"]), ["tickets"])
    output = run_connector("read", config, catalog)
    errors = output.traces("ERROR")
    assert output.returncode != 0 and errors and not output.records
    assert errors[0]["error"]["failure_type"] == "config_error" and "'open_tikets'" in errors[0]["error"]["message"]
    assert "Traceback" not in output.stderr
