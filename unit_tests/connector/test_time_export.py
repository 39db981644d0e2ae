"""Time-based incremental exports (/incremental/{organizations,ticket_events,ticket_metric_events}).

Zendesk finishes a page's last second, but a page cut at the hard cap ends with end_time = that second, so the
next page repeats it. The properties below run the stream against an in-memory model of that protocol.
"""

from __future__ import annotations

import itertools
import logging

import pytest
import requests_mock
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from .fake_exports import TimeExport
from .support import (
    ALL,
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
    url,
)

PATH = url("incremental/ticket_events")
START = epoch("2024-01-01T00:00:00Z")
PROPERTY_SETTINGS = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def events_export(records, fill, cap) -> TimeExport:
    return TimeExport(records=records, list_key="ticket_events", cursor_field="timestamp", fill=fill, cap=cap)


def run_events(fake: TimeExport, state=None, config=None, page_size=None):
    with requests_mock.Mocker() as mocker:
        without_counts(mocker)
        mocker.get(PATH, text=fake)
        stream = make_stream("ticket_events", config=config, state=state)
        if page_size:  # the fake's page cap, as the stream would ask for it
            stream.page_size = page_size
        return run_stream(stream)


@st.composite
def exports(draw, max_per_second_above_cap: bool = False):
    cap = draw(st.integers(1, 5))
    fill = draw(st.integers(1, cap))
    gaps = draw(st.lists(st.integers(1, 4), min_size=0, max_size=10))
    sizes = draw(st.lists(st.integers(1, cap), min_size=len(gaps), max_size=len(gaps)))
    ids = itertools.count(1)
    records, ts = [], START + 10
    for gap, size in zip(gaps, sizes):
        ts += gap
        second = [next(ids) for _ in range(size)]
        records += [(i, ts) for i in draw(st.permutations(second))]
    return records, fill, cap


def test_boundary_duplicates_are_emitted_once(clock):
    # page 1 is cut by the cap inside second +101 (end_time = +101); page 2 repeats records 2 and 3.
    records = [(1, START + 100), (2, START + 101), (3, START + 101), (4, START + 101), (6, START + 102)]
    fake = events_export(records, fill=2, cap=3)
    emitted, states, items = run_events(fake)
    assert [r["id"] for r in emitted] == [1, 2, 3, 4, 6]
    assert fake.requests == [START, START + 101, START + 102]
    assert [s["timestamp"] for s in states] == [START + 101, START + 102, START + 102]


def test_first_request_uses_start_date_page_size_and_include(api):
    api.get(PATH, **ok({"ticket_events": [], "count": 0, "end_of_stream": True, "end_time": START}))
    run_stream(make_stream("ticket_events"))
    (request,) = api.request_history
    assert (param(request, "start_time"), param(request, "per_page"), param(request, "include")) == (
        str(START),
        "1000",
        "comment_events",
    )


def test_saved_state_is_the_next_start_time(api):
    api.get(PATH, **ok({"ticket_events": [], "count": 0, "end_of_stream": True, "end_time": START + 500}))
    _, states, _ = run_stream(make_stream("ticket_events", state={**ALL, "timestamp": START + 500}))
    assert param(api.request_history[0], "start_time") == str(START + 500)
    assert states == [{**ALL, "timestamp": START + 500}]


def test_more_records_in_one_second_than_a_page_moves_past_with_a_warning(caplog):
    records = [(i, START + 50) for i in range(1, 6)] + [(9, START + 51)]
    fake = events_export(records, fill=3, cap=3)
    with caplog.at_level(logging.WARNING, logger="airbyte"):
        emitted, states, _ = run_events(fake, page_size=3)
    assert [r["id"] for r in emitted] == [1, 2, 3, 9]  # Zendesk cannot serve records 4 and 5 through this export
    assert fake.requests == [START, START + 50, START + 51]
    assert states[-1]["timestamp"] == START + 51
    assert any("share second" in message for message in caplog.messages)


def test_start_time_too_recent_ends_the_stream_with_its_state(api):
    api.get(
        PATH,
        **ok(
            {
                "error": "StartTimeTooRecent",
                "description": "Too recent start_time. Use a start_time older than 1 minute.",
            },
            status=400,
        ),
    )
    emitted, states, _ = run_stream(make_stream("ticket_events", state={**ALL, "timestamp": START + 900}))
    assert emitted == [] and states == [{**ALL, "timestamp": START + 900}]


