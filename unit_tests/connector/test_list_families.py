"""Cursor pages, offset pages, unpaged lists, schedules with holidays, and per-ticket children."""

from __future__ import annotations

import logging

import pytest
from airbyte_cdk.models import SyncMode

from .support import (
    ALL,
    data_requests,
    no_offset_count,
    without_counts,
    epoch,
    estimates_of,
    make_config,
    make_stream,
    ok,
    param,
    query_of,
    read_streams,
    records_of,
    run_stream,
    url,
)

START = epoch("2024-01-01T00:00:00Z")


def cbp(key, records, after=None, has_more=False, next_link=None):
    body = {
        key: records,
        "meta": {"has_more": has_more, "after_cursor": after, "before_cursor": None},
        "links": {"next": next_link, "prev": None},
    }
    return ok(body)


def at(day: int) -> str:
    return f"2024-01-{day:02d}T00:00:00Z"


# --- cursor pages: ascending, append-only (ticket_audits) ------------------------------------------------------
def test_ascending_pages_checkpoint_after_every_page_with_the_page_cursor(api):
    api.get(
        url("ticket_audits"),
        [
            cbp("audits", [{"id": 1, "created_at": at(2)}, {"id": 2, "created_at": at(3)}], after="A1", has_more=True),
            cbp("audits", [{"id": 3, "created_at": at(4)}], after="A2", has_more=False),
        ],
    )
    records, states, items = run_stream(make_stream("ticket_audits"))
    first, second = api.request_history
    assert param(first, "page[size]") == "100" and param(first, "page[after]") is None
    assert param(second, "page[after]") == "A1"
    assert [r["id"] for r in records] == [1, 2, 3]
    assert states[0] == {"created_at": at(3), "page_after": "A1"}
    assert states[-1] == {"created_at": at(4), "page_after": "A2"}
    assert [kind for kind, _ in items][:3] == ["RECORD", "RECORD", "STATE"]


def test_next_link_is_followed_verbatim(api):
    link = "http://127.0.0.1:8765/api/v2/ticket_audits.json?page%5Bafter%5D=LINKED&page%5Bsize%5D=100"
    api.get(
        url("ticket_audits"),
        [cbp("audits", [{"id": 1, "created_at": at(2)}], after="A1", has_more=True, next_link=link)],
    )
    api.get(url("ticket_audits.json"), [cbp("audits", [{"id": 2, "created_at": at(3)}], after="A2")])
    records, _, _ = run_stream(make_stream("ticket_audits"))
    assert api.request_history[1].url == link
    assert [r["id"] for r in records] == [1, 2]


def test_resume_from_the_saved_page_cursor_reads_only_new_pages(api):
    api.get(url("ticket_audits"), [cbp("audits", [{"id": 9, "created_at": at(9)}], after="A9")])
    records, states, _ = run_stream(make_stream("ticket_audits", state={"created_at": at(8), "page_after": "A8"}))
    assert param(api.request_history[0], "page[after]") == "A8"
    assert [r["id"] for r in records] == [9]
    assert states[-1] == {"created_at": at(9), "page_after": "A9"}


def test_empty_page_after_the_saved_cursor_keeps_the_cursor(api):
    api.get(url("ticket_audits"), [cbp("audits", [], after=None)])
    _, states, _ = run_stream(make_stream("ticket_audits", state={"created_at": at(8), "page_after": "A8"}))
    assert states[-1] == {"created_at": at(8), "page_after": "A8"}


def test_expired_page_cursor_reads_the_list_again_filtered_by_time(api, caplog):
    api.get(
        url("ticket_audits"),
        [
            ok({"error": "InvalidPaginationParameter", "description": "page[after] is not valid"}, status=400),
            cbp(
                "audits",
                [{"id": 1, "created_at": at(2)}, {"id": 2, "created_at": at(8)}, {"id": 3, "created_at": at(9)}],
                after="B1",
            ),
        ],
    )
    with caplog.at_level(logging.WARNING, logger="airbyte"):
        records, states, _ = run_stream(
            make_stream("ticket_audits", state={"created_at": at(8), "page_after": "EXPIRED"})
        )
    first, second = api.request_history
    assert param(first, "page[after]") == "EXPIRED" and param(second, "page[after]") is None
    assert [r["id"] for r in records] == [2, 3]  # the saved time is inclusive; older records are dropped
    assert states[-1] == {"created_at": at(9), "page_after": "B1"}
    assert any("page cursor expired" in message for message in caplog.messages)


