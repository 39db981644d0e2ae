r"""Faults on demand: 5xx bursts, 429 storms, resets mid-body, slow answers, truncated JSON, proxy HTML pages,
504 above a page size and expired tokens, by path glob, count or probability, reproducible from the seed; and the
hostile kinds (hostile.py) of a broken, misconfigured or malicious server.

SPEC grammar (``--faults`` and ``POST /_sandbox/faults {"spec": ...}``)::

    SPEC   := RULE ( (";" | ",") RULE )*
    RULE   := KIND ( ":" FIELD )*
    FIELD  := GLOB | NAME "=" VALUE           -- a field without "=" is the path glob (at most one)
    NAME   := count | p | after | delay | bytes | status | retry_after | method
            | scheme | host | port | link_path | at | depth | encoding | field
            | disguise | value                                                     -- the hostile kinds' options

    500:/api/v2/incremental/*:count=3              three 500s on the exports, then healthy
    429:p=0.1                                      a 429 (no Retry-After) on 10% of /api/* requests
    reset:/api/v2/tickets*:after=2:count=1         the 3rd /tickets request is reset mid-body
    504-large:bytes=200000                         any page above 200 kB answers 504, every time
    foreign-link:/api/v2/groups*:port=8443         every next link of /groups points at port 8443
    redirect:/oauth/tokens:status=307:host=127.0.0.2   the token endpoint redirects to another host

- GLOB is an fnmatch pattern (``*`` also crosses ``/``) tried on the raw path and on the path without ``.json``;
  default ``/api/*``. ``/_sandbox/*`` is never faulted. ``method=GET`` restricts the rule to one method.
- A rule fires on matching requests after the first ``after`` of them, at most ``count`` times (default: no cap),
  each time with probability ``p`` (default 1). Without count or p a rule fires on every matching request.
- Each rule draws from its own random.Random seeded with (settings.seed, its position, its kind and glob), so a run
  is reproducible for a given order of requests, and adding a rule does not disturb the others.
- One rule at most per request: the first rule, in order, that fires. Every matching rule counts the request in
  its ``matched`` counter (that is what ``after`` counts).

Hostile kinds (built in hostile.py; a URL cannot sit in a SPEC, whose separator is ":", so another origin is
given by its parts: ``scheme=``, ``host=``, ``port=``, ``link_path=``, each replacing that part of the genuine URL):

- Origins. ``foreign-link`` moves every next link of the answer (``next_page``, ``after_url``, ``links.next``, the
  ``Link`` header) to another origin, the port always written out (``port=443`` gives an explicit ``:443``,
  ``scheme=http`` a downgrade, ``host=`` a brand's host-mapped domain), and says there is more (``has_more``,
  ``end_of_stream: false``); a null link becomes the next offset page (or this page) over there, so short lists,
  exports and per-parent children all hand one out. ``redirect`` answers ``status=`` 301/302/303/307/308 (default
  307) with a ``Location`` on that origin, or on the very same URL when no part is given (a 302 turns a POST into a
  GET); with the glob ``/oauth/tokens`` it hits the token endpoint. ``disguise=`` writes either one's URL so that
  two URL parsers read it differently: ``backslash`` (``http://OTHER\@GENUINE/...``: Python's urllib.parse reads
  the genuine host after the ``@``, urllib3 and browsers the other one before the backslash), ``percent-at``
  (``OTHER%40GENUINE``), ``fullwidth-at`` (``OTHER＠GENUINE``, links only: a header is Latin-1) and
  ``upper-scheme`` (``HTTP://...``, absolute in any case).
- Loops. ``repeat-next``: every next link is the request's own URL, ``after_cursor`` what the request sent,
  ``end_time`` its ``start_time``, with more to come. ``alternate-cursor``: the next cursor is the one that led to the
  request's cursor, so two cursors alternate (the rule remembers which cursor led to which, so clients paging side
  by side each loop; it fires from the second cursor of a chain).
  ``stuck-end-time``: a time export whose ``end_time`` and ``next_page`` stay at the requested ``start_time``.
- Clocks. ``future-end-time``: ``end_time`` and ``next_page``'s ``start_time`` set to ``at=`` (epoch, default
  2100-01-01), ``end_of_stream: true``.
- Sizes and time. ``oversized``: a valid JSON object of ``bytes=`` (default 200 MB), chunked, generated while sent.
  ``gzip-bomb``: ``Content-Encoding: gzip`` (``encoding=deflate`` for zlib) whose body inflates to ``bytes=``
  (default 512 MiB; about 510 kB sent, built once per size and kept). ``drip``: the genuine answer, one byte every
  ``delay=`` seconds (default 2). ``drip-headers``: a status line and headers one byte every ``delay=`` seconds
  that never end (a stalled proxy). ``retry-after``: 429 with ``Retry-After: retry_after`` (default 86400).
  ``ratelimit-reset``: the genuine 2xx, with ``ratelimit-remaining: 0`` and ``ratelimit-reset: retry_after``
  (default 86400). Both take ``value=`` instead, the header's text as sent (``inf``, ``nan``, ``1e20``, a number
  of any size), and ``retry-after`` takes ``at=`` (epoch) for the HTTP-date form (``Thu, 01 Jan 2099 00:00:00 GMT``).
  ``short-body``: the genuine status and headers, its full ``Content-Length``, half the body (or ``bytes=``), then
  the connection held open without another byte for ``delay=`` seconds (default 600) before it is closed.
- Secrets. ``echo-auth``: the request's Authorization header, raw and (Basic) decoded, quoted in an error body of
  ``status=`` (default 401); with ``field=NAME`` the genuine answer instead, that top-level field set to the quote.
- Shapes. ``not-json``: a 200 declared JSON that is not (invalid UTF-8, yet ending in ``}``). ``array-body``: the
  genuine object inside an array. ``bad-next``: every next link and cursor the number 12345. ``deep-json``: a
  document nested ``depth=`` arrays deep (default 100,000). ``deep-record``: the first record of the answer gains a
  field nested ``depth=`` objects deep (default 1,000). ``string-ids``: every record's ``id`` a JSON string
  (``"123"``); on a time export the page also ends at its last record's second (``end_time``, ``next_page``) with
  more to come, so the next, genuine page repeats that second's records with their integer ids, as Zendesk repeats
  a cut page's last second. ``no-count``: the genuine answer without its top-level ``count``.
- A token-endpoint failure is any status kind with the glob ``/oauth/tokens`` (``html:/oauth/tokens:status=500``
  answers before the endpoint rotates the refresh token).

A rewriting kind that finds nothing to rewrite (no JSON object, no link, no ``end_time``) sends the genuine answer
and its firing is not counted. Sizes, depths, delays and waits are bounded (``bytes`` at most 4 GiB, ``depth``
1,000,000, ``delay`` a week, ``retry_after`` ten years); a value outside is refused naming the option.

Where a fault happens, and therefore whether it counts in the rate limits (ratelimit.py):
- "edge" faults stand for something in front of Zendesk's application, which never sees the request: 502, html
  (a proxy's HTML page), 503 (overload shedding, with Retry-After), 429 (a storm from an edge throttle, without
  Retry-After) and expire-token (rejected at authentication); among the hostile kinds redirect, retry-after,
  oversized, gzip-bomb, not-json and deep-json. They are answered at once, count in no bucket and
  carry no rate-limit headers.
- "app" faults stand for the application failing while or after it served the request: 500, 504, 504-large,
  truncated, reset and slow; and the hostile kinds that rewrite the genuine answer. The request goes through the
  rate limiter and the handler first (so it counts, and
  the rate-limit headers are kept on the faulty answer); then the answer is replaced or mangled. If the limiter
  refused the request (429), or the answer does not qualify (504-large below ``bytes``; truncated/reset need a 2xx
  body of at least 2 bytes; streamed answers cannot be altered), the genuine answer goes out and the rule's firing
  is not counted.
"""

