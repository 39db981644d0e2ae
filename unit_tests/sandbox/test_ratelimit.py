"""Rate limits of the sandbox: headers, windows under time_scale, 429 bodies, bucket independence, concurrency."""

import asyncio
import contextlib
import json
import math
import time

import aiohttp
import pytest
from aiohttp import web
from aiohttp.test_utils import TestServer

from zendesk_sandbox.server import faults, ratelimit
from zendesk_sandbox.server.ratelimit import RateLimiter, make_ratelimit_middleware
from zendesk_sandbox.foundation.settings import SandboxSettings

pytestmark = pytest.mark.timeout(60)


async def dummy_handler(request: web.Request) -> web.StreamResponse:
    if request.path.startswith("/api/v2/missing"):
        raise web.HTTPNotFound(
            text='{"error":"InvalidEndpoint","description":"Not found"}', content_type="application/json"
        )
    if request.path.startswith("/api/v2/broken"):
        return web.json_response({"error": "boom"}, status=500)
    return web.json_response({"path": request.path, "items": list(range(int(request.query.get("n", "3"))))})


def build_app(settings, clock=time.monotonic) -> web.Application:
    app = web.Application(
        middlewares=[faults.make_fault_middleware(settings), make_ratelimit_middleware(settings, clock=clock)]
    )
    ratelimit.add_control_routes(app)
    faults.add_control_routes(app)
    app.router.add_route("*", "/{tail:(?!_sandbox).*}", dummy_handler)
    return app


@contextlib.asynccontextmanager
async def served(settings, clock=time.monotonic):
    server = TestServer(build_app(settings, clock), host="127.0.0.1")
    await server.start_server()
    try:
        async with aiohttp.ClientSession(str(server.make_url(""))) as session:
            yield session
    finally:
        await server.close()


def run(coro):
    return asyncio.run(coro)


class FakeClock:
    def __init__(self, now: float = 1000.0):
        self.now = now

    def __call__(self) -> float:
        return self.now


# ---- headers ------------------------------------------------------------------------------------------------------


@pytest.mark.process
def test_every_support_response_carries_account_headers():
    async def scenario():
        async with served(SandboxSettings(plan="enterprise")) as http:
            async with http.get("/api/v2/users.json") as first:
                assert first.status == 200
                assert first.headers["X-Rate-Limit"] == "700"
                assert first.headers["X-Rate-Limit-Remaining"] == "699"
                assert first.headers["ratelimit-limit"] == "700"
                assert first.headers["ratelimit-remaining"] == "699"
                assert 1 <= int(first.headers["ratelimit-reset"]) <= 60
            async with http.get("/api/v2/users") as second:
                assert second.headers["X-Rate-Limit-Remaining"] == "698"

    run(scenario())


@pytest.mark.parametrize(
    "plan,limit", [("team", 200), ("professional", 400), ("enterprise", 700), ("high_volume", 2500)]
)
def test_plan_sets_account_limit(plan, limit):
    limiter = RateLimiter(SandboxSettings(plan=plan), clock=FakeClock())
    admission = limiter.admit("GET", "/api/v2/groups")
    assert admission.headers["X-Rate-Limit"] == str(limit)
    assert admission.headers["X-Rate-Limit-Remaining"] == str(limit - 1)


@pytest.mark.process
def test_errors_produced_downstream_carry_headers():
    async def scenario():
        async with served(SandboxSettings()) as http:
            async with http.get("/api/v2/missing") as raised:  # HTTPException raised by the handler
                assert raised.status == 404
                assert raised.headers["X-Rate-Limit-Remaining"] == "699"
            async with http.get("/api/v2/broken") as returned:  # error response returned by the handler
                assert returned.status == 500
                assert returned.headers["X-Rate-Limit-Remaining"] == "698"

    run(scenario())


