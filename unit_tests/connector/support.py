"""Helpers shared by the connector's unit tests: configs, canned Zendesk answers and a one-call read.

Everything talks to a loopback base URL that requests-mock intercepts, so no test can reach a real host.
"""

from __future__ import annotations

import json
import re
from typing import Any, Dict, Iterable, List, Mapping, Optional

from airbyte_cdk.models import AirbyteMessage, AirbyteStreamStatus, SyncMode, TraceType, Type
from airbyte_cdk.test.catalog_builder import CatalogBuilder
from airbyte_cdk.test.entrypoint_wrapper import EntrypointOutput, read
from airbyte_cdk.test.state_builder import StateBuilder

from source_zendesk_support.http.rate_budget import ZendeskRateBudget
from source_zendesk_support.registry.table import ALL_STREAMS
from source_zendesk_support.source import SourceZendeskSupport
from source_zendesk_support.sync.context import SyncContext

BASE = "http://127.0.0.1:8765"
API = f"{BASE}/api/v2/"
EMAIL = "admin@acme.example"
# Distinctive, so a test can assert it never leaks into any emitted message.
API_TOKEN = "zd-SECRET-token-9f3c1e77"
JSON = {"Content-Type": "application/json; charset=utf-8"}
SPECS = {spec.name: spec for spec in ALL_STREAMS}
# What the state of a stream over the ticket endpoints says once it covers every ticket (tickets_handled_by all),
# as this connector saves it; a state without it predates the option and gets a backfill of AI-agent tickets.
ALL = {"support_type_scope": "all"}


def make_config(**overrides: Any) -> Dict[str, Any]:
    config: Dict[str, Any] = {
        "subdomain": "acme",
        "base_url": BASE,
        "start_date": "2024-01-01T00:00:00Z",
        "credentials": {"auth_type": "api_token", "email": EMAIL, "api_token": API_TOKEN},
        "num_workers": 2,
    }
    for key, value in overrides.items():
        if value is None:
            config.pop(key, None)
        else:
            config[key] = value
    return config


def ok(body: Any, status: int = 200, headers: Optional[Mapping[str, str]] = None) -> Dict[str, Any]:
    """One requests-mock response carrying JSON the way Zendesk sends it."""
    return {"text": json.dumps(body), "status_code": status, "headers": {**JSON, **(headers or {})}}


def raw(text: str, status: int = 200, headers: Optional[Mapping[str, str]] = None) -> Dict[str, Any]:
    return {"text": text, "status_code": status, "headers": dict(headers or {})}


def url(path: str) -> str:
    return API + path


def read_streams(
    names: Iterable[str],
    config: Optional[Mapping[str, Any]] = None,
    state: Optional[Mapping[str, Mapping[str, Any]]] = None,
    sync_mode: SyncMode = SyncMode.incremental,
    expect_failure: bool = False,
) -> EntrypointOutput:
    config = dict(config or make_config())
    catalog = CatalogBuilder()
    for name in names:
        catalog = catalog.with_stream(name, sync_mode)
    state_messages = None
    if state is not None:
        builder = StateBuilder()
        for name, value in state.items():
            builder = builder.with_stream_state(name, dict(value))
        state_messages = builder.build()
    return read(
        SourceZendeskSupport(config=config), config, catalog.build(), state_messages, expecting_exception=expect_failure
    )


def records_of(output: EntrypointOutput, stream: Optional[str] = None) -> List[Dict[str, Any]]:
    return [m.record.data for m in output.records if stream is None or m.record.stream == stream]


def states_of(output: EntrypointOutput, stream: Optional[str] = None) -> List[Dict[str, Any]]:
    return [
        dict(m.state.stream.stream_state.__dict__)
        for m in output.state_messages
        if stream is None or m.state.stream.stream_descriptor.name == stream
    ]


def statuses_of(output: EntrypointOutput, stream: str) -> List[AirbyteStreamStatus]:
    return list(output.get_stream_statuses(stream))


def ordered(output: EntrypointOutput) -> List[AirbyteMessage]:
    """Records and states in emission order."""
    return [m for m in output.records_and_state_messages]


def estimates_of(output: EntrypointOutput) -> List[Any]:
    return [m.trace.estimate for m in output.trace_messages if m.trace.type == TraceType.ESTIMATE]


def warnings_of(output: EntrypointOutput) -> List[str]:
    return [m.log.message for m in output.logs if m.log.level.value == "WARN"]


# --- driving one stream directly, without the concurrent framework (fast, for property tests) -------------
def make_context(config: Optional[Mapping[str, Any]] = None, budget: Optional[ZendeskRateBudget] = None) -> SyncContext:
    """The context the source itself builds for a sync (so helpers never drift from it), with a roomy budget."""
    context = SourceZendeskSupport()._build_context(dict(config or make_config()))
    context.budget = budget or ZendeskRateBudget(account_limit=100_000, export_limit=100_000)
    return context


def make_stream(
    name: str,
    config: Optional[Mapping[str, Any]] = None,
    state: Optional[Mapping[str, Any]] = None,
    incremental: bool = True,
    context: Optional[SyncContext] = None,
):
    spec = SPECS[name]
    stream = spec.family(spec, context or make_context(config), incremental=incremental)
    stream.state = dict(state or {})
    return stream


def run_stream(stream) -> tuple[List[Any], List[Dict[str, Any]], List[Any]]:
    """Read a stream the way the source does; return (records, states, ordered items) with states as dicts."""
    records, states, items = [], [], []
    for item in stream.read_records():
        if isinstance(item, AirbyteMessage):
            if item.type == Type.STATE:
                value = dict(item.state.stream.stream_state.__dict__)
                states.append(value)
                items.append(("STATE", value))
            else:
                items.append(("TRACE", item))
        else:
            records.append(dict(item))
            items.append(("RECORD", dict(item)))
    return records, states, items


def query_of(request) -> Dict[str, List[str]]:
    """The query of a recorded request, exactly as sent (requests-mock's own `qs` lower-cases values)."""
    from urllib.parse import parse_qs, urlparse

    return parse_qs(urlparse(request.url).query, keep_blank_values=True)


def param(request, name: str) -> Optional[str]:
    values = query_of(request).get(name)
    return values[0] if values else None


def epoch(iso: str) -> int:
    from source_zendesk_support.foundation.clock import to_epoch

    return to_epoch(iso)


COUNT_ENDPOINT = re.compile(r"/api/v2/[a-z_]+(/[a-z_]+/records)?/count(\.json)?(\?|$)|[?&]per_page=1(&|$)")


def without_counts(mocker) -> None:
    """Zendesk's counts for row estimates (count endpoints, and a list's offset page of one) answer as on a plan
    without them, unless a test registers one."""
    mocker.get(COUNT_ENDPOINT, status_code=404, json={"error": "InvalidEndpoint"})


def without_custom_objects(mocker) -> None:
    """The account has no custom objects (discover lists them), unless a test registers some."""
    mocker.get(url("custom_objects"), **ok({"custom_objects": []}))


def no_offset_count(mocker, path: str) -> None:
    """A list's offset page of one (asked for its row estimate once a second page follows) answers as on a plan
    without it; registered after the list's own answers, so it wins over them for that request only."""
    mocker.get(url(f"{path}?per_page=1"), status_code=404, json={"error": "InvalidEndpoint"})


def data_requests(mocker) -> List[Any]:
    """The requests a test made for data, without the count endpoints asked for row estimates."""
    return [request for request in mocker.request_history if not COUNT_ENDPOINT.search(request.url)]