from __future__ import annotations

import asyncio
import fnmatch
import random
import socket
import struct
import threading
from dataclasses import dataclass, field as dataclass_field
from typing import Callable, cast

from aiohttp import web

from zendesk_sandbox.server import hostile
from zendesk_sandbox.server.ratelimit import ACCOUNT_LIMIT_TEXT, is_sandbox_path, rate_limit_headers
from zendesk_sandbox.foundation.routing import normalize_path

DEFAULT_GLOB = "/api/*"
DEFAULT_SLOW_DELAY = 60.0  # real seconds: longer than any sensible client timeout
DEFAULT_503_RETRY_AFTER = 1  # real seconds

EXPIRED_TOKEN_BODY = (
    '{"error":"invalid_token","error_description":"The access token provided is expired, revoked, malformed or '
    'invalid for other reasons."}'
)


def _proxy_page(status: int) -> str:
    reason = {500: "Internal Server Error", 502: "Bad Gateway", 503: "Service Unavailable", 504: "Gateway Timeout"}
    title = f"{status} {reason.get(status, 'Error')}"
    return (
        f"<html>\r\n<head><title>{title}</title></head>\r\n<body>\r\n<center><h1>{title}</h1></center>\r\n"
        "<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n"
    )


@dataclass(frozen=True)
class Kind:
    stage: str  # "edge": answered before the app; "app": the app serves first, then the answer is altered
    status: int | None = None  # for plain status answers
    answer: Callable | None = None  # hostile.py builds the answer (edge: (rule, request); app: + response, body)