# --- cursor pages: descending with a server-side start (ticket_activities) --------------------------------------
def test_descending_list_stops_at_the_first_record_older_than_the_state(api):
    api.get(
        url("activities"),
        [
            cbp(
                "activities",
                [{"id": 3, "updated_at": at(9)}, {"id": 2, "updated_at": at(6)}, {"id": 1, "updated_at": at(4)}],
                after="D1",
                has_more=True,
            ),
        ],
    )
    records, states, _ = run_stream(make_stream("ticket_activities", state={"updated_at": at(5)}))
    assert len(api.request_history) == 1  # the second page is never asked for
    assert param(api.request_history[0], "start_time") == str(epoch(at(5)))
    assert [r["id"] for r in records] == [3, 2]
    assert states == [{"updated_at": at(9)}]  # one checkpoint, at the end: the newest record comes first


def test_descending_list_without_older_records_reads_every_page(api):
    api.get(
        url("activities"),
        [
            cbp("activities", [{"id": 3, "updated_at": at(9)}], after="D1", has_more=True),
            cbp("activities", [{"id": 2, "updated_at": at(7)}], after="D2", has_more=False),
        ],
    )
    records, states, _ = run_stream(make_stream("ticket_activities", state={"updated_at": at(5)}))
    assert param(api.request_history[1], "page[after]") == "D1"
    assert param(api.request_history[1], "start_time") == str(epoch(at(5)))
    assert [r["id"] for r in records] == [3, 2] and states == [{"updated_at": at(9)}]


def test_skips_are_read_newest_first_and_a_resync_stops_at_the_first_known_one(api):
    api.get(
        url("skips"),
        [
            cbp(
                "skips",
                [{"id": 12, "created_at": at(8)}, {"id": 11, "created_at": at(5)}, {"id": 10, "created_at": at(3)}],
                after="S1",
                has_more=True,
            ),
        ],
    )
    records, states, _ = run_stream(make_stream("ticket_skips", state={"created_at": at(5)}))
    (request,) = api.request_history  # an unchanged tail costs no further pages
    assert param(request, "sort_order") == "desc"
    assert [r["id"] for r in records] == [12, 11]  # the saved second itself is read again: nothing of it is lost
    assert states == [{"created_at": at(8)}]


@pytest.mark.parametrize(
    "stream, path, key, field, sort_by",
    [
        ("deleted_tickets", "deleted_tickets", "deleted_tickets", "deleted_at", "deleted_at"),
        ("requests", "requests", "requests", "updated_at", "updated_at"),
        ("posts", "community/posts", "posts", "updated_at", "updated_at"),
    ],
)
def test_time_sorted_lists_are_read_newest_first_and_stop_at_the_first_known_record(
    api, stream, path, key, field, sort_by
):
    api.get(
        url(path),
        [
            cbp(key, [{"id": 3, field: at(9)}, {"id": 2, field: at(7)}], after="N1", has_more=True),
            cbp(key, [{"id": 1, field: at(6)}, {"id": 0, field: at(4)}], after="N2", has_more=True),
        ],
    )
    covers = ALL if stream == "deleted_tickets" else {}  # the tickets a deleted_tickets state covers
    records, states, _ = run_stream(make_stream(stream, state={**covers, field: at(6)}))
    first, second = api.request_history  # the page holding a record older than the state is the last one read
    assert (param(first, "sort_by"), param(first, "sort_order")) == (sort_by, "desc")
    assert param(second, "page[after]") == "N1" and param(second, "sort_order") == "desc"
    assert [r["id"] for r in records] == [3, 2, 1]  # the saved second itself is read again
    assert states == [{**covers, field: at(9)}]


def test_a_list_not_sent_newest_first_is_read_whole_with_a_warning(api, caplog):
    # Zendesk ignored the sort (ids ascending): stopping at the first old record would miss the newer ones after it.
    api.get(
        url("deleted_tickets"),
        [
            cbp(
                "deleted_tickets",
                [{"id": 1, "deleted_at": at(3)}, {"id": 2, "deleted_at": at(8)}],
                after="N1",
                has_more=True,
            ),
            cbp("deleted_tickets", [{"id": 3, "deleted_at": at(2)}, {"id": 4, "deleted_at": at(9)}], after="N2"),
        ],
    )
    with caplog.at_level(logging.WARNING, logger="airbyte"):
        records, states, _ = run_stream(make_stream("deleted_tickets", state={**ALL, "deleted_at": at(5)}))
    assert len(api.request_history) == 2
    assert [r["id"] for r in records] == [2, 4] and states == [{**ALL, "deleted_at": at(9)}]
    assert any("did not send the list newest first" in message for message in caplog.messages)


