"""How each request reacts to Zendesk's answers: waits, retries, token refresh, plan gates and hard failures."""

from __future__ import annotations

import email.utils
import logging
from datetime import datetime, timedelta, timezone

import pytest
import requests
from airbyte_cdk.models import AirbyteStreamStatus, FailureType
from airbyte_cdk.sources.streams.http.error_handlers import ResponseAction
from airbyte_cdk.utils.traced_exception import AirbyteTracedException

from source_zendesk_support.http.error_policy import CDK_EXTRA_SLEEP, ZendeskBackoff, ZendeskErrorHandler
from source_zendesk_support.http.retry_policy import SYNC_RETRIES, asking_for_page_of

from .support import (
    make_stream,
    ok,
    raw,
    read_streams,
    records_of,
    run_stream,
    statuses_of,
    url,
    warnings_of,
)

MAX_BACKOFF_SECONDS = SYNC_RETRIES.max_backoff_seconds
GROUPS = url("groups")
GOOD = ok({"groups": [{"id": 1, "updated_at": "2024-01-02T00:00:00Z"}], "meta": {"has_more": False}})


def response(status: int, body: bytes = b"{}", headers=None, request_url: str = GROUPS) -> requests.Response:
    answer = requests.Response()
    answer.status_code = status
    answer._content = body
    answer.headers.update({"Content-Type": "application/json", **(headers or {})})
    answer.request = requests.Request("GET", request_url).prepare()
    return answer


# --- the error handler's table -------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "status,body,content_type,action",
    [
        (200, b'{"groups": []}', "application/json; charset=utf-8", ResponseAction.SUCCESS),
        (200, b'{"groups": [{"id": 1', "application/json", ResponseAction.RETRY),  # truncated
        (200, b"<html>maintenance</html>", "text/html", ResponseAction.RETRY),
        (200, b"", "application/json", ResponseAction.RETRY),
        # a retry whose wait the backoff reports (log line and RATE_LIMITED status with the reset time)
        (429, b"Number of allowed API requests per minute exceeded", "text/plain", ResponseAction.RETRY),
        (500, b"", "text/html", ResponseAction.RETRY),
        (502, b"", "text/html", ResponseAction.RETRY),
        (503, b"", "text/html", ResponseAction.RETRY),
        (504, b"", "text/html", ResponseAction.RETRY),  # a small page: retried as it is
        (408, b"", "text/html", ResponseAction.RETRY),
        (409, b"{}", "application/json", ResponseAction.RETRY),
        (400, b"{}", "application/json", ResponseAction.IGNORE),  # the stream interprets it
        (403, b"{}", "application/json", ResponseAction.IGNORE),
        (404, b"{}", "application/json", ResponseAction.IGNORE),
        (410, b"{}", "application/json", ResponseAction.IGNORE),
        (422, b"{}", "application/json", ResponseAction.IGNORE),
        (418, b"teapot", "text/plain", ResponseAction.IGNORE),  # the stream fails on it, telling the body by its shape
    ],
)
def test_error_handler_table(status, body, content_type, action):
    handler = ZendeskErrorHandler(logging.getLogger("test"), can_refresh_token=False)
    assert handler.interpret_response(response(status, body, {"Content-Type": content_type})).response_action == action


def test_504_on_a_big_export_page_is_handed_back_to_shrink_it():
    handler = ZendeskErrorHandler(logging.getLogger("test"), can_refresh_token=False)
    big = response(
        504, b"", {"Content-Type": "text/html"}, request_url=url("incremental/ticket_events?start_time=1&per_page=1000")
    )
    small = response(
        504, b"", {"Content-Type": "text/html"}, request_url=url("incremental/ticket_events?start_time=1&per_page=100")
    )
    with asking_for_page_of(1000):  # the export walker's request for a page of 1000
        assert handler.interpret_response(big).response_action == ResponseAction.IGNORE
    with asking_for_page_of(100):
        assert handler.interpret_response(small).response_action == ResponseAction.RETRY


