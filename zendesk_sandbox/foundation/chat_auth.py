"""Chat's own authentication (API notes §2): the Chat API takes a bearer token from a Chat OAuth client.
Support credentials (API tokens, Support OAuth tokens, passwords) get 401 there, and the Chat token gets 401
on the Support API (it is simply not one of the Support tokens)."""

from __future__ import annotations

import hashlib

from . import errors

CHAT_PREFIX = "/api/v2/chat/"


def chat_access_token(seed: int) -> str:
    """Derived from the seed, like every printed credential, so a rerun prints the same token."""
    return hashlib.sha256(f"zendesk-sandbox:{seed}:chat-access-token".encode()).hexdigest()


def is_chat_path(path: str) -> bool:
    return path.startswith(CHAT_PREFIX) or path in ("/api/v2/chat", "/api/v2/chat.json")


def authenticate_chat(settings, header: str | None, admin_id: int) -> tuple[int, str]:
    """(user id, role) for a Chat request, or the 401 an OAuth resource server sends."""
    scheme, _, value = (header or "").partition(" ")
    if scheme.lower() == "bearer" and value.strip() == chat_access_token(settings.seed):
        return admin_id, "admin"
    raise errors.invalid_token()
