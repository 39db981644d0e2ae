"""Whole reads through the entrypoint: several streams at once, shared export pages, checkpoints, statuses."""

from __future__ import annotations

import itertools

import pytest
import requests_mock
from airbyte_cdk.models import AirbyteStreamStatus, SyncMode
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from .fake_exports import CursorExport
from .support import (
    ALL,
    without_counts,
    BASE as BASE_URL,
    epoch,
    make_config,
    ok,
    param,
    read_streams,
    records_of,
    states_of,
    statuses_of,
    url,
)

START = epoch("2024-01-01T00:00:00Z")
TICKETS = url("incremental/tickets/cursor")


def cbp(key, records, after=None, has_more=False):
    return ok({key: records, "meta": {"has_more": has_more, "after_cursor": after}, "links": {"next": None}})


def export_requests(api):
    return [r for r in api.request_history if r.path.endswith("/incremental/tickets/cursor")]


@pytest.fixture(autouse=True)
def no_custom_fields(api):
    """tickets reads the ticket fields for its typed custom-field columns; none here."""
    api.get(url("ticket_fields"), [cbp("ticket_fields", [])])


def test_tickets_and_ticket_metrics_read_each_export_page_once(api):
    api.get(
        TICKETS,
        [
            ok(
                {
                    "tickets": [{"id": 1, "generated_timestamp": START + 1, "metric_set": {"id": 11, "ticket_id": 1}}],
                    "after_cursor": "c1",
                    "end_of_stream": False,
                }
            ),
            ok(
                {
                    "tickets": [{"id": 2, "generated_timestamp": START + 2, "metric_set": {"id": 12, "ticket_id": 2}}],
                    "after_cursor": "c2",
                    "end_of_stream": True,
                }
            ),
        ],
    )
    output = read_streams(["tickets", "ticket_metrics"])
    assert not output.errors
    assert len(export_requests(api)) == 2  # Zendesk allows 10 export requests a minute: one fetch serves both streams
    assert [r["id"] for r in records_of(output, "tickets")] == [1, 2]
    assert [r["id"] for r in records_of(output, "ticket_metrics")] == [11, 12]
    for stream in ("tickets", "ticket_metrics"):
        assert states_of(output, stream)[-1] == {**ALL, "after_cursor": "c2", "generated_timestamp": START + 2}
        assert statuses_of(output, stream)[-1] == AirbyteStreamStatus.COMPLETE


def test_streams_reading_the_same_export_from_different_points_fetch_their_own_pages(api):
    api.get(
        TICKETS,
        [ok({"tickets": [{"id": 3, "generated_timestamp": START + 3}], "after_cursor": "c9", "end_of_stream": True})]
        * 2,
    )
    output = read_streams(["tickets", "ticket_metrics"], state={"tickets": {**ALL, "after_cursor": "c8"}})
    assert sorted(param(r, "cursor") or "start" for r in export_requests(api)) == ["c8", "start"]
    assert [r["id"] for r in records_of(output, "tickets")] == [3]


@pytest.mark.parametrize("workers", [1, 2, 5])
def test_many_streams_complete_with_any_number_of_workers(api, workers):
    names = ["groups", "macros", "triggers", "automations", "views", "brands"]
    for name in names:
        api.get(
            url(name),
            [
                cbp(name, [{"id": 1, "updated_at": "2024-01-05T00:00:00Z"}], after="x", has_more=True),
                cbp(name, [{"id": 2, "updated_at": "2024-01-06T00:00:00Z"}]),
            ],
        )
    output = read_streams(names, config=make_config(num_workers=workers))
    assert not output.errors
    for name in names:
        assert [r["id"] for r in records_of(output, name)] == [1, 2]
        assert statuses_of(output, name)[-1] == AirbyteStreamStatus.COMPLETE
        assert states_of(output, name)[-1] == {"updated_at": "2024-01-06T00:00:00Z"}


def test_every_incremental_stream_emits_a_state_even_without_records(api):
    api.get(url("groups"), [cbp("groups", [])])
    api.get(
        url("incremental/organizations"),
        [ok({"organizations": [], "count": 0, "end_of_stream": True, "end_time": START})],
    )
    output = read_streams(["groups", "organizations"], state={"groups": {"updated_at": "2024-03-01T00:00:00Z"}})
    assert states_of(output, "groups") == [{"updated_at": "2024-03-01T00:00:00Z"}]
    assert states_of(output, "organizations") == [{"updated_at": "2024-01-01T00:00:00Z"}]


def test_full_refresh_read_ignores_state_and_filters_nothing(api):
    api.get(url("groups"), [cbp("groups", [{"id": 1, "updated_at": "2020-01-01T00:00:00Z"}])])
    output = read_streams(
        ["groups"], state={"groups": {"updated_at": "2024-03-01T00:00:00Z"}}, sync_mode=SyncMode.full_refresh
    )
    assert [r["id"] for r in records_of(output)] == [1]
    assert statuses_of(output, "groups")[-1] == AirbyteStreamStatus.COMPLETE


def test_a_failing_stream_does_not_stop_the_others(api):
    api.get(url("groups"), [cbp("groups", [{"id": 1, "updated_at": "2024-01-05T00:00:00Z"}])])
    api.get(url("macros"), [ok({"error": "boom"}, status=418)])
    output = read_streams(["groups", "macros"], expect_failure=True)
    assert [r["id"] for r in records_of(output, "groups")] == [1]
    assert statuses_of(output, "groups")[-1] == AirbyteStreamStatus.COMPLETE
    assert statuses_of(output, "macros")[-1] == AirbyteStreamStatus.INCOMPLETE
    assert output.errors


