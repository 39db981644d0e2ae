"""The hostile fault kinds through the sandbox's real app over loopback: each answer is what its row promises."""

import asyncio
import base64
import contextlib
import gzip
import json
import socket
import time
import zlib
from datetime import datetime
from urllib.parse import parse_qs, unquote, urlsplit

import aiohttp
import pytest
from aiohttp.test_utils import TestServer

from zendesk_sandbox.server import app as app_module
from zendesk_sandbox.server import hostile
from zendesk_sandbox.server.faults import FaultSpecError, parse_spec
from zendesk_sandbox.foundation.settings import SandboxSettings

pytestmark = pytest.mark.timeout(120)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.asynccontextmanager
async def hostile_sandbox(spec: str, **settings):
    settings = SandboxSettings(tickets=60, faults=spec, rate_limit=0, export_rate_limit=0, holdback=0, **settings)
    port = free_port()
    app = app_module.create_app(settings, f"http://127.0.0.1:{port}")
    server = TestServer(app, host="127.0.0.1", port=port)
    await server.start_server()
    credentials = app["credentials"]
    basic = base64.b64encode(f"{credentials.admin_email}/token:{credentials.admin_token}".encode()).decode()
    try:
        async with aiohttp.ClientSession(
            f"http://127.0.0.1:{port}",
            auto_decompress=False,
            headers={"Authorization": f"Basic {basic}", "Accept-Encoding": "identity"},
        ) as session:
            session.port, session.credentials, session.basic = port, credentials, basic
            yield session
    finally:
        await server.close()


def run(coro):
    return asyncio.run(coro)


async def get_json(http, path, **kw):
    async with http.get(path, allow_redirects=False, **kw) as response:
        return response.status, dict(response.headers), json.loads(await response.read())


@pytest.mark.process
def test_foreign_link_moves_every_next_link_to_the_other_origin_with_an_explicit_port():
    async def scenario():
        async with hostile_sandbox(
            "foreign-link:/api/v2/targets*:host=brand.example.com:port=443:scheme=https;"
            "foreign-link:/api/v2/groups*:port=1;"
            "foreign-link:/api/v2/incremental/tickets/cursor*:link_path=/elsewhere"
        ) as http:
            _, _, offset = await get_json(http, "/api/v2/targets.json?per_page=100")
            assert offset["next_page"] == "https://brand.example.com:443/api/v2/targets.json?per_page=100&page=2"
            _, _, cursor = await get_json(http, "/api/v2/groups?page[size]=1")
            moved = urlsplit(cursor["links"]["next"])
            assert (moved.hostname, moved.port, moved.path) == ("127.0.0.1", 1, "/api/v2/groups")
            assert "page%5Bafter%5D" in moved.query or "page[after]" in moved.query
            _, _, export = await get_json(http, "/api/v2/incremental/tickets/cursor?start_time=0&per_page=5")
            after = urlsplit(export["after_url"])
            assert (after.port, after.path) == (http.port, "/elsewhere") and "cursor=" in after.query

    run(scenario())


@pytest.mark.process
def test_redirect_points_at_another_origin_or_at_itself():
    async def scenario():
        async with hostile_sandbox(
            "redirect:/api/v2/users*:port=9:count=1;redirect:/oauth/tokens:status=302:method=POST"
        ) as http:
            async with http.get("/api/v2/users.json?page=2", allow_redirects=False) as response:
                assert response.status == 307
                assert response.headers["Location"] == "http://127.0.0.1:9/api/v2/users.json?page=2"
            async with http.post(
                "/oauth/tokens", json={"grant_type": "client_credentials"}, allow_redirects=False
            ) as response:
                assert response.status == 302
                assert response.headers["Location"] == f"http://127.0.0.1:{http.port}/oauth/tokens"

    run(scenario())


