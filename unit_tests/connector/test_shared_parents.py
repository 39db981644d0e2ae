"""Children of one parent list (a post's comments, votes and comment votes) read each parent page and each
comment page once between them: Help Center has no bulk endpoint for these, so requests are per parent."""

from __future__ import annotations

from .support import estimates_of, ok, read_streams, records_of, url

POSTS = [{"id": 1, "updated_at": "2024-02-01T00:00:00Z"}, {"id": 2, "updated_at": "2024-02-02T00:00:00Z"}]


def _page(key, items):
    return ok({key: items, "meta": {"has_more": False}, "links": {"next": None}})


def mock_posts(api):
    calls = {"posts": api.get(url("community/posts"), [_page("posts", POSTS)])}
    calls["posts count"] = api.get(url("community/posts?per_page=1"), **ok({"posts": POSTS[:1], "count": len(POSTS)}))
    for post in POSTS:
        pid = post["id"]
        comments = [{"id": pid * 10 + n, "updated_at": "2024-02-03T00:00:00Z"} for n in range(2)]
        calls[f"comments {pid}"] = api.get(url(f"community/posts/{pid}/comments"), [_page("comments", comments)])
        calls[f"votes {pid}"] = api.get(
            url(f"community/posts/{pid}/votes"),
            [_page("votes", [{"id": pid * 100, "updated_at": "2024-02-03T00:00:00Z"}])],
        )
        for comment in comments:
            api.get(
                url(f"community/posts/{pid}/comments/{comment['id']}/votes"),
                [_page("votes", [{"id": comment["id"] * 1000, "updated_at": "2024-02-04T00:00:00Z"}])],
            )
    return calls


def test_three_children_streams_list_the_parents_and_the_comments_once(api):
    calls = mock_posts(api)
    output = read_streams(["post_comments", "post_votes", "post_comment_votes"])
    assert sorted(c["id"] for c in records_of(output, "post_comments")) == [10, 11, 20, 21]
    assert sorted(v["id"] for v in records_of(output, "post_votes")) == [100, 200]
    comment_votes = records_of(output, "post_comment_votes")
    assert sorted((v["id"], v["comment_id"], v["post_id"]) for v in comment_votes) == [
        (10000, 10, 1),
        (11000, 11, 1),
        (20000, 20, 2),
        (21000, 21, 2),
    ]
    assert calls["posts"].call_count == 1
    assert calls["comments 1"].call_count == 1 and calls["comments 2"].call_count == 1
    assert calls["votes 1"].call_count == 1
    assert calls["posts count"].call_count == 1  # one count for the three streams' estimates
    assert sorted((e.name, e.row_estimate) for e in estimates_of(output)) == [
        ("post_comment_votes", 4),
        ("post_comments", 4),
        ("post_votes", 2),
    ]


def test_children_streams_from_different_states_do_not_share(api):
    calls = mock_posts(api)
    state = {"post_votes": {"parent_start": "2024-02-01T12:00:00Z", "updated_at": "2024-02-01T12:00:00Z"}}
    output = read_streams(["post_comments", "post_votes"], state=state)
    assert sorted(v["id"] for v in records_of(output, "post_votes")) == [200]  # post 1 is older than its state
    assert sorted(c["id"] for c in records_of(output, "post_comments")) == [10, 11, 20, 21]
    assert calls["posts"].call_count == 2  # each from its own position


