"""What every Zendesk stream shares: one HTTP layer (auth, retries, rate budget), checkpoints and plan gates.

Each family subclass implements `read_pages`, a generator of records and checkpoint messages. The checkpoints
travel through the CDK's concurrent message queue in order with the records, so a STATE message is only ever
emitted after every record it covers.
"""

from __future__ import annotations

import logging
import threading
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, Iterable, List, Mapping, MutableMapping, Optional, Tuple, Union

import orjson
from airbyte_cdk.models import AirbyteMessage
from airbyte_cdk.sources.streams import Stream
from airbyte_cdk.sources.utils.schema_helpers import ResourceSchemaLoader
from airbyte_cdk.utils.traced_exception import AirbyteTracedException
from airbyte_cdk.models import FailureType

from ..http.error_policy import ZendeskErrorHandler
from ..http.fetch import Fetch, stream_failure
from ..http.ticket_scope import takes_scope
from ..records.deletion import KEEP, apply_deleted_records
from ..paging.guards import latest_allowed, now_epoch
from ..foundation.clock import cursor_value, to_epoch, to_iso
from ..sync.checkpoint_cursor import state_message
from ..sync.context import SyncContext
from .scope_backfill import BACKFILL_KEY, ScopeBackfill, has_position, plan_backfill, read_in_scope

if TYPE_CHECKING:
    from ..records.custom_fields import CustomFieldColumns
    from .spec import StreamSpec
from ..http.answer import ApiAnswer, FeatureUnavailable, RawAnswer

logger = logging.getLogger("airbyte")
_schema_lock = threading.Lock()
_schema_cache: dict = {}
# State key: the moment a relative start_date stood for at the stream's first sync.
RESOLVED_START = "resolved_start_date"
# orjson, which writes every message, goes this deep into a record and no deeper (less the message's own levels).
MAX_RECORD_DEPTH = 250


def load_schema(name: str) -> Mapping[str, Any]:
    with _schema_lock:
        if name not in _schema_cache:
            _schema_cache[name] = ResourceSchemaLoader("source_zendesk_support").get_schema(name)
        return _schema_cache[name]