KINDS = {
    "500": Kind("app", 500),
    "502": Kind("edge", 502),
    "503": Kind("edge", 503),
    "504": Kind("app", 504),
    "429": Kind("edge", 429),
    "reset": Kind("app"),
    "slow": Kind("app"),
    "truncated": Kind("app"),
    "html": Kind("edge"),
    "504-large": Kind("app", 504),
    "expire-token": Kind("edge", 401),
    # hostile servers (hostile.py): origins, loops, clocks, sizes, waits, shapes, echoed secrets
    "foreign-link": Kind("app", answer=hostile.foreign_link),
    "redirect": Kind("edge", answer=hostile.redirect),
    "repeat-next": Kind("app", answer=hostile.repeat_next),
    "alternate-cursor": Kind("app", answer=hostile.alternate_cursor),
    "stuck-end-time": Kind("app", answer=hostile.stuck_end_time),
    "future-end-time": Kind("app", answer=hostile.future_end_time),
    "oversized": Kind("edge", answer=hostile.oversized),
    "gzip-bomb": Kind("edge", answer=hostile.compression_bomb),
    "drip": Kind("app", answer=hostile.drip),
    "drip-headers": Kind("edge", answer=hostile.drip_headers),
    "retry-after": Kind("edge", 429, answer=hostile.retry_after),
    "ratelimit-reset": Kind("app", answer=hostile.ratelimit_reset),
    "echo-auth": Kind("app", answer=hostile.echo_auth),
    "not-json": Kind("edge", answer=hostile.not_json),
    "array-body": Kind("app", answer=hostile.array_body),
    "bad-next": Kind("app", answer=hostile.bad_next),
    "deep-json": Kind("edge", answer=hostile.deep_document),
    "deep-record": Kind("app", answer=hostile.deep_record),
    "short-body": Kind("app", answer=hostile.short_body),
    "string-ids": Kind("app", answer=hostile.string_ids),
    "no-count": Kind("app", answer=hostile.no_count),
}
ORIGIN_KINDS = ("foreign-link", "redirect")
# Bounds that keep a typo from taking the sandbox (or the machine) down; the hostile sizes fit inside them.
MAX_BYTES = 4 * 1024**3
MAX_DEPTH = 1_000_000
MAX_DELAY = 7 * 86400.0
MAX_WAIT = 10 * 365 * 86400

