"""Soft-delete markers: Zendesk keeps deleted objects in its exports and lists, each kind with its own flag.

Records of deleted objects get `_ab_cdc_deleted_at` (the time of deletion where Zendesk gives one, else the
record's last update), which destinations use for soft deletes; `exclude_deleted` drops them instead.
"""
from __future__ import annotations

from typing import Any, Callable, Dict, Mapping, Optional

DELETED_AT = "_ab_cdc_deleted_at"


def _when(record: Mapping[str, Any], *fields: str) -> Optional[str]:
    for field in fields:
        if record.get(field):
            return record[field]
    return None


# deletion_field in the registry -> how to tell a deleted record and when it was deleted
DELETION_RULES: Dict[str, Callable[[Mapping[str, Any]], Optional[str]]] = {
    "status": lambda r: _when(r, "updated_at", "created_at") if r.get("status") == "deleted" else None,
    "active": lambda r: _when(r, "updated_at", "created_at") if r.get("active") is False and r.get("email") is None else None,
    "deleted_at": lambda r: r.get("deleted_at") or None,
    "deleted": lambda r: _when(r, "updated_at", "time", "created_at") if r.get("deleted") is True else None,
    "is_deleted": lambda r: _when(r, "updated_at", "created_at") if r.get("is_deleted") is True else None,
    "always": lambda r: _when(r, "deleted_at", "updated_at", "created_at") or "1970-01-01T00:00:00Z",
}


def deleted_at(rule: str, record: Mapping[str, Any]) -> Optional[str]:
    return DELETION_RULES[rule](record)
