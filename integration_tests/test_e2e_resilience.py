"""End to end under adversity: injected faults, real rate limits, expiring OAuth tokens and plan gates."""

from __future__ import annotations

from typing import Any, Dict

import pytest
import requests

from conftest import running_sandbox
from ground_truth import expected_count
from sync_runner import configured_catalog, discovered_catalog, run_connector
from test_e2e_sync import distinct

pytestmark = pytest.mark.e2e

FAULTS = ";".join(
    [
        "500:/api/v2/incremental/tickets/cursor*:count=2",
        "502:/api/v2/incremental/users/cursor*:count=1",
        "reset:/api/v2/ticket_audits*:count=1",
        "truncated:/api/v2/groups*:count=1",
        "html:/api/v2/tags*:count=1:status=503",
        "429:/api/v2/macros*:count=2",
        "503:/api/v2/brands*:count=1",
        "504-large:/api/v2/incremental/ticket_events*:bytes=400000",
        "slow:/api/v2/views*:count=1:delay=8",
    ]
)
STREAMS = [
    "tickets",
    "users",
    "ticket_audits",
    "groups",
    "tags",
    "macros",
    "brands",
    "ticket_events",
    "ticket_comments",
    "views",
    "organizations",
]


def _summary(info: Dict[str, Any]) -> Dict[str, Any]:
    return requests.get(f"{info['url']}/_sandbox/summary", timeout=30).json()


def _stats(info: Dict[str, Any]) -> Dict[str, Any]:
    return requests.get(f"{info['url']}/_sandbox/stats", timeout=30).json()


def test_every_injected_fault_is_survived_without_losing_records():
    with running_sandbox(
        "--seed", "21", "--tickets", "1500", "--rate-limit", "0", "--export-rate-limit", "0", "--faults", FAULTS
    ) as info:
        config = {**info["config"], "request_timeout_seconds": 5}
        streams = discovered_catalog(config)
        output = run_connector("read", config, configured_catalog(streams, STREAMS, incremental=False))
        assert output.returncode == 0, output.stderr[-3000:]
        assert not output.traces("ERROR"), output.traces("ERROR")
        summary = _summary(info)
        keys = {stream["name"]: stream.get("source_defined_primary_key") or [["id"]] for stream in streams}
        for name in STREAMS:
            assert len(distinct(output.records[name], keys[name])) == expected_count(summary, name), name
        faults = requests.get(f"{info['url']}/_sandbox/faults", timeout=30).json()
        assert faults, "the sandbox reports no fault rules"
        assert any("smaller" in line or "records per page" in line for line in output.logs("WARN")), (
            "no 504 page shrink"
        )


def test_rate_limits_are_respected_without_a_single_429():
    # Team plan: 200 requests a minute, exports 10 a minute; a Zendesk minute lasts 2 s here.
    with running_sandbox("--seed", "4", "--tickets", "600", "--plan", "team", "--time-scale", "30") as info:
        streams = discovered_catalog(info["config"])
        names = [
            "tickets",
            "ticket_metrics",
            "users",
            "ticket_events",
            "ticket_comments",
            "organizations",
            "ticket_audits",
            "groups",
            "macros",
            "ticket_fields",
            "tags",
            "ticket_metric_events",
        ]
        requests.post(f"{info['url']}/_sandbox/stats/reset", json={}, timeout=30)
        output = run_connector("read", {**info["config"], "num_workers": 6}, configured_catalog(streams, names))
        assert output.returncode == 0, output.stderr[-3000:]
        statuses = [status for path in _stats(info)["paths"].values() for status in path]
        assert "429" not in statuses, _stats(info)
        summary = _summary(info)
        keys = {stream["name"]: stream.get("source_defined_primary_key") or [["id"]] for stream in streams}
        for name in names:
            assert len(distinct(output.records[name], keys[name])) == expected_count(summary, name), name


