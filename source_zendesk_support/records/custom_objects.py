"""Custom object records as typed rows: one column per field of the object, typed by the same rules as the custom
fields of tickets, users and organizations (custom_fields.py), from the record's `custom_object_fields`.

The export replaces every value of a deleted record by a placeholder; it never lands in a column (nor in the raw
values or the standard name and external_id): those values are null, and deletion.py tells the record deleted.
"""

from __future__ import annotations

from typing import Any, Iterable, Mapping

from .custom_fields import CustomFieldColumns, parse_definitions
from .deletion import PLACEHOLDER

VALUES_KEY = "custom_object_fields"
STANDARD_TEXT = ("name", "external_id")


def _without_placeholder(value: Any) -> Any:
    return None if value == PLACEHOLDER else value


class CustomObjectColumns(CustomFieldColumns):
    def __init__(self, definitions: Iterable[Mapping[str, Any]]):
        super().__init__(parse_definitions(definitions, for_tickets=False), VALUES_KEY)

    def add_to(self, record: Mapping[str, Any]) -> Mapping[str, Any]:
        out = dict(record)
        for key in STANDARD_TEXT:
            if key in out:
                out[key] = _without_placeholder(out[key])
        values = record.get(VALUES_KEY)
        if isinstance(values, Mapping):
            out[VALUES_KEY] = {key: _without_placeholder(value) for key, value in values.items()}
        return super().add_to(out)