def test_401_is_a_config_error_without_oauth_refresh_and_a_refresh_with_it():
    plain = ZendeskErrorHandler(logging.getLogger("test"), can_refresh_token=False).interpret_response(response(401))
    assert plain.response_action == ResponseAction.FAIL and plain.failure_type == FailureType.config_error
    oauth = ZendeskErrorHandler(logging.getLogger("test"), can_refresh_token=True).interpret_response(response(401))
    assert oauth.response_action == ResponseAction.REFRESH_TOKEN_THEN_RETRY


def test_network_errors_are_retried():
    handler = ZendeskErrorHandler(logging.getLogger("test"), can_refresh_token=False)
    assert (
        handler.interpret_response(requests.exceptions.ConnectionError("reset")).response_action == ResponseAction.RETRY
    )
    assert handler.interpret_response(requests.exceptions.ReadTimeout()).response_action == ResponseAction.RETRY


def test_retries_outlast_an_incident():
    handler = ZendeskErrorHandler(logging.getLogger("test"), can_refresh_token=False)
    waits = [min(MAX_BACKOFF_SECONDS, 2**n) for n in range(handler.max_retries)]
    assert sum(waits) * 0.8 >= 5 * 60, "retries must span minutes, not seconds"
    assert handler.max_time >= 30 * 60


# --- backoff --------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("status", [429, 503])
def test_backoff_waits_exactly_retry_after_once_the_cdk_adds_its_second(status):
    wait = ZendeskBackoff().backoff_time(response(status, headers={"Retry-After": "17"}), attempt_count=1)
    assert wait + CDK_EXTRA_SLEEP == 17


def test_backoff_reads_ratelimit_reset_on_429_only():
    assert ZendeskBackoff().backoff_time(response(429, headers={"ratelimit-reset": "9"}), 1) + CDK_EXTRA_SLEEP == 9
    assert ZendeskBackoff(base_seconds=1).backoff_time(response(500, headers={"ratelimit-reset": "900"}), 1) < 2


def test_backoff_without_a_hint_grows_with_jitter_and_caps_at_a_minute():
    strategy = ZendeskBackoff(base_seconds=1.0)
    for attempt in range(1, 15):
        wait = strategy.backoff_time(response(500), attempt) + CDK_EXTRA_SLEEP
        expected = min(MAX_BACKOFF_SECONDS, 2 ** (attempt - 1))
        assert 0.8 * expected - 1e-9 <= wait <= expected + 1e-9 or wait == pytest.approx(CDK_EXTRA_SLEEP + 0.001)


@pytest.mark.parametrize("value", ["soon", "inf", "nan", "-5", "1e20", "1" * 400, "Thu, 99 Foo 2099"])
def test_a_retry_after_that_is_no_wait_fails_the_stream_naming_it(value):
    with pytest.raises(AirbyteTracedException) as refused:
        ZendeskBackoff(stream="groups").backoff_time(response(429, headers={"Retry-After": value}), 1)
    assert refused.value.message.startswith("Stream groups: Zendesk sent Retry-After: ")
    assert refused.value.failure_type == FailureType.transient_error


def test_a_retry_after_date_is_the_wait_until_then():
    soon = email.utils.format_datetime(datetime.now(timezone.utc) + timedelta(seconds=30), usegmt=True)
    assert 27 <= ZendeskBackoff().backoff_time(response(429, headers={"Retry-After": soon}), 1) + CDK_EXTRA_SLEEP <= 31
    past = email.utils.format_datetime(datetime.now(timezone.utc) - timedelta(days=1), usegmt=True)
    assert ZendeskBackoff().backoff_time(response(429, headers={"Retry-After": past}), 1) < 0.01


