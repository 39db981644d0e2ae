"""Cursor-based incremental exports (/incremental/{tickets,users}/cursor): after_cursor is followed exactly."""

from __future__ import annotations

from airbyte_cdk.models import AirbyteStreamStatus

from .support import (
    ALL,
    data_requests,
    without_counts,
    epoch,
    make_config,
    make_stream,
    ok,
    param,
    read_streams,
    records_of,
    run_stream,
    states_of,
    statuses_of,
    url,
)

EXPORT = url("incremental/tickets/cursor")
START = epoch("2024-01-01T00:00:00Z")


def ticket(ticket_id: int, ts: int, **extra):
    return {"id": ticket_id, "generated_timestamp": ts, "updated_at": "2024-01-02T00:00:00Z", "status": "open", **extra}


def page(tickets, after="c1", end=False, **extra):
    return ok({"tickets": tickets, "after_cursor": after, "end_of_stream": end, **extra})


def test_first_sync_starts_at_start_date_follows_after_cursor_and_checkpoints_per_page(api):
    api.get(
        EXPORT,
        [
            page([ticket(1, START + 10), ticket(2, START + 20)], after="c1"),
            page([ticket(3, START + 20)], after="c2", end=True),
        ],
    )
    records, states, items = run_stream(make_stream("tickets"))
    first, second = data_requests(api)
    assert param(first, "start_time") == str(START) and param(first, "cursor") is None
    assert param(first, "per_page") == "1000" and param(first, "include") == "metric_sets"
    assert param(second, "cursor") == "c1" and param(second, "start_time") is None
    assert [r["id"] for r in records] == [1, 2, 3]
    assert states == [
        {**ALL, "after_cursor": "c1", "generated_timestamp": START + 20},
        {**ALL, "after_cursor": "c2", "generated_timestamp": START + 20},
    ]
    # Each STATE follows the records it covers.
    assert [kind for kind, _ in items] == ["RECORD", "RECORD", "STATE", "RECORD", "STATE"]


def test_saved_after_cursor_is_used_instead_of_a_start_time(api):
    api.get(EXPORT, [page([], after="c9", end=True)])
    records, states, _ = run_stream(
        make_stream("tickets", state={**ALL, "after_cursor": "c8", "generated_timestamp": START + 99})
    )
    (request,) = api.request_history
    assert param(request, "cursor") == "c8" and param(request, "start_time") is None
    assert records == []
    assert states[-1] == {**ALL, "after_cursor": "c9", "generated_timestamp": START + 99}


def test_invalid_saved_cursor_falls_back_to_the_saved_time(api):
    api.get(
        EXPORT,
        [
            ok({"error": "InvalidCursor", "description": "cursor is not valid"}, status=400),
            page([ticket(5, START + 500)], after="c1", end=True),
        ],
    )
    stream = make_stream("tickets", state={**ALL, "after_cursor": "garbage", "generated_timestamp": START + 400})
    records, states, _ = run_stream(stream)
    first, second = api.request_history
    assert param(first, "cursor") == "garbage"
    assert param(second, "start_time") == str(START + 400) and param(second, "cursor") is None
    assert [r["id"] for r in records] == [5]
    assert states[-1] == {**ALL, "after_cursor": "c1", "generated_timestamp": START + 500}


def test_end_date_stops_the_export_and_drops_the_cursor(api):
    end = epoch("2024-02-01T00:00:00Z")
    api.get(EXPORT, [page([ticket(1, end - 5), ticket(2, end), ticket(3, end + 1), ticket(4, end + 50)], after="c1")])
    config = make_config(end_date="2024-02-01T00:00:00Z")
    records, states, _ = run_stream(make_stream("tickets", config=config, state={**ALL, "after_cursor": "c0"}))
    assert [r["id"] for r in records] == [1, 2]
    assert len(api.request_history) == 1  # nothing past end_date is asked for
    # A bounded backfill resumes from the time, never from a cursor past end_date.
    assert states == [{**ALL, "generated_timestamp": end}]


