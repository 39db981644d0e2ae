"""ticket_form_agent_conditions and ticket_form_end_user_conditions: one row per child field of each condition
set, taken from the ticket_forms pages with no request of their own."""

from __future__ import annotations

import pytest
from airbyte_cdk.models import SyncMode

from source_zendesk_support.records.extractors import UnexpectedShape, agent_conditions, end_user_conditions

from .support import ok, read_streams, records_of, statuses_of, url

# Zendesk's documented example of a ticket form (the OAS), trimmed to what the rows read.
FORM = {
    "id": 47,
    "updated_at": "2024-01-05T00:00:00Z",
    "agent_conditions": [
        {
            "parent_field_id": 100,
            "value": "matching_value",
            "child_fields": [
                {
                    "id": 101,
                    "is_required": False,
                    "required_on_statuses": {"type": "SOME_STATUSES", "statuses": ["new", "open", "pending", "hold"]},
                },
                {
                    "id": 200,
                    "is_required": True,
                    "required_on_statuses": {"type": "SOME_STATUSES", "statuses": ["solved"]},
                },
            ],
        },
        {
            "parent_field_id": 101,
            "value": True,
            "child_fields": [{"id": 102, "is_required": True, "required_on_statuses": {"type": "ALL_STATUSES"}}],
        },
    ],
    "end_user_conditions": [
        {"parent_field_id": 100, "value": "matching_value", "child_fields": [{"id": 101, "is_required": True}]},
        {"parent_field_id": 200, "value": False, "child_fields": [{"id": 202, "is_required": False}]},
    ],
}
PLAIN_FORM = {"id": 48, "updated_at": "2024-01-06T00:00:00Z", "agent_conditions": [], "end_user_conditions": []}


def test_agent_conditions_give_one_row_per_child_field_with_its_statuses():
    rows = list(agent_conditions({}, [FORM, PLAIN_FORM]))
    assert rows == [
        {
            "ticket_form_id": 47,
            "parent_field_id": 100,
            "parent_field_type": None,
            "value": "matching_value",
            "child_field_id": 101,
            "is_required": False,
            "required_on_statuses": {"type": "SOME_STATUSES", "statuses": ["new", "open", "pending", "hold"]},
        },
        {
            "ticket_form_id": 47,
            "parent_field_id": 100,
            "parent_field_type": None,
            "value": "matching_value",
            "child_field_id": 200,
            "is_required": True,
            "required_on_statuses": {"type": "SOME_STATUSES", "statuses": ["solved"]},
        },
        {
            "ticket_form_id": 47,
            "parent_field_id": 101,
            "parent_field_type": None,
            "value": "true",
            "child_field_id": 102,
            "is_required": True,
            "required_on_statuses": {"type": "ALL_STATUSES"},
        },
    ]


def test_end_user_conditions_carry_no_statuses_and_a_checkbox_value_as_text():
    rows = list(end_user_conditions({}, [FORM]))
    assert [(r["parent_field_id"], r["value"], r["child_field_id"], r["is_required"]) for r in rows] == [
        (100, "matching_value", 101, True),
        (200, "false", 202, False),
    ]
    assert all("required_on_statuses" not in row for row in rows)


@pytest.mark.parametrize(
    "form, named",
    [
        ({"id": 1, "agent_conditions": {"parent_field_id": 1}}, "ticket form 1's agent_conditions"),
        ({"id": 1, "agent_conditions": ["x"]}, "ticket form 1's agent_conditions[0]"),
        (
            {"id": 1, "agent_conditions": [{"parent_field_id": 2, "value": "v", "child_fields": 5}]},
            "agent_conditions[0].child_fields",
        ),
        (
            {
                "id": 1,
                "agent_conditions": [{"parent_field_id": 2, "value": "v", "child_fields": [{"is_required": True}]}],
            },
            "agent_conditions[0].child_fields[0].id",
        ),
        ({"id": 1, "agent_conditions": [{"value": "v", "child_fields": []}]}, "agent_conditions[0].parent_field_id"),
        (
            {"id": 1, "agent_conditions": [{"parent_field_id": 2, "child_fields": [{"id": 3}]}]},
            "agent_conditions[0].value",
        ),
        (
            {
                "id": 1,
                "agent_conditions": [
                    {"parent_field_id": 2, "value": "v", "child_fields": [{"id": 3, "required_on_statuses": "all"}]}
                ],
            },
            "required_on_statuses",
        ),
        ("form", "a ticket form"),
    ],
)
def test_a_wrong_shaped_condition_is_named(form, named):
    with pytest.raises(UnexpectedShape, match=named.replace("[", r"\[").replace("]", r"\]")):
        list(agent_conditions({}, [form]))


def test_one_request_feeds_ticket_forms_and_both_condition_streams(api):
    api.get(url("ticket_forms"), [ok({"ticket_forms": [FORM, PLAIN_FORM], "next_page": None, "count": 2})])
    output = read_streams(
        ["ticket_forms", "ticket_form_agent_conditions", "ticket_form_end_user_conditions"],
        sync_mode=SyncMode.full_refresh,
    )
    assert len(api.request_history) == 1
    assert [r["id"] for r in records_of(output, "ticket_forms")] == [47, 48]
    assert len(records_of(output, "ticket_form_agent_conditions")) == 3
    assert len(records_of(output, "ticket_form_end_user_conditions")) == 2


def test_condition_streams_alone_read_the_forms_themselves(api):
    api.get(url("ticket_forms"), [ok({"ticket_forms": [FORM], "next_page": None, "count": 1})])
    output = read_streams(["ticket_form_end_user_conditions"], sync_mode=SyncMode.full_refresh)
    assert len(api.request_history) == 1
    assert len(records_of(output, "ticket_form_end_user_conditions")) == 2


def test_a_wrong_shaped_condition_fails_its_stream_by_name_and_ticket_forms_still_completes(api):
    broken = {
        "id": 9,
        "updated_at": "2024-01-05T00:00:00Z",
        "agent_conditions": [{"parent_field_id": 1, "value": "v", "child_fields": "all"}],
    }
    api.get(url("ticket_forms"), [ok({"ticket_forms": [broken], "next_page": None, "count": 1})])
    output = read_streams(
        ["ticket_forms", "ticket_form_agent_conditions"], sync_mode=SyncMode.full_refresh, expect_failure=True
    )
    errors = [m.trace.error.message for m in output.errors]
    assert any(
        "ticket_form_agent_conditions" in e and "ticket form 9's agent_conditions[0].child_fields" in e for e in errors
    ), errors
    assert [r["id"] for r in records_of(output, "ticket_forms")] == [9]
    assert "COMPLETE" in [s.name for s in statuses_of(output, "ticket_forms")]
    assert "Traceback" not in " ".join(errors)


@pytest.mark.parametrize(
    "stream, extract",
    [("ticket_form_agent_conditions", agent_conditions), ("ticket_form_end_user_conditions", end_user_conditions)],
)
def test_rows_validate_against_their_schema_and_a_wrong_type_does_not(stream, extract):
    from jsonschema import Draft7Validator

    from source_zendesk_support.streams.base import load_schema

    validator = Draft7Validator(load_schema(stream))
    rows = list(extract({}, [FORM]))
    assert rows and all(not list(validator.iter_errors(row)) for row in rows)
    assert list(validator.iter_errors({**rows[0], "child_field_id": "101"}))
