"""The rules no walker may break, whatever the server answers: a position that comes back again means the walk
goes in circles; a time in the future is a broken clock, never a place to resume from; a page must be a JSON
object with a list where its list belongs."""

from __future__ import annotations

import time
from typing import Any, Dict, Hashable, List, Mapping, Optional

from airbyte_cdk.models import FailureType
from airbyte_cdk.utils.traced_exception import AirbyteTracedException

from ..http.answer import ApiAnswer
from ..foundation.numbers import BadNumber, epoch_field
from ..foundation.clock import to_iso
from ..foundation.log_policy import kind_of
from .page import Walker

# A position seen this many times in one walk ends it: Zendesk never hands out the same next page twice.
MAX_SIGHTINGS = 3
# How far a server's clock may run ahead of ours before its times count as "in the future".
CLOCK_SKEW_SECONDS = 60


def paging_error(
    walker: Walker, message: str, failure_type: FailureType = FailureType.system_error
) -> AirbyteTracedException:
    text = f"Stream {walker.name}: {message}"
    return AirbyteTracedException(message=text, internal_message=text, failure_type=failure_type)


def shape_error(walker: Walker, message: str) -> AirbyteTracedException:
    """A body that is not what Zendesk documents: most often a proxy or an outage page, so worth a later retry."""
    return paging_error(walker, message, FailureType.transient_error)


class ProgressGuard:
    """Counts the positions (next URL, cursor, end_time) a walk is sent to; the same one MAX_SIGHTINGS times
    fails the stream, naming the value, instead of reading the same pages for ever."""

    def __init__(self, walker: Walker, what: str, limit: int = MAX_SIGHTINGS):
        self._walker, self._what, self._limit = walker, what, limit
        self._sightings: Dict[Hashable, int] = {}

    def see(self, value: Any) -> None:
        key = value if isinstance(value, Hashable) else repr(value)
        count = self._sightings.get(key, 0) + 1
        self._sightings[key] = count
        if count >= self._limit:
            shown = str(value) if len(str(value)) <= 200 else str(value)[:200] + "..."
            raise paging_error(
                self._walker,
                f"Zendesk sent the same {self._what} {shown!r} {count} times; the pages go in circles, so the stream "
                f"stops here (its state stays at the last page emitted). Try again later; if it persists, Zendesk "
                f"support can look at this {self._what}.",
            )


def now_epoch() -> int:
    return int(time.time())


def latest_allowed(now: Optional[int] = None) -> int:
    """No time later than this is ever saved or asked for."""
    return (now if now is not None else now_epoch()) + CLOCK_SKEW_SECONDS


def clamp_future(walker: Walker, what: str, epoch: int, now: Optional[int] = None) -> int:
    """A time from the server's future (a broken clock or a broken proxy) becomes now, with a warning."""
    current = now if now is not None else now_epoch()
    if epoch <= latest_allowed(current):
        return epoch
    walker.logger.warning(
        f"Stream {walker.name}: Zendesk sent {what} {to_iso(epoch)}, which is in the future; "
        f"using the current time {to_iso(current)} instead."
    )
    return current


def paging_time(
    walker: Walker, body: Mapping[str, Any], field: str, per_second: int = 1, unit: str = "Unix seconds"
) -> Optional[int]:
    """A page's time since the epoch (end_time), in seconds or `per_second` finer: None when absent; one that is no
    time fails the stream by name."""
    try:
        return epoch_field(body, field, per_second)
    except BadNumber as error:
        raise paging_error(
            walker,
            f"{error} ({unit} up to the year 9999 belong there); the stream stops here, "
            "its state at the last page emitted.",
        ) from None


def object_body(walker: Walker, answer: ApiAnswer, what: str) -> Mapping[str, Any]:
    if not isinstance(answer.body, Mapping):
        raise shape_error(
            walker,
            f"{what}: Zendesk answered HTTP {answer.status} with {_kind(answer.body)} where a JSON object belongs.",
        )
    return answer.body


def list_in(walker: Walker, body: Any, key: str, what: str) -> List[Mapping[str, Any]]:
    """The page's list of records under `key`: it must be there (an answer without it is not a page of this
    list, whatever else it says), be a list, and hold only objects."""
    if not isinstance(body, Mapping):
        raise shape_error(walker, f"{what}: Zendesk sent {_kind(body)} where a JSON object belongs.")
    if key not in body:
        keys = ", ".join(repr(name) for name in list(body)[:5]) or "none"
        raise shape_error(walker, f"{what}: Zendesk's answer has no '{key}' list (its keys: {keys}).")
    value = body[key]
    if value is None:
        return []
    if not isinstance(value, list):
        raise shape_error(walker, f"{what}: Zendesk sent {_kind(value)} in '{key}' where a list belongs.")
    return records_only(walker, value, key)


def records_only(walker: Walker, records: List[Any], key: str) -> List[Mapping[str, Any]]:
    for position, record in enumerate(records):
        if not isinstance(record, Mapping):
            raise shape_error(
                walker, f"Zendesk sent {_kind(record)} as record {position} of '{key}' where an object belongs."
            )
    return records


def link_in(walker: Walker, value: Any, key: str) -> Optional[str]:
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise shape_error(walker, f"Zendesk sent {_kind(value)} as '{key}' where a URL belongs.")
    return value


def _kind(value: Any) -> str:
    return "a body that is not JSON (or null)" if value is None else kind_of(value)
