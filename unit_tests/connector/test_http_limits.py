"""Limits of the HTTP layer: the body size cap and the whole-request deadline (over a real loopback socket, through
urllib3's own decoding), unreachable hosts, and waits for Zendesk's rate limits (told, capped, refused)."""

from __future__ import annotations

import gzip
import http.server
import json
import logging
import threading
import time
import zlib
from contextlib import contextmanager

import pytest
import requests
from airbyte_cdk.models import AirbyteStreamStatus, FailureType
from airbyte_cdk.sources.streams.http.error_handlers import ResponseAction

from source_zendesk_support.http import error_policy
from source_zendesk_support.http.error_policy import ZendeskBackoff, ZendeskErrorHandler
from source_zendesk_support.http.rate_budget import ZendeskRateBudget
from source_zendesk_support.http.rate_waits import WaitTooLong
from source_zendesk_support.http.transport import (
    MIB,
    BodyStalled,
    BodyTooLarge,
    RequestDeadlineExceeded,
    bounded_session,
    idle_read_for,
)

from .support import make_config, ok, raw, read_streams, records_of, statuses_of, url

REAL_SLEEP = time.sleep  # the unit tests' clock fakes time.sleep; the hostile server really drips
GROUPS = url("groups")
GOOD = ok({"groups": [{"id": 1, "updated_at": "2024-01-02T00:00:00Z"}], "meta": {"has_more": False}})


# --- a loopback server sending what a hostile one would ------------------------------------------------------------
def _bomb(encoding: str, size: int) -> bytes:
    packer = zlib.compressobj(9, zlib.DEFLATED, 31 if encoding == "gzip" else 15)
    return packer.compress(b"{" + b" " * size + b"}") + packer.flush()


