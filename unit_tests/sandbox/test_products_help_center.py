"""Help Center and community: every endpoint walked to its end (cursor and offset pages) and compared with
/_sandbox/summary; the Link header, links.first/last, the LimitError, the incremental article export, the
product gate and mutations."""

import base64
import json

import pytest
import requests

from sandbox_client import Client
from sandbox_fixture import running_sandbox

pytestmark = pytest.mark.process  # starts the sandbox or the entrypoint, or opens a socket

ARGS = ("--tickets", "600", "--seed", "5", "--rate-limit", "0", "--export-rate-limit", "100000", "--time-scale", "60")
HC = "/api/v2/help_center"


@pytest.fixture(scope="module")
def client():
    with running_sandbox(*ARGS) as info:
        yield Client(info)


@pytest.fixture(scope="module")
def summary(client):
    return client.summary()["resources"]


def hc_walk_cursor(client, path, key, size=7):
    """Follow links.next while meta.has_more; check the Link header and links.first/last on the way."""
    records, url, params = [], path, {"page[size]": size}
    for _ in range(10000):
        r = client.get(url, params)
        body = r.json()
        records.extend(body[key])
        assert set(body["links"]) == {"first", "last", "prev", "next"}
        assert "page%5Bsize%5D" in body["links"]["first"]
        if not body["meta"]["has_more"]:
            assert "Link" not in r.headers and body["links"]["next"] is None
            return records
        assert r.headers["Link"] == f'<{body["links"]["next"]}>; rel="next"'
        url, params = body["links"]["next"], None
    raise AssertionError("cursor walk did not end")


def hc_walk_offset(client, path, key, per_page=None):
    records, url, params = [], path, ({"per_page": per_page} if per_page else {})
    for _ in range(200):
        body = client.json(url, params)
        records.extend(body[key])
        for field in ("page", "per_page", "page_count", "count", "sort_by", "sort_order", "next_page", "previous_page"):
            assert field in body, field
        if not body["next_page"]:
            assert body["page"] == body["page_count"]
            return records
        url, params = body["next_page"], None
    raise AssertionError("offset walk did not end")


LISTS = [
    (f"{HC}/articles", "articles", "articles"),
    (f"{HC}/en-us/articles", "articles", "articles"),
    (f"{HC}/sections", "sections", "sections"),
    (f"{HC}/categories", "categories", "categories"),
    (f"{HC}/user_segments", "user_segments", "user_segments"),
    ("/api/v2/guide/permission_groups", "permission_groups", "permission_groups"),
    ("/api/v2/community/topics", "topics", "topics"),
    ("/api/v2/community/posts", "posts", "posts"),
]


@pytest.mark.parametrize("path,key,resource", LISTS)
def test_lists_walk_to_the_summary_count_with_cursor_and_offset_pages(client, summary, path, key, resource):
    template = path.replace("/en-us/", "/{locale}/")
    want = summary[resource]["endpoints"][template]
    assert want > 0
    by_cursor = hc_walk_cursor(client, path, key)
    by_offset = hc_walk_offset(client, path, key)
    assert len(by_cursor) == len({r["id"] for r in by_cursor}) == want
    assert [r["id"] for r in by_cursor] == [r["id"] for r in by_offset]


def test_offset_pages_default_to_30_and_sort(client):
    body = client.json(f"{HC}/articles")
    assert body["per_page"] == 30 and len(body["articles"]) == min(30, body["count"])
    assert body["sort_by"] == "position" and body["sort_order"] == "asc"
    for sort_by in ("created_at", "updated_at", "title"):
        for order in ("asc", "desc"):
            got = hc_walk_offset(client, f"{HC}/articles?sort_by={sort_by}&sort_order={order}", "articles", 100)
            values = [r[sort_by] for r in got]
            assert values == sorted(values, reverse=order == "desc"), (sort_by, order)
            cursor = hc_walk_cursor(client, f"{HC}/articles?sort_by={sort_by}&sort_order={order}", "articles", 9)
            assert [r["id"] for r in cursor] == [r["id"] for r in got]


def test_links_last_is_the_last_page(client):
    body = client.json(f"{HC}/articles", {"page[size]": 4})
    last = client.json(body["links"]["last"])
    all_ids = [r["id"] for r in hc_walk_cursor(client, f"{HC}/articles", "articles", 4)]
    assert [r["id"] for r in last["articles"]] == all_ids[-4:]
    assert last["meta"]["has_more"] is False


def test_cursor_is_opaque_base64_not_the_support_object(client):
    body = client.json(f"{HC}/articles", {"page[size]": 2})
    decoded = json.loads(base64.b64decode(body["meta"]["after_cursor"]))
    assert isinstance(decoded, list), "Help Center cursors are not Support's {o, v} objects"


def test_bad_cursor_and_oversized_page_are_400(client):
    r = client.get(f"{HC}/articles", {"page[after]": "not-a-cursor"}, expect=400)
    assert r.json()["error"] == "InvalidPaginationParameter"
    client.get(f"{HC}/articles", {"page[size]": 101}, expect=400)


