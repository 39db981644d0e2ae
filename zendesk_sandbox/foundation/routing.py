"""Which rate-limit bucket a request path belongs to (used by the rate limiter and by /_sandbox/stats)."""

from __future__ import annotations

import re

_JSON_SUFFIX = re.compile(r"\.json$")

# Checked in order; the first prefix that matches names the bucket.
_BUCKET_RULES: list[tuple[str, str]] = [
    ("/_sandbox/", "sandbox"),
    ("/oauth/", "oauth"),
    ("/api/v2/incremental/", "incremental_exports"),
    ("/api/v2/channels/voice/stats/incremental/", "incremental_exports"),
    ("/api/v2/channels/voice/incremental/", "incremental_exports"),
    ("/api/v2/search/export", "search_export"),
    ("/api/v2/deleted_tickets", "deleted_tickets"),
    ("/api/v2/help_center/", "help_center"),
    ("/api/v2/community/", "help_center"),
    ("/api/v2/guide/", "help_center"),
    ("/api/v2/chat/", "chat"),
    ("/api/v2/channels/voice/", "talk"),
]


def normalize_path(path: str) -> str:
    """Drop the optional `.json` suffix and a trailing slash."""
    path = _JSON_SUFFIX.sub("", path)
    if len(path) > 1 and path.endswith("/"):
        path = path[:-1]
    return path


def endpoint_bucket(path: str) -> str:
    """Bucket name for a request path: "account", "incremental_exports", "search_export", "deleted_tickets",
    "help_center", "talk", "chat", "oauth" or "sandbox"."""
    path = normalize_path(path)
    for prefix, bucket in _BUCKET_RULES:
        if path.startswith(prefix) or path + "/" == prefix:
            if bucket == "incremental_exports" and path.endswith("/sample"):
                return "incremental_sample"
            return bucket
    return "account"