_INT_OPTIONS = {"count", "after", "bytes", "status", "retry_after", "port", "at", "depth"}
_FLOAT_OPTIONS = {"p", "delay"}
_STR_OPTIONS = {"method", "path", "scheme", "host", "link_path", "encoding", "field", "disguise", "value"}
_REPORT_ONLY = {"id", "matched", "fired"}  # keys of GET /_sandbox/faults that POST ignores, so rules round-trip


class FaultSpecError(ValueError):
    pass


@dataclass
class FaultRule:
    kind: str
    path: str = DEFAULT_GLOB
    count: int | None = None
    p: float | None = None
    after: int = 0
    delay: float | None = None
    bytes: int | None = None
    status: int | None = None
    retry_after: int | None = None
    method: str | None = None
    scheme: str | None = None
    host: str | None = None
    port: int | None = None
    link_path: str | None = None
    at: int | None = None
    depth: int | None = None
    encoding: str | None = None
    field: str | None = None
    disguise: str | None = None
    value: str | None = None
    matched: int = 0
    fired: int = 0
    rng: random.Random = dataclass_field(default_factory=random.Random, repr=False)
    memory: dict = dataclass_field(default_factory=dict, repr=False)  # what a stateful kind remembers

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise FaultSpecError(f"unknown fault kind {self.kind!r}; choose from {', '.join(KINDS)}")
        if self.p is not None and not 0.0 <= self.p <= 1.0:
            raise FaultSpecError(f"p must be between 0 and 1, got {self.p}")
        if self.count is not None and self.count < 0 or self.after < 0:
            raise FaultSpecError("count and after must not be negative")
        if self.kind == "504-large" and self.bytes is None:
            raise FaultSpecError("504-large needs bytes=N (the largest body that is still served)")
        if self.kind == "html" and self.status not in (None, 500, 502, 503, 504):
            raise FaultSpecError("html takes status=500|502|503|504")
        self._check_hostile_options()
        if self.method:
            self.method = self.method.upper()

    def _check_hostile_options(self) -> None:
        for name, bound in (
            ("bytes", MAX_BYTES),
            ("depth", MAX_DEPTH),
            ("delay", MAX_DELAY),
            ("retry_after", MAX_WAIT),
            ("count", MAX_BYTES),
            ("after", MAX_BYTES),
        ):
            value = getattr(self, name)
            if value is not None and not 0 <= value <= bound:
                raise FaultSpecError(f"{name} must be between 0 and {bound}, got {value}")
        if self.port is not None and not 1 <= self.port <= 65535:
            raise FaultSpecError(f"port must be between 1 and 65535, got {self.port}")
        if self.scheme is not None and self.scheme not in ("http", "https"):
            raise FaultSpecError(f"scheme must be http or https, got {self.scheme!r}")
        if self.link_path is not None and not self.link_path.startswith("/"):
            raise FaultSpecError(f"link_path must start with '/', got {self.link_path!r}")
        if self.kind == "foreign-link" and not (
            self.scheme or self.host or self.port or self.link_path or self.disguise
        ):
            raise FaultSpecError(
                "foreign-link needs scheme=, host=, port=, link_path= or disguise= (where the links go)"
            )
        if self.disguise is not None and self.disguise not in hostile.DISGUISES:
            raise FaultSpecError(f"disguise takes {'|'.join(hostile.DISGUISES)}, got {self.disguise!r}")
        if self.kind == "redirect" and self.disguise == "fullwidth-at":
            raise FaultSpecError("disguise=fullwidth-at is for links only: a Location header is Latin-1")
        if self.kind == "redirect" and self.status not in (None, 301, 302, 303, 307, 308):
            raise FaultSpecError("redirect takes status=301|302|303|307|308")
        if self.value is not None and (
            self.kind not in ("retry-after", "ratelimit-reset") or not self.value.isprintable() or len(self.value) > 400
        ):
            raise FaultSpecError(
                "value= is for retry-after and ratelimit-reset: the header's text, printable, at most 400 characters"
            )
        if self.kind == "gzip-bomb" and self.encoding not in (None, "gzip", "deflate"):
            raise FaultSpecError("gzip-bomb takes encoding=gzip|deflate")

    def config(self) -> dict:
        """The rule as JSON (what POST /_sandbox/faults takes), without its run-time counters."""
        out = {"kind": self.kind, "path": self.path}
        for name in (
            "count",
            "p",
            "after",
            "delay",
            "bytes",
            "status",
            "retry_after",
            "method",
            "scheme",
            "host",
            "port",
            "link_path",
            "at",
            "depth",
            "encoding",
            "field",
            "disguise",
            "value",
        ):
            value = getattr(self, name)
            if value is not None and not (name == "after" and value == 0):
                out[name] = value
        return out

    def matches(self, method: str, path: str) -> bool:
        if self.method and self.method != method:
            return False
        return fnmatch.fnmatchcase(path, self.path) or fnmatch.fnmatchcase(normalize_path(path), self.path)

    def wants_to_fire(self) -> bool:
        if self.matched <= self.after:
            return False
        if self.count is not None and self.fired >= self.count:
            return False
        return self.p is None or self.rng.random() < self.p


