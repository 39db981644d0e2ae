"""Credentials: API token header, OAuth access tokens, single-use refresh tokens rotated and persisted,
client credentials."""

from __future__ import annotations

import base64
import json
from datetime import datetime, timedelta, timezone
from urllib.parse import parse_qs

import pytest
from airbyte_cdk.models import FailureType


from .support import (
    API_TOKEN,
    BASE,
    EMAIL,
    make_config,
    make_context,
    make_stream,
    ok,
    read_streams,
    records_of,
    run_stream,
    url,
    warnings_of,
)

GROUPS = url("groups")
TOKENS = f"{BASE}/oauth/tokens"
GOOD = ok({"groups": [{"id": 1, "updated_at": "2024-01-02T00:00:00Z"}], "meta": {"has_more": False}})
INVALID_TOKEN = ok(
    {
        "error": "invalid_token",
        "error_description": "The access token provided is expired, revoked, malformed or invalid for other reasons.",
    },
    status=401,
)


def oauth_config(**credentials):
    return make_config(
        credentials={
            "auth_type": "oauth2_refresh",
            "client_id": "cid",
            "client_secret": "csecret",
            "refresh_token": "R0",
            **credentials,
        }
    )


def token_answer(access: str, refresh: str, expires_in: int = 1800):
    return ok(
        {
            "access_token": access,
            "refresh_token": refresh,
            "token_type": "bearer",
            "expires_in": expires_in,
            "refresh_token_expires_in": 2592000,
            "scope": "read",
        }
    )


def form(request):
    try:
        return json.loads(request.text)
    except (TypeError, ValueError):
        return {key: values[0] for key, values in parse_qs(request.text or "").items()}


def control_configs(captured: str):
    configs = []
    for line in captured.splitlines():
        try:
            message = json.loads(line)
        except ValueError:
            continue
        if message.get("type") == "CONTROL":
            assert message["control"]["type"] == "CONNECTOR_CONFIG"
            configs.append(message["control"]["connectorConfig"]["config"])
    return configs


def recording(seen, *responses):
    """The same responses, noting each request's Authorization header as it is sent (a retried request object is
    re-signed in place, so the recorded history only shows its last header)."""

    def wrap(response):
        text = response["text"]

        def answer(request, context):
            seen.append(request.headers.get("Authorization"))
            return text

        return {**response, "text": answer}

    return [wrap(response) for response in responses]


def iso_in(seconds: int) -> str:
    return (datetime.now(timezone.utc) + timedelta(seconds=seconds)).strftime("%Y-%m-%dT%H:%M:%SZ")


def test_api_token_is_sent_as_basic_email_slash_token(api):
    api.get(GROUPS, [GOOD])
    output = read_streams(["groups"])
    expected = "Basic " + base64.b64encode(f"{EMAIL}/token:{API_TOKEN}".encode()).decode()
    assert api.request_history[0].headers["Authorization"] == expected
    assert len([w for w in warnings_of(output) if "retires API tokens on 2027-04-30" in w]) == 1


def test_access_token_is_sent_as_bearer(api):
    api.get(GROUPS, [GOOD])
    read_streams(
        ["groups"], config=make_config(credentials={"auth_type": "oauth2_access_token", "access_token": "AT-1"})
    )
    assert api.request_history[0].headers["Authorization"] == "Bearer AT-1"


def test_refresh_token_is_exchanged_rotated_and_the_new_pair_persisted(api, capsys):
    api.post(TOKENS, [token_answer("A1", "R1")])
    api.get(GROUPS, [GOOD])
    output = read_streams(["groups"], config=oauth_config())
    assert [r["id"] for r in records_of(output)] == [1]
    refresh = [r for r in api.request_history if r.method == "POST"]
    assert len(refresh) == 1
    assert form(refresh[0]) == {
        "grant_type": "refresh_token",
        "client_id": "cid",
        "client_secret": "csecret",
        "refresh_token": "R0",
    }
    assert [r.headers["Authorization"] for r in api.request_history if r.method == "GET"] == ["Bearer A1"]
    (persisted,) = control_configs(capsys.readouterr().out)
    assert persisted["credentials"]["refresh_token"] == "R1"
    assert persisted["credentials"]["access_token"] == "A1"
    assert persisted["credentials"]["token_expiry_date"]


def test_token_about_to_expire_is_refreshed_before_the_request(api, capsys):
    api.post(TOKENS, [token_answer("A1", "R1")])
    api.get(GROUPS, [GOOD])
    read_streams(["groups"], config=oauth_config(access_token="A0", token_expiry_date=iso_in(30)))
    assert [r.method for r in api.request_history] == ["POST", "GET"]
    assert api.request_history[1].headers["Authorization"] == "Bearer A1"