class ZendeskStream(Stream):
    """Base of every family. Families override `read_pages`."""

    paging = ""  # how Zendesk pages this family, as the README's stream table says it
    has_stream_status = True  # a stream of the catalog, whose rate waits are reported as its RATE_LIMITED status

    def __init__(self, spec: "StreamSpec", context: SyncContext, incremental: bool = True):
        self.spec = spec
        self.context = context
        self.incremental = incremental and bool(spec.cursor_field)
        self._state: MutableMapping[str, Any] = {}
        self.emitted_state = False
        # While a backfill of missed tickets runs (streams/scope_backfill.py), `_state` is the backfill's own
        # position and `_outer_state` the stream's saved state, which the backfill leaves as it was.
        self._backfill: Optional[ScopeBackfill] = None
        self._outer_state: Optional[MutableMapping[str, Any]] = None
        self.custom_columns: Optional[CustomFieldColumns] = (
            None  # set by the source for tickets, users and organizations
        )
        self.fetcher = self.make_fetch()

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
    def incremental_cursor(self) -> str:
        """The cursor field of an incremental stream: `incremental` is set only for a spec with one."""
        assert self.spec.cursor_field
        return self.spec.cursor_field

    @property
    def url_base(self) -> str:
        return self.context.config.api_url

    # The CDK's Stream wraps its own in lru_cache, which mypy takes for an attribute; this one keeps its own cache.
    def get_json_schema(self) -> Mapping[str, Any]:  # type: ignore[override]
        # The CDK asks for it once per record: kept per stream (and per set of custom columns), not looked up.
        columns, schema = self.__dict__.get("_schema_for", (False, None))
        if schema is None or columns is not self.custom_columns:
            schema = load_schema(self.spec.schema or self.spec.name)
            if self.custom_columns is not None:
                schema = {**schema, "properties": {**schema["properties"], **self.custom_columns.properties()}}
            self._schema_for = (self.custom_columns, schema)
        return schema

    # --- HTTP ---------------------------------------------------------------------------------------------
    def make_fetch(self) -> Fetch:
        context, config = self.context, self.context.config
        chat = self.spec.product == "chat"
        assert context.origin_policy is not None  # SyncContext.__post_init__ sets it
        return Fetch(
            self.name,
            self.logger,
            config,
            context.origin_policy,
            context.chat_authenticator if chat else context.authenticator,
            # The budget, seen through this stream's tally, is the session's: the CDK's client uses a given session's.
            context.tally.budget_for(self.name, context.budget),
            self.error_handler(),
            names_rate_waits=self.has_stream_status,
            explain=self.explain_failure,
        )

    def error_handler(self) -> ZendeskErrorHandler:
        if self.spec.product == "chat":  # Chat has its own token, which no refresh can renew
            return ZendeskErrorHandler(
                self.logger,
                can_refresh_token=False,
                stream=self.name,
                refused_credentials_hint="Check chat_credentials.access_token (a Zendesk Chat OAuth token).",
            )
        return ZendeskErrorHandler(
            self.logger, can_refresh_token=self.context.config.can_refresh_token, stream=self.name
        )

    def explain_failure(self, name: str, answer: ApiAnswer, what: str) -> AirbyteTracedException:
        """Families word some refusals their own way (search streams: a refused query is the user's to fix)."""
        return stream_failure(name, answer, what)

    def fetch(self, path_or_url: str, params: Optional[Mapping[str, Any]] = None) -> ApiAnswer:
        return self.fetcher.get(path_or_url, params)

    def fetch_raw(self, path_or_url: str, params: Optional[Mapping[str, Any]] = None) -> RawAnswer:
        return self.fetcher.get_raw(path_or_url, params)

    def fail(self, answer: ApiAnswer, what: str) -> AirbyteTracedException:
        return self.fetcher.fail(answer, what)

    # --- state ----------------------------------------------------------------------------------------
    @property
    def state(self) -> MutableMapping[str, Any]:
        """The state to save: during a backfill, the saved state with the backfill's position nested in it."""
        if self._backfill is None:
            return self._state
        self._backfill.state = dict(self._state)
        assert self._outer_state is not None  # set with _backfill (backfilling)
        return {**self._outer_state, BACKFILL_KEY: self._backfill.saved()}

    @state.setter
    def state(self, value: Mapping[str, Any]) -> None:
        self._state = dict(value or {})

    def checkpoint(self, **updates: Any) -> AirbyteMessage:
        """Save the position; a value of None forgets its key. No time in the state is ever later than now."""
        for key, value in updates.items():
            if value is None:
                self._state.pop(key, None)
            else:
                self._state[key] = self._not_in_future(key, value) if key in self.time_keys() else value
        self.emitted_state = True
        return state_message(self.name, self.state)

    def time_keys(self) -> Tuple[str, ...]:
        return tuple(key for key in (self.spec.state_cursor, self.spec.cursor_field, "parent_start") if key)

    def _not_in_future(self, key: str, value: Any) -> Any:
        epoch = to_epoch(value)
        now = now_epoch()
        if epoch is None or epoch <= latest_allowed(now):
            return value
        if not self._warned(f"future {key}"):
            self.logger.warning(
                f"Stream {self.name}: not saving {key} {value!r}, which is in the future; "
                "saving the current time instead."
            )
        return now if isinstance(value, (int, float)) else cursor_value(key, now)

    def configured_start(self) -> int:
        """The configured start date. One in the future reads nothing until then, and says so."""
        configured = self._start_of_window()
        if configured > latest_allowed() and not self._warned("start_date"):
            self.logger.warning(
                f"Stream {self.name}: start_date {to_iso(configured)} is in the future, so nothing is read until then. "
                f"Set start_date to a past date to read this stream's history."
            )
        return configured

    def _start_of_window(self) -> int:
        """A relative start_date (P30D, or none: the default window) is resolved once, at the stream's first
        incremental sync, and kept in its state: later syncs, and a restart, start from that same moment, never
        from 30 days before each sync (which would skip what changed in between if syncs paused for longer)."""
        config = self.context.config
        resolved = int(config.start.timestamp())
        if config.start_period is None or not self.incremental:
            return resolved
        saved = self.saved_epoch(RESOLVED_START)
        if saved is not None:
            return saved
        # A stream that already has a position (from an ISO start_date, or Airbyte's state) never skips from it
        positions = [self.saved_epoch(key) for key in self.time_keys() if self._state.get(key) is not None]
        resolved = min([resolved, *[position for position in positions if position is not None]])
        self._state[RESOLVED_START] = to_iso(resolved)
        return resolved

    def saved_epoch(self, key: str) -> Optional[int]:
        """A time from the saved state. One in the future (a clock that ran ahead, or an edited state) would make
        every later sync read nothing: it is ignored, and the stream reads again from start_date."""
        saved = to_epoch(self._state.get(key))
        if saved is not None and saved > latest_allowed():
            if not self._warned(f"state {key}"):
                self.logger.warning(
                    f"Stream {self.name}: the saved state's {key} {self._state.get(key)!r} is in the future; "
                    f"reading again from start_date. Reset this stream's state if it was edited by hand."
                )
            return None
        return saved

    def _warned(self, about: str) -> bool:
        """True when this stream already warned about this (a stream asks for its start more than once)."""
        warned = self.__dict__.setdefault("_warnings_given", set())
        if about in warned:
            return True
        warned.add(about)
        return False

    def start_epoch(self) -> int:
        """Where an incremental read starts: the saved cursor if any, else the configured start date."""
        configured = self.configured_start()
        if not self.incremental:
            return configured
        saved = self.saved_epoch(self.spec.cursor_field) if self.spec.cursor_field else None
        return max(configured, saved) if saved is not None else configured

    def newest_of(
        self, records: Iterable[Mapping[str, Any]], newest: Optional[int], field: Optional[str] = None
    ) -> Optional[int]:
        field = field or self.spec.cursor_field
        for record in records:
            value = to_epoch(record.get(field)) if field else None
            if value is not None and (newest is None or value > newest):
                newest = value
        return newest

    @property
    def end_epoch(self) -> Optional[int]:
        """The last second read: end_date, or during a backfill where the saved state had got to."""
        end_date = self.context.config.end
        end = int(end_date.timestamp()) if end_date else None
        until = self.scope_until
        return until if end is None else end if until is None else min(end, until)

    @property
    def reads_from_start(self) -> bool:
        """Whether this read starts from start_date: nothing saved yet, or a backfill's first read."""
        return not (self.incremental and has_position(self._state))

    # --- which tickets ----------------------------------------------------------------------------------
    @property
    def takes_ticket_scope(self) -> bool:
        """Whether this stream reads an endpoint that takes support_type_scope (itself, or its parents' list)."""
        parents = self.spec.parents
        return takes_scope(self.spec.path) or (parents is not None and takes_scope(parents.path))

    @property
    def ticket_scope(self) -> str:
        """The support_type_scope this stream's requests name: a running backfill's, else the configured one."""
        return self._backfill.scope if self._backfill is not None else self.context.config.ticket_scope

    @property
    def scope_until(self) -> Optional[int]:
        return self._backfill.until if self._backfill is not None else None

    def position_epoch(self) -> Optional[int]:
        """The last second the saved state has read, or None when it does not say in time."""
        return self.saved_epoch(self.spec.state_cursor) if self.spec.state_cursor else None

    def backfill_plan(self) -> Optional[ScopeBackfill]:
        """The backfill this sync runs before its incremental read, decided once from the state it started with."""
        if "_plan" not in self.__dict__:
            self._plan = plan_backfill(self) if self.incremental and self.takes_ticket_scope else None
        return self._plan

    @contextmanager
    def backfilling(self, plan: ScopeBackfill):
        """The stream reads `plan`'s scope up to its `until`, from the backfill's own position."""
        self._outer_state, self._state, self._backfill = self._state, dict(plan.state), plan
        self.fetcher.ticket_scope = plan.scope
        try:
            yield
        finally:
            plan.state = dict(self._state)
            self._state, self._backfill, self._outer_state = self._outer_state, None, None
            self.fetcher.ticket_scope = self.context.config.ticket_scope

    def _with_deletion_markers(self, items: Iterable[Union[Mapping[str, Any], AirbyteMessage]]):
        rule, mode = self.spec.deletion_field, self.context.config.deleted_records
        assert rule is not None  # only called for a spec with a deletion_field (read_records)
        for item in items:
            if isinstance(item, AirbyteMessage):
                yield item
                continue
            record = apply_deleted_records(mode, rule, item)
            if record is not None:
                yield record

    def _printable(self, items: Iterable[Union[Mapping[str, Any], AirbyteMessage]]):
        """Each record must be one that can be written: a record nested deeper than a JSON serializer goes would
        fail when it is printed, in the main thread, ending the whole sync; here it fails only its stream."""
        for item in items:
            if not isinstance(item, AirbyteMessage):
                try:
                    orjson.dumps(item)
                except (orjson.JSONEncodeError, TypeError) as error:
                    ident = item.get("id") if isinstance(item, Mapping) else None
                    message = (
                        f"Stream {self.name}: Zendesk sent a record{f' (id {ident})' if ident is not None else ''} "
                        f"that cannot be written as JSON ({error}; a record may be nested about "
                        f"{MAX_RECORD_DEPTH} levels deep at most); the stream stops before it."
                    )
                    raise AirbyteTracedException(
                        message=message, internal_message=message, failure_type=FailureType.system_error
                    ) from None
            yield item

    # --- reading --------------------------------------------------------------------------------------
    def shared_page_groups(self) -> List[Any]:
        """The page groups (sync/page_share.py) this stream reads alongside other streams."""
        return []

    def read_pages(
        self, stream_slice: Optional[Mapping[str, Any]]
    ) -> Iterable[Union[Mapping[str, Any], AirbyteMessage]]:
        raise NotImplementedError

    def read_records(self, sync_mode=None, cursor_field=None, stream_slice=None, stream_state=None):
        try:
            items = read_in_scope(self, stream_slice)
            if self.spec.deletion_field and self.context.config.deleted_records != KEEP:
                items = self._with_deletion_markers(items)
            if self.custom_columns is not None:
                columns = self.custom_columns
                items = (item if isinstance(item, AirbyteMessage) else columns.add_to(item) for item in items)
            yield from self._printable(items)
        except FeatureUnavailable as gate:
            self.context.unavailable_streams.add(self.name)
            needs = f" (it needs {self.spec.needs})" if self.spec.needs else ""
            self.logger.warning(
                f"Stream '{self.name}' skipped: Zendesk answered HTTP {gate.status} for {self.spec.path}. "
                f"The account's plan, its enabled products or the token's role do not include this data{needs}; "
                "the rest of the sync continues."
            )
