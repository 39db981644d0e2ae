"""Row estimates from Zendesk's count endpoints: the registry row names the count; one request per count per sync."""

from __future__ import annotations

import requests

from source_zendesk_support.foundation.clock import to_iso

from .support import (
    epoch,
    estimates_of,
    make_config,
    make_stream,
    ok,
    read_streams,
    records_of,
    run_stream,
    url,
    warnings_of,
)

START = epoch("2024-01-01T00:00:00Z")
TICKETS = url("incremental/tickets/cursor")
EVENTS = url("incremental/ticket_events")


def count(value):
    return ok({"count": {"value": value, "refreshed_at": "2026-06-01T00:00:00+00:00"}})


def tickets_page(*ids):
    tickets = [
        {
            "id": i,
            "generated_timestamp": START + i,
            "updated_at": "2024-01-02T00:00:00Z",
            "status": "open",
            "metric_set": {"id": 100 + i, "ticket_id": i},
        }
        for i in ids
    ]
    return ok({"tickets": tickets, "after_cursor": "c1", "end_of_stream": True})


def test_tickets_and_ticket_metrics_share_one_count_request_and_estimate_before_their_records(api):
    counted = api.get(url("tickets/count"), **count(1234))
    api.get(TICKETS, **tickets_page(1, 2))
    output = read_streams(["tickets", "ticket_metrics"])
    assert sorted((e.name, e.row_estimate) for e in estimates_of(output)) == [
        ("ticket_metrics", 1234),
        ("tickets", 1234),
    ]
    assert counted.call_count == 1
    assert len(records_of(output, "tickets")) == 2


def test_the_estimate_comes_before_the_first_record(api):
    api.get(url("users/count"), **count(7))
    api.get(
        url("incremental/users/cursor"),
        **ok(
            {
                "users": [{"id": 1, "updated_at": "2024-01-02T00:00:00Z", "active": True}],
                "identities": [],
                "after_cursor": "c1",
                "end_of_stream": True,
            }
        ),
    )
    _, _, items = run_stream(make_stream("users"))
    kinds = [kind for kind, _ in items]
    assert kinds.index("TRACE") < kinds.index("RECORD")
    assert items[kinds.index("TRACE")][1].trace.estimate.row_estimate == 7


def test_events_scale_the_ticket_count_by_events_per_ticket_on_the_first_page(api):
    api.get(url("tickets/count"), **count(10))
    events = [
        {"id": n, "ticket_id": ticket, "timestamp": START + n, "child_events": []}
        for n, ticket in enumerate([1, 1, 1, 2, 2, 2], start=1)
    ]
    api.get(EVENTS, **ok({"ticket_events": events, "end_of_stream": True, "end_time": START + 7, "count": 6}))
    output = read_streams(["ticket_events"])
    assert [(e.name, e.row_estimate) for e in estimates_of(output)] == [("ticket_events", 30)]  # 10 tickets x 3 events


def test_a_plan_without_the_count_gives_no_estimate_and_says_nothing(api):
    api.get(url("organizations/count"), status_code=403, json={"error": "Forbidden"})
    api.get(
        url("incremental/organizations"),
        **ok(
            {
                "organizations": [{"id": 1, "updated_at": "2024-01-02T00:00:00Z"}],
                "end_of_stream": True,
                "end_time": START + 5,
                "count": 1,
            }
        ),
    )
    output = read_streams(["organizations"])
    assert not estimates_of(output) and len(records_of(output, "organizations")) == 1
    assert not [w for w in warnings_of(output) if "estimate" in w]


def test_a_count_of_the_wrong_shape_gives_no_estimate_and_a_warning_naming_it(api):
    api.get(url("tickets/count"), **ok({"count": "lots"}))
    api.get(TICKETS, **tickets_page(1))
    output = read_streams(["tickets"])
    assert not estimates_of(output) and len(records_of(output, "tickets")) == 1
    assert any("tickets/count" in w and "lots" in w for w in warnings_of(output))


def test_a_resumed_read_asks_no_count(api):
    counted = api.get(url("tickets/count"), **count(5))
    api.get(TICKETS, **tickets_page(3))
    output = read_streams(["tickets"], state={"tickets": {"after_cursor": "c0", "generated_timestamp": START}})
    assert counted.call_count == 0 and not estimates_of(output)


def list_page(key, ids, more):
    return ok(
        {
            key: [{"id": i, "updated_at": "2024-01-02T00:00:00Z"} for i in ids],
            "meta": {"has_more": more, "after_cursor": f"a{ids[-1]}" if ids else None},
            "links": {"next": None},
        }
    )


