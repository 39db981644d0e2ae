"""What the log shows: of a failed stream, the named error, not a Python traceback; of an answer, its shape,
never its records.

A stream that fails with an AirbyteTracedException has already said what went wrong, in words, in its TRACE
error; the CDK also logs the exception with its traceback, which a user reads as a crash. Those log lines keep
their text and lose the traceback. Unexpected exceptions keep theirs: there the traceback is the only clue.

Records hold people's names, addresses and messages, and logs go to places records do not (platform logs,
support tickets). Every warning or error that mentions an answer describes it with `describe_body`.
"""

from __future__ import annotations

import logging
import re
import sys
from typing import Any, Mapping

from airbyte_cdk.sources.streams.http.exceptions import BaseBackoffException
from airbyte_cdk.utils.traced_exception import AirbyteTracedException

# Zendesk's error bodies name the problem in these fields: short texts of Zendesk's own, not records.
ERROR_FIELDS = ("error", "description", "title", "message")
ERROR_TEXT = 200
# Paging fields: a page's count, position and end, whose values say why it could not be used.
PAGING_FIELDS = ("count", "end_time", "end_of_stream", "after_cursor", "has_more")
PAGING_TEXT = 40
SHOWN_KEYS = 8
KEY_TEXT = 40  # a key is a field's name; a longer one is data a server put there


class NamedErrorsWithoutTraceback(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        error = record.exc_info[1] if record.exc_info else None
        if isinstance(error, AirbyteTracedException):
            record.msg = f"{record.getMessage()}: {error.message or error}"
            record.args = None
            record.exc_info = None
            record.exc_text = None
        return True


# The CDK logs every retry whose wait a backoff strategy gave as a rate limit, whatever it was.
_CDK_RETRY = re.compile(
    r"^UserDefinedBackoffException: Rate limit exceeded(?: \(HTTP \d+\))?\. Retrying in ([0-9.]+) seconds\.$"
)


class RetriesSayWhatHappened(logging.Filter):
    """The CDK's "Rate limit exceeded ... Retrying" line, written for a 500 or a timeout as much as for a 429,
    becomes the error handler's own words for it (the exception being retried, which the CDK logs from inside)."""

    def filter(self, record: logging.LogRecord) -> bool:
        match = _CDK_RETRY.match(record.getMessage()) if isinstance(record.msg, str) else None
        error = sys.exc_info()[1]
        said = str(error) if match and isinstance(error, BaseBackoffException) else ""
        if said:
            said = re.sub(r"[;.]?\s*[Rr]etrying\.?$", "", said.strip())
            assert match is not None  # said only for a matching line
            record.msg = f"{said}; trying again in {float(match.group(1)):.0f} s."
            record.args = None
        return True


FILTERS = (NamedErrorsWithoutTraceback, RetriesSayWhatHappened)


def install() -> None:
    """On every handler of the root logger, where the CDK's console handler sits."""
    for handler in logging.getLogger().handlers:
        for kind in FILTERS:
            if not any(isinstance(existing, kind) for existing in handler.filters):
                handler.addFilter(kind())


def describe_body(body: Any) -> str:
    """A parsed body told by its shape: its keys, the size of its lists, Zendesk's error texts; no record."""
    if body is None:
        return "a body that is not JSON (or empty)"
    if isinstance(body, list):
        return f"an array of {_count(len(body), 'item')}"
    if not isinstance(body, Mapping):
        return f"a JSON {type(body).__name__}"
    parts = []
    for name in list(body)[:SHOWN_KEYS]:
        value, key = body[name], str(name)[:KEY_TEXT]
        if isinstance(value, list):
            parts.append(f"{key} ({_count(len(value), 'record')})")
        elif key in ERROR_FIELDS and isinstance(value, str):
            parts.append(f"{key} {value[:ERROR_TEXT]!r}")
        elif key in PAGING_FIELDS and (value is None or isinstance(value, (str, int, float, bool))):
            parts.append(f"{key} {str(value)[:PAGING_TEXT]!r}")
        elif key in PAGING_FIELDS and isinstance(value, Mapping):  # {"count": {"value": N, "refreshed_at": ...}}
            parts.append(f"{key} {describe_body(value)}")
        elif key in ERROR_FIELDS and isinstance(value, Mapping):  # {"error": {"title": ..., "message": ...}}
            texts = [f"{k} {v[:ERROR_TEXT]!r}" for k, v in value.items() if k in ERROR_FIELDS and isinstance(v, str)]
            parts.append(f"{key} ({', '.join(texts)})" if texts else key)
        else:
            parts.append(key)
    more = f" and {len(body) - SHOWN_KEYS} more" if len(body) > SHOWN_KEYS else ""
    return f"an object with keys {', '.join(parts) or 'none'}{more}"


def kind_of(value: Any) -> str:
    """A JSON value named by its type, for a message that says what came where something else belongs."""
    return {
        dict: "an object",
        list: "an array",
        str: "a string",
        bool: "a boolean",
        int: "a number",
        float: "a number",
        type(None): "null",
    }.get(type(value), type(value).__name__)


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"
