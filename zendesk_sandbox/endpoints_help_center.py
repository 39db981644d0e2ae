"""Help Center (Guide) and community endpoints (API notes §7.3): rows for the endpoint table."""
from __future__ import annotations

import hashlib
from typing import Callable

from aiohttp import web

from . import errors
from .data.help_center import ARTICLE, ARTICLE_ATTACHMENT, CHILDREN, LOCALE
from .cache import cached
from .endpoint import Ctx, Endpoint
from .pagination import Sorted, page_url, parse_int
from .product_pagination import EXPORT_MAX, hc_cursor_page, hc_offset_page, wants_hc_cursor
from .products import help_center, help_center_gate

BIG = 1 << 62
HC = "/api/v2/help_center"
COMMUNITY = "/api/v2/community"


def hc_listing(key: str, items: Callable[[Ctx, str, bool], Sorted], default_sort: str):
    """An HC list: cursor pages with page[size]/page[after]/page[before], offset pages otherwise."""
    def handle(ctx: Ctx):
        check_locale(ctx)
        sort_by = ctx.query.get("sort_by") or default_sort
        desc = ctx.query.get("sort_order") == "desc"
        sorted_items = items(ctx, sort_by, desc)
        if wants_hc_cursor(ctx.query):
            return hc_cursor_page(sorted_items, key, ctx.query, ctx.base, ctx.path)
        return hc_offset_page(sorted_items, key, ctx.query, ctx.base, ctx.path, sort_by,
                              "desc" if desc else "asc")
    return handle


def check_locale(ctx: Ctx) -> None:
    if "locale" in ctx.params and ctx.params["locale"].lower() != LOCALE:
        raise errors.record_not_found()


def ordered(keys: list[tuple], build: Callable[[tuple], dict], desc: bool, order: str) -> Sorted:
    """Keys sort ascending; a descending order negates numbers and ranks strings (cursor keys stay flat)."""
    keys = sorted(keys)
    if not desc:
        return Sorted(keys, lambda p: build(keys[p]), order)
    originals = keys[::-1]
    flipped = [tuple(-v if isinstance(v, int) else -(len(keys) - p) for v in key) for p, key in enumerate(originals)]
    return Sorted(flipped, lambda p: build(originals[p]), "-" + order)


def static_list(records_of: Callable, key_of=lambda r: (r["position"], r["id"])):
    def items(ctx: Ctx, sort_by: str, desc: bool) -> Sorted:
        records = {r["id"]: r for r in records_of(help_center(ctx.account))}
        return ordered([key_of(r) for r in records.values()], lambda k: records[k[-1]], desc, "position,id")
    return items


# ---- articles -------------------------------------------------------------------------------------------
ARTICLE_SORTS = ("position", "created_at", "updated_at", "title")


def article_keys(account, sort_by: str) -> list[tuple]:
    hc = help_center(account)
    s = hc.articles
    if sort_by == "created_at":
        key = lambda k: (hc.article_created(k), k)  # noqa: E731
    elif sort_by == "updated_at":
        key = lambda k: (s.updated_ts(k), k)  # noqa: E731
    elif sort_by == "title":
        key = lambda k: (hc.article(k)["title"], k)  # noqa: E731
    else:
        key = lambda k: (k % 50, k)  # noqa: E731  (position)
    return sorted(key(k) for k in s.live_indexes())


def article_items(ctx: Ctx, sort_by: str, desc: bool) -> Sorted:
    sort_by = sort_by if sort_by in ARTICLE_SORTS else "position"
    hc = help_center(ctx.account)
    keys = cached(ctx.account, f"hc_articles:{sort_by}", lambda: article_keys(ctx.account, sort_by))
    if "section_id" in ctx.params:
        section = parse_int_param(ctx, "section_id")
        if not any(s["id"] == section for s in hc.sections):
            raise errors.record_not_found()
        keys = [k for k in keys if hc.article_section(k[-1])["id"] == section]
    return ordered(keys, lambda key: hc.article(key[-1]), desc, f"{sort_by},id")


def parse_int_param(ctx: Ctx, name: str) -> int:
    try:
        return int(ctx.params[name])
    except ValueError:
        raise errors.record_not_found() from None


def article_of(ctx: Ctx) -> int:
    k = help_center(ctx.account).article_index(ctx.params["article_id"])
    if k is None:
        raise errors.record_not_found()
    return k


