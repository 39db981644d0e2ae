"""Materialized key lists of an account, rebuilt after each mutation (account.version)."""

from __future__ import annotations

SEARCH_CACHE_SIZE = 8


def cached(account, name: str, build):
    """The value `build()` made for `name` since the account last changed. Search results are many and
    short-lived (one per query), so only the last few are kept."""
    cache = account.__dict__.setdefault("_list_cache", {})
    hit = cache.pop(name, None)
    if hit is not None and hit[0] == account.version:
        cache[name] = hit  # re-insert: most recently used last
        return hit[1]
    value = build()
    cache[name] = (account.version, value)
    searches = [key for key in cache if key.startswith("search:")]
    for key in searches[:-SEARCH_CACHE_SIZE]:
        del cache[key]
    return value
