"""Who follows a Help Center section or a community topic: a topic has as many subscriptions as its
follower_count says, a section a few. Subscribing changes neither the section nor the topic."""

from __future__ import annotations

from .help_center import LOCALE
from .pools import mix
from .products import help_center
from .timeline import iso

SUBSCRIPTION = 28_400_000_000_000  # + kind * 10^9 + parent number * 64 + n
SECTION_KIND, TOPIC_KIND = 1, 2
K_SUBSCRIPTION = 306


def _subscriptions(account, kind: int, content: dict, content_type: str, count: int, path: str) -> list[dict]:
    number = content["id"] % 1_000_000
    out = []
    for n in range(count):
        h = mix(account.settings.seed, K_SUBSCRIPTION + kind, number * 64 + n)
        record_id = SUBSCRIPTION + kind * 10**9 + number * 64 + n
        stamp = iso(account.history_start + number * 3600 + (n + 1) * 86400)
        row = {
            "id": record_id,
            "url": f"{account.base_url}/api/v2/{path}/{content['id']}/subscriptions/{record_id}.json",
            "content_id": content["id"],
            "content_type": content_type,
            "user_id": account.users.end_user_id(h),
            "created_at": stamp,
            "updated_at": stamp,
        }
        if kind == SECTION_KIND:
            row.update({"locale": LOCALE, "source_locale": LOCALE, "include_comments": bool(h % 2)})
        out.append(row)
    return out


def section_subscriptions(account, section: dict) -> list[dict]:
    return _subscriptions(account, SECTION_KIND, section, "Section", section["id"] % 4, "help_center/sections")


def topic_subscriptions(account, topic: dict) -> list[dict]:
    return _subscriptions(account, TOPIC_KIND, topic, "Topic", topic["follower_count"], "community/topics")


def subscription_count(account, kind: str) -> int:
    guide = help_center(account)
    if kind == "sections":
        return sum(len(section_subscriptions(account, section)) for section in guide.sections)
    return sum(len(topic_subscriptions(account, topic)) for topic in guide.topics)
