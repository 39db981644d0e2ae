"""Typed custom-field columns: whatever raw value Zendesk sends, the column's value fits its declared schema."""
from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from jsonschema import Draft7Validator

from source_zendesk_support.custom_fields import TYPE_SCHEMAS, CustomField, CustomFieldColumns, parse_definitions

JSON_SCALARS = st.none() | st.booleans() | st.integers(-2**53, 2**53) | st.floats(allow_nan=False, allow_infinity=False) | st.text(max_size=12)
RAW_VALUES = JSON_SCALARS | st.lists(JSON_SCALARS, max_size=3) | st.dictionaries(st.text(max_size=3), JSON_SCALARS, max_size=2)


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(sorted(TYPE_SCHEMAS) + ["unknown_type"]), RAW_VALUES)
def test_typed_values_fit_the_column_schema(field_type, raw):
    field = CustomField(id=7, key="k", type=field_type, title="T", options={"vip": "VIP", "1": "One"})
    schema = {key: value for key, value in field.schema().items() if key != "description"}
    Draft7Validator(schema).validate(field.typed(raw))


def test_ticket_values_by_id_and_user_values_by_key():
    definitions = [
        {"id": 1, "type": "dropdown", "title": "Tier", "custom_field_options": [{"name": "Gold", "value": "gold"}]},
        {"id": 2, "type": "integer", "title": "Seats"},
        {"id": 3, "type": "subject", "title": "Subject"},  # a system field: already a ticket column
        {"id": 4, "type": "text", "title": "Locked", "removable": False},
    ]
    fields = parse_definitions(definitions, for_tickets=True)
    assert [f.id for f in fields] == [1, 2]
    tickets = CustomFieldColumns(fields, "custom_fields")
    row = tickets.add_to({"id": 9, "custom_fields": [{"id": 1, "value": "gold"}, {"id": 2, "value": "12"}, {"id": 99, "value": "x"}]})
    assert (row["custom_field_1"], row["custom_field_2"]) == ("Gold", 12)
    assert row["custom_fields"][0] == {"id": 1, "value": "gold"}  # the raw values stay
    users = CustomFieldColumns(parse_definitions([{"id": 5, "key": "plan", "type": "checkbox", "title": "Plan"}], for_tickets=False), "user_fields")
    assert users.add_to({"id": 1, "user_fields": {"plan": "true"}})["custom_field_5"] is True
    assert users.add_to({"id": 2, "user_fields": None})["custom_field_5"] is None