def test_offset_past_page_100_is_the_help_center_limit_error(client):
    r = client.get(f"{HC}/articles", {"page": 101, "per_page": 1}, expect=400)
    assert r.json() == {"error": "LimitError", "description": "Offset-based pagination is limited to 100 pages"}
    client.get(f"{HC}/articles", {"page": 100, "per_page": 1}, expect=200)


def test_section_articles_partition_the_articles(client, summary):
    sections = hc_walk_offset(client, f"{HC}/sections", "sections", 100)
    seen = []
    for s in sections:
        got = hc_walk_offset(client, f"{HC}/sections/{s['id']}/articles", "articles", 100)
        assert all(a["section_id"] == s["id"] for a in got)
        seen += [a["id"] for a in got]
    assert len(seen) == len(set(seen)) == summary["articles"]["endpoints"][f"{HC}/sections/{{section_id}}/articles"]


def test_relationships(client):
    categories = {c["id"] for c in hc_walk_offset(client, f"{HC}/categories", "categories", 100)}
    sections = {s["id"]: s for s in hc_walk_offset(client, f"{HC}/sections", "sections", 100)}
    assert all(s["category_id"] in categories for s in sections.values())
    topics = {t["id"] for t in hc_walk_offset(client, "/api/v2/community/topics", "topics", 100)}
    assert all(p["topic_id"] in topics for p in hc_walk_offset(client, "/api/v2/community/posts", "posts", 100))
    for a in hc_walk_offset(client, f"{HC}/articles", "articles", 100)[:10]:
        assert a["section_id"] in sections
        client.get(f"/api/v2/users/{a['author_id']}")  # authors are the account's users
        votes = hc_walk_offset(client, f"{HC}/articles/{a['id']}/votes", "votes", 100)
        assert a["vote_count"] == len(votes) and a["vote_sum"] == sum(v["value"] for v in votes)
        assert all(v["item_id"] == a["id"] and v["item_type"] == "Article" for v in votes)


def walk_children(client, parents, path_of, key):
    total = 0
    for p in parents:
        got = hc_walk_cursor(client, path_of(p), key, size=2)
        assert len({r["id"] for r in got}) == len(got)
        total += len(got)
    return total


def test_article_children_sum_to_the_summary(client, summary):
    articles = hc_walk_offset(client, f"{HC}/articles", "articles", 100)
    base = f"{HC}/articles/{{article_id}}"
    assert (
        walk_children(client, articles, lambda a: f"{HC}/articles/{a['id']}/comments", "comments")
        == summary["article_comments"]["endpoints"][base + "/comments"]
    )
    assert (
        walk_children(client, articles, lambda a: f"{HC}/articles/{a['id']}/votes", "votes")
        == summary["article_votes"]["endpoints"][base + "/votes"]
    )
    comment_votes = attachments = 0
    for a in articles:
        for c in client.json(f"{HC}/articles/{a['id']}/comments")["comments"]:
            assert c["source_id"] == a["id"] and c["source_type"] == "Article"
            votes = hc_walk_offset(client, f"{HC}/articles/{a['id']}/comments/{c['id']}/votes", "votes")
            assert c["vote_count"] == len(votes)
            comment_votes += len(votes)
        body = client.json(f"{HC}/articles/{a['id']}/attachments")
        assert set(body) == {"article_attachments"}, "unpaged"
        assert all(x["article_id"] == a["id"] for x in body["article_attachments"])
        attachments += len(body["article_attachments"])
    assert comment_votes == summary["article_comment_votes"]["endpoints"][base + "/comments/{comment_id}/votes"]
    assert attachments == summary["article_attachments"]["endpoints"][base + "/attachments"]


def test_post_children_sum_to_the_summary(client, summary):
    posts = hc_walk_offset(client, "/api/v2/community/posts", "posts", 100)
    base = "/api/v2/community/posts/{post_id}"
    comments = votes = comment_votes = 0
    for p in posts:
        got = hc_walk_offset(client, f"/api/v2/community/posts/{p['id']}/comments", "comments")
        assert len(got) == p["comment_count"] and all(c["post_id"] == p["id"] for c in got)
        comments += len(got)
        votes += len(hc_walk_cursor(client, f"/api/v2/community/posts/{p['id']}/votes", "votes", 3))
        for c in got:
            comment_votes += len(
                hc_walk_offset(client, f"/api/v2/community/posts/{p['id']}/comments/{c['id']}/votes", "votes")
            )
    assert comments == summary["post_comments"]["endpoints"][base + "/comments"]
    assert votes == summary["post_votes"]["endpoints"][base + "/votes"]
    assert comment_votes == summary["post_comment_votes"]["endpoints"][base + "/comments/{comment_id}/votes"]


def walk_incremental_articles(client, start_time=0, per_page=None):
    records, pages, url = [], 0, f"{HC}/incremental/articles"
    params = {"start_time": start_time, **({"per_page": per_page} if per_page else {})}
    for _ in range(10000):
        body = client.json(url, params)
        pages += 1
        records.extend(body["articles"])
        assert body["count"] == len(body["articles"])
        if body["articles"]:
            last = max(a["updated_at"] for a in body["articles"])
            assert body["end_time"] is not None and body["end_time"] >= _epoch(last)
        if not body["next_page"] or not body["articles"]:
            return records, pages
        assert f"start_time={body['end_time']}" in body["next_page"]
        url, params = body["next_page"], None
    raise AssertionError("incremental articles did not end")


