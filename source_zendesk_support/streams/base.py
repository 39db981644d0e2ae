"""What every Zendesk stream shares: one HTTP layer (auth, retries, rate budget), checkpoints and plan gates.

Each family subclass implements `read_pages`, a generator of records and checkpoint messages. The checkpoints
travel through the CDK's concurrent message queue in order with the records, so a STATE message is only ever
emitted after every record it covers.
"""
from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, field
from typing import Any, Dict, Iterable, List, Mapping, MutableMapping, Optional, Set, Union

import orjson
from airbyte_cdk.models import (
    AirbyteMessage,
    AirbyteStateBlob,
    AirbyteStateMessage,
    AirbyteStateType,
    AirbyteStreamState,
    StreamDescriptor,
    Type,
)
from airbyte_cdk.sources.streams.http import HttpStream
from airbyte_cdk.sources.utils.schema_helpers import ResourceSchemaLoader
from airbyte_cdk.utils.traced_exception import AirbyteTracedException
from airbyte_cdk.models import FailureType
from requests.auth import AuthBase

from ..config import ZendeskConfig
from ..deletion import KEEP, apply_deleted_records
from ..http_policy import CONNECT_TIMEOUT_SECONDS, ZendeskBackoff, ZendeskErrorHandler
from ..rate_budget import ZendeskRateBudget
from ..registry import StreamSpec
from ..timeutil import cursor_value, to_epoch
from .page_permits import PagePermits
from .page_share import PageShare, RawAnswer
from .parent_lists import ParentLists

logger = logging.getLogger("airbyte")
_schema_lock = threading.Lock()
_schema_cache: dict = {}


class FeatureUnavailable(Exception):
    """Zendesk answered 403/404: the plan, the product or the token's role does not include this data."""

    def __init__(self, status: int, url: str, body: bytes):
        self.status = status
        self.url = url
        super().__init__(f"HTTP {status} from {url}: {body[:200]!r}")


@dataclass
class ApiAnswer:
    status: int
    body: Any
    headers: Mapping[str, str]

    @property
    def ok(self) -> bool:
        return 200 <= self.status < 300

    @property
    def error_code(self) -> str:
        if isinstance(self.body, Mapping):
            error = self.body.get("error")
            if isinstance(error, str):
                return error
            errors = self.body.get("errors")
            if isinstance(errors, list) and errors and isinstance(errors[0], Mapping):
                return str(errors[0].get("code", ""))
        return ""


@dataclass
class SyncContext:
    """Everything the streams of one sync share."""

    config: ZendeskConfig
    authenticator: AuthBase
    budget: ZendeskRateBudget
    unavailable_streams: Set[str] = field(default_factory=set)
    page_share: PageShare = field(default_factory=PageShare)
    parent_lists: ParentLists = field(default_factory=ParentLists)
    page_permits: PagePermits = field(default_factory=PagePermits)
    chat_authenticator: Optional[AuthBase] = None  # Chat has OAuth tokens of its own
    search_streams: List[StreamSpec] = field(default_factory=list)  # the config's named search queries
    listed: Dict[str, List[Mapping[str, Any]]] = field(default_factory=dict)  # whole lists already read this sync
    now_epoch: Optional[int] = None  # frozen at sync start so every stream agrees on "now"


def parse_answer(raw: RawAnswer) -> ApiAnswer:
    try:
        body = orjson.loads(raw.content) if raw.content else None
    except orjson.JSONDecodeError:
        body = None
    return ApiAnswer(raw.status, body, raw.headers)


def load_schema(name: str) -> Mapping[str, Any]:
    with _schema_lock:
        if name not in _schema_cache:
            _schema_cache[name] = ResourceSchemaLoader("source_zendesk_support").get_schema(name)
        return _schema_cache[name]


def state_message(stream_name: str, state: Mapping[str, Any]) -> AirbyteMessage:
    return AirbyteMessage(
        type=Type.STATE,
        state=AirbyteStateMessage(
            type=AirbyteStateType.STREAM,
            stream=AirbyteStreamState(
                stream_descriptor=StreamDescriptor(name=stream_name), stream_state=AirbyteStateBlob(dict(state))
            ),
        ),
    )


