"""The skill-based routing exports (/incremental/routing/...): start_time first, then the cursor each page's
next_page carries; the page that brings nothing ends the read and its cursor is where the next sync starts."""

from __future__ import annotations

import pytest
from airbyte_cdk.models import AirbyteStreamStatus

from .support import epoch, make_config, make_stream, ok, param, read_streams, run_stream, statuses_of, url, warnings_of

EXPORT = url("incremental/routing/attributes")
START = epoch("2024-01-01T00:00:00Z")


def change(n: int, at: str, kind: str = "create"):
    return {"id": f"attr-{n}", "name": f"Attribute {n}", "time": at, "type": kind}


def page(changes, cursor):
    return ok(
        {"attributes": changes, "count": len(changes), "end_time": START, "next_page": f"{EXPORT}?cursor={cursor}"}
    )


def test_first_sync_starts_at_start_date_follows_the_next_page_cursor_and_ends_on_an_empty_page(api):
    api.get(
        EXPORT,
        [
            page([change(1, "2024-01-02T00:00:00Z"), change(1, "2024-01-03T00:00:00Z", "update")], "c1"),
            page([change(2, "2024-01-04T00:00:00Z", "delete")], "c2"),
            page([], "c2"),
        ],
    )
    records, states, _ = run_stream(make_stream("routing_attribute_events"))
    first, second, third = api.request_history
    assert param(first, "start_time") == str(START) and param(first, "cursor") is None
    assert param(second, "cursor") == "c1" and param(third, "cursor") == "c2"
    assert [(r["id"], r["type"]) for r in records] == [("attr-1", "create"), ("attr-1", "update"), ("attr-2", "delete")]
    assert states[-1] == {"after_cursor": "c2", "time": "2024-01-04T00:00:00Z"}


def test_an_unchanged_account_costs_one_request_from_the_saved_cursor(api):
    api.get(EXPORT, [page([], "c7")])
    saved = {"after_cursor": "c7", "time": "2024-01-04T00:00:00Z"}
    records, states, _ = run_stream(make_stream("routing_attribute_events", state=saved))
    (request,) = api.request_history
    assert param(request, "cursor") == "c7" and param(request, "start_time") is None
    assert records == [] and states[-1] == saved


def test_a_new_cursor_on_an_empty_page_is_kept_without_asking_again(api):
    api.get(EXPORT, [page([], "c8")])
    records, states, _ = run_stream(make_stream("routing_attribute_events", state={"after_cursor": "c7"}))
    assert len(api.request_history) == 1 and records == []
    assert states[-1]["after_cursor"] == "c8"


@pytest.mark.parametrize("next_page", [f"{EXPORT}?start_time=5", 42])
def test_a_next_page_without_a_cursor_fails_the_stream_by_name(api, next_page):
    api.get(EXPORT, [ok({"attributes": [change(1, "2024-01-02T00:00:00Z")], "count": 1, "next_page": next_page})])
    output = read_streams(["routing_attribute_events"], config=make_config())
    assert statuses_of(output, "routing_attribute_events")[-1] == AirbyteStreamStatus.INCOMPLETE
    message = output.errors[0].trace.error.message
    assert "next_page" in message and "Traceback" not in message


def test_below_enterprise_the_stream_is_skipped_with_a_warning(api):
    api.get(EXPORT, status_code=403, json={"error": "Forbidden", "description": "You do not have access to this page."})
    output = read_streams(["routing_attribute_events"], config=make_config())
    assert not output.errors and len(api.request_history) == 1
    assert any(
        "routing_attribute_events" in warning and "skills-based routing" in warning for warning in warnings_of(output)
    )