def test_a_cursor_list_that_fits_one_page_asks_no_count(api):
    api.get(url("macros"), **list_page("macros", [1, 2], more=False))
    counted = api.get(url("macros?per_page=1"), **ok({"macros": [], "count": 9}))
    output = read_streams(["macros"])
    assert counted.call_count == 0 and not estimates_of(output)
    assert len(records_of(output, "macros")) == 2


def test_a_cursor_list_of_several_pages_estimates_from_its_offset_count_before_the_first_record(api):
    api.get(url("macros"), [list_page("macros", [1, 2], more=True), list_page("macros", [3], more=False)])
    counted = api.get(url("macros?per_page=1"), **ok({"macros": [{"id": 1}], "count": 3}))
    _, _, items = run_stream(make_stream("macros"))
    kinds = [kind for kind, _ in items]
    assert counted.call_count == 1 and kinds.index("TRACE") < kinds.index("RECORD")
    assert items[kinds.index("TRACE")][1].trace.estimate.row_estimate == 3


def calls_page(first_id, count, end_time):
    calls = [{"id": first_id + n, "updated_at": to_iso(end_time)} for n in range(count)]
    return ok(
        {
            "calls": calls,
            "count": count,
            "end_time": end_time,
            "next_page": url(f"channels/voice/stats/incremental/calls?start_time={end_time}"),
        }
    )


def test_talk_calls_project_their_total_from_the_time_their_pages_covered_and_send_it_again_when_it_moves(api):
    # The read spans 1,000 s (start_date to end_date). 10 calls in its first 100 s project 100; 20 in 200 s still
    # 100 (not sent again); 70 in 300 s project 233.
    api.get(
        url("channels/voice/stats/incremental/calls"),
        [
            calls_page(1, 10, START + 100),
            calls_page(11, 10, START + 200),
            calls_page(21, 50, START + 300),
            calls_page(71, 0, START + 300),
        ],
    )
    config = make_config(end_date=to_iso(START + 1000))
    output = read_streams(["calls"], config=config)
    assert [(e.name, e.row_estimate) for e in estimates_of(output)] == [("calls", 100), ("calls", 233)]
    assert len(records_of(output, "calls")) == 70


def test_a_count_zendesk_cannot_answer_is_asked_once_and_the_read_goes_on(api):
    counted = api.get(url("tickets/count"), status_code=503, text="Service Unavailable")
    api.get(TICKETS, **tickets_page(1, 2))
    output = read_streams(["tickets"])
    assert counted.call_count == 1 and not estimates_of(output)
    assert len(records_of(output, "tickets")) == 2
    assert any("tickets/count" in w and "not retried" in w for w in warnings_of(output))


def test_a_count_whose_host_does_not_answer_is_asked_once(api):
    api.get(url("macros"), [list_page("macros", [1, 2], more=True), list_page("macros", [3], more=False)])
    counted = api.get(url("macros?per_page=1"), exc=requests.exceptions.ConnectionError("connection refused"))
    output = read_streams(["macros"])
    assert counted.call_count == 1 and not estimates_of(output)
    assert len(records_of(output, "macros")) == 3


def test_children_of_a_listed_parent_list_scale_the_parents_listed_and_ask_no_count(api):
    macros = [{"id": n, "title": f"Macro {n}", "updated_at": "2024-02-01T00:00:00Z"} for n in (1, 2, 3, 4)]
    api.get(url("macros"), **ok({"macros": macros, "meta": {"has_more": False}, "links": {"next": None}}))
    for n, attached in ((1, 2), (2, 0), (3, 1), (4, 1)):
        files = [{"id": n * 10 + j, "filename": "a.pdf", "created_at": "2024-02-01T00:00:00Z"} for j in range(attached)]
        api.get(url(f"macros/{n}/attachments"), **ok({"macro_attachments": files}))
    output = read_streams(["macro_attachments"])
    assert [(e.name, e.row_estimate) for e in estimates_of(output)] == [("macro_attachments", 4)]
    assert len(records_of(output, "macro_attachments")) == 4
    assert not [r for r in api.request_history if "count" in r.path or r.qs.get("per_page")]


def test_a_resumed_read_of_listed_parents_sends_no_estimate(api):
    api.get(
        url("macros"), **ok({"macros": [{"id": 1, "updated_at": "2024-02-01T00:00:00Z"}], "meta": {"has_more": False}})
    )
    api.get(url("macros/1/attachments"), **ok({"macro_attachments": [{"id": 9, "created_at": "2024-02-01T00:00:00Z"}]}))
    _, _, items = run_stream(make_stream("macro_attachments", state={"parent_start": START}))
    assert "TRACE" not in [kind for kind, _ in items]