@pytest.mark.process
def test_disguised_links_and_redirects_read_one_host_in_urllib_parse_and_another_in_urllib3():
    from urllib3.util import parse_url

    async def scenario():
        async with hostile_sandbox(
            "foreign-link:/api/v2/groups*:port=9:disguise=backslash;"
            "foreign-link:/api/v2/targets*:port=9:disguise=fullwidth-at;"
            "foreign-link:/api/v2/ticket_audits*:disguise=upper-scheme;"
            "redirect:/api/v2/users*:port=9:disguise=percent-at"
        ) as http:
            _, _, groups = await get_json(http, "/api/v2/groups?page[size]=1")
            link = groups["links"]["next"]
            assert link.startswith(f"http://127.0.0.1:9\\@127.0.0.1:{http.port}/api/v2/groups")
            assert urlsplit(link).port == http.port and parse_url(link).port == 9  # the differential itself
            _, _, targets = await get_json(http, "/api/v2/targets.json")
            assert targets["next_page"].startswith(f"http://127.0.0.1:9\uff20127.0.0.1:{http.port}/api/v2/targets")
            _, _, audits = await get_json(http, "/api/v2/ticket_audits?page[size]=1")
            assert audits["links"]["next"].startswith(f"HTTP://127.0.0.1:{http.port}/api/v2/ticket_audits")
            async with http.get("/api/v2/users.json", allow_redirects=False) as response:
                assert response.headers["Location"].startswith(
                    f"http://127.0.0.1:9%40127.0.0.1:{http.port}/api/v2/users"
                )

    run(scenario())


@pytest.mark.process
def test_repeat_next_makes_every_page_point_at_itself_with_more_to_come():
    async def scenario():
        async with hostile_sandbox(
            "repeat-next:/api/v2/groups*:after=1;repeat-next:/api/v2/targets*;repeat-next:/api/v2/incremental/*"
        ) as http:
            _, _, genuine = await get_json(http, "/api/v2/groups?page[size]=1")
            cursor = genuine["meta"]["after_cursor"]
            _, _, stuck = await get_json(http, f"/api/v2/groups?page[size]=1&page[after]={cursor}")
            assert (
                unquote(stuck["links"]["next"])
                == f"http://127.0.0.1:{http.port}/api/v2/groups?page[size]=1&page[after]={cursor}"
            )
            assert stuck["meta"]["has_more"] is True and stuck["meta"]["after_cursor"] == cursor
            _, _, offset = await get_json(http, "/api/v2/targets?per_page=100")
            assert offset["next_page"].endswith("/api/v2/targets?per_page=100")
            _, _, export = await get_json(http, "/api/v2/incremental/organizations?start_time=0")
            assert export["end_time"] == 0 and export["end_of_stream"] is False
            assert export["next_page"].endswith("/api/v2/incremental/organizations?start_time=0")

    run(scenario())


@pytest.mark.process
def test_alternate_cursor_sends_back_the_previous_requests_cursor():
    async def scenario():
        async with hostile_sandbox("alternate-cursor:/api/v2/incremental/tickets/cursor*") as http:
            base = "/api/v2/incremental/tickets/cursor?per_page=5"
            _, _, page = await get_json(http, base + "&start_time=0")
            first = page["after_cursor"]
            _, _, page = await get_json(http, f"{base}&cursor={first}")
            second = page["after_cursor"]  # the previous request had no cursor: genuine
            assert second != first
            seen = []
            cursor = second
            for _ in range(4):
                _, _, page = await get_json(http, f"{base}&cursor={cursor}")
                cursor = page["after_cursor"]
                assert page["end_of_stream"] is False
                assert parse_qs(urlsplit(page["after_url"]).query)["cursor"] == [cursor]
                seen.append(cursor)
            assert seen == [first, second, first, second]

    run(scenario())


@pytest.mark.process
def test_alternate_cursor_loops_each_of_two_clients_paging_side_by_side():
    async def scenario():
        async with hostile_sandbox("alternate-cursor:/api/v2/incremental/tickets/cursor*") as http:

            async def next_cursor(size: int, cursor: str | None) -> str:
                query = f"cursor={cursor}" if cursor else "start_time=0"
                _, _, page = await get_json(http, f"/api/v2/incremental/tickets/cursor?per_page={size}&{query}")
                return page["after_cursor"]

            cursors = {5: [await next_cursor(5, None)], 7: [await next_cursor(7, None)]}
            for _ in range(5):
                for size in (5, 7):  # the two clients' requests interleave
                    cursors[size].append(await next_cursor(size, cursors[size][-1]))
            for chain in cursors.values():
                first, second = chain[:2]
                assert first != second and chain == [first, second] * 3

    run(scenario())


