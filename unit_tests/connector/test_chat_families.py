"""Zendesk Chat's own paging: the (start_time, start_id) chat export and since_id lists."""
from __future__ import annotations

from source_zendesk_support.records.timeutil import to_iso

from .support import epoch, make_config, make_stream, ok, param, run_stream, url

CHATS = url("chat/incremental/chats")
START = epoch("2024-01-01T00:00:00Z")


def chat(chat_id: str, ts: int):
    return {"id": chat_id, "update_timestamp": to_iso(ts), "type": "chat"}


def export_page(chats, end_time, end_id, more=True):
    return ok({"chats": chats, "count": len(chats), "end_time": end_time, "end_id": end_id,
               "next_page": url(f"chat/incremental/chats?start_time={end_time}&start_id={end_id}") if more else None})


def full(prefix: str, ts: int):
    return [chat(f"{prefix}{n}", ts) for n in range(1000)]


def test_chat_export_follows_end_time_and_end_id(api):
    api.get(CHATS, [export_page(full("a", START + 10), START + 10, "a999"), export_page([chat("b1", START + 20)], START + 20, "b1")])
    records, states, _ = run_stream(make_stream("chats"))
    first, second = api.request_history
    assert param(first, "start_time") == str(START) and param(first, "start_id") is None
    assert param(first, "fields") == "chats(*)" and param(first, "limit") == "1000"
    assert (param(second, "start_time"), param(second, "start_id")) == (str(START + 10), "a999")
    assert len(records) == 1001
    assert states[-1] == {"update_timestamp": "2024-01-01T00:00:20Z", "start_id": "b1"}


def test_chat_export_resumes_from_saved_time_and_id(api):
    api.get(CHATS, [export_page([], START + 50, None, more=False)])
    _, states, _ = run_stream(make_stream("chats", state={"update_timestamp": "2024-01-01T00:00:50Z", "start_id": "z9"}))
    assert (param(api.request_history[0], "start_time"), param(api.request_history[0], "start_id")) == (str(START + 50), "z9")
    assert states == [{"update_timestamp": "2024-01-01T00:00:50Z", "start_id": "z9"}]


def test_chat_export_drops_repeats_at_the_page_boundary(api):
    page_one = full("a", START + 10)
    api.get(CHATS, [export_page(page_one, START + 10, "a999"), export_page([page_one[-1], chat("b1", START + 11)], START + 11, "b1")])
    records, _, _ = run_stream(make_stream("chats"))
    assert len(records) == 1001 and len({r["id"] for r in records}) == 1001


def test_chat_export_bounded_backfill_does_not_save_a_state_past_end_date(api):
    end = START + 100
    api.get(CHATS, [export_page(full("a", START + 10)[:999] + [chat("late", START + 500)], START + 500, "late"),
                    export_page([chat("later", START + 600)], START + 600, "later")])
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
    api.get(url("chat/bans"), [ok({"visitor": [{"id": 1, "visitor_id": "v"}], "ip_address": [{"id": 2, "ip_address": "1.2.3.4"}]})])
    records, _, _ = run_stream(make_stream("chat_bans"))
    assert [(r["id"], r["type"]) for r in records] == [(1, "visitor"), (2, "ip_address")]


def test_chat_export_projects_its_rows_from_the_time_a_full_page_covered_and_a_last_short_page_sends_none(api):
    # A read spanning 1,000 s: a full page of 1,000 chats covering its first 100 s projects 10,000, before its
    # records; the short page after it ends the export and sends no estimate.
    api.get(CHATS, [export_page(full("a", START + 100), START + 100, "a999"),
                    export_page([chat("b1", START + 200)], START + 200, "b1")])
    records, _, items = run_stream(make_stream("chats", config=make_config(end_date=to_iso(START + 1000))))
    kinds = [kind for kind, _ in items]
    assert [value.trace.estimate.row_estimate for kind, value in items if kind == "TRACE"] == [10000]
    assert kinds.index("TRACE") < kinds.index("RECORD") and len(records) == 1001