@pytest.mark.process
def test_endpoint_bucket_headers_and_help_center_spelling():
    async def scenario():
        async with served(SandboxSettings()) as http:
            async with http.get("/api/v2/incremental/tickets/cursor.json?start_time=0") as response:
                assert response.headers["zendesk-ratelimit-incremental-exports"].startswith(
                    "total=10; remaining=9; resets="
                )
                assert response.headers["X-Rate-Limit-Remaining"] == "699"
            async with http.get("/api/v2/incremental/users/cursor?start_time=0") as response:
                assert response.headers["zendesk-ratelimit-incremental-exports-cursor"].startswith(
                    "total=20; remaining=19;"
                )
            async with http.get("/api/v2/deleted_tickets") as response:
                assert response.headers["zendesk-ratelimit-deleted-tickets-index"].startswith("total=10; remaining=9;")
            async with http.get("/api/v2/tickets") as response:
                assert response.headers["zendesk-ratelimit-tickets-index"].startswith("total=100000; remaining=99999;")
            async with http.get("/api/v2/help_center/articles") as response:
                assert response.headers["X-Rate-Limit"] == "700"
                assert response.headers["X-Rate-Limit-Remaining"] == "699"  # its own bucket
                assert "ratelimit-limit" not in response.headers  # not sent on Help Center
            async with http.get("/api/v2/chat/chats") as response:
                assert response.headers["X-Rate-Limit"] == "200"
            async with http.get("/api/v2/channels/voice/stats/incremental/calls?start_time=0") as response:
                assert response.headers["zendesk-ratelimit-incremental-exports"].startswith("total=10; remaining=8;")
                assert response.headers["X-Rate-Limit"] == "700" and "ratelimit-limit" not in response.headers

    run(scenario())


@pytest.mark.process
def test_sandbox_routes_are_neither_limited_nor_counted():
    async def scenario():
        async with served(SandboxSettings(rate_limit=1)) as http:
            for _ in range(3):
                async with http.get("/_sandbox/ratelimit") as response:
                    assert response.status == 200
                    assert "X-Rate-Limit" not in response.headers
            async with http.get("/api/v2/users") as response:
                assert response.status == 200

    run(scenario())


# ---- limits and 429s ----------------------------------------------------------------------------------------------


@pytest.mark.process
def test_account_limit_answers_plain_text_429_with_retry_after():
    async def scenario():
        async with served(SandboxSettings(rate_limit=5)) as http:
            for i in range(5):
                async with http.get("/api/v2/users") as response:
                    assert response.status == 200
                    assert response.headers["X-Rate-Limit-Remaining"] == str(4 - i)
            async with http.get("/api/v2/users") as refused:
                assert refused.status == 429
                assert refused.headers["Content-Type"].startswith("text/plain")
                assert await refused.text() == "Number of allowed API requests per minute exceeded"
                retry_after = refused.headers["Retry-After"]
                assert retry_after.isdigit() and 1 <= int(retry_after) <= 60
                assert refused.headers["X-Rate-Limit-Remaining"] == "0"
                assert refused.headers["ratelimit-remaining"] == "0"

    run(scenario())


@pytest.mark.process
def test_incremental_limit_answers_json_429_and_leaves_account_alone():
    async def scenario():
        async with served(SandboxSettings(export_rate_limit=2)) as http:
            for _ in range(2):
                async with http.get("/api/v2/incremental/tickets.json?start_time=0") as response:
                    assert response.status == 200
            async with http.get("/api/v2/incremental/organizations?start_time=0") as refused:
                assert refused.status == 429
                assert json.loads(await refused.text()) == {
                    "error": "APIRateLimitExceeded",
                    "description": "Number of allowed incremental export API requests per minute exceeded",
                }
                assert int(refused.headers["Retry-After"]) >= 1
                assert refused.headers["zendesk-ratelimit-incremental-exports"].startswith("total=2; remaining=0;")
                assert refused.headers["X-Rate-Limit-Remaining"] == "698"  # account not at 0
            async with http.get("/api/v2/tickets") as response:  # other endpoints unaffected
                assert response.status == 200
                assert response.headers["X-Rate-Limit-Remaining"] == "697"  # the refused request counted nowhere

    run(scenario())


@pytest.mark.process
def test_buckets_are_independent():
    async def scenario():
        async with served(SandboxSettings(rate_limit=2)) as http:
            for path in ("/api/v2/users", "/api/v2/groups"):
                async with http.get(path) as response:
                    assert response.status == 200
            async with http.get("/api/v2/users") as response:
                assert response.status == 429
            async with http.get("/api/v2/help_center/articles") as response:
                assert response.status == 200  # Help Center counts separately
            async with http.get("/api/v2/chat/agents") as response:
                assert response.status == 200  # Chat has its own 200/min
            async with http.post("/oauth/tokens") as response:
                assert response.status == 200  # token refresh is never refused nor counted
                assert response.headers["X-Rate-Limit-Remaining"] == "0"
            async with http.get("/api/v2/channels/voice/calls") as response:
                assert response.status == 429  # Talk counts in the Support bucket

    run(scenario())