def post_of(ctx: Ctx) -> int:
    k = help_center(ctx.account).post_index(ctx.params["post_id"])
    if k is None:
        raise errors.record_not_found()
    return k


def child_list(records_of: Callable[[Ctx], list[dict]]):
    """Children of one parent (comments, votes), in id order (their creation order)."""
    def items(ctx: Ctx, sort_by: str, desc: bool) -> Sorted:
        records = {r["id"]: r for r in records_of(ctx)}
        return ordered([(rid,) for rid in records], lambda k: records[k[0]], desc, "id")
    return items


def comment_of(comments: list[dict], ctx: Ctx) -> dict:
    for c in comments:
        if str(c["id"]) == ctx.params["comment_id"]:
            return c
    raise errors.record_not_found()


def article_comments(ctx):
    return help_center(ctx.account).article_comments(article_of(ctx))


def article_votes(ctx):
    hc = help_center(ctx.account)
    k = article_of(ctx)
    return hc.votes_of(0, k, hc.article_shape(k)[1], hc.article_created(k), "Article", hc.article(k)["id"])


def article_comment_votes(ctx):
    hc = help_center(ctx.account)
    k = article_of(ctx)
    c = comment_of(hc.article_comments(k), ctx)
    j = c["id"] % 16
    return hc.votes_of(1, k * 16 + j, hc.comment_votes(k, j), _ts(c), "Comment", c["id"])


def article_attachments(ctx: Ctx) -> dict:
    return {"article_attachments": help_center(ctx.account).article_attachments(article_of(ctx))}


def _ts(record) -> int:
    import calendar
    import time
    return calendar.timegm(time.strptime(record["created_at"], "%Y-%m-%dT%H:%M:%SZ"))


def incremental_articles(ctx: Ctx) -> dict:
    """Help Center's time export: next_page and end_time carry the last article's change time (so that second
    comes again on the next page); the last page has next_page null; an empty result has both null."""
    raw = ctx.query.get("start_time")
    if raw is None or raw == "":
        raise errors.invalid_value("start_time is required")
    start = max(0, parse_int(raw, "start_time"))
    per_page = min(EXPORT_MAX, max(1, parse_int(ctx.query.get("per_page"), "per_page", EXPORT_MAX)))
    hc = help_center(ctx.account)
    cutoff = ctx.account.export_cutoff()
    page, eos = [], True
    for ts, k in hc.articles.iter_after((start - 1, BIG)):
        if ts >= cutoff:
            break
        if hc.articles.is_deleted(k):
            continue
        if page and len(page) >= per_page and ts != page[-1][0]:
            eos = False
            break
        if len(page) >= EXPORT_MAX:
            eos = False
            break
        page.append((ts, k))
    records = [hc.article(k) for _, k in page]
    end_time = page[-1][0] if page else None
    if end_time is not None and not eos and page[0][0] == end_time:
        end_time += 1  # a page filled by one second: step past it, or the walk would never move
    keep = {k: v for k, v in ctx.query.items() if k != "start_time"}
    nxt = None if eos or end_time is None else page_url(ctx.base, ctx.path, {**keep, "start_time": end_time})
    return {"articles": records, "count": len(records), "end_time": end_time, "next_page": nxt}


# ---- posts ----------------------------------------------------------------------------------------------
def post_items(ctx: Ctx, sort_by: str, desc: bool) -> Sorted:
    hc = help_center(ctx.account)
    s = hc.posts
    sort_by = sort_by if sort_by in ("created_at", "updated_at") else "created_at"

    def build_keys():
        if sort_by == "updated_at":
            return sorted((s.updated_ts(k), k) for k in s.live_indexes())
        return sorted((hc.post_created(k), k) for k in s.live_indexes())
    keys = cached(ctx.account, f"hc_posts:{sort_by}", build_keys)
    return ordered(keys, lambda key: hc.post(key[-1]), desc, f"{sort_by},id")


def post_comments(ctx):
    return help_center(ctx.account).post_comments(post_of(ctx))


def post_votes(ctx):
    hc = help_center(ctx.account)
    k = post_of(ctx)
    return hc.votes_of(2, k, hc.post_shape(k)[1], hc.post_created(k), "Post", hc.post(k)["id"])


def post_comment_votes(ctx):
    hc = help_center(ctx.account)
    k = post_of(ctx)
    c = comment_of(hc.post_comments(k), ctx)
    j = c["id"] % 16
    return hc.votes_of(3, k * 16 + j, hc.comment_votes(-k, j), _ts(c), "PostComment", c["id"])


