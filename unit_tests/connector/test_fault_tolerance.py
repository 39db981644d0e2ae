"""Faults on any request of a whole read (5xx, 429, truncated or HTML bodies, resets) cost time, never records."""

from __future__ import annotations

import json

import requests
import requests_mock
from airbyte_cdk.models import AirbyteStreamStatus
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from .fake_exports import CursorExport, TimeExport
from .support import without_counts, JSON, epoch, make_config, read_streams, records_of, statuses_of, url

START = epoch("2024-01-01T00:00:00Z")
FAULTS = ["500", "503", "429", "truncated", "html", "reset"]


class Faulty:
    """Wraps a responder: before answering a request, inject the next planned fault, if any."""

    def __init__(self, responder, plan):
        self.responder, self.plan, self.calls = responder, list(plan), 0

    def __call__(self, request, context):
        self.calls += 1
        fault = self.plan.pop(0) if self.plan else None
        if fault == "reset":
            raise requests.exceptions.ConnectionError("connection reset by peer")
        if fault in ("500", "503"):
            context.status_code, context.headers["Content-Type"] = int(fault), "text/html"
            return "<html>oops</html>"
        if fault == "429":
            context.status_code = 429
            context.headers.update({"Retry-After": "3", "Content-Type": "text/plain"})
            return "Number of allowed API requests per minute exceeded"
        body = self.responder(request, context)
        if fault == "truncated":
            return body[: len(body) // 2]
        if fault == "html":
            context.headers["Content-Type"] = "text/html"
            return "<html>maintenance</html>"
        return body


def list_pages(name, count, page):
    def answer(request, context):
        context.headers.update(JSON)
        offset = int(request.qs["page[after]"][0]) if "page[after]" in request.qs else 0
        rows = [
            {"id": i, "updated_at": "2024-02-01T00:00:00Z"} for i in range(offset + 1, min(offset + page, count) + 1)
        ]
        more = offset + page < count
        return json.dumps(
            {
                name: rows,
                "meta": {"has_more": more, "after_cursor": str(offset + page) if more else None},
                "links": {"next": None},
            }
        )

    return answer


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    st.lists(st.sampled_from(FAULTS + [None, None]), max_size=6),
    st.lists(st.sampled_from(FAULTS + [None, None]), max_size=6),
    st.lists(st.sampled_from(FAULTS + [None, None]), max_size=6),
)
def test_faults_cost_time_never_records(clock, ticket_faults, event_faults, macro_faults):
    tickets = [(i, START + i // 2) for i in range(1, 9)]
    events = [(i, START + 10 + i // 3) for i in range(1, 10)]
    with requests_mock.Mocker() as mocker:
        without_counts(mocker)
        mocker.get(url("ticket_fields"), text=list_pages("ticket_fields", 0, 100))
        mocker.get(
            url("incremental/tickets/cursor"),
            text=Faulty(CursorExport(tickets, "tickets", "generated_timestamp", 3), ticket_faults),
        )
        mocker.get(
            url("incremental/ticket_events"),
            text=Faulty(TimeExport(events, "ticket_events", "timestamp", 2, 4), event_faults),
        )
        mocker.get(url("macros"), text=Faulty(list_pages("macros", 7, 3), macro_faults))
        output = read_streams(["tickets", "ticket_events", "macros"], config=make_config(num_workers=3))
    assert not output.errors, [m.trace.error.message for m in output.errors]
    assert sorted(r["id"] for r in records_of(output, "tickets")) == [i for i, _ in tickets]
    assert sorted(r["id"] for r in records_of(output, "ticket_events")) == [i for i, _ in events]
    assert sorted(r["id"] for r in records_of(output, "macros")) == list(range(1, 8))
    for stream in ("tickets", "ticket_events", "macros"):
        assert statuses_of(output, stream)[-1] == AirbyteStreamStatus.COMPLETE


def test_every_planned_fault_is_retried(clock):
    tickets = [(i, START + i) for i in range(1, 7)]
    faulty = Faulty(
        CursorExport(tickets, "tickets", "generated_timestamp", 2), ["500", None, "truncated", "reset", "429", "html"]
    )
    with requests_mock.Mocker() as mocker:
        without_counts(mocker)
        mocker.get(url("ticket_fields"), text=list_pages("ticket_fields", 0, 100))
        mocker.get(url("incremental/tickets/cursor"), text=faulty)
        output = read_streams(["tickets"])
    assert sorted(r["id"] for r in records_of(output)) == [1, 2, 3, 4, 5, 6]
    assert faulty.calls == 3 + 5  # three pages, five faults
    assert clock.total_slept() >= 3  # at least the 429's Retry-After
