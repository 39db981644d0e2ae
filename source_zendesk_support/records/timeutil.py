"""Conversions between Zendesk's two time formats: ISO-8601 strings with a Z and integer Unix seconds."""
from __future__ import annotations

from datetime import datetime, timezone
from typing import Any, Optional

# Cursor fields Zendesk gives as integer seconds; every other cursor is an ISO string.
INTEGER_CURSORS = {"generated_timestamp", "timestamp"}


def to_epoch(value: Any) -> Optional[int]:
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return int(value)
    if isinstance(value, datetime):
        return int(value.timestamp())
    text = str(value)
    if text.isdigit():
        return int(text)
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
