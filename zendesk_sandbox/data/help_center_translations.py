"""Help Center data beside the articles themselves: the enabled locales, the labels articles carry, and each
article's translations (its source locale, and a German one for some). Derived from the articles, so they follow
their changes and need no storage."""

from __future__ import annotations

from .help_center import ARTICLE, LOCALE
from .pools import mix
from .products import help_center
from .timeline import iso

LABEL, TRANSLATION = 28_200_000_000_000, 28_300_000_000_000
SECOND_LOCALE = "de"
LOCALES = sorted([LOCALE, SECOND_LOCALE])
K_TRANSLATION = 305


def labels(account) -> list[dict]:
    """One label per word the articles' label_names draw from."""
    base, start = account.base_url, account.history_start
    return [
        {
            "id": LABEL + n,
            "name": word,
            "url": f"{base}/api/v2/help_center/articles/labels/{LABEL + n}.json",
            "created_at": iso(start + n * 3607),
            "updated_at": iso(start + n * 3607),
        }
        for n, word in enumerate(account.pools.words, 1)
    ]


def has_second_locale(account, k: int) -> bool:
    return mix(account.settings.seed, K_TRANSLATION, k) % 5 == 0


def translations(account, k: int) -> list[dict]:
    """The translations of live article k: the source one mirrors the article; the German one lags behind it."""
    article = help_center(account).article(k)
    out = [_translation(account, article, k, 0, LOCALE, article["updated_at"], False)]
    if has_second_locale(account, k):
        out.append(
            _translation(
                account,
                article,
                k,
                1,
                SECOND_LOCALE,
                article["created_at"],
                article["updated_at"] != article["created_at"],
            )
        )
    return out


def _translation(account, article: dict, k: int, j: int, locale: str, updated: str, outdated: bool) -> dict:
    record_id = TRANSLATION + k * 2 + j
    base, aid = account.base_url, ARTICLE + k
    return {
        "id": record_id,
        "url": f"{base}/api/v2/help_center/articles/{aid}/translations/{record_id}.json",
        "html_url": article["html_url"].replace(f"/hc/{LOCALE}/", f"/hc/{locale}/"),
        "source_id": aid,
        "source_type": "Article",
        "locale": locale,
        "title": article["title"],
        "body": article["body"],
        "outdated": outdated,
        "draft": article["draft"],
        "created_at": article["created_at"],
        "updated_at": updated,
        "created_by_id": article["author_id"],
        "updated_by_id": article["author_id"],
    }


def translation_count(account) -> int:
    articles = help_center(account).articles
    return sum(1 + has_second_locale(account, k) for k in articles.live_indexes())
