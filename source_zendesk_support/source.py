"""The Airbyte source: spec, check, discover and read over every Zendesk Support stream, read concurrently."""

from __future__ import annotations

import logging
from collections import Counter
from queue import Queue
from typing import Any, Dict, Iterator, List, Mapping, MutableMapping, Optional, Tuple

import requests
from airbyte_cdk.models import (
    FailureType,
    AirbyteConnectionStatus,
    AirbyteLogMessage,
    Level,
    AirbyteMessage,
    AirbyteStateMessage,
    AirbyteStreamStatus,
    ConfiguredAirbyteCatalog,
    Status,
    SyncMode,
    TraceType,
    Type,
)
from airbyte_cdk.config_observation import emit_configuration_as_airbyte_control_message
from airbyte_cdk.sources.concurrent_source.concurrent_source import ConcurrentSource
from airbyte_cdk.sources.concurrent_source.concurrent_source_adapter import ConcurrentSourceAdapter
from airbyte_cdk.sources.connector_state_manager import ConnectorStateManager
from airbyte_cdk.sources.message import InMemoryMessageRepository, MessageRepository
from airbyte_cdk.sources.message.concurrent_repository import ConcurrentMessageRepository
from airbyte_cdk.sources.streams import Stream
from airbyte_cdk.sources.streams.concurrent.adapters import StreamFacade
from airbyte_cdk.sources.streams.concurrent.cursor import Cursor, FinalStateCursor
from airbyte_cdk.sources.streams.http.exceptions import BaseBackoffException
from airbyte_cdk.sources.utils.slice_logger import DebugSliceLogger
from airbyte_cdk.utils.traced_exception import AirbyteTracedException

from .config.model import DEFAULT_NUM_WORKERS, ZendeskConfig, parse_config
from .http.auth import build_authenticator, build_chat_authenticator
from .http.answer import FeatureUnavailable
from .http.error_policy import REFUSED_CREDENTIALS
from .http.rate_budget import ZendeskRateBudget
from .foundation.log_policy import describe_body
from .records.custom_fields import CUSTOM_FIELD_SOURCES, CustomFieldColumns, parse_definitions
from .records.custom_objects import CustomObjectColumns
from .registry.table import ALL_STREAMS
from .streams.base import ZendeskStream
from .streams.custom_objects import (
    STREAM_PREFIX,
    CustomObjectCatalog,
    CustomObjectRecordsStream,
    offered_object_specs,
    records_spec,
)
from .streams.probe import AccountProbe
from .streams.search import search_specs
from .sync.checkpoint_cursor import StreamCheckpointCursor
from .sync.context import SyncContext
from .streams.spec import StreamSpec
from .config.migration import migrate_config, needs_migration
from .input_files import read_config_file, read_state_file
from .state.migration import migrate_states

logger = logging.getLogger("airbyte")
# Records waiting for the main thread to print them. Each holds a whole Zendesk object (a ticket is ~10 KB in
# memory), so the CDK's default of 10,000 would cost ~100 MB; this bound keeps workers a few pages ahead.
RECORD_QUEUE_SIZE = 2_000