@pytest.mark.process
def test_a_request_counts_against_account_and_endpoint_bucket():
    async def scenario():
        async with served(SandboxSettings(rate_limit=3, export_rate_limit=10)) as http:
            for _ in range(3):
                async with http.get("/api/v2/incremental/users?start_time=0") as response:
                    assert response.status == 200
            async with http.get("/api/v2/incremental/users?start_time=0") as refused:
                assert refused.status == 429  # the account, not the export bucket, is spent
                assert await refused.text() == "Number of allowed API requests per minute exceeded"
                assert refused.headers["zendesk-ratelimit-incremental-exports"].startswith("total=10; remaining=7;")

    run(scenario())


def test_search_export_and_deleted_tickets_limits():
    limiter = RateLimiter(SandboxSettings(), clock=FakeClock())
    assert all(limiter.admit("GET", "/api/v2/search/export").allowed for _ in range(100))
    refused = limiter.admit("GET", "/api/v2/search/export.json")
    assert not refused.allowed and refused.rejected_by.name == "search_export"
    assert all(limiter.admit("GET", "/api/v2/deleted_tickets.json").allowed for _ in range(10))
    refused = limiter.admit("GET", "/api/v2/deleted_tickets")
    assert not refused.allowed and refused.rejected_by.name == "deleted_tickets"
    assert json.loads(refused.rejection_response().text)["error"] == "APIRateLimitExceeded"


def test_high_volume_raises_account_and_export_limits():
    limiter = RateLimiter(SandboxSettings(plan="professional", high_volume=True), clock=FakeClock())
    admission = limiter.admit("GET", "/api/v2/incremental/tickets/cursor")
    assert admission.headers["X-Rate-Limit"] == "2500"
    assert admission.headers["zendesk-ratelimit-incremental-exports"].startswith("total=30; remaining=29;")


def test_zero_switches_limits_off_but_a_limit_is_still_announced():
    """As Zendesk always does: a client must never take missing headers for "unlimited"."""
    limiter = RateLimiter(SandboxSettings(rate_limit=0, export_rate_limit=0), clock=FakeClock())
    for _ in range(50):
        for path in (
            "/api/v2/users",
            "/api/v2/incremental/tickets",
            "/api/v2/deleted_tickets",
            "/api/v2/search/export",
        ):
            admission = limiter.admit("GET", path)
            assert admission.allowed
            assert admission.headers["ratelimit-limit"] == admission.headers["X-Rate-Limit"] == str(ratelimit.OFF_LIMIT)
    exports = limiter.admit("GET", "/api/v2/incremental/tickets").headers["zendesk-ratelimit-incremental-exports"]
    assert exports.startswith(f"total={ratelimit.OFF_LIMIT}; remaining=")


# ---- windows ------------------------------------------------------------------------------------------------------


def test_fixed_window_rolls_over_and_retry_after_is_enough():
    clock = FakeClock()
    limiter = RateLimiter(SandboxSettings(rate_limit=2), clock=clock)
    clock.now += 20.2
    assert limiter.admit("GET", "/api/v2/users").headers["ratelimit-reset"] == "40"
    assert limiter.admit("GET", "/api/v2/users").allowed
    refused = limiter.admit("GET", "/api/v2/users")
    assert not refused.allowed and refused.retry_after == 40  # ceil(39.8)
    clock.now += refused.retry_after - 0.5
    assert not limiter.admit("GET", "/api/v2/users").allowed  # still the same window
    clock.now += 0.5  # exactly Retry-After after the refusal
    fresh = limiter.admit("GET", "/api/v2/users")
    assert fresh.allowed and fresh.headers["X-Rate-Limit-Remaining"] == "1"


def test_time_scale_shrinks_the_minute():
    clock = FakeClock()
    limiter = RateLimiter(SandboxSettings(rate_limit=1, time_scale=30), clock=clock)  # a minute is 2 s
    assert limiter.admit("GET", "/api/v2/users").headers["ratelimit-reset"] == "2"
    refused = limiter.admit("GET", "/api/v2/users")
    assert refused.retry_after == 2
    clock.now += 1.999
    assert not limiter.admit("GET", "/api/v2/users").allowed
    clock.now += 0.001
    assert limiter.admit("GET", "/api/v2/users").allowed
    clock.now += 1.999  # 0.001 s left in the window: still rounded up to 1
    assert limiter.admit("GET", "/api/v2/users").retry_after == 1


def test_incremental_sample_window_is_twenty_minutes():
    clock = FakeClock()
    limiter = RateLimiter(SandboxSettings(), clock=clock)
    assert all(limiter.admit("GET", "/api/v2/incremental/tickets/sample").allowed for _ in range(10))
    clock.now += 300
    refused = limiter.admit("GET", "/api/v2/incremental/tickets/sample")
    assert not refused.allowed and refused.retry_after == 900


