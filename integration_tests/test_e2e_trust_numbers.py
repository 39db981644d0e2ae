"""Issue 28, numbers and stalls, through main.py against the sandbox: a Retry-After as an HTTP date is understood
and refused by the wait cap like a number of seconds; every number a header or a page's paging fields carry is
bounded before use (huge, infinite or not-a-number values fail the stream by name, never as an OverflowError); a
body that stops short on a held connection meets an idle-read limit and is retried under its own name; ids are
compared by value whatever their JSON type; and a sweep of the hostile cases finds no traceback and no "unexpected
error" in anything a user reads.

The cases run side by side (module fixture): most of them only wait while their defense is missing."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from typing import Callable, Dict

import pytest

from conftest import running_sandbox
from sync_runner import discovered_catalog
from trust_harness import Run, Sandbox, catalog_for, names_stream, no_traceback, run_bounded

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(420)]

SANDBOX_ARGS = ("--seed", "284", "--tickets", "200", "--rate-limit", "0", "--export-rate-limit", "0")
IN_2099 = 4070908800  # 2099-01-01T00:00:00Z
# One endpoint per case, so the runs sharing the sandbox do not disturb each other. (case, stream, rule)
CASES = [
    ("retry-after-date", "brands", f"retry-after:/api/v2/brands*:count=1:at={IN_2099}"),
    ("retry-after-huge", "macros", "retry-after:/api/v2/macros*:count=1:value=1000000000000"),
    ("retry-after-inf", "triggers", "retry-after:/api/v2/triggers*:count=1:value=inf"),
    ("retry-after-nan", "views", "retry-after:/api/v2/views*:count=1:value=nan"),
    ("reset-1e20", "ticket_fields", "ratelimit-reset:/api/v2/ticket_fields*:count=1:value=1e20"),
    ("reset-inf", "user_fields", "ratelimit-reset:/api/v2/user_fields*:count=1:value=inf"),
    ("short-body", "groups", "short-body:/api/v2/groups*:count=1"),
    ("check-retry-after-inf", "", "retry-after:/api/v2/users/me*:value=inf"),  # check's only request
    ("http-500", "group_memberships", "500:/api/v2/group_memberships*:count=2"),
    ("reset", "organization_memberships", "reset:/api/v2/organization_memberships*:count=1"),
    (
        "huge-end-time",
        "organizations",
        "future-end-time:/api/v2/incremental/organizations*:count=1:at=9000000000000000000",
    ),
    ("string-ids-time", "ticket_metric_events", "string-ids:/api/v2/incremental/ticket_metric_events*:count=1"),
    # the shapes and loops of earlier issues, swept for tracebacks here too
    ("not-json", "automations", "not-json:/api/v2/automations*:count=20"),
    ("array-body", "tags", "array-body:/api/v2/tags*:count=20"),
    ("bad-next", "organization_fields", "bad-next:/api/v2/organization_fields*:count=20"),
    ("deep-record", "recipient_addresses", "deep-record:/api/v2/recipient_addresses*:count=20"),
]
STALL_CASE_BOUND = 80  # seconds: one idle-read limit, a short backoff and a good retry; today's stall is minutes


def _scenarios(sandbox: Sandbox, streams) -> Dict[str, Callable[[], Run]]:
    config = sandbox.config

    def read(stream: str, deadline: float) -> Callable[[], Run]:
        return lambda: run_bounded("read", config, catalog_for(streams, [stream], incremental=True), deadline=deadline)

    runs = {case: read(stream, 150) for case, stream, _ in CASES if stream}
    runs["check-retry-after-inf"] = lambda: run_bounded("check", config, deadline=60)
    return runs


@pytest.fixture(scope="module")
def runs() -> Dict[str, Run]:
    with running_sandbox(*SANDBOX_ARGS) as info:
        sandbox = Sandbox(info)
        streams = discovered_catalog(sandbox.config)
        sandbox.faults(";".join(rule for _, _, rule in CASES))
        scenarios = _scenarios(sandbox, streams)
        with ThreadPoolExecutor(max_workers=7) as pool:
            futures = {name: pool.submit(scenario) for name, scenario in scenarios.items()}
            done = {name: future.result() for name, future in futures.items()}
        done["expected"] = {
            "groups": sandbox.expected("groups", "/api/v2/groups"),
            "ticket_metric_events": sandbox.expected(
                "ticket_metric_events", "/api/v2/incremental/ticket_metric_events"
            ),
        }
        sandbox.faults("")
        return done


def _timing(name: str, run: Run) -> None:
    print(f"TIMING {name}: {run.elapsed:.1f}s, peak RSS {run.peak_rss_mb:.0f} MB, stopped={run.stopped}")


def _failed_by_name(run: Run, stream: str) -> None:
    assert run.stopped is None and run.returncode != 0, run.describe()
    assert names_stream(run, stream) and run.statuses(stream)[-1:] == ["INCOMPLETE"], run.describe()
    assert no_traceback(run), run.describe()
    assert not any("unexpected error" in message.lower() for message in run.error_messages()), run.describe()


def test_a_retry_after_date_in_2099_is_refused_at_once_by_the_wait_cap(runs):
    run = runs["retry-after-date"]
    _timing("retry-after-date", run)
    _failed_by_name(run, "brands")
    assert run.elapsed < 30, run.describe()
    messages = " ".join(run.error_messages())
    assert "Retry-After: Thu, 01 Jan 2099 00:00:00 GMT" in messages and "max_wait_seconds" in messages, messages


@pytest.mark.parametrize(
    "case, stream, shown",
    [
        ("retry-after-huge", "macros", "1000000000000"),
        ("retry-after-inf", "triggers", "inf"),
        ("retry-after-nan", "views", "nan"),
    ],
)
def test_a_retry_after_beyond_any_bound_fails_the_stream_by_name(runs, case, stream, shown):
    run = runs[case]
    _timing(case, run)
    _failed_by_name(run, stream)
    assert run.elapsed < 30, run.describe()
    assert any(f"Retry-After: {shown}" in message for message in run.error_messages()), run.describe()


@pytest.mark.parametrize(
    "case, stream, shown", [("reset-1e20", "ticket_fields", "1e20"), ("reset-inf", "user_fields", "inf")]
)
def test_a_ratelimit_reset_beyond_any_bound_fails_the_stream_by_name(runs, case, stream, shown):
    run = runs[case]
    _timing(case, run)
    _failed_by_name(run, stream)
    assert run.elapsed < 30, run.describe()
    assert any(f"ratelimit-reset: {shown}" in message for message in run.error_messages()), run.describe()


def test_check_names_a_retry_after_that_is_no_wait(runs):
    run = runs["check-retry-after-inf"]
    _timing("check-retry-after-inf", run)
    assert run.stopped is None and run.elapsed < 30 and no_traceback(run), run.describe()
    status = run.of_type("CONNECTION_STATUS")
    assert status and status[0]["connectionStatus"]["status"] == "FAILED", run.describe()
    assert "Retry-After: inf" in status[0]["connectionStatus"]["message"], run.describe()


def test_a_short_body_on_a_held_connection_meets_the_idle_read_limit_and_is_retried_by_its_name(runs):
    run = runs["short-body"]
    _timing("short-body", run)
    assert run.stopped is None and run.returncode == 0, run.describe()
    assert len({record["id"] for record in run.records["groups"]}) == runs["expected"]["groups"], run.describe()
    assert run.elapsed < STALL_CASE_BOUND, run.describe()
    assert not any("rate limit" in line.lower() for line in run.logs()), run.describe()
    assert any("stopped sending" in line and "groups" in line for line in run.logs()), run.logs()


@pytest.mark.parametrize(
    "case, stream, told",
    [("http-500", "group_memberships", "HTTP 500"), ("reset", "organization_memberships", "reset")],
)
def test_a_retry_is_logged_as_what_happened_not_as_a_rate_limit(runs, case, stream, told):
    run = runs[case]
    _timing(case, run)
    assert run.stopped is None and run.returncode == 0 and run.records[stream], run.describe()
    assert not any("rate limit" in line.lower() for line in run.logs()), run.describe()
    assert any(told in line and stream in line and ("again" in line or "retrying" in line) for line in run.logs()), (
        run.logs()
    )


def test_a_huge_end_time_fails_the_export_by_name(runs):
    run = runs["huge-end-time"]
    _timing("huge-end-time", run)
    _failed_by_name(run, "organizations")
    assert any("end_time" in message and "9000000000000000000" in message for message in run.error_messages()), (
        run.describe()
    )


def test_string_ids_repeated_as_integers_on_the_next_export_page_are_read_once(runs):
    """A time export page cut in its last second: Zendesk repeats that second's records on the next page. The
    first page's ids came as strings, the repeat's as integers: the same records all the same."""
    run = runs["string-ids-time"]
    _timing("string-ids-time", run)
    assert run.stopped is None and run.returncode == 0 and no_traceback(run), run.describe()
    ids = [int(record["id"]) for record in run.records["ticket_metric_events"]]
    assert len(ids) == len(set(ids)) == runs["expected"]["ticket_metric_events"], (len(ids), len(set(ids)))


def test_no_hostile_case_prints_a_traceback_or_an_unexpected_error(runs):
    """Whatever each case ends in, what a user reads names the problem (a TRACE's stack_trace field aside)."""
    bad = {}
    for case, stream, _ in CASES:
        run = runs[case]
        unexpected = [m for m in run.error_messages() if "unexpected error" in m.lower()]
        if run.stopped is not None or not no_traceback(run) or unexpected:
            bad[case] = run.describe()
    assert not bad, "\n\n".join(f"{case}: {text}" for case, text in bad.items())
