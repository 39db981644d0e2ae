"""What every page walker guarantees whatever the server answers (paging/): a shrunk page after a 504 for every
stream reading an export, no walk in circles, no time from the future saved, no record dropped for lacking an id,
and a named error for a body of the wrong shape."""

from __future__ import annotations

import time

import pytest
from airbyte_cdk.models import AirbyteStreamStatus
from airbyte_cdk.utils.traced_exception import AirbyteTracedException

from source_zendesk_support.paging.guards import CLOCK_SKEW_SECONDS
from source_zendesk_support.foundation.clock import to_epoch

from .support import (
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
    warnings_of,
)

GATEWAY_TIMEOUT = {
    "text": "<html>504 Gateway Time-out</html>",
    "status_code": 504,
    "headers": {"Content-Type": "text/html"},
}
START = 1704067200  # the default start_date, 2024-01-01
FAR_FUTURE = 4102444800  # 2100-01-01


def _ticket(ticket_id: int) -> dict:
    return {
        "id": ticket_id,
        "generated_timestamp": START + ticket_id,
        "updated_at": "2024-01-02T00:00:00Z",
        "status": "open",
        "metric_set": {"id": 100 + ticket_id, "ticket_id": ticket_id},
    }


# --- one 504 on the ticket export -----------------------------------------------------------------------------------
def test_one_504_on_the_ticket_export_is_survived_by_every_stream_reading_it(api):
    """tickets, ticket_metrics (sharing its pages) and side_conversations (its parents) all shrink the page."""
    timed_out = set()

    def ticket_export(request, context):
        reader = "with metric sets" if param(request, "include") else "parents"
        if param(request, "per_page") == "1000" and reader not in timed_out:
            timed_out.add(reader)
            context.status_code, context.headers["Content-Type"] = 504, "text/html"
            return "<html>504 Gateway Time-out</html>"
        context.headers["Content-Type"] = "application/json"
        import json

        return json.dumps({"tickets": [_ticket(1), _ticket(2)], "after_cursor": "C1", "end_of_stream": True})

    export = api.get(url("incremental/tickets/cursor"), text=ticket_export)
    for ticket_id in (1, 2):
        api.get(
            url(f"tickets/{ticket_id}/side_conversations"),
            [
                ok(
                    {
                        "side_conversations": [{"id": f"s{ticket_id}", "updated_at": "2024-01-03T00:00:00Z"}],
                        "meta": {"has_more": False},
                    }
                )
            ],
        )
    output = read_streams(
        ["tickets", "ticket_metrics", "side_conversations"], config=make_config(custom_field_columns=False)
    )
    assert timed_out == {"with metric sets", "parents"}  # each reader of the export met its 504
    for stream in ("tickets", "ticket_metrics", "side_conversations"):
        assert statuses_of(output, stream)[-1] == AirbyteStreamStatus.COMPLETE, stream
    assert sorted(r["id"] for r in records_of(output, "tickets")) == [1, 2]
    assert sorted(r["id"] for r in records_of(output, "ticket_metrics")) == [101, 102]
    assert sorted(r["id"] for r in records_of(output, "side_conversations")) == ["s1", "s2"]
    assert {param(r, "per_page") for r in export.request_history} == {"1000", "500"}
    assert not output.errors


# --- walks in circles -----------------------------------------------------------------------------------------------
def _fails_fast(stream, mocked, most_requests: int) -> str:
    began = time.monotonic()
    with pytest.raises(AirbyteTracedException) as failure:
        run_stream(stream)
    assert time.monotonic() - began < 10
    assert mocked.call_count <= most_requests
    assert stream.name in failure.value.message
    return failure.value.message


def test_an_offset_next_page_that_points_at_itself_fails_the_stream_naming_the_url(api):
    again = url("custom_roles.json?page=2&per_page=100")
    api.get(url("custom_roles"), [ok({"custom_roles": [{"id": 1}], "next_page": again})])
    mocked = api.get(url("custom_roles.json"), [ok({"custom_roles": [{"id": 1}], "next_page": again})])
    message = _fails_fast(make_stream("custom_roles", incremental=False), mocked, 3)
    assert again in message and "custom_roles" in message


def test_a_cursor_list_whose_next_link_repeats_fails_the_stream(api):
    again = url("macros.json?page%5Bafter%5D=SAME")
    mocked = api.get(
        url("macros"),
        [
            ok(
                {
                    "macros": [{"id": 1, "updated_at": "2024-02-01T00:00:00Z"}],
                    "meta": {"has_more": True, "after_cursor": "SAME"},
                    "links": {"next": again},
                }
            )
        ],
    )
    api.get(
        url("macros.json"),
        [
            ok(
                {
                    "macros": [{"id": 1, "updated_at": "2024-02-01T00:00:00Z"}],
                    "meta": {"has_more": True, "after_cursor": "SAME"},
                    "links": {"next": again},
                }
            )
        ],
    )
    message = _fails_fast(make_stream("macros"), mocked, 4)
    assert "macros.json?page%5Bafter%5D=SAME" in message