def parse_spec(spec: str) -> list[dict]:
    """Parse a SPEC string into rule dicts (the JSON form taken by POST /_sandbox/faults)."""
    rules = []
    for text in spec.replace(",", ";").split(";"):
        text = text.strip()
        if not text:
            continue
        kind, *fields = text.split(":")
        rule: dict = {"kind": kind.strip()}
        for item in fields:
            item = item.strip()
            if "=" not in item:
                if "path" in rule:
                    raise FaultSpecError(f"two path globs in fault rule {text!r}")
                rule["path"] = item
                continue
            name, value = (part.strip() for part in item.split("=", 1))
            rule[name] = value
        typed = _typed(rule, text)
        FaultRule(**typed)  # validates kind and values now, so a bad --faults fails at start-up
        rules.append(typed)
    return rules


def _typed(rule: dict, where: str) -> dict:
    out: dict[str, int | float | str | None] = {}
    for name, value in rule.items():
        try:
            if name in _INT_OPTIONS:
                out[name] = None if value is None else int(value)
            elif name in _FLOAT_OPTIONS:
                out[name] = None if value is None else float(value)
            elif name in _STR_OPTIONS or name == "kind":
                out[name] = str(value)
            else:
                raise FaultSpecError(f"unknown option {name!r} in fault rule {where!r}")
        except (TypeError, ValueError) as exc:
            if isinstance(exc, FaultSpecError):
                raise
            raise FaultSpecError(f"bad value for {name!r} in fault rule {where!r}: {value!r}") from None
    if "kind" not in out:
        raise FaultSpecError(f"fault rule without kind: {where!r}")
    return out


