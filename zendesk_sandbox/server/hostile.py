"""Hostile answers: what a broken, misconfigured or malicious server sends. The fault injector (faults.py) decides
when one fires; this module only builds the answer.

Two shapes:
- rewrites of the genuine JSON answer (links to another origin, links that never advance, future clocks, bodies of
  the wrong shape, a record nested too deep, echoed credentials, a rate-limit reset of a day, a slow drip);
- answers that replace it (redirects, huge or compressed-bomb bodies streamed in chunks so the sandbox never holds
  them, undecodable or deeply nested documents, a Retry-After of a day).

Every rewrite returns None when the answer does not qualify (not a JSON object, no link to rewrite), so the
injector can refund the rule and send the genuine answer.
"""

from __future__ import annotations

import asyncio
import base64
import threading
import time
import zlib
from datetime import datetime
from email.utils import formatdate
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import orjson
from aiohttp import web

from zendesk_sandbox.server.ratelimit import ACCOUNT_LIMIT_TEXT

# Link fields of Zendesk bodies: offset and time exports (next_page), cursor exports (after_url), cursor lists
# (links.next). Help Center cursor lists also send a Link header.
TOP_LINK_FIELDS = ("next_page", "after_url")
FUTURE_EPOCH = 4102444800  # 2100-01-01T00:00:00Z
DEFAULT_LONG_WAIT = 86400  # a day, in seconds
DEFAULT_OVERSIZED_BYTES = 200_000_000
DEFAULT_BOMB_BYTES = 512 * 1024 * 1024
DEFAULT_DEEP_DOCUMENT = 100_000
DEFAULT_DEEP_RECORD = 1_000
DEFAULT_DRIP_DELAY = 2.0
DEFAULT_HOLD = 600.0  # a short body's held connection: longer than any sensible idle-read limit
CHUNK = 1 << 20
JSON_TYPE = "application/json; charset=utf-8"
_DEEP_MARK = "__sandbox_deep_value__"


# ---- reading the genuine answer ------------------------------------------------------------------------------------


def json_object(body: bytes | None) -> dict | None:
    if not body:
        return None
    try:
        value = orjson.loads(body)
    except orjson.JSONDecodeError:
        return None
    return value if isinstance(value, dict) else None


def request_cursor(request: web.Request) -> str | None:
    return request.query.get("cursor") or request.query.get("page[after]")


def own_url(request: web.Request) -> str:
    return str(request.url)


def _replace_query(url: str, **values: Any) -> str:
    parts = urlsplit(url)
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k not in values]
    query += [(k, str(v)) for k, v in values.items() if v is not None]
    return urlunsplit(parts._replace(query=urlencode(query)))


def _link_slots(doc: dict) -> list[tuple[dict, str]]:
    """(container, key) of every next link in the body, present even when null."""
    slots = [(doc, key) for key in TOP_LINK_FIELDS if key in doc]
    links = doc.get("links")
    if isinstance(links, dict) and "next" in links:
        slots.append((links, "next"))
    return slots


def _answer(
    doc: Any, response: web.StreamResponse, status: int | None = None, extra: dict | None = None
) -> web.Response:
    headers = {
        k: v
        for k, v in response.headers.items()
        if k.lower() not in ("content-length", "content-type", "content-encoding", "transfer-encoding")
    }
    headers.update(extra or {})
    headers["Content-Type"] = JSON_TYPE
    body = doc if isinstance(doc, bytes) else orjson.dumps(doc)
    return web.Response(status=status or response.status, body=body, headers=headers)


# ---- links -----------------------------------------------------------------------------------------------------------


def moved(url: str, scheme: str | None, host: str | None, port: int | None, path: str | None) -> str:
    """The URL with its scheme, host, port or path replaced; an explicit port is always written (e.g. ':443')."""
    parts = urlsplit(url)
    new_host = host or parts.hostname or ""
    new_port = port if port is not None else parts.port
    netloc = new_host if new_port is None else f"{new_host}:{new_port}"
    return urlunsplit(parts._replace(scheme=scheme or parts.scheme, netloc=netloc, path=path or parts.path))


