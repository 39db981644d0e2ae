"""Issue 13, secrets echoed by a server: whatever Zendesk (or something in front of it) quotes back, no secret,
no Basic/base64 form of one and no 6-character fragment of one reaches stdout or stderr (LOG, TRACE,
CONNECTION_STATUS), through main.py against the sandbox."""

from __future__ import annotations

import pytest

from trust_harness import Sandbox, hostile_sandbox, catalog_for, leaks, run_bounded, secrets_of, stream_failed

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(120)]


@pytest.fixture(scope="module")
def hostile():
    with hostile_sandbox(
        "--seed", "17", "--tickets", "100", "--rate-limit", "0", "--export-rate-limit", "0"
    ) as sandbox:
        yield sandbox


def _access_token_config(sandbox: Sandbox) -> dict:
    return {
        **sandbox.config,
        "credentials": {"auth_type": "oauth2_access_token", "access_token": sandbox.info["access_token"]},
    }


def _assert_nothing_leaked(run, config) -> None:
    secrets = secrets_of(config)
    assert secrets, "the config has no secret to look for"
    found = leaks(run, secrets)
    assert not found, "\n".join(found[:5])


@pytest.mark.parametrize("auth", ["api_token", "oauth2_access_token"])
def test_check_does_not_print_an_echoed_authorization_header(hostile, auth):
    config = hostile.config if auth == "api_token" else _access_token_config(hostile)
    hostile.faults("echo-auth:/api/v2/users/me*:status=500")
    run = run_bounded("check", config, deadline=60)
    status = run.of_type("CONNECTION_STATUS")
    assert status and status[0]["connectionStatus"]["status"] == "FAILED", run.describe()
    _assert_nothing_leaked(run, config)


@pytest.mark.parametrize("auth", ["api_token", "oauth2_access_token"])
def test_read_does_not_print_an_echoed_authorization_header_in_an_error_body(hostile, auth):
    config = hostile.config if auth == "api_token" else _access_token_config(hostile)
    hostile.faults("echo-auth:/api/v2/groups*:status=405")
    run = run_bounded("read", config, catalog_for(hostile.streams, ["groups"]), deadline=60)
    assert run.stopped is None and run.traces("ERROR"), run.describe()
    _assert_nothing_leaked(run, config)


def test_read_does_not_print_an_authorization_header_echoed_in_a_2xx_next_page(hostile):
    config = hostile.config
    hostile.faults("echo-auth:/api/v2/targets*:status=200:field=next_page")
    run = run_bounded("read", config, catalog_for(hostile.streams, ["targets"]), deadline=60)
    assert run.stopped is None, run.describe()
    _assert_nothing_leaked(run, config)


def test_check_does_not_echo_a_password(hostile):
    config = {
        **hostile.config,
        "credentials": {"auth_type": "password", "email": hostile.info["email"], "password": "hunter2-correct-horse"},
    }
    run = run_bounded("check", config, deadline=60)
    assert run.stopped is None, run.describe()
    _assert_nothing_leaked(run, config)
    status = run.of_type("CONNECTION_STATUS") or [{"connectionStatus": {}}]
    errors = run.traces("ERROR")
    assert status[0]["connectionStatus"].get("status") == "FAILED" or errors, run.describe()


def test_a_2xx_body_of_the_wrong_shape_echoing_the_header_fails_its_stream_without_printing_it(hostile):
    config = {**hostile.config, "backoff_base_seconds": 0.001}  # a wrongly shaped body may be retried first
    hostile.faults("echo-auth:/api/v2/groups*:status=200")
    run = run_bounded("read", config, catalog_for(hostile.streams, ["groups"]), deadline=60)
    assert run.stopped is None and stream_failed(run, "groups"), run.describe()
    _assert_nothing_leaked(run, config)