def test_legacy_422_too_recent_also_ends_the_stream(api):
    api.get(
        PATH,
        **ok(
            {"error": "InvalidValue", "description": "Too recent start_time. Use a start_time older than 5 minutes"},
            status=422,
        ),
    )
    emitted, states, _ = run_stream(make_stream("ticket_events"))
    assert emitted == [] and states == [{**ALL, "timestamp": START}]


def test_end_date_bounds_records_and_state():
    end = START + 200
    records = [(1, START + 100), (2, START + 199), (3, START + 200), (4, START + 201), (5, START + 300)]
    fake = events_export(records, fill=2, cap=2)
    config = make_config(end_date="2024-01-01T00:03:20Z")
    emitted, states, _ = run_events(fake, config=config)
    assert [r["id"] for r in emitted] == [1, 2, 3]
    assert all(s["timestamp"] <= end for s in states) and states[-1]["timestamp"] == end
    assert max(fake.requests) <= end


def test_a_sync_saved_at_end_date_reads_only_that_last_second_again():
    end = START + 200
    records = [(1, START + 100), (3, START + 200), (4, START + 201)]
    fake = events_export(records, fill=5, cap=5)
    config = make_config(end_date="2024-01-01T00:03:20Z")
    emitted, states, _ = run_events(fake, config=config, state={**ALL, "timestamp": end})
    assert fake.requests == [end]
    assert [r["id"] for r in emitted] == [3] and states == [{**ALL, "timestamp": end}]


def test_504_shrinks_the_time_export_page(api):
    gateway = {"text": "<html>504</html>", "status_code": 504, "headers": {"Content-Type": "text/html"}}
    api.get(
        PATH,
        [
            gateway,
            ok(
                {
                    "ticket_events": [{"id": 1, "timestamp": START + 1}],
                    "count": 1,
                    "end_of_stream": True,
                    "end_time": START + 1,
                }
            ),
        ],
    )
    emitted, _, _ = run_stream(make_stream("ticket_events"))
    assert [param(r, "per_page") for r in api.request_history] == ["1000", "500"]
    assert [r["id"] for r in emitted] == [1]


def test_504_at_the_smallest_page_is_retried_not_shrunk(api):
    gateway = {"text": "<html>504</html>", "status_code": 504, "headers": {"Content-Type": "text/html"}}
    api.get(PATH, [gateway, ok({"ticket_events": [], "count": 0, "end_of_stream": True, "end_time": START})])
    stream = make_stream("ticket_events")
    stream.page_size = 100
    run_stream(stream)
    assert [param(r, "per_page") for r in api.request_history] == ["100", "100"]


def test_ticket_comments_come_from_comment_child_events(api):
    event = {
        "id": 50,
        "ticket_id": 8,
        "timestamp": START + 5,
        "created_at": "2024-01-01T00:00:05Z",
        "child_events": [
            {"id": 51, "event_type": "Comment", "body": "hi", "public": True},
            {"id": 52, "event_type": "Change", "field_name": "status", "value": "open"},
            {"id": 53, "type": "VoiceComment", "created_at": "2024-01-01T00:00:04Z"},
        ],
    }
    api.get(PATH, **ok({"ticket_events": [event], "count": 1, "end_of_stream": True, "end_time": START + 5}))
    comments, states, _ = run_stream(make_stream("ticket_comments"))
    assert [c["id"] for c in comments] == [51, 53]
    assert comments[0]["ticket_id"] == 8 and comments[0]["audit_id"] == 50 and comments[0]["timestamp"] == START + 5
    assert comments[0]["created_at"] == "2024-01-01T00:00:05Z" and comments[1]["created_at"] == "2024-01-01T00:00:04Z"
    assert states == [{**ALL, "timestamp": START + 5}]


def test_iso_cursor_streams_keep_iso_state(api):
    api.get(
        url("incremental/organizations"),
        **ok(
            {
                "organizations": [{"id": 1, "updated_at": "2024-01-05T00:00:00Z"}],
                "count": 1,
                "end_of_stream": True,
                "end_time": epoch("2024-01-05T00:00:00Z"),
            }
        ),
    )
    _, states, _ = run_stream(make_stream("organizations"))
    assert states == [{"updated_at": "2024-01-05T00:00:00Z"}]


# --- properties -----------------------------------------------------------------------------------------------
@PROPERTY_SETTINGS
@given(exports())
def test_every_record_is_emitted_exactly_once(export):
    records, fill, cap = export
    emitted, _, _ = run_events(events_export(records, fill, cap))
    assert sorted(r["id"] for r in emitted) == sorted(i for i, _ in records)


