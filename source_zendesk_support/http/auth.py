"""Builds the requests authenticator for each credential kind Zendesk accepts in 2026.

OAuth refresh tokens are single-use: the CDK's SingleUseRefreshTokenOauth2Authenticator rotates them under a
lock shared by every worker and hands the new pair to the platform in a CONTROL `connectorConfig` message.
"""

from __future__ import annotations

import logging
import time
from datetime import timedelta
from typing import Any, Callable, Mapping, MutableMapping, Optional, Tuple

import requests
from airbyte_cdk.config_observation import emit_configuration_as_airbyte_control_message
from airbyte_cdk.models import FailureType
from airbyte_cdk.utils.datetime_helpers import AirbyteDateTime
from airbyte_cdk.utils.traced_exception import AirbyteTracedException

from airbyte_cdk.sources.streams.http.requests_native_auth import (
    BasicHttpAuthenticator,
    Oauth2Authenticator,
    SingleUseRefreshTokenOauth2Authenticator,
    TokenAuthenticator,
)
from airbyte_cdk.utils.airbyte_secrets_utils import add_to_secrets
from airbyte_cdk.utils.datetime_helpers import ab_datetime_now
from requests.auth import AuthBase

from ..config.model import (
    API_TOKEN_RETIREMENT,
    AccessTokenCredentials,
    ApiTokenCredentials,
    ClientCredentials,
    RefreshTokenCredentials,
    ZendeskConfig,
)
from ..foundation.redaction import register_secret
from .retry_policy import TOKEN_RETRIES
from .transport import MIB, bounded_session

logger = logging.getLogger("airbyte")

# Refresh this long before Zendesk's expiry so a request never leaves with a token that dies in flight.
REFRESH_MARGIN = timedelta(seconds=60)
# The token endpoint is asked a few times within a short deadline (retry_policy.TOKEN_RETRIES).
TOKEN_DEADLINE_SECONDS = TOKEN_RETRIES.max_seconds
TOKEN_ATTEMPTS = 1 + TOKEN_RETRIES.max_retries
TOKEN_TIMEOUT = (10, 30)
# A token answer is a few hundred bytes; one request (connect plus body) may take no longer than its read timeout.
TOKEN_MAX_BODY = MIB
TOKEN_REQUEST_DEADLINE = 30
# Zendesk's refusals that only re-authorizing fixes.
REFUSED_GRANT_ERRORS = ("invalid_grant", "invalid_client", "unauthorized_client")
# Tokens of unknown lifetime (no expires_in, or a saved one) are used until Zendesk refuses them; a 401 refreshes.
NO_EXPIRY = timedelta(days=3650)


def _token_error(message: str, failure_type: FailureType) -> AirbyteTracedException:
    return AirbyteTracedException(message=message, internal_message=message, failure_type=failure_type)


def request_token(token_url: str, body: Mapping[str, Any]) -> Mapping[str, Any]:
    """POST to Zendesk's token endpoint. No redirect is followed (the body carries the client secret), 5xx, 429 and
    network errors are retried within a short deadline, and an answer without an access token is an error."""
    deadline = time.monotonic() + TOKEN_DEADLINE_SECONDS
    problem = "no answer"
    for attempt in range(TOKEN_ATTEMPTS):
        if attempt:
            pause = min(TOKEN_RETRIES.pause(attempt), deadline - time.monotonic())
            if pause <= 0:
                break
            time.sleep(pause)
        try:
            with bounded_session(requests.Session(), TOKEN_MAX_BODY, TOKEN_REQUEST_DEADLINE) as session:
                response = session.post(token_url, data=dict(body), timeout=TOKEN_TIMEOUT, allow_redirects=False)
        except requests.exceptions.RequestException as network_error:
            problem = f"a network error ({type(network_error).__name__})"
            continue
        if response.is_redirect or 300 <= response.status_code < 400:
            raise _token_error(
                f"Zendesk's token endpoint {token_url} answered with a redirect (HTTP {response.status_code}); "
                "it was not followed, so the client secret and refresh token went nowhere else. Check the subdomain.",
                FailureType.config_error,
            )
        if response.status_code == 429 or response.status_code >= 500:
            problem = f"HTTP {response.status_code}"
            continue
        try:
            answer = response.json()
        except ValueError:
            answer = None
        error = answer.get("error") if isinstance(answer, Mapping) else None
        if response.status_code in (400, 401, 403) or error in REFUSED_GRANT_ERRORS:
            raise _token_error(
                f"Zendesk refused the OAuth client or refresh token (HTTP {response.status_code}"
                f"{', ' + error if isinstance(error, str) else ''}). Re-authorize OAuth for this source.",
                FailureType.config_error,
            )
        token = answer.get("access_token") if isinstance(answer, Mapping) else None
        if not response.ok or not isinstance(token, str) or not token:
            problem = f"HTTP {response.status_code} without an access token"
            continue
        register_secret(token)
        if isinstance(answer.get("refresh_token"), str):
            register_secret(answer["refresh_token"])
        return answer
    raise _token_error(
        f"Zendesk's token endpoint {token_url} did not issue a token ({problem}) "
        f"within {TOKEN_DEADLINE_SECONDS:.0f} s; Zendesk may be unavailable. Try again later.",
        FailureType.transient_error,
    )


