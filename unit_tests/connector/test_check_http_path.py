"""check sends its requests the way every stream does: retries, rate-limit waits and the same error texts."""

from __future__ import annotations

import logging

from airbyte_cdk.models import Status

from source_zendesk_support.http.error_policy import REFUSED_CREDENTIALS
from source_zendesk_support.source import SourceZendeskSupport

from .support import make_config, ok, raw, read_streams, url

ME = url("users/me.json")
ADMIN = ok({"user": {"id": 5, "role": "admin", "email": "admin@acme.example"}})


def check():
    status = SourceZendeskSupport().check(logging.getLogger("airbyte"), make_config())
    return status.status, status.message


def test_check_retries_a_passing_server_error(api):
    me = api.get(ME, [raw("busy", 503), ADMIN])
    assert check() == (Status.SUCCEEDED, None)
    assert me.call_count == 2


def test_check_waits_out_a_rate_limit_as_zendesk_asks(api, clock):
    me = api.get(ME, [ok({"error": "TooManyRequests"}, status=429, headers={"Retry-After": "7"}), ADMIN])
    assert check() == (Status.SUCCEEDED, None)
    assert me.call_count == 2
    assert clock.total_slept(minimum=5) >= 6


def test_check_and_a_stream_refuse_credentials_in_the_same_words(api):
    api.get(ME, [ok({"error": "Couldn't authenticate you"}, status=401)])
    api.get(url("triggers"), [ok({"error": "Couldn't authenticate you"}, status=401)])
    status, message = check()
    output = read_streams(["triggers"], expect_failure=True)
    assert status == Status.FAILED and message.startswith(REFUSED_CREDENTIALS)
    assert any(error.trace.error.message == message for error in output.errors)