class FaultInjector:
    """The active rules and their counters; decisions are taken under a lock so they are safe under concurrency."""

    def __init__(self, settings) -> None:
        self.seed = getattr(settings, "seed", 0)
        self.rules: list[FaultRule] = []
        self._lock = threading.Lock()
        if getattr(settings, "faults", None):
            self.add(parse_spec(settings.faults))

    def add(self, rule_dicts: list[dict]) -> list[FaultRule]:
        built = []
        for raw in rule_dicts:
            if not isinstance(raw, dict):
                raise FaultSpecError(f"a fault rule must be a JSON object, got {raw!r}")
            values = _typed({k: v for k, v in raw.items() if k not in _REPORT_ONLY}, str(raw))
            built.append(FaultRule(**values))
        with self._lock:
            for rule in built:
                position = len(self.rules)
                rule.rng = random.Random(f"{self.seed}:{position}:{rule.kind}:{rule.path}")
                self.rules.append(rule)
        return built

    def clear(self) -> int:
        with self._lock:
            removed = len(self.rules)
            self.rules = []
        return removed

    def choose(self, method: str, path: str) -> FaultRule | None:
        chosen = None
        with self._lock:
            for rule in self.rules:
                if not rule.matches(method, path):
                    continue
                rule.matched += 1
                if chosen is None and rule.wants_to_fire():
                    rule.fired += 1
                    chosen = rule
        return chosen

    def refund(self, rule: FaultRule) -> None:
        """The rule was chosen but could not apply to this answer: it did not fire after all."""
        with self._lock:
            rule.fired -= 1

    def report(self) -> list[dict]:
        with self._lock:
            return [
                {"id": i, **rule.config(), "matched": rule.matched, "fired": rule.fired}
                for i, rule in enumerate(self.rules)
            ]


# ---- the faulty answers -------------------------------------------------------------------------------------------


def _edge_answer(rule: FaultRule) -> web.Response:
    if rule.kind == "429":
        return web.Response(status=429, text=ACCOUNT_LIMIT_TEXT, content_type="text/plain", charset="utf-8")
    if rule.kind == "503":
        retry = rule.retry_after if rule.retry_after is not None else DEFAULT_503_RETRY_AFTER
        return web.Response(
            status=503, text=_proxy_page(503), content_type="text/html", headers={"Retry-After": str(retry)}
        )
    if rule.kind == "expire-token":
        return web.Response(status=401, text=EXPIRED_TOKEN_BODY, content_type="application/json", charset="utf-8")
    if rule.kind == "html":
        status = rule.status or 502
        return web.Response(status=status, text=_proxy_page(status), content_type="text/html")
    status = cast(int, KINDS[rule.kind].status)
    return web.Response(status=status, body=b"")  # 502: an empty answer from the load balancer


def _body(response: web.StreamResponse) -> bytes | None:
    body = getattr(response, "body", None)
    if isinstance(body, (bytes, bytearray)):
        return bytes(body)
    if body is not None and hasattr(body, "_value"):  # aiohttp BytesPayload
        return bytes(body._value)
    return None


def _qualifies(rule: FaultRule, response: web.StreamResponse, body: bytes | None) -> bool:
    if response.status == 429 or response.prepared:
        return False
    if rule.kind == "504-large":
        return body is not None and len(body) > cast(int, rule.bytes)  # 504-large requires bytes=
    if rule.kind in ("truncated", "reset", "short-body"):
        return body is not None and len(body) >= 2 and 200 <= response.status < 300
    return True


def _cut_point(rule: FaultRule, body: bytes) -> int:
    if rule.bytes is not None:
        return max(1, min(rule.bytes, len(body) - 1))
    return len(body) // 2


async def _app_answer(
    rule: FaultRule, request: web.Request, response: web.StreamResponse, body: bytes | None
) -> web.StreamResponse:
    kept = rate_limit_headers(response)
    if rule.kind == "slow":
        await asyncio.sleep(rule.delay if rule.delay is not None else DEFAULT_SLOW_DELAY)
        return response
    if rule.kind == "truncated":
        body = cast(bytes, body)  # _qualifies passes truncated and reset only with a body
        cut = body[: _cut_point(rule, body)]
        return web.Response(
            status=200,
            body=cut,
            headers={**kept, "Content-Type": response.headers.get("Content-Type", "application/json; charset=utf-8")},
        )
    if rule.kind == "reset":
        return await _reset_mid_body(rule, request, response, cast(bytes, body), kept)
    if rule.kind in ("504", "504-large"):
        return web.Response(status=504, text=_proxy_page(504), content_type="text/html", headers=kept)
    return web.Response(status=cast(int, KINDS[rule.kind].status), body=b"", headers=kept)  # 500


