"""How every request reacts to what Zendesk answers: retry, wait, refresh the token, or hand the answer back.

The CDK's HttpClient runs the loop; this module only classifies responses and says how long to wait.
"""

from __future__ import annotations

import contextlib
import contextvars
import logging
import threading
import time
from datetime import datetime, timedelta, timezone
from typing import Iterator, Optional, Tuple, TypeGuard, Union

from urllib.parse import urlparse

import requests
from airbyte_cdk.models import FailureType
from airbyte_cdk.utils.traced_exception import AirbyteTracedException
from airbyte_cdk.sources.streams.http.error_handlers import (
    BackoffStrategy,
    ErrorHandler,
    ErrorResolution,
    ResponseAction,
)

from ..foundation.numbers import MAX_SECONDS, BadNumber, header_seconds, retry_after_seconds
from .rate_budget import window_of
from .rate_waits import LOGGED_WAIT_SECONDS, WaitTooLong, report_wait
from .retry_policy import SYNC_RETRIES, UNREACHABLE_AFTER_SECONDS, RetryPolicy, smaller_page_answers_504
from .transport import BodyStalled, BodyTooLarge, RequestDeadlineExceeded

CONNECT_TIMEOUT_SECONDS = 10
SHOWN_HEADER = 60  # characters of a header's value quoted in a message
# The CDK sleeps one second more than a user-defined backoff; subtract it so a 429 waits what Zendesk asked.
CDK_EXTRA_SLEEP = 1.0
# The one text for refused credentials, in check and in every stream.
REFUSED_CREDENTIALS = "Zendesk refused the credentials (HTTP 401)."

RETRY_STATUSES = {408, 409, 500, 502, 503, 504, 520, 521, 522, 524}
# Answers the stream itself interprets: plan gates, expired cursors, too-recent start times.
PASS_THROUGH_STATUSES = {400, 403, 404, 410, 422}
# Redirects come back to the one fetch path, which follows them only within the configured origin.
REDIRECT_STATUSES = {301, 302, 303, 307, 308}


# A request made in passing (a count for a row estimate): what the read does not need is never retried, so a
# server that cannot answer it costs one request, not the backoff a page would get. Rate limits are still waited.
_in_passing: contextvars.ContextVar[bool] = contextvars.ContextVar("in_passing", default=False)


@contextlib.contextmanager
def asked_in_passing() -> Iterator[None]:
    token = _in_passing.set(True)
    try:
        yield
    finally:
        _in_passing.reset(token)


def _looks_like_complete_json(response: requests.Response) -> bool:
    content_type = response.headers.get("Content-Type", "")
    if "json" not in content_type:
        return False
    body = response.content.rstrip()
    return body.endswith(b"}") or body.endswith(b"]")