def test_a_parent_repeated_at_an_export_page_boundary_is_visited_once(api):
    t1, t2, t3 = 1706745600, 1706832000, 1706918400  # 2024-02-01, 02, 03
    article = lambda aid, ts: {"id": aid, "updated_at": f"2024-02-0{aid}T00:00:00Z", "section_id": 1}  # noqa: E731
    first = {
        "articles": [article(1, t1), article(2, t2)],
        "end_time": t2,
        "count": 2,
        "next_page": url(f"help_center/incremental/articles?start_time={t2}"),
    }
    # Zendesk starts the next page at the last second of the previous one: article 2 comes again
    second = {"articles": [article(2, t2), article(3, t3)], "end_time": t3, "count": 2, "next_page": None}
    api.get(
        url("help_center/incremental/articles"),
        [ok(first), ok(second), ok({"articles": [], "count": 0, "end_time": t3})],
    )
    votes = {}
    for aid in (1, 2, 3):
        votes[aid] = api.get(
            url(f"help_center/articles/{aid}/votes"),
            [_page("votes", [{"id": aid * 100, "updated_at": "2024-02-05T00:00:00Z"}])],
        )
    api.get(url("help_center/articles?per_page=1"), **ok({"articles": [article(1, t1)], "count": 3}))
    output = read_streams(["article_votes"])
    assert sorted(v["id"] for v in records_of(output, "article_votes")) == [100, 200, 300]
    assert [votes[aid].call_count for aid in (1, 2, 3)] == [1, 1, 1]


def test_a_resync_lists_posts_newest_first_down_to_the_first_post_already_visited(api):
    newest = [{"id": 3, "updated_at": "2024-02-05T00:00:00Z"}, {"id": 2, "updated_at": "2024-02-02T00:00:00Z"}]
    older = [{"id": 1, "updated_at": "2024-02-01T00:00:00Z"}]
    posts = api.get(
        url("community/posts"),
        [
            ok({"posts": newest, "meta": {"has_more": True, "after_cursor": "P1"}, "links": {"next": None}}),
            ok({"posts": older, "meta": {"has_more": False}, "links": {"next": None}}),
        ],
    )
    api.get(url("community/posts/3/comments"), [_page("comments", [{"id": 30, "updated_at": "2024-02-05T00:00:00Z"}])])
    state = {"post_comments": {"parent_start": "2024-02-03T00:00:00Z", "updated_at": "2024-02-03T00:00:00Z"}}
    output = read_streams(["post_comments"], state=state)
    assert [c["id"] for c in records_of(output, "post_comments")] == [30]
    assert posts.call_count == 1  # post 2 is older than the saved time: the second page is never asked for
    query = posts.request_history[0].qs
    assert query["sort_by"] == ["updated_at"] and query["sort_order"] == ["desc"]


MACROS = [
    {"id": 1, "title": "Reply", "updated_at": "2024-02-01T00:00:00Z"},
    {"id": 2, "title": "Close", "updated_at": "2024-02-02T00:00:00Z"},
]


def mock_macros(api):
    pages = [
        ok(
            {
                "macros": MACROS[:1],
                "meta": {"has_more": True, "after_cursor": "m1"},
                "links": {"next": url("macros?page%5Bsize%5D=100&page%5Bafter%5D=m1")},
            }
        ),
        _page("macros", MACROS[1:]),
    ]
    listed = api.get(url("macros"), pages)
    api.get(url("macros?per_page=1"), **ok({"macros": MACROS[:1], "count": len(MACROS)}))
    for macro in MACROS:
        files = [{"id": macro["id"] * 10, "filename": "a.pdf", "created_at": "2024-02-03T00:00:00Z"}]
        api.get(url(f"macros/{macro['id']}/attachments"), **ok({"macro_attachments": files}))
    return listed


def test_a_list_stream_and_the_children_walking_it_as_parents_fetch_its_pages_once(api):
    listed = mock_macros(api)
    output = read_streams(["macros", "macro_attachments"])
    assert sorted(m["id"] for m in records_of(output, "macros")) == [1, 2]
    assert sorted((a["id"], a["macro_id"]) for a in records_of(output, "macro_attachments")) == [(10, 1), (20, 2)]
    assert [request.qs.get("per_page") for request in listed.request_history].count(None) == 2  # two pages, once


def test_the_children_alone_list_their_parents_themselves(api):
    listed = mock_macros(api)
    output = read_streams(["macro_attachments"])
    assert len(records_of(output, "macro_attachments")) == 2
    assert len(listed.request_history) == 2
