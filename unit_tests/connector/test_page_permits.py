"""Parsed export pages are held under a sync-wide permit: a reader waiting for its next page holds none, so
many workers can wait for rate windows while memory follows the permits."""

from __future__ import annotations

import threading

from airbyte_cdk.models import AirbyteMessage

from source_zendesk_support.sync.page_permits import PagePermits

from .support import epoch, make_context, make_stream, ok, url

EXPORT = url("incremental/tickets/cursor")
START = epoch("2024-01-01T00:00:00Z")
WAIT = 10.0  # seconds: only ever reached when the behaviour under test is broken


def page(ids, after, end=False):
    tickets = [{"id": i, "generated_timestamp": START + i, "updated_at": "2024-01-02T00:00:00Z"} for i in ids]
    return ok({"tickets": tickets, "after_cursor": after, "end_of_stream": end})


def test_a_reader_holds_one_permit_however_often_it_asks():
    permits = PagePermits(2)
    permits.hold()
    permits.hold()
    assert permits.held_here and permits.free == 1
    permits.let_go()
    permits.let_go()  # letting go twice gives back only the one permit
    assert not permits.held_here and permits.free == 2


def test_a_reader_without_a_permit_waits_until_one_is_given_back():
    permits = PagePermits(1)
    permits.hold()
    got = threading.Event()

    def other_reader():
        permits.hold()
        got.set()
        permits.let_go()

    thread = threading.Thread(target=other_reader)
    thread.start()
    assert not got.wait(0.2)
    permits.let_go()
    assert got.wait(WAIT)
    thread.join(WAIT)


def test_a_reader_waiting_for_its_next_page_holds_no_permit(api):
    second_page_asked, second_page_may_come = threading.Event(), threading.Event()

    def second_page(request, context):
        second_page_asked.set()
        second_page_may_come.wait(WAIT)
        context.status_code = 200
        context.headers["Content-Type"] = "application/json"
        return page([3], after="c2", end=True)["text"]

    api.get(EXPORT, [page([1, 2], after="c1"), {"text": second_page}])
    context = make_context()
    stream = make_stream("tickets", context=context)
    items, first_page_done = [], threading.Event()

    def read():
        for item in stream.read_records():
            items.append(item)
            if isinstance(item, AirbyteMessage):
                first_page_done.set()

    reader = threading.Thread(target=read)
    reader.start()
    assert first_page_done.wait(WAIT) and second_page_asked.wait(WAIT)
    # The reader has emitted page 1 and now waits for page 2, which the server holds back.
    released = threading.Event()
    for _ in range(100):
        if context.page_permits.free == context.page_permits.permits:
            released.set()
            break
        released.wait(0.05)
    held_while_waiting = context.page_permits.permits - context.page_permits.free
    second_page_may_come.set()
    reader.join(WAIT)
    assert held_while_waiting == 0
    assert [item["id"] for item in items if not isinstance(item, AirbyteMessage)] == [1, 2, 3]
    assert context.page_permits.free == context.page_permits.permits  # given back at the end


def test_more_readers_than_permits_all_finish_and_never_hold_more_than_the_permits(api):
    context = make_context()
    context.page_permits = PagePermits(1)
    most, lock, holding = [0], threading.Lock(), [0]
    original_hold, original_let_go = context.page_permits.hold, context.page_permits.let_go

    def counting_hold():
        was = context.page_permits.held_here
        original_hold()
        if not was:
            with lock:
                holding[0] += 1
                most[0] = max(most[0], holding[0])

    def counting_let_go():
        if context.page_permits.held_here:
            with lock:
                holding[0] -= 1
        original_let_go()

    context.page_permits.hold, context.page_permits.let_go = counting_hold, counting_let_go
    api.get(EXPORT, [page([1, 2], after="c1"), page([3], after="c2"), page([4], after="c3", end=True)] * 3)
    api.get(
        url("incremental/users/cursor"),
        [
            ok(
                {
                    "users": [{"id": n, "updated_at": "2024-01-02T00:00:00Z"} for n in (7, 8)],
                    "after_cursor": "u1",
                    "end_of_stream": True,
                }
            )
        ],
    )
    results = {}

    def read(name):
        results[name] = [
            item for item in make_stream(name, context=context).read_records() if not isinstance(item, AirbyteMessage)
        ]

    threads = [threading.Thread(target=read, args=(name,)) for name in ("tickets", "users", "organizations")]
    api.get(
        url("incremental/organizations"),
        [
            ok(
                {
                    "organizations": [{"id": 5, "updated_at": "2024-01-03T00:00:00Z"}],
                    "end_time": START + 100,
                    "end_of_stream": True,
                }
            )
        ],
    )
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(WAIT)
    assert not any(thread.is_alive() for thread in threads)
    assert [r["id"] for r in results["tickets"]] == [1, 2, 3, 4]
    assert [r["id"] for r in results["users"]] == [7, 8]
    assert [r["id"] for r in results["organizations"]] == [5]
    assert most[0] == 1
