"""Fault injection of the sandbox: every kind, counts, probabilities, `after`, the control routes, the seed."""

import asyncio
import contextlib
import json
import socket
import time

import aiohttp
import pytest
import requests
from aiohttp import web
from aiohttp.test_utils import TestServer

from zendesk_sandbox.server import faults, ratelimit
from zendesk_sandbox.server.faults import FaultInjector, FaultSpecError, parse_spec
from zendesk_sandbox.foundation.settings import SandboxSettings

pytestmark = pytest.mark.timeout(60)


async def dummy_handler(request: web.Request) -> web.StreamResponse:
    if request.path.startswith("/api/v2/missing"):
        raise web.HTTPNotFound(
            text='{"error":"InvalidEndpoint","description":"Not found"}', content_type="application/json"
        )
    return web.json_response({"path": request.path, "items": list(range(int(request.query.get("n", "3"))))})


def build_app(settings) -> web.Application:
    app = web.Application(
        middlewares=[faults.make_fault_middleware(settings), ratelimit.make_ratelimit_middleware(settings)]
    )
    ratelimit.add_control_routes(app)
    faults.add_control_routes(app)
    app.router.add_route("*", "/{tail:(?!_sandbox).*}", dummy_handler)
    return app


class Http:
    """The test's aiohttp session plus the server's address (for `requests` and raw sockets)."""

    def __init__(self, session, base, port):
        self.session, self.base, self.port = session, base, port

    def __getattr__(self, name):
        return getattr(self.session, name)


@contextlib.asynccontextmanager
async def served(faults_spec=None, **settings):
    server = TestServer(build_app(SandboxSettings(faults=faults_spec, **settings)), host="127.0.0.1")
    await server.start_server()
    try:
        async with aiohttp.ClientSession(str(server.make_url(""))) as session:
            yield Http(session, str(server.make_url("")).rstrip("/"), server.port)
    finally:
        await server.close()


def run(coro):
    return asyncio.run(coro)


async def statuses(http, path, n):
    out = []
    for _ in range(n):
        async with http.get(path) as response:
            await response.read()
            out.append(response.status)
    return out


# ---- the SPEC grammar ---------------------------------------------------------------------------------------------


def test_parse_spec_grammar():
    assert parse_spec("500:/api/v2/incremental/*:count=3; 429:p=0.25 , reset:/api/v2/tickets*:after=2:count=1") == [
        {"kind": "500", "path": "/api/v2/incremental/*", "count": 3},
        {"kind": "429", "p": 0.25},
        {"kind": "reset", "path": "/api/v2/tickets*", "after": 2, "count": 1},
    ]
    assert parse_spec("slow:delay=1.5:method=get;html:status=500;504-large:bytes=1000;") == [
        {"kind": "slow", "delay": 1.5, "method": "get"},
        {"kind": "html", "status": 500},
        {"kind": "504-large", "bytes": 1000},
    ]
    assert parse_spec("") == []


@pytest.mark.parametrize(
    "bad",
    ["teapot", "500:count=x", "500:p=2", "500:/a:/b", "500:colour=red", "504-large", "html:status=404", "500:count=-1"],
)
def test_parse_spec_rejects_nonsense(bad):
    with pytest.raises(FaultSpecError):
        parse_spec(bad)
    with pytest.raises(FaultSpecError):
        FaultInjector(SandboxSettings(faults=bad))


def test_rule_round_trips_through_json():
    injector = FaultInjector(SandboxSettings(faults="503:/api/v2/users*:count=2:after=1:retry_after=7"))
    report = injector.report()
    assert report == [
        {
            "id": 0,
            "kind": "503",
            "path": "/api/v2/users*",
            "count": 2,
            "after": 1,
            "retry_after": 7,
            "matched": 0,
            "fired": 0,
        }
    ]
    again = FaultInjector(SandboxSettings())
    again.add(report)  # what GET /_sandbox/faults shows can be POSTed back
    assert again.report() == report


# ---- counts, after, probability, seed ----------------------------------------------------------------------------