class SourceZendeskSupport(ConcurrentSourceAdapter):
    # parse_config validates against spec.json itself, after the checks that give better advice than jsonschema
    # (a password config says what to use instead) and without quoting a secret value.
    check_config_against_spec = False

    def __init__(self, config: Optional[ZendeskConfig] = None, catalog: Any = None, state: Any = None, **_: Any):
        """`config` is the parsed config when the caller has one (run.py does): the command then uses it and reads
        and parses nothing again, and it sizes the worker pool. Without one (in-process callers) each command parses
        the config it is given, and the pool has the default size."""
        self._config = config if isinstance(config, ZendeskConfig) else None
        workers = self._config.num_workers if self._config else DEFAULT_NUM_WORKERS
        self._queue: Queue = Queue(maxsize=RECORD_QUEUE_SIZE)
        self._message_repository = ConcurrentMessageRepository(self._queue, InMemoryMessageRepository())
        # One thread generates partitions (cheap: one per stream), the others read pages.
        concurrent_source = ConcurrentSource.create(
            workers + 1 if workers > 1 else 1,
            1,
            logger,
            DebugSliceLogger(),
            self._message_repository,
            queue=self._queue,
        )
        super().__init__(concurrent_source)
        self._sync_modes: Dict[str, SyncMode] = {}
        self._state_manager = ConnectorStateManager()
        self._context: Optional[SyncContext] = None
        self._object_specs: Optional[Tuple[SyncContext, List[StreamSpec]]] = None  # listed once per context

    # --- config and state files --------------------------------------------------------------------------
    # An instance method, unlike the CDK's static one: it returns the config this source already holds, if any.
    def read_config(self, config_path: str) -> MutableMapping[str, Any]:  # type: ignore[override]
        return self._config.stored if self._config else read_config_file(config_path)

    @classmethod
    def read_state(cls, state_path: str) -> List[AirbyteStateMessage]:
        return read_state_file(state_path)

    def configure(self, config: Mapping[str, Any], temp_dir: str) -> Mapping[str, Any]:
        """A config saved for Airbyte's connector (or an earlier version of this one) is rewritten into this
        connector's shape and handed to the platform once, as a CONTROL message; later runs find it migrated."""
        if self._config is not None:
            if not self._config.migrated:
                return config
            migrated = self._config.stored
        else:
            if not needs_migration(config):
                return config
            migrated = migrate_config(config)
            try:
                parse_config(migrated)
            except AirbyteTracedException:
                return migrated  # not saved: the command reports what is wrong, and the user's fix is migrated then
        logger.info(
            "The config was saved in an earlier connector's shape; it is migrated and handed back to the platform."
        )
        emit_configuration_as_airbyte_control_message(migrated)
        return migrated

    @property
    def message_repository(self) -> MessageRepository:
        return self._message_repository

    # --- context shared by all streams of a run --------------------------------------------------------
    def _build_context(self, config: Mapping[str, Any]) -> SyncContext:
        parsed = self._config or parse_config(config)
        if parsed.ignore_pagination:
            logger.warning(
                "'ignore_pagination' is accepted for compatibility with Airbyte's connector "
                "and has no effect: every page is read."
            )
        return SyncContext(
            config=parsed,
            authenticator=build_authenticator(parsed),
            budget=ZendeskRateBudget(max_wait_seconds=parsed.max_wait_seconds),
            chat_authenticator=build_chat_authenticator(parsed),
            search_streams=search_specs(parsed.search_queries),
            custom_objects=CustomObjectCatalog(),
        )

    def streams(self, config: Mapping[str, Any]) -> List[Stream]:
        if self._context is None:
            self._context = self._build_context(config)
        context = self._context
        facades: List[Stream] = []
        if not context.chat_authenticator:
            logger.info(
                "Chat streams are not offered: Zendesk Chat needs its own OAuth token; "
                "add chat_credentials.access_token to the config."
            )
        for spec in self._offered_specs(context):
            incremental = self._sync_modes.get(spec.name, SyncMode.incremental) == SyncMode.incremental
            stream: ZendeskStream = spec.family(spec, context, incremental=incremental)
            if spec.name in CUSTOM_FIELD_SOURCES and self._wants(spec.name) and context.config.custom_field_columns:
                stream.custom_columns = self._custom_columns(context, spec.name)
            if isinstance(stream, CustomObjectRecordsStream):
                assert context.custom_objects is not None  # _build_context lists them
                stream.custom_columns = CustomObjectColumns(
                    context.custom_objects.fields(stream, spec.name[len(STREAM_PREFIX) :]) or []
                )
            if incremental and spec.cursor_field:
                stream.state = self._state_manager.get_stream_state(spec.name, None) or {}
                cursor: Cursor = StreamCheckpointCursor(stream, self._message_repository)
            else:
                cursor = FinalStateCursor(spec.name, None, self._message_repository)
            if spec.name in self._sync_modes:
                for group in stream.shared_page_groups():
                    context.page_share.register(group)
            facades.append(StreamFacade.create_from_stream(stream, self, logger, stream.state, cursor))
        return facades

    def _offered_specs(self, context: SyncContext) -> List[StreamSpec]:
        built_in = [spec for spec in ALL_STREAMS if spec.product != "chat" or context.chat_authenticator]
        return built_in + context.search_streams + self._custom_object_specs(context, built_in + context.search_streams)

    def _custom_object_specs(self, context: SyncContext, fixed: List[StreamSpec]) -> List[StreamSpec]:
        """One stream per custom object the account has, whose fields can be read (discover), or per one the catalog
        names (read). A named object the account no longer has gets a stream that ends with a warning."""
        if self._object_specs is not None and self._object_specs[0] is context:
            return self._object_specs[1]
        taken = {spec.name for spec in fixed}
        named = [name for name in self._sync_modes if name.startswith(STREAM_PREFIX) and name not in taken]
        specs: List[StreamSpec] = []
        if not self._sync_modes or named:
            lister_spec = next(spec for spec in ALL_STREAMS if spec.name == "custom_objects")
            lister = lister_spec.family(lister_spec, context, incremental=False)
            assert context.custom_objects is not None  # _build_context lists them
            found = [
                spec
                for spec in offered_object_specs(lister, taken)
                if self._wants(spec.name)
                and context.custom_objects.fields(lister, spec.name[len(STREAM_PREFIX) :]) is not None
            ]
            found_names = {spec.name for spec in found}
            specs = found + [
                records_spec(name[len(STREAM_PREFIX) :], removed=True) for name in named if name not in found_names
            ]
        self._object_specs = (context, specs)
        return specs

    def _report_unknown_streams(self, offered: Mapping[str, StreamSpec]) -> None:
        """Each stream of the catalog that this connector does not offer is named (it ends INCOMPLETE); the rest
        of the sync carries on."""
        for name in self._sync_modes:
            if name in offered:
                continue
            spec = next((spec for spec in ALL_STREAMS if spec.name == name), None)
            close = next((known for known in offered if known.lower() == name.lower()), None)
            if spec is not None and spec.product == "chat":
                hint = "it is a Chat stream: add chat_credentials.access_token to the config"
            elif close:
                hint = f"did you mean '{close}'? Refresh the source schema in Airbyte"
            else:
                hint = "refresh the source schema in Airbyte, or remove it from the connection"
            logger.warning(
                f"The configured catalog names stream '{name}', which this connector does not offer: {hint}."
            )

    def _wants(self, name: str) -> bool:
        """During discover every stream is wanted; during read only the configured ones."""
        return not self._sync_modes or name in self._sync_modes

    def _custom_columns(self, context: SyncContext, stream_name: str) -> Optional[CustomFieldColumns]:
        definitions_stream, values_key = CUSTOM_FIELD_SOURCES[stream_name]
        spec = next(spec for spec in ALL_STREAMS if spec.name == definitions_stream)
        reader = spec.family(spec, context, incremental=False)
        # The typed columns are a convenience, the raw values are always there: a failed lookup leaves them out.
        left_out = f"the typed custom-field columns of {stream_name} are left out (its raw custom values stay)"
        try:
            definitions = [item for item in reader.read_records() if isinstance(item, Mapping)]
        except AirbyteTracedException as error:
            logger.warning(f"Could not read {definitions_stream}: {_lookup_problem(error)}; {left_out}.")
            return None
        except requests.exceptions.RequestException as error:  # the OAuth token endpoint, outside the page's retries
            logger.warning(f"Could not read {definitions_stream}: {_request_problem(error)}; {left_out}.")
            return None
        except Exception as error:  # none of Zendesk's answers above: a fault of the connector, named as such
            logger.warning(
                f"Could not read {definitions_stream}: an unexpected {type(error).__name__} ({error}); {left_out}."
            )
            return None
        if definitions_stream in context.unavailable_streams:  # plan-gated: read_records said which answer
            context.unavailable_streams.discard(definitions_stream)
            logger.warning(f"Zendesk does not let this account read {definitions_stream}; {left_out}.")
            return None
        context.listed[definitions_stream] = definitions  # the definitions stream itself reads these, not Zendesk again
        return CustomFieldColumns(parse_definitions(definitions, for_tickets=stream_name == "tickets"), values_key)

    # --- read ---------------------------------------------------------------------------------------------
    def read(
        self,
        logger: logging.Logger,
        config: Mapping[str, Any],
        catalog: ConfiguredAirbyteCatalog,
        state: Optional[List[AirbyteStateMessage]] = None,
    ) -> Iterator[AirbyteMessage]:
        self._sync_modes = {configured.stream.name: configured.sync_mode for configured in catalog.streams}
        self._context = None
        self._context = self._build_context(
            config
        )  # a bad config fails here, as a config_error, before any stream starts
        offered = {spec.name: spec for spec in self._offered_specs(self._context)}
        self._report_unknown_streams(offered)
        # Airbyte's formats become ours, once, before any stream reads; states of streams not synced are left alone.
        state = migrate_states(state or [], {name: spec for name, spec in offered.items() if name in self._sync_modes})
        self._state_manager = ConnectorStateManager(state=state)
        records: Counter = Counter()
        failure_types = set()
        failure: Optional[BaseException] = None
        try:
            for message in super().read(logger, config, catalog, state):
                if message.type == Type.RECORD:
                    assert message.record is not None  # a RECORD message carries its record
                    records[message.record.stream] += 1
                elif message.type == Type.TRACE and message.trace is not None and message.trace.type == TraceType.ERROR:
                    assert message.trace.error is not None  # an ERROR trace carries its error
                    failure_types.add(message.trace.error.failure_type)
                yield self._mark_skipped_incomplete(message)
        except AirbyteTracedException as summary:
            # The CDK ends a sync whose streams failed with one summary error, typed config_error "as not
            # actionable". It is typed as the streams' own errors instead: a sync whose every failure was
            # transient (a wait Zendesk asked for, a host down) is worth retrying, and the platform reads that here.
            if (
                failure_types
                and summary.failure_type == FailureType.config_error
                and FailureType.config_error not in failure_types
            ):
                summary.failure_type = (
                    FailureType.system_error
                    if FailureType.system_error in failure_types
                    else FailureType.transient_error
                )
            failure = summary
        except Exception as error:  # the summary is said for a failed read too, then the failure goes on
            failure = error
        for line in self._context.tally.summary_lines(self._sync_modes, records):
            yield AirbyteMessage(type=Type.LOG, log=AirbyteLogMessage(level=Level.INFO, message=line))
        if failure is not None:
            raise failure

    def _mark_skipped_incomplete(self, message: AirbyteMessage) -> AirbyteMessage:
        """A stream skipped for a plan gate ends INCOMPLETE, while the rest of the sync carries on."""
        if (
            message.type == Type.TRACE
            and message.trace is not None
            and message.trace.type == TraceType.STREAM_STATUS
            and message.trace.stream_status is not None
            and message.trace.stream_status.status == AirbyteStreamStatus.COMPLETE
            and self._context is not None
            and message.trace.stream_status.stream_descriptor.name in self._context.unavailable_streams
        ):
            message.trace.stream_status.status = AirbyteStreamStatus.INCOMPLETE
        return message

    # --- check --------------------------------------------------------------------------------------------
    def check(self, logger: logging.Logger, config: Mapping[str, Any]) -> AirbyteConnectionStatus:
        ok, message = self.check_connection(logger, config)
        return AirbyteConnectionStatus(
            status=Status.SUCCEEDED if ok else Status.FAILED, message=None if ok else message
        )

    def check_connection(self, logger: logging.Logger, config: Mapping[str, Any]) -> Tuple[bool, Optional[str]]:
        try:
            context = self._build_context(config)
        except AirbyteTracedException as error:
            return False, error.message
        return check_account(context)