class _Hostile(http.server.BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def _send(self, body: bytes, encoding: str = "", length: bool = True) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        if encoding:
            self.send_header("Content-Encoding", encoding)
        if length:
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()

    def do_GET(self):  # noqa: N802 - http.server's name
        try:
            if self.path.startswith("/gzip-bomb"):
                body = _bomb("gzip", 64 * MIB)
                self._send(body, "gzip")
                self.wfile.write(body)
            elif self.path.startswith("/deflate-bomb"):
                body = _bomb("deflate", 64 * MIB)
                self._send(body, "deflate")
                self.wfile.write(body)
            elif self.path.startswith("/small-gzip"):
                body = gzip.compress(b'{"groups": [{"id": 1}]}')
                self._send(body, "gzip")
                self.wfile.write(body)
            elif self.path.startswith("/endless"):
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.end_headers()  # no length: the body ends when the connection does
                for _ in range(200):
                    self.wfile.write(b" " * MIB)
            elif self.path.startswith("/drip-headers"):
                for byte in b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nX-Slow: " + b"-" * 200:
                    self.wfile.write(bytes([byte]))
                    self.wfile.flush()
                    REAL_SLEEP(0.2)
            elif self.path.startswith("/short-held"):
                body = b'{"groups": []}' * 100
                self._send(body)
                self.wfile.write(body[: len(body) // 2])
                self.wfile.flush()
                REAL_SLEEP(5)  # held open, not a byte more: the idle-read limit ends the read first
            elif self.path.startswith("/drip"):
                body = b'{"groups": []}' * 100
                self._send(body)
                for byte in body:
                    self.wfile.write(bytes([byte]))
                    self.wfile.flush()
                    REAL_SLEEP(0.2)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client stopped reading: that is the point


@contextmanager
def hostile_server():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Hostile)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def _session(cap_mb: int = 4, deadline: float = 30.0) -> requests.Session:
    return bounded_session(requests.Session(), cap_mb * MIB, deadline)


@pytest.mark.process
@pytest.mark.parametrize("path", ["/gzip-bomb", "/deflate-bomb", "/endless"])
def test_a_body_past_the_cap_is_refused_while_it_streams_in_counting_decompressed_bytes(path):
    with hostile_server() as base, _session(cap_mb=4) as session:
        with pytest.raises(BodyTooLarge) as refused:
            session.get(base + path + "?page=2", timeout=(5, 5))
    message = str(refused.value)
    assert path in message and "4 MiB" in message and "page=2" not in message
    assert isinstance(refused.value, requests.exceptions.RequestException)  # the CDK's retry loop sees it


@pytest.mark.process
def test_a_body_under_the_cap_arrives_decompressed():
    with hostile_server() as base, _session() as session:
        response = session.get(base + "/small-gzip", timeout=(5, 5))
    assert response.json() == {"groups": [{"id": 1}]} and response.content == b'{"groups": [{"id": 1}]}'


@pytest.mark.process
@pytest.mark.parametrize("path", ["/drip", "/drip-headers"])  # a dripping body; a dripping status line and headers
def test_a_dripping_answer_meets_the_whole_request_deadline(path):
    with hostile_server() as base, _session(deadline=1.5) as session:
        started = time.monotonic()
        with pytest.raises(RequestDeadlineExceeded, match=rf"{path} within 2 s"):
            session.get(base + path, timeout=(5, 5))  # each byte comes well within the socket timeout
    assert time.monotonic() - started < 3


@pytest.mark.process
def test_a_short_body_on_a_held_connection_ends_at_the_idle_read_limit_not_the_read_timeout():
    with hostile_server() as base, bounded_session(requests.Session(), 4 * MIB, 30.0, idle_read_seconds=0.5) as session:
        started = time.monotonic()
        with pytest.raises(BodyStalled) as stalled:
            session.get(base + "/short-held", timeout=(5, 20))
    assert time.monotonic() - started < 3
    assert "stopped sending the answer for /short-held" in str(stalled.value) and "700 of 1400 bytes" in str(
        stalled.value
    )
    resolution = ZendeskErrorHandler(
        logging.getLogger("test"), can_refresh_token=False, stream="groups"
    ).interpret_response(stalled.value)
    assert resolution.response_action == ResponseAction.RETRY and "stopped sending" in resolution.error_message
    assert ZendeskBackoff().backoff_time(stalled.value, 1) < 2  # a short pause; log_policy words the CDK's line


def test_the_idle_read_limit_is_thirty_seconds_or_the_request_timeout_if_shorter():
    assert idle_read_for(120) == 30 and idle_read_for(10) == 10


@pytest.mark.process
def test_a_kept_alive_connection_is_not_cut_after_its_answers_came_in_time():
    with hostile_server() as base, _session(deadline=0.5) as session:
        for _ in range(3):
            assert session.get(base + "/small-gzip", timeout=(5, 5)).json() == {"groups": [{"id": 1}]}
            REAL_SLEEP(0.7)  # past the deadline of the answer before: its alarm was disarmed


# --- how the error policy takes them --------------------------------------------------------------------------------
def _request(target: str = GROUPS) -> requests.PreparedRequest:
    return requests.Request("GET", target).prepare()


def test_a_body_too_large_fails_the_stream_naming_the_path_and_the_cap(api):
    api.get(GROUPS, exc=BodyTooLarge("/api/v2/groups", 64 * MIB, request=_request()))
    output = read_streams(["groups"], expect_failure=True)
    messages = [error.trace.error.message for error in output.errors]
    assert any("Stream groups" in m and "/api/v2/groups" in m and "64 MiB" in m for m in messages), messages
    assert api.call_count == 1  # not retried: the same page would be as large again
    assert statuses_of(output, "groups")[-1] == AirbyteStreamStatus.INCOMPLETE


def test_a_missed_deadline_is_retried_as_a_transient_fault(api, clock):
    api.get(GROUPS, [{"exc": RequestDeadlineExceeded("/api/v2/groups", 240, request=_request())}, GOOD])
    output = read_streams(["groups"])
    assert [r["id"] for r in records_of(output, "groups")] == [1] and not output.errors


def test_an_unreachable_host_is_a_connection_error_naming_it_never_a_rate_limit(monkeypatch):
    now = [1000.0]
    monkeypatch.setattr(error_policy.time, "monotonic", lambda: now[0])
    handler = ZendeskErrorHandler(logging.getLogger("test"), can_refresh_token=False, stream="groups")
    refused = requests.exceptions.ConnectionError(
        "HTTPConnectionPool(host='127.0.0.1', port=9): Max retries exceeded (Caused by NewConnectionError("
        "'Failed to establish a new connection: [Errno 111] Connection refused'))",
        request=_request("http://127.0.0.1:9/api/v2/groups"),
    )
    first = handler.interpret_response(refused)
    assert first.response_action == ResponseAction.RETRY and "127.0.0.1:9 (connection refused)" in first.error_message
    assert (
        ZendeskBackoff().backoff_time(refused, 1) is None
    )  # the CDK's plain retry, which it does not call a rate limit
    now[0] += error_policy.UNREACHABLE_AFTER_SECONDS + 1
    last = handler.interpret_response(refused)
    assert last.response_action == ResponseAction.FAIL and last.failure_type == FailureType.transient_error
    assert "Stream groups: could not connect to 127.0.0.1:9" in last.error_message
    assert "rate limit" not in (first.error_message + last.error_message).lower()


def test_an_answer_in_between_starts_the_unreachable_count_again(monkeypatch):
    now = [1000.0]
    monkeypatch.setattr(error_policy.time, "monotonic", lambda: now[0])
    handler = ZendeskErrorHandler(logging.getLogger("test"), can_refresh_token=False)
    timeout = requests.exceptions.ConnectTimeout("timed out", request=_request())
    handler.interpret_response(timeout)
    now[0] += error_policy.UNREACHABLE_AFTER_SECONDS + 1
    answered = requests.Response()
    answered.status_code, answered._content = 503, b""
    answered.request = _request()
    handler.interpret_response(answered)
    assert handler.interpret_response(timeout).response_action == ResponseAction.RETRY


# --- waits for Zendesk's rate limits ---------------------------------------------------------------------------------
def _rate_limited_statuses(printed: str, stream: str):
    statuses = []
    for line in printed.splitlines():
        if '"STREAM_STATUS"' in line and "RATE_LIMITED" in line:
            status = json.loads(line)["trace"]["stream_status"]
            if status["stream_descriptor"]["name"] == stream:
                statuses.append(status)
    return statuses


def test_a_429_wait_of_some_seconds_is_logged_once_and_reported_as_rate_limited(api, clock, capsys):
    api.get(
        GROUPS,
        [
            raw(
                "Number of allowed API requests per minute exceeded",
                429,
                {"Content-Type": "text/plain", "Retry-After": "8"},
            ),
            GOOD,
        ],
    )
    before = time.time()
    output = read_streams(["groups"])
    assert [r["id"] for r in records_of(output, "groups")] == [1]
    printed = capsys.readouterr().out
    told = [log.log.message for log in output.logs if "waiting 8 s" in log.log.message]
    assert (
        len(told) == 1 and "Stream groups" in told[0] and "account rate limit" in told[0] and "Retry-After" in told[0]
    )
    statuses = _rate_limited_statuses(printed, "groups")
    assert len(statuses) == 1 and statuses[0]["status"] == "RUNNING"
    reset = statuses[0]["reasons"][0]["rate_limited"]["quota_reset"] / 1000
    assert before + 7 <= reset <= time.time() + 9


def test_a_short_wait_is_neither_logged_nor_reported(api, clock, capsys):
    api.get(GROUPS, [raw("slow down", 429, {"Content-Type": "text/plain", "Retry-After": "2"}), GOOD])
    read_streams(["groups"])
    printed = capsys.readouterr().out
    assert not _rate_limited_statuses(printed, "groups") and "waiting 2 s" not in printed


def test_a_2xx_announcing_a_reset_beyond_the_cap_fails_the_next_request_saying_when_to_retry(api, clock):
    spent = {"ratelimit-limit": "700", "ratelimit-remaining": "0", "ratelimit-reset": "86400"}
    api.get(
        GROUPS,
        [
            ok(
                {
                    "groups": [{"id": 1}],
                    "meta": {"has_more": True, "after_cursor": "a"},
                    "links": {"next": GROUPS + "?page[after]=a"},
                },
                headers=spent,
            ),
            GOOD,
        ],
    )
    output = read_streams(["groups"], config=make_config(max_wait_seconds=600), expect_failure=True)
    errors = [error.trace.error for error in output.errors]
    assert any(
        "Stream groups" in e.message
        and "86400" in e.message
        and "beyond the 600 s cap (max_wait_seconds)" in e.message
        and "Run the sync again after" in e.message
        for e in errors
    ), [e.message for e in errors]
    assert all(e.failure_type == FailureType.transient_error for e in errors)
    assert clock.total_slept(minimum=5) == 0  # nothing was slept: the stream said when instead
    assert api.call_count == 1


def test_the_budget_tells_a_wait_within_the_cap_and_refuses_one_beyond(clock, caplog):
    budget = ZendeskRateBudget(max_wait_seconds=100)
    answer = requests.Response()
    answer.status_code = 200
    answer.headers.update({"ratelimit-limit": "700", "ratelimit-remaining": "0", "ratelimit-reset": "30"})
    budget.update_from_response(_request(), answer)
    with caplog.at_level(logging.INFO, logger="airbyte"):
        budget.acquire_call(_request())
    assert any("Waiting 30 s for Zendesk's account rate limit" in r.getMessage() for r in caplog.records)
    answer.headers["ratelimit-reset"] = "500"
    budget.update_from_response(_request(), answer)
    with pytest.raises(WaitTooLong) as refused:
        budget.acquire_call(_request())
    assert refused.value.seconds > 100 and refused.value.window == "account"


def test_check_waits_without_a_stream_status_for_a_stream_that_is_not_there(api, clock, capsys):
    from airbyte_cdk.models import Status

    from source_zendesk_support.source import SourceZendeskSupport

    api.get(
        url("users/me.json"),
        [
            ok({"error": "TooManyRequests"}, status=429, headers={"Retry-After": "8"}),
            ok({"user": {"id": 5, "role": "admin", "email": "admin@acme.example"}}),
        ],
    )
    status = SourceZendeskSupport().check(logging.getLogger("airbyte"), make_config())
    assert status.status == Status.SUCCEEDED
    assert "STREAM_STATUS" not in capsys.readouterr().out
