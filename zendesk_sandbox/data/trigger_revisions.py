"""Each change of a trigger leaves a revision (Enterprise): a trigger has one to three, the first when it was
created and the last when it was last updated; each holds the trigger as it then was and what changed."""

from __future__ import annotations

import calendar
import time

from .timeline import iso

TRIGGER_REVISION = 29_600_000_000_000  # + trigger number * 16 + j


def _epoch(stamp: str) -> int:
    return calendar.timegm(time.strptime(stamp, "%Y-%m-%dT%H:%M:%SZ"))


def _change(old, new) -> list[dict]:
    return (
        []
        if old == new
        else ([{"change": "-", "content": old}] if old is not None else []) + [{"change": "+", "content": new}]
    )


def _snapshot_conditions(conditions: dict) -> dict:
    """A revision keeps condition values as strings, numbers or lists: a checkbox's boolean is kept as text."""
    return {
        kind: [{**c, "value": str(c["value"]).lower() if isinstance(c["value"], bool) else c["value"]} for c in rows]
        for kind, rows in conditions.items()
    }


def revisions_of(account, trigger: dict) -> list[dict]:
    """Oldest first."""
    n = trigger["id"] % 1_000_000
    count = 1 + n % 3
    created, updated = _epoch(trigger["created_at"]), _epoch(trigger["updated_at"])
    titles = [f"{trigger['title']} (draft)"] * (count - 1) + [trigger["title"]]
    out: list[dict]
    before: dict | None
    out, before = [], None
    for j in range(count):
        at = created if j == 0 else created + (updated - created) * j // (count - 1)
        snapshot = {
            "title": titles[j],
            "active": trigger["active"] if j == count - 1 else False,
            "description": trigger["description"],
            "conditions": _snapshot_conditions(trigger["conditions"]),
            "actions": trigger["actions"],
        }
        record_id = TRIGGER_REVISION + n * 16 + j
        diff = {
            "title": _change(before and before["title"], snapshot["title"]),
            "active": _change(before and before["active"], snapshot["active"]),
            "description": [],
            "actions": [],
            "conditions": {},
            "target_id": record_id,
        }
        if out:
            diff["source_id"] = out[-1]["id"]
        out.append(
            {
                "id": record_id,
                "author_id": account.users.admin_id(),
                "created_at": iso(at),
                "snapshot": snapshot,
                "diff": diff,
                "url": f"{account.base_url}/api/v2/triggers/{trigger['id']}/revisions/{record_id}.json",
            }
        )
        before = snapshot
    return out


def revision_count(account) -> int:
    return sum(1 + trigger["id"] % 1_000_000 % 3 for trigger in account.config.triggers)
