"""check: tells apart bad credentials, an unknown subdomain, missing permissions and network failures."""

from __future__ import annotations

import json
import logging

import pytest
import requests
from airbyte_cdk.models import Status
from airbyte_cdk.test.entrypoint_wrapper import _run_command, make_file

from source_zendesk_support.source import SourceZendeskSupport

from .support import BASE, make_config, ok, raw, url

ME = url("users/me.json")
LOGGER = logging.getLogger("airbyte")


def check(config=None):
    status = SourceZendeskSupport().check(LOGGER, config or make_config())
    return status.status, status.message


CASES = {
    "ok": ([ok({"user": {"id": 5, "role": "admin", "email": "admin@acme.example"}})], None),
    "bad credentials": ([ok({"error": "Couldn't authenticate you"}, status=401)], "refused the credentials"),
    "unknown subdomain": (
        [ok({"error": "InvalidEndpoint", "description": "Not found"}, status=404)],
        "No Zendesk account answers",
    ),
    "no permission": ([ok({"error": "Forbidden"}, status=403)], "lack permission"),
    "agent": ([ok({"user": {"id": 5, "role": "agent", "email": "agent@acme.example"}})], "need an admin"),
    "anonymous": ([ok({"user": {"id": None, "role": "end-user"}})], "anonymous"),
    "not zendesk": (
        [raw("<html>parked domain</html>", 200, {"Content-Type": "text/html"})],
        "did not answer like a Zendesk account",
    ),
    "server error": ([raw("oops", 500)], "HTTP 500"),
    "network": ([{"exc": requests.exceptions.ConnectionError("Name or service not known")}], "Could not reach"),
    "timeout": ([{"exc": requests.exceptions.ReadTimeout("timed out")}], "did not answer within the timeout"),
}


@pytest.mark.parametrize("case", list(CASES))
def test_check_outcomes(api, case):
    responses, expected = CASES[case]
    api.get(ME, responses)
    status, message = check()
    if expected is None:
        assert status == Status.SUCCEEDED and message is None
    else:
        assert status == Status.FAILED and expected in message


def test_every_failure_has_its_own_message(api):
    messages = set()
    for case, (responses, expected) in CASES.items():
        if expected is None:
            continue
        api.get(ME, responses)
        messages.add(check()[1])
    assert len(messages) == len(CASES) - 1


def test_check_names_the_subdomain_on_a_404(api):
    api.get(ME, [ok({"error": "InvalidEndpoint"}, status=404)])
    assert "'acme'" in check()[1]


def test_check_with_a_refused_refresh_token(api, capsys):
    api.post(f"{BASE}/oauth/tokens", [ok({"error": "invalid_grant"}, status=400)])
    config = make_config(
        credentials={"auth_type": "oauth2_refresh", "client_id": "c", "client_secret": "s", "refresh_token": "r"}
    )
    status, message = check(config)
    assert status == Status.FAILED and "refused the OAuth client or refresh token" in message


def test_check_with_a_refused_refresh_token_through_the_entrypoint(api, tmp_path, capsys):
    api.post(f"{BASE}/oauth/tokens", [ok({"error": "invalid_grant"}, status=400)])
    config = make_config(
        credentials={"auth_type": "oauth2_refresh", "client_id": "c", "client_secret": "s", "refresh_token": "r"}
    )
    output = _run_command(SourceZendeskSupport(), ["check", "--config", make_file(tmp_path / "config.json", config)])
    (status,) = output.connection_status_messages
    assert status.connectionStatus.status == Status.FAILED and "refresh token" in status.connectionStatus.message


def test_check_through_the_entrypoint_emits_one_connection_status(api, tmp_path):
    api.get(ME, [ok({"error": "Couldn't authenticate you"}, status=401)])
    config_file = make_file(tmp_path / "config.json", make_config())
    output = _run_command(SourceZendeskSupport(), ["check", "--config", config_file])
    (status,) = output.connection_status_messages
    assert status.connectionStatus.status == Status.FAILED
    assert "refused the credentials" in status.connectionStatus.message


def test_check_that_spends_the_refresh_token_hands_the_new_one_to_the_platform(api, capfd):
    """Zendesk's refresh tokens are single-use: a check that refreshes must persist the new one, or the next sync
    would present a spent token."""
    api.post(f"{BASE}/oauth/tokens", [ok({"access_token": "A1", "refresh_token": "R1-check", "expires_in": 1800})])
    api.get(ME, [ok({"user": {"id": 5, "role": "admin"}})])
    config = make_config(
        credentials={"auth_type": "oauth2_refresh", "client_id": "c", "client_secret": "s", "refresh_token": "R0"}
    )
    status, _ = check(config)
    assert status == Status.SUCCEEDED
    controls = [json.loads(line) for line in capfd.readouterr().out.splitlines() if '"CONTROL"' in line]
    assert (
        controls and controls[-1]["control"]["connectorConfig"]["config"]["credentials"]["refresh_token"] == "R1-check"
    )