def _lookup_problem(error: AirbyteTracedException) -> str:
    """What went wrong, by kind, for a lookup whose failure only leaves out a convenience."""
    if error.failure_type == FailureType.config_error:
        return f"Zendesk refused the credentials ({error.message})"
    if isinstance(error.__context__, BaseBackoffException):  # the CDK raises this when the retries ran out
        return f"Zendesk did not answer in time ({error.message}); the next discover or sync asks again"
    return f"Zendesk's answer could not be used ({error.message})"


def _request_problem(error: requests.exceptions.RequestException) -> str:
    response = getattr(error, "response", None)
    if response is not None:
        return f"Zendesk refused the OAuth client or refresh token (HTTP {response.status_code} from /oauth/tokens)"
    return f"Zendesk could not be reached ({type(error).__name__}); the next discover or sync asks again"


def _refused_search_query(probe: AccountProbe, context: SyncContext) -> Optional[str]:
    """Each named search query is tried once (search/count) so a typo fails check, not the first sync."""
    for spec in context.search_streams:
        query, kind = spec.params["query"], spec.params["filter[type]"]
        answer = probe.fetch("search/count.json", {"query": f"type:{kind} {query}"})
        if answer.status in (400, 422):
            body = answer.body
            detail = (body.get("description") if isinstance(body, Mapping) else None) or describe_body(body)
            return (
                f"Zendesk refused the search query of stream {spec.name} ({query!r}): {detail}. "
                "Fix it in 'search_queries'."
            )
    return None


