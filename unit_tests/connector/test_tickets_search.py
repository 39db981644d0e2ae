"""tickets_search: Airbyte 5.5's opt-in stream of that name, tickets read from the search export by updated_at."""

from __future__ import annotations

from .support import data_requests, make_stream, ok, query_of, run_stream, url

EXPORT = url("search/export")


def page(results, after=None, has_more=False, next_link=None):
    return ok({"results": results, "meta": {"has_more": has_more, "after_cursor": after}, "links": {"next": next_link}})


def ticket(ticket_id, updated_at):
    return {
        "id": ticket_id,
        "updated_at": updated_at,
        "created_at": "2024-01-02T00:00:00Z",
        "status": "open",
        "result_type": "ticket",
    }


def test_it_has_airbytes_key_and_cursor_and_the_tickets_columns():
    stream = make_stream("tickets_search")
    assert stream.primary_key == "id" and stream.cursor_field == "updated_at"
    assert stream.get_json_schema() == make_stream("tickets").get_json_schema()


def test_full_refresh_reads_tickets_updated_since_the_start_date(api):
    api.get(EXPORT, [page([ticket(1, "2024-03-02T00:00:00Z")])])
    records, states, _ = run_stream(make_stream("tickets_search", incremental=False))
    sent = query_of(data_requests(api)[0])
    assert sent["query"] == ["updated>=2024-01-01T00:00:00Z"]  # make_config's start_date
    assert sent["filter[type]"] == ["ticket"] and sent["page[size]"] == ["1000"]
    assert [r["id"] for r in records] == [1] and states == []


def test_incremental_reads_from_the_saved_cursor_and_saves_the_newest_once_done(api):
    # The search export lists newest-created first, so updated_at is in no order: the state moves only at the end.
    api.get(
        EXPORT,
        [
            page(
                [ticket(3, "2024-03-05T00:00:00Z"), ticket(2, "2024-03-09T00:00:00Z")],
                after="S1",
                has_more=True,
                next_link=url("search/export?page%5Bafter%5D=S1"),
            ),
            page([ticket(1, "2024-03-04T00:00:00Z")]),
        ],
    )
    stream = make_stream("tickets_search", state={"updated_at": "2024-03-03T00:00:00Z"})
    records, states, items = run_stream(stream)
    assert query_of(api.request_history[0])["query"] == ["updated>=2024-03-03T00:00:00Z"]
    assert [r["id"] for r in records] == [3, 2, 1]
    assert states == [{"updated_at": "2024-03-09T00:00:00Z"}]
    assert items[-1][0] == "STATE"  # after every record


def test_a_ticket_older_than_the_cursor_is_not_emitted_again(api):
    api.get(EXPORT, [page([ticket(5, "2024-03-02T00:00:00Z"), ticket(6, "2024-03-06T00:00:00Z")])])
    records, states, _ = run_stream(make_stream("tickets_search", state={"updated_at": "2024-03-03T00:00:00Z"}))
    assert [r["id"] for r in records] == [6]
    assert states == [{"updated_at": "2024-03-06T00:00:00Z"}]
