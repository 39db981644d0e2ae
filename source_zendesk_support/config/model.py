"""The user's configuration, validated once and turned into one typed, frozen object that every part reads.

Configs saved for Airbyte's connector are first rewritten into this connector's shape (config/migration.py).
Every problem becomes an Airbyte `config_error` that names the field and says what to fix, never quotes a
secret and never ends in a traceback.
"""

from __future__ import annotations

import ipaddress
import json
import math
import re
from datetime import date, datetime, timedelta, timezone
from importlib import resources
from typing import Annotated, Any, Literal, Mapping, MutableMapping, Optional, Tuple, Type, Union, cast, get_args
from urllib.parse import urlparse

from airbyte_cdk.models import FailureType
from airbyte_cdk.utils.traced_exception import AirbyteTracedException
from jsonschema import Draft7Validator
from jsonschema.exceptions import best_match
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from .migration import SUBDOMAIN_PATTERN, migrate_config
from .search_presets import PRESETS, PresetProblem, expand_preset
from ..foundation.redaction import register_config_secrets

DEFAULT_WINDOW = timedelta(days=730)  # without start_date, the last two years (Airbyte's default)
# A relative start_date: an ISO 8601 duration in days or weeks (P30D, P2W) or the same in words (30 days, 1 week).
RELATIVE_START = re.compile(
    r"^(?:P(?P<iso_count>[0-9]{1,5})(?P<iso_unit>[DW])|(?P<count>[0-9]{1,5}) (?P<unit>days?|weeks?))$"
)
MAX_RELATIVE_START = timedelta(days=36500)
DEFAULT_NUM_WORKERS = 12
# Export pages can take tens of seconds on big accounts; a silent socket longer than this is a fault.
DEFAULT_REQUEST_TIMEOUT_SECONDS = 120
DEFAULT_MAX_RESPONSE_MB = 64
MAX_NUM_WORKERS = 40
DEFAULT_BACKOFF_BASE_SECONDS = 1.0
# The longest single wait Zendesk may ask for (Retry-After) before the stream fails and says when to retry.
DEFAULT_MAX_WAIT_SECONDS = 900
MAX_LIST_PAGE_SIZE = 100  # Zendesk's cap for cursor-paged and offset-paged lists
API_TOKEN_RETIREMENT = "2027-04-30"

# Zendesk search type -> the schema its results share with the stream of that object
SEARCH_TYPES = {"ticket": "tickets", "user": "users", "organization": "organizations", "group": "groups"}
SEARCH_NAME_PATTERN = re.compile(r"^[a-z0-9_]{1,60}$")
SECRET_FIELDS = ("api_token", "password", "access_token", "refresh_token", "client_secret", "client_id")
# What to do with records of deleted objects (deletion.py): keep them as ordinary rows, mark them for
# destinations that delete marked rows, or leave them out.
DELETED_RECORD_MODES = ("keep", "mark", "exclude")
DeletedRecords = Literal["keep", "mark", "exclude"]
# Which tickets to read (`tickets_handled_by`) -> the support_type_scope Zendesk's ticket endpoints take. Zendesk
# serves only human agents' tickets to a request that names no scope.
TICKETS_HANDLED_BY = {"all": "all", "human_agents": "agent", "ai_agents": "ai_agent"}
TicketScope = Literal["all", "agent", "ai_agent"]
_SPEC_CACHE: Optional[Mapping[str, Any]] = None


def config_error(message: str) -> AirbyteTracedException:
    return AirbyteTracedException(message=message, internal_message=message, failure_type=FailureType.config_error)


class _CredentialsBase(BaseModel):
    # Secrets stay out of repr(), so a logged config never shows them.
    model_config = ConfigDict(frozen=True)

    @property
    def can_refresh_token(self) -> bool:
        """Whether a refused access token can be replaced without the user (a refresh token or an OAuth client)."""
        return False


class ApiTokenCredentials(_CredentialsBase):
    auth_type: Literal["api_token"]
    email: str
    api_token: str = Field(repr=False)


class AccessTokenCredentials(_CredentialsBase):
    """An OAuth access token; Airbyte's legacy configs carry the OAuth client beside it, which can renew it."""

    auth_type: Literal["oauth2_access_token"]
    access_token: str = Field(repr=False)
    client_id: Optional[str] = Field(default=None, repr=False)
    client_secret: Optional[str] = Field(default=None, repr=False)
    scope: str = "read"

    @property
    def can_refresh_token(self) -> bool:
        return bool(self.client_id and self.client_secret)


