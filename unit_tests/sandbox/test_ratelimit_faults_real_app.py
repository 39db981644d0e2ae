"""Rate limits and faults through the sandbox's real app (core endpoints, auth, errors), over loopback HTTP."""

import asyncio
import base64
import contextlib
import json
import socket

import aiohttp
import pytest
from aiohttp.test_utils import TestServer

from zendesk_sandbox.server import app as app_module
from zendesk_sandbox.server import faults, ratelimit
from zendesk_sandbox.foundation.settings import SandboxSettings


pytestmark = [pytest.mark.process, pytest.mark.timeout(60)]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.asynccontextmanager
async def real_sandbox(**settings):
    settings = SandboxSettings(tickets=40, **settings)
    port = free_port()
    app = app_module.create_app(settings, f"http://127.0.0.1:{port}")
    registered = {resource.canonical for resource in app.router.resources()}
    if "/_sandbox/faults" not in registered:  # until the core registers them itself
        faults.add_control_routes(app)
    if "/_sandbox/ratelimit" not in registered:
        ratelimit.add_control_routes(app)
    assert faults.find_injector(app) is not None and ratelimit.find_limiter(app) is not None
    server = TestServer(app, host="127.0.0.1", port=port)
    await server.start_server()
    credentials = app["credentials"]
    token = base64.b64encode(f"{credentials.admin_email}/token:{credentials.admin_token}".encode()).decode()
    try:
        async with aiohttp.ClientSession(
            f"http://127.0.0.1:{port}", headers={"Authorization": f"Basic {token}"}
        ) as session:
            yield session
    finally:
        await server.close()


def test_limits_and_faults_through_the_real_app():
    async def scenario():
        async with real_sandbox(rate_limit=5, export_rate_limit=2, faults="500:/api/v2/groups*:count=1") as http:
            async with http.get("/api/v2/tickets.json") as response:
                assert response.status == 200 and "tickets" in await response.json()
                assert response.headers["X-Rate-Limit"] == "5"
                assert response.headers["X-Rate-Limit-Remaining"] == "4"
                assert response.headers["zendesk-ratelimit-tickets-index"].startswith("total=100000;")
            async with http.get("/api/v2/no_such_thing.json") as response:  # the core's 404 carries the headers
                assert response.status == 404 and (await response.json())["error"] == "InvalidEndpoint"
                assert response.headers["ratelimit-remaining"] == "3"
            async with http.get("/api/v2/users.json", headers={"Authorization": "Bearer nope"}) as response:
                assert response.status == 401  # counted: the limiter sits before authentication
                assert response.headers["X-Rate-Limit-Remaining"] == "2"
                real_invalid_token = await response.json()
            async with http.get("/api/v2/groups.json") as response:  # app fault: counted, headers kept
                assert response.status == 500 and response.headers["X-Rate-Limit-Remaining"] == "1"
            async with http.get("/api/v2/groups.json") as response:
                assert response.status == 200 and "groups" in await response.json()
            async with http.get("/api/v2/groups.json") as response:
                assert response.status == 429
                assert await response.text() == "Number of allowed API requests per minute exceeded"
                assert int(response.headers["Retry-After"]) >= 1
            async with http.get("/_sandbox/summary") as response:  # control routes are never limited
                assert response.status == 200 and "X-Rate-Limit" not in response.headers

            await http.delete("/_sandbox/ratelimit")
            for expected in (200, 200, 429):
                async with http.get("/api/v2/incremental/tickets/cursor.json?start_time=0") as response:
                    assert response.status == expected
                    body = await response.read()
            assert json.loads(body)["error"] == "APIRateLimitExceeded"

            await http.delete("/_sandbox/ratelimit")
            async with http.post(
                "/_sandbox/faults",
                json={"spec": "expire-token:/api/v2/users*:count=1;truncated:/api/v2/brands*:count=1"},
            ) as response:
                assert response.status == 201
            async with http.get("/api/v2/users.json") as response:
                assert response.status == 401 and await response.json() == real_invalid_token
            async with http.get("/api/v2/brands.json") as response:
                assert response.status == 200
                with pytest.raises(json.JSONDecodeError):
                    json.loads(await response.read())
            async with http.get("/_sandbox/faults") as response:
                assert [rule["fired"] for rule in (await response.json())["rules"]] == [1, 1, 1]

    asyncio.run(scenario())


def test_reset_and_504_large_on_a_real_export_page():
    async def scenario():
        async with real_sandbox(
            rate_limit=0,
            export_rate_limit=0,
            faults="reset:/api/v2/tickets*:count=1;504-large:/api/v2/incremental/*:bytes=20000",
        ) as http:
            with pytest.raises(aiohttp.ClientPayloadError):
                async with http.get("/api/v2/tickets.json?page[size]=100") as response:
                    await response.read()
            async with http.get("/api/v2/incremental/tickets/cursor.json?start_time=0") as response:
                assert response.status == 504
            async with http.get("/api/v2/incremental/tickets/cursor.json?start_time=0&per_page=2") as response:
                assert response.status == 200 and len((await response.json())["tickets"]) == 2

    asyncio.run(scenario())