@st.composite
def ticket_exports(draw):
    page = draw(st.integers(1, 3))
    ids, records, ts = itertools.count(1), [], START + 5
    for size in draw(st.lists(st.integers(1, 4), min_size=1, max_size=5)):
        ts += draw(st.integers(1, 2))
        records += [(next(ids), ts) for _ in range(size)]
    return records, page


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(ticket_exports(), st.data())
def test_through_the_source_a_sync_killed_after_any_state_resumes_without_loss(export, data):
    records, page = export
    with requests_mock.Mocker() as mocker:
        without_counts(mocker)
        mocker.get(url("ticket_fields"), [cbp("ticket_fields", [])])
        mocker.get(TICKETS, text=CursorExport(records, "tickets", "generated_timestamp", page))
        output = read_streams(["tickets"])
    seen, points = [], []
    for message in output.records_and_state_messages:
        if message.record:
            seen.append(message.record.data["id"])
        else:
            points.append((list(seen), dict(message.state.stream.stream_state.__dict__)))
    assert sorted(seen) == [i for i, _ in records]
    before, state = data.draw(st.sampled_from(points))
    with requests_mock.Mocker() as mocker:
        without_counts(mocker)
        mocker.get(url("ticket_fields"), [cbp("ticket_fields", [])])
        mocker.get(TICKETS, text=CursorExport(records, "tickets", "generated_timestamp", page))
        resumed = read_streams(["tickets"], state={"tickets": state})
    assert sorted(before + [r["id"] for r in records_of(resumed)]) == [i for i, _ in records]


@pytest.mark.parametrize("workers", [1, 3])
def test_shared_export_pages_with_more_pages_than_are_kept_waiting(api, workers):
    """Twelve pages, a worker or three: each stream gets every record whether it shares a page or fetches its own."""
    records = [(i, START + i) for i in range(1, 13)]
    api.get(TICKETS, text=CursorExport(records, "tickets", "generated_timestamp", page=1))
    output = read_streams(["tickets", "ticket_metrics"], config=make_config(num_workers=workers))
    assert not output.errors
    assert [r["id"] for r in records_of(output, "tickets")] == list(range(1, 13))
    assert records_of(output, "ticket_metrics") == []  # the fake sends no metric sets
    assert 12 <= len(export_requests(api)) <= 24  # 12 pages: each fetched once when shared, at most twice


def test_ticket_events_and_comments_share_the_event_export(api):
    path = url("incremental/ticket_events")
    event = {
        "id": 1,
        "ticket_id": 2,
        "timestamp": START + 5,
        "child_events": [{"id": 3, "event_type": "Comment", "body": "x"}],
    }
    api.get(path, [ok({"ticket_events": [event], "count": 1, "end_of_stream": True, "end_time": START + 5})])
    output = read_streams(["ticket_events", "ticket_comments"])
    assert not output.errors
    assert [r["id"] for r in records_of(output, "ticket_events")] == [1]
    assert [r["id"] for r in records_of(output, "ticket_comments")] == [3]
    assert len([r for r in api.request_history if r.path.endswith("/incremental/ticket_events")]) == 1


def test_concurrent_401s_refresh_the_single_use_token_once(api, capsys):
    """Several workers hit an expired token at once: the refresh token may be spent only once."""
    import json as _json
    from urllib.parse import parse_qs

    valid = {"refresh": "R0", "access": "A0", "n": 0}

    def tokens(request, context):
        context.headers["Content-Type"] = "application/json"
        sent = {k: v[0] for k, v in parse_qs(request.text).items()}
        if sent.get("refresh_token") != valid["refresh"]:
            context.status_code = 400
            return _json.dumps({"error": "invalid_grant", "error_description": "refresh token already used"})
        valid["n"] += 1
        valid["refresh"], valid["access"] = f"R{valid['n']}", f"A{valid['n']}"
        return _json.dumps({"access_token": valid["access"], "refresh_token": valid["refresh"], "expires_in": 1800})

    def listing(name):
        def answer(request, context):
            context.headers["Content-Type"] = "application/json"
            if request.headers.get("Authorization") != f"Bearer {valid['access']}":
                context.status_code = 401
                return _json.dumps({"error": "invalid_token"})
            return _json.dumps({name: [{"id": 1, "updated_at": "2024-01-05T00:00:00Z"}], "meta": {"has_more": False}})

        return answer

    names = ["groups", "macros", "triggers", "automations", "views"]
    api.post(f"{BASE_URL}/oauth/tokens", text=tokens)
    for name in names:
        api.get(url(name), text=listing(name))
    from datetime import datetime, timedelta, timezone

    expiry = (datetime.now(timezone.utc) + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
    config = make_config(
        num_workers=5,
        credentials={
            "auth_type": "oauth2_refresh",
            "client_id": "c",
            "client_secret": "s",
            "refresh_token": "R0",
            "access_token": "STALE",
            "token_expiry_date": expiry,
        },
    )
    output = read_streams(names, config=config)
    assert not output.errors, [m.trace.error.message for m in output.errors]
    for name in names:
        assert [r["id"] for r in records_of(output, name)] == [1]
    assert valid["n"] == 1


def test_chat_streams_without_chat_credentials_end_incomplete_with_a_hint(api):
    api.get(url("groups"), [cbp("groups", [])])
    output = read_streams(["chats", "groups"], expect_failure=True)
    assert statuses_of(output, "chats")[-1] == AirbyteStreamStatus.INCOMPLETE
    assert statuses_of(output, "groups")[-1] == AirbyteStreamStatus.COMPLETE
    assert any("chat_credentials.access_token" in m.log.message for m in output.logs)
    assert not [r for r in api.request_history if "/chat/" in r.path]
