"""Zendesk Chat's own paging: the (start_time, start_id) chat export and since_id lists."""

from __future__ import annotations

import pytest
from airbyte_cdk.utils.traced_exception import AirbyteTracedException

from source_zendesk_support.foundation.clock import to_iso

from .support import epoch, make_config, make_stream, ok, param, run_stream, url

CHATS = url("chat/incremental/chats")
START = epoch("2024-01-01T00:00:00Z")


def chat(chat_id: str, ts: int):
    return {"id": chat_id, "update_timestamp": to_iso(ts), "type": "chat"}


def export_page(chats, end_time, end_id, more=True):
    return ok(
        {
            "chats": chats,
            "count": len(chats),
            "end_time": end_time,
            "end_id": end_id,
            "next_page": url(f"chat/incremental/chats?start_time={end_time}&start_id={end_id}") if more else None,
        }
    )


def full(prefix: str, ts: int):
    return [chat(f"{prefix}{n}", ts) for n in range(1000)]


def test_chat_export_follows_end_time_and_end_id(api):
    api.get(
        CHATS,
        [
            export_page(full("a", START + 10), START + 10, "a999"),
            export_page([chat("b1", START + 20)], START + 20, "b1"),
        ],
    )
    records, states, _ = run_stream(make_stream("chats"))
    first, second = api.request_history
    assert param(first, "start_time") == str(START) and param(first, "start_id") is None
    assert param(first, "fields") == "chats(*)" and param(first, "limit") == "1000"
    assert (param(second, "start_time"), param(second, "start_id")) == (str(START + 10), "a999")
    assert len(records) == 1001
    assert states[-1] == {"update_timestamp": "2024-01-01T00:00:20Z", "start_id": "b1"}


def test_chat_export_resumes_from_saved_time_and_id(api):
    api.get(CHATS, [export_page([], START + 50, None, more=False)])
    _, states, _ = run_stream(
        make_stream("chats", state={"update_timestamp": "2024-01-01T00:00:50Z", "start_id": "z9"})
    )
    assert (param(api.request_history[0], "start_time"), param(api.request_history[0], "start_id")) == (
        str(START + 50),
        "z9",
    )
    assert states == [{"update_timestamp": "2024-01-01T00:00:50Z", "start_id": "z9"}]


def test_chat_export_drops_repeats_at_the_page_boundary(api):
    page_one = full("a", START + 10)
    api.get(
        CHATS,
        [
            export_page(page_one, START + 10, "a999"),
            export_page([page_one[-1], chat("b1", START + 11)], START + 11, "b1"),
        ],
    )
    records, _, _ = run_stream(make_stream("chats"))
    assert len(records) == 1001 and len({r["id"] for r in records}) == 1001


def test_chat_export_bounded_backfill_does_not_save_a_state_past_end_date(api):
    end = START + 100
    api.get(
        CHATS,
        [
            export_page(full("a", START + 10)[:999] + [chat("late", START + 500)], START + 500, "late"),
            export_page([chat("later", START + 600)], START + 600, "later"),
        ],
    )
    config = make_config(end_date="2024-01-01T00:01:40Z")
    records, states, _ = run_stream(make_stream("chats", config=config))
    assert "late" not in {r["id"] for r in records}
    # A later sync (end_date moved or removed) must still read the chats dropped here.
    assert all(epoch(s["update_timestamp"]) <= end for s in states), states


def test_since_id_lists_page_by_the_last_id(api):
    api.get(url("chat/agents"), [ok([{"id": n} for n in range(1, 101)]), ok([{"id": 150}])])
    records, _, _ = run_stream(make_stream("chat_agents"))
    assert [param(r, "since_id") for r in api.request_history] == ["0", "101"]
    assert len(records) == 101


def test_since_id_list_ends_on_an_empty_page(api):
    api.get(url("chat/agents"), [ok([{"id": n} for n in range(1, 101)]), ok([])])
    records, _, _ = run_stream(make_stream("chat_agents"))
    assert len(records) == 100 and len(api.request_history) == 2


def test_chat_bans_flatten_both_kinds(api):
    api.get(
        url("chat/bans"),
        [ok({"visitor": [{"id": 1, "visitor_id": "v"}], "ip_address": [{"id": 2, "ip_address": "1.2.3.4"}]})],
    )
    records, _, _ = run_stream(make_stream("chat_bans"))
    assert [(r["id"], r["type"]) for r in records] == [(1, "visitor"), (2, "ip_address")]


def test_chat_export_projects_its_rows_from_the_time_a_full_page_covered_and_a_last_short_page_sends_none(api):
    # A read spanning 1,000 s: a full page of 1,000 chats covering its first 100 s projects 10,000, before its
    # records; the short page after it ends the export and sends no estimate.
    api.get(
        CHATS,
        [
            export_page(full("a", START + 100), START + 100, "a999"),
            export_page([chat("b1", START + 200)], START + 200, "b1"),
        ],
    )
    records, _, items = run_stream(make_stream("chats", config=make_config(end_date=to_iso(START + 1000))))
    kinds = [kind for kind, _ in items]
    assert [value.trace.estimate.row_estimate for kind, value in items if kind == "TRACE"] == [10000]
    assert kinds.index("TRACE") < kinds.index("RECORD") and len(records) == 1001