def token_expiry(answer: Mapping[str, Any]) -> AirbyteDateTime:
    expires_in = answer.get("expires_in")
    if (
        isinstance(expires_in, (int, float))
        and not isinstance(expires_in, bool)
        and 0 < expires_in < NO_EXPIRY.total_seconds()
    ):
        return ab_datetime_now() + timedelta(seconds=expires_in)
    return ab_datetime_now() + NO_EXPIRY


class RotatingRefreshTokenAuthenticator(SingleUseRefreshTokenOauth2Authenticator):
    def token_has_expired(self) -> bool:
        return ab_datetime_now() + REFRESH_MARGIN > self.get_token_expiry_date()

    # Also the rotated refresh token, as the CDK's single-use authenticator has it (typed so in its own override).
    def refresh_access_token(self) -> Tuple[str, AirbyteDateTime, Optional[str]]:  # type: ignore[override]
        answer = request_token(self.get_token_refresh_endpoint(), self.build_refresh_request_body())
        refresh_token = answer.get("refresh_token")
        return (
            answer["access_token"],
            token_expiry(answer),
            refresh_token if isinstance(refresh_token, str) and refresh_token else None,
        )


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

    def refresh_access_token(self) -> Tuple[str, AirbyteDateTime]:
        answer = request_token(self.get_token_refresh_endpoint(), self.build_refresh_request_body())
        return answer["access_token"], token_expiry(answer)


class RenewedAccessTokenAuthenticator(ClientCredentialsAuthenticator):
    """Airbyte's legacy OAuth config: an access token with its client beside it. A token Zendesk refuses is renewed
    through the client credentials grant and written into the saved config, handed back in a CONTROL message, so
    the next run starts from the renewed token instead of renewing again."""

    def __init__(self, token_url: str, credentials: Any, saved_config: MutableMapping[str, Any]):
        super().__init__(token_url, credentials.client_id, credentials.client_secret, credentials.scope)
        self._saved_config = saved_config
        self.access_token = credentials.access_token
        self.set_token_expiry_date(ab_datetime_now() + NO_EXPIRY)

    def refresh_access_token(self) -> Tuple[str, AirbyteDateTime]:
        token, expiry = super().refresh_access_token()
        stored = self._saved_config.get("credentials")
        if isinstance(stored, MutableMapping):
            stored["access_token"] = token
            emit_configuration_as_airbyte_control_message(self._saved_config)
        return token, expiry


def _api_token(config: ZendeskConfig, credentials: ApiTokenCredentials) -> AuthBase:
    logger.warning(
        "Zendesk retires API tokens on %s. Switch this connection to OAuth 2.0 before then.", API_TOKEN_RETIREMENT
    )
    authenticator = BasicHttpAuthenticator(username=f"{credentials.email}/token", password=credentials.api_token)
    # The header carries the token in base64, which the spec's secret filter does not know: --debug request
    # logs would print it. Register the encoded form as a secret too.
    add_to_secrets(authenticator.token.split(" ", 1)[-1])
    register_secret(authenticator.token.split(" ", 1)[-1])
    return authenticator


def _access_token(config: ZendeskConfig, credentials: AccessTokenCredentials) -> AuthBase:
    if not credentials.can_refresh_token:
        return TokenAuthenticator(token=credentials.access_token)
    # Airbyte's legacy OAuth configs carry the client beside the token: when Zendesk refuses the token, the
    # client credentials grant gets a new one instead of ending the connection.
    return RenewedAccessTokenAuthenticator(_token_url(config), credentials, config.stored)


def _client_credentials(config: ZendeskConfig, credentials: ClientCredentials) -> AuthBase:
    return ClientCredentialsAuthenticator(
        _token_url(config), credentials.client_id, credentials.client_secret, credentials.scope
    )


def _refresh_token(config: ZendeskConfig, credentials: RefreshTokenCredentials) -> AuthBase:
    # The rotated pair is written into the document the platform stores and handed back in a CONTROL message.
    stored = config.stored.setdefault("credentials", {})
    stored.setdefault("access_token", "")
    stored.setdefault("token_expiry_date", "")
    return RotatingRefreshTokenAuthenticator(
        connector_config=config.stored,
        token_refresh_endpoint=_token_url(config),
        # A refused refresh token is the user's to fix (re-authorize), not a transient failure.
        refresh_token_error_status_codes=(400, 401),
        refresh_token_error_key="error",
        refresh_token_error_values=REFUSED_GRANT_ERRORS,
    )


def _token_url(config: ZendeskConfig) -> str:
    return f"{config.base_url}/oauth/tokens"


# One builder per kind of credentials (config.CREDENTIAL_KINDS).
BUILDERS: Mapping[type, Callable[[ZendeskConfig, Any], AuthBase]] = {
    ApiTokenCredentials: _api_token,
    AccessTokenCredentials: _access_token,
    ClientCredentials: _client_credentials,
    RefreshTokenCredentials: _refresh_token,
}


def build_authenticator(config: ZendeskConfig) -> AuthBase:
    return BUILDERS[type(config.credentials)](config, config.credentials)


def build_chat_authenticator(config: ZendeskConfig) -> Optional[AuthBase]:
    """Chat's API takes a bearer token from a Chat OAuth client; without one the Chat streams are not offered."""
    if config.chat_access_token:
        register_secret(config.chat_access_token)
    return TokenAuthenticator(token=config.chat_access_token) if config.chat_access_token else None
