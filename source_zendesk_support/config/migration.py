"""Rewrites configs saved for Airbyte's Zendesk Support connector, or for earlier versions of this one, into
this connector's shape. Pure and idempotent: a migrated config migrates to itself.

The source emits the result once as a CONTROL connectorConfig message, so the platform saves it and the next run
finds nothing to migrate. Airbyte's own keys are kept beside ours, so the saved config still reads as what it was.
"""

from __future__ import annotations

import copy
import re
from typing import Any, Dict, Mapping

# Airbyte's `credentials.credentials` discriminator -> this connector's `credentials.auth_type`.
AIRBYTE_AUTH_KINDS = {
    "api_token": "api_token",
    "oauth2.0": "oauth2_access_token",  # Airbyte's legacy OAuth: an access token, client id and secret beside it
    "oauth2_refresh": "oauth2_refresh",  # Airbyte 5.x: rotating refresh tokens
}
# auth_type names this connector accepted before it used Airbyte's kinds of OAuth by their own names.
LEGACY_AUTH_TYPES = {"oauth2.0": "oauth2_access_token", "oauth2_0": "oauth2_access_token"}
# Airbyte's 0.x connector kept the API token under `auth_method` (its discriminator also named `auth_method`).
LEGACY_AUTH_METHODS = {
    "api_token": ("api_token", ("email", "api_token")),
    "access_token": ("oauth2.0", ("access_token",)),
}
# The boolean this connector had before `deleted_records`: true dropped deleted records, false marked them.
EXCLUDE_DELETED_MODES = {True: "exclude", False: "mark"}
ZENDESK_HOST_SUFFIX = ".zendesk.com"
SUBDOMAIN_PATTERN = re.compile(r"^[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?$")


def _subdomain(value: Any) -> Any:
    """`acme.zendesk.com` or `https://acme.zendesk.com/` -> `acme`; anything else is left for validation to name."""
    if not isinstance(value, str):
        return value
    text = value.strip()
    for prefix in ("https://", "http://"):
        if text.lower().startswith(prefix):
            text = text[len(prefix) :]
    text = text.rstrip("/")
    if text.lower().endswith(ZENDESK_HOST_SUFFIX):
        text = text[: -len(ZENDESK_HOST_SUFFIX)]
    return text if SUBDOMAIN_PATTERN.match(text) else value


def _credentials(credentials: Any) -> Any:
    if not isinstance(credentials, Mapping):
        return credentials
    if credentials.get("auth_type") is not None:
        legacy = credentials.get("auth_type")
        return {**credentials, "auth_type": LEGACY_AUTH_TYPES[legacy]} if legacy in LEGACY_AUTH_TYPES else credentials
    kind = credentials.get("credentials")
    if isinstance(kind, str) and kind in AIRBYTE_AUTH_KINDS:
        return {**credentials, "auth_type": AIRBYTE_AUTH_KINDS[kind]}
    return credentials


def _credentials_from_auth_method(auth_method: Any) -> Any:
    """Airbyte 0.x's `auth_method` object -> the `credentials` object Airbyte's later versions saved, or None."""
    if not isinstance(auth_method, Mapping) or auth_method.get("auth_method") not in LEGACY_AUTH_METHODS:
        return None
    kind, fields = LEGACY_AUTH_METHODS[auth_method["auth_method"]]
    return {"credentials": kind, **{field: auth_method[field] for field in fields if field in auth_method}}


def migrate_config(config: Mapping[str, Any]) -> Dict[str, Any]:
    """The config in this connector's shape. Values it cannot interpret are left as they are, for validation to name."""
    migrated: Dict[str, Any] = copy.deepcopy(dict(config))
    if "subdomain" in migrated:
        migrated["subdomain"] = _subdomain(migrated["subdomain"])
    if "credentials" not in migrated:
        legacy = _credentials_from_auth_method(migrated.get("auth_method"))
        if legacy is not None:
            migrated["credentials"] = legacy
            del migrated["auth_method"]  # moved, not copied: a secret is saved once
    if "credentials" in migrated:
        migrated["credentials"] = _credentials(migrated["credentials"])
    if "exclude_deleted" in migrated and "deleted_records" not in migrated:
        choice = migrated.get("exclude_deleted")
        if isinstance(choice, bool):
            migrated["deleted_records"] = EXCLUDE_DELETED_MODES[choice]
            del migrated["exclude_deleted"]
    return migrated


def needs_migration(config: Mapping[str, Any]) -> bool:
    return migrate_config(config) != dict(config)
