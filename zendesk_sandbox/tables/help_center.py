"""Help Center (Guide) and community endpoints (API notes §7.3): rows for the endpoint table."""

from __future__ import annotations

import calendar
import hashlib
import time
from typing import Callable

from aiohttp import web

from ..foundation import errors
from ..data.help_center import ARTICLE, ARTICLE_ATTACHMENT, CHILDREN, LOCALE
from ..data import help_center_subscriptions as subscribed, help_center_translations as translated
from ..paging.cache import cached
from ..paging.endpoint import Ctx, Endpoint
from ..paging.support import Sorted, wants_cursor
from ..paging.products import help_center_cursor_pages, help_center_offset_pages, help_center_time_export
from ..add_ons import gates
from ..add_ons.gates import help_center, help_center_gate

HC = "/api/v2/help_center"
COMMUNITY = "/api/v2/community"


def help_center_list(key: str, items: Callable[[Ctx, str, bool], Sorted], default_sort: str):
    """An HC list: cursor pages with page[size]/page[after]/page[before], offset pages otherwise."""

    def handle(ctx: Ctx):
        check_locale(ctx)
        sort_by = ctx.query.get("sort_by") or default_sort
        desc = ctx.query.get("sort_order") == "desc"
        sorted_items = items(ctx, sort_by, desc)
        if wants_cursor(ctx.query):
            return help_center_cursor_pages(sorted_items, key, ctx.query, ctx.base, ctx.path)
        return help_center_offset_pages(
            sorted_items, key, ctx.query, ctx.base, ctx.path, sort_by, "desc" if desc else "asc"
        )

    return handle


def check_locale(ctx: Ctx) -> None:
    if "locale" in ctx.params and ctx.params["locale"].lower() != LOCALE:
        raise errors.record_not_found()


def ordered(keys: list[tuple], build: Callable[[tuple], dict], desc: bool, order: str) -> Sorted:
    """Keys sort ascending; a descending order negates numbers and ranks strings (cursor keys stay flat)."""
    keys = sorted(keys)
    if not desc:
        return Sorted(keys, lambda position: build(keys[position]), order)
    originals = keys[::-1]
    flipped = [
        tuple(-value if isinstance(value, int) else -(len(keys) - position) for value in key)
        for position, key in enumerate(originals)
    ]
    return Sorted(flipped, lambda position: build(originals[position]), "-" + order)


def static_list(records_of: Callable, key_of=lambda record: (record["position"], record["id"])):
    def items(ctx: Ctx, sort_by: str, desc: bool) -> Sorted:
        records = {record["id"]: record for record in records_of(help_center(ctx.account))}
        return ordered(
            [key_of(record) for record in records.values()], lambda key: records[key[-1]], desc, "position,id"
        )

    return items


# ---- articles -------------------------------------------------------------------------------------------
ARTICLE_SORTS = ("position", "created_at", "updated_at", "title")


def article_keys(account, sort_by: str) -> list[tuple]:
    guide = help_center(account)
    articles = guide.articles
    if sort_by == "created_at":
        key = lambda index: (guide.article_created(index), index)  # noqa: E731
    elif sort_by == "updated_at":
        key = lambda index: (articles.updated_ts(index), index)  # noqa: E731
    elif sort_by == "title":
        key = lambda index: (guide.article(index)["title"], index)  # noqa: E731
    else:
        key = lambda index: (index % 50, index)  # noqa: E731  (position)
    return sorted(key(index) for index in articles.live_indexes())


def article_items(ctx: Ctx, sort_by: str, desc: bool) -> Sorted:
    sort_by = sort_by if sort_by in ARTICLE_SORTS else "position"
    guide = help_center(ctx.account)
    keys = cached(ctx.account, f"hc_articles:{sort_by}", lambda: article_keys(ctx.account, sort_by))
    if "section_id" in ctx.params:
        section = parse_int_param(ctx, "section_id")
        if not any(known["id"] == section for known in guide.sections):
            raise errors.record_not_found()
        keys = [index for index in keys if guide.article_section(index[-1])["id"] == section]
    return ordered(keys, lambda key: guide.article(key[-1]), desc, f"{sort_by},id")


def parse_int_param(ctx: Ctx, name: str) -> int:
    try:
        return int(ctx.params[name])
    except ValueError:
        raise errors.record_not_found() from None


