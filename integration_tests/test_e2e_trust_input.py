"""Issue 13, clocks from the future, bad bodies, bad configs and silent surprises, through main.py against the
sandbox: each gives a named, non-traceback answer, and no cursor is ever written beyond now."""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timezone

import pytest

from conftest import running_sandbox
from sync_runner import discovered_catalog
from trust_harness import Run, Sandbox, catalog_for, names_stream, no_traceback, run_bounded, stream_failed

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(150)]

SKEW = 3600  # seconds: "now plus a small clock skew", generously
FAST_RETRIES = {"backoff_base_seconds": 0.001}  # bad bodies are retried first; keep the retries short


# Faults are global to a sandbox: the faulted cases share one whose rules each hit their own endpoint, the rest
# run against a quiet one. Every case is a scenario run side by side (module fixture); the tests read the results.
FAULTS = ";".join(
    [
        "future-end-time:/api/v2/incremental/organizations*",
        "not-json:/api/v2/groups*",
        "array-body:/api/v2/tags*",
        "bad-next:/api/v2/targets*",
        "deep-json:/api/v2/users/me*",
        "deep-record:/api/v2/macros*",
    ]
)
SANDBOX_ARGS = ("--seed", "31", "--tickets", "200", "--rate-limit", "0", "--export-rate-limit", "0")
CONFIG_CASES = ["not an object", "backoff_base_seconds", "token_expiry_date", "start_date"]
STATE_VALUES = {"1e20": 1e20, "NaN": "NaN", "object": {"nested": 1}}


def _state(stream: str, value: dict) -> list:
    return [{"type": "STREAM", "stream": {"stream_descriptor": {"name": stream}, "stream_state": value}}]


def _bad_config(sandbox: Sandbox, case: str):
    """(config, raw file text or None, the words the error must hold)"""
    config = sandbox.config
    if case == "not an object":
        return config, "[1, 2, 3]", ("config",)
    if case == "backoff_base_seconds":
        config["backoff_base_seconds"] = "abc"
    elif case == "token_expiry_date":
        oauth = sandbox.info["oauth"]
        config["credentials"] = {
            "auth_type": "oauth2_refresh",
            "client_id": oauth["client_id"],
            "client_secret": oauth["client_secret"],
            "refresh_token": oauth["refresh_token"],
            "access_token": sandbox.info["access_token"],
            "token_expiry_date": "garbage",
        }
    else:
        config["start_date"] = "yesterday"
    return config, None, (case,)


def _scenarios(quiet: Sandbox, faulty: Sandbox, streams) -> dict:
    def read(sandbox, names, config=None, incremental=False, **kw):
        catalog = catalog_for(streams, names, incremental=incremental)
        return lambda: run_bounded("read", config or sandbox.config, catalog, deadline=kw.pop("deadline", 60), **kw)

    unknown = catalog_for(streams, ["groups"])
    unknown["streams"].append(
        {**unknown["streams"][0], "stream": {**unknown["streams"][0]["stream"], "name": "Tickets"}}
    )
    scenarios = {
        "future end_time": read(faulty, ["organizations"], incremental=True),
        "future state": read(
            quiet,
            ["organizations"],
            incremental=True,
            state=_state("organizations", {"updated_at": "2100-01-01T00:00:00Z"}),
        ),
        "future start_date": read(
            quiet, ["organizations"], {**quiet.config, "start_date": "2100-01-01T00:00:00Z"}, incremental=True
        ),
        "not-json": read(faulty, ["groups"], {**faulty.config, **FAST_RETRIES}, deadline=60),
        "array-body": read(faulty, ["tags"], {**faulty.config, **FAST_RETRIES}, deadline=60),
        "bad-next": read(faulty, ["targets"], {**faulty.config, **FAST_RETRIES}, deadline=60),
        "deep-json check": lambda: run_bounded("check", faulty.config, deadline=60),
        "deep-record": read(faulty, ["macros", "brands"], {**faulty.config, **FAST_RETRIES}, deadline=60),
        "subdomain check": lambda: run_bounded(
            "check", {**quiet.config, "subdomain": "sandbox.zendesk.com"}, deadline=60
        ),
        "subdomain read": read(quiet, ["groups"], {**quiet.config, "subdomain": "sandbox.zendesk.com"}),
        "unknown stream": lambda: run_bounded("read", quiet.config, unknown, deadline=60),
        "unrecognised state": read(
            quiet,
            ["organizations"],
            incremental=True,
            state=_state("organizations", {"last_seen": "2026-01-01T00:00:00Z"}),
        ),
    }
    for case in CONFIG_CASES:
        config, text, _ = _bad_config(quiet, case)
        scenarios[f"config {case} check"] = lambda c=config, t=text: run_bounded("check", c, config_text=t, deadline=60)
        scenarios[f"config {case} read"] = read(quiet, ["groups"], config, config_text=text)
    for name, value in STATE_VALUES.items():
        scenarios[f"state {name}"] = read(
            quiet, ["organizations"], incremental=True, state=_state("organizations", {"updated_at": value})
        )
    return scenarios


@pytest.fixture(scope="module")
def runs():
    with running_sandbox(*SANDBOX_ARGS) as quiet_info, running_sandbox(*SANDBOX_ARGS) as faulty_info:
        quiet, faulty = Sandbox(quiet_info), Sandbox(faulty_info)
        streams = discovered_catalog(quiet.config)
        faulty.faults(FAULTS)
        scenarios = _scenarios(quiet, faulty, streams)
        with ThreadPoolExecutor(max_workers=4) as pool:
            futures = {name: pool.submit(scenario) for name, scenario in scenarios.items()}
            return {name: future.result() for name, future in futures.items()}