def _epoch(iso):
    import calendar
    import time

    return calendar.timegm(time.strptime(iso, "%Y-%m-%dT%H:%M:%SZ"))


def test_an_attachments_content_url_serves_the_file(client):
    articles = hc_walk_offset(client, f"{HC}/articles", "articles", 100)
    attachment = next(
        x for a in articles for x in client.json(f"{HC}/articles/{a['id']}/attachments")["article_attachments"]
    )
    path = attachment["relative_path"]  # content_url names the account's own host; this is its path
    assert attachment["content_url"].endswith(path)
    for url in (path, path + "/" + attachment["file_name"]):
        r = client.get(url)
        assert r.headers["Content-Type"].startswith(attachment["content_type"])
        assert len(r.content) == attachment["size"]
    assert client.get(path).content == r.content  # the same bytes every time
    client.get(path.rsplit("/", 1)[0] + "/1", expect=404)


@pytest.mark.parametrize("per_page", [None, 6])
def test_incremental_articles_walk_to_the_summary(client, summary, per_page):
    records, pages = walk_incremental_articles(client, per_page=per_page)
    assert len({r["id"] for r in records}) == summary["articles"]["endpoints"][f"{HC}/incremental/articles"]
    if per_page:
        assert pages > 1
    stamps = [_epoch(r["updated_at"]) for r in records]
    assert stamps == sorted(stamps)


def test_incremental_articles_needs_start_time_and_empty_result_has_nulls(client):
    client.get(f"{HC}/incremental/articles", expect=400)
    body = client.json(f"{HC}/incremental/articles", {"start_time": 4_000_000_000})
    assert body == {"articles": [], "count": 0, "end_time": None, "next_page": None}


def test_unknown_article_and_locale_are_404(client):
    client.get(f"{HC}/articles/999/comments", expect=404)
    client.get(f"{HC}/xx-yy/articles", expect=404)


def test_mutations_show_up_everywhere():
    with running_sandbox(*ARGS) as info:
        c = Client(info)
        before = c.summary()["resources"]
        result = c.mutate({"articles": {"create": 3, "update": 2, "delete": 2}, "posts": {"create": 1, "delete": 1}})
        assert len(result["articles"]["create"]) == 3 and len(result["posts"]["delete"]) == 1
        after = c.summary()["resources"]
        assert after["articles"]["live"] == before["articles"]["live"] + 1
        assert after["articles"]["deleted"] == 2
        listed = hc_walk_cursor(c, f"{HC}/articles", "articles", 50)
        assert len(listed) == after["articles"]["endpoints"][f"{HC}/articles"]
        ids = {a["id"] for a in listed}
        assert not ids & set(result["articles"]["delete"]) and set(result["articles"]["create"]) <= ids
        c.get(f"{HC}/articles/{result['articles']['delete'][0]}/comments", expect=404)
        by_id = {a["id"]: a for a in listed}
        for article_id in result["articles"]["update"]:  # an update adds a comment: changed parents have new children
            comments = c.json(f"{HC}/articles/{article_id}/comments")["comments"]
            assert comments[-1]["created_at"] == by_id[article_id]["updated_at"]
        total = sum(len(hc_walk_offset(c, f"{HC}/articles/{a['id']}/comments", "comments")) for a in listed)
        assert total == after["article_comments"]["endpoints"][f"{HC}/articles/{{article_id}}/comments"]
        posts = hc_walk_offset(c, "/api/v2/community/posts", "posts", 100)
        assert len(posts) == after["posts"]["endpoints"]["/api/v2/community/posts"] == before["posts"]["live"]
        # the incremental export sees the new and updated articles once their second is past the hold-back
        r = requests.post(info["url"] + "/_sandbox/mutate", json={"articles": {"touch": 1}}, timeout=30)
        assert r.status_code == 400


def test_help_center_off_answers_404_everywhere():
    with running_sandbox(*ARGS, "--without", "help_center") as info:
        c = Client(info)
        paths = [p for p, _, _ in LISTS] + [
            f"{HC}/incremental/articles?start_time=0",
            f"{HC}/articles/21000000000001/comments",
            f"{HC}/articles/21000000000001/attachments",
            "/api/v2/community/posts/26000000000001/votes",
        ]
        for path in paths:
            c.get(path, expect=404)
        resources = c.summary()["resources"]
        for name in ("articles", "posts", "article_comments", "post_comment_votes", "permission_groups"):
            assert set(resources[name]["endpoints"].values()) == {0}, name
        c.get("/api/v2/tickets", expect=200)
        assert not any(b["has_help_center"] for b in c.json("/api/v2/brands")["brands"])


def test_the_default_brand_has_the_help_center(client):
    brands = client.json("/api/v2/brands")["brands"]
    assert [b["help_center_state"] for b in brands if b["default"]] == ["enabled"]
