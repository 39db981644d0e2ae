"""Zendesk's per-minute rate limits: fixed windows, the rate-limit headers on every response, 429 when spent.

Model (zendesk-api-notes.md §4):
- Windows are fixed and last one Zendesk minute, i.e. 60 / time_scale real seconds. All one-minute buckets share
  the same window edges (counted from the limiter's start), so they reset together.
- A request counts against its account bucket (Support; Help Center has its own of the same size; Chat has its own
  200/min) AND against its endpoint bucket if it has one (incremental exports, search export, deleted tickets...).
  The check and the count are one atomic step: a request refused by any of its buckets counts in none of them.
- `ratelimit-reset`, the `resets=` of endpoint headers and `Retry-After` are REAL seconds to the end of the window,
  rounded up (>= 1). With --time-scale X they are 60/X times smaller than Zendesk's, and a client that waits exactly
  that long lands in the next window.
- `--rate-limit 0` switches off the account buckets and the non-export endpoint buckets; `--export-rate-limit 0`
  switches off the incremental-export buckets. A switched-off bucket never refuses a request but still announces
  a limit (OFF_LIMIT a minute), as Zendesk always does: a client must never read missing headers as "unlimited".
- `/oauth/*` requests carry the Support headers but are not counted, so that a client can always refresh its token.
- `/_sandbox/*` is never limited and gets no headers.
"""

from __future__ import annotations

import math
import threading
import time
from dataclasses import dataclass
from typing import Callable, cast

from aiohttp import web

try:  # the core's classifier is the single source of truth; the fallback only keeps this module usable alone
    from zendesk_sandbox.foundation.routing import endpoint_bucket, normalize_path
except ImportError:  # pragma: no cover - exercised only before the core existed

    def normalize_path(path: str) -> str:
        path = path[:-5] if path.endswith(".json") else path
        return path[:-1] if len(path) > 1 and path.endswith("/") else path

    def endpoint_bucket(path: str) -> str:
        path = normalize_path(path)
        for prefix, bucket in (
            ("/_sandbox/", "sandbox"),
            ("/oauth/", "oauth"),
            ("/api/v2/incremental/", "incremental_exports"),
            ("/api/v2/search/export", "search_export"),
            ("/api/v2/deleted_tickets", "deleted_tickets"),
            ("/api/v2/help_center/", "help_center"),
            ("/api/v2/chat/", "chat"),
            ("/api/v2/channels/voice/", "talk"),
        ):
            if path.startswith(prefix) or path + "/" == prefix:
                return bucket
        return "account"


ZENDESK_MINUTE = 60.0
# What a switched-off bucket announces: far above any plan, so a client paces at it without slowing down.
OFF_LIMIT = 100000

ACCOUNT_LIMIT_TEXT = "Number of allowed API requests per minute exceeded"
INCREMENTAL_LIMIT_JSON = (
    '{"error":"APIRateLimitExceeded",'
    '"description":"Number of allowed incremental export API requests per minute exceeded"}'
)
# [I] search export and deleted tickets: the body is not recorded anywhere; Zendesk's JSON error shape is assumed.
ENDPOINT_LIMIT_JSON = (
    '{"error":"APIRateLimitExceeded","description":"Number of allowed API requests per minute exceeded"}'
)

# Body and content type of the 429, by limiter (notes §4.3).
REJECTIONS = {
    "account_text": ("text/plain", ACCOUNT_LIMIT_TEXT),
    "incremental_json": ("application/json", INCREMENTAL_LIMIT_JSON),
    "endpoint_json": ("application/json", ENDPOINT_LIMIT_JSON),
}


def _account_limit(settings) -> int:
    if settings.rate_limit is not None:
        return settings.rate_limit
    from zendesk_sandbox.foundation.settings import PLAN_RATE_LIMITS

    return PLAN_RATE_LIMITS["high_volume" if settings.high_volume else settings.plan]


def _export_limit(settings) -> int:
    if settings.export_rate_limit is not None:
        return settings.export_rate_limit
    return 30 if settings.high_volume else 10


def _unless_account_off(limit: int) -> Callable:
    return lambda s: 0 if _account_limit(s) == 0 else limit


@dataclass(frozen=True)
class BucketSpec:
    name: str
    limit: Callable  # settings -> requests per window (0 = off)
    rejection: str  # key of REJECTIONS
    header: str | None = None  # endpoint header, "total=N; remaining=N; resets=S"
    window_minutes: int = 1