def test_order_is_checked_across_pages(api, caplog):
    api.get(
        url("requests"),
        [
            cbp(
                "requests", [{"id": 5, "updated_at": at(9)}, {"id": 4, "updated_at": at(7)}], after="N1", has_more=True
            ),
            cbp(
                "requests", [{"id": 3, "updated_at": at(8)}, {"id": 2, "updated_at": at(2)}], after="N2", has_more=True
            ),
            cbp("requests", [{"id": 1, "updated_at": at(6)}], after="N3"),
        ],
    )
    with caplog.at_level(logging.WARNING, logger="airbyte"):
        records, _, _ = run_stream(make_stream("requests", state={"updated_at": at(5)}))
    assert len(api.request_history) == 3  # the second page went back up in time: no stop after it
    assert [r["id"] for r in records] == [5, 4, 3, 1]


def test_a_single_record_shows_no_order_so_one_record_pages_read_one_page_more(api):
    api.get(
        url("requests"),
        [
            cbp("requests", [{"id": 2, "updated_at": at(3)}], after="N1", has_more=True),
            cbp("requests", [{"id": 1, "updated_at": at(2)}], after="N2", has_more=True),
        ],
    )
    records, _, _ = run_stream(make_stream("requests", config=make_config(page_size=1), state={"updated_at": at(5)}))
    assert len(api.request_history) == 2 and records == []


def test_full_refresh_of_a_sorted_list_reads_every_page(api):
    api.get(
        url("deleted_tickets"),
        [
            cbp(
                "deleted_tickets",
                [{"id": 2, "deleted_at": at(9)}, {"id": 1, "deleted_at": at(1)}],
                after="N1",
                has_more=True,
            ),
            cbp("deleted_tickets", [{"id": 0, "deleted_at": at(1)}], after="N2"),
        ],
    )
    # A read from the start asks the list's count (its row estimate) on an offset page of one item.
    api.get(url("deleted_tickets") + "?per_page=1", json={"deleted_tickets": [], "count": 3})
    records, _, _ = run_stream(make_stream("deleted_tickets", state={"deleted_at": at(5)}, incremental=False))
    assert [r["id"] for r in records] == [2, 1, 0]


# --- cursor pages: unordered, filtered client-side ---------------------------------------------------------------
def test_unordered_list_filters_by_state_and_end_date_and_checkpoints_the_newest(api):
    api.get(
        url("groups"),
        [
            cbp(
                "groups",
                [
                    {"id": 1, "updated_at": at(3)},
                    {"id": 2, "updated_at": at(9)},
                    {"id": 3, "updated_at": at(6)},
                    {"id": 4, "updated_at": at(20)},
                ],
            )
        ],
    )
    config = make_config(end_date="2024-01-15T00:00:00Z")
    records, states, _ = run_stream(make_stream("groups", config=config, state={"updated_at": at(5)}))
    assert param(api.request_history[0], "exclude_deleted") == "false"
    assert [r["id"] for r in records] == [2, 3]
    assert states == [{"updated_at": at(9)}]


def test_unordered_list_state_does_not_move_without_new_records(api):
    api.get(url("groups"), [cbp("groups", [{"id": 1, "updated_at": at(3)}])])
    _, states, _ = run_stream(make_stream("groups", state={"updated_at": at(5)}))
    assert states == [{"updated_at": at(5)}]


def test_full_refresh_keeps_every_record(api):
    api.get(url("groups"), [cbp("groups", [{"id": 1, "updated_at": at(3)}, {"id": 2, "updated_at": None}])])
    records, states, _ = run_stream(make_stream("groups", state={"updated_at": at(5)}, incremental=False))
    assert [r["id"] for r in records] == [1, 2] and states == []


def test_satisfaction_ratings_send_start_time(api):
    api.get(url("satisfaction_ratings"), [cbp("satisfaction_ratings", [{"id": 1, "updated_at": at(7)}])])
    run_stream(make_stream("satisfaction_ratings", state={"updated_at": at(5)}))
    assert param(api.request_history[0], "start_time") == str(epoch(at(5)))


