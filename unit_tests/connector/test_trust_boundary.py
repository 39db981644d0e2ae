"""The trust boundary: links and redirects from responses stay on the configured origin, the token endpoint follows
no redirect and gives up within its deadline, and no secret (or its encoded form, or a fragment) leaves in output."""

from __future__ import annotations

import base64
import io

import pytest
from airbyte_cdk.models import FailureType
from airbyte_cdk.utils.traced_exception import AirbyteTracedException

from source_zendesk_support.http.auth import TOKEN_ATTEMPTS, TOKEN_DEADLINE_SECONDS, request_token
from source_zendesk_support.http.origin_policy import OriginRefused
from source_zendesk_support.foundation.redaction import MASK, RedactingStream, Redactor

from .support import BASE, make_config, make_stream, ok, read_streams, run_stream, url

OTHER = "https://other.example"
TOKENS = f"{BASE}/oauth/tokens"


def audits_page(records, next_link=None, has_more=False):
    return ok(
        {
            "audits": records,
            "meta": {"has_more": has_more, "after_cursor": "A1", "before_cursor": None},
            "links": {"next": next_link, "prev": None},
        }
    )


def oauth_config():
    return make_config(
        credentials={
            "auth_type": "oauth2_refresh",
            "client_id": "cid",
            "client_secret": "csecret",
            "refresh_token": "R0",
        }
    )


def hosts(api):
    return {request.netloc for request in api.request_history}


# --- links and redirects -----------------------------------------------------------------------------------------
def test_a_next_link_on_another_host_is_rebased_onto_the_configured_origin(api):
    link = f"{OTHER}/api/v2/ticket_audits.json?page%5Bafter%5D=LINKED"
    api.get(url("ticket_audits"), [audits_page([{"id": 1, "created_at": "2024-01-02T00:00:00Z"}], link, has_more=True)])
    api.get(url("ticket_audits.json"), [audits_page([{"id": 2, "created_at": "2024-01-03T00:00:00Z"}])])
    records, _, _ = run_stream(make_stream("ticket_audits"))
    assert [r["id"] for r in records] == [1, 2]
    assert api.request_history[1].url == url("ticket_audits.json?page%5Bafter%5D=LINKED")
    assert hosts(api) == {"127.0.0.1:8765"}


def test_a_next_link_off_the_origin_and_off_the_api_is_refused_naming_the_stream(api):
    link = f"{OTHER}/collect?page=2"
    api.get(url("ticket_audits"), [audits_page([{"id": 1, "created_at": "2024-01-02T00:00:00Z"}], link, has_more=True)])
    with pytest.raises(OriginRefused) as refused:
        run_stream(make_stream("ticket_audits"))
    assert "ticket_audits" in refused.value.message and "other.example/collect" in refused.value.message
    assert hosts(api) == {"127.0.0.1:8765"} and len(api.request_history) == 1


def test_a_redirect_to_another_origin_is_not_followed(api):
    api.get(url("ticket_audits"), status_code=302, headers={"Location": f"{OTHER}/api/v2/ticket_audits"})
    with pytest.raises(OriginRefused) as refused:
        run_stream(make_stream("ticket_audits"))
    assert "ticket_audits" in refused.value.message and "redirected" in refused.value.message
    assert hosts(api) == {"127.0.0.1:8765"} and len(api.request_history) == 1


def test_a_redirect_within_the_origin_is_followed(api):
    api.get(url("ticket_audits"), status_code=301, headers={"Location": "/api/v2/moved_audits"})
    api.get(url("moved_audits"), [audits_page([{"id": 7, "created_at": "2024-01-02T00:00:00Z"}])])
    records, _, _ = run_stream(make_stream("ticket_audits"))
    assert [r["id"] for r in records] == [7]