@pytest.mark.process
def test_count_fires_a_burst_then_heals():
    async def scenario():
        async with served("500:/api/v2/tickets*:count=3") as http:
            assert await statuses(http, "/api/v2/tickets.json", 5) == [500, 500, 500, 200, 200]
            assert await statuses(http, "/api/v2/users", 1) == [200]  # other paths untouched

    run(scenario())


@pytest.mark.process
def test_after_skips_the_first_matching_requests():
    async def scenario():
        async with served("502:/api/v2/users:after=2:count=2") as http:
            assert await statuses(http, "/api/v2/users.json", 6) == [200, 200, 502, 502, 200, 200]
            async with http.get("/_sandbox/faults") as response:
                rule = (await response.json())["rules"][0]
            assert (rule["matched"], rule["fired"]) == (6, 2)

    run(scenario())


@pytest.mark.process
def test_method_filter():
    async def scenario():
        async with served("500:method=POST") as http:
            assert await statuses(http, "/api/v2/users", 2) == [200, 200]
            async with http.post("/api/v2/users") as response:
                assert response.status == 500

    run(scenario())


def fired_pattern(seed, n=200, spec="500:p=0.3"):
    injector = FaultInjector(SandboxSettings(seed=seed, faults=spec))
    return [injector.choose("GET", "/api/v2/users") is not None for _ in range(n)]


def test_probability_is_reproducible_from_the_seed():
    first, again, other = fired_pattern(7), fired_pattern(7), fired_pattern(8)
    assert first == again
    assert first != other
    assert 0.2 < sum(first) / len(first) < 0.4


def test_adding_a_rule_does_not_disturb_the_others():
    alone = fired_pattern(3, spec="500:/api/v2/users:p=0.5")
    injector = FaultInjector(SandboxSettings(seed=3, faults="500:/api/v2/users:p=0.5;503:/api/v2/groups:p=0.5"))
    with_other = []
    for _ in range(200):
        injector.choose("GET", "/api/v2/groups")
        with_other.append(injector.choose("GET", "/api/v2/users") is not None)
    assert with_other == alone


def test_first_firing_rule_wins_and_all_matching_rules_count():
    injector = FaultInjector(SandboxSettings(faults="500:count=1;502:count=5"))
    kinds = [getattr(injector.choose("GET", "/api/v2/users"), "kind", None) for _ in range(4)]
    assert kinds == ["500", "502", "502", "502"]
    assert [(r["matched"], r["fired"]) for r in injector.report()] == [(4, 1), (4, 3)]


@pytest.mark.process
def test_sandbox_paths_are_never_faulted():
    async def scenario():
        async with served("500:*") as http:
            async with http.get("/_sandbox/faults") as response:
                assert response.status == 200
            assert await statuses(http, "/api/v2/users", 1) == [500]

    run(scenario())


# ---- each kind ----------------------------------------------------------------------------------------------------


@pytest.mark.process
def test_5xx_statuses_and_where_they_count():
    async def scenario():
        async with served(
            "500:/api/v2/a:count=1;502:/api/v2/b:count=1;503:/api/v2/c:count=1:retry_after=4;504:/api/v2/d:count=1",
            rate_limit=50,
        ) as http:
            async with http.get("/api/v2/a") as response:  # the app failed: counted, headers kept
                assert response.status == 500
                assert response.headers["X-Rate-Limit-Remaining"] == "49"
            async with http.get("/api/v2/b") as response:  # the load balancer failed: not counted
                assert response.status == 502 and await response.read() == b""
                assert "X-Rate-Limit" not in response.headers
            async with http.get("/api/v2/c") as response:
                assert response.status == 503 and response.headers["Retry-After"] == "4"
            async with http.get("/api/v2/d") as response:
                assert response.status == 504
                assert response.headers["Content-Type"].startswith("text/html")
                assert response.headers["X-Rate-Limit-Remaining"] == "48"
            async with http.get("/api/v2/e") as response:
                assert response.headers["X-Rate-Limit-Remaining"] == "47"

    run(scenario())