def test_audit_logs_send_a_created_at_range_sorted_ascending(api):
    api.get(url("audit_logs"), [cbp("audit_logs", [{"id": 1, "created_at": at(7)}])])
    config = make_config(end_date="2024-02-01T00:00:00Z")
    _, states, _ = run_stream(make_stream("audit_logs", config=config, state={"created_at": at(5)}))
    query = query_of(api.request_history[0])
    assert query["filter[created_at][]"] == [at(5), "2024-02-01T00:00:00Z"]
    assert query["sort"] == ["created_at"]
    assert states[-1] == {"created_at": at(7)}


def test_page_cursor_without_next_link_is_sent_as_page_after(api):
    api.get(
        url("ticket_fields"),
        [
            cbp("ticket_fields", [{"id": 1, "updated_at": at(7)}], after="F1", has_more=True),
            cbp("ticket_fields", [{"id": 2, "updated_at": at(8)}], after="F2", has_more=False),
        ],
    )
    no_offset_count(api, "ticket_fields")
    records, _, _ = run_stream(make_stream("ticket_fields"))
    assert param(data_requests(api)[1], "page[after]") == "F1"
    assert [r["id"] for r in records] == [1, 2]


def test_a_trailing_empty_page_ends_the_list(api):
    api.get(
        url("ticket_fields"),
        [
            cbp("ticket_fields", [{"id": 1, "updated_at": at(7)}], after="F1", has_more=True),
            cbp("ticket_fields", [], after=None, has_more=False),
        ],
    )
    no_offset_count(api, "ticket_fields")
    records, _, _ = run_stream(make_stream("ticket_fields"))
    assert len(data_requests(api)) == 2 and [r["id"] for r in records] == [1]


def test_list_error_fails_the_stream(api):
    api.get(url("ticket_fields"), [ok({"error": "InvalidPaginationParameter"}, status=400)])
    with pytest.raises(Exception, match="listing failed"):
        run_stream(make_stream("ticket_fields"))


# --- offset pages -----------------------------------------------------------------------------------------------
def test_offset_pages_follow_next_page_and_filter_by_state(api):
    api.get(
        url("ticket_forms"),
        [
            ok(
                {
                    "ticket_forms": [{"id": 1, "updated_at": at(3)}, {"id": 2, "updated_at": at(8)}],
                    "next_page": url("ticket_forms.json?page=2&per_page=100"),
                    "count": 3,
                }
            )
        ],
    )
    api.get(
        url("ticket_forms.json"),
        [ok({"ticket_forms": [{"id": 3, "updated_at": at(9)}], "next_page": None, "count": 3})],
    )
    records, states, items = run_stream(make_stream("ticket_forms", state={"updated_at": at(5)}))
    assert param(api.request_history[0], "per_page") == "100"
    assert param(api.request_history[1], "page") == "2"
    assert [r["id"] for r in records] == [2, 3]
    assert states == [{"updated_at": at(9)}]
    estimates = [value for kind, value in items if kind == "TRACE"]
    assert len(estimates) == 1 and estimates[0].trace.estimate.row_estimate == 3


def test_offset_pages_estimate_reaches_the_platform(api):
    api.get(
        url("custom_roles"), [ok({"custom_roles": [{"id": 1, "updated_at": at(3)}], "next_page": None, "count": 1})]
    )
    output = read_streams(["custom_roles"], sync_mode=SyncMode.full_refresh)
    (estimate,) = estimates_of(output)
    assert (estimate.name, estimate.row_estimate) == ("custom_roles", 1)
    assert [r["id"] for r in records_of(output)] == [1]


# --- unpaged lists and schedules ---------------------------------------------------------------------------------
def test_unpaged_list_filters_by_state(api):
    api.get(
        url("slas/policies"),
        [
            ok(
                {
                    "sla_policies": [{"id": 1, "updated_at": at(3)}, {"id": 2, "updated_at": at(8)}],
                    "next_page": None,
                    "count": 2,
                }
            )
        ],
    )
    records, states, _ = run_stream(make_stream("sla_policies", state={"updated_at": at(5)}))
    assert [r["id"] for r in records] == [2] and states == [{"updated_at": at(8)}]


def test_attribute_definitions_flatten_both_condition_lists(api):
    api.get(
        url("routing/attributes/definitions"),
        [
            ok(
                {
                    "definitions": {
                        "conditions_all": [{"subject": "status", "title": "Status"}],
                        "conditions_any": [{"subject": "brand", "title": "Brand"}],
                    }
                }
            )
        ],
    )
    records, states, _ = run_stream(make_stream("attribute_definitions"))
    assert records == [
        {"subject": "status", "title": "Status", "condition": "all"},
        {"subject": "brand", "title": "Brand", "condition": "any"},
    ]
    assert states == []  # no cursor: full refresh only