class ClientCredentials(_CredentialsBase):
    auth_type: Literal["oauth2_client_credentials"]
    client_id: str = Field(repr=False)
    client_secret: str = Field(repr=False)
    scope: str = "read"

    @property
    def can_refresh_token(self) -> bool:
        return True


class RefreshTokenCredentials(_CredentialsBase):
    auth_type: Literal["oauth2_refresh"]
    client_id: str = Field(repr=False)
    client_secret: str = Field(repr=False)
    refresh_token: str = Field(repr=False)
    access_token: Optional[str] = Field(default=None, repr=False)
    token_expiry_date: Optional[datetime] = None
    scope: str = "read"

    @property
    def can_refresh_token(self) -> bool:
        return True


# One class per way Zendesk lets a connection sign in; `auth_type` tells them apart. A new kind is one class here
# and one builder in http/auth.py.
CREDENTIAL_KINDS = (RefreshTokenCredentials, ClientCredentials, AccessTokenCredentials, ApiTokenCredentials)
Credentials = Annotated[
    Union[RefreshTokenCredentials, ClientCredentials, AccessTokenCredentials, ApiTokenCredentials],
    Field(discriminator="auth_type"),
]
CREDENTIALS_BY_AUTH_TYPE: Mapping[str, Type[_CredentialsBase]] = {
    get_args(kind.model_fields["auth_type"].annotation)[0]: kind for kind in CREDENTIAL_KINDS
}
AUTH_TYPES = tuple(CREDENTIALS_BY_AUTH_TYPE)
STRING_CREDENTIAL_FIELDS = (
    "email",
    "api_token",
    "access_token",
    "client_id",
    "client_secret",
    "refresh_token",
    "scope",
)


class SearchQuery(BaseModel):
    model_config = ConfigDict(frozen=True)

    name: str
    query: str
    type: str = "ticket"
    preset: Optional[str] = None  # the preset (search_presets.py) the query was expanded from


class ZendeskConfig(BaseModel):
    """Everything a sync is configured with. Built only by `parse_config`."""

    model_config = ConfigDict(frozen=True)

    subdomain: str
    base_url: str
    start: datetime
    # Set when start_date is relative (or absent: the default window): each stream resolves it once, at its first
    # sync, and keeps the moment in its state (streams/base.py).
    start_period: Optional[timedelta] = None
    end: Optional[datetime] = None
    credentials: Credentials
    num_workers: int = DEFAULT_NUM_WORKERS
    request_timeout_seconds: float = DEFAULT_REQUEST_TIMEOUT_SECONDS
    backoff_base_seconds: float = DEFAULT_BACKOFF_BASE_SECONDS
    max_wait_seconds: float = DEFAULT_MAX_WAIT_SECONDS
    max_response_mb: int = DEFAULT_MAX_RESPONSE_MB
    deleted_records: DeletedRecords = "keep"
    ticket_scope: TicketScope = "all"  # the support_type_scope every ticket endpoint is asked with
    custom_field_columns: bool = True
    search_queries: Tuple[SearchQuery, ...] = ()
    chat_access_token: Optional[str] = Field(default=None, repr=False)
    page_size: Optional[int] = None  # records per list page; None = Zendesk's maximum
    ignore_pagination: bool = False  # Airbyte's testing aid, accepted and ignored (every page is read)
    # The document as the platform stores it, in this connector's shape: a rotated refresh token is written into it
    # and it is handed back whole in a CONTROL message. `migrated` says it was rewritten from an earlier shape.
    stored: Any = Field(default=None, repr=False, exclude=True)
    migrated: bool = False

    @property
    def api_url(self) -> str:
        return f"{self.base_url}/api/v2/"

    @property
    def auth_type(self) -> str:
        return self.credentials.auth_type

    @property
    def can_refresh_token(self) -> bool:
        return self.credentials.can_refresh_token

    @property
    def list_page_size(self) -> int:
        return min(self.page_size or MAX_LIST_PAGE_SIZE, MAX_LIST_PAGE_SIZE)


# --- one check per kind of value; each names the field and never quotes a secret ---------------------------
def _date(config: Mapping[str, Any], field: str) -> Optional[datetime]:
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
            raise config_error(
                f"'{field}' is not a valid UTC date-time: {value!r}. Use the form 2020-01-01T00:00:00Z."
            ) from None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=timezone.utc)
    return parsed.astimezone(timezone.utc)