# --- the agent timeline: an export paged by microseconds ------------------------------------------------------
TIMELINE = url("chat/incremental/agent_timeline")
START_MICROS = START * 1_000_000


def entry(agent: int, micros: int):
    seconds, fraction = divmod(micros, 1_000_000)
    return {
        "agent_id": agent,
        "start_time": f"{to_iso(seconds)[:-1]}.{fraction:06d}Z",
        "status": "online",
        "duration": 60.0,
        "engagement_count": 1,
    }


def timeline_page(entries, end_time, more=True):
    return ok(
        {
            "agent_timeline": entries,
            "count": len(entries),
            "end_time": end_time,
            "next_page": url(f"chat/incremental/agent_timeline?start_time={end_time}") if more else None,
        }
    )


def test_agent_timeline_pages_by_microseconds_from_the_start_date_and_saves_the_exact_end_time(api):
    first = [entry(n % 7, START_MICROS + 10 + n) for n in range(1000)]
    last = first[-1]["start_time"]
    api.get(
        TIMELINE,
        [
            timeline_page(first, START_MICROS + 10 + 1000),
            timeline_page([entry(1, START_MICROS + 5_000_000)], START_MICROS + 5_000_001, more=False),
        ],
    )
    records, states, _ = run_stream(make_stream("chat_agent_timeline"))
    one, two = api.request_history
    assert param(one, "start_time") == str(START_MICROS) and param(one, "limit") == "1000"
    assert param(two, "start_time") == str(START_MICROS + 1010)
    assert len(records) == 1001 and records[999]["start_time"] == last
    assert states[0] == {"start_time": "2024-01-01T00:00:00Z", "start_micros": START_MICROS + 1010}
    assert states[-1] == {"start_time": "2024-01-01T00:00:05Z", "start_micros": START_MICROS + 5_000_001}


def test_agent_timeline_resumes_at_the_saved_microsecond(api):
    api.get(TIMELINE, [timeline_page([], START_MICROS + 777, more=False)])
    saved = {"start_time": "2024-01-01T00:00:00Z", "start_micros": START_MICROS + 777}
    _, states, _ = run_stream(make_stream("chat_agent_timeline", state=saved))
    assert param(api.request_history[0], "start_time") == str(START_MICROS + 777)
    assert states == [saved]


def test_agent_timeline_state_edited_to_another_time_resumes_from_that_time(api):
    api.get(TIMELINE, [timeline_page([], START_MICROS + 60_000_000, more=False)])
    run_stream(
        make_stream(
            "chat_agent_timeline", state={"start_time": "2024-01-01T00:01:00Z", "start_micros": START_MICROS + 777}
        )
    )
    assert param(api.request_history[0], "start_time") == str(START_MICROS + 60_000_000)


def test_agent_timeline_stops_at_end_date_without_saving_past_it(api):
    entries = [entry(1, START_MICROS + n * 1_000_000) for n in (1, 2, 500)]
    api.get(TIMELINE, [timeline_page(entries, START_MICROS + 500_000_001)])
    records, states, _ = run_stream(
        make_stream("chat_agent_timeline", config=make_config(end_date="2024-01-01T00:01:40Z"))
    )
    assert [r["start_time"][:19] for r in records] == ["2024-01-01T00:00:01", "2024-01-01T00:00:02"]
    assert all(epoch(s["start_time"]) <= START + 101 for s in states), states
    assert len(api.request_history) == 1


def test_agent_timeline_end_time_that_does_not_move_ends_the_read(api):
    api.get(TIMELINE, [timeline_page([entry(1, START_MICROS + 5)], START_MICROS)])
    records, _, _ = run_stream(make_stream("chat_agent_timeline"))
    assert len(records) == 1 and len(api.request_history) == 1


def test_ivr_menus_and_routes_are_read_from_the_ivr_list_with_their_parents_ids(api):
    ivr = {
        "id": 7,
        "name": "Main",
        "menus": [
            {
                "id": 70,
                "name": "Top",
                "default": True,
                "routes": [
                    {"id": 700, "keypress": "1", "action": "group"},
                    {"id": 701, "keypress": "2", "action": "voicemail"},
                ],
            }
        ],
    }
    api.get(url("channels/voice/ivr"), **ok({"ivrs": [ivr], "next_page": None, "count": 1}))
    menus, _, _ = run_stream(make_stream("ivr_menus"))
    routes, _, _ = run_stream(make_stream("ivr_routes"))
    assert menus == [{"id": 70, "name": "Top", "default": True, "ivr_id": 7}]
    assert [(r["id"], r["ivr_id"], r["ivr_menu_id"]) for r in routes] == [(700, 7, 70), (701, 7, 70)]


def test_agent_timeline_end_time_that_is_no_number_fails_the_stream_by_name(api):
    api.get(
        TIMELINE,
        [ok({"agent_timeline": [entry(1, START_MICROS + 5)], "count": 1, "end_time": "soon", "next_page": None})],
    )
    with pytest.raises(AirbyteTracedException) as failed:
        run_stream(make_stream("chat_agent_timeline"))
    assert "end_time" in failed.value.message and "microseconds since the epoch" in failed.value.message