def test_macro_categories_are_one_record_per_name(api):
    api.get(url("macros/categories"), [ok({"categories": ["FAQ", "Triage"]})])
    records, states, _ = run_stream(make_stream("macro_categories"))
    assert records == [{"name": "FAQ"}, {"name": "Triage"}]
    assert states == []  # no cursor: full refresh only


@pytest.mark.parametrize(
    "body, culprit",
    [
        ({"categories": ["FAQ", {"name": "Triage"}]}, "item 1 of 'categories'"),
        ({"macros": []}, "no 'categories' list"),
        ({"categories": "FAQ"}, "no 'categories' list"),
    ],
)
def test_macro_categories_of_another_shape_fail_the_stream_by_name(api, body, culprit):
    api.get(url("macros/categories"), [ok(body)])
    with pytest.raises(Exception, match=culprit):
        run_stream(make_stream("macro_categories"))


def test_account_settings_are_one_record(api):
    settings = {"active_features": {"voice": True}, "tickets": {"agent_collision": True}}
    api.get(url("account/settings"), [ok({"settings": settings})])
    records, states, _ = run_stream(make_stream("account_settings", incremental=False))
    assert records == [settings] and states == []


def test_setup_lists_filter_by_state(api):
    """A setup list Zendesk serves whole (deleted users here, by cursor pages) is filtered by its cursor."""
    api.get(
        url("deleted_users"), [cbp("deleted_users", [{"id": 1, "updated_at": at(3)}, {"id": 2, "updated_at": at(8)}])]
    )
    no_offset_count(api, "deleted_users")
    records, states, _ = run_stream(make_stream("deleted_users", state={"updated_at": at(5)}))
    assert [r["id"] for r in records] == [2] and states[-1] == {"updated_at": at(8)}


def test_approval_requests_follow_their_after_cursor_link(api):
    """Approval requests page by `after_cursor` rather than `page[after]`: the link Zendesk sends is followed."""
    link = url("approval_requests?after_cursor=C1")
    api.get(
        url("approval_requests"),
        [
            cbp("approval_requests", [{"id": "01A", "created_at": at(2)}], after="C1", has_more=True, next_link=link),
            cbp("approval_requests", [{"id": "01B", "created_at": at(3)}], after="C2"),
        ],
    )
    no_offset_count(api, "approval_requests")
    records, states, _ = run_stream(make_stream("approval_requests"))
    second = data_requests(api)[1]
    assert param(second, "after_cursor") == "C1" and param(second, "page[after]") is None
    assert [r["id"] for r in records] == ["01A", "01B"] and states[-1] == {"created_at": at(3)}


def test_schedules_carry_their_holidays(api):
    api.get(
        url("business_hours/schedules"),
        [ok({"schedules": [{"id": 1, "updated_at": at(8)}, {"id": 2, "updated_at": at(9)}]})],
    )
    api.get(url("business_hours/schedules/1/holidays"), [ok({"holidays": [{"id": 10, "name": "New Year"}]})])
    api.get(url("business_hours/schedules/2/holidays"), [ok({"holidays": []})])
    records, states, _ = run_stream(make_stream("schedules"))
    assert records == [
        {"id": 1, "updated_at": at(8), "holidays": [{"id": 10, "name": "New Year"}]},
        {"id": 2, "updated_at": at(9), "holidays": []},
    ]
    assert states == [{"updated_at": at(9)}]


def test_schedules_skip_holidays_of_older_schedules(api):
    api.get(
        url("business_hours/schedules"),
        [ok({"schedules": [{"id": 1, "updated_at": at(3)}, {"id": 2, "updated_at": at(9)}]})],
    )
    api.get(url("business_hours/schedules/2/holidays"), [ok({"holidays": []})])
    records, _, _ = run_stream(make_stream("schedules", state={"updated_at": at(5)}))
    assert [r["id"] for r in records] == [2]
    assert [r.path for r in api.request_history] == [
        "/api/v2/business_hours/schedules",
        "/api/v2/business_hours/schedules/2/holidays",
    ]


