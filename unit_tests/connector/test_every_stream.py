"""Every offered stream, read at once against an empty account: no crash, every stream COMPLETE, a state each."""

from __future__ import annotations

import json
import re

import pytest
from airbyte_cdk.models import AirbyteStreamStatus, SyncMode
from airbyte_cdk.test.entrypoint_wrapper import discover

from source_zendesk_support.registry.table import ALL_STREAMS
from source_zendesk_support.source import SourceZendeskSupport

from .support import API, epoch, make_config, read_streams, states_of, statuses_of

START = epoch("2024-01-01T00:00:00Z")
# Zendesk always sends a page's list, empty or not: every list key a stream or its parents read.
LIST_KEYS = (
    {spec.list_key for spec in ALL_STREAMS if spec.list_key}
    | {spec.parents.list_key for spec in ALL_STREAMS if getattr(spec, "parents", None)}
    | {"results", "default", "custom"}  # the unified agent statuses: two lists, no list key
)


def empty_account(request, context):
    """An answer every Zendesk endpoint would accept as 'nothing here': empty lists, no more pages, end of stream."""
    context.headers["Content-Type"] = "application/json; charset=utf-8"
    key = request.path.rstrip("/").removesuffix(".json").split("/")[-1]
    return json.dumps(
        {
            **dict.fromkeys(LIST_KEYS, []),
            key: [],
            "meta": {"has_more": False, "after_cursor": None},
            "links": {"next": None},
            "next_page": None,
            "count": 0,
            "end_of_stream": True,
            "end_time": START,
            "after_cursor": None,
        }
    )


@pytest.mark.parametrize("sync_mode", [SyncMode.full_refresh, SyncMode.incremental])
def test_every_offered_stream_completes_on_an_empty_account(api, sync_mode):
    api.get(re.compile(re.escape(API) + ".*"), text=empty_account)
    config = make_config(num_workers=4)
    catalog = discover(SourceZendeskSupport(config=config), config).catalog.catalog
    names = [stream.name for stream in catalog.streams if sync_mode in stream.supported_sync_modes]
    assert len(names) > 30
    output = read_streams(names, config=config, sync_mode=sync_mode)
    assert not output.errors, [m.trace.error.message for m in output.errors][:3]
    for name in names:
        assert statuses_of(output, name)[-1] == AirbyteStreamStatus.COMPLETE, name
        assert states_of(output, name), f"{name}: no state"