class ZendeskErrorHandler(ErrorHandler):
    def __init__(
        self,
        logger: logging.Logger,
        can_refresh_token: bool,
        retries: RetryPolicy = SYNC_RETRIES,
        refused_credentials_hint: str = "Check the email and API token, or re-authorize OAuth.",
        stream: str = "",
    ):
        self._logger = logger
        self._refused_hint = refused_credentials_hint
        self._can_refresh_token = can_refresh_token
        self._max_retries = retries.max_retries
        self._max_time = retries.max_seconds
        self._stream = f"Stream {stream}: " if stream else ""
        self._unreachable = UnreachableHost()

    @property
    def max_retries(self) -> Optional[int]:
        return self._max_retries

    @property
    def max_time(self) -> Optional[int]:
        return self._max_time

    def interpret_response(
        self, response_or_exception: Optional[Union[requests.Response, Exception]] = None
    ) -> ErrorResolution:
        resolution = self._interpret(response_or_exception)
        rate_limited = getattr(response_or_exception, "status_code", None) == 429
        if _in_passing.get() and resolution.response_action == ResponseAction.RETRY and not rate_limited:
            if isinstance(response_or_exception, requests.Response):
                return ErrorResolution(
                    ResponseAction.IGNORE
                )  # the asker tells it by status and shape, not the CDK by its body
            return ErrorResolution(
                ResponseAction.FAIL,
                FailureType.transient_error,
                f"{resolution.error_message or 'Zendesk did not answer'} (not retried: asked in passing)",
            )
        return resolution

    def _interpret(self, response_or_exception: Optional[Union[requests.Response, Exception]]) -> ErrorResolution:
        if isinstance(response_or_exception, Exception) or response_or_exception is None:
            return self._interpret_exception(response_or_exception)
        response = response_or_exception
        self._unreachable.answered()
        status = response.status_code
        if 200 <= status < 300:
            if not _looks_like_complete_json(response):
                return ErrorResolution(
                    ResponseAction.RETRY,
                    FailureType.transient_error,
                    f"{self._stream}Zendesk sent an incomplete or non-JSON body; retrying.",
                )
            return ErrorResolution(ResponseAction.SUCCESS)
        if status == 429:
            # RETRY, not RATE_LIMITED: the backoff reports the wait itself, with the time the quota resets.
            return ErrorResolution(
                ResponseAction.RETRY,
                FailureType.transient_error,
                f"{self._stream}Zendesk's rate limit was reached (HTTP 429)",
            )
        if status == 401:
            if self._can_refresh_token:
                return ErrorResolution(
                    ResponseAction.REFRESH_TOKEN_THEN_RETRY,
                    FailureType.transient_error,
                    "The OAuth access token was refused; refreshing it.",
                )
            return ErrorResolution(
                ResponseAction.FAIL,
                FailureType.config_error,
                f"{REFUSED_CREDENTIALS} {self._refused_hint}",
            )
        if status == 504 and smaller_page_answers_504():
            return ErrorResolution(ResponseAction.IGNORE)  # the export walker asks again for a smaller page
        if status in RETRY_STATUSES:
            return ErrorResolution(
                ResponseAction.RETRY,
                FailureType.transient_error,
                f"{self._stream}Zendesk answered HTTP {status}; retrying.",
            )
        # Any other status is handed back too: the stream fails on it naming the status and the body's shape
        # (the CDK's own failure would log the whole body, records and all).
        return ErrorResolution(ResponseAction.IGNORE)

    def _interpret_exception(self, error: Optional[Exception]) -> ErrorResolution:
        if isinstance(error, BodyTooLarge):  # the same page would be as large again
            return ErrorResolution(ResponseAction.FAIL, FailureType.system_error, f"{self._stream}{error}")
        if isinstance(error, (RequestDeadlineExceeded, BodyStalled)):
            return ErrorResolution(
                ResponseAction.RETRY, FailureType.transient_error, f"{self._stream}{error} Retrying."
            )
        if is_connection_failure(error):
            host, problem = _connection_problem(error)
            failing_for = self._unreachable.failed()
            message = f"{self._stream}could not connect to {host} ({problem})"
            if failing_for > UNREACHABLE_AFTER_SECONDS:
                return ErrorResolution(
                    ResponseAction.FAIL,
                    FailureType.transient_error,
                    f"{message} for {failing_for:.0f} s. Check that this host is reachable from where "
                    f"the connector runs (network, proxy, firewall), and the subdomain or base_url.",
                )
            return ErrorResolution(ResponseAction.RETRY, FailureType.transient_error, f"{message}; retrying.")
        return ErrorResolution(
            ResponseAction.RETRY, FailureType.transient_error, f"{self._stream}{what_broke(error)}; retrying."
        )


def what_broke(error: Optional[Exception]) -> str:
    """A request that failed after it connected, in words: a timeout, a reset, a short body."""
    request = getattr(error, "request", None)
    path = urlparse(getattr(request, "url", "") or "").path or "the request"
    text = str(error)
    if isinstance(error, requests.exceptions.ReadTimeout):
        return f"Zendesk did not answer {path} in time (read timeout)"
    if "reset" in text.lower() or isinstance(getattr(error, "__cause__", None), ConnectionResetError):
        return f"the connection was reset while reading Zendesk's answer for {path}"
    if isinstance(error, requests.exceptions.ChunkedEncodingError) or "IncompleteRead" in text:
        return f"Zendesk's answer for {path} ended before its whole body came (a short body)"
    if isinstance(error, requests.exceptions.ContentDecodingError):
        return f"Zendesk's answer for {path} could not be decompressed"
    return f"the request for {path} failed ({type(error).__name__})"


