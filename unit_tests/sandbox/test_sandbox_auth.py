"""Authentication: API tokens, bearer tokens, refused passwords, OAuth refresh rotation and expiry, agent 403."""

import base64
import time

import pytest
import requests

from sandbox_client import Client
from sandbox_fixture import running_sandbox

pytestmark = pytest.mark.process  # starts the sandbox or the entrypoint, or opens a socket

COULDNT = {"error": "Couldn't authenticate you"}
INVALID_TOKEN = {
    "error": "invalid_token",
    "error_description": "The access token provided is expired, revoked, malformed or invalid for other reasons.",
}
ADMIN_ONLY = {
    "error": "Forbidden",
    "description": "You do not have access to this page. Please contact the "
    "account owner of this help desk for further help.",
}


@pytest.fixture(scope="module")
def info():
    # time-scale 60: a token asked to live 600 Zendesk-seconds lasts 10 real seconds
    with running_sandbox(
        "--tickets", "60", "--rate-limit", "0", "--export-rate-limit", "100000", "--time-scale", "60"
    ) as info:
        yield info


def token(info, **form):
    return requests.post(
        info["oauth"]["token_url"],
        data={"client_id": info["oauth"]["client_id"], "client_secret": info["oauth"]["client_secret"], **form},
        timeout=10,
    )


def test_api_token_and_bearer_work(info):
    assert Client(info).json("/api/v2/users/me")["user"]["email"] == info["email"]
    assert Client(info, "bearer").json("/api/v2/users/me")["user"]["role"] == "admin"


@pytest.mark.parametrize(
    "header",
    [
        None,
        "Basic " + base64.b64encode(b"admin@sandbox.example.com:secret").decode(),
        "Basic " + base64.b64encode(b"admin@sandbox.example.com/token:wrong").decode(),
        "Basic !!!",
        "Digest abc",
    ],
)
def test_bad_or_password_credentials_get_401(info, header):
    r = requests.get(info["url"] + "/api/v2/tickets", headers={"Authorization": header} if header else {}, timeout=10)
    assert r.status_code == 401 and r.json() == COULDNT


def test_real_password_is_refused_too(info):
    r = requests.get(info["url"] + "/api/v2/tickets", auth=(info["email"], info["password"]), timeout=10)
    assert r.status_code == 401 and r.json() == COULDNT


def test_unknown_bearer_gets_invalid_token(info):
    r = requests.get(info["url"] + "/api/v2/tickets", headers={"Authorization": "Bearer nope"}, timeout=10)
    assert r.status_code == 401 and r.json() == INVALID_TOKEN


@pytest.mark.parametrize(
    "path",
    [
        "/api/v2/incremental/tickets?start_time=0",
        "/api/v2/incremental/users/cursor?start_time=0",
        "/api/v2/ticket_audits",
        "/api/v2/audit_logs",
    ],
)
def test_agent_gets_403_on_admin_only_endpoints(info, path):
    r = Client(info, "agent").get(path, expect=403)
    assert r.json() == ADMIN_ONLY
    Client(info, "agent").get("/api/v2/tickets")  # but may list tickets


def test_refresh_tokens_rotate_and_are_single_use(info):
    # the printed refresh token is consumed here; each refresh returns a new pair
    first = token(info, grant_type="refresh_token", refresh_token=info["oauth"]["refresh_token"])
    assert first.status_code == 200, first.text
    body = first.json()
    assert body["token_type"] == "bearer" and body["expires_in"] == 1800 and body["refresh_token"]
    again = token(info, grant_type="refresh_token", refresh_token=info["oauth"]["refresh_token"])
    assert again.status_code == 400 and again.json()["error"] == "invalid_grant"
    second = requests.post(
        info["oauth"]["token_url"],
        json={
            "grant_type": "refresh_token",
            "refresh_token": body["refresh_token"],
            "client_id": info["oauth"]["client_id"],
            "client_secret": info["oauth"]["client_secret"],
        },
        timeout=10,
    )
    assert second.status_code == 200 and second.json()["refresh_token"] != body["refresh_token"]
    r = requests.get(
        info["url"] + "/api/v2/users/me",
        headers={"Authorization": f"Bearer {second.json()['access_token']}"},
        timeout=10,
    )
    assert r.status_code == 200


def test_client_credentials_and_bad_client(info):
    r = token(info, grant_type="client_credentials")
    assert r.status_code == 200 and "refresh_token" not in r.json()
    bad = requests.post(
        info["oauth"]["token_url"],
        data={"grant_type": "client_credentials", "client_id": "x", "client_secret": "y"},
        timeout=10,
    )
    assert bad.status_code == 401 and bad.json()["error"] == "invalid_client"


def test_access_token_expires_mid_walk(info):
    access = token(info, grant_type="client_credentials", expires_in=600).json()["access_token"]
    headers = {"Authorization": f"Bearer {access}"}
    first = requests.get(
        info["url"] + "/api/v2/incremental/tickets/cursor",
        params={"start_time": 0, "per_page": 10},
        headers=headers,
        timeout=10,
    )
    assert first.status_code == 200
    time.sleep(10.5)  # 600 Zendesk-seconds at time-scale 60
    r = requests.get(first.json()["after_url"], headers=headers, timeout=10)
    assert r.status_code == 401 and r.json() == INVALID_TOKEN


def test_control_endpoints_need_no_auth(info):
    assert requests.get(info["url"] + "/_sandbox/summary", timeout=10).status_code == 200