DISGUISES = ("backslash", "percent-at", "fullwidth-at", "upper-scheme")
# What stands between the other origin and the genuine one, so that one parser reads the first and another the second.
_DISGUISE_SEPARATORS = {"backslash": "\\@", "percent-at": "%40", "fullwidth-at": "\uff20"}


def disguised(target: str, genuine: str, disguise: str | None) -> str:
    """`target` written so that URL parsers disagree on its host (see faults.py, ``disguise=``)."""
    if disguise is None:
        return target
    parts = urlsplit(target)
    if disguise == "upper-scheme":
        return parts.scheme.upper() + target[len(parts.scheme) :]
    tail = urlunsplit(("", "", parts.path, parts.query, ""))
    return f"{parts.scheme}://{parts.netloc}{_DISGUISE_SEPARATORS[disguise]}{urlsplit(genuine).netloc}{tail}"


def _relinked(rule, url: str) -> str:
    return disguised(moved(url, rule.scheme, rule.host, rule.port, rule.link_path), url, rule.disguise)


def _claimed_next(request: web.Request, key: str) -> str:
    """Where a missing next link is claimed to be: the next offset page, or this page again."""
    if key == "next_page":
        page = request.query.get("page", "1")
        return _replace_query(own_url(request), page=int(page) + 1 if page.isdigit() else 2)
    return own_url(request)


def foreign_link(rule, request: web.Request, response, body) -> web.Response | None:
    """Every next link moved to another origin, and the page says there is more: a last page (null link) claims
    one more page over there, so short lists, exports and per-parent children all hand out a foreign link."""
    doc = json_object(body)
    if doc is None:
        return None
    slots = _link_slots(doc)
    link_header = response.headers.get("Link")
    if not slots and not link_header:
        return None
    for holder, key in slots:
        if not isinstance(holder[key], str):
            holder[key] = _claimed_next(request, key)
        holder[key] = _relinked(rule, holder[key])
    extra = {}
    if link_header and link_header.startswith("<") and ">" in link_header:
        target, rest = link_header[1:].split(">", 1)
        extra["Link"] = f"<{_relinked(rule, target)}>{rest}".encode("latin-1", "replace").decode("latin-1")
    _keep_going(doc)  # so the link is followed even from an export's last page
    return _answer(doc, response, extra=extra)


def _keep_going(doc: dict) -> None:
    if "end_of_stream" in doc:
        doc["end_of_stream"] = False
    meta = doc.get("meta")
    if isinstance(meta, dict) and "has_more" in meta:
        meta["has_more"] = True


def repeat_next(rule, request: web.Request, response, body) -> web.Response | None:
    """Every next link is this very request, cursors stay what the request sent, and there is always more."""
    doc = json_object(body)
    if doc is None or not _link_slots(doc):
        return None
    here = own_url(request)
    for holder, key in _link_slots(doc):
        holder[key] = here
    cursor = request_cursor(request)
    if "after_cursor" in doc:
        doc["after_cursor"] = cursor
    meta = doc.get("meta")
    if isinstance(meta, dict) and "after_cursor" in meta:
        meta["after_cursor"] = cursor
    if "end_time" in doc and request.query.get("start_time", "").isdigit():
        doc["end_time"] = int(request.query["start_time"])
    _keep_going(doc)
    return _answer(doc, response)


def alternate_cursor(rule, request: web.Request, response, body) -> web.Response | None:
    """The next cursor is the one that led to this request's cursor, so two cursors alternate for ever.

    Remembered per cursor chain rather than per last request, so clients paging side by side each loop."""
    cursor = request_cursor(request)
    doc = json_object(body)
    if doc is None:
        return None
    led_here: dict = rule.memory.setdefault("led_here", {})
    previous = led_here.get(cursor) if cursor else None
    if not previous:
        genuine = _next_cursor(doc)
        if cursor and genuine and genuine != cursor:
            led_here[genuine] = cursor
        return None
    param = "cursor" if request.query.get("cursor") else "page[after]"
    going_back = _replace_query(own_url(request), **{param: previous})
    for holder, key in _link_slots(doc):
        holder[key] = going_back
    if "after_cursor" in doc:
        doc["after_cursor"] = previous
    meta = doc.get("meta")
    if isinstance(meta, dict) and "after_cursor" in meta:
        meta["after_cursor"] = previous
    _keep_going(doc)
    return _answer(doc, response)


