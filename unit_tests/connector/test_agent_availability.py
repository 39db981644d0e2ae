"""The agent availability streams: JSON:API pages (the next page only in links.next, meta with has_more alone) read
by the cursor-page walker, each agent's channels and work items taken from the compound document's `included`,
the default and custom unified statuses told apart, and an account without omnichannel routing skipped."""

from __future__ import annotations

import logging

import requests
from airbyte_cdk.models import AirbyteStreamStatus

from source_zendesk_support.http.answer import ApiAnswer
from source_zendesk_support.paging.lists import CursorPagesWalker

from .support import make_config, make_stream, ok, param, read_streams, records_of, run_stream, statuses_of, url
from .support import warnings_of

AVAILABILITIES = url("agent_availabilities")
STATUSES = url("agent_availabilities/agent_statuses")
NEXT = AVAILABILITIES + "?page%5Bafter%5D=opaque-2&page%5Bsize%5D=100"


def availability(agent_id: int, channels: list[str]) -> dict:
    own = f"agent_availabilities|{agent_id}"
    return {
        "id": own,
        "type": "agent_availabilities",
        "attributes": {
            "agent_id": agent_id,
            "agent_status": {"id": 3, "name": "online", "reason": "UNKNOWN", "updated_at": "2026-10-31T10:23:25.5Z"},
            "group_ids": [1],
            "skills": [{"id": "1ae11c11-9993-49f8-9850-c2dc096badd1"}],
            "version": 236,
        },
        "links": {"self": f"https://acme.zendesk.com/api/v2/agent_availabilities/{agent_id}"},
        "relationships": {
            "channels": {"data": [{"id": f"{own}|channels|{name}", "type": "channels"} for name in channels]}
        },
    }


def channel(agent_id: int, name: str, work_items: list[int]) -> list[dict]:
    own = f"agent_availabilities|{agent_id}|channels|{name}"
    items = [
        {
            "id": f"{own}|work_items|{n}",
            "type": "work_items",
            "attributes": {"added_at": "2026-10-31T10:20:44.798006Z", "reason": "ASSIGNED"},
        }
        for n in work_items
    ]
    resource = {
        "id": own,
        "type": "channels",
        "attributes": {"name": name, "status": "online", "max_capacity": 3, "work_item_count": len(work_items)},
        "relationships": {
            "work_items": {
                "data": [{"id": item["id"], "type": "work_items"} for item in items],
                "links": {"next": None},
                "meta": {"has_more": False},
            }
        },
    }
    return [resource, *items]


def page(data: list[dict], included: list[dict], next_url: str | None) -> dict:
    return {
        "data": data,
        "included": included,
        "links": {"next": next_url, "prev": None},
        "meta": {"has_more": next_url is not None},
    }


FIRST = page(
    [availability(10011, ["messaging", "talk"]), availability(10012, [])],
    channel(10011, "messaging", [201, 202]) + channel(10011, "talk", []),
    NEXT,
)
SECOND = page([availability(10013, ["support"])], channel(10013, "support", [301]), None)


class Walker:
    name = "agent_availabilities"
    logger = logging.getLogger("test")

    def fail(self, answer, what):
        raise AssertionError(what)


def test_the_cursor_page_walker_follows_links_next_while_has_more_without_an_after_cursor(api):
    api.get(AVAILABILITIES, [ok(FIRST), ok(SECOND)])

    def fetch(path_or_url, params):
        response = requests.get(path_or_url if "://" in path_or_url else url(path_or_url), params=params)
        return ApiAnswer(response.status_code, response.json(), response.headers)

    walker = CursorPagesWalker(Walker(), fetch, "agent_availabilities", lambda after: {"page[size]": 100})
    pages = list(walker.pages())
    assert [len(p.body["data"]) for p in pages] == [2, 1]
    assert [p.more for p in pages] == [True, False]
    assert [p.position for p in pages] == [{}, {}]  # JSON:API's meta names no cursor: nothing to resume from
    assert api.request_history[1].url == NEXT