@pytest.mark.process
def test_429_storm_has_no_retry_after():
    async def scenario():
        async with served("429:/api/v2/users:count=4") as http:
            for _ in range(4):
                async with http.get("/api/v2/users") as response:
                    assert response.status == 429
                    assert "Retry-After" not in response.headers
                    assert await response.text() == "Number of allowed API requests per minute exceeded"
            assert await statuses(http, "/api/v2/users", 1) == [200]

    run(scenario())


@pytest.mark.process
@pytest.mark.parametrize("status", [500, 502])
def test_html_error_page(status):
    async def scenario():
        async with served(f"html:status={status}:count=1") as http:
            async with http.get("/api/v2/users") as response:
                assert response.status == status
                assert response.headers["Content-Type"].startswith("text/html")
                text = await response.text()
                assert text.startswith("<html>") and str(status) in text
                with pytest.raises(json.JSONDecodeError):
                    json.loads(text)

    run(scenario())


@pytest.mark.process
def test_expire_token_answers_invalid_token():
    async def scenario():
        async with served("expire-token:after=1:count=1") as http:
            assert await statuses(http, "/api/v2/users", 1) == [200]
            async with http.get("/api/v2/users") as response:
                assert response.status == 401
                assert (await response.json())["error"] == "invalid_token"

    run(scenario())


@pytest.mark.process
def test_truncated_json_is_a_200_with_half_a_body():
    async def scenario():
        async with served("truncated:count=1") as http:
            async with http.get("/api/v2/users?n=100") as response:
                assert response.status == 200
                assert response.headers["Content-Type"].startswith("application/json")
                assert "X-Rate-Limit" in response.headers
                cut = await response.read()
            async with http.get("/api/v2/users?n=100") as response:
                whole = await response.read()
            assert whole.startswith(cut) and len(cut) == len(whole) // 2
            with pytest.raises(json.JSONDecodeError):
                json.loads(cut)
            # the connector's HTTP client sees a complete, well-framed response whose JSON is broken
            await http.post("/_sandbox/faults", json={"spec": "truncated:bytes=10:count=1"})
            response = await asyncio.to_thread(requests.get, http.base + "/api/v2/users", timeout=5)
            assert response.status_code == 200 and response.content == whole[:10]
            with pytest.raises(requests.JSONDecodeError):
                response.json()

    run(scenario())


@pytest.mark.process
def test_reset_mid_body():
    async def scenario():
        async with served("reset:/api/v2/tickets:count=3") as http:
            with pytest.raises(aiohttp.ClientPayloadError):
                async with http.get("/api/v2/tickets?n=5000") as response:
                    assert response.status == 200  # headers arrived
                    await response.read()
            with pytest.raises(requests.exceptions.ChunkedEncodingError):
                await asyncio.to_thread(requests.get, http.base + "/api/v2/tickets?n=5000", timeout=5)

            def raw_exchange():
                sock = socket.create_connection(("127.0.0.1", http.port), timeout=5)
                sock.sendall(b"GET /api/v2/tickets?n=5000 HTTP/1.1\r\nHost: sandbox\r\n\r\n")
                received, error = b"", None
                try:
                    while chunk := sock.recv(65536):
                        received += chunk
                except ConnectionResetError as exc:
                    error = exc
                sock.close()
                return received, error

            received, error = await asyncio.to_thread(raw_exchange)
            head, _, body = received.partition(b"\r\n\r\n")
            assert head.startswith(b"HTTP/1.1 200")
            length = int(
                [line for line in head.split(b"\r\n") if line.lower().startswith(b"content-length")][0].split(b":")[1]
            )
            assert 0 < len(body) < length
            assert isinstance(error, ConnectionResetError)
            assert await statuses(http, "/api/v2/tickets?n=5000", 1) == [200]  # burst over

    run(scenario())


@pytest.mark.process
def test_slow_answer_outlasts_the_client_timeout():
    async def scenario():
        async with served("slow:delay=1.0:count=1") as http:
            started = time.monotonic()
            with pytest.raises(asyncio.TimeoutError):
                async with http.get("/api/v2/users", timeout=aiohttp.ClientTimeout(total=0.3)) as response:
                    await response.read()
            assert time.monotonic() - started < 0.9
            started = time.monotonic()
            assert await statuses(http, "/api/v2/users", 1) == [200]
            assert time.monotonic() - started < 0.5

    run(scenario())


