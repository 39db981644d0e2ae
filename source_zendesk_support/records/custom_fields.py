"""Custom fields as typed columns on tickets, users and organizations.

Zendesk returns custom values untyped (tickets: `custom_fields: [{id, value}]`; users and organizations:
`user_fields`/`organization_fields: {key: value}`). Discover reads the field definitions and adds one typed
column per field, named `custom_field_<id>` so a rename in Zendesk never renames the column; the field's title
goes in the column's description. Dropdowns hold the option's label, multiselects a list of labels. The raw
values stay in the record too.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Dict, Iterable, List, Mapping, Optional, Tuple

STRING = {"type": ["null", "string"]}
TYPE_SCHEMAS: Dict[str, Mapping[str, Any]] = {
    "text": STRING,
    "textarea": STRING,
    "regexp": STRING,
    "partialcreditcard": STRING,
    "checkbox": {"type": ["null", "boolean"]},
    "integer": {"type": ["null", "integer"]},
    "decimal": {"type": ["null", "number"]},
    "date": {"type": ["null", "string"], "format": "date"},
    "tagger": STRING,
    "dropdown": STRING,
    "multiselect": {"type": ["null", "array"], "items": {"type": "string"}},
    "lookup": {"type": ["null", "integer"]},
}
CUSTOM_OBJECT_TARGET = "zen:custom_object:"
# Ticket fields Zendesk itself defines (subject, status, ...): already columns of the ticket.
SYSTEM_TICKET_FIELDS = {
    "subject",
    "description",
    "status",
    "tickettype",
    "priority",
    "group",
    "assignee",
    "custom_status",
    "brand",
    "ticket_form",
    "requester",
    "cc",
    "followers",
    "due_date",
}


def _as_int(value: Any) -> Optional[int]:
    """An integer, also from a string ("12", and "12.0" as Zendesk's exports may write it)."""
    if value in (None, "") or isinstance(value, bool):
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        number = _as_float(value)
        return int(number) if number is not None and number.is_integer() else None


def _as_float(value: Any) -> Optional[float]:
    try:
        return float(value) if value not in (None, "") else None
    except (TypeError, ValueError):
        return None


def _as_bool(value: Any) -> Optional[bool]:
    if value is None or isinstance(value, bool):
        return value
    return str(value).lower() in ("true", "1", "yes")


@dataclass(frozen=True)
class CustomField:
    id: int
    key: Optional[str]
    type: str
    title: str
    options: Mapping[str, str]  # option value (tag) -> label
    # A lookup's relationship_target_type: a custom object's records have string ids, everything else integers.
    target: Optional[str] = None

    @property
    def column(self) -> str:
        return f"custom_field_{self.id}"

    @property
    def looks_up_records(self) -> bool:
        return self.type == "lookup" and (self.target or "").startswith(CUSTOM_OBJECT_TARGET)

    def schema(self) -> Mapping[str, Any]:
        base = STRING if self.looks_up_records else TYPE_SCHEMAS.get(self.type, STRING)
        return {**base, "description": f"Custom field '{self.title}' ({self.type}, id {self.id})"}

    def typed(self, value: Any) -> Any:
        return self.converter()(value)

    def converter(self) -> Callable[[Any], Any]:
        """How a raw value becomes this column's value (None stays None). Built once per field and sync."""
        options = self.options
        by_type: Dict[str, Callable[[Any], Any]] = {
            "checkbox": _as_bool,
            "integer": _as_int,
            "lookup": _as_int,
            "decimal": _as_float,
            "tagger": lambda v: options.get(str(v), str(v)),
            "dropdown": lambda v: options.get(str(v), str(v)),
            "multiselect": lambda v: [
                options.get(str(item), str(item)) for item in (v if isinstance(v, list) else [v])
            ],
        }
        as_text = lambda v: v if isinstance(v, str) else str(v)  # noqa: E731
        convert = as_text if self.looks_up_records else by_type.get(self.type, as_text)
        return lambda value: None if value is None else convert(value)


def parse_definitions(definitions: Iterable[Mapping[str, Any]], for_tickets: bool) -> List[CustomField]:
    fields = []
    for definition in definitions:
        field_type = definition.get("type") or "text"
        if for_tickets and (field_type in SYSTEM_TICKET_FIELDS or definition.get("removable") is False):
            continue
        options = {
            str(option.get("value")): option.get("name") or option.get("raw_name") or str(option.get("value"))
            for option in (definition.get("custom_field_options") or [])
        }
        fields.append(
            CustomField(
                definition["id"],
                definition.get("key"),
                field_type,
                definition.get("title") or "",
                options,
                definition.get("relationship_target_type"),
            )
        )
    return fields


class CustomFieldColumns:
    """Adds the typed columns to records of one stream (tickets, users or organizations)."""

    def __init__(self, fields: List[CustomField], values_key: str):
        self.fields = fields
        self._values_key = values_key  # "custom_fields" (tickets) or "user_fields"/"organization_fields"
        # Everything a record needs, worked out once: the empty columns, and each field's column and converter.
        self._empty = {field.column: None for field in fields}
        # Keyed by id, and looked up with whatever id a record's value names.
        self._by_id: Dict[Any, Tuple[str, Callable[[Any], Any]]] = {
            field.id: (field.column, field.converter()) for field in fields
        }
        self._by_key = {field.key: (field.column, field.converter()) for field in fields if field.key}

    def properties(self) -> Dict[str, Mapping[str, Any]]:
        return {field.column: field.schema() for field in self.fields}

    def add_to(self, record: Mapping[str, Any]) -> Mapping[str, Any]:
        out = {**record, **self._empty}
        raw = record.get(self._values_key)
        if isinstance(raw, list):
            by_id = self._by_id
            for item in raw:
                if type(item) is dict or isinstance(item, Mapping):
                    target = by_id.get(item.get("id"))
                    if target is not None:
                        out[target[0]] = target[1](item.get("value"))
        elif isinstance(raw, Mapping):
            by_key = self._by_key
            for key, value in raw.items():
                target = by_key.get(key)
                if target is not None:
                    out[target[0]] = target[1](value)
        return out


# stream -> (definitions stream, where its records keep the raw values)
CUSTOM_FIELD_SOURCES = {
    "tickets": ("ticket_fields", "custom_fields"),
    "users": ("user_fields", "user_fields"),
    "organizations": ("organization_fields", "organization_fields"),
}