def test_each_agent_is_one_record_with_its_attributes_as_columns_and_its_channels_nested(api):
    api.get(AVAILABILITIES, [ok(FIRST), ok(SECOND)])
    records, _, _ = run_stream(make_stream("agent_availabilities", incremental=False))
    assert [r["agent_id"] for r in records] == [10011, 10012, 10013]
    first = records[0]
    assert first["agent_status"]["name"] == "online" and first["version"] == 236 and first["group_ids"] == [1]
    assert "attributes" not in first and "relationships" not in first
    assert [c["name"] for c in first["channels"]] == ["messaging", "talk"]
    assert [w["id"].rsplit("|", 1)[1] for w in first["channels"][0]["work_items"]] == ["201", "202"]
    assert first["channels"][0]["work_items"][0]["reason"] == "ASSIGNED"
    assert records[1]["channels"] == []
    assert [w["id"].rsplit("|", 1)[1] for w in records[2]["channels"][0]["work_items"]] == ["301"]
    assert param(api.request_history[0], "page[size]") == "100"


def test_a_channel_the_document_does_not_include_is_left_out(api):
    body = page([availability(10011, ["messaging", "talk"])], channel(10011, "talk", []), None)
    api.get(AVAILABILITIES, [ok(body)])
    records, _, _ = run_stream(make_stream("agent_availabilities", incremental=False))
    assert [c["name"] for c in records[0]["channels"]] == ["talk"]


def test_an_availability_without_an_agent_id_fails_the_stream_by_name(api):
    broken = availability(10011, [])
    del broken["attributes"]["agent_id"]
    api.get(AVAILABILITIES, [ok(page([broken], [], None))])
    output = read_streams(["agent_availabilities"], config=make_config())
    assert statuses_of(output, "agent_availabilities")[-1] == AirbyteStreamStatus.INCOMPLETE
    assert "without an agent_id" in output.errors[0].trace.error.message


STATUS_LISTS = {
    "default": [
        {"id": 2, "type": "agent_status", "attributes": {"name": "offline", "description": "Can't receive work"}},
        {"id": 3, "type": "agent_status", "attributes": {"name": "online", "description": "Can receive work"}},
    ],
    "custom": [
        {
            "id": 123,
            "type": "agent_status",
            "attributes": {
                "name": "In a meeting",
                "description": "Temporarily unavailable but accepting emails",
                "channels": {"messaging": "away", "support": "online", "talk": "away"},
                "group_ids": [123456],
            },
            "updated_at": "2021-07-21T17:32:28Z",
        }
    ],
}


def test_unified_statuses_are_one_record_each_with_their_kind(api):
    api.get(STATUSES, [ok({**STATUS_LISTS, "links": {"next": None, "prev": None}, "meta": {"has_more": False}})])
    records, _, _ = run_stream(make_stream("unified_agent_statuses", incremental=False))
    assert [(r["id"], r["kind"]) for r in records] == [(2, "default"), (3, "default"), (123, "custom")]
    custom = records[2]
    assert custom["name"] == "In a meeting" and custom["channels"]["support"] == "online"
    assert custom["updated_at"] == "2021-07-21T17:32:28Z" and "updated_at" not in records[0]


def test_unified_statuses_inside_a_json_api_data_object_are_read_the_same_way(api):
    api.get(STATUSES, [ok({"data": STATUS_LISTS, "links": {"next": None}, "meta": {"has_more": False}})])
    records, _, _ = run_stream(make_stream("unified_agent_statuses", incremental=False))
    assert [r["id"] for r in records] == [2, 3, 123]


def test_an_answer_without_either_list_fails_the_stream_by_name(api):
    api.get(STATUSES, [ok({"statuses": [], "meta": {"has_more": False}})])
    output = read_streams(["unified_agent_statuses"], config=make_config())
    assert statuses_of(output, "unified_agent_statuses")[-1] == AirbyteStreamStatus.INCOMPLETE
    assert "neither 'default' nor 'custom'" in output.errors[0].trace.error.message


def test_an_account_without_omnichannel_routing_skips_both_streams_with_a_warning(api):
    forbidden = ok({"error": "Forbidden", "description": "You do not have access to this page."}, status=403)
    api.get(AVAILABILITIES, [forbidden])
    api.get(STATUSES, [ok({"error": "InvalidEndpoint", "description": "Not found"}, status=404)])
    output = read_streams(["agent_availabilities", "unified_agent_statuses"])
    assert not output.errors
    for gated in ("agent_availabilities", "unified_agent_statuses"):
        assert statuses_of(output, gated)[-1] == AirbyteStreamStatus.INCOMPLETE
        assert not records_of(output, gated)
        warnings = [w for w in warnings_of(output) if f"Stream '{gated}' skipped" in w]
        assert len(warnings) == 1 and "omnichannel routing" in warnings[0]