BUCKETS = {
    spec.name: spec
    for spec in [
        BucketSpec("support", _account_limit, "account_text"),
        BucketSpec("help_center", _account_limit, "account_text"),
        BucketSpec("chat", _unless_account_off(200), "account_text"),
        BucketSpec("incremental_exports", _export_limit, "incremental_json", "zendesk-ratelimit-incremental-exports"),
        # [O:S4] /incremental/users/cursor reports its own bucket with total=20; taken as twice the export limit [I].
        BucketSpec(
            "incremental_exports_cursor",
            lambda s: 2 * _export_limit(s),
            "incremental_json",
            "zendesk-ratelimit-incremental-exports-cursor",
        ),
        BucketSpec(
            "incremental_sample", lambda s: 0 if _export_limit(s) == 0 else 10, "incremental_json", window_minutes=20
        ),
        # [O] 10 requests a minute of its own, shared by every object; Zendesk documents no header for it.
        BucketSpec("incremental_custom_objects", lambda s: 0 if _export_limit(s) == 0 else 10, "incremental_json"),
        BucketSpec("search_export", _unless_account_off(100), "endpoint_json"),
        BucketSpec(
            "deleted_tickets", _unless_account_off(10), "endpoint_json", "zendesk-ratelimit-deleted-tickets-index"
        ),
        # [O:S4] GET /tickets reports a very large per-endpoint budget; kept for the header's sake.
        BucketSpec("tickets_index", _unless_account_off(100000), "account_text", "zendesk-ratelimit-tickets-index"),
    ]
}


@dataclass(frozen=True)
class Route:
    """How one class of paths (the core's endpoint_bucket) is limited."""

    account: str | None  # account bucket, or None for paths never limited
    endpoint: str | None = None
    support_headers: bool = True  # ratelimit-limit/remaining/reset are sent on Support endpoints only
    counted: bool = True


ROUTES = {
    "account": Route("support"),
    "incremental_exports": Route("support", "incremental_exports"),
    "incremental_sample": Route("support", "incremental_sample"),
    "search_export": Route("support", "search_export"),
    "deleted_tickets": Route("support", "deleted_tickets"),
    "help_center": Route("help_center", support_headers=False),
    "talk": Route("support", support_headers=False),
    "chat": Route("chat", support_headers=False),
    "oauth": Route("support", counted=False),
    "sandbox": Route(None),
}


def route_for(method: str, path: str) -> Route:
    bucket = endpoint_bucket(path)
    route = ROUTES.get(bucket, ROUTES["account"])
    normalized = normalize_path(path)
    if bucket == "incremental_exports" and normalized == "/api/v2/incremental/users/cursor":
        return Route("support", "incremental_exports_cursor")
    if bucket == "incremental_exports" and normalized.startswith("/api/v2/incremental/custom_objects/"):
        return Route("support", "incremental_custom_objects")
    if bucket == "account" and method == "GET" and normalized == "/api/v2/tickets":
        return Route("support", "tickets_index")
    if bucket == "incremental_exports" and normalized.startswith("/api/v2/channels/voice/"):
        return Route("support", "incremental_exports", support_headers=False)  # Talk: X-Rate-Limit pair only
    return route


@dataclass
class _Window:
    index: int = -1
    used: int = 0


@dataclass
class Admission:
    allowed: bool
    headers: dict
    rejected_by: BucketSpec | None = None
    retry_after: int = 0

    def rejection_response(self) -> web.Response:
        content_type, body = REJECTIONS[cast(BucketSpec, self.rejected_by).rejection]  # only a refusal asks
        headers = dict(self.headers)
        headers["Retry-After"] = str(self.retry_after)
        return web.Response(status=429, text=body, content_type=content_type, charset="utf-8", headers=headers)


