"""The backfill that follows a change of the tickets a stream reads (`tickets_handled_by`).

A stream's state records which tickets it covers (`support_type_scope`). A state without that key was saved
before the option existed, when Zendesk served only human agents' tickets: its cursors have moved past AI-agent
tickets it never saw. So has a state saved under a narrower choice than the config's now. Before its incremental
read goes on, the stream reads the scope it missed from the configured start up to where its state had got to,
with its own position nested in the state, checkpointed and resumed like any read; then the state says it covers
the configured scope, and the incremental read carries on from its saved position.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Dict, Iterator, Mapping, Optional, cast

import orjson
from airbyte_cdk.models import AirbyteMessage, Type

from ..http.ticket_scope import KINDS, ZENDESK_DEFAULT, missed_scope
from ..foundation.clock import to_epoch, to_iso

if TYPE_CHECKING:
    from .base import ZendeskStream

SCOPE_KEY = "support_type_scope"  # the scope a stream's state covers
BACKFILL_KEY = "scope_backfill"  # a backfill under way: {support_type_scope, until, state}
# Keys of a state that belong to the stream rather than to how far it read (a relative start_date's moment).
KEPT = ("resolved_start_date",)
NOT_POSITIONS = (*KEPT, SCOPE_KEY, BACKFILL_KEY)


@dataclass
class ScopeBackfill:
    scope: str
    until: int  # the last second the backfill reads (where the saved state had got to)
    state: Dict[str, Any] = field(default_factory=dict)  # the backfill's own position, in the stream's format

    def saved(self) -> Dict[str, Any]:
        return {SCOPE_KEY: self.scope, "until": self.until, "state": dict(self.state)}


def pending_backfill(state: Mapping[str, Any]) -> Optional[ScopeBackfill]:
    """A backfill an earlier sync started and did not finish."""
    saved = state.get(BACKFILL_KEY)
    if not isinstance(saved, Mapping) or saved.get(SCOPE_KEY) not in KINDS:
        return None
    until, inner = saved.get("until"), saved.get("state")
    if isinstance(until, bool) or not isinstance(until, int) or not isinstance(inner, Mapping):
        return None
    return ScopeBackfill(saved[SCOPE_KEY], until, dict(inner))


def has_position(state: Mapping[str, Any]) -> bool:
    return any(value is not None for key, value in state.items() if key not in NOT_POSITIONS)


def covered_scope(state: Mapping[str, Any]) -> str:
    """The tickets a state with a position covers: as it says, or Zendesk's default when it says nothing."""
    covered = state.get(SCOPE_KEY)
    return covered if covered in KINDS else ZENDESK_DEFAULT


def backfill_needed(state: Mapping[str, Any], wanted: str) -> Optional[str]:
    """The scope a state has missed, when it has read anything at all."""
    if not has_position(state):
        return None
    return missed_scope(covered_scope(state), wanted)


def plan_backfill(stream: "ZendeskStream") -> Optional[ScopeBackfill]:
    """The backfill a stream's saved state calls for (one an earlier sync left unfinished, or a new one), or None.
    A state that never recorded a record is set aside instead: reading again from start_date repeats nothing."""
    state = stream.state
    plan = pending_backfill(state)
    if plan is not None:
        return plan
    missed = backfill_needed(state, stream.context.config.ticket_scope)
    if missed is None:
        return None
    kept = {key: state[key] for key in KEPT if key in state}
    cursor = stream.spec.state_cursor
    if cursor is None or state.get(cursor) is None:
        state.clear()
        state.update(kept)
        return None
    until = stream.position_epoch()
    return ScopeBackfill(missed, until if until is not None else int(time.time()), kept)


def read_in_scope(stream: "ZendeskStream", stream_slice: Any) -> Iterator[Any]:
    """The stream's read: the backfill of missed tickets if one is due, then the incremental read, whose state
    says which tickets it covers."""
    plan = stream.backfill_plan()
    if plan is None:
        if stream.incremental and stream.takes_ticket_scope:
            _covers_configured(stream)
        yield from stream.read_pages(stream_slice)
        return
    stream.logger.info(
        f"Stream {stream.name}: the saved state does not cover the {plan.scope} tickets that 'tickets_handled_by' "
        f"now includes; reading those up to {to_iso(plan.until)} first, then going on from the saved state."
    )
    # The saved position's own second is in both reads (a cursor does not say which of its records it has
    # passed): what the backfill emitted there is not emitted again by this sync.
    at_until = set()
    with stream.backfilling(plan):
        stream.emitted_state = False
        # A checkpoint is held until something follows it: the backfill's last ones (after its last record, where a
        # bounded read forgets its cursor) are superseded by the checkpoint that ends the backfill, so a sync killed
        # between them never resumes the backfill without its cursor.
        held: Optional[AirbyteMessage] = None
        for item in stream.read_pages(stream_slice):
            if isinstance(item, AirbyteMessage) and item.type == Type.STATE:
                if held is not None:
                    yield held
                held = item
                continue
            if held is not None:
                yield held
                held = None
            if _at_second(stream, item, plan.until):
                at_until.add(_identity(stream, cast(Mapping[str, Any], item)))  # a record: _at_second says so
            yield item
    stream.emitted_state = False
    _covers_configured(stream)
    yield stream.checkpoint()
    for item in stream.read_pages(stream_slice):
        if (
            at_until
            and _at_second(stream, item, plan.until)
            and _identity(stream, cast(Mapping[str, Any], item)) in at_until
        ):
            continue
        yield item


def _covers_configured(stream: "ZendeskStream") -> None:
    stream.state.pop(BACKFILL_KEY, None)
    stream.state[SCOPE_KEY] = stream.context.config.ticket_scope


def _at_second(stream: "ZendeskStream", item: Any, second: int) -> bool:
    field = stream.spec.state_cursor
    return (
        field is not None
        and not isinstance(item, AirbyteMessage)
        and isinstance(item, Mapping)
        and to_epoch(item.get(field)) == second
    )


def _identity(stream: "ZendeskStream", record: Mapping[str, Any]) -> Any:
    keys = stream.spec.primary_key
    keys = keys if isinstance(keys, list) else [keys] if keys else []
    return tuple(str(record.get(key)) for key in keys) or orjson.dumps(record, option=orjson.OPT_SORT_KEYS)