@pytest.mark.process
def test_stuck_and_future_end_times():
    async def scenario():
        async with hostile_sandbox(
            "stuck-end-time:/api/v2/incremental/organizations*;future-end-time:/api/v2/incremental/ticket_events*"
        ) as http:
            _, _, stuck = await get_json(http, "/api/v2/incremental/organizations?start_time=1000")
            assert stuck["end_time"] == 1000 and stuck["end_of_stream"] is False
            assert parse_qs(urlsplit(stuck["next_page"]).query)["start_time"] == ["1000"]
            _, _, future = await get_json(http, "/api/v2/incremental/ticket_events?start_time=0")
            assert future["end_time"] == hostile.FUTURE_EPOCH == 4102444800
            assert parse_qs(urlsplit(future["next_page"]).query)["start_time"] == ["4102444800"]

    run(scenario())


@pytest.mark.process
def test_oversized_body_is_streamed_valid_json_of_the_asked_size():
    async def scenario():
        async with hostile_sandbox("oversized:/api/v2/tags*:bytes=5000000") as http:
            async with http.get("/api/v2/tags") as response:
                assert response.status == 200 and "Content-Length" not in response.headers  # chunked
                body = await response.read()
            assert len(body) == 5_000_000
            assert json.loads(body)["tickets"] == []

    run(scenario())


@pytest.mark.process
def test_gzip_and_deflate_bombs_inflate_a_thousandfold_to_valid_json():
    async def scenario():
        async with hostile_sandbox(
            "gzip-bomb:/api/v2/tags*:bytes=20000000;gzip-bomb:/api/v2/macros*:bytes=20000000:encoding=deflate"
        ) as http:
            async with http.get("/api/v2/tags") as response:
                assert response.headers["Content-Encoding"] == "gzip"
                packed = await response.read()
            inflated = gzip.decompress(packed)
            assert len(inflated) == 20_000_000 and len(packed) < 40_000
            assert json.loads(inflated)["end_of_stream"] is True
            async with http.get("/api/v2/macros") as response:
                assert response.headers["Content-Encoding"] == "deflate"
                assert len(zlib.decompress(await response.read())) == 20_000_000

    run(scenario())


def test_the_default_bomb_is_about_half_a_megabyte_inflating_to_512_mib():
    packed = hostile.compressed_bomb("gzip", hostile.DEFAULT_BOMB_BYTES)
    assert 400_000 < len(packed) < 600_000
    inflater, total = zlib.decompressobj(31), 0
    for start in range(0, len(packed), 65536):
        total += len(inflater.decompress(packed[start : start + 65536]))
    assert total + len(inflater.flush()) == 512 * 1024 * 1024


@pytest.mark.process
def test_drip_sends_the_genuine_body_one_byte_at_a_time():
    async def scenario():
        async with hostile_sandbox("drip:/api/v2/groups*:delay=0.2") as http:
            started = time.monotonic()
            async with http.get("/api/v2/groups") as response:
                assert response.status == 200 and int(response.headers["Content-Length"]) > 100
                got = b""
                with contextlib.suppress(asyncio.TimeoutError):
                    async with asyncio.timeout(1.0):
                        while True:
                            chunk = await response.content.read(1)
                            got += chunk
            assert 1 <= len(got) <= 7 and time.monotonic() - started < 5
            assert got == b'{"groups'[: len(got)]

    run(scenario())


