"""Custom objects: definitions, fields, and one typed stream per object over its records' incremental export."""

from __future__ import annotations

import pytest
from airbyte_cdk.models import AirbyteStreamStatus
from airbyte_cdk.test.entrypoint_wrapper import discover

from source_zendesk_support.http.rate_budget import ZendeskRateBudget
from source_zendesk_support.records.deletion import PLACEHOLDER
from source_zendesk_support.source import SourceZendeskSupport

from .support import epoch, make_config, ok, param, read_streams, records_of, states_of, statuses_of, url, warnings_of

OBJECTS = {
    "custom_objects": [
        {
            "key": "asset",
            "title": "Asset",
            "title_pluralized": "Assets",
            "include_in_list_view": True,
            "updated_at": "2024-02-01T00:00:00Z",
        },
        {
            "key": "contract",
            "title": "Contract",
            "title_pluralized": "Contracts",
            "include_in_list_view": True,
            "updated_at": "2024-02-01T00:00:00Z",
        },
    ]
}
ASSET_FIELDS = [
    {"id": 11, "key": "serial", "type": "text", "title": "Serial"},
    {"id": 12, "key": "units", "type": "integer", "title": "Units"},
    {"id": 13, "key": "price", "type": "decimal", "title": "Price"},
    {"id": 14, "key": "insured", "type": "checkbox", "title": "Insured"},
    {"id": 15, "key": "bought", "type": "date", "title": "Bought"},
    {
        "id": 16,
        "key": "tier",
        "type": "dropdown",
        "title": "Tier",
        "custom_field_options": [{"name": "Gold", "value": "gold"}, {"name": "Silver", "value": "silver"}],
    },
    {
        "id": 17,
        "key": "tags",
        "type": "multiselect",
        "title": "Tags",
        "custom_field_options": [{"name": "Red", "value": "red"}, {"name": "Blue", "value": "blue"}],
    },
    {"id": 18, "key": "owner", "type": "lookup", "title": "Owner", "relationship_target_type": "zen:user"},
    {
        "id": 19,
        "key": "contract",
        "type": "lookup",
        "title": "Contract",
        "relationship_target_type": "zen:custom_object:contract",
    },
]
CONTRACT_FIELDS = [{"id": 21, "key": "ends", "type": "date", "title": "Ends"}]
LIVE = {
    "id": "01HASSET1",
    "name": "Laptop",
    "external_id": "ext-1",
    "custom_object_key": "asset",
    "created_at": "2024-03-01T00:00:00Z",
    "updated_at": "2024-03-02T00:00:00Z",
    "created_by_user_id": "5",
    "updated_by_user_id": "5",
    "custom_object_fields": {
        "serial": "SN-1",
        "units": "3",
        "price": "12.50",
        "insured": "true",
        "bought": "2024-01-05",
        "tier": "gold",
        "tags": ["red", "blue"],
        "owner": "42",
        "contract": "01HCONTRACT7",
    },
}
DELETED = {
    "id": "01HASSET2",
    "name": PLACEHOLDER,
    "external_id": PLACEHOLDER,
    "custom_object_key": "asset",
    "created_at": "2024-03-01T00:00:00Z",
    "updated_at": "2024-03-03T00:00:00Z",
    "custom_object_fields": {field["key"]: PLACEHOLDER for field in ASSET_FIELDS},
}


def fields_page(fields):
    return ok(
        {"custom_object_fields": fields, "meta": {"has_more": False, "after_cursor": None}, "links": {"next": None}}
    )


def export_page(records, cursor="c1", has_more=False):
    return ok(
        {
            "custom_object_records": records,
            "after_cursor": cursor,
            "before_cursor": None,
            "after_url": None if not has_more else url(f"incremental/custom_objects/asset/cursor?cursor={cursor}"),
            "before_url": None,
            "filter": {"exclude_deleted": False},
            "meta": {"has_more": has_more},
        }
    )