def _unanswered(error: AirbyteTracedException, last: Any, config: ZendeskConfig) -> str:
    """What check says when the retries ran out: the last answer, or the network failure, names the cause."""
    host = config.base_url
    if isinstance(last, requests.exceptions.ConnectionError):
        return f"Could not reach {host}. Check the subdomain '{config.subdomain}' and the network path to Zendesk."
    if isinstance(last, requests.exceptions.Timeout):
        return f"{host} did not answer within the timeout. Zendesk may be unavailable; try again later."
    if isinstance(last, requests.Response) and 200 <= last.status_code < 300:
        return f"{host} did not answer like a Zendesk account (no JSON). Check the subdomain and base URL."
    if isinstance(last, requests.Response):
        return (
            f"Zendesk answered HTTP {last.status_code} at {host} "
            f"({len(last.content)} bytes of {last.headers.get('Content-Type') or 'no declared type'})"
        )
    return error.message or str(error)


def check_account(context: SyncContext) -> Tuple[bool, Optional[str]]:
    config: ZendeskConfig = context.config
    host = config.base_url
    probe = AccountProbe(context)
    try:
        answer = probe.fetch("users/me.json")
        refused = _refused_search_query(probe, context) if isinstance(answer.body, Mapping) and answer.ok else None
    except FeatureUnavailable as gate:
        if gate.status == 404:
            return False, f"No Zendesk account answers at {host} (HTTP 404). Check the subdomain '{config.subdomain}'."
        return (
            False,
            "The credentials are valid but lack permission to read this account (HTTP 403). "
            "Use an admin's token or an OAuth client with the 'read' scope.",
        )
    except requests.exceptions.HTTPError as error:  # the token endpoint's own refusal
        status = error.response.status_code if error.response is not None else "?"
        return (
            False,
            f"Zendesk refused the OAuth client or refresh token (HTTP {status} from /oauth/tokens). "
            "Re-authorize OAuth.",
        )
    except AirbyteTracedException as error:
        if isinstance(error.__context__, BaseBackoffException):  # the CDK raises this when the retries ran out
            return False, _unanswered(error, probe.last_failure, config)
        if (error.message or "").startswith(REFUSED_CREDENTIALS) or error.failure_type != FailureType.config_error:
            return False, error.message
        return False, f"Zendesk refused the OAuth client or refresh token: {error.message}"  # refused while refreshing
    if not answer.ok:
        return False, f"Zendesk answered HTTP {answer.status} at {host}: {describe_body(answer.body)}"
    user = (answer.body.get("user") if isinstance(answer.body, Mapping) else None) or {}
    if not isinstance(user, Mapping) or not user.get("id"):
        return (
            False,
            "Zendesk treated the request as anonymous: the credentials were not accepted. "
            "Check the email and API token.",
        )
    if refused:
        return False, refused
    if user.get("role") != "admin":
        return False, (
            f"The user {user.get('email') or user.get('id')} is an {user.get('role')}; "
            "Zendesk's incremental exports, audits and audit logs need an admin. Use an admin's credentials."
        )
    return True, None