@pytest.mark.process
def test_drip_headers_sends_a_status_line_one_byte_at_a_time_and_never_ends_the_headers():
    async def scenario():
        async with hostile_sandbox("drip-headers:/api/v2/groups*:delay=0.1") as http:
            reader, writer = await asyncio.open_connection("127.0.0.1", http.port)
            writer.write(
                f"GET /api/v2/groups HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Basic {http.basic}\r\n\r\n".encode()
            )
            await writer.drain()
            got = b""
            with contextlib.suppress(asyncio.TimeoutError):
                async with asyncio.timeout(1.5):
                    while True:
                        got += await reader.read(1)
            assert 5 <= len(got) <= 20 and b"HTTP/1.1 200 OK"[: len(got)] == got
            writer.close()
            # the sandbox keeps serving other requests
            async with http.get("/api/v2/tags") as response:
                assert response.status == 200

    run(scenario())


@pytest.mark.process
def test_long_waits_retry_after_and_ratelimit_reset():
    async def scenario():
        async with hostile_sandbox("retry-after:/api/v2/users*;ratelimit-reset:/api/v2/groups*") as http:
            async with http.get("/api/v2/users") as response:
                assert response.status == 429 and response.headers["Retry-After"] == "86400"
            status, headers, body = await get_json(http, "/api/v2/groups")
            assert status == 200 and body["groups"]
            assert headers["ratelimit-reset"] == "86400" and headers["ratelimit-remaining"] == "0"

    run(scenario())


@pytest.mark.process
def test_waits_as_any_header_text_and_as_an_http_date():
    async def scenario():
        async with hostile_sandbox(
            "retry-after:/api/v2/users*:value=inf;retry-after:/api/v2/tags*:at=4070908800;"
            "ratelimit-reset:/api/v2/groups*:value=1e20"
        ) as http:
            async with http.get("/api/v2/users") as response:
                assert response.status == 429 and response.headers["Retry-After"] == "inf"
            async with http.get("/api/v2/tags") as response:
                assert response.headers["Retry-After"] == "Thu, 01 Jan 2099 00:00:00 GMT"
            _, headers, _ = await get_json(http, "/api/v2/groups")
            assert headers["ratelimit-reset"] == "1e20"

    run(scenario())


@pytest.mark.process
def test_short_body_sends_half_the_body_then_holds_the_connection_open():
    async def scenario():
        async with hostile_sandbox("short-body:/api/v2/groups*:delay=30:count=1") as http:
            started = time.monotonic()
            async with http.get("/api/v2/groups") as response:
                length = int(response.headers["Content-Length"])
                got = b""
                with contextlib.suppress(asyncio.TimeoutError):
                    async with asyncio.timeout(1.5):
                        while True:
                            chunk = await response.content.read(4096)
                            if not chunk:
                                break
                            got += chunk
            assert got and len(got) == length // 2 and time.monotonic() - started < 5  # held, not closed
            status, _, body = await get_json(http, "/api/v2/groups")  # count=1: the next answer is whole
            assert status == 200 and body["groups"]

    run(scenario())


@pytest.mark.process
def test_string_ids_and_a_time_export_page_ending_in_its_last_second():
    async def scenario():
        async with hostile_sandbox(
            "string-ids:/api/v2/incremental/organizations*:count=1;string-ids:/api/v2/groups*"
        ) as http:
            _, _, groups = await get_json(http, "/api/v2/groups")
            assert groups["groups"] and all(isinstance(group["id"], str) for group in groups["groups"])
            _, _, page = await get_json(http, "/api/v2/incremental/organizations?start_time=0")
            last = max(
                int(datetime.fromisoformat(o["updated_at"].replace("Z", "+00:00")).timestamp())
                for o in page["organizations"]
            )
            assert page["end_time"] == last and page["end_of_stream"] is False
            assert f"start_time={last}" in page["next_page"]
            _, _, repeat = await get_json(http, f"/api/v2/incremental/organizations?start_time={last}")
            assert repeat["organizations"] and all(isinstance(o["id"], int) for o in repeat["organizations"])
            assert {str(o["id"]) for o in repeat["organizations"]} <= {o["id"] for o in page["organizations"]}

    run(scenario())


