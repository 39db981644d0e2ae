"""A sync that runs while the account changes loses nothing: the next sync still sees every change.

Zendesk's plain lists are not ordered by update time, so a record updated after its page was read reappears
nowhere in this sync; its change must be found by the next one. That only works if the saved cursor is not
past the moment the sync started reading.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone

from .support import without_counts, JSON, make_stream, run_stream, url


def iso(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def at(day: int, hour: int = 0) -> str:
    return f"2024-01-{day:02d}T{hour:02d}:00:00Z"


class MutatingGroups:
    """Two pages of groups sorted by name; between the two page reads, both groups are updated."""

    def __init__(self):
        self.groups = {
            "alpha": {"id": 1, "name": "alpha", "updated_at": at(1)},
            "beta": {"id": 2, "name": "beta", "updated_at": at(2)},
        }
        self.reads = 0

    def __call__(self, request, context):
        context.headers.update(JSON)
        self.reads += 1
        if "page%5Bafter%5D" in request.url or "page[after]" in request.url:
            return json.dumps(
                {
                    "groups": [self.groups["beta"]],
                    "meta": {"has_more": False, "after_cursor": "B"},
                    "links": {"next": None},
                }
            )
        page = {
            "groups": [self.groups["alpha"]],
            "meta": {"has_more": True, "after_cursor": "A"},
            "links": {"next": None},
        }
        # The account changes while the sync reads: alpha (already read) then beta (not read yet) are updated now.
        now = datetime.now(timezone.utc)
        self.groups["alpha"] = {**self.groups["alpha"], "updated_at": iso(now)}
        self.groups["beta"] = {**self.groups["beta"], "updated_at": iso(now + timedelta(seconds=1))}
        return json.dumps(page)


def test_a_change_to_an_already_read_record_is_found_by_the_next_sync(api):
    account = MutatingGroups()
    api.get(url("groups"), text=account)
    first, states, _ = run_stream(make_stream("groups"))
    assert [g["id"] for g in first] == [1, 2] and first[0]["updated_at"] == at(1)
    # Next sync, nothing changed since: alpha's update was never emitted and must come now.
    second, _, _ = run_stream(make_stream("groups", state=states[-1]))
    assert (1, account.groups["alpha"]["updated_at"]) in [(g["id"], g["updated_at"]) for g in second]


class MutatingPosts:
    """Two pages of posts; between the page reads both posts get a new comment (and so a new updated_at)."""

    def __init__(self):
        self.posts = {1: {"id": 1, "updated_at": at(1)}, 2: {"id": 2, "updated_at": at(2)}}
        self.comments = {1: [{"id": 10, "updated_at": at(1)}], 2: [{"id": 20, "updated_at": at(2)}]}

    def posts_page(self, request, context):
        context.headers.update(JSON)
        if "page%5Bafter%5D" in request.url or "page[after]" in request.url:
            return json.dumps({"posts": [self.posts[2]], "meta": {"has_more": False}, "links": {"next": None}})
        page = {
            "posts": [self.posts[1]],
            "meta": {"has_more": True, "after_cursor": "P"},
            "links": {"next": url("community/posts?page%5Bafter%5D=P&page%5Bsize%5D=100")},
        }
        now = datetime.now(timezone.utc)
        self.posts[1] = {"id": 1, "updated_at": iso(now)}
        self.comments[1] = self.comments[1] + [{"id": 11, "updated_at": iso(now)}]
        self.posts[2] = {"id": 2, "updated_at": iso(now + timedelta(seconds=1))}
        self.comments[2] = self.comments[2] + [{"id": 21, "updated_at": iso(now + timedelta(seconds=1))}]
        return json.dumps(page)

    def comments_of(self, post_id):
        def answer(request, context):
            context.headers.update(JSON)
            return json.dumps(
                {"comments": self.comments[post_id], "meta": {"has_more": False}, "links": {"next": None}}
            )

        return answer


def test_children_of_parents_changed_while_listing_them_are_not_lost(api):
    account = MutatingPosts()
    api.get(url("community/posts"), text=account.posts_page)
    for post_id in (1, 2):
        api.get(url(f"community/posts/{post_id}/comments"), text=account.comments_of(post_id))
    first, states, _ = run_stream(make_stream("post_comments"))
    second, _, _ = run_stream(make_stream("post_comments", state=states[-1]))
    # Children are fetched after the whole parent list was read, so whatever changed while listing is seen.
    assert {10, 11, 20, 21} <= {c["id"] for c in first + second}


# --- property: whatever changes while an unordered list is read, the next sync has the latest version ----------
import requests_mock  # noqa: E402
from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402


class ChangingList:
    """`macros` served in id order, `page` per request; after chosen pages, chosen records are updated 'now'."""

    def __init__(self, count, page, changes):
        self.records = {i: {"id": i, "updated_at": at(1 + i % 20)} for i in range(1, count + 1)}
        self.page, self.changes, self.served = page, dict(changes), 0
        self.clock = datetime.now(timezone.utc)

    def __call__(self, request, context):
        context.headers.update(JSON)
        offset = int(request.qs.get("page[after]", ["0"])[0]) if "page[after]" in request.qs else 0
        ids = sorted(self.records)[offset : offset + self.page]
        body = {
            "macros": [self.records[i] for i in ids],
            "meta": {"has_more": offset + self.page < len(self.records), "after_cursor": str(offset + self.page)},
            "links": {"next": None},
        }
        for record_id in self.changes.get(self.served, []):
            self.clock += timedelta(seconds=1)
            self.records[record_id] = {"id": record_id, "updated_at": iso(self.clock)}
        self.served += 1
        return json.dumps(body)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.data())
def test_changes_during_a_sync_are_all_seen_by_the_next(data):
    count = data.draw(st.integers(2, 10))
    page = data.draw(st.integers(1, 4))
    pages = -(-count // page)
    changes = data.draw(
        st.dictionaries(st.integers(0, pages - 1), st.lists(st.integers(1, count), max_size=3), max_size=pages)
    )
    account = ChangingList(count, page, changes)
    with requests_mock.Mocker() as mocker:
        without_counts(mocker)
        mocker.get(url("macros"), text=account)
        first, states, _ = run_stream(make_stream("macros", state={"updated_at": at(1)}))
        account.changes = {}
        second, _, _ = run_stream(make_stream("macros", state=states[-1]))
    seen = {(r["id"], r["updated_at"]) for r in first + second}
    latest = {(i, r["updated_at"]) for i, r in account.records.items() if r["updated_at"] >= at(1)}
    assert latest <= seen
