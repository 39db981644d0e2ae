"""The shared rate budget: one window per Zendesk limit, calibrated by Zendesk's headers, never exceeded."""

from __future__ import annotations

import requests
import requests_mock
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from source_zendesk_support.http.rate_budget import DEFAULT_ACCOUNT_LIMIT, ZendeskRateBudget

from .fake_exports import TimeExport
from .support import without_counts, epoch, make_context, make_stream, run_stream, url

EXPORT = url("incremental/tickets/cursor")
LIST = url("groups")


def request_for(target: str) -> requests.PreparedRequest:
    return requests.Request("GET", target).prepare()


def answer(status: int = 200, headers=None) -> requests.Response:
    response = requests.Response()
    response.status_code = status
    response.headers.update(headers or {})
    return response


def acquire_times(budget, clock, targets):
    times = []
    for target in targets:
        budget.acquire_call(request_for(target))
        times.append(clock.offset)
    return times


def max_in_any_window(times, width=60.0):
    """The most calls inside any [t, t + width) interval (a fixed window can be placed anywhere by Zendesk)."""
    return max((sum(1 for u in times if t <= u < t + width) for t in times), default=0)


def test_paths_are_charged_to_every_window_they_belong_to():
    budget = ZendeskRateBudget()

    def windows(target):
        return {name for name, (_, window) in budget.buckets.items() if window.matches(request_for(target))}

    assert windows(url("incremental/tickets/cursor.json?start_time=1")) == {"incremental_exports"}
    assert windows(url("incremental/ticket_events?start_time=1")) == {"incremental_exports"}
    # the users cursor export has its own bucket and spends none of the other exports' 10 a minute
    assert windows(url("incremental/users/cursor?start_time=1")) == {"incremental_exports_cursor"}
    assert windows(url("incremental/users?start_time=1")) == {"incremental_exports"}
    assert windows(url("chat/incremental/chats")) == {"chat"}  # Chat's own window replaces the account's
    assert windows(url("help_center/incremental/articles")) == {"help_center", "incremental_exports"}
    assert budget._windows_for(request_for(url("chat/agents")))[-1] is budget.buckets["chat"][1]
    assert windows(url("search/export.json?query=x")) == {"search_export"}
    assert windows(url("deleted_tickets.json")) == {"deleted_tickets"}
    assert windows(url("deleted_tickets")) == {"deleted_tickets"}
    assert windows(url("tickets/1/deleted_tickets_x")) == set()
    assert windows(url("groups")) == set()
    assert budget.account.matches(request_for(url("groups")))


def test_default_limits():
    budget = ZendeskRateBudget()
    assert budget.account.limit == DEFAULT_ACCOUNT_LIMIT
    assert budget.buckets["incremental_exports"][1].limit == 10
    assert budget.buckets["deleted_tickets"][1].limit == 10
    assert budget.buckets["search_export"][1].limit == 100
    assert ZendeskRateBudget(export_limit=30).buckets["incremental_exports"][1].limit == 30