def relative_period(value: str) -> Optional[timedelta]:
    """The period a relative start_date stands for, or None when the value is not one."""
    match = RELATIVE_START.match(value)
    if match is None:
        return None
    count = int(match.group("iso_count") or match.group("count"))
    unit = match.group("iso_unit") or match.group("unit")
    return timedelta(weeks=count) if unit.lower().startswith("w") else timedelta(days=count)


def _start(config: Mapping[str, Any], now: datetime) -> Tuple[datetime, Optional[timedelta]]:
    """(start, period): an ISO start_date has no period; a relative one, or none at all, counts back from now."""
    value = config.get("start_date")
    period = DEFAULT_WINDOW if value in (None, "") else relative_period(value) if isinstance(value, str) else None
    if period is None:
        try:
            return cast(datetime, _date(config, "start_date")), None  # set: an empty start_date has a period
        except AirbyteTracedException:
            raise config_error(
                f"'start_date' is neither a UTC date-time nor a period back from now: {value!r}. "
                "Use 2020-01-01T00:00:00Z, "
                "an ISO 8601 period of days or weeks (P30D, P2W) or the same in words (30 days, 2 weeks)."
            ) from None
    if not timedelta(days=1) <= period <= MAX_RELATIVE_START:
        raise config_error(f"'start_date' {value!r} must count back between 1 day and {MAX_RELATIVE_START.days} days.")
    return (now - period).replace(microsecond=0), period


def _integer(config: Mapping[str, Any], field: str, default: Optional[int], low: int, high: int) -> Optional[int]:
    value = config.get(field)
    if value is None:
        return default
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise config_error(f"'{field}' must be an integer from {low} to {high}; got {value!r}.")
    return value


def _number(config: Mapping[str, Any], field: str, default: float, low: float, high: float) -> float:
    value = config.get(field)
    if value is None:
        return default
    if isinstance(value, bool) or not isinstance(value, (int, float)) or math.isnan(value) or not low <= value <= high:
        raise config_error(f"'{field}' must be a number from {low:g} to {high:g}; got {value!r}.")
    return float(value)


def _boolean(config: Mapping[str, Any], field: str, default: bool) -> bool:
    value = config.get(field)
    if value is None:
        return default
    if not isinstance(value, bool):
        raise config_error(f"'{field}' must be true or false; got {value!r}.")
    return value


def _subdomain(config: Mapping[str, Any]) -> str:
    subdomain = config.get("subdomain")
    if not isinstance(subdomain, str) or not subdomain.strip():
        raise config_error("'subdomain' is required: for https://acme.zendesk.com it is 'acme'.")
    subdomain = subdomain.strip()
    if not SUBDOMAIN_PATTERN.match(subdomain):
        raise config_error(
            f"'subdomain' {subdomain!r} is not a Zendesk subdomain: letters, digits and hyphens only, e.g. 'acme'."
        )
    return subdomain


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _base_url(config: Mapping[str, Any], subdomain: str) -> str:
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
    if (
        parsed.scheme == "https"
        and host.endswith(".zendesk.com")
        and SUBDOMAIN_PATTERN.match(host[: -len(".zendesk.com")])
    ):
        return override.rstrip("/")
    raise config_error(
        f"'base_url' {override!r} is not allowed: use a loopback address (a local sandbox or proxy) or https://<subdomain>.zendesk.com."
    )


