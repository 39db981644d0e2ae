"""End to end for the features beyond the peers: search query streams, typed custom-field columns, field and tag
history, soft deletes and ticket attachments, through the real entrypoint against the sandbox."""

from __future__ import annotations

import time

import pytest
import requests
from jsonschema import Draft7Validator

from conftest import running_sandbox
from sync_runner import configured_catalog, discovered_catalog, run_connector

pytestmark = pytest.mark.e2e

QUERIES = [
    {"name": "open_tickets", "query": "status:open", "type": "ticket"},
    {"name": "recent_users", "query": "created>2020-01-01", "type": "user"},
]


@pytest.fixture(scope="module")
def sandbox():
    with running_sandbox(
        "--seed",
        "13",
        "--tickets",
        "500",
        "--holdback",
        "20",
        "--time-scale",
        "10",
        "--rate-limit",
        "0",
        "--export-rate-limit",
        "0",
    ) as info:
        info["config"]["search_queries"] = QUERIES
        # the generated deletions are past Zendesk's 30-day purge, so /deleted_tickets would be empty
        response = requests.post(f"{info['url']}/_sandbox/mutate", json={"tickets": {"delete": 2}}, timeout=30)
        assert response.status_code == 200
        time.sleep(2.5)  # past the hold-back (20 Zendesk-seconds at time scale 10)
        yield info


def _count(sandbox, query: str) -> int:
    credentials = sandbox["config"]["credentials"]
    response = requests.get(
        f"{sandbox['url']}/api/v2/search/count",
        params={"query": query},
        auth=(credentials["email"] + "/token", credentials["api_token"]),
        timeout=30,
    )
    return response.json()["count"]


def test_search_query_streams_read_every_match_and_then_only_changes(sandbox):
    streams = discovered_catalog(sandbox["config"])
    catalog = configured_catalog(streams, ["search_open_tickets", "search_recent_users"])
    first = run_connector("read", sandbox["config"], catalog)
    assert first.returncode == 0, first.stderr[-3000:]
    assert len({r["id"] for r in first.records["search_open_tickets"]}) == _count(sandbox, "type:ticket status:open")
    assert len({r["id"] for r in first.records["search_recent_users"]}) == _count(
        sandbox, "type:user created>2020-01-01"
    )
    time.sleep(3)
    requests.post(f"{sandbox['url']}/_sandbox/mutate", json={"tickets": {"update": 20}}, timeout=30)
    time.sleep(3)
    second = run_connector("read", sandbox["config"], catalog, state=first.state_list())
    assert second.returncode == 0
    assert len(second.records["search_open_tickets"]) <= 20
    assert all(record["status"] == "open" for record in second.records["search_open_tickets"])


def test_an_invalid_search_query_is_a_config_error_naming_it(sandbox):
    config = {**sandbox["config"], "search_queries": [{"name": "broken", "query": "updated>yesterdayish"}]}
    status = run_connector("check", config).of_type("CONNECTION_STATUS")[0]["connectionStatus"]
    assert status["status"] == "FAILED" and "search_broken" in status["message"] and "yesterdayish" in status["message"]
    streams = discovered_catalog(config)
    output = run_connector("read", config, configured_catalog(streams, ["search_broken"], incremental=False))
    errors = output.traces("ERROR")
    assert output.returncode != 0 and errors
    assert errors[0]["error"]["failure_type"] == "config_error" and "search_broken" in errors[0]["error"]["message"]


