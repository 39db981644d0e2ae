"""Help Center, Talk and Chat as add-ons of one account: their gates and their ground truth for
/_sandbox/summary (their data and mutations are data/products.py's)."""
from __future__ import annotations

from . import errors
from .cache import cached
from .data import talk as talk_data
from .data.products import chat, help_center, talk


# ---- gates (API notes §5, §7.3-§7.5) ------------------------------------------------------------------
def help_center_gate(settings):
    """Help Center not enabled: every path 404 with no body (what was observed; the exact body is unknown)."""
    if settings.has_feature("help_center"):
        return None
    return errors.ZendeskError(404, b"", content_type="text/html; charset=utf-8")


def talk_gate(settings):
    """Talk not provisioned: the object-form 403 seen on Talk endpoints."""
    return None if settings.has_feature("talk") else errors.forbidden_restricted()


def chat_gate(settings):
    """Chat not enabled: the Chat API does not exist on the account, so 404 InvalidEndpoint."""
    return None if settings.has_feature("chat") else errors.invalid_endpoint()


# ---- ground truth --------------------------------------------------------------------------------------
def _resource(total: int, endpoints: dict, live: int | None = None, deleted: int = 0) -> dict:
    return {"total": total, "live": total - deleted if live is None else live, "archived": 0, "deleted": deleted,
            "endpoints": endpoints}


def _gated(on: bool, endpoints: dict) -> dict:
    return endpoints if on else dict.fromkeys(endpoints, 0)


def help_center_resources(account) -> dict:
    on = account.settings.has_feature("help_center")
    hc = help_center(account)
    arts, posts = hc.articles, hc.posts
    live_articles, live_posts = arts.live_count(), posts.live_count()
    exported = arts.count_before(account.export_cutoff())
    c = cached(account, "hc_counts", hc.counts)  # children of every live parent: kept until a mutation
    per_article = "/api/v2/help_center/articles/{article_id}"
    per_post = "/api/v2/community/posts/{post_id}"
    out = {
        "articles": _resource(arts.next_index - 1, _gated(on, {
            "/api/v2/help_center/incremental/articles": exported, "/api/v2/help_center/articles": live_articles,
            "/api/v2/help_center/{locale}/articles": live_articles,
            "/api/v2/help_center/sections/{section_id}/articles": live_articles}), live=live_articles,
            deleted=arts.next_index - 1 - live_articles),
        "sections": _resource(len(hc.sections), _gated(on, {"/api/v2/help_center/sections": len(hc.sections)})),
        "categories": _resource(len(hc.categories), _gated(on, {"/api/v2/help_center/categories":
                                                                len(hc.categories)})),
        "topics": _resource(len(hc.topics), _gated(on, {"/api/v2/community/topics": len(hc.topics)})),
        "posts": _resource(posts.next_index - 1, _gated(on, {"/api/v2/community/posts": live_posts}),
                           live=live_posts, deleted=posts.next_index - 1 - live_posts),
        "user_segments": _resource(len(hc.user_segments), _gated(on, {"/api/v2/help_center/user_segments":
                                                                      len(hc.user_segments)})),
        "permission_groups": _resource(len(hc.permission_groups), _gated(on, {"/api/v2/guide/permission_groups":
                                                                              len(hc.permission_groups)})),
        "article_comments": _resource(c["article_comments"], _gated(on, {per_article + "/comments":
                                                                         c["article_comments"]})),
        "article_votes": _resource(c["article_votes"], _gated(on, {per_article + "/votes": c["article_votes"]})),
        "article_comment_votes": _resource(c["article_comment_votes"], _gated(on, {
            per_article + "/comments/{comment_id}/votes": c["article_comment_votes"]})),
        "article_attachments": _resource(c["article_attachments"], _gated(on, {
            per_article + "/attachments": c["article_attachments"]})),
        "post_comments": _resource(c["post_comments"], _gated(on, {per_post + "/comments": c["post_comments"]})),
        "post_votes": _resource(c["post_votes"], _gated(on, {per_post + "/votes": c["post_votes"]})),
        "post_comment_votes": _resource(c["post_comment_votes"], _gated(on, {
            per_post + "/comments/{comment_id}/votes": c["post_comment_votes"]})),
    }
    return out


def talk_resources(account) -> dict:
    on = account.settings.has_feature("talk")
    t = talk(account)
    cutoff = account.export_cutoff()
    calls_total = t.calls.next_index - 1
    exported = t.calls.count_before(cutoff)
    legs_total = t.legs_upto(t.calls.count) + sum(
        talk_data.legs_of(k) for k in range(t.calls.count + 1, t.calls.next_index))
    voice = "/api/v2/channels/voice"
    agents = len(t.agents_activity())
    small = {"phone_numbers": (t.phone_numbers, "phone_numbers"), "addresses": (t.addresses, "addresses"),
             "greetings": (t.greetings, "greetings"),
             "greeting_categories": (t.greeting_categories, "greeting_categories"),
             "ivrs": (t.ivrs, "ivr"), "lines": (t.lines, "lines")}
    out = {
        "calls": _resource(calls_total, _gated(on, {f"{voice}/stats/incremental/calls": exported,
                                                    f"{voice}/incremental/calls": exported})),
        "legs": _resource(legs_total, _gated(on, {f"{voice}/stats/incremental/legs": t.legs_before(cutoff)})),
        "agents_activity": _resource(agents, _gated(on, {f"{voice}/stats/agents_activity": agents})),
    }
    for name, (records, path) in small.items():
        out[name] = _resource(len(records), _gated(on, {f"{voice}/{path}": len(records)}))
    for name, path in (("current_queue_activity", "stats/current_queue_activity"),
                       ("account_overview", "stats/account_overview"), ("agents_overview", "stats/agents_overview"),
                       ("talk_settings", "settings")):
        out[name] = _resource(1, _gated(on, {f"{voice}/{path}": 1}))
    return out


def chat_resources(account) -> dict:
    on = account.settings.has_feature("chat")
    c = chat(account)
    cutoff = account.export_cutoff()
    chats_total = c.chats.next_index - 1
    deleted = chats_total - c.chats.live_count()
    base = "/api/v2/chat"
    out = {
        "chats": _resource(chats_total, _gated(on, {f"{base}/incremental/chats":
                                                    c.chats.count_before(cutoff, include_deleted=True)}),
                           deleted=deleted),
        "agent_timeline": _resource(c.timeline.next_index - 1, _gated(on, {
            f"{base}/incremental/agent_timeline": c.timeline.count_before(cutoff)})),
        "chat_agents": _resource(len(c.agents()), _gated(on, {f"{base}/agents": len(c.agents())})),
        "chat_bans": _resource(len(c.bans_visitor) + len(c.bans_ip), _gated(on, {
            f"{base}/bans": len(c.bans_visitor) + len(c.bans_ip)})),
        "chat_accounts": _resource(1, _gated(on, {f"{base}/account": 1})),
        "chat_routing_settings": _resource(1, _gated(on, {f"{base}/routing_settings/account": 1})),
    }
    for path, records in (("departments", c.departments), ("goals", c.goals), ("roles", c.roles),
                          ("shortcuts", c.shortcuts), ("skills", c.skills), ("triggers", c.triggers)):
        out[f"chat_{path}"] = _resource(len(records), _gated(on, {f"{base}/{path}": len(records)}))
    return out


def product_resources(account) -> dict:
    return {**help_center_resources(account), **talk_resources(account), **chat_resources(account)}
