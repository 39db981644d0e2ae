"""Authentication as Zendesk does it: Basic `email/token:TOKEN`, Bearer OAuth tokens, password Basic refused,
and the OAuth token endpoint (rotating single-use refresh tokens, expiring access tokens, client credentials)."""

from __future__ import annotations

import base64
import hashlib
import secrets
from dataclasses import dataclass

import orjson
from aiohttp import web

from ..foundation import errors
from ..foundation.chat_auth import authenticate_chat, is_chat_path
from ..data import ids

OPEN_PREFIXES = ("/_sandbox/", "/oauth/")
# who made the request: (user id, role); a typed key where aiohttp has them (3.12+)
IDENTITY = web.RequestKey("identity", tuple) if hasattr(web, "RequestKey") else "zendesk_sandbox.identity"
ADMIN, AGENT = "admin", "agent"


def _derived(seed: int, label: str, length: int = 40) -> str:
    return hashlib.sha256(f"zendesk-sandbox:{seed}:{label}".encode()).hexdigest()[:length]


@dataclass
class Token:
    user_id: int
    role: str
    expires_at: float | None  # real epoch seconds; None = never


class Credentials:
    """Every credential of the account, derived from the seed so a rerun prints the same ones."""

    def __init__(self, settings, clock, subdomain: str):
        seed = settings.seed
        self.settings = settings
        self.clock = clock
        self.admin_email = f"admin@{subdomain}.example.com"
        self.agent_email = f"agent@{subdomain}.example.com"
        self.api_tokens = {
            _derived(seed, "admin-token"): (self.admin_email, ids.USER + 1, ADMIN),
            _derived(seed, "agent-token"): (self.agent_email, ids.USER + 2, AGENT),
        }
        self.admin_token = _derived(seed, "admin-token")
        self.agent_token = _derived(seed, "agent-token")
        self.client_id = f"sandbox_{subdomain}"
        self.client_secret = _derived(seed, "client-secret", 64)
        self.password = _derived(seed, "password", 16)
        # the printed access token never expires (like a legacy token); tokens from /oauth/tokens do
        self.access_tokens: dict[str, Token] = {_derived(seed, "access-token", 64): Token(ids.USER + 1, ADMIN, None)}
        self.access_token = _derived(seed, "access-token", 64)
        self.refresh_tokens: dict[str, int] = {_derived(seed, "refresh-token", 64): ids.USER + 1}
        self.refresh_token = _derived(seed, "refresh-token", 64)

    def issue(self, user_id: int, role: str, expires_in: float, with_refresh: bool) -> dict:
        access = secrets.token_hex(32)
        real_ttl = expires_in / self.settings.time_scale
        self.access_tokens[access] = Token(user_id, role, self.clock.now() + real_ttl)
        body = {"access_token": access, "token_type": "bearer", "scope": "read write", "expires_in": int(expires_in)}
        if with_refresh:
            refresh = secrets.token_hex(32)
            self.refresh_tokens[refresh] = user_id
            body["refresh_token"] = refresh
            body["refresh_token_expires_in"] = 30 * 86400
        return body

    def authenticate(self, header: str | None) -> tuple[int, str]:
        """(user id, role) for an Authorization header, or raise the 401 Zendesk sends."""
        if not header:
            raise errors.couldnt_authenticate()
        scheme, _, value = header.partition(" ")
        scheme = scheme.lower()
        if scheme == "bearer":
            token = self.access_tokens.get(value.strip())
            if token is None or (token.expires_at is not None and self.clock.now() >= token.expires_at):
                raise errors.invalid_token()
            return token.user_id, token.role
        if scheme == "basic":
            try:
                user, _, secret = base64.b64decode(value.strip()).decode().partition(":")
            except Exception:
                raise errors.couldnt_authenticate() from None
            if user.endswith("/token"):
                found = self.api_tokens.get(secret)
                if found and found[0] == user[: -len("/token")]:
                    return found[1], found[2]
                raise errors.couldnt_authenticate()
            if self.settings.allow_password_auth and user == self.admin_email and secret == self.password:
                return ids.USER + 1, ADMIN
            raise errors.couldnt_authenticate()
        raise errors.couldnt_authenticate()


def make_auth_middleware(credentials: Credentials):
    @web.middleware
    async def auth_middleware(request: web.Request, handler):
        if request.path.startswith(OPEN_PREFIXES):
            return await handler(request)
        try:
            header = request.headers.get("Authorization")
            if is_chat_path(request.path) and credentials.settings.has_feature("chat"):
                request[IDENTITY] = authenticate_chat(credentials.settings, header, ids.USER + 1)
            else:
                request[IDENTITY] = credentials.authenticate(header)
        except errors.ZendeskError as e:
            return e.response()
        return await handler(request)

    return auth_middleware


OAUTH_INVALID_GRANT = {
    "error": "invalid_grant",
    "error_description": "The provided authorization grant is invalid, "
    "expired, revoked, does not match the redirection URI used in the authorization request, or "
    "was issued to another client.",
}
OAUTH_INVALID_CLIENT = {
    "error": "invalid_client",
    "error_description": "Client authentication failed due to unknown "
    "client, no client authentication included, or unsupported authentication method.",
}


async def oauth_tokens(request: web.Request) -> web.Response:
    creds: Credentials = request.app["credentials"]
    if request.method != "POST":
        return errors.invalid_endpoint().response()
    raw = await request.read()
    if request.content_type == "application/json":
        try:
            form = orjson.loads(raw or b"{}")
        except orjson.JSONDecodeError:
            form = {}
    else:
        form = dict(await request.post()) if raw else {}
    if form.get("client_id") != creds.client_id or form.get("client_secret") != creds.client_secret:
        return errors.json_response(OAUTH_INVALID_CLIENT, 401)
    try:
        expires_in = float(form.get("expires_in") or creds.settings.access_token_ttl)
    except (TypeError, ValueError):
        expires_in = creds.settings.access_token_ttl
    expires_in = max(300, min(172800, expires_in)) if form.get("expires_in") else expires_in
    grant = form.get("grant_type")
    if grant == "refresh_token":
        user_id = creds.refresh_tokens.pop(str(form.get("refresh_token")), None)  # single use: rotate
        if user_id is None:
            return errors.json_response(OAUTH_INVALID_GRANT, 400)
        return errors.json_response(creds.issue(user_id, ADMIN, expires_in, with_refresh=True))
    if grant == "client_credentials":
        return errors.json_response(creds.issue(ids.USER + 1, ADMIN, expires_in, with_refresh=False))
    return errors.json_response(
        {
            "error": "unsupported_grant_type",
            "error_description": "The authorization grant type is not supported by the authorization server.",
        },
        400,
    )