def test_schedule_whose_holidays_are_gone_keeps_the_schedule(api):
    # The schedule was deleted between the list and the holidays request: one schedule, not the whole stream.
    api.get(
        url("business_hours/schedules"),
        [ok({"schedules": [{"id": 1, "updated_at": at(8)}, {"id": 2, "updated_at": at(9)}]})],
    )
    api.get(
        url("business_hours/schedules/1/holidays"),
        [ok({"error": "RecordNotFound", "description": "Not found"}, status=404)],
    )
    api.get(url("business_hours/schedules/2/holidays"), [ok({"holidays": [{"id": 20}]})])
    stream = make_stream("schedules")
    records, _, _ = run_stream(stream)
    assert [(r["id"], r["holidays"]) for r in records] == [(1, []), (2, [{"id": 20}])]
    assert "schedules" not in stream.context.unavailable_streams


def test_schedules_on_a_plan_without_them_skip_the_stream(api):
    api.get(url("business_hours/schedules"), [ok({"error": "InvalidEndpoint", "description": "Not found"}, status=404)])
    stream = make_stream("schedules")
    records, states, _ = run_stream(stream)
    assert records == [] and "schedules" in stream.context.unavailable_streams


# --- per-ticket children (side_conversations) ----------------------------------------------------------------------
TICKETS = url("incremental/tickets/cursor")


def test_children_are_read_for_changed_tickets_with_the_parent_cursor_saved(api):
    api.get(
        TICKETS,
        [
            ok(
                {
                    "tickets": [
                        {"id": 1, "status": "open"},
                        {"id": 2, "status": "deleted"},
                        {"id": 3, "status": "solved"},
                    ],
                    "after_cursor": "P1",
                    "end_of_stream": True,
                }
            )
        ],
    )
    api.get(url("tickets/1/side_conversations"), [cbp("side_conversations", [{"id": "a", "updated_at": at(5)}])])
    api.get(url("tickets/3/side_conversations"), [ok({"error": "RecordNotFound"}, status=404)])
    records, states, _ = run_stream(make_stream("side_conversations"))
    assert records == [{"id": "a", "updated_at": at(5), "ticket_id": 1}]
    assert param(api.request_history[0], "start_time") == str(START)
    assert param(api.request_history[1], "page[size]") == "100"
    assert all("/tickets/2/" not in r.url for r in api.request_history)  # nothing is served under a deleted ticket
    assert states == [{**ALL, "parent_cursor": "P1", "updated_at": at(5)}]


def test_the_conversation_log_is_asked_only_for_messaging_tickets(api):
    tickets = [
        {"id": 1, "status": "open", "from_messaging_channel": True},
        {"id": 2, "status": "open", "from_messaging_channel": False},
        {"id": 3, "status": "solved"},
        {"id": 4, "status": "deleted", "from_messaging_channel": True},
        {"id": 5, "status": "closed", "from_messaging_channel": True},
    ]
    api.get(TICKETS, [ok({"tickets": tickets, "after_cursor": "P1", "end_of_stream": True})])
    api.get(
        url("tickets/1/conversation_log"),
        [cbp("events", [{"id": "01A", "type": "Messaging::ConversationMessage", "created_at": at(5)}])],
    )
    api.get(url("tickets/5/conversation_log"), [cbp("events", [{"id": "01B", "type": "Comment", "created_at": at(6)}])])
    records, states, _ = run_stream(make_stream("conversation_log"))
    assert [(r["id"], r["ticket_id"]) for r in records] == [("01A", 1), ("01B", 5)]
    asked = [r.path for r in api.request_history if r.path.endswith("/conversation_log")]
    assert asked == ["/api/v2/tickets/1/conversation_log", "/api/v2/tickets/5/conversation_log"]
    assert states[-1] == {**ALL, "parent_cursor": "P1", "created_at": at(6)}


def test_side_conversation_events_and_recipients_come_from_the_side_conversation_page(api):
    conversation = {
        "id": "sc1",
        "updated_at": at(5),
        "participants": [
            {"user_id": 7, "name": "Ann", "email": "Ann@Example.com"},
            {"user_id": None, "name": "#support", "slack_workspace_id": "W1", "slack_channel_id": "C1"},
        ],
    }
    events = [
        {"id": "e1", "side_conversation_id": "sc1", "type": "create", "created_at": at(4)},
        {"id": "e2", "side_conversation_id": "sc1", "type": "reply", "created_at": at(5)},
    ]
    api.get(TICKETS, [ok({"tickets": [{"id": 1, "status": "open"}], "after_cursor": "P1", "end_of_stream": True})])
    api.get(
        url("tickets/1/side_conversations"),
        [
            {
                **cbp("side_conversations", [conversation]),
                "text": _json.dumps(
                    {"side_conversations": [conversation], "events": events, "meta": {"has_more": False}}
                ),
            }
        ],
    )
    got, _, _ = run_stream(make_stream("side_conversation_events"))
    assert [(e["id"], e["ticket_id"]) for e in got] == [("e1", 1), ("e2", 1)]
    side = [r for r in api.request_history if r.path.endswith("/side_conversations")]
    assert side and all(param(r, "include") == "events" for r in side)
    recipients, states, _ = run_stream(make_stream("side_conversation_recipients"))
    assert [(r["recipient"], r["side_conversation_id"], r["ticket_id"]) for r in recipients] == [
        ("ann@example.com", "sc1", 1),
        ("slack:W1/C1", "sc1", 1),
    ]
    assert states[-1] == {**ALL, "parent_cursor": "P1", "updated_at": at(5)}


