"""How every request reacts to what Zendesk answers: retry, wait, refresh the token, or hand the answer back.

The CDK's HttpClient runs the loop; this module only classifies responses and says how long to wait.
"""
from __future__ import annotations

import logging
import random
from datetime import datetime, timedelta, timezone
from typing import Optional, Union

from urllib.parse import parse_qs, urlparse

import requests
from airbyte_cdk.models import FailureType
from airbyte_cdk.utils.traced_exception import AirbyteTracedException
from airbyte_cdk.sources.streams.http.error_handlers import BackoffStrategy, ErrorHandler, ErrorResolution, ResponseAction

# Export pages can take tens of seconds on big accounts; a silent socket longer than this is a fault.
DEFAULT_TIMEOUT_SECONDS = 120
CONNECT_TIMEOUT_SECONDS = 10
MAX_RETRIES = 12
MAX_BACKOFF_SECONDS = 60.0
# The CDK sleeps one second more than a user-defined backoff; subtract it so a 429 waits what Zendesk asked.
CDK_EXTRA_SLEEP = 1.0
# Waits at least this long are logged, so a quiet sync says why it is quiet.
LOGGED_WAIT_SECONDS = 5.0

# The one text for refused credentials, in check and in every stream.
REFUSED_CREDENTIALS = "Zendesk refused the credentials (HTTP 401)."

# Export pages above this size are asked again smaller after a 504 instead of retried as they are.
MIN_SHRINKABLE_PAGE = 100
RETRY_STATUSES = {408, 409, 500, 502, 503, 504, 520, 521, 522, 524}
# Answers the stream itself interprets: plan gates, expired cursors, too-recent start times.
PASS_THROUGH_STATUSES = {400, 403, 404, 410, 422}
# Redirects come back to the one fetch path, which follows them only within the configured origin.
REDIRECT_STATUSES = {301, 302, 303, 307, 308}


def _asked_for_big_page(response: requests.Response) -> bool:
    request = getattr(response, "request", None)
    values = parse_qs(urlparse(getattr(request, "url", "") or "").query).get("per_page") or ["0"]
    return values[0].isdigit() and int(values[0]) > MIN_SHRINKABLE_PAGE


def _looks_like_complete_json(response: requests.Response) -> bool:
    content_type = response.headers.get("Content-Type", "")
    if "json" not in content_type:
        return False
    body = response.content.rstrip()
    return body.endswith(b"}") or body.endswith(b"]")


class ZendeskErrorHandler(ErrorHandler):
    def __init__(self, logger: logging.Logger, can_refresh_token: bool, max_retries: int = MAX_RETRIES, max_time: int = 3600,
                 refused_credentials_hint: str = "Check the email and API token, or re-authorize OAuth."):
        self._logger = logger
        self._refused_hint = refused_credentials_hint
        self._can_refresh_token = can_refresh_token
        self._max_retries = max_retries
        self._max_time = max_time

    @property
    def max_retries(self) -> Optional[int]:
        return self._max_retries

    @property
    def max_time(self) -> Optional[int]:
        return self._max_time

    def interpret_response(self, response_or_exception: Optional[Union[requests.Response, Exception]] = None) -> ErrorResolution:
        if isinstance(response_or_exception, Exception) or response_or_exception is None:
            return ErrorResolution(ResponseAction.RETRY, FailureType.transient_error, f"Network error talking to Zendesk: {type(response_or_exception).__name__}")
        response = response_or_exception
        status = response.status_code
        if 200 <= status < 300:
            if not _looks_like_complete_json(response):
                return ErrorResolution(ResponseAction.RETRY, FailureType.transient_error, "Zendesk sent an incomplete or non-JSON body; retrying.")
            return ErrorResolution(ResponseAction.SUCCESS)
        if status == 429:
            return ErrorResolution(ResponseAction.RATE_LIMITED, FailureType.transient_error, "Zendesk rate limit reached; waiting as Zendesk asks.")
        if status == 401:
            if self._can_refresh_token:
                return ErrorResolution(ResponseAction.REFRESH_TOKEN_THEN_RETRY, FailureType.transient_error, "The OAuth access token was refused; refreshing it.")
            return ErrorResolution(
                ResponseAction.FAIL,
                FailureType.config_error,
                f"{REFUSED_CREDENTIALS} {self._refused_hint}",
            )
        if status == 504 and _asked_for_big_page(response):
            return ErrorResolution(ResponseAction.IGNORE)  # the export stream retries with a smaller page
        if status in RETRY_STATUSES:
            return ErrorResolution(ResponseAction.RETRY, FailureType.transient_error, f"Zendesk answered HTTP {status}; retrying.")
        if status in PASS_THROUGH_STATUSES or status in REDIRECT_STATUSES:
            return ErrorResolution(ResponseAction.IGNORE)
        return ErrorResolution(ResponseAction.FAIL, FailureType.system_error, f"Zendesk answered HTTP {status}: {response.text[:300]}")


class ZendeskBackoff(BackoffStrategy):
    """Waits what Zendesk says (Retry-After, rate-limit reset), else exponentially with jitter up to a minute."""

    def __init__(self, base_seconds: float = 1.0, max_wait_seconds: float = 900.0, stream: str = "",
                 logger: Optional[logging.Logger] = None):
        self._base = base_seconds
        self._max_wait = max_wait_seconds
        self._stream = stream
        self._logger = logger or logging.getLogger("airbyte")

    def backoff_time(self, response_or_exception, attempt_count: int) -> Optional[float]:
        if isinstance(response_or_exception, requests.Response):
            asked = _asked_wait(response_or_exception)
            if asked is not None:
                self._check_asked_wait(asked, response_or_exception.status_code)
                return max(asked - CDK_EXTRA_SLEEP, 0.001)
        wait = min(MAX_BACKOFF_SECONDS, self._base * (2 ** max(attempt_count - 1, 0)))
        return max(wait * random.uniform(0.8, 1.0) - CDK_EXTRA_SLEEP, 0.001)


    def _check_asked_wait(self, asked: float, status: int) -> None:
        if asked > self._max_wait:
            retry_at = datetime.now(timezone.utc) + timedelta(seconds=asked)
            message = (
                f"Stream {self._stream}: Zendesk asked to wait {asked:.0f} s (HTTP {status}), more than max_wait_seconds "
                f"({self._max_wait:.0f} s). Run the sync again after {retry_at:%Y-%m-%d %H:%M} UTC."
            )
            raise AirbyteTracedException(message=message, internal_message=message, failure_type=FailureType.transient_error)
        if asked >= LOGGED_WAIT_SECONDS:
            self._logger.info(f"Stream {self._stream}: waiting {asked:.0f} s as Zendesk asked (HTTP {status}, Retry-After).")


def _asked_wait(response: requests.Response) -> Optional[float]:
    headers = ("Retry-After", "ratelimit-reset") if response.status_code == 429 else ("Retry-After",)
    for header in headers:
        value = response.headers.get(header)
        if value is None:
            continue
        try:
            return max(float(value), 0.0)
        except ValueError:
            continue
    return None