class UnreachableHost:
    """How long connections have failed without any answer in between (shared by a stream's threads)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._since: Optional[float] = None

    def answered(self) -> None:
        self._since = None

    def failed(self) -> float:
        with self._lock:
            now = time.monotonic()
            if self._since is None:
                self._since = now
            return now - self._since


def is_connection_failure(error: Optional[Exception]) -> TypeGuard[requests.exceptions.RequestException]:
    """No connection at all: refused, not answered, or a name that does not resolve (not a read that broke off)."""
    if isinstance(error, requests.exceptions.ConnectTimeout):
        return True
    if not isinstance(error, requests.exceptions.ConnectionError) or isinstance(error, requests.exceptions.ReadTimeout):
        return False
    text = str(error)
    return any(
        sign in text
        for sign in (
            "NewConnectionError",
            "NameResolutionError",
            "Failed to establish",
            "ConnectTimeout",
            "Connection refused",
            "Name or service not known",
            "nodename nor servname",
        )
    )


def _connection_problem(error: Exception) -> tuple:
    request = getattr(error, "request", None)
    host = urlparse(getattr(request, "url", "") or "").netloc or "Zendesk"
    text = str(error)
    if isinstance(error, requests.exceptions.ConnectTimeout) or "timed out" in text:
        problem = f"no answer within {CONNECT_TIMEOUT_SECONDS} s"
    elif "NameResolutionError" in text or "Name or service not known" in text or "nodename nor servname" in text:
        problem = "the host name does not resolve"
    elif "refused" in text:
        problem = "connection refused"
    else:
        problem = "no connection"
    return host, problem


class ZendeskBackoff(BackoffStrategy):
    """Waits what Zendesk says (Retry-After, rate-limit reset), else exponentially with jitter up to a minute."""

    def __init__(
        self,
        base_seconds: float = 1.0,
        max_wait_seconds: float = 900.0,
        stream: str = "",
        logger: Optional[logging.Logger] = None,
    ):
        self._base = base_seconds
        self._max_wait = max_wait_seconds
        self._stream = stream
        self._logger = logger or logging.getLogger("airbyte")

    def backoff_time(self, response_or_exception, attempt_count: int) -> Optional[float]:
        if isinstance(response_or_exception, requests.Response):
            try:
                asked = _asked_wait(response_or_exception)
            except BadNumber as error:
                raise bad_number(self._stream, error, response_or_exception.status_code) from None
            if asked is not None:
                self._check_asked_wait(*asked, response_or_exception)
                return max(asked[0] - CDK_EXTRA_SLEEP, 0.001)
        elif is_connection_failure(response_or_exception):
            # The CDK's own exponential retry (1, 2, 4 ... s) until the error handler reports the host unreachable.
            return None
        return max(SYNC_RETRIES.pause(attempt_count - 1, self._base) - CDK_EXTRA_SLEEP, 0.001)

    def _check_asked_wait(self, asked: float, header: str, response: requests.Response) -> None:
        status = response.status_code
        why = f"HTTP {status} with {header}: {str(response.headers.get(header))[:SHOWN_HEADER]}"
        window = window_of(response.request) if status == 429 else ""
        if asked > self._max_wait:
            raise wait_refused(self._stream, WaitTooLong(asked, window, why), self._max_wait)
        if window:
            report_wait(self._logger, self._stream, window, asked, why)
        elif asked > LOGGED_WAIT_SECONDS:  # an outage, not a rate limit: told, but not as RATE_LIMITED
            self._logger.info(f"Stream {self._stream}: waiting {asked:.0f} s as Zendesk asked ({why}).")


def wait_refused(stream: str, wait: WaitTooLong, max_wait: float) -> AirbyteTracedException:
    """A wait above max_wait_seconds fails the stream, saying when a sync can succeed again."""
    if wait.seconds <= MAX_SECONDS:
        retry_at = datetime.now(timezone.utc) + timedelta(seconds=wait.seconds)
        when = f"Run the sync again after {retry_at:%Y-%m-%d %H:%M} UTC (a retry before then would be refused too)."
    else:  # no date to name: a wait of more than ten years is a broken server, not a quota
        when = "That is no rate limit Zendesk has; a retry later may get a usable answer."
    seconds = f"{wait.seconds:.0f}" if wait.seconds < 1e15 else f"{wait.seconds:.3g}"
    message = (
        f"Stream {stream}: Zendesk asked to wait {seconds} s"
        f"{f' for its {wait.window} rate limit' if wait.window else ''} "
        f"({wait.why}), beyond the {max_wait:.0f} s cap (max_wait_seconds). {when}"
    )
    return AirbyteTracedException(message=message, internal_message=message, failure_type=FailureType.transient_error)


def bad_number(stream: str, error: BadNumber, status: Optional[int] = None) -> AirbyteTracedException:
    """A header number that cannot be used (not a number, not finite, negative, beyond any bound) fails the
    stream by name: waiting on it, or guessing instead, would be a wait nobody asked for."""
    answered = f" with HTTP {status}" if status is not None else ""
    message = f"{f'Stream {stream}: ' if stream else ''}{error}{answered}; the stream stops here (try again later)."
    return AirbyteTracedException(message=message, internal_message=message, failure_type=FailureType.transient_error)


def _asked_wait(response: requests.Response) -> Optional[Tuple[float, str]]:
    """(seconds, the header that asked) of a wait Zendesk asked for; raises BadNumber for one that cannot be used."""
    seconds = retry_after_seconds(response.headers)
    if seconds is not None:
        return seconds, "Retry-After"
    if response.status_code == 429:
        seconds = header_seconds(response.headers, "ratelimit-reset")
        if seconds is not None:
            return seconds, "ratelimit-reset"
    return None
