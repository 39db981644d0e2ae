"""The backfill that follows a change of the tickets a stream reads (`tickets_handled_by`).

A stream's state records which tickets it covers (`support_type_scope`). A state without that key was saved
before the option existed, when Zendesk served only human agents' tickets: its cursors have moved past AI-agent
tickets it never saw. So has a state saved under a narrower choice than the config's now. Before its incremental
read goes on, the stream reads the scope it missed from the configured start up to where its state had got to,
with its own position nested in the state, checkpointed and resumed like any read; then the state says it covers
the configured scope, and the incremental read carries on from its saved position.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Dict, Mapping, Optional

from ..http.ticket_scope import KINDS, ZENDESK_DEFAULT, missed_scope

SCOPE_KEY = "support_type_scope"  # the scope a stream's state covers
BACKFILL_KEY = "scope_backfill"  # a backfill under way: {support_type_scope, until, state}
# Keys of a state that say nothing about how far it read.
NOT_POSITIONS = ("resolved_start_date", SCOPE_KEY, BACKFILL_KEY)


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