@pytest.mark.process
def test_no_count_drops_the_count_of_the_genuine_answer():
    async def scenario():
        async with hostile_sandbox("no-count:/api/v2/groups*") as http:
            _, _, body = await get_json(http, "/api/v2/groups.json?per_page=1")
            assert "count" not in body and body["groups"]

    run(scenario())


@pytest.mark.process
def test_echo_auth_quotes_the_authorization_header_raw_and_decoded():
    async def scenario():
        async with hostile_sandbox(
            "echo-auth:/api/v2/users*;echo-auth:/api/v2/groups*:status=200:field=next_page"
        ) as http:
            status, _, error = await get_json(http, "/api/v2/users")
            token = http.credentials.admin_token
            assert status == 401 and http.basic in error["description"] and token in error["description"]
            status, _, page = await get_json(http, "/api/v2/groups")
            assert status == 200 and page["groups"] and token in page["next_page"]

    run(scenario())


@pytest.mark.process
def test_bodies_of_the_wrong_shape():
    async def scenario():
        async with hostile_sandbox(
            "not-json:/api/v2/users*;array-body:/api/v2/groups*;bad-next:/api/v2/brands*;"
            "deep-json:/api/v2/tags*:depth=5000;deep-record:/api/v2/macros*"
        ) as http:
            async with http.get("/api/v2/users") as response:
                body = await response.read()
                assert response.status == 200 and "json" in response.headers["Content-Type"]
                with pytest.raises(ValueError):
                    json.loads(body)
            _, _, wrapped = await get_json(http, "/api/v2/groups")
            assert isinstance(wrapped, list) and wrapped[0]["groups"]
            _, _, numbers = await get_json(http, "/api/v2/brands?page[size]=1")
            assert numbers["links"]["next"] == 12345
            async with http.get("/api/v2/tags") as response:
                body = await response.read()
            assert body.startswith(b'{"tickets":' + b"[" * 5000) and body.endswith(b"]" * 5000 + b"}")
            async with http.get("/api/v2/macros") as response:
                text = (await response.read()).decode()
            assert '"nested":' + '{"a":' * 1000 + "1" + "}" * 1000 in text
            assert text.count('{"a":') == 1000

    run(scenario())


@pytest.mark.process
def test_a_token_endpoint_fault_is_a_path_glob_away():
    async def scenario():
        async with hostile_sandbox("500:/oauth/tokens") as http:
            async with http.post("/oauth/tokens", json={"grant_type": "client_credentials"}) as response:
                assert response.status == 500

    run(scenario())


@pytest.mark.process
def test_a_rule_that_finds_nothing_to_rewrite_sends_the_genuine_answer_and_is_not_counted():
    async def scenario():
        async with hostile_sandbox("future-end-time:/api/v2/groups*") as http:  # no end_time in a group list
            status, _, body = await get_json(http, "/api/v2/groups")
            assert status == 200 and "end_time" not in body
            async with http.get("/_sandbox/faults") as response:
                rule = (await response.json())["rules"][0]
            assert (rule["matched"], rule["fired"]) == (1, 0)

    run(scenario())


@pytest.mark.parametrize(
    "spec, words",
    [
        ("foreign-link:/api/*", "foreign-link needs"),
        ("redirect:status=200", "redirect takes"),
        ("gzip-bomb:encoding=br", "encoding=gzip|deflate"),
        ("oversized:bytes=99999999999999", "bytes must be between"),
        ("foreign-link:port=70000", "port must be between"),
        ("foreign-link:scheme=ftp", "scheme must be"),
        ("foreign-link:link_path=nowhere", "link_path must start"),
        ("foreign-link:disguise=tilde", "disguise takes"),
        ("redirect:disguise=fullwidth-at", "links only"),
        ("deep-json:depth=abc", "bad value for 'depth'"),
        ("oversized:value=inf", "value= is for retry-after and ratelimit-reset"),
    ],
)
def test_bad_hostile_options_are_refused_with_the_option_named(spec, words):
    with pytest.raises(FaultSpecError, match=words.replace("|", r"\|").replace("(", r"\(")):
        parse_spec(spec)