def _credentials(config: Mapping[str, Any]) -> _CredentialsBase:
    credentials = config.get("credentials")
    if not isinstance(credentials, Mapping):
        raise config_error("'credentials' is missing: choose OAuth 2.0 or an API token.")
    auth_type = credentials.get("auth_type")
    if auth_type == "api_token" and not credentials.get("api_token") and credentials.get("password"):
        auth_type = "password"
    if auth_type in ("password", "basic") or (auth_type is None and "password" in credentials):
        raise config_error(
            "Password authentication was removed by Zendesk in January 2026. Use OAuth 2.0 (credentials.auth_type "
            "'oauth2_refresh', 'oauth2_client_credentials' or 'oauth2_access_token') or, until 2027-04-30, "
            "an API token ('api_token' with email and api_token)."
        )
    kind = CREDENTIALS_BY_AUTH_TYPE.get(auth_type) if isinstance(auth_type, str) else None
    if kind is None:
        raise config_error(f"'credentials.auth_type' must be one of {', '.join(AUTH_TYPES)}; got {auth_type!r}.")
    for field, info in kind.model_fields.items():
        value = credentials.get(field)
        if info.is_required() and field != "auth_type" and (not isinstance(value, str) or not value.strip()):
            raise config_error(f"'credentials.{field}' is required for auth_type '{auth_type}'.")
    for field in STRING_CREDENTIAL_FIELDS:
        if credentials.get(field) is not None and not isinstance(credentials.get(field), str):
            raise config_error(f"'credentials.{field}' must be a string.")
    try:
        expiry = _date(credentials, "token_expiry_date")
    except AirbyteTracedException:
        raise config_error(
            "'credentials.token_expiry_date' is not a date-time such as 2026-01-01T00:00:00Z; "
            "clear it and the connector refreshes the token on its first request."
        ) from None
    values = {field: credentials.get(field) for field in kind.model_fields if credentials.get(field) not in (None, "")}
    if "token_expiry_date" in kind.model_fields:
        values["token_expiry_date"] = expiry
    return kind(**{**values, "auth_type": auth_type})


def _preset_query(entry: Mapping[str, Any], position: int, today: date) -> Tuple[str, str, str]:
    """(name, query, type) of an entry that names a preset; its name defaults to the preset's."""
    preset = entry.get("preset")
    label = f"search_queries[{position}]"
    if not isinstance(preset, str):
        raise config_error(f"{label}: 'preset' must be the name of a preset: {', '.join(PRESETS)}.")
    if entry.get("query") not in (None, ""):
        raise config_error(f"{label}: give either 'query' or 'preset' ({preset!r}), not both.")
    try:
        kind, query = expand_preset(preset, today, entry.get("group"))
    except PresetProblem as problem:
        raise config_error(f"{label}: {problem}") from None
    if entry.get("type") not in (None, "", kind):
        raise config_error(f"{label}: preset '{preset}' searches {kind}s; remove 'type' ({entry.get('type')!r}).")
    return entry.get("name") or preset, query, kind


def _search_queries(config: Mapping[str, Any], today: date) -> Tuple[SearchQuery, ...]:
    queries = config.get("search_queries") or []
    if not isinstance(queries, list):
        raise config_error("'search_queries' must be a list of {name, query, type} or {preset} objects.")
    parsed, names = [], set()
    for position, entry in enumerate(queries):
        if not isinstance(entry, Mapping):
            raise config_error(
                f"'search_queries[{position}]' must be an object with name, query and type, or a preset."
            )
        preset = entry.get("preset")
        name: object  # as the entry gives them: checked below
        query: object
        if preset is not None:
            name, query, kind = _preset_query(entry, position, today)
        else:
            name, query, kind = entry.get("name"), entry.get("query"), entry.get("type") or "ticket"
        label = f"search query '{name}'" if isinstance(name, str) and name else f"search_queries[{position}]"
        if preset is None and entry.get("group") is not None:
            raise config_error(
                f"{label}: 'group' goes with a preset that takes one; write the group into the query instead."
            )
        if not isinstance(name, str) or not SEARCH_NAME_PATTERN.match(name):
            raise config_error(
                f"{label}: 'name' must be lower-case letters, digits and underscores "
                "(it names the stream search_<name>)."
            )
        if name in names:
            raise config_error(f"{label}: two search queries share the name '{name}'.")
        if not isinstance(query, str) or not query.strip():
            raise config_error(f"{label}: 'query' is empty.")
        if re.search(r"(^|\s)type:", query):
            raise config_error(
                f"{label}: remove 'type:' from the query ({query!r}) and set 'type' instead; "
                "Zendesk's search export needs it apart."
            )
        if kind not in SEARCH_TYPES:
            raise config_error(f"{label}: 'type' must be one of {', '.join(SEARCH_TYPES)}; got {kind!r}.")
        names.add(name)
        parsed.append(SearchQuery(name=name, query=query.strip(), type=kind, preset=preset))
    return tuple(parsed)


def _deleted_records(config: Mapping[str, Any]) -> str:
    mode = config.get("deleted_records", "keep")
    if mode not in DELETED_RECORD_MODES:
        raise config_error(f"'deleted_records' must be one of {', '.join(DELETED_RECORD_MODES)}; got {mode!r}.")
    return mode