def article_attachment_content(ctx: Ctx) -> web.Response:
    """The file behind an article attachment's content_url: its size and content type, deterministic bytes."""
    try:
        attachment_id = int(ctx.params["attachment_id"])
    except ValueError:
        raise errors.record_not_found() from None
    h = help_center(ctx.account)
    k = h.article_index(ARTICLE + (attachment_id - ARTICLE_ATTACHMENT) // CHILDREN)
    found = [a for a in h.article_attachments(k) if a["id"] == attachment_id] if k is not None else []
    if not found:
        raise errors.record_not_found()
    attachment = found[0]
    block = hashlib.sha256(str(attachment_id).encode()).digest()
    body = (block * (attachment["size"] // len(block) + 1))[: attachment["size"]]
    return web.Response(body=body, content_type=attachment["content_type"], headers={
        "Content-Disposition": f'inline; filename="{attachment["file_name"]}"'})


def hc(path: str, resource: str, handle) -> Endpoint:
    return Endpoint(path, resource, handle, gate=help_center_gate)


_articles = hc_listing("articles", article_items, "position")
_posts = hc_listing("posts", post_items, "created_at")
_topics = hc_listing("topics", static_list(lambda h: h.topics), "position")

HELP_CENTER_ENDPOINTS: list[Endpoint] = [
    hc(f"{HC}/incremental/articles", "articles", incremental_articles),
    hc(f"{HC}/articles", "articles", _articles),
    hc(f"{HC}/{{locale}}/articles", "articles", _articles),
    hc(f"{HC}/sections/{{section_id}}/articles", "articles", _articles),
    hc(f"{HC}/{{locale}}/sections/{{section_id}}/articles", "articles", _articles),
    hc(f"{HC}/sections", "sections", hc_listing("sections", static_list(lambda h: h.sections), "position")),
    hc(f"{HC}/{{locale}}/sections", "sections",
       hc_listing("sections", static_list(lambda h: h.sections), "position")),
    hc(f"{HC}/categories", "categories", hc_listing("categories", static_list(lambda h: h.categories), "position")),
    hc(f"{HC}/{{locale}}/categories", "categories",
       hc_listing("categories", static_list(lambda h: h.categories), "position")),
    hc(f"{HC}/user_segments", "user_segments",
       hc_listing("user_segments", static_list(lambda h: h.user_segments, lambda r: (r["id"],)), "id")),
    hc("/api/v2/guide/permission_groups", "permission_groups",
       hc_listing("permission_groups", static_list(lambda h: h.permission_groups, lambda r: (r["id"],)), "id")),
    hc(f"{HC}/articles/{{article_id}}/comments", "article_comments",
       hc_listing("comments", child_list(article_comments), "id")),
    hc(f"{HC}/{{locale}}/articles/{{article_id}}/comments", "article_comments",
       hc_listing("comments", child_list(article_comments), "id")),
    hc(f"{HC}/articles/{{article_id}}/votes", "article_votes", hc_listing("votes", child_list(article_votes), "id")),
    hc(f"{HC}/articles/{{article_id}}/comments/{{comment_id}}/votes", "article_comment_votes",
       hc_listing("votes", child_list(article_comment_votes), "id")),
    hc(f"{HC}/articles/{{article_id}}/attachments", "article_attachments", article_attachments),
    # content_url of an attachment: the file itself, on the Help Center's host path
    hc("/hc/article_attachments/{attachment_id}", "article_attachments", article_attachment_content),
    hc("/hc/article_attachments/{attachment_id}/{file_name}", "article_attachments", article_attachment_content),
    hc(f"{COMMUNITY}/topics", "topics", _topics),
    hc(f"{HC}/community/topics", "topics", _topics),
    hc(f"{COMMUNITY}/posts", "posts", _posts),
    hc(f"{HC}/community/posts", "posts", _posts),
    hc(f"{COMMUNITY}/posts/{{post_id}}/comments", "post_comments",
       hc_listing("comments", child_list(post_comments), "id")),
    hc(f"{COMMUNITY}/posts/{{post_id}}/votes", "post_votes", hc_listing("votes", child_list(post_votes), "id")),
    hc(f"{COMMUNITY}/posts/{{post_id}}/comments/{{comment_id}}/votes", "post_comment_votes",
       hc_listing("votes", child_list(post_comment_votes), "id")),
]
