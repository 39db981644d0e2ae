"""Issue 13, size and time limits, through main.py against the sandbox: a huge or compression-bomb body keeps the
connector under 300 MB, a dripping body or status line meets a whole-request deadline, a wait of a day is refused
rather than slept, a failing token endpoint is reported as temporary, and an unreachable host as a connection error.

The cases run side by side (module fixture): most of them only wait while their defense is missing."""

from __future__ import annotations

import socket
from concurrent.futures import ThreadPoolExecutor
from typing import Callable, Dict

import pytest

from conftest import running_sandbox
from sync_runner import discovered_catalog
from trust_harness import Run, Sandbox, catalog_for, names_stream, no_traceback, run_bounded

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(300)]

PEAK_MB = 300
SANDBOX_ARGS = ("--seed", "29", "--tickets", "300", "--rate-limit", "0", "--export-rate-limit", "0")
# One rule per endpoint, so the runs sharing the sandbox do not disturb each other.
FAULTS = ";".join(
    [
        "oversized:/api/v2/tags*:count=1",  # 200 MB, chunked
        "gzip-bomb:/api/v2/macros*:count=1",  # 510 kB inflating to 512 MiB
        "gzip-bomb:/api/v2/ticket_fields*:count=1:encoding=deflate",
        "drip:/api/v2/groups*:count=1:delay=2",  # one byte every 2 s
        "drip-headers:/api/v2/recipient_addresses*:count=1:delay=2",  # a status line and headers, one byte every 2 s
        "retry-after:/api/v2/brands*:count=1",  # 429 with Retry-After: 86400
        "ratelimit-reset:/api/v2/ticket_audits*:count=1",  # a 2xx saying the budget resets in a day
        "html:/oauth/tokens*:status=500",  # the token endpoint fails
        "retry-after:/api/v2/automations*:count=1:retry_after=7",  # a 429 asking for a short wait
    ]
)
SHORT_WAIT = 7


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]  # closed again on leaving: nothing answers there


def _scenarios(sandbox: Sandbox, streams) -> Dict[str, Callable[[], Run]]:
    config = sandbox.config

    def read(stream: str, deadline: float, **overrides) -> Callable[[], Run]:
        return lambda: run_bounded("read", {**config, **overrides}, catalog_for(streams, [stream]), deadline=deadline)

    oauth = sandbox.info["oauth"]
    oauth_config = {
        **config,
        "credentials": {
            "auth_type": "oauth2_refresh",
            "client_id": oauth["client_id"],
            "client_secret": oauth["client_secret"],
            "refresh_token": oauth["refresh_token"],
        },
    }
    return {
        "oversized": read("tags", 90),
        "gzip": read("macros", 90),
        "deflate": read("ticket_fields", 90),
        "drip": read("groups", 60, request_timeout_seconds=10),
        "drip-headers": read("recipient_addresses", 60, request_timeout_seconds=10),
        "retry-after": read("brands", 45),
        "ratelimit-reset": read("ticket_audits", 45),
        "token-500": lambda: run_bounded("check", oauth_config, deadline=60),
        "short-wait": read("automations", 90),
        # the bound is about two minutes, so this one case waits longer than the others
        "unreachable": read("groups", 150, base_url=f"http://127.0.0.1:{_closed_port()}"),
    }


@pytest.fixture(scope="module")
def limit_runs() -> Dict[str, Run]:
    with running_sandbox(*SANDBOX_ARGS) as info:
        sandbox = Sandbox(info)
        streams = discovered_catalog(sandbox.config)
        sandbox.faults(FAULTS)
        scenarios = _scenarios(sandbox, streams)
        with ThreadPoolExecutor(max_workers=len(scenarios)) as pool:
            futures = {name: pool.submit(scenario) for name, scenario in scenarios.items()}
            runs = {name: future.result() for name, future in futures.items()}
        runs["expected"] = {
            name: sandbox.expected(name, f"/api/v2/{name}")
            for name in ("tags", "macros", "ticket_fields", "groups", "recipient_addresses")
        }
        return runs


def _timing(name: str, run: Run) -> None:
    print(f"TIMING {name}: {run.elapsed:.1f}s, peak RSS {run.peak_rss_mb:.0f} MB, stopped={run.stopped}")


def _survived_or_failed_by_name(run: Run, stream: str, expected: int) -> None:
    """Ended by itself, with no traceback: either the retry read everything, or the stream failed by name."""
    assert run.stopped is None, run.describe()
    assert no_traceback(run), run.describe()
    complete = run.statuses(stream)[-1:] == ["COMPLETE"] and len(run.records[stream]) == expected
    assert complete or names_stream(run, stream), run.describe()


