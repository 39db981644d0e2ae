"""One rate budget per Zendesk limit, shared by every stream and worker of a sync.

Zendesk counts each request against the account-wide window and, for some endpoints, a stricter window of
their own (incremental exports, search export, deleted tickets). The CDK's APIBudget charges only the first
matching policy and reads `ratelimit-reset` as an epoch, so this budget charges every matching window and
reads Zendesk's headers (seconds until the window resets) to stay exactly inside the limits.
"""

from __future__ import annotations

import datetime
import logging
import re
import threading
import time
from dataclasses import dataclass
from typing import Any, Callable, List, Mapping, Optional, TypeVar
from urllib.parse import urlparse

import requests
from airbyte_cdk.sources.streams.call_rate import APIBudget, CallRateLimitHit, RequestMatcher

from ..foundation.numbers import MAX_COUNT, MAX_SECONDS, header_count, header_seconds, plain_number, retry_after_seconds
from .rate_waits import WaitTooLong, report_wait

WINDOW = datetime.timedelta(minutes=1)
# Until a response tells us the plan's limit, assume the smallest paid plan (Team: 200 per minute). An answer
# without rate-limit headers never means "unlimited": the last limit told (or this one) stands.
DEFAULT_ACCOUNT_LIMIT = 200
DEFAULT_MAX_WAIT_SECONDS = 900.0
_BUCKET_HEADER = re.compile(r"total=(\d+);\s*remaining=(\d+);\s*resets=(\d+)")


class PathMatcher(RequestMatcher):
    def __init__(self, predicate: Callable[[str], bool], name: str):
        self._predicate = predicate
        self._name = name

    def __call__(self, request: Any) -> bool:
        url = getattr(request, "url", None) or ""
        return self._predicate(urlparse(url).path)

    def __str__(self) -> str:
        return self._name


