"""Numbers a server sends, read strictly and bounded before any use: in headers (Retry-After in both its forms,
ratelimit-reset, the rate-limit counters) and in a page's paging fields (end_time, count), and ids by value.

A value that is not a plain number, not finite, negative or beyond its bound is a `BadNumber` naming the field
and the value as sent, so that no OverflowError or ValueError surfaces later where the number is used.
"""

from __future__ import annotations

import math
import re
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime
from typing import Any, Hashable, Mapping, Optional

# Ten years: no wait, reset or window of Zendesk's lasts longer; a larger one is a broken or hostile server.
MAX_SECONDS = 10 * 365 * 86400
# 9999-12-31T23:59:59Z, the latest second a date can hold.
MAX_EPOCH = 253402300799
# Far above any account's records, calls or windows.
MAX_COUNT = 10**12
# delta-seconds as RFC 9110 writes them, with the decimals some proxies add; no sign, exponent, inf or nan.
_PLAIN = re.compile(r"[0-9]+(\.[0-9]+)?")
_SHOWN = 60  # characters of a bad value quoted in its message


class BadNumber(ValueError):
    """A number from Zendesk that cannot be used. `field` is where it came from, as a header or a body key."""

    def __init__(self, field: str, value: Any, why: str, header: bool = False):
        self.field, self.value, self.why = field, value, why
        text = str(value) if len(str(value)) <= _SHOWN else str(value)[:_SHOWN] + "..."
        self.shown = f"{field}: {text}" if header else f"{field} {text}"
        super().__init__(f"Zendesk sent {self.shown}, {why}")


def plain_number(value: Any, field: str, upper: float, header: bool = False) -> float:
    """`value` (a JSON number or its text) as a finite number from 0 to `upper`."""
    if isinstance(value, bool):
        raise BadNumber(field, value, "which is not a number", header)
    if isinstance(value, str):
        text = value.strip()
        if not _PLAIN.fullmatch(text):
            raise BadNumber(field, value, "which is not a plain non-negative number", header)
        number = float(text)
    elif isinstance(value, (int, float)):
        number = float(value) if not isinstance(value, int) or abs(value) <= 2**63 else math.inf
    else:
        raise BadNumber(field, value, "which is not a number", header)
    if not math.isfinite(number):
        raise BadNumber(field, value, "which is not a finite number", header)
    if number < 0:
        raise BadNumber(field, value, "which is negative", header)
    if number > upper:
        raise BadNumber(field, value, f"beyond the largest accepted ({upper:.0f})", header)
    return number


def header_seconds(headers: Mapping[str, str], name: str) -> Optional[float]:
    """A header counting seconds (ratelimit-reset): None when absent."""
    value = headers.get(name)
    return None if value is None else plain_number(value, name, MAX_SECONDS, header=True)


def header_count(headers: Mapping[str, str], name: str) -> Optional[int]:
    """A header counting calls (ratelimit-limit, ratelimit-remaining): None when absent."""
    value = headers.get(name)
    return None if value is None else int(plain_number(value, name, MAX_COUNT, header=True))


def retry_after_seconds(headers: Mapping[str, str], now: Optional[datetime] = None) -> Optional[float]:
    """Retry-After as delta-seconds or as an HTTP date (RFC 9110), in seconds from now; None when absent.

    Any finite wait is returned, however long: the caller's wait cap refuses the long ones by name. A date in the
    past is a wait of 0."""
    value = headers.get("Retry-After")
    if value is None:
        return None
    if _PLAIN.fullmatch(value.strip()):
        return plain_number(value, "Retry-After", math.inf, header=True)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError, OverflowError):
        raise BadNumber("Retry-After", value, "which is neither a number of seconds nor an HTTP date", True) from None
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    return max(0.0, (when - (now or datetime.now(timezone.utc))).total_seconds())


def epoch_field(body: Mapping[str, Any], field: str, per_second: int = 1) -> Optional[int]:
    """A paging time since the epoch, in seconds or (`per_second`) a finer unit: a time export's end_time, or Chat's
    agent timeline's in microseconds. None when absent or null."""
    value = body.get(field)
    if value is None:
        return None
    return int(plain_number(value, field, MAX_EPOCH * per_second))


def count_field(value: Any, field: str = "count") -> int:
    return int(plain_number(value, field, MAX_COUNT))


def same_id(value: Any) -> Hashable:
    """An id by value: 123, "123" and 123.0 are one id; any other value stands for itself."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and value.isascii() and value.isdigit() and len(value) <= 30:
        return int(value)
    return value if isinstance(value, Hashable) else repr(value)
