"""Help Center, Talk and Chat as add-ons of one account: their gates and their ground truth for
/_sandbox/summary (their data and mutations are data/products.py's)."""

from __future__ import annotations

from ..foundation import errors
from ..paging.cache import cached
from ..data import talk as talk_data
from ..data.products import chat, help_center, talk


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


# ---- ground truth: the `count` of the product tables' rows, and the totals /_sandbox/summary reports ----------
def one(account) -> int:
    return 1


def articles_exported(account) -> int:
    return help_center(account).articles.count_before(account.export_cutoff())


def articles_live(account) -> int:
    return help_center(account).articles.live_count()


def posts_live(account) -> int:
    return help_center(account).posts.live_count()


def help_center_list(name: str):
    """The records of the Help Center list `help_center(account).<name>`."""
    return lambda account: len(getattr(help_center(account), name))


def help_center_children(name: str):
    """Children of every live article or post (comments, votes, attachments): kept until a mutation."""
    return lambda account: cached(account, "hc_counts", help_center(account).counts)[name]


def calls_exported(account) -> int:
    return talk(account).calls.count_before(account.export_cutoff())


def legs_exported(account) -> int:
    return talk(account).legs_before(account.export_cutoff())


def talk_list(name: str):
    return lambda account: len(getattr(talk(account), name))


def talk_agents_activity(account) -> int:
    return len(talk(account).agents_activity())


def chats_exported(account) -> int:
    return chat(account).chats.count_before(account.export_cutoff(), include_deleted=True)


def agent_timeline_exported(account) -> int:
    return chat(account).timeline.count_before(account.export_cutoff())


def chat_agents(account) -> int:
    return len(chat(account).agents())


def chat_bans(account) -> int:
    chat_data = chat(account)
    return len(chat_data.bans_visitor) + len(chat_data.bans_ip)


def chat_list(name: str):
    return lambda account: len(getattr(chat(account), name))


def _totals(total: int, deleted: int = 0) -> dict:
    return {"total": total, "live": total - deleted, "archived": 0, "deleted": deleted, "endpoints": {}}


def product_resources(account) -> dict:
    """Totals of the product resources that keep deleted records or more than their endpoints list; the others
    total what their row counts."""
    articles, posts = help_center(account).articles, help_center(account).posts
    calls = talk(account).calls
    chats = chat(account).chats
    calls_total = calls.next_index - 1
    legs_total = talk(account).legs_upto(calls.count) + sum(
        talk_data.legs_of(index) for index in range(calls.count + 1, calls.next_index)
    )
    chats_total = chats.next_index - 1
    return {
        "articles": _totals(articles.next_index - 1, articles.next_index - 1 - articles.live_count()),
        "posts": _totals(posts.next_index - 1, posts.next_index - 1 - posts.live_count()),
        "calls": _totals(calls_total),
        "legs": _totals(legs_total),
        "chats": _totals(chats_total, chats_total - chats.live_count()),
        "agent_timeline": _totals(chat(account).timeline.next_index - 1),
        # inside each IVR of /channels/voice/ivr: its menus, and each menu's routes
        "ivr_menus": _totals(sum(len(ivr["menus"]) for ivr in talk(account).ivrs)),
        "ivr_routes": _totals(sum(len(menu["routes"]) for ivr in talk(account).ivrs for menu in ivr["menus"])),
    }