def test_504_on_a_big_page_asks_again_with_a_smaller_page(api):
    api.get(
        EXPORT,
        [
            {"text": "<html>Gateway Timeout</html>", "status_code": 504, "headers": {"Content-Type": "text/html"}},
            {"text": "<html>Gateway Timeout</html>", "status_code": 504, "headers": {"Content-Type": "text/html"}},
            page([ticket(1, START + 1)], after="c1", end=True),
        ],
    )
    records, states, _ = run_stream(make_stream("tickets"))
    assert [param(r, "per_page") for r in data_requests(api)] == ["1000", "500", "250"]
    assert [r["id"] for r in records] == [1]


def test_start_time_too_recent_ends_quietly_with_a_state(api):
    api.get(
        EXPORT,
        [
            ok(
                {
                    "error": "StartTimeTooRecent",
                    "description": "Too recent start_time. Use a start_time older than 1 minute.",
                },
                status=400,
            )
        ],
    )
    records, states, _ = run_stream(make_stream("tickets", state={**ALL, "generated_timestamp": START + 7}))
    assert records == []
    assert states == [{**ALL, "generated_timestamp": START + 7}]


def test_empty_page_without_end_of_stream_keeps_following(api):
    api.get(EXPORT, [page([], after="c1"), page([ticket(1, START + 3)], after="c2", end=True)])
    records, states, _ = run_stream(make_stream("tickets"))
    assert [r["id"] for r in records] == [1]
    assert states == [{**ALL, "after_cursor": "c1"}, {**ALL, "after_cursor": "c2", "generated_timestamp": START + 3}]


def test_other_error_fails_the_stream(api):
    api.get(EXPORT, [ok({"error": "InvalidValue"}, status=422)])
    stream = make_stream("tickets")
    try:
        run_stream(stream)
    except Exception as error:  # AirbyteTracedException
        assert "incremental export failed" in str(error)
    else:
        raise AssertionError("a 422 that is not StartTimeTooRecent must fail the stream")


def test_tickets_and_ticket_metrics_share_the_export_pages(api):
    metric = {"id": 70, "ticket_id": 1, "replies": 2}
    api.get(EXPORT, [page([ticket(1, START + 1, metric_set=metric), ticket(2, START + 2)], after="c1", end=True)] * 2)
    tickets, _, _ = run_stream(make_stream("tickets"))
    metrics, states, _ = run_stream(make_stream("ticket_metrics"))
    assert all("metric_set" not in t for t in tickets) and [t["id"] for t in tickets] == [1, 2]
    assert metrics == [{**metric, "generated_timestamp": START + 1}]
    assert states[-1] == {**ALL, "after_cursor": "c1", "generated_timestamp": START + 2}


def test_users_and_identities_from_one_export(api):
    users_export = url("incremental/users/cursor")
    identity = {"id": 9, "user_id": 1, "type": "email", "updated_at": "2024-01-03T00:00:00Z"}
    api.get(
        users_export,
        **ok(
            {
                "users": [{"id": 1, "updated_at": "2024-01-03T00:00:00Z"}],
                "identities": [identity],
                "after_cursor": "u1",
                "end_of_stream": True,
            }
        ),
    )
    users, user_states, _ = run_stream(make_stream("users"))
    identities, identity_states, _ = run_stream(make_stream("user_identities"))
    assert [u["id"] for u in users] == [1] and identities == [identity]
    assert param(data_requests(api)[0], "include") == "identities"
    assert user_states[-1] == {"after_cursor": "u1", "updated_at": "2024-01-03T00:00:00Z"}


def test_full_refresh_ignores_saved_state(api):
    api.get(EXPORT, [page([ticket(1, START + 1)], after="c1", end=True)])
    run_stream(
        make_stream("tickets", state={"after_cursor": "old", "generated_timestamp": START + 100}, incremental=False)
    )
    assert param(data_requests(api)[0], "start_time") == str(START)


