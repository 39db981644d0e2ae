"""Conversions between Zendesk's two time formats: ISO-8601 strings with a Z and integer Unix seconds."""

from __future__ import annotations

import math
from datetime import datetime, timezone
from typing import Any, Optional

# Cursor fields Zendesk gives as integer seconds; every other cursor is an ISO string.
INTEGER_CURSORS = {"generated_timestamp", "timestamp"}
# 0001-01-01 to 9999-12-31T23:59:59Z: a number outside is no time a date can hold.
EARLIEST_EPOCH, LATEST_EPOCH = -62135596800, 253402300799


def to_epoch(value: Any) -> Optional[int]:
    """Unix seconds of a time as Zendesk writes one; None for no time (absent, not a time, or beyond a date)."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return None
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, (int, float)):
        return int(value) if EARLIEST_EPOCH <= value <= LATEST_EPOCH else None
    if isinstance(value, datetime):
        return int(value.timestamp())
    text = str(value)
    if text.isdigit():
        return int(text) if len(text) <= 12 else None
    try:
        parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=timezone.utc)
    return int(parsed.timestamp())


def to_iso(epoch: int) -> str:
    return datetime.fromtimestamp(epoch, tz=timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def cursor_value(field: str, epoch: int) -> Any:
    """The state value of a cursor field, in the format Zendesk uses for that field."""
    return epoch if field in INTEGER_CURSORS else to_iso(epoch)