def test_a_cursor_list_without_links_whose_after_cursor_repeats_fails_the_stream(api):
    mocked = api.get(
        url("triggers"),
        [
            ok(
                {
                    "triggers": [{"id": 1, "updated_at": "2024-02-01T00:00:00Z"}],
                    "meta": {"has_more": True, "after_cursor": "SAME"},
                }
            )
        ],
    )
    assert "'SAME'" in _fails_fast(make_stream("triggers"), mocked, 4)


@pytest.mark.parametrize(
    "cursors", [["A", "A", "A", "A"], ["A", "B", "A", "B", "A", "B"]], ids=["repeats", "alternates"]
)
def test_an_export_cursor_that_repeats_or_alternates_fails_the_stream(api, cursors):
    pages = [ok({"tickets": [_ticket(1)], "after_cursor": cursor, "end_of_stream": False}) for cursor in cursors]
    mocked = api.get(url("incremental/tickets/cursor"), pages)
    stream = make_stream("tickets")
    message = _fails_fast(stream, mocked, 5)
    assert "'A'" in message
    states = [item for item in stream.state.values()]
    assert states  # the pages before the circle were checkpointed as usual


def test_a_time_export_whose_end_time_stands_still_fails_the_stream(api):
    """A server that answers every start_time with the same records and end_time never moves on."""
    same = ok(
        {
            "organizations": [{"id": 1, "updated_at": "2024-02-01T00:00:00Z"}],
            "end_time": to_epoch("2024-02-01T00:00:00Z"),
            "end_of_stream": False,
            "next_page": "x",
        }
    )
    mocked = api.get(url("incremental/organizations"), [same])
    message = _fails_fast(make_stream("organizations"), mocked, 6)
    assert str(to_epoch("2024-02-01T00:00:00Z")) in message


def test_the_chat_export_position_that_alternates_fails_the_stream(api):
    def page(end_time, end_id):
        return ok(
            {
                "chats": [{"id": f"c{n}", "update_timestamp": "2024-02-01T00:00:00Z"} for n in range(1000)],
                "end_time": end_time,
                "end_id": end_id,
                "next_page": "more",
            }
        )

    mocked = api.get(url("chat/incremental/chats"), [page(START + 10, "x"), page(START + 20, "y")] * 4)
    config = make_config(chat_credentials={"access_token": "chat-token"})
    assert "chat export position" in _fails_fast(make_stream("chats", config=config), mocked, 6)


# --- clocks from the future -----------------------------------------------------------------------------------------
def test_a_future_end_time_is_clamped_to_now_with_a_warning(api, caplog):
    api.get(
        url("incremental/organizations"),
        [
            ok(
                {
                    "organizations": [{"id": 1, "updated_at": "2024-02-01T00:00:00Z"}],
                    "end_time": FAR_FUTURE,
                    "end_of_stream": False,
                }
            )
        ],
    )
    before = int(time.time())
    with caplog.at_level("WARNING", logger="airbyte"):
        records, states, _ = run_stream(make_stream("organizations"))
    assert [r["id"] for r in records] == [1]
    assert states and all(to_epoch(s["updated_at"]) <= int(time.time()) + CLOCK_SKEW_SECONDS for s in states)
    assert to_epoch(states[-1]["updated_at"]) >= before
    assert any("organizations" in m and "in the future" in m and "2100-01-01" in m for m in caplog.messages)


def test_a_saved_state_in_the_future_is_reported_and_read_again_from_start_date(api):
    export = api.get(
        url("incremental/organizations"),
        [
            ok(
                {
                    "organizations": [{"id": 1, "updated_at": "2024-02-01T00:00:00Z"}],
                    "end_time": to_epoch("2024-02-01T00:00:01Z"),
                    "end_of_stream": True,
                }
            )
        ],
    )
    output = read_streams(["organizations"], state={"organizations": {"updated_at": "2100-01-01T00:00:00Z"}})
    assert param(export.request_history[0], "start_time") == str(START)
    assert [r["id"] for r in records_of(output, "organizations")] == [1]
    warning = next(m for m in warnings_of(output) if "in the future" in m)
    assert "organizations" in warning and "Reset this stream's state" in warning
    assert all(
        to_epoch(s["updated_at"]) <= int(time.time()) + CLOCK_SKEW_SECONDS for s in states_of(output, "organizations")
    )