def article_of(ctx: Ctx) -> int:
    index = help_center(ctx.account).article_index(ctx.params["article_id"])
    if index is None:
        raise errors.record_not_found()
    return index


def post_of(ctx: Ctx) -> int:
    index = help_center(ctx.account).post_index(ctx.params["post_id"])
    if index is None:
        raise errors.record_not_found()
    return index


def child_list(records_of: Callable[[Ctx], list[dict]]):
    """Children of one parent (comments, votes), in id order (their creation order)."""

    def items(ctx: Ctx, sort_by: str, desc: bool) -> Sorted:
        records = {record["id"]: record for record in records_of(ctx)}
        return ordered([(record_id,) for record_id in records], lambda index: records[index[0]], desc, "id")

    return items


def comment_of(comments: list[dict], ctx: Ctx) -> dict:
    for comment in comments:
        if str(comment["id"]) == ctx.params["comment_id"]:
            return comment
    raise errors.record_not_found()


def article_comments(ctx):
    return help_center(ctx.account).article_comments(article_of(ctx))


def article_votes(ctx):
    guide = help_center(ctx.account)
    index = article_of(ctx)
    return guide.votes_of(
        0, index, guide.article_shape(index)[1], guide.article_created(index), "Article", guide.article(index)["id"]
    )


def article_comment_votes(ctx):
    guide = help_center(ctx.account)
    index = article_of(ctx)
    comment = comment_of(guide.article_comments(index), ctx)
    slot = comment["id"] % 16
    return guide.votes_of(
        1, index * 16 + slot, guide.comment_votes(index, slot), created_second(comment), "Comment", comment["id"]
    )


def article_attachments(ctx: Ctx) -> dict:
    return {"article_attachments": help_center(ctx.account).article_attachments(article_of(ctx))}


def created_second(record) -> int:
    return calendar.timegm(time.strptime(record["created_at"], "%Y-%m-%dT%H:%M:%SZ"))


incremental_articles = help_center_time_export(
    "articles",
    lambda ctx, after: help_center(ctx.account).articles.iter_after(after),
    lambda ctx, index: help_center(ctx.account).article(index),
    hidden=lambda ctx, index: help_center(ctx.account).articles.is_deleted(index),
)


# ---- posts ----------------------------------------------------------------------------------------------
def post_items(ctx: Ctx, sort_by: str, desc: bool) -> Sorted:
    guide = help_center(ctx.account)
    posts = guide.posts
    sort_by = sort_by if sort_by in ("created_at", "updated_at") else "created_at"

    def build_keys():
        if sort_by == "updated_at":
            return sorted((posts.updated_ts(index), index) for index in posts.live_indexes())
        return sorted((guide.post_created(index), index) for index in posts.live_indexes())

    keys = cached(ctx.account, f"hc_posts:{sort_by}", build_keys)
    return ordered(keys, lambda key: guide.post(key[-1]), desc, f"{sort_by},id")


def post_comments(ctx):
    return help_center(ctx.account).post_comments(post_of(ctx))


def post_votes(ctx):
    guide = help_center(ctx.account)
    index = post_of(ctx)
    return guide.votes_of(
        2, index, guide.post_shape(index)[1], guide.post_created(index), "Post", guide.post(index)["id"]
    )


def post_comment_votes(ctx):
    guide = help_center(ctx.account)
    index = post_of(ctx)
    comment = comment_of(guide.post_comments(index), ctx)
    slot = comment["id"] % 16
    return guide.votes_of(
        3, index * 16 + slot, guide.comment_votes(-index, slot), created_second(comment), "PostComment", comment["id"]
    )


