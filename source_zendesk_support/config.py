"""Validates the user's configuration once, up front, and turns it into a typed object.

Every problem becomes an Airbyte `config_error` that names the field and says what to fix, never a traceback.
"""
from __future__ import annotations

import ipaddress
import json
import re
from importlib import resources
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any, Mapping, Optional
from urllib.parse import urlparse

from airbyte_cdk.models import FailureType
from airbyte_cdk.utils.airbyte_secrets_utils import update_secrets
from jsonschema import Draft7Validator
from jsonschema.exceptions import best_match
from airbyte_cdk.utils.traced_exception import AirbyteTracedException

from .redaction import register_secret

DEFAULT_START_DATE = "2000-01-01T00:00:00Z"
DEFAULT_NUM_WORKERS = 12
MAX_NUM_WORKERS = 20
API_TOKEN_RETIREMENT = "2027-04-30"

SUBDOMAIN_PATTERN = re.compile(r"^[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?$")
SECRET_FIELDS = ("api_token", "password", "access_token", "refresh_token", "client_secret", "client_id")
_SPEC_CACHE: Optional[Mapping[str, Any]] = None
AUTH_TYPES = ("oauth2_refresh", "oauth2_client_credentials", "oauth2_access_token", "api_token")
REQUIRED_CREDENTIAL_FIELDS = {
    "oauth2_refresh": ("client_id", "client_secret", "refresh_token"),
    "oauth2_client_credentials": ("client_id", "client_secret"),
    "oauth2_access_token": ("access_token",),
    "api_token": ("email", "api_token"),
}
# Names earlier connectors used for the same credential kinds, accepted so existing configs keep working.
AUTH_TYPE_ALIASES = {"oauth2.0": "oauth2_access_token", "oauth2_0": "oauth2_access_token"}


def config_error(message: str) -> AirbyteTracedException:
    return AirbyteTracedException(message=message, internal_message=message, failure_type=FailureType.config_error)


@dataclass(frozen=True)
class ZendeskConfig:
    subdomain: str
    base_url: str
    start: datetime
    end: Optional[datetime]
    auth_type: str
    num_workers: int

    @property
    def api_url(self) -> str:
        return f"{self.base_url}/api/v2/"


def _parse_date(config: Mapping[str, Any], field: str) -> Optional[datetime]:
    value = config.get(field)
    if value in (None, ""):
        return None
    if not isinstance(value, str):
        raise config_error(f"'{field}' must be a string like 2020-01-01T00:00:00Z, got {type(value).__name__}.")
    try:
        parsed = datetime.strptime(value, "%Y-%m-%dT%H:%M:%SZ")
    except ValueError:
        try:
            parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            raise config_error(f"'{field}' is not a valid UTC date-time: {value!r}. Use the form 2020-01-01T00:00:00Z.") from None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=timezone.utc)
    return parsed.astimezone(timezone.utc)


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _validated_base_url(config: Mapping[str, Any], subdomain: str) -> str:
    override = config.get("base_url")
    if not override:
        return f"https://{subdomain}.zendesk.com"
    if not isinstance(override, str):
        raise config_error("'base_url' must be a URL string.")
    parsed = urlparse(override)
    host = (parsed.hostname or "").lower()
    if parsed.scheme not in ("http", "https") or not host or parsed.username or parsed.password:
        raise config_error(f"'base_url' must be an http(s) URL without credentials, got {override!r}.")
    if parsed.path not in ("", "/") or parsed.query or parsed.fragment:
        raise config_error("'base_url' must be a bare origin such as http://127.0.0.1:8080 (no path or query).")
    if _is_loopback(host):
        return override.rstrip("/")
    if parsed.scheme == "https" and host.endswith(".zendesk.com") and SUBDOMAIN_PATTERN.match(host[: -len(".zendesk.com")]):
        return override.rstrip("/")
    raise config_error(
        f"'base_url' {override!r} is not allowed: use a loopback address (a local sandbox or proxy) or https://<subdomain>.zendesk.com."
    )