@pytest.mark.parametrize("case, stream", [("oversized", "tags"), ("gzip", "macros"), ("deflate", "ticket_fields")])
def test_huge_and_bomb_bodies_keep_memory_under_300_mb(limit_runs, case, stream):
    run = limit_runs[case]
    _timing(case, run)
    assert run.peak_rss_mb < PEAK_MB and run.stopped != "memory", run.describe()
    _survived_or_failed_by_name(run, stream, limit_runs["expected"][stream])


def test_a_dripping_body_meets_the_whole_request_deadline(limit_runs):
    run = limit_runs["drip"]
    _timing("drip", run)
    _survived_or_failed_by_name(run, "groups", limit_runs["expected"]["groups"])
    assert run.elapsed < 45, run.describe()


def test_a_server_dripping_its_headers_meets_the_whole_request_deadline(limit_runs):
    run = limit_runs["drip-headers"]
    _timing("drip-headers", run)
    _survived_or_failed_by_name(run, "recipient_addresses", limit_runs["expected"]["recipient_addresses"])
    assert run.elapsed < 45, run.describe()


def _refused_long_wait(run: Run, stream: str) -> None:
    assert run.stopped is None and run.elapsed < 30, run.describe()
    errors = [trace["error"] for trace in run.traces("ERROR")]
    assert names_stream(run, stream), run.describe()
    assert all(error.get("failure_type") == "transient_error" for error in errors), errors
    assert any("retry" in (error.get("message") or "").lower() for error in errors), errors


def test_a_retry_after_of_a_day_fails_the_stream_instead_of_sleeping(limit_runs):
    run = limit_runs["retry-after"]
    _timing("retry-after", run)
    _refused_long_wait(run, "brands")


def test_a_2xx_ratelimit_reset_of_a_day_does_not_stall_silently(limit_runs):
    run = limit_runs["ratelimit-reset"]
    _timing("ratelimit-reset", run)
    assert run.stopped is None and run.elapsed < 30, run.describe()
    complete = run.statuses("ticket_audits")[-1:] == ["COMPLETE"]
    assert complete or names_stream(run, "ticket_audits"), run.describe()


def test_a_token_endpoint_500_fails_check_quickly_as_temporary(limit_runs):
    run = limit_runs["token-500"]
    _timing("token-500", run)
    assert run.stopped is None and run.elapsed < 50, run.describe()
    status = run.of_type("CONNECTION_STATUS")
    assert status and status[0]["connectionStatus"]["status"] == "FAILED", run.describe()
    message = status[0]["connectionStatus"]["message"].lower()
    assert "re-authoriz" not in message and "500" in message, message


def test_an_unreachable_host_is_a_connection_error_not_a_rate_limit(limit_runs):
    run = limit_runs["unreachable"]
    _timing("unreachable", run)
    assert run.stopped is None and run.elapsed < 130, run.describe()
    assert not any("rate limit" in line.lower() for line in run.logs()), run.describe()
    messages = " ".join(run.error_messages()).lower()
    assert "connect" in messages or "reach" in messages, run.describe()


def test_a_short_429_wait_is_logged_once_and_reported_as_rate_limited_with_its_reset(limit_runs):
    run = limit_runs["short-wait"]
    _timing("short-wait", run)
    assert run.stopped is None and run.returncode == 0, run.describe()
    assert run.statuses("automations")[-1:] == ["COMPLETE"] and run.records["automations"], run.describe()
    told = [line for line in run.logs() if f"waiting {SHORT_WAIT} s" in line and "automations" in line]
    assert len(told) == 1 and "rate limit" in told[0] and "Retry-After" in told[0], run.logs()
    limited = [
        message["trace"]["stream_status"]
        for message in run.of_type("TRACE")
        if message["trace"].get("type") == "STREAM_STATUS"
        and message["trace"]["stream_status"]["stream_descriptor"]["name"] == "automations"
        and any(
            reason.get("type") == "RATE_LIMITED" for reason in message["trace"]["stream_status"].get("reasons") or []
        )
    ]
    assert len(limited) == 1, run.describe()
    reset = limited[0]["reasons"][0]["rate_limited"]["quota_reset"]
    assert isinstance(reset, int) and reset > 1_000_000_000_000  # milliseconds since the epoch
