"""Every wait for Zendesk's rate limits is told: one log line (which window, how long, why) and a RATE_LIMITED
stream status carrying the time the quota resets, for the stream that waits. A wait longer than the configured
cap is not waited at all (`WaitTooLong`): the stream fails saying when to run the sync again."""

from __future__ import annotations

import contextvars
import logging
import time
from datetime import datetime, timezone

from airbyte_cdk.entrypoint import AirbyteEntrypoint
from airbyte_cdk.models import (
    AirbyteStreamStatus,
    AirbyteStreamStatusReason,
    AirbyteStreamStatusReasonType,
    StreamDescriptor,
)

# The CDK re-exports it with `import *` from the protocol package, whose names mypy does not see.
from airbyte_cdk.models.airbyte_protocol import AirbyteStreamStatusRateLimitedReason  # type: ignore[attr-defined]
from airbyte_cdk.utils.stream_status_utils import as_airbyte_message

# Shorter waits are the ordinary pacing of a sync: telling each one would drown the log.
LOGGED_WAIT_SECONDS = 5.0

# The stream a request is made for, set by the one fetch path: the rate budget, shared by every stream, waits in
# the requesting thread and tells the wait in that stream's name.
requesting_stream: contextvars.ContextVar[str] = contextvars.ContextVar("requesting_stream", default="")


class WaitTooLong(Exception):
    """A window asks for a wait above max_wait_seconds."""

    def __init__(self, seconds: float, window: str, why: str):
        self.seconds, self.window, self.why = seconds, window, why
        super().__init__(f"the {window or 'server'} rate limit asks for a wait of {seconds:.0f} s ({why})")


def report_wait(logger: logging.Logger, stream: str, window: str, seconds: float, why: str) -> None:
    """One log line and one RATE_LIMITED status for a wait longer than LOGGED_WAIT_SECONDS."""
    if seconds <= LOGGED_WAIT_SECONDS:
        return
    streaming = requesting_stream.get()  # empty for check's requests, which belong to no stream
    stream = stream or streaming
    resets_at = time.time() + seconds
    named = f"Stream {stream}: w" if stream else "W"
    logger.info(
        f"{named}aiting {seconds:.0f} s for Zendesk's {window} rate limit ({why}); it resets at "
        f"{datetime.fromtimestamp(resets_at, timezone.utc):%H:%M:%S} UTC."
    )
    if streaming:
        print_rate_limited(streaming, resets_at)


def print_rate_limited(stream: str, resets_at: float) -> None:
    # Printed as the CDK prints its own RATE_LIMITED status: the wait happens inside a request, where no message
    # can be yielded to the record queue.
    reason = AirbyteStreamStatusReason(
        type=AirbyteStreamStatusReasonType.RATE_LIMITED,
        rate_limited=AirbyteStreamStatusRateLimitedReason(quota_reset=int(resets_at * 1000)),
    )
    message = as_airbyte_message(StreamDescriptor(name=stream), AirbyteStreamStatus.RUNNING, [reason])
    print(f"{AirbyteEntrypoint.airbyte_message_to_string(message)}\n", end="", flush=True)