@PROPERTY_SETTINGS
@given(exports())
def test_state_never_passes_an_unemitted_record(export):
    records, fill, cap = export
    _, _, items = run_events(events_export(records, fill, cap))
    emitted, previous = set(), START
    for kind, value in items:
        if kind == "RECORD":
            emitted.add(value["id"])
        elif kind == "STATE":
            resume = value["timestamp"]
            assert resume >= previous, "state went backwards"
            previous = resume
            # Resuming from here re-reads everything at or after `resume`; all that is before must be out already.
            assert {i for i, ts in records if ts < resume} <= emitted


@PROPERTY_SETTINGS
@given(exports(), st.data())
def test_a_read_killed_after_any_state_and_resumed_ends_with_every_record(export, data):
    records, fill, cap = export
    _, _, items = run_events(events_export(records, fill, cap))
    state_positions = [n for n, (kind, _) in enumerate(items) if kind == "STATE"]
    kill_at = data.draw(st.sampled_from(state_positions))
    before_kill = {value["id"] for kind, value in items[: kill_at + 1] if kind == "RECORD"}
    resumed, _, _ = run_events(events_export(records, fill, cap), state=items[kill_at][1])
    assert before_kill | {r["id"] for r in resumed} == {i for i, _ in records}


@PROPERTY_SETTINGS
@given(exports(), st.integers(0, 60))
def test_end_date_property(export, end_offset):
    records, fill, cap = export
    end = START + 10 + end_offset
    config = make_config(end_date=f"2024-01-01T00:{(10 + end_offset) // 60:02d}:{(10 + end_offset) % 60:02d}Z")
    emitted, states, _ = run_events(events_export(records, fill, cap), config=config)
    assert sorted(r["id"] for r in emitted) == sorted(i for i, ts in records if ts <= end)
    assert all(s["timestamp"] <= end for s in states)


# --- through the source ------------------------------------------------------------------------------------------
def test_through_the_source_states_follow_their_records_and_resume_loses_nothing(api):
    records = [(1, START + 100), (2, START + 101), (3, START + 101), (4, START + 101), (6, START + 102)]
    api.get(PATH, text=events_export(records, fill=2, cap=3))
    output = read_streams(["ticket_events"])
    assert sorted(r["id"] for r in records_of(output)) == [1, 2, 3, 4, 6]
    messages = list(output.records_and_state_messages)
    seen, kill_points = set(), []
    for message in messages:
        if message.record:
            seen.add(message.record.data["id"])
        else:
            kill_points.append((set(seen), dict(message.state.stream.stream_state.__dict__)))
    assert kill_points
    for emitted_before, state in kill_points:
        resumed = read_streams(["ticket_events"], state={"ticket_events": state})
        assert emitted_before | {r["id"] for r in records_of(resumed)} == {1, 2, 3, 4, 6}
    assert states_of(output)[-1] == {**ALL, "timestamp": START + 102}


# --- Help Center's article export: every page ends at its last record's second ------------------------------------
from .fake_exports import ArticleExport  # noqa: E402


@st.composite
def article_exports(draw):
    cap = draw(st.integers(2, 5))
    ids, records, ts = itertools.count(1), [], START + 10
    for size in draw(st.lists(st.integers(1, cap - 1), max_size=8)):
        ts += draw(st.integers(1, 3))
        records += [(next(ids), ts) for _ in range(size)]
    return records, cap


def run_articles(fake, state=None):
    with requests_mock.Mocker() as mocker:
        without_counts(mocker)
        mocker.get(url("help_center/incremental/articles"), text=fake)
        return run_stream(make_stream("articles", state=state))


@PROPERTY_SETTINGS
@given(article_exports(), st.data())
def test_article_export_exactly_once_and_resume_after_any_state(export, data):
    records, cap = export
    emitted, _, items = run_articles(ArticleExport(records, cap))
    assert sorted(r["id"] for r in emitted) == [i for i, _ in records]
    positions = [n for n, (kind, _) in enumerate(items) if kind == "STATE"]
    kill_at = data.draw(st.sampled_from(positions))
    before = {value["id"] for kind, value in items[: kill_at + 1] if kind == "RECORD"}
    resumed, _, _ = run_articles(ArticleExport(records, cap), state=items[kill_at][1])
    assert before | {r["id"] for r in resumed} == {i for i, _ in records}