def test_token_valid_for_a_while_is_used_as_is(api, capsys):
    api.get(GROUPS, [GOOD])
    read_streams(["groups"], config=oauth_config(access_token="A0", token_expiry_date=iso_in(1200)))
    assert [r.method for r in api.request_history] == ["GET"]
    assert api.request_history[0].headers["Authorization"] == "Bearer A0"
    assert control_configs(capsys.readouterr().out) == []


def test_401_refreshes_the_token_and_retries(api, capsys):
    api.post(TOKENS, [token_answer("A1", "R1")])
    sent = []
    api.get(GROUPS, recording(sent, INVALID_TOKEN, GOOD))
    output = read_streams(["groups"], config=oauth_config(access_token="A0", token_expiry_date=iso_in(1200)))
    assert not output.errors and [r["id"] for r in records_of(output)] == [1]
    assert [r.method for r in api.request_history] == ["GET", "POST", "GET"]
    assert sent == ["Bearer A0", "Bearer A1"]
    assert control_configs(capsys.readouterr().out)[-1]["credentials"]["refresh_token"] == "R1"


def test_each_refresh_uses_the_refresh_token_of_the_previous_one(api, capsys):
    api.post(TOKENS, [token_answer("A1", "R1"), token_answer("A2", "R2")])
    api.get(GROUPS, [INVALID_TOKEN, GOOD])
    api.get(url("ticket_fields"), [INVALID_TOKEN, ok({"ticket_fields": [], "meta": {"has_more": False}})])
    context = make_context(oauth_config(access_token="A0", token_expiry_date=iso_in(1200)))
    run_stream(make_stream("groups", context=context))
    run_stream(make_stream("ticket_fields", context=context))
    posts = [form(r) for r in api.request_history if r.method == "POST"]
    assert [p["refresh_token"] for p in posts] == ["R0", "R1"]
    assert control_configs(capsys.readouterr().out)[-1]["credentials"]["refresh_token"] == "R2"


def test_refused_refresh_token_is_a_config_error(api, capsys):
    api.post(TOKENS, [ok({"error": "invalid_grant", "error_description": "The refresh token is invalid"}, status=400)])
    api.get(GROUPS, [GOOD])
    output = read_streams(["groups"], config=oauth_config(), expect_failure=True)
    assert output.errors
    assert FailureType.config_error in {m.trace.error.failure_type for m in output.errors}
    assert not [r for r in api.request_history if r.method == "GET"]


@pytest.mark.parametrize("scope,expected", [(None, "read"), ("read write", "read write")])
def test_client_credentials_body(api, scope, expected):
    credentials = {"auth_type": "oauth2_client_credentials", "client_id": "cid", "client_secret": "csecret"}
    if scope:
        credentials["scope"] = scope
    api.post(TOKENS, [ok({"access_token": "CC1", "token_type": "bearer", "expires_in": 1800, "scope": expected})])
    api.get(GROUPS, [GOOD])
    output = read_streams(["groups"], config=make_config(credentials=credentials))
    assert not output.errors
    post = next(r for r in api.request_history if r.method == "POST")
    assert form(post) == {
        "grant_type": "client_credentials",
        "client_id": "cid",
        "client_secret": "csecret",
        "scope": expected,
    }
    assert next(r for r in api.request_history if r.method == "GET").headers["Authorization"] == "Bearer CC1"


def test_client_credentials_refresh_on_401(api):
    credentials = {"auth_type": "oauth2_client_credentials", "client_id": "cid", "client_secret": "csecret"}
    api.post(TOKENS, [ok({"access_token": "CC1", "expires_in": 1800}), ok({"access_token": "CC2", "expires_in": 1800})])
    sent = []
    api.get(GROUPS, recording(sent, INVALID_TOKEN, GOOD))
    output = read_streams(["groups"], config=make_config(credentials=credentials))
    assert not output.errors
    assert sent == ["Bearer CC1", "Bearer CC2"]


def test_the_persisted_pair_works_for_the_next_sync_without_a_refresh(api, capsys):
    api.post(TOKENS, [token_answer("A1", "R1")])
    api.get(GROUPS, [GOOD, GOOD])
    read_streams(["groups"], config=oauth_config())
    (persisted,) = control_configs(capsys.readouterr().out)
    output = read_streams(["groups"], config=persisted)
    assert not output.errors
    assert [r.method for r in api.request_history] == ["POST", "GET", "GET"]
    assert api.request_history[-1].headers["Authorization"] == "Bearer A1"


def test_a_token_refused_again_after_a_refresh_fails_instead_of_looping(api, capsys):
    api.post(TOKENS, [token_answer("A1", "R1"), token_answer("A2", "R2")])
    api.get(GROUPS, [INVALID_TOKEN] * 5)
    output = read_streams(
        ["groups"], config=oauth_config(access_token="A0", token_expiry_date=iso_in(1200)), expect_failure=True
    )
    assert output.errors
    assert len([r for r in api.request_history if r.method == "POST"]) == 1
    assert len([r for r in api.request_history if r.method == "GET"]) == 2
