"""Extractors (records built from sideloads and nested events), time conversions, the stream table and discover."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest
from airbyte_cdk.models import SyncMode
from airbyte_cdk.test.entrypoint_wrapper import discover

from source_zendesk_support.records import extractors
from source_zendesk_support.registry.table import ALL_STREAMS
from source_zendesk_support.streams.base import ZendeskStream
from source_zendesk_support.streams.exports import CursorExportStream, TimeExportStream
from source_zendesk_support.source import SourceZendeskSupport
from source_zendesk_support.streams.base import load_schema
from source_zendesk_support.foundation.clock import cursor_value, to_epoch, to_iso

from .support import make_config, ok, url


# --- extractors --------------------------------------------------------------------------------------------------
def test_tickets_without_metric_sets_leaves_the_page_untouched():
    page = [{"id": 1, "metric_set": {"id": 9}}, {"id": 2}]
    assert list(extractors.tickets_without_metric_sets({}, page)) == [{"id": 1}, {"id": 2}]
    assert page[0] == {"id": 1, "metric_set": {"id": 9}}  # the other stream sharing the page still sees it


def test_metric_sets_carry_their_ticket_and_its_timestamp():
    page = [
        {
            "id": 1,
            "generated_timestamp": 100,
            "metric_set": {"id": 9, "replies": 3, "updated_at": "2026-01-05T10:00:00Z"},
        },
        {"id": 2, "generated_timestamp": 101, "metric_set": None},
        {"id": 3, "generated_timestamp": 102, "metric_set": {"id": 8, "ticket_id": 3}},
    ]
    assert list(extractors.metric_sets({}, page)) == [
        {
            "id": 9,
            "replies": 3,
            "updated_at": "2026-01-05T10:00:00Z",
            "ticket_id": 1,
            "generated_timestamp": 100,
            "_ab_updated_at": 1767607200,
        },
        {"id": 8, "ticket_id": 3, "generated_timestamp": 102},
    ]


def test_identities_come_from_the_sideload():
    body = {"users": [{"id": 1}], "identities": [{"id": 5, "user_id": 1}]}
    assert list(extractors.identities(body, body["users"])) == [{"id": 5, "user_id": 1}]
    assert list(extractors.identities({"users": []}, [])) == []
    assert list(extractors.users_only(body, body["users"])) == [{"id": 1}]


def test_comment_events_keep_comments_only_with_their_ticket_and_audit():
    event = {
        "id": 70,
        "ticket_id": 4,
        "timestamp": 1700000000,
        "created_at": "2023-11-14T22:13:20Z",
        "child_events": [
            {"id": 71, "event_type": "Comment", "body": "b", "public": False},
            {"id": 72, "event_type": "Notification"},
            {"id": 73, "type": "Comment"},
            {"id": 74, "event_type": "VoiceComment", "type": "VoiceComment", "created_at": "2023-11-14T22:00:00Z"},
        ],
    }
    comments = list(extractors.comment_events({}, [event, {"id": 80, "child_events": None}]))
    assert [c["id"] for c in comments] == [71, 73, 74]
    assert {(c["ticket_id"], c["audit_id"], c["timestamp"]) for c in comments} == {(4, 70, 1700000000)}
    assert [c["created_at"] for c in comments] == [
        "2023-11-14T22:13:20Z",
        "2023-11-14T22:13:20Z",
        "2023-11-14T22:00:00Z",
    ]
    assert [c["event_type"] for c in comments] == ["Comment", "Comment", "VoiceComment"]


def test_attribute_definitions_are_flattened_with_their_condition():
    body = {
        "definitions": {"conditions_all": [{"subject": "a"}], "conditions_any": [{"subject": "b"}, {"subject": "c"}]}
    }
    assert [(d["subject"], d["condition"]) for d in extractors.attribute_definitions(body, None)] == [
        ("a", "all"),
        ("b", "any"),
        ("c", "any"),
    ]
    assert list(extractors.attribute_definitions({}, None)) == []


def test_every_extractor_in_the_table_is_an_extractor_function():
    for spec in ALL_STREAMS:
        if spec.extract:
            assert callable(spec.extract) and spec.extract.__module__ == extractors.__name__, spec.name


# --- time conversions ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "value,expected",
    [
        ("2024-01-01T00:00:00Z", 1704067200),
        ("2024-01-01T01:00:00+01:00", 1704067200),
        ("2024-01-01T00:00:00", 1704067200),
        (1704067200, 1704067200),
        (1704067200.9, 1704067200),
        ("1704067200", 1704067200),
        (datetime(2024, 1, 1, tzinfo=timezone.utc), 1704067200),
        (None, None),
        ("", None),
        (True, None),
        ("garbage", None),
    ],
)
def test_to_epoch(value, expected):
    assert to_epoch(value) == expected


def test_cursor_values_keep_zendesk_formats():
    assert to_iso(1704067200) == "2024-01-01T00:00:00Z"
    assert cursor_value("generated_timestamp", 1704067200) == 1704067200
    assert cursor_value("timestamp", 1704067200) == 1704067200
    assert cursor_value("updated_at", 1704067200) == "2024-01-01T00:00:00Z"


# --- the stream table and discover ----------------------------------------------------------------------------------
def test_stream_table_is_consistent():
    names = [spec.name for spec in ALL_STREAMS]
    assert len(names) == len(set(names))
    for spec in ALL_STREAMS:
        assert isinstance(spec.family, type) and issubclass(spec.family, ZendeskStream) and spec.family.paging, (
            spec.name
        )
        schema = load_schema(spec.schema or spec.name)
        properties = schema.get("properties", {})
        if spec.cursor_field:
            assert spec.cursor_field in properties, f"{spec.name}: cursor {spec.cursor_field} not in its schema"
        keys = (
            spec.primary_key if isinstance(spec.primary_key, list) else [spec.primary_key] if spec.primary_key else []
        )
        for key in keys:
            assert key in properties, f"{spec.name}: primary key {key} not in its schema"
        if issubclass(spec.family, (CursorExportStream, TimeExportStream)):
            assert spec.cursor_field, f"{spec.name}: an export stream must be incremental"


def test_discover_lists_every_stream_with_its_modes_cursor_and_key(api):
    api.get(url("ticket_fields"), [ok({"ticket_fields": [], "meta": {"has_more": False}})])
    config = make_config()
    output = discover(SourceZendeskSupport(config=config), config)
    catalog = {stream.name: stream for stream in output.catalog.catalog.streams}
    # Chat streams are offered only with Chat credentials (see the next test).
    offered = [spec for spec in ALL_STREAMS if spec.product != "chat"]
    assert set(catalog) == {spec.name for spec in offered}
    with_chat = discover(
        SourceZendeskSupport(config=config), {**config, "chat_credentials": {"access_token": "chat-token"}}
    )
    assert {spec.name for spec in ALL_STREAMS} == {stream.name for stream in with_chat.catalog.catalog.streams}
    assert output.is_in_logs("Chat streams are not offered")
    for spec in offered:
        stream = catalog[spec.name]
        if spec.cursor_field:
            assert set(stream.supported_sync_modes) == {SyncMode.full_refresh, SyncMode.incremental}, spec.name
            assert stream.default_cursor_field == [spec.cursor_field], spec.name
            assert stream.source_defined_cursor
        else:
            assert stream.supported_sync_modes == [SyncMode.full_refresh], spec.name
        if spec.primary_key:
            keys = spec.primary_key if isinstance(spec.primary_key, list) else [spec.primary_key]
            assert stream.source_defined_primary_key == [[key] for key in keys], spec.name
