"""The rules no walker may break, whatever the server answers: a position that comes back again means the walk
goes in circles; a time in the future is a broken clock, never a place to resume from; a page must be a JSON
object with a list where its list belongs."""
from __future__ import annotations

import time
from typing import Any, Dict, Hashable, List, Mapping, Optional

from airbyte_cdk.models import FailureType
from airbyte_cdk.utils.traced_exception import AirbyteTracedException

from ..http.answer import ApiAnswer
from ..records.timeutil import to_iso
from .page import Walker

# A position seen this many times in one walk ends it: Zendesk never hands out the same next page twice.
MAX_SIGHTINGS = 3
# How far a server's clock may run ahead of ours before its times count as "in the future".
CLOCK_SKEW_SECONDS = 60


def paging_error(walker: Walker, message: str) -> AirbyteTracedException:
    text = f"Stream {walker.name}: {message}"
    return AirbyteTracedException(message=text, internal_message=text, failure_type=FailureType.system_error)


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


def object_body(walker: Walker, answer: ApiAnswer, what: str) -> Mapping[str, Any]:
    if not isinstance(answer.body, Mapping):
        raise paging_error(walker, f"{what}: Zendesk answered HTTP {answer.status} with {_kind(answer.body)} where a JSON object belongs.")
    return answer.body


def list_in(walker: Walker, body: Any, key: str, what: str) -> List[Any]:
    if not isinstance(body, Mapping):
        raise paging_error(walker, f"{what}: Zendesk sent {_kind(body)} where a JSON object belongs.")
    value = body.get(key)
    if value is None:
        return []
    if not isinstance(value, list):
        raise paging_error(walker, f"{what}: Zendesk sent {_kind(value)} in '{key}' where a list belongs.")
    return value


def link_in(walker: Walker, value: Any, key: str) -> Optional[str]:
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise paging_error(walker, f"Zendesk sent {_kind(value)} as '{key}' where a URL belongs.")
    return value


def _kind(value: Any) -> str:
    if value is None:
        return "no JSON (or null)"
    return {dict: "an object", list: "an array", str: "a string", bool: "a boolean", int: "a number", float: "a number"}.get(type(value), type(value).__name__)