@pytest.mark.parametrize(
    "value, shown",
    [("Thu, 01 Jan 2099 00:00:00 GMT", "Thu, 01 Jan 2099 00:00:00 GMT"), ("1000000000000", "1000000000000")],
)
def test_a_retry_after_beyond_the_cap_is_refused_by_it_in_either_form(value, shown):
    with pytest.raises(AirbyteTracedException) as refused:
        ZendeskBackoff(max_wait_seconds=900, stream="groups").backoff_time(
            response(429, headers={"Retry-After": value}), 1
        )
    assert f"Retry-After: {shown}" in refused.value.message and "beyond the 900 s cap" in refused.value.message


# --- end to end through the HTTP client (the fake clock records every sleep) --------------------------------------
@pytest.mark.parametrize("extra_headers", [{}, {"ratelimit-remaining": "0", "ratelimit-limit": "700"}])
def test_429_waits_exactly_retry_after(api, clock, extra_headers):
    api.get(
        GROUPS,
        [raw("Number of allowed API requests per minute exceeded", 429, {"Retry-After": "7", **extra_headers}), GOOD],
    )
    records, _, _ = run_stream(make_stream("groups"))
    assert [r["id"] for r in records] == [1]
    assert clock.total_slept() == pytest.approx(7.0)


def test_429_json_body_from_the_export_limiter(api, clock):
    path = url("incremental/ticket_events")
    limited = ok(
        {
            "error": "APIRateLimitExceeded",
            "description": "Number of allowed incremental export API requests per minute exceeded",
        },
        status=429,
        headers={"Retry-After": "31", "zendesk-ratelimit-incremental-exports": "total=10; remaining=0; resets=31"},
    )
    api.get(path, [limited, ok({"ticket_events": [], "count": 0, "end_of_stream": True, "end_time": 1})])
    run_stream(make_stream("ticket_events"))
    assert clock.total_slept() == pytest.approx(31.0)


@pytest.mark.parametrize("status", [500, 502, 503, 504])
def test_5xx_is_retried(api, clock, status):
    api.get(GROUPS, [raw("<html>oops</html>", status, {"Content-Type": "text/html"})] * 3 + [GOOD])
    records, _, _ = run_stream(make_stream("groups"))
    assert [r["id"] for r in records] == [1] and len(api.request_history) == 4
    assert clock.total_slept() > 0


def test_503_with_retry_after_waits_what_it_says(api, clock):
    api.get(GROUPS, [raw("", 503, {"Retry-After": "12"}), GOOD])
    run_stream(make_stream("groups"))
    assert clock.total_slept() == pytest.approx(12.0)


@pytest.mark.parametrize(
    "bad",
    [
        raw('{"groups": [{"id": 1, "upda', 200, {"Content-Type": "application/json"}),
        raw(
            "<!DOCTYPE html><html><body>Zendesk is down for maintenance</body></html>",
            200,
            {"Content-Type": "text/html"},
        ),
    ],
)
def test_truncated_or_html_200_is_retried(api, clock, bad):
    api.get(GROUPS, [bad, GOOD])
    records, _, _ = run_stream(make_stream("groups"))
    assert [r["id"] for r in records] == [1] and len(api.request_history) == 2


def test_connection_reset_and_timeout_are_retried(api, clock):
    api.get(
        GROUPS,
        [
            {"exc": requests.exceptions.ConnectionError("reset by peer")},
            {"exc": requests.exceptions.ReadTimeout("slow")},
            GOOD,
        ],
    )
    records, _, _ = run_stream(make_stream("groups"))
    assert [r["id"] for r in records] == [1] and len(api.request_history) == 3


def test_every_request_has_a_timeout(api):
    api.get(GROUPS, [GOOD])
    run_stream(make_stream("groups"))
    connect, read_timeout = api.request_history[0].timeout
    assert connect and read_timeout


def test_persistent_5xx_eventually_fails_the_stream(api, clock):
    api.get(GROUPS, [raw("", 500)] * 40)
    with pytest.raises(Exception):
        run_stream(make_stream("groups"))
    assert 10 <= len(api.request_history) <= 14
    assert clock.total_slept() >= 5 * 60  # outlasts a few minutes of incident before giving up


