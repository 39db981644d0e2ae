"""Builds the requests authenticator for each credential kind Zendesk accepts in 2026.

OAuth refresh tokens are single-use: the CDK's SingleUseRefreshTokenOauth2Authenticator rotates them under a
lock shared by every worker and hands the new pair to the platform in a CONTROL `connectorConfig` message.
"""
from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any, Mapping, MutableMapping, Optional

from airbyte_cdk.sources.streams.http.requests_native_auth import (
    BasicHttpAuthenticator,
    Oauth2Authenticator,
    SingleUseRefreshTokenOauth2Authenticator,
    TokenAuthenticator,
)
from airbyte_cdk.utils.airbyte_secrets_utils import add_to_secrets
from airbyte_cdk.utils.datetime_helpers import ab_datetime_now
from requests.auth import AuthBase

from ..config import API_TOKEN_RETIREMENT, ZendeskConfig

logger = logging.getLogger("airbyte")

# Refresh this long before Zendesk's expiry so a request never leaves with a token that dies in flight.
REFRESH_MARGIN = timedelta(seconds=60)
# A saved access token of unknown lifetime is used until Zendesk refuses it (a 401 refreshes it then).
UNKNOWN_EXPIRY = timedelta(days=3650)


class RotatingRefreshTokenAuthenticator(SingleUseRefreshTokenOauth2Authenticator):
    def token_has_expired(self) -> bool:
        return ab_datetime_now() + REFRESH_MARGIN > self.get_token_expiry_date()


class ClientCredentialsAuthenticator(Oauth2Authenticator):
    """Zendesk's client_credentials grant takes `scope` as a space-separated string and no refresh token."""

    def __init__(self, token_url: str, client_id: str, client_secret: str, scope: str):
        self._scope = scope
        super().__init__(
            token_refresh_endpoint=token_url,
            client_id=client_id,
            client_secret=client_secret,
            refresh_token="",
            grant_type="client_credentials",
        )

    def build_refresh_request_body(self) -> Mapping[str, Any]:
        return {
            "grant_type": "client_credentials",
            "client_id": self.get_client_id(),
            "client_secret": self.get_client_secret(),
            "scope": self._scope,
        }

    def token_has_expired(self) -> bool:
        return ab_datetime_now() + REFRESH_MARGIN > self.get_token_expiry_date()


def build_authenticator(config: ZendeskConfig, saved_config: MutableMapping[str, Any]) -> AuthBase:
    """`saved_config` is the config as the platform stores it (migrated): a rotated refresh token is written into
    it and the whole document is handed back in a CONTROL message. Nothing else is read from it."""
    credentials = config.credentials
    token_url = f"{config.base_url}/oauth/tokens"
    if config.auth_type == "api_token":
        logger.warning(
            "Zendesk retires API tokens on %s. Switch this connection to OAuth 2.0 before then.", API_TOKEN_RETIREMENT
        )
        authenticator = BasicHttpAuthenticator(username=f"{credentials.email}/token", password=credentials.api_token)
        # The header carries the token in base64, which the spec's secret filter does not know: --debug request
        # logs would print it. Register the encoded form as a secret too.
        add_to_secrets(authenticator.token.split(" ", 1)[-1])
        return authenticator
    if config.auth_type == "oauth2_access_token":
        if not credentials.has_client:
            return TokenAuthenticator(token=credentials.access_token)
        # Airbyte's legacy OAuth configs carry the client beside the token: when Zendesk refuses the token, the
        # client credentials grant gets a new one instead of ending the connection.
        authenticator = ClientCredentialsAuthenticator(token_url, credentials.client_id, credentials.client_secret, credentials.scope)
        authenticator.access_token = credentials.access_token
        authenticator.set_token_expiry_date(ab_datetime_now() + UNKNOWN_EXPIRY)
        return authenticator
    if config.auth_type == "oauth2_client_credentials":
        return ClientCredentialsAuthenticator(token_url, credentials.client_id, credentials.client_secret, credentials.scope)
    stored = saved_config.setdefault("credentials", {})
    stored.setdefault("access_token", "")
    stored.setdefault("token_expiry_date", "")
    return RotatingRefreshTokenAuthenticator(
        connector_config=saved_config,
        token_refresh_endpoint=token_url,
        # A refused refresh token is the user's to fix (re-authorize), not a transient failure.
        refresh_token_error_status_codes=(400, 401),
        refresh_token_error_key="error",
        refresh_token_error_values=("invalid_grant", "invalid_client", "unauthorized_client"),
    )


def build_chat_authenticator(config: ZendeskConfig) -> Optional[AuthBase]:
    """Chat's API takes a bearer token from a Chat OAuth client; without one the Chat streams are not offered."""
    return TokenAuthenticator(token=config.chat_access_token) if config.chat_access_token else None