class RateLimiter:
    """Fixed-window counters for every bucket; safe to call from several tasks or threads."""

    def __init__(self, settings, clock: Callable[[], float] = time.monotonic):
        self.settings = settings
        self.clock = clock
        self.minute = ZENDESK_MINUTE / settings.time_scale  # real seconds per Zendesk minute
        self.epoch = clock()
        self._windows: dict[str, _Window] = {}
        self._lock = threading.Lock()

    def limit(self, bucket: str) -> int:
        return BUCKETS[bucket].limit(self.settings)

    def announced(self, bucket: str) -> int:
        """The limit the headers tell: the bucket's, or OFF_LIMIT when it is switched off."""
        return self.limit(bucket) or OFF_LIMIT

    def _window(self, bucket: str, now: float) -> tuple[_Window, float]:
        """The bucket's current window (rolled over if its time is up) and real seconds until it ends."""
        length = self.minute * BUCKETS[bucket].window_minutes
        index = math.floor((now - self.epoch) / length)
        window = self._windows.setdefault(bucket, _Window())
        if window.index != index:
            window.index, window.used = index, 0
        return window, self.epoch + (index + 1) * length - now

    def admit(self, method: str, path: str) -> Admission:
        route = route_for(method, path)
        names = [name for name in (route.endpoint, route.account) if name]
        with self._lock:
            now = self.clock()
            state = {name: self._window(name, now) for name in names}
            exhausted = [
                name
                for name in names
                if route.counted and self.limit(name) > 0 and state[name][0].used >= self.limit(name)
            ]
            if not exhausted and route.counted:
                for name in names:
                    state[name][0].used += 1
            headers = self._headers(route, state)
        if not exhausted:
            return Admission(True, headers)
        retry_after = max(_ceil_seconds(state[name][1]) for name in exhausted)
        return Admission(False, headers, BUCKETS[exhausted[0]], retry_after)

    def _headers(self, route: Route, state: dict) -> dict:
        headers = {}
        if route.account in state:
            window, left = state[route.account]
            limit = self.announced(cast(str, route.account))  # a key of state
            remaining = str(max(0, limit - window.used))
            headers["X-Rate-Limit"] = str(limit)
            headers["X-Rate-Limit-Remaining"] = remaining
            if route.support_headers:
                headers["ratelimit-limit"] = str(limit)
                headers["ratelimit-remaining"] = remaining
                headers["ratelimit-reset"] = str(_ceil_seconds(left))
        if route.endpoint in state and BUCKETS[cast(str, route.endpoint)].header:
            endpoint = cast(str, route.endpoint)  # a key of state
            window, left = state[endpoint]
            limit = self.announced(endpoint)
            headers[cast(str, BUCKETS[endpoint].header)] = (
                f"total={limit}; remaining={max(0, limit - window.used)}; resets={_ceil_seconds(left)}"
            )
        return headers

    def snapshot(self) -> dict:
        """Current windows of every bucket that is switched on (for GET /_sandbox/ratelimit)."""
        with self._lock:
            now = self.clock()
            buckets = {}
            for name in BUCKETS:
                limit = self.limit(name)
                if limit <= 0:
                    continue
                window, left = self._window(name, now)
                buckets[name] = {
                    "limit": limit,
                    "used": window.used,
                    "remaining": max(0, limit - window.used),
                    "resets_in": round(left, 3),
                    "window_seconds": round(self.minute * BUCKETS[name].window_minutes, 3),
                }
        return {"time_scale": self.settings.time_scale, "minute_seconds": round(self.minute, 3), "buckets": buckets}

    def clear(self) -> None:
        with self._lock:
            self._windows.clear()


def _ceil_seconds(seconds: float) -> int:
    # A small epsilon keeps 2.0000000001 (float noise) from becoming 3.
    return max(1, math.ceil(seconds - 1e-9))


RATE_LIMIT_HEADER_PREFIXES = ("x-rate-limit", "ratelimit-", "zendesk-ratelimit-")


def rate_limit_headers(response: web.StreamResponse) -> dict:
    """The rate-limit headers already set on a response (the fault injector keeps them on the responses it swaps)."""
    return {k: v for k, v in response.headers.items() if k.lower().startswith(RATE_LIMIT_HEADER_PREFIXES)}


def is_sandbox_path(path: str) -> bool:
    return path == "/_sandbox" or path.startswith("/_sandbox/")


def make_ratelimit_middleware(settings, clock: Callable[[], float] = time.monotonic):
    limiter = RateLimiter(settings, clock)

    @web.middleware
    async def ratelimit_middleware(request: web.Request, handler):
        if is_sandbox_path(request.path):
            return await handler(request)
        admission = limiter.admit(request.method, request.path)
        if not admission.allowed:
            return admission.rejection_response()
        try:
            response = await handler(request)
        except web.HTTPException as exc:  # errors raised downstream carry the headers too
            exc.headers.update(admission.headers)
            raise
        if not response.prepared:  # a streamed response has already sent its headers
            response.headers.update(admission.headers)
        return response

    ratelimit_middleware.limiter = limiter  # type: ignore[attr-defined]  # the app's handle on its limiter
    return ratelimit_middleware


def find_limiter(app: web.Application) -> RateLimiter | None:
    for middleware in app.middlewares:
        limiter = getattr(middleware, "limiter", None)
        if isinstance(limiter, RateLimiter):
            return limiter
    return None


def add_control_routes(app: web.Application) -> None:
    """GET /_sandbox/ratelimit shows the current windows; DELETE /_sandbox/ratelimit empties them."""

    def _limiter(request: web.Request) -> RateLimiter:
        limiter = find_limiter(request.app)
        if limiter is None:
            raise web.HTTPNotFound(text='{"error":"rate limiter not installed"}', content_type="application/json")
        return limiter

    async def show(request: web.Request) -> web.Response:
        return web.json_response(_limiter(request).snapshot())

    async def clear(request: web.Request) -> web.Response:
        _limiter(request).clear()
        return web.json_response(_limiter(request).snapshot())

    app.router.add_get("/_sandbox/ratelimit", show)
    app.router.add_delete("/_sandbox/ratelimit", clear)