async def _reset_mid_body(
    rule: FaultRule, request: web.Request, response: web.StreamResponse, body: bytes, kept: dict
) -> web.StreamResponse:
    """Send the status, the headers (with the full Content-Length) and part of the body, then reset the TCP
    connection (SO_LINGER 0 makes close() send RST rather than FIN)."""
    stream = web.StreamResponse(
        status=response.status,
        headers={**kept, "Content-Type": response.headers.get("Content-Type", "application/json; charset=utf-8")},
    )
    stream.content_length = len(body)
    await stream.prepare(request)
    await stream.write(body[: _cut_point(rule, body)])
    transport = request.transport
    if transport is not None:
        for _ in range(100):  # let the partial body reach the socket before the reset
            if transport.get_write_buffer_size() == 0:
                break
            await asyncio.sleep(0.01)
        await asyncio.sleep(0.02)
        sock = transport.get_extra_info("socket")
        if sock is not None:
            try:
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            except OSError:
                pass
        transport.abort()
    return stream


async def _maybe_await(value):
    return await value if asyncio.iscoroutine(value) else value


def make_fault_middleware(settings):
    injector = FaultInjector(settings)

    @web.middleware
    async def fault_middleware(request: web.Request, handler):
        if is_sandbox_path(request.path):
            return await handler(request)
        rule = injector.choose(request.method, request.path)
        if rule is None:
            return await handler(request)
        kind = KINDS[rule.kind]
        if kind.stage == "edge":
            return await _maybe_await(kind.answer(rule, request)) if kind.answer else _edge_answer(rule)
        raised = None
        try:
            response = await handler(request)
        except web.HTTPException as exc:
            response = raised = exc
        body = _body(response)
        answer = None
        if _qualifies(rule, response, body):
            answer = (
                await _maybe_await(kind.answer(rule, request, response, body))
                if kind.answer
                else await _app_answer(rule, request, response, body)
            )
        if answer is None:
            injector.refund(rule)
            if raised is not None:
                raise raised
            return response
        return answer

    fault_middleware.injector = injector
    return fault_middleware


def find_injector(app: web.Application) -> FaultInjector | None:
    for middleware in app.middlewares:
        injector = getattr(middleware, "injector", None)
        if isinstance(injector, FaultInjector):
            return injector
    return None


def add_control_routes(app: web.Application) -> None:
    """GET /_sandbox/faults lists the rules with their counters; POST adds rules (a JSON list of rule objects,
    {"rules": [...]}, or {"spec": "SPEC"}); DELETE removes them all."""

    def _injector(request: web.Request) -> FaultInjector:
        injector = find_injector(request.app)
        if injector is None:
            raise web.HTTPNotFound(text='{"error":"fault injector not installed"}', content_type="application/json")
        return injector

    async def show(request: web.Request) -> web.Response:
        return web.json_response({"rules": _injector(request).report()})

    async def add(request: web.Request) -> web.Response:
        injector = _injector(request)
        try:
            payload = await request.json()
            if isinstance(payload, dict) and "spec" in payload:
                rules = parse_spec(str(payload["spec"]))
            elif isinstance(payload, dict) and "rules" in payload:
                rules = payload["rules"]
            elif isinstance(payload, dict) and "kind" in payload:
                rules = [payload]
            else:
                rules = payload
            if not isinstance(rules, list):
                raise FaultSpecError('expected a list of rules, {"rules": [...]} or {"spec": "..."}')
            injector.add(rules)
        except (ValueError, TypeError) as exc:  # FaultSpecError and JSON errors
            return web.json_response({"error": "InvalidFaultSpec", "description": str(exc)}, status=400)
        return web.json_response({"rules": injector.report()}, status=201)

    async def clear(request: web.Request) -> web.Response:
        return web.json_response({"deleted": _injector(request).clear()})

    app.router.add_get("/_sandbox/faults", show)
    app.router.add_post("/_sandbox/faults", add)
    app.router.add_delete("/_sandbox/faults", clear)