@pytest.mark.process
def test_real_window_reset_under_time_scale_over_http():
    async def scenario():
        async with served(SandboxSettings(rate_limit=3, time_scale=120)) as http:  # a minute is 0.5 s
            statuses = []
            for _ in range(4):
                async with http.get("/api/v2/users") as response:
                    statuses.append(response.status)
                    if response.status == 429:
                        retry_after = int(response.headers["Retry-After"])
                        assert int(response.headers["ratelimit-reset"]) == retry_after == 1
            if 429 not in statuses:  # the 4 requests straddled a window edge; the next ones cannot
                pytest.skip("window rolled over during the burst")
            await asyncio.sleep(retry_after)
            async with http.get("/api/v2/users") as response:
                assert response.status == 200

    run(scenario())


# ---- concurrency --------------------------------------------------------------------------------------------------


@pytest.mark.process
def test_parallel_requests_never_exceed_the_limit():
    async def scenario():
        async with served(SandboxSettings(rate_limit=25, export_rate_limit=7)) as http:

            async def one(path):
                async with http.get(path) as response:
                    await response.read()
                    return response.status

            statuses = await asyncio.gather(*[one("/api/v2/users") for _ in range(60)])
            assert statuses.count(200) == 25 and statuses.count(429) == 35
            async with http.get("/_sandbox/ratelimit") as response:
                buckets = (await response.json())["buckets"]
                assert buckets["support"]["used"] == 25 and buckets["support"]["remaining"] == 0
            await http.delete("/_sandbox/ratelimit")
            statuses = await asyncio.gather(*[one("/api/v2/incremental/tickets/cursor") for _ in range(30)])
            assert statuses.count(200) == 7

    run(scenario())


def test_limiter_is_thread_safe():
    import concurrent.futures

    limiter = RateLimiter(SandboxSettings(rate_limit=500), clock=FakeClock())
    with concurrent.futures.ThreadPoolExecutor(8) as pool:
        results = list(pool.map(lambda _: limiter.admit("GET", "/api/v2/users").allowed, range(2000)))
    assert results.count(True) == 500


@pytest.mark.process
def test_control_route_reports_windows():
    async def scenario():
        async with served(SandboxSettings(time_scale=6)) as http:
            await http.get("/api/v2/incremental/tickets")
            async with http.get("/_sandbox/ratelimit") as response:
                report = await response.json()
            assert report["time_scale"] == 6 and report["minute_seconds"] == 10
            assert report["buckets"]["incremental_exports"]["used"] == 1
            assert report["buckets"]["support"] == {**report["buckets"]["support"], "limit": 700, "used": 1}
            assert 0 < report["buckets"]["support"]["resets_in"] <= 10

    run(scenario())


# ---- property: no window ever admits more than its limit ------------------------------------------------------------

from hypothesis import given, settings as hypothesis_settings, strategies as st  # noqa: E402

PATHS = [
    "/api/v2/users",
    "/api/v2/incremental/tickets/cursor",
    "/api/v2/deleted_tickets.json",
    "/api/v2/help_center/articles",
    "/api/v2/search/export",
]


@hypothesis_settings(max_examples=60, deadline=None)
@given(
    st.lists(st.tuples(st.sampled_from(PATHS), st.floats(0, 3)), max_size=300),
    st.integers(1, 8),
    st.integers(1, 4),
    st.sampled_from([1.0, 7.0, 60.0]),
)
def test_no_window_admits_more_than_its_limit(requests_, account_limit, export_limit, time_scale):
    clock = FakeClock()
    limiter = RateLimiter(
        SandboxSettings(rate_limit=account_limit, export_rate_limit=export_limit, time_scale=time_scale), clock=clock
    )
    minute = 60.0 / time_scale
    admitted: dict = {}
    for path, pause in requests_:
        clock.now += pause
        admission = limiter.admit("GET", path)
        window = int((clock.now - 1000.0) // minute)
        route = ratelimit.route_for("GET", path)
        if admission.allowed:
            for bucket in (route.account, route.endpoint):
                if bucket:
                    admitted[(bucket, window)] = admitted.get((bucket, window), 0) + 1
        else:
            assert 1 <= admission.retry_after <= math.ceil(minute)
            clock_after = clock.now + admission.retry_after
            assert int((clock_after - 1000.0) // minute) > window  # waiting Retry-After reaches a new window
    for (bucket, _), count in admitted.items():
        assert count <= limiter.limit(bucket)
