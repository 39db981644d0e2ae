"""Typed custom-field columns: whatever raw value Zendesk sends, the column's value fits its declared schema."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from jsonschema import Draft7Validator

from source_zendesk_support.records.custom_fields import (
    TYPE_SCHEMAS,
    CustomField,
    CustomFieldColumns,
    parse_definitions,
)

JSON_SCALARS = (
    st.none()
    | st.booleans()
    | st.integers(-(2**53), 2**53)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=12)
)
RAW_VALUES = (
    JSON_SCALARS | st.lists(JSON_SCALARS, max_size=3) | st.dictionaries(st.text(max_size=3), JSON_SCALARS, max_size=2)
)


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
    row = tickets.add_to(
        {"id": 9, "custom_fields": [{"id": 1, "value": "gold"}, {"id": 2, "value": "12"}, {"id": 99, "value": "x"}]}
    )
    assert (row["custom_field_1"], row["custom_field_2"]) == ("Gold", 12)
    assert row["custom_fields"][0] == {"id": 1, "value": "gold"}  # the raw values stay
    users = CustomFieldColumns(
        parse_definitions([{"id": 5, "key": "plan", "type": "checkbox", "title": "Plan"}], for_tickets=False),
        "user_fields",
    )
    assert users.add_to({"id": 1, "user_fields": {"plan": "true"}})["custom_field_5"] is True
    assert users.add_to({"id": 2, "user_fields": None})["custom_field_5"] is None


def _ticket_fields_page():
    from .support import ok

    return ok(
        {
            "ticket_fields": [
                {
                    "id": 31,
                    "type": "dropdown",
                    "title": "Tier",
                    "updated_at": "2024-01-01T00:00:00Z",
                    "custom_field_options": [{"name": "Gold", "value": "gold"}],
                }
            ],
            "meta": {"has_more": False},
            "links": {"next": None},
        }
    )


def test_discover_and_read_carry_the_typed_column(api):
    from airbyte_cdk.test.entrypoint_wrapper import discover

    from source_zendesk_support.source import SourceZendeskSupport

    from .support import epoch, make_config, ok, read_streams, records_of, url

    api.get(url("ticket_fields"), [_ticket_fields_page()] * 3)
    api.get(
        url("incremental/tickets/cursor"),
        [
            ok(
                {
                    "tickets": [
                        {
                            "id": 1,
                            "generated_timestamp": epoch("2024-01-02T00:00:00Z"),
                            "custom_fields": [{"id": 31, "value": "gold"}],
                        }
                    ],
                    "after_cursor": "c1",
                    "end_of_stream": True,
                }
            )
        ],
    )
    config = make_config()
    catalog = discover(SourceZendeskSupport(config=config), config).catalog.catalog
    tickets = next(stream for stream in catalog.streams if stream.name == "tickets")
    assert tickets.json_schema["properties"]["custom_field_31"]["type"] == ["null", "string"]
    (record,) = records_of(read_streams(["tickets"], config=config))
    assert record["custom_field_31"] == "Gold"


def test_custom_field_columns_can_be_switched_off(api):
    from .support import epoch, make_config, ok, read_streams, records_of, url

    api.get(
        url("incremental/tickets/cursor"),
        [
            ok(
                {
                    "tickets": [
                        {
                            "id": 1,
                            "generated_timestamp": epoch("2024-01-02T00:00:00Z"),
                            "custom_fields": [{"id": 31, "value": "gold"}],
                        }
                    ],
                    "after_cursor": "c1",
                    "end_of_stream": True,
                }
            )
        ],
    )
    (record,) = records_of(read_streams(["tickets"], config=make_config(custom_field_columns=False)))
    assert "custom_field_31" not in record
    assert not [r for r in api.request_history if "ticket_fields" in r.path]


DEFINITIONS = ("ticket_fields", "user_fields", "organization_fields")


@pytest.mark.parametrize(
    "answer, said",
    [
        ({"status_code": 401, "json": {"error": "Couldn't authenticate you"}}, "Zendesk refused the credentials"),
        ({"status_code": 403, "json": {"error": "Forbidden"}}, "Zendesk does not let this account read"),
        ({"status_code": 503, "json": {}}, "Zendesk did not answer in time"),
        (
            {"status_code": 200, "json": {"ticket_fields": "none", "user_fields": 3, "organization_fields": "x"}},
            "Zendesk's answer could not be used",
        ),
    ],
    ids=["auth", "plan-gated", "transient", "bad-body"],
)
def test_discover_without_the_definitions_says_why_and_offers_the_raw_values(api, answer, said):
    from airbyte_cdk.test.entrypoint_wrapper import discover

    from source_zendesk_support.source import SourceZendeskSupport

    from .support import make_config, url

    for path in DEFINITIONS:
        api.get(url(path), headers={"Content-Type": "application/json"}, **answer)
    config = make_config()
    output = discover(SourceZendeskSupport(config=config), config)
    schemas = {stream.name: stream.json_schema for stream in output.catalog.catalog.streams}
    for name, values in (
        ("tickets", "custom_fields"),
        ("users", "user_fields"),
        ("organizations", "organization_fields"),
    ):
        assert values in schemas[name]["properties"]
        assert not [column for column in schemas[name]["properties"] if column.startswith("custom_field_")]
    warnings = [message.log.message for message in output.logs if message.log.level.name == "WARN"]
    for path in DEFINITIONS:
        assert any(
            message.startswith(f"Could not read {path}: {said}") or message.startswith(f"{said} {path}")
            for message in warnings
        ), warnings