class ZendeskWindow:
    """One of Zendesk's fixed rate-limit windows: `limit` calls until `ends`, then a fresh window of `length`.
    Its size and position follow what Zendesk reports."""

    def __init__(self, ends: datetime.datetime, length: datetime.timedelta, limit: int, matcher: PathMatcher):
        self.lock = threading.RLock()
        self.ends, self.length, self.limit, self.calls = ends, length, limit, 0
        self.matcher = matcher

    def matches(self, request: Any) -> bool:
        return self.matcher(request)

    def take(self) -> Optional[float]:
        """Count one call in the current window; when it is full, the seconds until it ends instead."""
        with self.lock:
            self._roll()
            if self.calls + 1 > self.limit:
                return (self.ends - datetime.datetime.now()).total_seconds()
            self.calls += 1
            return None

    def set_limit(self, limit: int) -> None:
        with self.lock:
            if limit > 0:
                self.limit = limit

    def observe(
        self,
        limit: Optional[int],
        remaining: Optional[int],
        resets_in: Optional[float],
        counted_in: Optional[datetime.datetime] = None,
    ) -> None:
        """`counted_in`: the end of the window the answered request was counted in. When that window has ended
        since (the answer was slow, or waited for the CPU), its `remaining` and `resets` are about the old window:
        taking its reset would end this window too early, and the next window's calls would go out while
        Zendesk's was still full. Such an answer only tells the limit."""
        if limit:
            self.set_limit(limit)
        if counted_in is not None and counted_in != self.current_end():
            return
        with self.lock:
            self._roll()
            if remaining is not None and self.limit - self.calls > remaining:
                self.calls = self.limit - remaining  # Zendesk counted calls we did not (other clients, retries)
            if resets_in is not None:
                self.ends = datetime.datetime.now() + datetime.timedelta(seconds=resets_in)

    def current_end(self) -> datetime.datetime:
        with self.lock:
            self._roll()
            return self.ends

    def set_length(self, length: datetime.timedelta) -> None:
        with self.lock:
            if length < self.length:
                # the current window cannot outlast the new length from now
                self.ends = min(self.ends, datetime.datetime.now() + length)
            self.length = length

    def _roll(self) -> None:
        # After an idle spell, jump straight to the window holding now (stepping one window per call would open
        # a "new" window for each call until it caught up: a burst over the limit).
        now = datetime.datetime.now()
        if now > self.ends:
            self.ends += ((now - self.ends) // self.length + 1) * self.length
            self.calls = 0


@dataclass(frozen=True)
class Bucket:
    name: str
    header: str  # Zendesk's per-endpoint header: "total=10; remaining=9; resets=6"
    default_limit: int
    applies_to: Callable[[str], bool]
    # Help Center and Chat are counted apart from the Support account: their window replaces it.
    replaces_account: bool = False


def _ends_with(suffix: str) -> Callable[[str], bool]:
    """Matches a path ending in `suffix`, with or without a trailing slash or `.json`."""
    return lambda path: path.rstrip("/").removesuffix(".json").endswith(suffix)


_is_users_cursor_export = _ends_with("/incremental/users/cursor")


def _is_custom_object_export(path: str) -> bool:
    # Zendesk documents 10 requests a minute for this export, its own: every object's export shares them.
    return "/incremental/custom_objects/" in path


def _is_incremental(path: str) -> bool:
    # /incremental/users/cursor answers with a bucket of its own (zendesk-ratelimit-incremental-exports-cursor,
    # twice the export limit) and not the export bucket's header: it does not spend the other exports' slots.
    return (
        "/incremental/" in path
        and "/chat/" not in path
        and not _is_users_cursor_export(path)
        and not _is_custom_object_export(path)
    )


BUCKETS: List[Bucket] = [
    Bucket("chat", "", 200, lambda p: p.startswith("/api/v2/chat/"), replaces_account=True),
    Bucket(
        "help_center",
        "",
        DEFAULT_ACCOUNT_LIMIT,
        lambda p: p.startswith(("/api/v2/help_center/", "/api/v2/community/", "/api/v2/guide/")),
        replaces_account=True,
    ),
    Bucket("incremental_exports", "zendesk-ratelimit-incremental-exports", 10, _is_incremental),
    Bucket("incremental_exports_cursor", "zendesk-ratelimit-incremental-exports-cursor", 20, _is_users_cursor_export),
    Bucket("custom_object_export", "", 10, _is_custom_object_export),
    Bucket("search_export", "zendesk-ratelimit-search-export", 100, _ends_with("/search/export")),
    Bucket("deleted_tickets", "zendesk-ratelimit-deleted-tickets-index", 10, _ends_with("/deleted_tickets")),
]


_Number = TypeVar("_Number", int, float)


def _first_header(
    read: Callable[[Mapping[str, str], str], Optional[_Number]], response: requests.Response, *names: str
) -> Optional[_Number]:
    """The first of `names` present, read by `read` (numbers.py: a number that cannot be used raises BadNumber)."""
    for name in names:
        value = read(response.headers, name)
        if value is not None:
            return value
    return None


def _retry_after(response: requests.Response) -> Optional[float]:
    # A longer wait is refused by the backoff's cap; here it only has to fit in a date.
    seconds = retry_after_seconds(response.headers)
    return None if seconds is None else min(seconds, MAX_SECONDS)


def _bucket_numbers(text: str, header: str) -> Optional[tuple]:
    match = _BUCKET_HEADER.search(text)
    if not match:
        return None
    total, remaining, resets = match.groups()
    return (
        int(plain_number(total, header, MAX_COUNT, header=True)),
        int(plain_number(remaining, header, MAX_COUNT, header=True)),
        plain_number(resets, header, MAX_SECONDS, header=True),
    )


def window_of(request: Any) -> str:
    """The name of the narrowest window a request counts in (what a 429 on it is about)."""
    path = urlparse(getattr(request, "url", None) or "").path
    return next((bucket.name for bucket in BUCKETS if bucket.applies_to(path)), "account")


class ZendeskRateBudget(APIBudget):
    def __init__(
        self,
        account_limit: int = DEFAULT_ACCOUNT_LIMIT,
        export_limit: Optional[int] = None,
        max_wait_seconds: float = DEFAULT_MAX_WAIT_SECONDS,
        logger: Optional[logging.Logger] = None,
    ):
        self.max_wait_seconds = max_wait_seconds
        self._logger = logger or logging.getLogger("airbyte")
        now = datetime.datetime.now()
        self.account = ZendeskWindow(now + WINDOW, WINDOW, account_limit, PathMatcher(lambda p: True, "account"))
        self.buckets = {
            bucket.name: (
                bucket,
                ZendeskWindow(
                    now + WINDOW,
                    WINDOW,
                    self._initial_limit(bucket, export_limit),
                    PathMatcher(bucket.applies_to, bucket.name),
                ),
            )
            for bucket in BUCKETS
        }
        self._length = WindowLength()
        super().__init__(policies=[])  # the windows above pace every request; the CDK's policies are not used

    @staticmethod
    def _initial_limit(bucket: Bucket, export_limit: Optional[int]) -> int:
        if export_limit and bucket.name == "incremental_exports":
            return export_limit
        if export_limit and bucket.name == "incremental_exports_cursor":
            return 2 * export_limit
        return bucket.default_limit

    def _windows_for(self, request: Any) -> List[ZendeskWindow]:
        windows = [window for _, window in self.buckets.values() if window.matches(request)]
        account = self._account_window(request)
        return [window for window in windows if window is not account] + [account]

    def _account_window(self, request: Any) -> ZendeskWindow:
        for bucket, window in self.buckets.values():
            if bucket.replaces_account and window.matches(request):
                return window
        return self.account

    def get_matching_policy(self, request: Any) -> None:
        return None

    def acquire_call(self, request: Any, block: bool = True, timeout: Optional[float] = None) -> None:
        # The narrow window first: waiting there must not hold a slot of the account window meanwhile.
        counted_in = {}
        for window in self._windows_for(request):
            self._wait_for_slot(window, block, timeout)
            counted_in[id(window)] = window.current_end()
        try:
            request.zendesk_counted_in = counted_in
        except AttributeError:  # a request object that takes no attributes: its answers are always applied
            pass

    def _wait_for_slot(self, window: ZendeskWindow, block: bool, timeout: Optional[float]) -> None:
        waited = 0.0
        while True:
            wait = window.take()
            if wait is None:
                return
            wait = max(wait, 0.0)
            if not block or (timeout is not None and waited + wait > timeout):
                raise CallRateLimitHit(
                    error=f"the {window.matcher} window is full",
                    item=None,
                    weight=1,
                    rate=f"{window.limit} per {window.length}",
                    time_to_wait=datetime.timedelta(seconds=wait),
                )
            why = f"its {window.limit} calls a window are spent"
            if wait > self.max_wait_seconds:  # a reset announced far away: fail the stream rather than stall
                raise WaitTooLong(wait, str(window.matcher), f"{why} until the reset a response announced")
            report_wait(self._logger, "", str(window.matcher), wait, why)
            time.sleep(wait)
            waited += wait

    @staticmethod
    def _counted_in(request: Any, window: ZendeskWindow) -> Optional[datetime.datetime]:
        return (getattr(request, "zendesk_counted_in", None) or {}).get(id(window))

    def update_from_response(self, request: Any, response: Any) -> None:
        if not isinstance(response, requests.Response):
            return
        limited = response.status_code == 429
        retry_after = _retry_after(response) if limited else None
        limit = _first_header(header_count, response, "ratelimit-limit", "X-Rate-Limit", "rate-limit")
        remaining = _first_header(
            header_count, response, "ratelimit-remaining", "X-Rate-Limit-Remaining", "rate-limit-remaining"
        )
        resets = _first_header(header_seconds, response, "ratelimit-reset", "rate-limit-reset")
        account = self._account_window(request)
        for bucket, window in self.buckets.values():
            if not window.matches(request) or window is account:
                continue
            numbers = _bucket_numbers(response.headers.get(bucket.header, ""), bucket.header)
            if numbers:
                # Own names: the account's remaining/resets read above are still needed below.
                total, bucket_remaining, bucket_resets = numbers
                if not limited:
                    self._observe_reset(bucket_resets)
                window.observe(
                    total,
                    0 if limited else bucket_remaining,
                    retry_after if limited and retry_after else bucket_resets,
                    counted_in=None if limited else self._counted_in(request, window),
                )
        if limited and retry_after is not None and remaining == 0:
            resets = retry_after
        elif resets is not None and not limited:
            self._observe_reset(resets)
        account.observe(limit, remaining, resets, counted_in=None if limited else self._counted_in(request, account))

    def _observe_reset(self, resets_in: float) -> None:
        length = self._length.observe(resets_in)
        if length is not None:  # windows told no reset time (Help Center, Chat) last as long as the others
            for window in [self.account] + [window for _, window in self.buckets.values()]:
                window.set_length(length)


class WindowLength:
    """How long the server's rate-limit windows last, as its reset headers tell it: a window lasts at least the
    longest time-to-reset announced in it. Until windows have been seen to roll over twice, Zendesk's documented
    minute stands. Windows whose answers carry no reset time (Help Center, Chat) can only pace by this length."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._deadline: Optional[datetime.datetime] = None
        self._rollovers = 0
        self._longest: float = 0
        self._length = WINDOW

    def observe(self, resets_in: float) -> Optional[datetime.timedelta]:
        """The new length when this observation changes it."""
        with self._lock:
            deadline = datetime.datetime.now() + datetime.timedelta(seconds=resets_in)
            if self._deadline is not None and deadline > self._deadline + datetime.timedelta(seconds=0.5):
                self._rollovers += 1  # this deadline's window started after the last one's
            self._deadline = deadline if self._deadline is None else max(self._deadline, deadline)
            self._longest = max(self._longest, resets_in)
            length = min(datetime.timedelta(seconds=max(1, self._longest)), WINDOW) if self._rollovers >= 2 else WINDOW
            if length != self._length:
                self._length = length
                return length
            return None