def test_children_pages_are_followed(api):
    link = url("tickets/1/side_conversations.json?page%5Bafter%5D=S1")
    api.get(TICKETS, [ok({"tickets": [{"id": 1}], "after_cursor": "P1", "end_of_stream": True})])
    api.get(
        url("tickets/1/side_conversations"),
        [cbp("side_conversations", [{"id": "a", "updated_at": at(5)}], after="S1", has_more=True, next_link=link)],
    )
    api.get(url("tickets/1/side_conversations.json"), [cbp("side_conversations", [{"id": "b", "updated_at": at(6)}])])
    records, _, _ = run_stream(make_stream("side_conversations"))
    assert [r["id"] for r in records] == ["a", "b"]


def test_children_resume_from_the_saved_parent_cursor_and_fall_back_when_it_is_refused(api):
    api.get(
        TICKETS,
        [ok({"error": "InvalidCursor"}, status=400), ok({"tickets": [], "after_cursor": "P2", "end_of_stream": True})],
    )
    _, states, _ = run_stream(
        make_stream("side_conversations", state={**ALL, "parent_cursor": "OLD", "updated_at": at(5)})
    )
    assert param(api.request_history[0], "cursor") == "OLD"
    assert param(api.request_history[1], "start_time") == str(START)
    assert states == [{**ALL, "parent_cursor": "P2", "updated_at": at(5)}]


def test_children_404_on_a_later_ticket_skips_only_that_ticket(api):
    api.get(TICKETS, [ok({"tickets": [{"id": 1}, {"id": 2}, {"id": 3}], "after_cursor": "P1", "end_of_stream": True})])
    api.get(url("tickets/1/side_conversations"), [cbp("side_conversations", [{"id": "a", "updated_at": at(5)}])])
    api.get(
        url("tickets/2/side_conversations"), [ok({"error": "RecordNotFound", "description": "Not found"}, status=404)]
    )
    api.get(url("tickets/3/side_conversations"), [cbp("side_conversations", [{"id": "c", "updated_at": at(6)}])])
    stream = make_stream("side_conversations")
    records, states, _ = run_stream(stream)
    assert [r["id"] for r in records] == ["a", "c"]
    assert "side_conversations" not in stream.context.unavailable_streams
    assert states[-1] == {**ALL, "parent_cursor": "P1", "updated_at": at(6)}


def test_children_403_everywhere_means_the_add_on_is_missing(api):
    api.get(TICKETS, [ok({"tickets": [{"id": 1}, {"id": 2}], "after_cursor": "P1", "end_of_stream": True})])
    api.get(
        url("tickets/1/side_conversations"),
        [{"text": "", "status_code": 403, "headers": {"Content-Type": "text/html"}}],
    )
    api.get(
        url("tickets/2/side_conversations"),
        [{"text": "", "status_code": 403, "headers": {"Content-Type": "text/html"}}],
    )
    stream = make_stream("side_conversations")
    records, _, _ = run_stream(stream)
    assert records == [] and "side_conversations" in stream.context.unavailable_streams


def test_children_404_on_the_first_ticket_skips_only_that_ticket(api):
    api.get(TICKETS, [ok({"tickets": [{"id": 1}, {"id": 2}], "after_cursor": "P1", "end_of_stream": True})])
    api.get(
        url("tickets/1/side_conversations"), [ok({"error": "RecordNotFound", "description": "Not found"}, status=404)]
    )
    api.get(url("tickets/2/side_conversations"), [cbp("side_conversations", [{"id": "b", "updated_at": at(6)}])])
    records, _, _ = run_stream(make_stream("side_conversations"))
    assert [r["id"] for r in records] == ["b"]