def test_article_export_ends_without_a_warning(caplog):
    records = [(1, START + 20), (2, START + 20), (3, START + 25)]
    with caplog.at_level(logging.WARNING, logger="airbyte"):
        emitted, states, _ = run_articles(ArticleExport(records, cap=2))
    assert [r["id"] for r in emitted] == [1, 2, 3]
    assert not [m for m in caplog.messages if "share second" in m]


@PROPERTY_SETTINGS
@given(exports(), st.lists(st.integers(1, 3), min_size=1, max_size=6))
def test_a_second_sync_reads_the_new_records_and_at_most_the_last_second_again(export, new_gaps):
    records, fill, cap = export
    _, states, _ = run_events(events_export(records, fill, cap))
    last = max((ts for _, ts in records), default=START)
    added, ts, next_id = [], last, 10_000
    for gap in new_gaps:
        ts += gap
        added.append((next_id, ts))
        next_id += 1
    second, _, _ = run_events(events_export(records + added, fill, cap), state=states[-1])
    ids = [r["id"] for r in second]
    assert {i for i, _ in added} <= set(ids)
    assert len(ids) == len(set(ids))
    repeated = {i for i in ids if i < 10_000}
    assert repeated <= {i for i, t in records if t == last}, "only the last second of the first sync may be read again"


# --- Talk's call export: next_page is never null; end_time is the last call's second, repeated on the next page ---
class TalkCalls:
    def __init__(self, records, cap):
        self.records, self.cap, self.requests = records, cap, []

    def __call__(self, request, context):
        import json as _json

        from source_zendesk_support.foundation.clock import to_iso

        context.headers["Content-Type"] = "application/json"
        start = int(request.qs["start_time"][0])
        self.requests.append(start)
        taken = [(i, ts) for i, ts in self.records if ts >= start][: self.cap]
        end_time = taken[-1][1] if taken else start
        return _json.dumps(
            {
                "calls": [{"id": i, "updated_at": to_iso(ts)} for i, ts in taken],
                "count": len(taken),
                "end_time": end_time,
                "next_page": f"{request.url.split('?')[0]}?start_time={end_time}",
            }
        )


def _read_talk_calls(api, caplog):
    records = [(1, START + 10), (2, START + 11), (3, START + 11), (4, START + 12)]
    fake = TalkCalls(records, cap=2)
    api.get(url("channels/voice/stats/incremental/calls"), text=fake)
    with caplog.at_level(logging.WARNING, logger="airbyte"):
        emitted, _, _ = run_stream(make_stream("calls"))
    return emitted, fake


def test_talk_calls_are_read_once_although_next_page_is_never_null(api, caplog):
    emitted, fake = _read_talk_calls(api, caplog)
    assert sorted(r["id"] for r in emitted) == [1, 2, 3, 4]
    assert len(fake.requests) <= 6


def test_talk_calls_end_without_a_spurious_warning(api, caplog):
    _read_talk_calls(api, caplog)
    assert not [m for m in caplog.messages if "share second" in m], caplog.messages


def test_ids_sent_as_strings_on_one_page_and_numbers_on_the_next_are_one_record_each(api):
    """Zendesk repeats a cut page's last second on the next page; the repeat is dropped whatever the ids' JSON type."""
    first = {
        "ticket_events": [{"id": "1", "timestamp": START + 1}, {"id": "2", "timestamp": START + 2}],
        "end_time": START + 2,
        "end_of_stream": False,
        "next_page": None,
    }
    second = {
        "ticket_events": [{"id": 2, "timestamp": START + 2}, {"id": 3, "timestamp": START + 3}],
        "end_time": START + 3,
        "end_of_stream": True,
        "next_page": None,
    }
    api.get(PATH, [ok(first), ok(second)])
    emitted, _, _ = run_stream(make_stream("ticket_events"))
    assert [int(record["id"]) for record in emitted] == [1, 2, 3]


@pytest.mark.parametrize("end_time", [9 * 10**18, -5, "soon", 1e300])
def test_an_end_time_that_is_no_time_fails_the_stream_naming_it(api, end_time):
    from airbyte_cdk.utils.traced_exception import AirbyteTracedException

    api.get(
        PATH,
        **ok(
            {
                "ticket_events": [{"id": 1, "timestamp": START + 1}],
                "end_time": end_time,
                "end_of_stream": False,
                "next_page": None,
            }
        ),
    )
    with pytest.raises(AirbyteTracedException) as failed:
        run_stream(make_stream("ticket_events"))
    assert failed.value.message.startswith("Stream ticket_events: Zendesk sent end_time ")