def _next_cursor(doc: dict) -> str | None:
    meta = doc.get("meta")
    cursor = doc.get("after_cursor") or (meta.get("after_cursor") if isinstance(meta, dict) else None)
    return cursor if isinstance(cursor, str) else None


def stuck_end_time(rule, request: web.Request, response, body) -> web.Response | None:
    """A time export whose end_time stays at the requested start_time (a full page inside one second)."""
    doc = json_object(body)
    start = request.query.get("start_time", "")
    if doc is None or "end_time" not in doc or not start.isdigit():
        return None
    doc["end_time"] = int(start)
    doc["next_page"] = _replace_query(own_url(request), start_time=int(start), cursor=None)
    _keep_going(doc)
    return _answer(doc, response)


def future_end_time(rule, request: web.Request, response, body) -> web.Response | None:
    """A time export page whose end_time (and next_page) lies in the future, by default 2100-01-01."""
    doc = json_object(body)
    if doc is None or "end_time" not in doc:
        return None
    at = rule.at if rule.at is not None else FUTURE_EPOCH
    doc["end_time"] = at
    if isinstance(doc.get("next_page"), str):
        doc["next_page"] = _replace_query(doc["next_page"], start_time=at)
    if "end_of_stream" in doc:
        doc["end_of_stream"] = True
    return _answer(doc, response)


def bad_next(rule, request: web.Request, response, body) -> web.Response | None:
    """Every next link (and cursor) is a number instead of a string."""
    doc = json_object(body)
    if doc is None or not _link_slots(doc):
        return None
    for holder, key in _link_slots(doc):
        holder[key] = 12345
    if "after_cursor" in doc:
        doc["after_cursor"] = 12345
    _keep_going(doc)
    return _answer(doc, response)


# ---- bodies of the wrong shape ---------------------------------------------------------------------------------------


def array_body(rule, request: web.Request, response, body) -> web.Response | None:
    doc = json_object(body)
    if doc is None:
        return None
    return _answer([doc], response)


def deep_record(rule, request: web.Request, response, body) -> web.Response | None:
    """The first record of the first list in the body gains a field nested `depth` objects deep."""
    doc = json_object(body)
    if doc is None:
        return None
    records = next(
        (value for value in doc.values() if isinstance(value, list) and value and isinstance(value[0], dict)), None
    )
    if records is None:
        return None
    records[0]["nested"] = _DEEP_MARK
    depth = rule.depth or DEFAULT_DEEP_RECORD
    text = orjson.dumps(doc).replace(orjson.dumps(_DEEP_MARK), b'{"a":' * depth + b"1" + b"}" * depth, 1)
    return _answer(text, response)


def _record_lists(doc: dict) -> list[list]:
    return [value for value in doc.values() if isinstance(value, list) and value and isinstance(value[0], dict)]


def string_ids(rule, request: web.Request, response, body) -> web.Response | None:
    """Every record's id as a JSON string; a time export page also ends at its last record's second, with more to
    come, so the next (genuine) page repeats that second's records with integer ids."""
    doc = json_object(body)
    if doc is None or not _record_lists(doc):
        return None
    for records in _record_lists(doc):
        for record in records:
            if isinstance(record, dict) and isinstance(record.get("id"), int):
                record["id"] = str(record["id"])
    last_second = _last_second(_record_lists(doc)[0])
    if isinstance(doc.get("end_time"), int) and last_second is not None:
        doc["end_time"] = last_second
        if isinstance(doc.get("next_page"), str):
            doc["next_page"] = _replace_query(doc["next_page"], start_time=last_second)
        doc["end_of_stream"] = False
    return _answer(doc, response)


_TIME_FIELDS = ("generated_timestamp", "timestamp", "time", "updated_at", "created_at")


def _last_second(records: list) -> int | None:
    """The newest second among the records, by the first time field they carry (what the export pages by)."""
    field = next((name for name in _TIME_FIELDS if isinstance(records[0], dict) and name in records[0]), None)
    seconds = []
    for record in records:
        value = record.get(field) if field and isinstance(record, dict) else None
        if isinstance(value, int):
            seconds.append(value)
        elif isinstance(value, str):
            try:
                seconds.append(int(datetime.fromisoformat(value.replace("Z", "+00:00")).timestamp()))
            except ValueError:
                continue
    return max(seconds) if seconds else None