def test_export_requests_wait_for_the_next_window(clock):
    budget = ZendeskRateBudget()
    times = acquire_times(budget, clock, [EXPORT] * 25)
    assert times[9] < 1 and times[10] >= 59  # the 11th waits for the next minute
    assert max_in_any_window(times) <= 10 + 10  # a fixed window allows at most two windows' worth in any minute
    assert all(len([t for t in times if int(t // 60) == window]) <= 10 for window in range(5))


def test_after_an_idle_spell_a_burst_still_gets_only_one_window(clock):
    budget = ZendeskRateBudget()
    clock.sleep(300)  # five windows pass with no request
    times = acquire_times(budget, clock, [EXPORT] * 11)
    assert times[9] - times[0] < 1 and times[10] - times[0] > 1


def test_account_limit_is_learned_from_headers(clock):
    budget = ZendeskRateBudget()
    budget.update_from_response(
        request_for(LIST),
        answer(200, {"ratelimit-limit": "700", "ratelimit-remaining": "699", "ratelimit-reset": "41"}),
    )
    assert budget.account.limit == 700
    budget = ZendeskRateBudget()
    budget.update_from_response(
        request_for(LIST), answer(200, {"X-Rate-Limit": "400", "X-Rate-Limit-Remaining": "399"})
    )
    assert budget.account.limit == 400
    budget = ZendeskRateBudget()
    budget.update_from_response(
        request_for(LIST), answer(200, {"rate-limit": "2500", "rate-limit-remaining": "10", "rate-limit-reset": "5"})
    )
    assert budget.account.limit == 2500


def test_remaining_zero_makes_the_next_call_wait_for_the_reset(clock):
    budget = ZendeskRateBudget()
    budget.update_from_response(
        request_for(LIST), answer(200, {"ratelimit-limit": "700", "ratelimit-remaining": "0", "ratelimit-reset": "23"})
    )
    start = clock.offset
    budget.acquire_call(request_for(LIST))
    assert 22.9 <= clock.offset - start <= 23.5


def test_bucket_header_is_parsed(clock):
    budget = ZendeskRateBudget()
    budget.update_from_response(
        request_for(EXPORT), answer(200, {"zendesk-ratelimit-incremental-exports": "total=30; remaining=0; resets=17"})
    )
    window = budget.buckets["incremental_exports"][1]
    assert window.limit == 30  # a High Volume account
    start = clock.offset
    budget.acquire_call(request_for(EXPORT))
    assert 16.9 <= clock.offset - start <= 17.5


def test_users_cursor_export_paces_by_its_own_bucket(clock):
    budget = ZendeskRateBudget()
    users = url("incremental/users/cursor")
    assert budget.buckets["incremental_exports_cursor"][1].limit == 20
    times = acquire_times(budget, clock, [users] * 20 + [EXPORT] * 10)
    assert times[-1] < 1  # 20 users pages and 10 other export pages fit one window together
    budget.update_from_response(
        request_for(users),
        answer(200, {"zendesk-ratelimit-incremental-exports-cursor": "total=60; remaining=0; resets=12"}),
    )
    assert budget.buckets["incremental_exports_cursor"][1].limit == 60
    start = clock.offset
    budget.acquire_call(request_for(users))
    assert 11.9 <= clock.offset - start <= 12.5


def _support_answer(remaining: int, resets: int) -> requests.Response:
    return answer(
        200, {"ratelimit-limit": "700", "ratelimit-remaining": str(remaining), "ratelimit-reset": str(resets)}
    )


def test_help_center_paces_by_the_minute_the_support_headers_show(clock):
    """Help Center answers carry no reset time; a server whose Support windows last 2 s gets 2-second Help Center
    windows too, once two windows have rolled over."""
    budget = ZendeskRateBudget()
    hc = url("help_center/articles/1/votes")
    budget.update_from_response(request_for(hc), answer(200, {"X-Rate-Limit": "700", "X-Rate-Limit-Remaining": "0"}))
    for _ in range(3):  # three 2-second windows, each seen at its start and end
        budget.update_from_response(request_for(LIST), _support_answer(699, 2))
        clock.sleep(1.5)
        budget.update_from_response(request_for(LIST), _support_answer(10, 1))
        clock.sleep(0.5)
    start = clock.offset
    budget.acquire_call(request_for(hc))
    assert clock.offset - start <= 2.01


def test_any_window_length_the_reset_headers_show_is_followed_up_to_zendesks_minute(clock):
    """No guess about which servers have short windows: 45-second windows, seen rolling over twice, are 45 s long."""
    budget = ZendeskRateBudget()
    hc = url("help_center/articles/1/votes")
    budget.update_from_response(request_for(hc), answer(200, {"X-Rate-Limit": "700", "X-Rate-Limit-Remaining": "0"}))
    for _ in range(3):
        budget.update_from_response(request_for(LIST), _support_answer(699, 45))
        clock.sleep(44)
        budget.update_from_response(request_for(LIST), _support_answer(10, 1))
        clock.sleep(1)
    start = clock.offset
    budget.acquire_call(request_for(hc))
    assert clock.offset - start <= 45.01


def test_zendesk_minute_is_never_shortened_by_a_short_sync(clock):
    budget = ZendeskRateBudget()
    hc = url("help_center/articles/1/votes")
    for resets in (41, 40, 60, 59, 60, 58):  # a real minute, with a rollover between 40 and 60
        budget.update_from_response(request_for(LIST), _support_answer(600, resets))
        clock.sleep(1)
    budget.update_from_response(request_for(hc), answer(200, {"X-Rate-Limit": "700", "X-Rate-Limit-Remaining": "0"}))
    start = clock.offset
    budget.acquire_call(request_for(hc))
    assert clock.offset - start > 30  # the Help Center window is still a minute long


def test_429_empties_the_window_until_retry_after(clock):
    budget = ZendeskRateBudget()
    budget.update_from_response(
        request_for(EXPORT),
        answer(429, {"Retry-After": "44", "zendesk-ratelimit-incremental-exports": "total=10; remaining=4; resets=5"}),
    )
    start = clock.offset
    budget.acquire_call(request_for(EXPORT))
    assert 43.9 <= clock.offset - start <= 44.5


def test_account_429_uses_retry_after_for_the_reset(clock):
    budget = ZendeskRateBudget()
    budget.update_from_response(
        request_for(LIST), answer(429, {"Retry-After": "9", "ratelimit-remaining": "0", "ratelimit-reset": "50"})
    )
    start = clock.offset
    budget.acquire_call(request_for(LIST))
    assert 8.9 <= clock.offset - start <= 9.5


def test_account_headers_are_not_confused_with_the_bucket_header(clock):
    budget = ZendeskRateBudget()
    budget.update_from_response(
        request_for(EXPORT),
        answer(
            200,
            {
                "ratelimit-limit": "700",
                "ratelimit-remaining": "699",
                "ratelimit-reset": "41",
                "zendesk-ratelimit-incremental-exports": "total=10; remaining=2; resets=6",
            },
        ),
    )
    assert budget.account.limit == 700
    start = clock.offset
    for _ in range(50):  # the account still has 699 calls this minute: none of these waits
        budget.acquire_call(request_for(LIST))
    assert clock.offset - start < 1


def test_a_server_without_rate_limit_headers_is_paced_at_the_documented_limits(clock):
    """Missing headers never mean "unlimited": the export window stays at Zendesk's 10 a minute and the account
    at the Team plan's 200, until headers say otherwise."""
    budget = ZendeskRateBudget()
    budget.update_from_response(request_for(EXPORT), answer(200, {}))
    start = clock.offset
    for _ in range(10):
        budget.acquire_call(request_for(EXPORT))
    assert clock.offset - start < 1
    budget.acquire_call(request_for(EXPORT))  # the eleventh waits for the next window
    assert clock.offset - start >= 59
    budget.update_from_response(request_for(LIST), answer(200, {}))
    times = acquire_times(budget, clock, [LIST] * (DEFAULT_ACCOUNT_LIMIT + 1))
    assert times[-1] - times[0] >= 55
    assert sum(1 for t in times if t < times[0] + 55) <= DEFAULT_ACCOUNT_LIMIT


def test_an_answer_without_headers_keeps_the_last_limit_told(clock):
    budget = ZendeskRateBudget()
    budget.update_from_response(
        request_for(LIST),
        answer(200, {"ratelimit-limit": "700", "ratelimit-remaining": "699", "ratelimit-reset": "60"}),
    )
    budget.update_from_response(request_for(LIST), answer(200, {}))
    assert budget.account.limit == 700


def test_headers_of_other_buckets_are_ignored(clock):
    budget = ZendeskRateBudget()
    budget.update_from_response(
        request_for(LIST), answer(200, {"zendesk-ratelimit-incremental-exports": "total=10; remaining=0; resets=50"})
    )
    start = clock.offset
    budget.acquire_call(request_for(EXPORT))
    assert clock.offset - start < 1


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.sampled_from(["export", "list", "deleted"]), min_size=1, max_size=60), st.floats(0, 400))
def test_never_more_calls_in_a_window_than_its_limit(clock, kinds, idle):
    """Whatever the mix of endpoints, and however long the budget sat idle first."""
    budget = ZendeskRateBudget(account_limit=15)
    clock.sleep(idle)
    targets = {"export": EXPORT, "list": LIST, "deleted": url("deleted_tickets")}
    times = {kind: [] for kind in targets}
    every = []
    for kind in kinds:
        budget.acquire_call(request_for(targets[kind]))
        times[kind].append(clock.offset)
        every.append(clock.offset)
    # A fixed window lets at most `limit` calls through per window, so never more than 2 x limit in any minute,
    # and never more than `limit` at one instant.
    for kind, limit in (("export", 10), ("deleted", 10)):
        assert max_in_any_window(times[kind], width=1e-3) <= limit
        assert max_in_any_window(times[kind]) <= 2 * limit
    assert max_in_any_window(every, width=1e-3) <= 15
    assert max_in_any_window(every) <= 30


def test_a_long_export_paces_itself_through_the_http_client(clock):
    """12 pages of an export at 10 requests a minute: the 11th request waits for the next window."""
    records = [(i, epoch("2024-01-02T00:00:00Z") + i) for i in range(1, 13)]
    fake = TimeExport(records=records, list_key="ticket_events", cursor_field="timestamp", fill=1, cap=1)
    sent_at = []

    def timed(request, context):
        sent_at.append(clock.offset)
        body = fake(request, context)
        context.headers.update({"ratelimit-limit": "700", "ratelimit-remaining": "650", "ratelimit-reset": "30"})
        return body

    with requests_mock.Mocker() as mocker:
        without_counts(mocker)
        mocker.get(url("incremental/ticket_events"), text=timed)
        context = make_context()
        context.budget = ZendeskRateBudget()
        emitted, _, _ = run_stream(make_stream("ticket_events", context=context))
    assert len(emitted) == 12 and len(sent_at) == 12
    assert sent_at[10] - sent_at[0] >= 59
    assert max_in_any_window(sent_at, width=1e-3) <= 10


def test_help_center_and_chat_have_their_own_account_windows(clock):
    budget = ZendeskRateBudget()
    acquire_times(budget, clock, [url("help_center/articles")] * 50 + [url("chat/agents")] * 50)
    assert budget.account.calls == 0  # neither touched the Support window
    assert budget.buckets["help_center"][1].calls == 50 and budget.buckets["chat"][1].calls == 50
    # Chat allows 200 a minute: the 201st chat request waits for the next window.
    times = acquire_times(budget, clock, [url("chat/agents")] * 151)
    assert times[149] - times[0] < 1 and times[150] - times[0] > 1


def test_help_center_headers_calibrate_the_help_center_window_only(clock):
    budget = ZendeskRateBudget()
    budget.update_from_response(
        request_for(url("help_center/articles")),
        answer(200, {"X-Rate-Limit": "400", "X-Rate-Limit-Remaining": "0", "ratelimit-reset": "12"}),
    )
    start = clock.offset
    budget.acquire_call(request_for(LIST))  # the Support window is untouched
    assert clock.offset - start < 1
    budget.acquire_call(request_for(url("help_center/articles")))
    assert 11.9 <= clock.offset - start <= 12.5


def test_an_error_page_without_headers_does_not_switch_pacing_off(clock):
    """A 502/503 from a proxy or the edge carries no rate-limit headers; that says nothing about Zendesk's limits."""
    budget = ZendeskRateBudget()
    budget.update_from_response(request_for(EXPORT), answer(503, {"Content-Type": "text/html"}))
    budget.update_from_response(
        request_for(EXPORT),
        answer(200, {"ratelimit-limit": "700", "ratelimit-remaining": "690", "ratelimit-reset": "30"}),
    )
    times = acquire_times(budget, clock, [EXPORT] * 11)
    assert times[10] - times[0] > 1, "the 11th export request of a minute must wait"


def test_concurrent_workers_never_exceed_a_window(clock):
    """Workers acquire from one budget at once: no window ever lets more calls through than its limit."""
    import threading

    budget = ZendeskRateBudget()
    window = budget.buckets["incremental_exports"][1]
    granted = []
    original = window.take

    def recording_take():
        with window.lock:  # re-entrant: the grant and the window it fell in are read atomically
            wait = original()
            if wait is None:
                granted.append(window.ends)
            return wait

    window.take = recording_take

    def worker():
        for _ in range(8):
            budget.acquire_call(request_for(EXPORT))

    threads = [threading.Thread(target=worker) for _ in range(5)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert len(granted) == 40
    per_window = {}
    for window_end in granted:
        per_window[window_end] = per_window.get(window_end, 0) + 1
    assert max(per_window.values()) <= 10, per_window


def test_an_answer_about_a_window_that_has_ended_does_not_move_the_current_one(clock):
    budget = ZendeskRateBudget()
    headers = {"ratelimit-limit": "700", "ratelimit-remaining": "650", "ratelimit-reset": "60"}
    budget.update_from_response(request_for(LIST), answer(200, headers))
    slow = request_for(LIST)
    budget.acquire_call(slow)  # counted in this window
    clock.sleep(61)  # its answer comes (or is read) only after the window has ended
    end = budget.account.current_end()
    budget.update_from_response(slow, answer(200, {**headers, "ratelimit-remaining": "3", "ratelimit-reset": "1"}))
    # Taken, its reset would end the current window in 1 s, and a whole new window's calls would go out while
    # Zendesk's window still counts this one's.
    assert budget.account.current_end() == end
    fresh = request_for(LIST)
    budget.acquire_call(fresh)
    budget.update_from_response(fresh, answer(200, {**headers, "ratelimit-remaining": "0", "ratelimit-reset": "30"}))
    start = clock.offset
    budget.acquire_call(request_for(LIST))  # an answer about the current window is taken
    assert 29.9 <= clock.offset - start <= 30.5


def test_a_429_is_taken_even_for_a_request_of_an_earlier_window(clock):
    budget = ZendeskRateBudget()
    budget.update_from_response(
        request_for(LIST),
        answer(200, {"ratelimit-limit": "700", "ratelimit-remaining": "650", "ratelimit-reset": "60"}),
    )
    slow = request_for(LIST)
    budget.acquire_call(slow)
    clock.sleep(61)
    budget.update_from_response(
        slow,
        answer(429, {"Retry-After": "7", "ratelimit-limit": "700", "ratelimit-remaining": "0", "ratelimit-reset": "7"}),
    )
    start = clock.offset
    budget.acquire_call(request_for(LIST))
    assert 6.9 <= clock.offset - start <= 7.5