def _epoch(value) -> float:
    if isinstance(value, (int, float)):
        return float(value)
    return datetime.fromisoformat(str(value).replace("Z", "+00:00")).replace(tzinfo=timezone.utc).timestamp()


def _latest_cursor(run: Run, stream: str, field: str):
    values = [
        message["stream"]["stream_state"].get(field)
        for message in run.state_messages
        if message["stream"]["stream_descriptor"]["name"] == stream and message["stream"].get("stream_state")
    ]
    return [value for value in values if value is not None]


def _warned_about(run: Run, stream: str) -> bool:
    return any(stream in line for line in run.logs("WARN"))


# ---- clocks --------------------------------------------------------------------------------------------------------


def _never_beyond_now(run: Run, stream: str, field: str) -> None:
    cursors = _latest_cursor(run, stream, field)
    assert all(_epoch(value) <= time.time() + SKEW for value in cursors), cursors


def test_a_future_end_time_is_clamped_and_never_checkpointed(runs):
    run = runs["future end_time"]
    assert run.stopped is None and run.returncode == 0, run.describe()
    assert _latest_cursor(run, "organizations", "updated_at"), run.describe()
    _never_beyond_now(run, "organizations", "updated_at")
    assert _warned_about(run, "organizations"), run.describe()


def test_a_future_state_is_reported_and_not_written_back(runs):
    run = runs["future state"]
    assert run.stopped is None and no_traceback(run), run.describe()
    _never_beyond_now(run, "organizations", "updated_at")
    assert _warned_about(run, "organizations"), run.describe()


def test_a_future_start_date_is_reported(runs):
    run = runs["future start_date"]
    assert run.stopped is None and no_traceback(run), run.describe()
    _never_beyond_now(run, "organizations", "updated_at")
    assert _warned_about(run, "organizations") and any("start_date" in line for line in run.logs("WARN")), (
        run.describe()
    )


# ---- bad bodies ------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("case, stream", [("not-json", "groups"), ("array-body", "tags")])
def test_a_body_that_is_not_the_promised_object_fails_its_stream_by_name(runs, case, stream):
    run = runs[case]
    assert run.stopped is None and stream_failed(run, stream), run.describe()
    assert all(trace["error"].get("failure_type") == "transient_error" for trace in run.traces("ERROR")), run.describe()
    assert no_traceback(run), run.describe()


def test_a_non_string_next_page_fails_its_stream_by_name(runs):
    run = runs["bad-next"]
    assert run.stopped is None and stream_failed(run, "targets"), run.describe()
    assert no_traceback(run), run.describe()


def test_a_deeply_nested_document_fails_check_with_a_message(runs):
    run = runs["deep-json check"]
    assert run.stopped is None and no_traceback(run), run.describe()
    status = run.of_type("CONNECTION_STATUS")
    assert status and status[0]["connectionStatus"]["status"] == "FAILED", run.describe()


def test_a_record_nested_1000_deep_fails_only_its_stream(runs):
    run = runs["deep-record"]
    assert run.stopped is None and stream_failed(run, "macros"), run.describe()
    assert run.statuses("brands")[-1:] == ["COMPLETE"] and run.records["brands"], run.describe()
    assert no_traceback(run), run.describe()


# ---- bad configs and states ------------------------------------------------------------------------------------------


def _named_config_error(run: Run, *words: str) -> bool:
    texts = run.error_messages() + [
        m["connectionStatus"].get("message") or "" for m in run.of_type("CONNECTION_STATUS")
    ]
    return any(all(word in text for word in words) for text in texts)


@pytest.mark.parametrize("command", ["check", "read"])
@pytest.mark.parametrize("case", CONFIG_CASES)
def test_a_malformed_config_is_named_without_a_traceback(runs, command, case):
    run = runs[f"config {case} {command}"]
    words = ("config",) if case == "not an object" else (case,)
    assert run.stopped is None and no_traceback(run), run.describe()
    assert _named_config_error(run, *words), run.describe()
    assert all(trace["error"].get("failure_type") == "config_error" for trace in run.traces("ERROR")), run.describe()


@pytest.mark.parametrize("value", list(STATE_VALUES))
def test_a_malformed_state_cursor_is_named_without_a_traceback(runs, value):
    run = runs[f"state {value}"]
    assert run.stopped is None and no_traceback(run), run.describe()
    assert _named_config_error(run, "organizations"), run.describe()
    assert all(trace["error"].get("failure_type") == "config_error" for trace in run.traces("ERROR")), run.describe()


def test_check_and_read_agree_on_a_subdomain_given_as_a_host_name(runs):
    check, read = runs["subdomain check"], runs["subdomain read"]
    status = check.of_type("CONNECTION_STATUS")
    check_ok = bool(status) and status[0]["connectionStatus"]["status"] == "SUCCEEDED"
    read_ok = read.returncode == 0 and not read.traces("ERROR")
    assert check_ok == read_ok, (check.describe(), read.describe())


# ---- silent surprises ------------------------------------------------------------------------------------------------


def test_an_unknown_catalog_stream_is_reported_by_name(runs):
    run = runs["unknown stream"]
    assert run.stopped is None, run.describe()
    named = any("Tickets" in line for line in run.logs("WARN") + run.logs("ERROR")) or names_stream(run, "Tickets")
    assert named, run.describe()


def test_an_unrecognised_state_is_reported_with_the_re_read(runs):
    run = runs["unrecognised state"]
    assert run.stopped is None and run.returncode == 0, run.describe()
    warnings = [line for line in run.logs("WARN") if "organizations" in line]
    assert any("re-read" in line or "full" in line for line in warnings), run.describe()