def no_count(rule, request: web.Request, response, body) -> web.Response | None:
    """The genuine answer without its top-level count (a proxy that trims it, an endpoint that stopped counting)."""
    doc = json_object(body)
    if doc is None or "count" not in doc:
        return None
    del doc["count"]
    return _answer(doc, response)


def echo_auth(rule, request: web.Request, response, body) -> web.Response | None:
    """The request's Authorization header, raw and decoded, quoted back: in an error body, or (2xx with field=)
    as that top-level field of the genuine answer."""
    header = request.headers.get("Authorization", "")
    echoed = f"Authorization: {header}"
    scheme, _, token = header.partition(" ")
    if scheme.lower() == "basic":
        try:
            echoed += f" ({base64.b64decode(token).decode('utf-8', 'replace')})"
        except ValueError:
            pass
    status = rule.status or 401
    if rule.field:
        doc = json_object(body)
        if doc is None:
            return None
        doc[rule.field] = echoed
        return _answer(doc, response, status=status)
    return _answer({"error": "Unauthorized", "description": f"Refused {echoed}"}, response, status=status)


def _asked_wait(rule) -> str:
    """The wait as the header writes it: value= as given, at= as an HTTP date, else retry_after seconds."""
    if rule.value is not None:
        return rule.value
    if rule.kind == "retry-after" and rule.at is not None:
        return formatdate(rule.at, usegmt=True)
    return str(rule.retry_after if rule.retry_after is not None else DEFAULT_LONG_WAIT)


def ratelimit_reset(rule, request: web.Request, response, body) -> web.Response | None:
    """The genuine answer, saying the budget is spent until a reset far away (default a day)."""
    wait = _asked_wait(rule)
    limit = response.headers.get("ratelimit-limit") or response.headers.get("X-Rate-Limit") or "700"
    return _answer(
        body if body is not None else b"{}",
        response,
        extra={
            "ratelimit-limit": limit,
            "ratelimit-remaining": "0",
            "ratelimit-reset": wait,
            "X-Rate-Limit": limit,
            "X-Rate-Limit-Remaining": "0",
        },
    )


async def drip(rule, request: web.Request, response, body) -> web.StreamResponse | None:
    """The genuine answer, one byte every `delay` seconds (default 2): a socket read timeout never fires."""
    if not body or response.status >= 300:
        return None
    stream = web.StreamResponse(
        status=response.status, headers={"Content-Type": response.headers.get("Content-Type", JSON_TYPE)}
    )
    stream.content_length = len(body)
    await stream.prepare(request)
    delay = rule.delay if rule.delay is not None else DEFAULT_DRIP_DELAY
    try:
        for i in range(len(body)):
            await stream.write(body[i : i + 1])
            await asyncio.sleep(delay)
    except (ConnectionError, RuntimeError):
        pass  # the client gave up: that is the point
    return stream


async def short_body(rule, request: web.Request, response, body) -> web.StreamResponse | None:
    """The genuine status and headers with the full Content-Length, part of the body (half, or `bytes`), then
    nothing more on a connection held open for `delay` seconds (default 600): a body that stalls, not one that ends."""
    stream = web.StreamResponse(
        status=response.status, headers={"Content-Type": response.headers.get("Content-Type", JSON_TYPE)}
    )
    stream.content_length = len(body)
    await stream.prepare(request)
    cut = max(1, min(rule.bytes, len(body) - 1)) if rule.bytes is not None else len(body) // 2
    await stream.write(body[:cut])
    transport = request.transport
    until = time.monotonic() + (rule.delay if rule.delay is not None else DEFAULT_HOLD)
    while transport is not None and not transport.is_closing() and time.monotonic() < until:
        await asyncio.sleep(0.5)  # held: the client's idle-read limit is what ends this
    if transport is not None:
        transport.close()
    raise asyncio.CancelledError  # the answer can never be completed on this connection


