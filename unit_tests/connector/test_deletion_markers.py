"""Records of deleted objects, per `deleted_records`: kept as ordinary rows, marked with _ab_cdc_deleted_at,
or left out."""

from __future__ import annotations

import pytest

from source_zendesk_support.records.deletion import DELETED_AT, deleted_at

from .support import ALL, epoch, make_config, make_stream, ok, run_stream, url

START = epoch("2024-01-01T00:00:00Z")


@pytest.mark.parametrize(
    "rule,record,expected",
    [
        ("status", {"status": "deleted", "updated_at": "2024-02-01T00:00:00Z"}, "2024-02-01T00:00:00Z"),
        ("status", {"status": "closed", "updated_at": "2024-02-01T00:00:00Z"}, None),
        ("active", {"active": False, "email": None, "updated_at": "2024-02-02T00:00:00Z"}, "2024-02-02T00:00:00Z"),
        ("active", {"active": False, "email": "suspended@acme.example", "updated_at": "2024-02-02T00:00:00Z"}, None),
        ("deleted_at", {"deleted_at": "2024-02-03T00:00:00Z"}, "2024-02-03T00:00:00Z"),
        ("deleted_at", {"deleted_at": None}, None),
        ("deleted", {"deleted": True, "time": "2024-02-04T00:00:00Z"}, "2024-02-04T00:00:00Z"),
        ("deleted", {"deleted": False, "time": "2024-02-04T00:00:00Z"}, None),
        ("is_deleted", {"is_deleted": True, "updated_at": "2024-02-05T00:00:00Z"}, "2024-02-05T00:00:00Z"),
    ],
)
def test_deletion_rules(rule, record, expected):
    assert deleted_at(rule, record) == expected


def tickets_page():
    return ok(
        {
            "tickets": [
                {"id": 1, "generated_timestamp": START + 1, "status": "open", "updated_at": "2024-01-01T00:00:01Z"},
                {"id": 2, "generated_timestamp": START + 2, "status": "deleted", "updated_at": "2024-01-01T00:00:02Z"},
            ],
            "after_cursor": "c1",
            "end_of_stream": True,
        }
    )


def test_deleted_tickets_are_kept_as_ordinary_rows_by_default(api):
    api.get(url("incremental/tickets/cursor"), [tickets_page()])
    records, states, _ = run_stream(make_stream("tickets"))
    assert [(r["id"], r["status"]) for r in records] == [(1, "open"), (2, "deleted")]
    assert all(DELETED_AT not in r for r in records)
    assert states[-1]["generated_timestamp"] == START + 2


def test_deleted_tickets_are_marked(api):
    api.get(url("incremental/tickets/cursor"), [tickets_page()])
    records, states, _ = run_stream(make_stream("tickets", config=make_config(deleted_records="mark")))
    assert [r.get(DELETED_AT) for r in records] == [None, "2024-01-01T00:00:02Z"]
    assert states[-1]["generated_timestamp"] == START + 2


@pytest.mark.parametrize("option", [{"deleted_records": "exclude"}, {"exclude_deleted": True}])
def test_exclude_drops_them_but_the_state_still_moves_past(api, option):
    api.get(url("incremental/tickets/cursor"), [tickets_page()])
    records, states, _ = run_stream(make_stream("tickets", config=make_config(**option)))
    assert [r["id"] for r in records] == [1]
    assert states[-1] == {**ALL, "after_cursor": "c1", "generated_timestamp": START + 2}