@pytest.fixture
def account(api):
    api.get(url("custom_objects"), **ok(OBJECTS))
    api.get(url("custom_objects/asset/fields"), **fields_page(ASSET_FIELDS))
    api.get(url("custom_objects/contract/fields"), **fields_page(CONTRACT_FIELDS))
    return api


def test_discover_offers_one_typed_stream_per_object(account):
    config = make_config()
    streams = {
        stream.name: stream for stream in discover(SourceZendeskSupport(config=config), config).catalog.catalog.streams
    }
    assert {"custom_objects", "custom_object_fields", "custom_object_asset", "custom_object_contract"} <= set(streams)
    properties = streams["custom_object_asset"].json_schema["properties"]
    types = {f"custom_field_{field['id']}": properties[f"custom_field_{field['id']}"]["type"] for field in ASSET_FIELDS}
    assert types == {
        "custom_field_11": ["null", "string"],
        "custom_field_12": ["null", "integer"],
        "custom_field_13": ["null", "number"],
        "custom_field_14": ["null", "boolean"],
        "custom_field_15": ["null", "string"],
        "custom_field_16": ["null", "string"],
        "custom_field_17": ["null", "array"],
        "custom_field_18": ["null", "integer"],
        "custom_field_19": ["null", "string"],
    }
    assert "'Serial'" in properties["custom_field_11"]["description"]
    assert properties["id"]["type"] == "string" and streams["custom_object_asset"].source_defined_cursor
    assert "custom_field_21" in streams["custom_object_contract"].json_schema["properties"]
    assert "custom_field_11" not in streams["custom_object_contract"].json_schema["properties"]


def test_records_are_typed_from_strings_and_the_state_is_the_export_cursor(account):
    account.get(url("incremental/custom_objects/asset/cursor"), [export_page([LIVE], cursor="c1")])
    output = read_streams(["custom_object_asset"])
    (record,) = records_of(output, "custom_object_asset")
    assert {
        key: record[f"custom_field_{number}"]
        for key, number in [
            ("serial", 11),
            ("units", 12),
            ("price", 13),
            ("insured", 14),
            ("bought", 15),
            ("tier", 16),
            ("tags", 17),
            ("owner", 18),
            ("contract", 19),
        ]
    } == {
        "serial": "SN-1",
        "units": 3,
        "price": 12.5,
        "insured": True,
        "bought": "2024-01-05",
        "tier": "Gold",
        "tags": ["Red", "Blue"],
        "owner": 42,
        "contract": "01HCONTRACT7",
    }
    assert record["name"] == "Laptop" and record["custom_object_fields"]["units"] == "3"  # the raw values stay
    (first,) = [request for request in account.request_history if "incremental/custom_objects" in request.url]
    assert param(first, "start_time") == str(epoch("2024-01-01T00:00:00Z")) and param(first, "per_page") == "1000"
    state = states_of(output, "custom_object_asset")[-1]
    assert state["after_cursor"] == "c1" and state["updated_at"] == "2024-03-02T00:00:00Z"


def test_a_saved_cursor_resumes_and_pages_follow_until_has_more_is_false(account):
    account.get(
        url("incremental/custom_objects/asset/cursor"),
        [export_page([LIVE], cursor="c2", has_more=True), export_page([], cursor="c3")],
    )
    output = read_streams(
        ["custom_object_asset"],
        state={"custom_object_asset": {"after_cursor": "c1", "updated_at": "2024-03-01T00:00:00Z"}},
    )
    asked = [
        param(request, "cursor") for request in account.request_history if "incremental/custom_objects" in request.url
    ]
    assert asked == ["c1", "c2"]  # no request after the page that says has_more false
    assert [state["after_cursor"] for state in states_of(output, "custom_object_asset")][-1] == "c3"