def test_through_the_source_incremental_resume_from_saved_cursor(api):
    api.get(
        url("ticket_fields"), [ok({"ticket_fields": [], "meta": {"has_more": False}})]
    )  # typed custom-field columns
    api.get(EXPORT, [page([ticket(7, START + 70)], after="c2", end=True)])
    output = read_streams(
        ["tickets"], state={"tickets": {**ALL, "after_cursor": "c1", "generated_timestamp": START + 60}}
    )
    exports = [r for r in api.request_history if r.path.endswith("/incremental/tickets/cursor")]
    assert len(exports) == 1 and param(exports[0], "cursor") == "c1"
    assert [r["id"] for r in records_of(output)] == [7]
    assert states_of(output)[-1] == {**ALL, "after_cursor": "c2", "generated_timestamp": START + 70}
    assert statuses_of(output, "tickets")[-1] == AirbyteStreamStatus.COMPLETE
    assert not output.errors


# --- properties against an in-memory (timestamp, id) keyset export ---------------------------------------------
import itertools  # noqa: E402

import requests_mock  # noqa: E402
from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from .fake_exports import CursorExport  # noqa: E402

PROPERTY_SETTINGS = settings(
    max_examples=50, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@st.composite
def cursor_exports(draw):
    page = draw(st.integers(1, 4))
    sizes = draw(st.lists(st.integers(1, 6), max_size=8))
    ids, records, ts = itertools.count(1), [], START + 5
    for size in sizes:
        ts += draw(st.integers(1, 3))
        records += [(next(ids), ts) for _ in range(size)]
    return records, page


def run_tickets(fake, state=None):
    with requests_mock.Mocker() as mocker:
        without_counts(mocker)
        mocker.get(EXPORT, text=fake)
        return run_stream(make_stream("tickets", state=state))


@PROPERTY_SETTINGS
@given(cursor_exports(), st.data())
def test_cursor_export_exactly_once_and_resume_after_any_state(export, data):
    records, page_size = export
    make = lambda: CursorExport(records, "tickets", "generated_timestamp", page_size)  # noqa: E731
    emitted, states, items = run_tickets(make())
    assert sorted(r["id"] for r in emitted) == [i for i, _ in records]
    state_positions = [n for n, (kind, _) in enumerate(items) if kind == "STATE"]
    kill_at = data.draw(st.sampled_from(state_positions))
    before = [value["id"] for kind, value in items[: kill_at + 1] if kind == "RECORD"]
    fake = make()
    resumed, _, _ = run_tickets(fake, state=items[kill_at][1])
    # Following the saved after_cursor: nothing lost and, unlike a recomputed start time, nothing repeated.
    assert sorted(before + [r["id"] for r in resumed]) == [i for i, _ in records]
    if "after_cursor" in items[kill_at][1]:
        assert "start_time" not in fake.requests[0]


def test_an_empty_page_that_does_not_move_the_cursor_ends_the_read(api):
    """Zendesk may answer an empty page with end_of_stream false (records held back); if the cursor does not
    move either, asking again can only spin: the read ends with the cursor saved for the next sync."""
    calls = []

    def same_cursor(request, context):
        calls.append(request.url)
        context.headers["Content-Type"] = "application/json"
        if len(calls) > 20:
            raise AssertionError("the export kept asking for the same empty page")
        return '{"tickets": [], "after_cursor": "c5", "end_of_stream": false}'

    api.get(EXPORT, text=same_cursor)
    records, states, _ = run_stream(
        make_stream("tickets", state={**ALL, "after_cursor": "c5", "generated_timestamp": START + 5})
    )
    assert records == [] and len(calls) <= 2
    assert states[-1] == {**ALL, "after_cursor": "c5", "generated_timestamp": START + 5}


@PROPERTY_SETTINGS
@given(cursor_exports(), st.lists(st.integers(0, 3), min_size=1, max_size=6))
def test_cursor_export_second_sync_reads_exactly_the_new_records(export, new_gaps):
    records, page_size = export
    _, states, _ = run_tickets(CursorExport(records, "tickets", "generated_timestamp", page_size))
    ts = max((t for _, t in records), default=START + 5)
    added = []
    for n, gap in enumerate(new_gaps):
        ts += gap  # a gap of 0: a new record in the same second as the last one already read
        added.append((10_000 + n, ts))
    second, _, _ = run_tickets(
        CursorExport(records + added, "tickets", "generated_timestamp", page_size), state=states[-1]
    )
    assert sorted(r["id"] for r in second) == [i for i, _ in added]
