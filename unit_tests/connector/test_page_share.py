"""One page read by several streams at once: fetched once, and its memory given back once."""

import os
import threading
import time

from source_zendesk_support.http.answer import RawAnswer
from source_zendesk_support.sync.page_share import PageShare

GROUP = ("incremental/ticket_events.json", (), True, ("start", 0))
READERS = 5


def _page(number: int) -> RawAnswer:
    # Random bytes do not compress: each page keeps its size in the spool.
    return RawAnswer(200, os.urandom(64 * 1024) + str(number).encode(), {"Content-Type": "application/json"})


def _share(memory_budget: int) -> PageShare:
    share = PageShare(memory_budget=memory_budget)
    for _ in range(READERS):
        share.register(GROUP)
    return share


def _read_together(share: PageShare, page: RawAnswer, params: dict) -> list:
    """The first reader's fetch is held until the other four wait for it, as concurrent streams do."""
    release, fetched = threading.Event(), []

    def leader_fetch():
        release.wait(10)
        fetched.append(page)
        return page

    def follower_fetch():
        raise AssertionError("a follower fetched a page the leader kept")

    answers = [None] * READERS

    def read(position, fetch):
        answers[position] = share.fetch(GROUP, "incremental/ticket_events.json", params, fetch)

    leader = threading.Thread(target=read, args=(0, leader_fetch))
    leader.start()
    followers = [threading.Thread(target=read, args=(n, follower_fetch)) for n in range(1, READERS)]
    for thread in followers:
        thread.start()
    deadline = time.monotonic() + 10
    while share._entries and time.monotonic() < deadline:  # the last follower has joined when the entry is gone
        time.sleep(0.001)
    release.set()
    for thread in [leader, *followers]:
        thread.join(10)
    assert len(fetched) == 1
    return answers


def test_five_streams_reading_one_page_fetch_it_once_and_give_its_memory_back_once():
    share = _share(memory_budget=8 * 1024 * 1024)
    page = _page(1)
    answers = _read_together(share, page, {"start_time": 0})
    assert [answer.content for answer in answers] == [page.content] * READERS
    assert share.shared_pages == READERS - 1
    assert share.bytes_in_memory == 0


def test_the_memory_budget_holds_after_a_page_read_by_five_streams():
    budget = 100 * 1024  # one page fits, two do not
    share = _share(memory_budget=budget)
    _read_together(share, _page(1), {"start_time": 0})
    # The leader reads ahead: pages wait for the others, the first in memory and the rest in the temporary file.
    for number in range(2, 6):
        page = _page(number)
        assert share.fetch(GROUP, "incremental/ticket_events.json", {"start_time": number}, lambda: page) is page
        assert 0 <= share.bytes_in_memory <= budget
    assert share.bytes_in_memory > 0