@pytest.mark.parametrize("mode", ["keep", "mark", "exclude"])
def test_deleted_records_follow_the_option_and_no_placeholder_lands(account, mode):
    account.get(url("incremental/custom_objects/asset/cursor"), [export_page([LIVE, DELETED])])
    records = records_of(
        read_streams(["custom_object_asset"], config=make_config(deleted_records=mode)), "custom_object_asset"
    )
    deleted = [record for record in records if record["id"] == "01HASSET2"]
    if mode == "exclude":
        assert deleted == [] and len(records) == 1
        return
    (record,) = deleted
    assert PLACEHOLDER not in str(record)
    assert (
        record.get("name") is None and record.get("custom_field_14") is None and record.get("custom_field_12") is None
    )
    assert (record.get("_ab_cdc_deleted_at") == "2024-03-03T00:00:00Z") == (mode == "mark")


def test_an_object_removed_since_discover_ends_its_stream_with_a_warning(account):
    account.get(url("incremental/custom_objects/asset/cursor"), [export_page([LIVE])])
    output = read_streams(["custom_object_asset", "custom_object_gone"])
    assert not output.errors
    assert len(records_of(output, "custom_object_asset")) == 1
    assert statuses_of(output, "custom_object_gone")[-1] == AirbyteStreamStatus.INCOMPLETE
    assert any("no custom object 'gone'" in warning for warning in warnings_of(output))


def test_an_object_the_token_may_not_read_is_skipped_naming_it(api):
    api.get(url("custom_objects"), **ok(OBJECTS))
    api.get(url("custom_objects/asset/fields"), **fields_page(ASSET_FIELDS))
    api.get(url("custom_objects/contract/fields"), status_code=403, json={"error": "Forbidden"})
    config = make_config()
    output = discover(SourceZendeskSupport(config=config), config)
    names = {stream.name for stream in output.catalog.catalog.streams}
    assert "custom_object_asset" in names and "custom_object_contract" not in names
    assert any("Custom object 'contract' skipped" in message.log.message for message in output.logs)


def test_an_export_refused_mid_sync_skips_only_that_object(account):
    account.get(
        url("incremental/custom_objects/asset/cursor"),
        status_code=404,
        json={"errors": [{"code": "CustomObjectNotFound", "status": "404", "title": "Custom object not found"}]},
    )
    account.get(
        url("incremental/custom_objects/contract/cursor"),
        [export_page([{**LIVE, "id": "01HC", "custom_object_key": "contract"}])],
    )
    output = read_streams(["custom_object_asset", "custom_object_contract"])
    assert not output.errors
    assert statuses_of(output, "custom_object_asset")[-1] == AirbyteStreamStatus.INCOMPLETE
    assert any("custom object 'asset'" in warning for warning in warnings_of(output))
    assert len(records_of(output, "custom_object_contract")) == 1


def test_an_account_without_custom_objects_offers_only_the_definition_streams(api):
    api.get(url("custom_objects"), status_code=404, json={"error": "InvalidEndpoint"})
    config = make_config()
    output = discover(SourceZendeskSupport(config=config), config)
    names = {stream.name for stream in output.catalog.catalog.streams}
    assert "custom_objects" in names and not any(
        name.startswith("custom_object_") and name != "custom_object_fields" for name in names
    )


def test_definitions_and_fields_streams(account):
    output = read_streams(["custom_objects", "custom_object_fields"])
    assert [record["key"] for record in records_of(output, "custom_objects")] == ["asset", "contract"]
    fields = records_of(output, "custom_object_fields")
    assert len(fields) == len(ASSET_FIELDS) + len(CONTRACT_FIELDS)
    assert {field["custom_object_key"] for field in fields} == {"asset", "contract"}


def test_the_export_has_its_own_window_shared_by_every_object(clock):
    budget = ZendeskRateBudget()
    import requests

    def acquire(path):
        budget.acquire_call(requests.Request("GET", url(path)).prepare())
        return clock.offset

    times = [acquire(f"incremental/custom_objects/{key}/cursor?start_time=1") for key in ["asset", "contract"] * 6]
    assert times[9] < 1 and times[10] >= 59  # 10 a minute, across both objects
    # the tickets export did not spend its slots on them
    assert acquire("incremental/tickets/cursor?start_time=1") - times[-1] < 1
    assert budget.buckets["custom_object_export"][1].limit == 10