async def drip_headers(rule, request: web.Request) -> web.StreamResponse:
    """A status line and headers sent one byte every `delay` seconds (default 2), never finished: what a stalled
    proxy in front of Zendesk can do before any body. The connection is closed once the client has gone."""
    head = b"HTTP/1.1 200 OK\r\nContent-Type: application/json; charset=utf-8\r\nX-Slow: " + b"-" * 4096
    delay = rule.delay if rule.delay is not None else DEFAULT_DRIP_DELAY
    transport = request.transport
    try:
        for i in range(len(head)):
            if transport is None or transport.is_closing():
                break
            transport.write(head[i : i + 1])
            await asyncio.sleep(delay)
    finally:
        if transport is not None:
            transport.close()
    raise asyncio.CancelledError  # nothing more can be written on this connection


# ---- answers that replace the genuine one --------------------------------------------------------------------------


def redirect(rule, request: web.Request) -> web.Response:
    """A 30x (status=, default 307) to the same path on another origin (scheme=, host=, port=, link_path=);
    without any of them, to the very same URL (a 302 turns a POST into a GET)."""
    target = _relinked(rule, own_url(request))
    return web.Response(status=rule.status or 307, headers={"Location": target}, body=b"")


def retry_after(rule, request: web.Request) -> web.Response:
    return web.Response(
        status=429,
        text=ACCOUNT_LIMIT_TEXT,
        content_type="text/plain",
        charset="utf-8",
        headers={"Retry-After": _asked_wait(rule)},
    )


def not_json(rule, request: web.Request) -> web.Response:
    """Declared JSON, undecodable (invalid UTF-8, not JSON), but ending like a complete object."""
    return web.Response(status=200, body=b"{\xff\xfe not json at all }", headers={"Content-Type": JSON_TYPE})


def deep_document(rule, request: web.Request) -> web.Response:
    depth = rule.depth or DEFAULT_DEEP_DOCUMENT
    return web.Response(
        status=200, body=b'{"tickets":' + b"[" * depth + b"]" * depth + b"}", headers={"Content-Type": JSON_TYPE}
    )


async def oversized(rule, request: web.Request) -> web.StreamResponse:
    """A valid JSON object of `bytes` bytes (default 200 MB), chunked, generated while it is sent."""
    size = rule.bytes or DEFAULT_OVERSIZED_BYTES
    head, tail = b'{"tickets":[],"next_page":null,"padding":"', b'"}'
    stream = web.StreamResponse(status=200, headers={"Content-Type": JSON_TYPE})
    stream.enable_chunked_encoding()
    await stream.prepare(request)
    filler = b"x" * CHUNK
    left = max(0, size - len(head) - len(tail))
    try:
        await stream.write(head)
        while left > 0:
            await stream.write(filler[: min(CHUNK, left)])
            left -= CHUNK
        await stream.write(tail)
        await stream.write_eof()
    except (ConnectionError, RuntimeError):
        pass  # the client stopped reading
    return stream


_bombs: dict[tuple[str, int], bytes] = {}
_bombs_lock = threading.Lock()


def compressed_bomb(encoding: str, size: int) -> bytes:
    """A JSON object padded with whitespace to `size` bytes, gzip- or zlib(deflate)-compressed; built once."""
    key = (encoding, size)
    with _bombs_lock:
        if key not in _bombs:
            wbits = 31 if encoding == "gzip" else 15
            packer = zlib.compressobj(9, zlib.DEFLATED, wbits)
            head, tail = b'{"tickets":[],"next_page":null,"end_of_stream":true,"count":0', b"}"
            parts = [packer.compress(head)]
            spaces = b" " * CHUNK
            left = max(0, size - len(head) - len(tail))
            while left > 0:
                parts.append(packer.compress(spaces[: min(CHUNK, left)]))
                left -= CHUNK
            parts.append(packer.compress(tail))
            parts.append(packer.flush())
            _bombs[key] = b"".join(parts)
        return _bombs[key]


async def compression_bomb(rule, request: web.Request) -> web.StreamResponse:
    """`Content-Encoding: gzip` (or `encoding=deflate`) whose body inflates to `bytes` (default 512 MiB)."""
    encoding = rule.encoding or "gzip"
    payload = await asyncio.to_thread(compressed_bomb, encoding, rule.bytes or DEFAULT_BOMB_BYTES)
    return web.Response(status=200, body=payload, headers={"Content-Type": JSON_TYPE, "Content-Encoding": encoding})
