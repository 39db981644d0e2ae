"""Children of one parent list (a post's comments, votes and comment votes) read each parent page and each
comment page once between them: Help Center has no bulk endpoint for these, so requests are per parent."""
from __future__ import annotations

from .support import ok, read_streams, records_of, url

POSTS = [{"id": 1, "updated_at": "2024-02-01T00:00:00Z"}, {"id": 2, "updated_at": "2024-02-02T00:00:00Z"}]


def _page(key, items):
    return ok({key: items, "meta": {"has_more": False}, "links": {"next": None}})


def mock_posts(api):
    calls = {"posts": api.get(url("community/posts"), [_page("posts", POSTS)])}
    for post in POSTS:
        pid = post["id"]
        comments = [{"id": pid * 10 + n, "updated_at": "2024-02-03T00:00:00Z"} for n in range(2)]
        calls[f"comments {pid}"] = api.get(url(f"community/posts/{pid}/comments"), [_page("comments", comments)])
        calls[f"votes {pid}"] = api.get(url(f"community/posts/{pid}/votes"),
                                        [_page("votes", [{"id": pid * 100, "updated_at": "2024-02-03T00:00:00Z"}])])
        for comment in comments:
            api.get(url(f"community/posts/{pid}/comments/{comment['id']}/votes"),
                    [_page("votes", [{"id": comment["id"] * 1000, "updated_at": "2024-02-04T00:00:00Z"}])])
    return calls


def test_three_children_streams_list_the_parents_and_the_comments_once(api):
    calls = mock_posts(api)
    output = read_streams(["post_comments", "post_votes", "post_comment_votes"])
    assert sorted(c["id"] for c in records_of(output, "post_comments")) == [10, 11, 20, 21]
    assert sorted(v["id"] for v in records_of(output, "post_votes")) == [100, 200]
    comment_votes = records_of(output, "post_comment_votes")
    assert sorted((v["id"], v["comment_id"], v["post_id"]) for v in comment_votes) == [
        (10000, 10, 1), (11000, 11, 1), (20000, 20, 2), (21000, 21, 2)]
    assert calls["posts"].call_count == 1
    assert calls["comments 1"].call_count == 1 and calls["comments 2"].call_count == 1
    assert calls["votes 1"].call_count == 1


def test_children_streams_from_different_states_do_not_share(api):
    calls = mock_posts(api)
    state = {"post_votes": {"parent_start": "2024-02-01T12:00:00Z", "updated_at": "2024-02-01T12:00:00Z"}}
    output = read_streams(["post_comments", "post_votes"], state=state)
    assert sorted(v["id"] for v in records_of(output, "post_votes")) == [200]  # post 1 is older than its state
    assert sorted(c["id"] for c in records_of(output, "post_comments")) == [10, 11, 20, 21]
    assert calls["posts"].call_count == 2  # each from its own position
