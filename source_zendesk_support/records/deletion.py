"""Records of deleted objects: Zendesk keeps them in its exports and lists, each kind with its own flag.

The `deleted_records` option chooses what a destination gets:
- keep (default, as Airbyte's connector): ordinary rows, e.g. a ticket with status `deleted`;
- mark: the same rows with `_ab_cdc_deleted_at` (the time of deletion where Zendesk gives one, else the record's
  last update); Airbyte destinations in Append + Dedup mode delete such rows from the final table;
- exclude: left out. The `deleted_tickets` stream lists deleted tickets by design, so it keeps them.
"""

from __future__ import annotations

from typing import Any, Callable, Dict, Mapping, Optional

DELETED_AT = "_ab_cdc_deleted_at"
KEEP, MARK, EXCLUDE = "keep", "mark", "exclude"
# The rule of a stream whose every record is a deleted object.
ALWAYS = "always"
# Custom object records: the export keeps a deleted record for 30 days with every value replaced by this.
PLACEHOLDER = "[DELETED]"
PLACEHOLDERS = "placeholders"


def _when(record: Mapping[str, Any], *fields: str) -> Optional[str]:
    for field in fields:
        if record.get(field):
            return record[field]
    return None


# deletion_field in the registry -> how to tell a deleted record and when it was deleted
DELETION_RULES: Dict[str, Callable[[Mapping[str, Any]], Optional[str]]] = {
    "status": lambda r: _when(r, "updated_at", "created_at") if r.get("status") == "deleted" else None,
    "active": lambda r: (
        _when(r, "updated_at", "created_at") if r.get("active") is False and r.get("email") is None else None
    ),
    "deleted_at": lambda r: r.get("deleted_at") or None,
    "deleted": lambda r: _when(r, "updated_at", "time", "created_at") if r.get("deleted") is True else None,
    "is_deleted": lambda r: _when(r, "updated_at", "created_at") if r.get("is_deleted") is True else None,
    PLACEHOLDERS: lambda r: _when(r, "updated_at", "created_at") if is_placeholder_record(r) else None,
    ALWAYS: lambda r: _when(r, "deleted_at", "updated_at", "created_at") or "1970-01-01T00:00:00Z",
}


def is_placeholder_record(record: Mapping[str, Any]) -> bool:
    """A deleted custom object record: its name and every field value are the placeholder."""
    values = record.get("custom_object_fields")
    values = values.values() if isinstance(values, Mapping) else ()
    return record.get("name") == PLACEHOLDER and all(value == PLACEHOLDER for value in values)


def deleted_at(rule: str, record: Mapping[str, Any]) -> Optional[str]:
    return DELETION_RULES[rule](record)


def apply_deleted_records(mode: str, rule: str, record: Mapping[str, Any]) -> Optional[Mapping[str, Any]]:
    """The record as the `deleted_records` mode wants it, or None when it is left out."""
    if mode == KEEP:
        return record
    when = deleted_at(rule, record)
    if when is None:
        return record
    if mode == EXCLUDE and rule != ALWAYS:
        return None
    return {**record, DELETED_AT: when}