def test_custom_fields_are_typed_columns_that_validate_against_the_schema(sandbox):
    streams = {stream["name"]: stream for stream in discovered_catalog(sandbox["config"])}
    output = run_connector(
        "read", sandbox["config"], configured_catalog(list(streams.values()), ["tickets", "users", "organizations"])
    )
    assert output.returncode == 0
    for name in ("tickets", "users", "organizations"):
        schema = streams[name]["json_schema"]
        columns = [key for key in schema["properties"] if key.startswith("custom_field_")]
        assert columns, f"{name} has no typed custom-field columns"
        validator = Draft7Validator(schema)
        for record in output.records[name]:
            errors = list(validator.iter_errors(record))
            assert not errors, (name, errors[0].message)
        filled = {column for record in output.records[name] for column in columns if record.get(column) is not None}
        assert filled, f"no {name} record has a value in its typed columns"
    ticket_types = {
        schema["type"][1]
        for key, schema in streams["tickets"]["json_schema"]["properties"].items()
        if key.startswith("custom_field_")
    }
    assert {"string", "boolean", "integer", "number", "array"} <= ticket_types
    sample = next(r for r in output.records["tickets"] if r.get("custom_fields"))
    assert "custom_fields" in sample  # the raw values stay


def test_history_rows_follow_ticket_changes(sandbox):
    streams = discovered_catalog(sandbox["config"])
    catalog = configured_catalog(
        streams, ["ticket_field_history", "ticket_tag_history", "ticket_attachments", "ticket_events"]
    )
    first = run_connector("read", sandbox["config"], catalog)
    assert first.returncode == 0
    assert first.records["ticket_field_history"] and first.records["ticket_tag_history"]
    assert all(row["field"] != "tags" for row in first.records["ticket_field_history"])
    summary = requests.get(f"{sandbox['url']}/_sandbox/summary", timeout=30).json()
    assert (
        len({r["id"] for r in first.records["ticket_attachments"]})
        == summary["resources"]["ticket_attachments"]["endpoints"]["/api/v2/incremental/ticket_events"]
    )
    time.sleep(3)
    changed = requests.post(f"{sandbox['url']}/_sandbox/mutate", json={"tickets": {"update": 4}}, timeout=30).json()
    time.sleep(3)
    second = run_connector("read", sandbox["config"], catalog, state=first.state_list())
    # One history row per field set by a Create/Change event of the new ticket events, and nothing else.
    expected = {
        (child["id"], key)
        for event in second.records["ticket_events"]
        for child in event["child_events"]
        if child.get("event_type") in ("Create", "Change")
        for key in child
        if key
        not in ("id", "via", "via_reference_id", "event_type", "previous_value", "tags", "added_tags", "removed_tags")
    }
    assert {(row["event_id"], row["field"]) for row in second.records["ticket_field_history"]} == expected
    assert {row["ticket_id"] for row in second.records["ticket_field_history"]} <= set(changed["tickets"]["update"]) | {
        event["ticket_id"] for event in first.records["ticket_events"]
    }


def test_deleted_records_are_kept_marked_or_left_out(sandbox):
    streams = discovered_catalog(sandbox["config"])
    catalog = configured_catalog(streams, ["tickets", "deleted_tickets"], incremental=False)
    kept = run_connector("read", sandbox["config"], catalog)  # deleted_records: keep, as Airbyte's connector
    deleted_ids = {t["id"] for t in kept.records["tickets"] if t["status"] == "deleted"}
    assert deleted_ids and not [t for t in kept.records["tickets"] if "_ab_cdc_deleted_at" in t]
    marked = run_connector("read", {**sandbox["config"], "deleted_records": "mark"}, catalog)
    assert {t["id"] for t in marked.records["tickets"] if t.get("_ab_cdc_deleted_at")} == deleted_ids
    assert marked.records["deleted_tickets"] and all(
        t.get("_ab_cdc_deleted_at") for t in marked.records["deleted_tickets"]
    )
    dropped = run_connector("read", {**sandbox["config"], "deleted_records": "exclude"}, catalog)
    assert len(dropped.records["tickets"]) == len(kept.records["tickets"]) - len(deleted_ids)
    assert not deleted_ids & {t["id"] for t in dropped.records["tickets"]}
    assert len(dropped.records["deleted_tickets"]) == len(
        kept.records["deleted_tickets"]
    )  # that stream lists them by design