@pytest.mark.process
def test_slow_answer_is_complete_when_waited_for():
    async def scenario():
        async with served("slow:delay=0.3:count=1") as http:
            started = time.monotonic()
            async with http.get("/api/v2/users") as response:
                assert response.status == 200 and (await response.json())["items"] == [0, 1, 2]
            assert time.monotonic() - started >= 0.3

    run(scenario())


@pytest.mark.process
def test_504_only_above_the_size_threshold():
    async def scenario():
        async with served("504-large:bytes=2000") as http:
            assert await statuses(http, "/api/v2/incremental/tickets?n=10", 2) == [200, 200]
            assert await statuses(http, "/api/v2/incremental/tickets?n=2000", 2) == [504, 504]
            assert await statuses(http, "/api/v2/incremental/tickets?n=10", 1) == [200]
            async with http.get("/_sandbox/faults") as response:
                rule = (await response.json())["rules"][0]
            assert (rule["matched"], rule["fired"]) == (5, 2)

    run(scenario())


@pytest.mark.process
def test_app_faults_leave_errors_and_limiter_429s_alone():
    async def scenario():
        async with served("truncated:count=5;500:/api/v2/users:count=5", rate_limit=1) as http:
            async with http.get("/api/v2/missing") as response:  # a 404 is not truncated; the rule is refunded
                assert response.status == 404 and (await response.json())["error"] == "InvalidEndpoint"
            async with http.get("/api/v2/users") as response:  # the limiter refused first: its 429 goes out
                assert response.status == 429 and "Retry-After" in response.headers
            async with http.get("/_sandbox/faults") as response:
                assert [r["fired"] for r in (await response.json())["rules"]] == [0, 0]

    run(scenario())


# ---- run-time control ---------------------------------------------------------------------------------------------


@pytest.mark.process
def test_control_routes_add_list_and_delete_rules():
    async def scenario():
        async with served() as http:
            async with http.post("/_sandbox/faults", json=[{"kind": "500", "path": "/api/v2/users", "count": 1}]) as r:
                assert r.status == 201
            async with http.post("/_sandbox/faults", json={"spec": "503:/api/v2/groups:count=1"}) as r:
                assert [rule["kind"] for rule in (await r.json())["rules"]] == ["500", "503"]
            async with http.post("/_sandbox/faults", json={"rules": [{"kind": "502", "path": "/api/v2/brands"}]}):
                pass
            assert await statuses(http, "/api/v2/users", 2) == [500, 200]
            assert await statuses(http, "/api/v2/groups", 2) == [503, 200]
            assert await statuses(http, "/api/v2/brands", 1) == [502]
            async with http.get("/_sandbox/faults") as r:
                rules = (await r.json())["rules"]
            assert [(rule["id"], rule["matched"], rule["fired"]) for rule in rules] == [(0, 2, 1), (1, 2, 1), (2, 1, 1)]
            async with http.delete("/_sandbox/faults") as r:
                assert (await r.json()) == {"deleted": 3}
            assert await statuses(http, "/api/v2/brands", 1) == [200]
            async with http.post("/_sandbox/faults", json={"spec": "teapot"}) as r:
                assert r.status == 400 and (await r.json())["error"] == "InvalidFaultSpec"
            async with http.post("/_sandbox/faults", data="not json") as r:
                assert r.status == 400

    run(scenario())


@pytest.mark.process
def test_runs_with_the_same_seed_fault_the_same_requests():
    async def one_run(seed):
        async with served("500:p=0.3;reset:p=0.1", seed=seed) as http:
            out = []
            for _ in range(40):
                try:
                    async with http.get("/api/v2/tickets?n=2000") as response:
                        await response.read()
                        out.append(response.status)
                except aiohttp.ClientPayloadError:
                    out.append("reset")
            return out

    async def scenario():
        first, again, other = await one_run(11), await one_run(11), await one_run(12)
        assert first == again and first != other
        assert "reset" in first and 500 in first and 200 in first

    run(scenario())