def _validated_credentials(config: Mapping[str, Any]) -> str:
    credentials = config.get("credentials")
    if not isinstance(credentials, Mapping):
        raise config_error("'credentials' is missing: choose OAuth 2.0 or an API token.")
    auth_type = credentials.get("auth_type") or credentials.get("credentials")
    auth_type = AUTH_TYPE_ALIASES.get(auth_type, auth_type)
    if auth_type == "api_token" and not credentials.get("api_token") and credentials.get("password"):
        auth_type = "password"
    if auth_type in ("password", "basic") or (auth_type is None and "password" in credentials):
        raise config_error(
            "Password authentication was removed by Zendesk in January 2026. Use OAuth 2.0 (credentials.auth_type "
            "'oauth2_refresh', 'oauth2_client_credentials' or 'oauth2_access_token') or, until 2027-04-30, an API token "
            "('api_token' with email and api_token)."
        )
    if auth_type not in AUTH_TYPES:
        raise config_error(f"'credentials.auth_type' must be one of {', '.join(AUTH_TYPES)}; got {auth_type!r}.")
    for field in REQUIRED_CREDENTIAL_FIELDS[auth_type]:
        value = credentials.get(field)
        if not isinstance(value, str) or not value.strip():
            raise config_error(f"'credentials.{field}' is required for auth_type '{auth_type}'.")
    return auth_type


def _hide_secrets(config: Mapping[str, Any]) -> None:
    """Values that must never be printed, including fields the spec does not declare (a legacy password)."""
    credentials = config.get("credentials")
    if isinstance(credentials, Mapping):
        values = [str(value) for key, value in credentials.items() if key in SECRET_FIELDS and value]
        update_secrets(list(values))  # the CDK keeps the list it is given and appends to it later
        for value in values:
            register_secret(value)


def _spec_problem(config: Mapping[str, Any]) -> Optional[str]:
    """The first way the config breaks spec.json, in words that name the field and never quote a value."""
    error = best_match(Draft7Validator(_connection_spec()).iter_errors(config))
    if error is None:
        return None
    field = ".".join(str(part) for part in error.absolute_path) or "the configuration"
    if error.validator == "oneOf" and field == "credentials":
        return "'credentials' matches none of the supported kinds: set auth_type and the fields it requires (see the spec)."
    if error.validator == "required":
        return f"'{field}' is missing a required field: {error.message.split(' is a required')[0]}."
    if error.validator == "pattern":
        return f"'{field}' has the wrong format; expected a value matching {error.validator_value}."
    if error.validator in ("type", "enum", "minimum", "maximum", "format"):
        return f"'{field}' must satisfy {error.validator} {error.validator_value!r}."
    return f"'{field}' is invalid ({error.validator})."


def _connection_spec() -> Mapping[str, Any]:
    global _SPEC_CACHE
    if _SPEC_CACHE is None:
        _SPEC_CACHE = json.loads(resources.files("source_zendesk_support").joinpath("spec.json").read_text())["connectionSpecification"]
    return _SPEC_CACHE


def parse_config(config: Mapping[str, Any]) -> ZendeskConfig:
    if not isinstance(config, Mapping):
        raise config_error("The configuration must be a JSON object.")
    _hide_secrets(config)
    subdomain = config.get("subdomain")
    if not isinstance(subdomain, str) or not subdomain:
        raise config_error("'subdomain' is required: for https://acme.zendesk.com it is 'acme'.")
    subdomain = subdomain.strip()
    if subdomain.lower().endswith(".zendesk.com"):
        subdomain = subdomain[: -len(".zendesk.com")]
    if not SUBDOMAIN_PATTERN.match(subdomain):
        raise config_error(f"'subdomain' {subdomain!r} is not a Zendesk subdomain: letters, digits and hyphens only, e.g. 'acme'.")
    start = _parse_date(config, "start_date") or _parse_date({"d": DEFAULT_START_DATE}, "d")
    end = _parse_date(config, "end_date")
    if end is not None and end <= start:
        raise config_error(f"'end_date' ({config.get('end_date')}) must be after 'start_date' ({config.get('start_date') or DEFAULT_START_DATE}).")
    workers = config.get("num_workers", DEFAULT_NUM_WORKERS)
    if isinstance(workers, bool) or not isinstance(workers, int) or not 1 <= workers <= MAX_NUM_WORKERS:
        raise config_error(f"'num_workers' must be an integer from 1 to {MAX_NUM_WORKERS}; got {workers!r}.")
    auth_type = _validated_credentials(config)
    # The rest of the spec (types, ranges, new options), on the config as parsed above: a full host as subdomain,
    # legacy auth_type names and dates with offsets are accepted there.
    normalized = {key: value for key, value in config.items() if key not in ("start_date", "end_date")}
    normalized["subdomain"] = subdomain
    normalized["credentials"] = {**config["credentials"], "auth_type": auth_type}
    problem = _spec_problem(normalized)
    if problem:
        raise config_error(problem)
    return ZendeskConfig(
        subdomain=subdomain,
        base_url=_validated_base_url(config, subdomain),
        start=start,
        end=end,
        auth_type=auth_type,
        num_workers=workers,
    )