def test_a_start_date_in_the_future_is_reported_and_never_saved(api):
    api.get(url("triggers"), [ok({"triggers": [], "meta": {"has_more": False}})])
    api.get(url("incremental/organizations"), [ok({"organizations": [], "end_time": None, "end_of_stream": True})])
    output = read_streams(["organizations", "triggers"], config=make_config(start_date="2099-01-01T00:00:00Z"))
    for stream in ("organizations", "triggers"):
        assert any(stream in m and "start_date" in m and "in the future" in m for m in warnings_of(output)), stream
        for state in states_of(output, stream):
            assert all(
                to_epoch(v) is None or to_epoch(v) <= int(time.time()) + CLOCK_SKEW_SECONDS for v in state.values()
            ), state


def test_record_times_from_the_future_never_reach_the_state(api):
    ticket = {**_ticket(1), "generated_timestamp": FAR_FUTURE}
    api.get(url("incremental/tickets/cursor"), [ok({"tickets": [ticket], "after_cursor": "C1", "end_of_stream": True})])
    _, states, _ = run_stream(make_stream("tickets", config=make_config(custom_field_columns=False)))
    assert states[-1]["after_cursor"] == "C1"
    assert states[-1]["generated_timestamp"] <= int(time.time()) + CLOCK_SKEW_SECONDS


# --- records without a primary key ------------------------------------------------------------------------------------
def test_records_without_an_id_at_a_time_export_boundary_are_kept_unless_repeated(api):
    second = to_epoch("2024-02-01T00:00:00Z")
    a = {"time": "2024-02-01T00:00:00Z", "metric": "reply_time", "ticket_id": 7}
    b = {"time": "2024-02-01T00:00:00Z", "metric": "agent_work_time", "ticket_id": 7}
    c = {"time": "2024-02-01T00:00:00Z", "metric": "requester_wait_time", "ticket_id": 7}
    api.get(
        url("incremental/ticket_metric_events"),
        [
            ok({"ticket_metric_events": [a, b], "end_time": second, "end_of_stream": False}),
            # Zendesk repeats the boundary second: a and b again, then c, which is new
            ok({"ticket_metric_events": [a, b, c], "end_time": second + 5, "end_of_stream": True}),
        ],
    )
    records, _, _ = run_stream(make_stream("ticket_metric_events"))
    assert [r["metric"] for r in records] == ["reply_time", "agent_work_time", "requester_wait_time"]


# --- bodies of the wrong shape ----------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "stream,path,body",
    [
        ("tickets", "incremental/tickets/cursor", [1, 2]),
        ("organizations", "incremental/organizations", {"organizations": {"id": 1}, "end_time": 5}),
        ("custom_roles", "custom_roles", {"custom_roles": [], "next_page": 42}),
    ],
)
def test_a_body_of_the_wrong_shape_fails_its_stream_with_a_named_error(api, stream, path, body):
    api.get(url(path), [ok(body)])
    with pytest.raises(AirbyteTracedException) as failure:
        run_stream(make_stream(stream, config=make_config(custom_field_columns=False)))
    assert failure.value.message.startswith(f"Stream {stream}:")
    assert "where a" in failure.value.message


# --- memory: a walker waiting for its next page holds none of the last one ------------------------------------------
class _Record(dict):
    """A record that can be watched by a weak reference."""


@pytest.mark.parametrize("kind", ["cursor export", "time export"])
def test_a_walker_waiting_for_its_next_page_holds_none_of_the_last_one(kind):
    import gc
    import weakref

    from source_zendesk_support.http.answer import ApiAnswer
    from source_zendesk_support.paging.exports import CursorExportWalker, TimeExportWalker
    from source_zendesk_support.paging.page import DirectSource

    watched, alive_while_waiting = [], []

    def fetch(params):
        gc.collect()
        alive_while_waiting.append([ref() is not None for ref in watched])
        record = _Record(id=len(watched) + 1, updated_at=START + 10 * (len(watched) + 1))
        watched.append(weakref.ref(record))
        last = len(watched) == 3
        body = {
            "items": [record],
            "after_cursor": f"C{len(watched)}",
            "end_of_stream": last,
            "end_time": START + 10 * len(watched) + 1,
        }
        return ApiAnswer(200, body, {})

    stream = make_stream("organizations")
    if kind == "cursor export":
        walker = CursorExportWalker(
            stream, DirectSource(fetch), "items", "updated_at", None, start=START, saved_cursor=None
        )
    else:
        walker = TimeExportWalker(stream, DirectSource(fetch), "items", "updated_at", None, start=START)
    for page in walker.pages():
        assert page.items
        page = None  # what a stream does once the page is emitted
    assert alive_while_waiting == [[], [False], [False, False]]
