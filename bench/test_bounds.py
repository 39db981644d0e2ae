"""The benchmark's lower bounds: `python -m pytest bench/test_bounds.py` (no sandbox, no network)."""

from bench.bounds import EXPORT_PAGE, LIST_PAGE, SINGLE, Limits, minimum_requests, minimum_wall_seconds, pages_needed
from bench.report import table


def summary(**endpoint_counts):
    """A /_sandbox/summary with just the counts these tests need."""
    resources = {
        "tickets": {"total": 2500, "deleted": 10, "endpoints": {"/api/v2/incremental/tickets/cursor": 2500}},
        "ticket_events": {"total": 9000, "endpoints": {"/api/v2/incremental/ticket_events": 9000}},
        "ticket_audits": {"total": 9000, "endpoints": {"/api/v2/ticket_audits": 301}},
        "groups": {"total": 7, "endpoints": {"/api/v2/groups": 6}},
        "schedules": {"total": 3, "endpoints": {"/api/v2/business_hours/schedules": 3}},
        "sla_policies": {"total": 0, "endpoints": {"/api/v2/slas/policies": 0}},
    }
    for name, count in endpoint_counts.items():
        resources[name]["endpoints"] = {k: count for k in resources[name]["endpoints"]}
    return {"resources": resources}


def test_pages_round_up_and_an_empty_list_still_costs_a_request():
    assert pages_needed(0, EXPORT_PAGE) == 1
    assert pages_needed(1000, EXPORT_PAGE) == 1
    assert pages_needed(1001, EXPORT_PAGE) == 2
    assert pages_needed(101, LIST_PAGE) == 2
    assert pages_needed(5000, SINGLE) == 1


def test_streams_reading_one_export_count_its_pages_once():
    bounds = minimum_requests(["tickets", "ticket_metrics", "ticket_events", "ticket_comments"], summary())
    assert bounds["/api/v2/incremental/tickets/cursor"].min_requests == 3
    assert bounds["/api/v2/incremental/tickets/cursor"].streams == ["tickets", "ticket_metrics"]
    assert bounds["/api/v2/incremental/ticket_events"].min_requests == 9
    assert sum(b.min_requests for b in bounds.values()) == 12


def test_lists_page_by_100_and_schedules_add_one_request_per_schedule():
    bounds = minimum_requests(["ticket_audits", "groups", "schedules", "sla_policies"], summary())
    assert bounds["/api/v2/ticket_audits"].min_requests == 4
    assert bounds["/api/v2/groups"].min_requests == 1 and bounds["/api/v2/groups"].items == 7  # deleted ones too
    assert bounds["/api/v2/business_hours/schedules"].min_requests == 1
    assert bounds["/api/v2/business_hours/schedules/{schedule_id}/holidays"].min_requests == 3
    assert bounds["/api/v2/slas/policies"].min_requests == 1


def test_wall_bound_counts_whole_windows_of_the_tightest_bucket():
    limits = Limits(account=700, exports=10, window_seconds=3.0)
    # 25 export requests need 3 windows: the last one opens 2 windows after the start.
    assert minimum_wall_seconds({"/api/v2/incremental/tickets/cursor": 25}, limits) == 6.0
    # users/cursor has twice the export budget
    assert minimum_wall_seconds({"/api/v2/incremental/users/cursor": 20}, limits) == 0.0
    # the account bucket binds when list requests dominate
    assert minimum_wall_seconds({"/api/v2/ticket_audits": 1401, "/api/v2/incremental/ticket_events": 1}, limits) == 6.0
    # a run starting 1 s into a window has 1 s less to wait
    assert minimum_wall_seconds({"/api/v2/incremental/ticket_events": 11}, limits, offset_in_window=1.0) == 2.0


def test_rate_limits_off_means_no_wall_bound():
    assert minimum_wall_seconds({"/api/v2/incremental/ticket_events": 10_000}, Limits(0, 0, 1.0)) == 0.0


def test_table_aligns_numbers_right():
    lines = table(["stream", "records"], [["tickets", 1234567], ["users", None]])
    assert lines[2] == "| tickets | 1,234,567 |"
    assert lines[3] == "| users   |         - |"


def test_the_rate_limited_clock_keeps_whole_second_windows():
    from bench.run import whole_second_scale

    assert whole_second_scale(31.8) == 30.0  # 1.89 s windows become 2 s
    assert whole_second_scale(13.0) == 12.0  # 4.6 s -> 5 s
    assert whole_second_scale(41.9) == 30.0  # 1.43 s -> 2 s: the bound only grows
    assert whole_second_scale(30.0) == 30.0
    assert whole_second_scale(0.5) == 1.0  # never slower than Zendesk
    assert whole_second_scale(500.0) == 60.0  # at most one window a second
