"""Named search queries, read through /search/export: config validation, the server-side bound, errors."""

from __future__ import annotations

import pytest
from airbyte_cdk.models import FailureType
from airbyte_cdk.utils.traced_exception import AirbyteTracedException

from source_zendesk_support.config.model import parse_config
from source_zendesk_support.streams.search import search_specs

from .support import make_config, make_context, ok, param, query_of, read_streams, records_of, run_stream, url

EXPORT = url("search/export")


def search_config(*queries):
    return make_config(search_queries=list(queries))


def search_stream(config, state=None, incremental=True):
    (spec,) = search_specs(parse_config(config).search_queries)
    stream = spec.family(spec, make_context(config), incremental=incremental)
    stream.state = dict(state or {})
    return stream


def page(results, after=None, has_more=False, next_link=None):
    return ok({"results": results, "meta": {"has_more": has_more, "after_cursor": after}, "links": {"next": next_link}})


@pytest.mark.parametrize(
    "queries,fragment",
    [
        ("not a list", "'search_queries' must be a list"),
        (["vip"], "must be an object"),
        ([{"name": "Bad Name", "query": "status:open"}], "'name' must be lower-case"),
        ([{"name": "vip", "query": "  "}], "'query' is empty"),
        ([{"name": "vip", "query": "type:ticket status:open"}], "remove 'type:'"),
        ([{"name": "vip", "query": "status:open", "type": "article"}], "'type' must be one of"),
        ([{"name": "vip", "query": "a"}, {"name": "vip", "query": "b"}], "share the name"),
    ],
)
def test_bad_search_queries_are_config_errors(queries, fragment):
    with pytest.raises(AirbyteTracedException) as raised:
        parse_config(make_config(search_queries=queries))
    assert raised.value.failure_type == FailureType.config_error and fragment in raised.value.message


def test_incremental_read_bounds_the_query_server_side(api):
    config = search_config({"name": "vip", "query": "status:open tags:vip"})
    api.get(
        EXPORT,
        [
            page(
                [{"id": 1, "updated_at": "2024-03-02T00:00:00Z"}],
                after="S1",
                has_more=True,
                next_link=url("search/export?page%5Bafter%5D=S1"),
            ),
            page([{"id": 2, "updated_at": "2024-03-03T00:00:00Z"}]),
        ],
    )
    records, states, _ = run_stream(search_stream(config, state={"updated_at": "2024-03-01T00:00:00Z"}))
    first = query_of(api.request_history[0])
    assert first["query"] == ["status:open tags:vip updated>=2024-03-01T00:00:00Z"]
    assert first["filter[type]"] == ["ticket"] and first["page[size]"] == ["1000"]
    assert [r["id"] for r in records] == [1, 2]
    assert states[-1] == {"updated_at": "2024-03-03T00:00:00Z"}


def test_a_query_with_its_own_updated_bound_is_sent_as_written(api):
    config = search_config({"name": "recent", "query": "updated>2024-05-01 status:solved", "type": "ticket"})
    api.get(EXPORT, [page([])])
    run_stream(search_stream(config))
    assert query_of(api.request_history[0])["query"] == ["updated>2024-05-01 status:solved"]


def test_full_refresh_sends_the_query_unbounded(api):
    config = search_config({"name": "orgs", "query": "tags:key", "type": "organization"})
    api.get(EXPORT, [page([{"id": 1, "updated_at": "2020-01-01T00:00:00Z"}])])
    records, _, _ = run_stream(search_stream(config, state={"updated_at": "2024-03-01T00:00:00Z"}, incremental=False))
    assert query_of(api.request_history[0])["query"] == ["tags:key"]
    assert param(api.request_history[0], "filter[type]") == "organization" and len(records) == 1


def test_a_query_zendesk_refuses_is_a_config_error_naming_the_stream(api):
    config = search_config({"name": "vip", "query": "status:open"})
    api.get(EXPORT, [ok({"error": "InvalidValue", "description": "Invalid search query"}, status=400)])
    with pytest.raises(AirbyteTracedException) as raised:
        run_stream(search_stream(config))
    assert raised.value.failure_type == FailureType.config_error
    assert "search_vip" in raised.value.message and "Invalid search query" in raised.value.message


def test_search_streams_are_offered_and_read_through_the_source(api):
    config = search_config({"name": "vip", "query": "tags:vip"})
    api.get(url("ticket_fields"), [ok({"ticket_fields": [], "meta": {"has_more": False}})])
    api.get(EXPORT, [page([{"id": 7, "updated_at": "2024-03-02T00:00:00Z"}])])
    output = read_streams(["search_vip"], config=config)
    assert not output.errors and [r["id"] for r in records_of(output)] == [7]