# --- the token endpoint ------------------------------------------------------------------------------------------
def test_the_token_endpoint_redirect_is_not_followed(api):
    api.post(TOKENS, status_code=307, headers={"Location": f"{OTHER}/oauth/tokens"})
    with pytest.raises(AirbyteTracedException) as failed:
        request_token(TOKENS, {"grant_type": "refresh_token", "client_secret": "csecret"})
    assert failed.value.failure_type == FailureType.config_error
    assert hosts(api) == {"127.0.0.1:8765"} and len(api.request_history) == 1


def test_a_token_endpoint_302_is_a_config_error_and_no_request_carries_bearer_none(api):
    api.post(TOKENS, status_code=302, headers={"Location": f"{OTHER}/login"})
    api.get(url("groups"), [ok({"groups": [], "meta": {"has_more": False}})])
    output = read_streams(["groups"], config=oauth_config(), expect_failure=True)
    assert FailureType.config_error in {m.trace.error.failure_type for m in output.errors}
    assert all(request.headers.get("Authorization") != "Bearer None" for request in api.request_history)
    assert not [r for r in api.request_history if r.method == "GET"]
    assert hosts(api) == {"127.0.0.1:8765"}


def test_a_failing_token_endpoint_gives_up_within_the_deadline_as_transient(api, clock):
    api.post(TOKENS, status_code=500, text="down")
    with pytest.raises(AirbyteTracedException) as failed:
        request_token(TOKENS, {"grant_type": "refresh_token"})
    assert failed.value.failure_type == FailureType.transient_error
    assert len(api.request_history) == TOKEN_ATTEMPTS
    assert 0 < clock.total_slept() <= TOKEN_DEADLINE_SECONDS


# --- redaction ---------------------------------------------------------------------------------------------------
SECRET = "zd-S3cret-Tok3n-41f9"


def redactor() -> Redactor:
    masking = Redactor()
    masking.register(SECRET)
    return masking


def test_a_secret_its_base64_form_and_any_fragment_are_masked():
    masking = redactor()
    encoded = base64.b64encode(SECRET.encode()).decode()
    for leaked in (SECRET, encoded, SECRET[3:9], SECRET[-7:]):
        masked = masking.mask(f"server said: {leaked}!")
        assert leaked not in masked and MASK in masked, leaked
    assert masking.mask("nothing to hide here") == "nothing to hide here"


@pytest.mark.parametrize("kind", ["RECORD", "STATE", "CONTROL"])
def test_record_state_and_control_lines_pass_unchanged(kind):
    target = io.StringIO()
    line = '{"type":"%s","payload":"%s"}\n' % (kind, SECRET)
    RedactingStream(target, redactor()).write(line)
    assert target.getvalue() == line


def test_a_log_line_among_record_lines_is_masked_and_the_records_pass_unchanged():
    target = io.StringIO()
    record = '{"type":"RECORD","record":{"data":{"note":"%s"}}}' % SECRET
    batch = "\n".join([record, record, '{"type":"LOG","log":{"message":"%s"}}' % SECRET, record]) + "\n"
    RedactingStream(target, redactor()).write(batch)
    lines = target.getvalue().split("\n")
    assert lines[0] == lines[1] == lines[3] == record and lines[4] == ""
    assert SECRET not in lines[2] and MASK in lines[2]


def test_a_line_without_its_newline_yet_is_masked():
    target = io.StringIO()
    RedactingStream(target, redactor()).write('{"type":"RECORD"}\nsecret is %s' % SECRET)
    assert target.getvalue().startswith('{"type":"RECORD"}\n') and SECRET not in target.getvalue()


def test_log_and_trace_lines_are_masked():
    target = io.StringIO()
    RedactingStream(target, redactor()).write(
        '{"type":"LOG","log":{"message":"%s"}}\n{"type":"TRACE","x":"%s"}\n' % (SECRET, SECRET[2:10])
    )
    assert SECRET not in target.getvalue() and SECRET[2:10] not in target.getvalue()
    assert target.getvalue().count(MASK) >= 2