def test_bounded_backfill_of_an_append_only_list_does_not_save_a_page_cursor_past_end_date(api):
    """Records after end_date are dropped now; the saved page cursor must not skip them for a later sync."""
    api.get(
        url("ticket_audits"),
        [
            cbp("audits", [{"id": 1, "created_at": at(2)}, {"id": 2, "created_at": at(20)}], after="A1", has_more=True),
            cbp("audits", [{"id": 3, "created_at": at(25)}], after="A2", has_more=False),
        ],
    )
    config = make_config(end_date="2024-01-15T00:00:00Z")
    records, states, _ = run_stream(make_stream("ticket_audits", config=config))
    assert [r["id"] for r in records] == [1]
    # A later sync (end_date moved or removed) must still read record 2: the cursor of the page holding it is not saved.
    assert all(state.get("page_after") not in ("A1", "A2") for state in states)
    assert states[-1]["created_at"] == at(2)
    assert len(api.request_history) == 1  # an ascending list past end_date is not read further


def test_after_a_bounded_backfill_the_next_sync_reads_what_was_past_end_date(api):
    api.get(
        url("ticket_audits"),
        [
            cbp("audits", [{"id": 1, "created_at": at(2)}], after="A1", has_more=True),
            cbp("audits", [{"id": 2, "created_at": at(20)}], after="A2", has_more=False),
            cbp("audits", [{"id": 2, "created_at": at(20)}], after="A2", has_more=False),
        ],
    )
    _, states, _ = run_stream(make_stream("ticket_audits", config=make_config(end_date="2024-01-15T00:00:00Z")))
    records, _, _ = run_stream(make_stream("ticket_audits", state=states[-1]))
    assert [r["id"] for r in records] == [2]
    assert param(api.request_history[-1], "page[after]") == "A1"


def test_children_parent_export_that_does_not_move_ends_the_read(api):
    calls = []

    def same_cursor(request, context):
        calls.append(request.url)
        context.headers["Content-Type"] = "application/json"
        if len(calls) > 20:
            raise AssertionError("the parent export kept asking for the same empty page")
        return '{"tickets": [], "after_cursor": "P5", "end_of_stream": false}'

    api.get(TICKETS, text=same_cursor)
    records, states, _ = run_stream(make_stream("side_conversations", state={**ALL, "parent_cursor": "P5"}))
    assert records == [] and len(calls) <= 2
    assert states[-1]["parent_cursor"] == "P5"


# --- property: ascending lists checkpoint per page; a read killed after any state resumes without loss -----------
import itertools  # noqa: E402
import json as _json  # noqa: E402

import requests_mock  # noqa: E402
from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from source_zendesk_support.foundation.clock import to_iso  # noqa: E402


class AuditLogPages:
    """/audit_logs sorted by created_at ascending, filtered server-side by filter[created_at][]=[from, to]."""

    def __init__(self, records, page):
        self.records, self.page = sorted(records, key=lambda r: (r[1], r[0])), page

    def __call__(self, request, context):
        context.headers["Content-Type"] = "application/json"
        query = query_of(request)
        low, high = (epoch(v) for v in query["filter[created_at][]"])
        rows = [r for r in self.records if low <= r[1] <= high]
        offset = int(query.get("page[after]", ["0"])[0])
        taken = rows[offset : offset + self.page]
        more = offset + self.page < len(rows)
        return _json.dumps(
            {
                "audit_logs": [{"id": i, "created_at": to_iso(ts)} for i, ts in taken],
                "meta": {"has_more": more, "after_cursor": str(offset + self.page) if more else None},
                "links": {"next": None},
            }
        )


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.integers(1, 4), st.lists(st.integers(0, 3), min_size=1, max_size=12), st.data())
def test_ascending_list_resumes_after_any_state_without_loss(page, gaps, data):
    ids, ts, records = itertools.count(1), START + 100, []
    for gap in gaps:
        ts += gap
        records.append((next(ids), ts))
    with requests_mock.Mocker() as mocker:
        without_counts(mocker)
        mocker.get(url("audit_logs"), text=AuditLogPages(records, page))
        no_offset_count(mocker, "audit_logs")
        _, _, items = run_stream(make_stream("audit_logs"))
        positions = [n for n, (kind, _) in enumerate(items) if kind == "STATE"]
        kill_at = data.draw(st.sampled_from(positions))
        before = {value["id"] for kind, value in items[: kill_at + 1] if kind == "RECORD"}
        resumed, _, _ = run_stream(make_stream("audit_logs", state=items[kill_at][1]))
    assert before | {r["id"] for r in resumed} == {i for i, _ in records}