class ZendeskStream(HttpStream):
    """Base of every family. Families override `read_pages`."""

    def __init__(self, spec: StreamSpec, context: SyncContext, incremental: bool = True):
        self.spec = spec
        self.context = context
        self.incremental = incremental and bool(spec.cursor_field)
        self._state: MutableMapping[str, Any] = {}
        self.emitted_state = False
        self.custom_columns = None  # CustomFieldColumns, set by the source for tickets, users and organizations
        authenticator = context.chat_authenticator if spec.product == "chat" else context.authenticator
        super().__init__(authenticator=authenticator, api_budget=context.budget)

    # --- identity -------------------------------------------------------------------------------------
    @property
    def name(self) -> str:
        return self.spec.name

    @property
    def primary_key(self) -> Union[str, List[str], None]:
        return self.spec.primary_key

    @property
    def cursor_field(self) -> Union[str, List[str]]:
        return self.spec.cursor_field or []

    @property
    def url_base(self) -> str:
        return self.context.config.api_url

    def path(self, **kwargs: Any) -> str:
        return self.spec.path

    def get_json_schema(self) -> Mapping[str, Any]:
        schema = load_schema(self.spec.schema or self.spec.name)
        if self.custom_columns is None:
            return schema
        if getattr(self, "_schema_with_columns", None) is None:
            self._schema_with_columns = {**schema, "properties": {**schema["properties"], **self.custom_columns.properties()}}
        return self._schema_with_columns

    # --- HTTP policy ----------------------------------------------------------------------------------
    def get_error_handler(self) -> ZendeskErrorHandler:
        if self.spec.product == "chat":  # Chat has its own token, which no refresh can renew
            return ZendeskErrorHandler(self.logger, can_refresh_token=False,
                                       refused_credentials_hint="Check chat_credentials.access_token (a Zendesk Chat OAuth token).")
        return ZendeskErrorHandler(self.logger, can_refresh_token=self.context.config.can_refresh_token)

    def get_backoff_strategy(self) -> ZendeskBackoff:
        return ZendeskBackoff(self.context.config.backoff_base_seconds)

    def next_page_token(self, response):  # pagination lives in the families' read_pages
        return None

    def parse_response(self, response, **kwargs):
        yield from ()

    def fetch(self, path_or_url: str, params: Optional[Mapping[str, Any]] = None) -> ApiAnswer:
        """GET one page. Retries, waits and token refreshes happen inside the CDK's HttpClient."""
        return parse_answer(self.fetch_raw(path_or_url, params))

    def fetch_raw(self, path_or_url: str, params: Optional[Mapping[str, Any]] = None) -> RawAnswer:
        url = path_or_url if path_or_url.startswith(("http://", "https://")) else self.url_base + path_or_url.lstrip("/")
        _, response = self._http_client.send_request(
            "GET",
            url,
            request_kwargs={"timeout": (CONNECT_TIMEOUT_SECONDS, self.context.config.request_timeout_seconds)},
            params=dict(params or {}),
        )
        if response.status_code in (403, 404):
            raise FeatureUnavailable(response.status_code, url, response.content)
        return RawAnswer(response.status_code, response.content, response.headers)

    def fail(self, answer: ApiAnswer, what: str) -> AirbyteTracedException:
        message = f"Stream {self.name}: {what} (HTTP {answer.status}: {str(answer.body)[:300]})"
        return AirbyteTracedException(message=message, internal_message=message, failure_type=FailureType.system_error)

    # --- state ----------------------------------------------------------------------------------------
    @property
    def state(self) -> MutableMapping[str, Any]:
        return self._state

    @state.setter
    def state(self, value: Mapping[str, Any]) -> None:
        self._state = dict(value or {})

    def checkpoint(self, **updates: Any) -> AirbyteMessage:
        self._state.update(updates)
        self.emitted_state = True
        return state_message(self.name, self._state)

    def start_epoch(self) -> int:
        """Where an incremental read starts: the saved cursor if any, else the configured start date."""
        configured = int(self.context.config.start.timestamp())
        if not self.incremental:
            return configured
        saved = to_epoch(self._state.get(self.spec.cursor_field)) if self.spec.cursor_field else None
        return max(configured, saved) if saved is not None else configured

    @property
    def end_epoch(self) -> Optional[int]:
        end = self.context.config.end
        return int(end.timestamp()) if end else None

    def cursor_state(self, epoch: int) -> Mapping[str, Any]:
        return {self.spec.cursor_field: cursor_value(self.spec.cursor_field, epoch)}

    def _with_deletion_markers(self, items: Iterable[Union[Mapping[str, Any], AirbyteMessage]]):
        rule, mode = self.spec.deletion_field, self.context.config.deleted_records
        for item in items:
            if isinstance(item, AirbyteMessage):
                yield item
                continue
            record = apply_deleted_records(mode, rule, item)
            if record is not None:
                yield record

    # --- reading --------------------------------------------------------------------------------------
    def read_pages(self, stream_slice: Optional[Mapping[str, Any]]) -> Iterable[Union[Mapping[str, Any], AirbyteMessage]]:
        raise NotImplementedError

    def read_records(self, sync_mode=None, cursor_field=None, stream_slice=None, stream_state=None):
        try:
            items = self.read_pages(stream_slice)
            if self.spec.deletion_field and self.context.config.deleted_records != KEEP:
                items = self._with_deletion_markers(items)
            if self.custom_columns is not None:
                columns = self.custom_columns
                items = (item if isinstance(item, AirbyteMessage) else columns.add_to(item) for item in items)
            yield from items
        except FeatureUnavailable as gate:
            self.context.unavailable_streams.add(self.name)
            self.logger.warning(
                f"Stream '{self.name}' skipped: Zendesk answered HTTP {gate.status} for {self.spec.path}. The account's plan, "
                f"its enabled products or the token's role do not include this data; the rest of the sync continues."
            )
