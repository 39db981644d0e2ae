"""The control endpoints keep browsers out (JSON bodies only, loopback Host only), bound their counts, and the CLI
binds beyond loopback only when told to, with a warning."""

import asyncio
import contextlib
import socket
import subprocess
import sys

import aiohttp
import pytest
from aiohttp.test_utils import TestServer

from zendesk_sandbox.server import app as app_module
from zendesk_sandbox import cli
from zendesk_sandbox.server.control import MAX_MUTATION_COUNT
from zendesk_sandbox.launcher import PROJECT_ROOT
from zendesk_sandbox.foundation.settings import SandboxSettings

pytestmark = pytest.mark.timeout(60)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.asynccontextmanager
async def sandbox(**settings):
    port = free_port()
    app = app_module.create_app(SandboxSettings(tickets=20, **settings), f"http://127.0.0.1:{port}")
    server = TestServer(app, host="127.0.0.1", port=port)
    await server.start_server()
    try:
        async with aiohttp.ClientSession(f"http://127.0.0.1:{port}") as session:
            yield session
    finally:
        await server.close()


def run(coro):
    return asyncio.run(coro)


@pytest.mark.parametrize(
    "path, body",
    [
        ("/_sandbox/mutate", '{"tickets": {"create": 1}}'),
        ("/_sandbox/faults", '{"spec": "500"}'),
        ("/_sandbox/stats/reset", "{}"),
    ],
)
@pytest.mark.process
def test_a_cross_site_text_plain_post_is_refused_and_changes_nothing(path, body):
    async def scenario():
        async with sandbox() as http:
            for content_type in ("text/plain", "application/x-www-form-urlencoded", None):
                headers = {"Content-Type": content_type} if content_type else {}
                async with http.post(path, data=body.encode(), headers=headers) as response:
                    assert response.status == 415, (content_type, await response.text())
                    assert "application/json" in (await response.json())["description"]
            async with http.get("/_sandbox/faults") as response:
                assert (await response.json())["rules"] == []
            async with http.get("/_sandbox/summary") as response:
                assert (await response.json())["resources"]["tickets"]["total"] == 20
            async with http.post(path, data=body.encode(), headers={"Content-Type": "application/json"}) as response:
                assert response.status in (200, 201)

    run(scenario())


@pytest.mark.process
@pytest.mark.parametrize("host", ["evil.example.com", "evil.example.com:8080", "10.0.0.5", "127.0.0.1.nip.io"])
def test_a_rebound_dns_name_cannot_reach_the_control_endpoints(host):
    async def scenario():
        async with sandbox() as http:
            for method, path in (
                ("GET", "/_sandbox/summary"),
                ("POST", "/_sandbox/mutate"),
                ("DELETE", "/_sandbox/faults"),
                ("GET", "/_sandbox/stats"),
            ):
                async with http.request(method, path, json={}, headers={"Host": host}) as response:
                    assert response.status == 403, (method, path)
                    assert "loopback Host" in (await response.json())["description"]

    run(scenario())


@pytest.mark.process
@pytest.mark.parametrize("host", ["127.0.0.1", "localhost:8080", "[::1]:9000", "127.0.0.1:1234"])
def test_loopback_host_headers_are_welcome(host):
    async def scenario():
        async with sandbox() as http:
            async with http.get("/_sandbox/health", headers={"Host": host}) as response:
                assert response.status == 200

    run(scenario())


@pytest.mark.process
def test_the_api_itself_answers_any_host_header():
    async def scenario():
        async with sandbox() as http:
            async with http.get("/api/v2/groups", headers={"Host": "acme.zendesk.com"}) as response:
                assert response.status == 401  # no credentials: the API's answer, not the control guard's

    run(scenario())


@pytest.mark.parametrize(
    "spec, field",
    [
        ({"tickets": {"create": MAX_MUTATION_COUNT + 1}}, "tickets.create"),
        ({"users": {"update": -1}}, "users.update"),
        ({"tickets": {"delete": "lots"}}, "tickets.delete"),
        ({"organizations": {"touch": 1.5}}, "organizations.touch"),
        ({"tickets": {"create": True}}, "tickets.create"),
    ],
)
@pytest.mark.process
def test_absurd_mutation_counts_get_400_naming_the_field(spec, field):
    async def scenario():
        async with sandbox() as http:
            async with http.post("/_sandbox/mutate", json=spec) as response:
                assert response.status == 400
                assert field in (await response.json())["description"]
            async with http.get("/_sandbox/summary") as response:
                assert (await response.json())["resources"]["tickets"]["total"] == 20

    run(scenario())


@pytest.mark.process
def test_absurd_fault_sizes_get_400_naming_the_option():
    async def scenario():
        async with sandbox() as http:
            async with http.post("/_sandbox/faults", json={"spec": "oversized:bytes=999999999999"}) as response:
                assert response.status == 400 and "bytes" in (await response.json())["description"]
            async with http.post("/_sandbox/faults", json={"kind": "slow", "delay": 1e12}) as response:
                assert response.status == 400 and "delay" in (await response.json())["description"]

    run(scenario())


@pytest.mark.process
def test_a_non_loopback_host_is_refused_without_allow_remote():
    completed = subprocess.run(
        [sys.executable, "-m", "zendesk_sandbox", "serve", "--host", "0.0.0.0", "--port", "0"],
        capture_output=True,
        text=True,
        timeout=30,
        cwd=PROJECT_ROOT,
    )
    assert completed.returncode != 0 and not completed.stdout
    assert "--allow-remote" in completed.stderr and "0.0.0.0" in completed.stderr


def test_allow_remote_binds_with_a_warning(capsys):
    args = cli.build_parser().parse_args(["serve", "--host", "0.0.0.0", "--allow-remote"])
    cli.check_host(args)  # no bind here: a test does not listen beyond loopback
    assert "WARNING" in capsys.readouterr().err


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost", "::1", "127.0.0.2"])
def test_loopback_hosts_need_no_flag(host, capsys):
    cli.check_host(cli.build_parser().parse_args(["serve", "--host", host]))
    assert capsys.readouterr().err == ""
