"""Answers are gzip-compressed when the client accepts gzip, error bodies too, as on Zendesk; --no-compression
turns it off. Read with http.client so nothing decodes the body for us."""

import gzip
import http.client
import json
from base64 import b64encode
from urllib.parse import urlsplit

import pytest

from sandbox_fixture import running_sandbox
from zendesk_sandbox.foundation.compression import accepts_gzip


def raw_get(info: dict, path: str, accept_encoding: str | None = "gzip, deflate", auth: bool = True):
    url = urlsplit(info["url"])
    conn = http.client.HTTPConnection(url.hostname, url.port, timeout=30)
    headers = {}
    if accept_encoding is not None:
        headers["Accept-Encoding"] = accept_encoding
    if auth:
        token = b64encode(f"{info['email']}/token:{info['api_token']}".encode()).decode()
        headers["Authorization"] = f"Basic {token}"
    conn.request("GET", path, headers=headers)
    response = conn.getresponse()
    body = response.read()
    conn.close()
    return response, body


@pytest.fixture(scope="module")
def sandbox():
    with running_sandbox("--tickets", "200", "--rate-limit", "0", "--export-rate-limit", "0") as info:
        yield info


@pytest.fixture(scope="module")
def limited_sandbox():
    with running_sandbox("--tickets", "100", "--rate-limit", "3") as info:
        yield info


@pytest.fixture(scope="module")
def plain_sandbox():
    with running_sandbox("--tickets", "200", "--no-compression") as info:
        yield info


@pytest.mark.process
def test_a_page_is_gzipped_when_gzip_is_accepted(sandbox):
    response, body = raw_get(sandbox, "/api/v2/incremental/tickets/cursor.json?start_time=0")
    assert response.status == 200
    assert response.getheader("Content-Encoding") == "gzip"
    assert "Accept-Encoding" in response.getheader("Vary")
    assert int(response.getheader("Content-Length")) == len(body)
    page = json.loads(gzip.decompress(body))
    assert page["tickets"] and len(body) < len(gzip.decompress(body)) / 3


@pytest.mark.process
@pytest.mark.parametrize("accept", [None, "identity", "deflate, br", "gzip;q=0"])
def test_no_gzip_unless_the_client_accepts_it(sandbox, accept):
    response, body = raw_get(sandbox, "/api/v2/groups", accept_encoding=accept)
    assert response.status == 200
    assert response.getheader("Content-Encoding") is None
    assert json.loads(body)["groups"]


@pytest.mark.process
def test_error_bodies_are_gzipped_too(sandbox, limited_sandbox):
    response, body = raw_get(sandbox, "/api/v2/no_such_thing")
    assert response.status == 404 and response.getheader("Content-Encoding") == "gzip"
    assert json.loads(gzip.decompress(body))["error"] == "InvalidEndpoint"
    response, body = raw_get(sandbox, "/api/v2/groups", auth=False)
    assert response.status == 401 and response.getheader("Content-Encoding") == "gzip"
    assert json.loads(gzip.decompress(body)) == {"error": "Couldn't authenticate you"}
    statuses = []
    for _ in range(6):  # the account allows 3 requests per minute here: the plain-text 429 comes compressed
        response, body = raw_get(limited_sandbox, "/api/v2/brands")
        statuses.append(response.status)
        if response.status == 429:
            assert response.getheader("Content-Encoding") == "gzip"
            assert gzip.decompress(body).decode().startswith("Number of allowed API requests per minute exceeded")
            break
    assert 429 in statuses


@pytest.mark.process
def test_no_compression_flag_sends_plain_bodies(plain_sandbox):
    response, body = raw_get(plain_sandbox, "/api/v2/incremental/tickets/cursor.json?start_time=0")
    assert response.status == 200 and response.getheader("Content-Encoding") is None
    assert json.loads(body)["tickets"]
    response, body = raw_get(plain_sandbox, "/api/v2/no_such_thing")
    assert response.status == 404 and response.getheader("Content-Encoding") is None


@pytest.mark.parametrize(
    "header,expected",
    [
        ("gzip", True),
        ("gzip, deflate, br, zstd", True),
        ("deflate, gzip;q=0.5", True),
        ("*", True),
        ("gzip;q=0", False),
        ("identity", False),
        ("", False),
        ("br", False),
        ("gzip;q=x", False),
    ],
)
def test_accept_encoding_parsing(header, expected):
    assert accepts_gzip(header) is expected
