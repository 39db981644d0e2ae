"""ESTIMATE messages: how many rows a read of a stream will bring, so the platform can show how far it is.

Offset-paged lists carry their own `count`. Other streams name a Zendesk count endpoint in their row
(`CountEstimate`), asked once per sync through the stream's fetch path (rate budget, origin policy). Time exports
Zendesk counts nowhere project their total from the time their pages have covered (`TimeProjection`); children
of a plain parent list scale the parents listed by the children of the first ones (`ListedParents`).
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any, Iterable, Mapping, Optional

from airbyte_cdk.models import (
    AirbyteEstimateTraceMessage,
    AirbyteMessage,
    AirbyteTraceMessage,
    EstimateType,
    TraceType,
    Type,
)
from airbyte_cdk.utils.datetime_helpers import ab_datetime_now
from airbyte_cdk.utils.traced_exception import AirbyteTracedException

from ..http.answer import FeatureUnavailable
from ..http.error_policy import asked_in_passing
from ..foundation.log_policy import describe_body
from ..paging.guards import now_epoch
from ..sync.account_counts import count_value
from .spec import CountEstimate, ListedParents, TimeProjection

if TYPE_CHECKING:
    from ..paging.page import Page
    from .base import ZendeskStream

logger = logging.getLogger("airbyte")


def estimate_message(stream: str, rows: int) -> AirbyteMessage:
    return AirbyteMessage(
        type=Type.TRACE,
        trace=AirbyteTraceMessage(
            type=TraceType.ESTIMATE,
            emitted_at=ab_datetime_now().timestamp() * 1000,
            estimate=AirbyteEstimateTraceMessage(name=stream, type=EstimateType.STREAM, row_estimate=rows),
        ),
    )


class RowEstimate:
    """The one ESTIMATE of a read whose row names a count endpoint. Only a read from the beginning gets one: the
    account's total says nothing about how much changed since a saved position (and a re-sync saves the request)."""

    def __init__(self, stream: "ZendeskStream", from_start: bool):
        self.stream = stream
        self.counted = stream.spec.estimate if isinstance(stream.spec.estimate, CountEstimate) else None
        # A backfill of missed tickets (streams/scope_backfill.py) reads a part the account's total does not count.
        self.pending = self.counted is not None and from_start and stream.scope_until is None

    @property
    def _row(self) -> CountEstimate:
        """The count row, asked for only while `pending` (which a row without one never is)."""
        assert self.counted is not None
        return self.counted

    def before_pages(self) -> Optional[AirbyteMessage]:
        """For a row counting its own records: the count, before the first page is asked for."""
        if not self.pending or self._row.per or self._row.when_more:
            return None
        self.pending = False
        total = self._count()
        return estimate_message(self.stream.name, total) if total is not None else None

    @property
    def wants_first_page(self) -> bool:
        return self.pending and bool(self._row.per or self._row.when_more)

    def after_page(self, items: Iterable[Any], records: int, more: bool = True) -> Optional[AirbyteMessage]:
        """After the first page: for a row asked only when more pages follow, the count if they do; for a row with
        records several to a counted object, the count times this page's records per object."""
        if not self.wants_first_page:
            return None
        per = self._row.per
        if not per:
            self.pending = False
            total = self._count() if more else None
            return estimate_message(self.stream.name, total) if total is not None else None
        objects = {item.get(per) for item in items if isinstance(item, Mapping) and item.get(per) is not None}
        if not objects:
            return None  # nothing to scale by yet: the next page decides
        self.pending = False
        total = self._count()
        return estimate_message(self.stream.name, round(total * records / len(objects))) if total is not None else None

    def _count(self) -> Optional[int]:
        estimate = self._row  # the spec's estimate, a CountEstimate for this class
        named = f"{estimate.path}?{sorted(estimate.params.items())}"
        return self.stream.context.counts.value(named, lambda: self._ask(estimate.path, estimate.params))

    def _ask(self, path: str, params: Mapping[str, Any]) -> Optional[int]:
        try:
            with asked_in_passing():  # a count that fails is skipped at once: the read does not need it
                answer = self.stream.fetch(path, params)
        except FeatureUnavailable:
            return None  # the plan or the role has no count here: no estimate, and nothing to say about it
        except AirbyteTracedException as error:
            logger.warning(f"Stream {self.stream.name}: no row estimate, {path} failed: {error.message}")
            return None
        if not answer.ok:
            logger.warning(
                f"Stream {self.stream.name}: no row estimate, {path} answered HTTP {answer.status} with "
                f"{describe_body(answer.body)} (not retried: asked in passing)"
            )
            return None
        value = count_value(answer.body)
        if value is None:
            logger.warning(
                f"Stream {self.stream.name}: no row estimate, {path} answered HTTP {answer.status} "
                f"without a count: {describe_body(answer.body)}"
            )
        return value


class ProjectedEstimate:
    """A `TimeProjection` row's ESTIMATE: rows read so far times the whole span (start to now) over the span the
    pages have covered. Sent after the first page that covers any time, then whenever it moves by a fifth."""

    MOVE = 0.2

    def __init__(self, stream: "ZendeskStream", start: int):
        self.stream, self.start = stream, start
        self.active = isinstance(stream.spec.estimate, TimeProjection)
        self.until = stream.end_epoch or now_epoch()
        self.read = 0
        self.sent: Optional[int] = None

    def after_page(self, page: "Page") -> Optional[AirbyteMessage]:
        """For a page about to be emitted: the projection once its position (the next start_time) is known."""
        if not self.active or page.position is None:
            return None
        self.read += len(page.items)
        covered, span = (page.position.get("start_time") or self.start) - self.start, self.until - self.start
        if not page.more or covered <= 0 or span <= 0:
            return None
        projected = max(self.read, round(self.read * span / min(covered, span)))
        if self.sent is not None and abs(projected - self.sent) <= self.MOVE * self.sent:
            return None
        self.sent = projected
        return estimate_message(self.stream.name, projected)


class ListedParentsEstimate:
    """A `ListedParents` row's ESTIMATE, on a read from the beginning: once `sample` parents (or all of them) have
    been visited, the parents listed times the children per parent visited."""

    def __init__(self, stream: "ZendeskStream", from_start: bool, sample: int):
        self.stream, self.sample = stream, sample
        self.active = from_start and isinstance(stream.spec.estimate, ListedParents)

    def after_parent(self, listed: int, visited: int, children: int) -> Optional[AirbyteMessage]:
        if not self.active or visited < min(self.sample, listed):
            return None
        self.active = False
        return estimate_message(self.stream.name, round(listed * children / visited))