# --- plan gates and credentials through the whole source -------------------------------------------------------------
def test_403_and_404_skip_the_stream_with_one_warning_and_the_sync_succeeds(api):
    api.get(GROUPS, [GOOD])
    api.get(
        url("slas/policies"),
        [ok({"error": "Forbidden", "description": "You do not have access to this page."}, status=403)],
    )
    api.get(url("business_hours/schedules"), [ok({"error": "InvalidEndpoint", "description": "Not found"}, status=404)])
    output = read_streams(["groups", "sla_policies", "schedules"])
    assert not output.errors
    assert [r["id"] for r in records_of(output, "groups")] == [1]
    assert statuses_of(output, "groups")[-1] == AirbyteStreamStatus.COMPLETE
    for gated in ("sla_policies", "schedules"):
        assert statuses_of(output, gated)[-1] == AirbyteStreamStatus.INCOMPLETE
        assert len([w for w in warnings_of(output) if f"Stream '{gated}' skipped" in w]) == 1
    assert len(api.request_history) == 3  # a plan gate is not retried


def test_401_with_an_api_token_fails_as_a_config_error(api):
    api.get(GROUPS, [ok({"error": "Couldn't authenticate you"}, status=401)])
    output = read_streams(["groups"], expect_failure=True)
    failure_types = {m.trace.error.failure_type for m in output.errors}
    assert FailureType.config_error in failure_types
    assert any("Zendesk refused the credentials" in m.trace.error.message for m in output.errors)
    assert len(api.request_history) == 1


def test_unexpected_status_fails_as_a_system_error(api):
    api.get(GROUPS, [raw("I'm a teapot", 418, {"Content-Type": "text/plain"})])
    output = read_streams(["groups"], expect_failure=True)
    assert output.errors and statuses_of(output, "groups")[-1] == AirbyteStreamStatus.INCOMPLETE


def test_a_wait_above_the_cap_fails_the_stream_saying_when_to_retry(api):
    api.get(GROUPS, [raw('{"error": "slow down"}', 429, {"Content-Type": "application/json", "Retry-After": "86400"})])
    output = read_streams(["groups"], expect_failure=True)
    messages = [error.trace.error.message for error in output.errors]
    assert any(
        "asked to wait 86400 s" in message and "max_wait_seconds" in message and "Run the sync again after" in message
        for message in messages
    ), messages
    assert any(error.trace.error.failure_type == FailureType.transient_error for error in output.errors)
    assert statuses_of(output, "groups")[-1] == AirbyteStreamStatus.INCOMPLETE


def test_a_wait_below_the_cap_is_waited_and_logged():
    logger = logging.getLogger("test-wait")
    strategy = ZendeskBackoff(max_wait_seconds=60, stream="groups", logger=logger)
    assert strategy.backoff_time(response(429, headers={"Retry-After": "30"}), 1) + CDK_EXTRA_SLEEP == 30
    with pytest.raises(Exception, match="beyond the 60 s cap"):
        strategy.backoff_time(response(429, headers={"Retry-After": "61"}), 1)


def test_an_unexpected_status_fails_the_stream_naming_the_body_by_its_shape_not_its_records(api):
    api.get(GROUPS, **ok({"groups": [{"id": 1, "name": "Ada Lovelace", "email": "ada@example.com"}]}, status=418))
    output = read_streams(["groups"], expect_failure=True)
    messages = [error.trace.error.message or "" for error in output.errors]
    assert any("HTTP 418" in message and "groups (1 record)" in message for message in messages), messages
    printed = (
        messages
        + [error.trace.error.internal_message or "" for error in output.errors]
        + [log.log.message for log in output.logs]
    )
    assert not any("Ada" in text or "ada@" in text for text in printed)
