"""End to end: the account's setup lists (brand agents, deleted users, deletion schedules, group SLAs, ... and the
account's settings) read by the real entrypoint (python main.py) from the real sandbox over loopback HTTP: counts
equal the sandbox's ground truth, an unchanged re-sync costs one request per list and emits nothing new, and a plan
without the add-on lists skips them by name while the rest of the sync goes on."""

from __future__ import annotations

import time

import pytest
import requests

from conftest import running_sandbox
from ground_truth import expected_count
from sync_runner import configured_catalog, discovered_catalog, run_connector

from source_zendesk_support.registry.table import ALL_STREAMS

pytestmark = pytest.mark.e2e

SETUP_STREAMS = [
    "brand_agents",
    "deleted_users",
    "organization_subscriptions",
    "trigger_categories",
    "task_list_templates",
    "approval_requests",
    "workspaces",
    "resource_collections",
    "deletion_schedules",
    "group_sla_policies",
    "locales",
    "macro_categories",
    "queues",
    "satisfaction_reasons",
    "target_failures",
    "ticket_form_statuses",
    "monitored_twitter_handles",
    "account_settings",
]
# Lists whose records carry no time Zendesk filters on: each sync emits them whole.
WHOLE_EVERY_SYNC = {"macro_categories", "ticket_form_statuses", "account_settings"}
GATED = {
    "workspaces": "contextual workspaces",
    "approval_requests": "approval workflows",
    "group_sla_policies": "Professional plan",
    "queues": "omnichannel routing queues",
    "deletion_schedules": "data deletion schedules",
    "satisfaction_reasons": "customer satisfaction",
    "ticket_form_statuses": "multiple ticket forms",
}


PATHS = {spec.name: "/api/v2/" + spec.path for spec in ALL_STREAMS}
CURSORS = {spec.name: spec.cursor_field for spec in ALL_STREAMS}


def _at_newest(records: list, cursor: str) -> int:
    newest = max(record[cursor] for record in records)
    return sum(1 for record in records if record[cursor] == newest)


def test_setup_lists_match_the_sandbox_and_resync_for_one_request_each():
    with running_sandbox("--seed", "8", "--tickets", "300", "--plan", "enterprise", "--time-scale", "20") as info:
        streams = discovered_catalog(info["config"])
        offered = {stream["name"] for stream in streams}
        assert set(SETUP_STREAMS) <= offered
        catalog = configured_catalog(streams, SETUP_STREAMS)
        first = run_connector("read", info["config"], catalog)
        assert first.returncode == 0, first.stderr[-3000:]
        summary = requests.get(f"{info['url']}/_sandbox/summary", timeout=30).json()
        got = {name: len(first.records.get(name, [])) for name in SETUP_STREAMS}
        want = {name: expected_count(summary, name) for name in SETUP_STREAMS}
        assert got == want and all(want.values())
        assert {name for name in SETUP_STREAMS if "COMPLETE" not in first.statuses(name)} == set()

        time.sleep(1)
        assert requests.post(f"{info['url']}/_sandbox/stats/reset", json={}, timeout=30).ok
        second = run_connector("read", info["config"], catalog, state=first.state_list())
        assert second.returncode == 0, second.stderr[-3000:]
        served = requests.get(f"{info['url']}/_sandbox/stats", timeout=30).json()["paths"]
        # A list with a cursor sends again only the records of the second it saved (its state is inclusive)
        again = {name: len(second.records.get(name, [])) for name in SETUP_STREAMS}
        assert again == {
            name: got[name] if name in WHOLE_EVERY_SYNC else _at_newest(first.records[name], CURSORS[name])
            for name in SETUP_STREAMS
        }
        made = {name: sum(served.get(PATHS[name], {}).values()) for name in SETUP_STREAMS}
        assert made == dict.fromkeys(SETUP_STREAMS, 1)


def test_a_plan_without_the_add_ons_skips_their_lists_by_name():
    with running_sandbox(
        "--seed", "8", "--tickets", "60", "--plan", "team", "--features", "help_center", "--time-scale", "20"
    ) as info:
        streams = discovered_catalog(info["config"])
        output = run_connector("read", info["config"], configured_catalog(streams, SETUP_STREAMS))
        assert output.returncode == 0, output.stderr[-3000:]
        warnings = " ".join(output.logs("WARN"))
        for name, needs in GATED.items():
            assert not output.records.get(name), name
            assert "INCOMPLETE" in output.statuses(name), name
            assert name in warnings and needs in warnings, name
        assert output.records.get("locales") and output.records.get("brand_agents")