def article_attachment_content(ctx: Ctx) -> web.Response:
    """The file behind an article attachment's content_url: its size and content type, deterministic bytes."""
    try:
        attachment_id = int(ctx.params["attachment_id"])
    except ValueError:
        raise errors.record_not_found() from None
    guide = help_center(ctx.account)
    index = guide.article_index(ARTICLE + (attachment_id - ARTICLE_ATTACHMENT) // CHILDREN)
    listed = guide.article_attachments(index) if index is not None else []
    found = [attachment for attachment in listed if attachment["id"] == attachment_id]
    if not found:
        raise errors.record_not_found()
    attachment = found[0]
    block = hashlib.sha256(str(attachment_id).encode()).digest()
    body = (block * (attachment["size"] // len(block) + 1))[: attachment["size"]]
    return web.Response(
        body=body,
        content_type=attachment["content_type"],
        headers={"Content-Disposition": f'inline; filename="{attachment["file_name"]}"'},
    )


# ---- coverage (b): labels, locales, translations ---------------------------------------------------------------
def article_translations(ctx):
    return translated.translations(ctx.account, article_of(ctx))


def locales(ctx: Ctx) -> dict:
    return {"locales": translated.LOCALES, "default_locale": LOCALE}


def label_items(ctx: Ctx, sort_by: str, desc: bool) -> Sorted:
    records = {label["id"]: label for label in translated.labels(ctx.account)}
    return ordered([(label_id,) for label_id in records], lambda key: records[key[0]], desc, "id")


_labels = help_center_list("labels", label_items, "id")


def listed_in(records_of, id_name: str):
    """The record of a short Help Center list named by the path, or 404."""

    def record(ctx: Ctx) -> dict:
        wanted = parse_int_param(ctx, id_name)
        for found in records_of(help_center(ctx.account)):
            if found["id"] == wanted:
                return found
        raise errors.record_not_found()

    return record


_section = listed_in(lambda guide: guide.sections, "section_id")
_topic = listed_in(lambda guide: guide.topics, "topic_id")
_section_subscriptions = help_center_list(
    "subscriptions", child_list(lambda ctx: subscribed.section_subscriptions(ctx.account, _section(ctx))), "id"
)
_topic_subscriptions = help_center_list(
    "subscriptions", child_list(lambda ctx: subscribed.topic_subscriptions(ctx.account, _topic(ctx))), "id"
)


def article_show(ctx: Ctx) -> dict:
    guide = help_center(ctx.account)
    index = guide.article_index(ctx.params["article_id"])
    if index is None:
        raise errors.record_not_found()
    return {"article": guide.article(index)}


def post_show(ctx: Ctx) -> dict:
    guide = help_center(ctx.account)
    index = guide.post_index(ctx.params["post_id"])
    if index is None:
        raise errors.record_not_found()
    return {"post": guide.post(index)}


def help_center_row(path: str, resource: str, handle, count=None) -> Endpoint:
    return Endpoint(path, resource, handle, count=count, gate=help_center_gate)


_articles = help_center_list("articles", article_items, "position")
_posts = help_center_list("posts", post_items, "created_at")
_topics = help_center_list("topics", static_list(lambda guide: guide.topics), "position")

HELP_CENTER_ENDPOINTS: list[Endpoint] = [
    help_center_row(f"{HC}/incremental/articles", "articles", incremental_articles, count=gates.articles_exported),
    help_center_row(f"{HC}/articles", "articles", _articles, count=gates.articles_live),
    help_center_row(f"{HC}/{{locale}}/articles", "articles", _articles, count=gates.articles_live),
    help_center_row(f"{HC}/sections/{{section_id}}/articles", "articles", _articles, count=gates.articles_live),
    help_center_row(f"{HC}/{{locale}}/sections/{{section_id}}/articles", "articles", _articles),
    help_center_row(f"{HC}/articles/{{article_id}}", "articles", article_show),
    help_center_row(f"{HC}/{{locale}}/articles/{{article_id}}", "articles", article_show),
    help_center_row(
        f"{HC}/sections",
        "sections",
        help_center_list("sections", static_list(lambda guide: guide.sections), "position"),
        count=gates.help_center_list("sections"),
    ),
    help_center_row(
        f"{HC}/{{locale}}/sections",
        "sections",
        help_center_list("sections", static_list(lambda guide: guide.sections), "position"),
    ),
    help_center_row(
        f"{HC}/categories",
        "categories",
        help_center_list("categories", static_list(lambda guide: guide.categories), "position"),
        count=gates.help_center_list("categories"),
    ),
    help_center_row(
        f"{HC}/{{locale}}/categories",
        "categories",
        help_center_list("categories", static_list(lambda guide: guide.categories), "position"),
    ),
    help_center_row(
        f"{HC}/user_segments",
        "user_segments",
        help_center_list(
            "user_segments", static_list(lambda guide: guide.user_segments, lambda record: (record["id"],)), "id"
        ),
        count=gates.help_center_list("user_segments"),
    ),
    help_center_row(
        "/api/v2/guide/permission_groups",
        "permission_groups",
        help_center_list(
            "permission_groups",
            static_list(lambda guide: guide.permission_groups, lambda record: (record["id"],)),
            "id",
        ),
        count=gates.help_center_list("permission_groups"),
    ),
    help_center_row(
        f"{HC}/articles/{{article_id}}/comments",
        "article_comments",
        help_center_list("comments", child_list(article_comments), "id"),
        count=gates.help_center_children("article_comments"),
    ),
    help_center_row(
        f"{HC}/{{locale}}/articles/{{article_id}}/comments",
        "article_comments",
        help_center_list("comments", child_list(article_comments), "id"),
    ),
    help_center_row(
        f"{HC}/articles/{{article_id}}/votes",
        "article_votes",
        help_center_list("votes", child_list(article_votes), "id"),
        count=gates.help_center_children("article_votes"),
    ),
    help_center_row(
        f"{HC}/articles/{{article_id}}/comments/{{comment_id}}/votes",
        "article_comment_votes",
        help_center_list("votes", child_list(article_comment_votes), "id"),
        count=gates.help_center_children("article_comment_votes"),
    ),
    help_center_row(
        f"{HC}/articles/{{article_id}}/attachments",
        "article_attachments",
        article_attachments,
        count=gates.help_center_children("article_attachments"),
    ),
    # content_url of an attachment: the file itself, on the Help Center's host path
    help_center_row("/hc/article_attachments/{attachment_id}", "article_attachments", article_attachment_content),
    help_center_row(
        "/hc/article_attachments/{attachment_id}/{file_name}", "article_attachments", article_attachment_content
    ),
    help_center_row(f"{COMMUNITY}/topics", "topics", _topics, count=gates.help_center_list("topics")),
    help_center_row(f"{HC}/community/topics", "topics", _topics),
    help_center_row(f"{COMMUNITY}/posts", "posts", _posts, count=gates.posts_live),
    help_center_row(f"{HC}/community/posts", "posts", _posts),
    help_center_row(f"{COMMUNITY}/posts/{{post_id}}", "posts", post_show),
    help_center_row(f"{HC}/community/posts/{{post_id}}", "posts", post_show),
    help_center_row(
        f"{COMMUNITY}/posts/{{post_id}}/comments",
        "post_comments",
        help_center_list("comments", child_list(post_comments), "id"),
        count=gates.help_center_children("post_comments"),
    ),
    help_center_row(
        f"{COMMUNITY}/posts/{{post_id}}/votes",
        "post_votes",
        help_center_list("votes", child_list(post_votes), "id"),
        count=gates.help_center_children("post_votes"),
    ),
    help_center_row(
        f"{COMMUNITY}/posts/{{post_id}}/comments/{{comment_id}}/votes",
        "post_comment_votes",
        help_center_list("votes", child_list(post_comment_votes), "id"),
        count=gates.help_center_children("post_comment_votes"),
    ),
    # coverage (b)
    help_center_row(
        f"{HC}/articles/labels", "article_labels", _labels, count=lambda account: len(translated.labels(account))
    ),
    help_center_row(f"{HC}/{{locale}}/articles/labels", "article_labels", _labels),
    help_center_row(f"{HC}/locales", "help_center_locales", locales, count=lambda account: len(translated.LOCALES)),
    help_center_row(
        f"{HC}/articles/{{article_id}}/translations",
        "article_translations",
        help_center_list("translations", child_list(article_translations), "id"),
        count=translated.translation_count,
    ),
    help_center_row(
        f"{HC}/sections/{{section_id}}/subscriptions",
        "section_subscriptions",
        _section_subscriptions,
        count=lambda account: subscribed.subscription_count(account, "sections"),
    ),
    help_center_row(
        f"{HC}/{{locale}}/sections/{{section_id}}/subscriptions", "section_subscriptions", _section_subscriptions
    ),
    help_center_row(
        f"{COMMUNITY}/topics/{{topic_id}}/subscriptions",
        "topic_subscriptions",
        _topic_subscriptions,
        count=lambda account: subscribed.subscription_count(account, "topics"),
    ),
]