def test_expiring_oauth_tokens_are_refreshed_and_handed_to_the_platform():
    with running_sandbox(
        "--seed",
        "8",
        "--tickets",
        "300",
        "--config-auth",
        "oauth2_refresh",
        "--rate-limit",
        "0",
        "--export-rate-limit",
        "0",
        "--access-token-ttl",
        "2",
        "--faults",
        "expire-token:/api/v2/ticket_fields*:count=1",
    ) as info:
        config = info["config"]
        assert config["credentials"]["auth_type"] == "oauth2_refresh"
        first_refresh_token = config["credentials"]["refresh_token"]
        streams = discovered_catalog(config)  # discover refreshes too (custom-field columns) and updates config
        assert config["credentials"]["refresh_token"] != first_refresh_token
        names = ["tickets", "users", "ticket_fields", "ticket_events", "ticket_audits"]
        output = run_connector("read", config, configured_catalog(streams, names, incremental=False))
        assert output.returncode == 0, output.stderr[-3000:]
        controls = [m["control"] for m in output.of_type("CONTROL")]
        assert controls, "no CONTROL message carried the rotated refresh token"
        newest = controls[-1]["connectorConfig"]["config"]["credentials"]
        assert newest["refresh_token"] != config["credentials"]["refresh_token"]
        summary = _summary(info)
        assert len(output.records["tickets"]) == expected_count(summary, "tickets")
        # The old refresh token was single-use: only the config from the CONTROL message works now.
        updated = {**config, "credentials": newest}
        again = run_connector("check", updated)
        assert again.of_type("CONNECTION_STATUS")[0]["connectionStatus"]["status"] == "SUCCEEDED"
        stale = run_connector("read", config, configured_catalog(streams, ["groups"], incremental=False))
        errors = stale.traces("ERROR")
        assert stale.returncode != 0 and errors and all(e["error"]["failure_type"] == "config_error" for e in errors), (
            errors
        )


def test_plan_gated_streams_are_skipped_with_a_warning_and_the_sync_succeeds():
    with running_sandbox(
        "--seed", "2", "--tickets", "100", "--plan", "team", "--rate-limit", "0", "--export-rate-limit", "0"
    ) as info:
        streams = discovered_catalog(info["config"])
        gated = ["audit_logs", "custom_roles", "schedules", "sla_policies", "account_attributes"]
        output = run_connector(
            "read", info["config"], configured_catalog(streams, gated + ["tickets"], incremental=False)
        )
        assert output.returncode == 0, output.stderr[-3000:]
        assert output.records["tickets"]
        for name in gated:
            assert not output.records.get(name), name
            assert output.statuses(name)[-1] == "INCOMPLETE", (name, output.statuses(name))
            assert sum(name in line and "skipped" in line for line in output.logs("WARN")) == 1, name
        assert output.statuses("tickets")[-1] == "COMPLETE"


@pytest.mark.parametrize(
    "mutate, expected",
    [
        (lambda c: {**c, "credentials": {**c["credentials"], "api_token": "wrong"}}, "refused the credentials"),
        (
            lambda c: {
                **c,
                "credentials": {"auth_type": "api_token", "email": "agent@sandbox.example.com", "api_token": None},
            },
            None,
        ),
        (lambda c: {**c, "base_url": "http://127.0.0.1:1"}, "Could not reach"),
    ],
)
def test_check_explains_what_is_wrong(mutate, expected):
    with running_sandbox("--seed", "2", "--tickets", "10") as info:
        config = mutate(info["config"])
        if expected is None:  # an agent's token: valid, but not an admin
            config["credentials"]["api_token"] = info["agent_api_token"]
            expected = "need an admin"
        status = run_connector("check", config).of_type("CONNECTION_STATUS")[0]["connectionStatus"]
        assert status["status"] == "FAILED"
        assert expected in status["message"], status["message"]
        secret = config["credentials"].get("api_token") or ""
        assert len(secret) < 8 or secret not in status["message"]