def _ticket_scope(config: Mapping[str, Any]) -> str:
    choice = config.get("tickets_handled_by", "all")
    if not isinstance(choice, str) or choice not in TICKETS_HANDLED_BY:
        raise config_error(f"'tickets_handled_by' must be one of {', '.join(TICKETS_HANDLED_BY)}; got {choice!r}.")
    return TICKETS_HANDLED_BY[choice]


def _chat_access_token(config: Mapping[str, Any]) -> Optional[str]:
    chat = config.get("chat_credentials")
    if chat is None:
        return None
    if not isinstance(chat, Mapping):
        raise config_error("'chat_credentials' must be an object with an access_token.")
    token = chat.get("access_token")
    if token is not None and not isinstance(token, str):
        raise config_error("'chat_credentials.access_token' must be a string.")
    return token or None


def _spec_problem(config: Mapping[str, Any]) -> Optional[str]:
    """The first way the config breaks spec.json, in words that name the field and never quote a value."""
    error = best_match(Draft7Validator(_connection_spec()).iter_errors(config))
    if error is None:
        return None
    field = ".".join(str(part) for part in error.absolute_path) or "the configuration"
    if error.validator == "oneOf" and field == "credentials":
        return (
            "'credentials' matches none of the supported kinds: "
            "set auth_type and the fields it requires (see the spec)."
        )
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
        _SPEC_CACHE = json.loads(resources.files("source_zendesk_support").joinpath("spec.json").read_text())[
            "connectionSpecification"
        ]
    return _SPEC_CACHE


def parse_config(config: Any, now: Optional[datetime] = None) -> ZendeskConfig:
    """The typed config. Raises a config_error naming the first field that is wrong."""
    if not isinstance(config, Mapping):
        raise config_error("The configuration must be a JSON object.")
    register_config_secrets(config, SECRET_FIELDS)  # before anything can echo them
    rewritten = migrate_config(config)
    migrated = rewritten != dict(config)
    # Unchanged, the caller's own document stays the stored one, so a rotated token lands where the caller looks.
    config = rewritten if migrated or not isinstance(config, MutableMapping) else config
    subdomain = _subdomain(config)
    now = now or datetime.now(timezone.utc)
    start, start_period = _start(config, now)
    end = _date(config, "end_date")
    if end is not None and end <= start:
        raise config_error(
            f"'end_date' ({config.get('end_date')}) must be after 'start_date' ({start:%Y-%m-%dT%H:%M:%SZ})."
        )
    credentials = _credentials(config)
    typed = dict(
        subdomain=subdomain,
        base_url=_base_url(config, subdomain),
        start=start,
        start_period=start_period,
        end=end,
        credentials=credentials,
        num_workers=_integer(config, "num_workers", DEFAULT_NUM_WORKERS, 1, MAX_NUM_WORKERS),
        request_timeout_seconds=_number(config, "request_timeout_seconds", DEFAULT_REQUEST_TIMEOUT_SECONDS, 5, 600),
        backoff_base_seconds=_number(config, "backoff_base_seconds", DEFAULT_BACKOFF_BASE_SECONDS, 0.001, 60),
        max_wait_seconds=_number(config, "max_wait_seconds", DEFAULT_MAX_WAIT_SECONDS, 1, 86400),
        max_response_mb=_integer(config, "max_response_mb", DEFAULT_MAX_RESPONSE_MB, 1, 1024),
        deleted_records=_deleted_records(config),
        ticket_scope=_ticket_scope(config),
        custom_field_columns=_boolean(config, "custom_field_columns", True),
        search_queries=_search_queries(config, now.date()),
        chat_access_token=_chat_access_token(config),
        page_size=_integer(config, "page_size", None, 1, MAX_LIST_PAGE_SIZE),
        ignore_pagination=_boolean(config, "ignore_pagination", False),
        stored=config,
        migrated=migrated,
    )
    # The rest of the spec (types of options added later), on the config as parsed above: dates with offsets are
    # accepted there.
    normalized = {key: value for key, value in config.items() if key not in ("start_date", "end_date")}
    problem = _spec_problem(normalized)
    if problem:
        raise config_error(problem)
    try:
        return ZendeskConfig(**typed)
    except ValidationError as error:  # the checks above should leave nothing for pydantic to refuse
        first = error.errors()[0]
        raise config_error(f"'{'.'.join(str(part) for part in first['loc'])}' is invalid: {first['msg']}.") from None
