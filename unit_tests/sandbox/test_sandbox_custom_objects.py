"""The sandbox's custom objects, checked against Zendesk's documentation: definitions, fields, records and their
count, and the records' incremental export (cursor semantics, placeholders of deleted records, 30-day window, its
own 10-a-minute limit). Responses are validated against Zendesk's OpenAPI description where it is there."""

from __future__ import annotations

import time

import jsonschema
import pytest
import requests
import yaml

from sandbox_client import Client, check, distinct_ids
from sandbox_fixture import running_sandbox

pytestmark = pytest.mark.process  # starts the sandbox or the entrypoint, or opens a socket

EXPORT = "/api/v2/incremental/custom_objects/{key}/cursor"
PLACEHOLDER = "[DELETED]"
FIELD_TYPES = {
    "text",
    "textarea",
    "regexp",
    "integer",
    "decimal",
    "checkbox",
    "date",
    "dropdown",
    "multiselect",
    "lookup",
}


@pytest.fixture(scope="module")
def client():
    with running_sandbox(
        "--tickets",
        "60",
        "--seed",
        "5",
        "--rate-limit",
        "0",
        "--export-rate-limit",
        "0",
        "--holdback",
        "2",
        "--time-scale",
        "60",
    ) as info:
        yield Client(info)


def walk_export(client, key, params=None):
    records, pages, url, query = [], [], EXPORT.format(key=key), {"start_time": 0, **(params or {})}
    for _ in range(1000):
        body = client.json(url, query)
        records.extend(body["custom_object_records"])
        pages.append(body)
        if not body["meta"]["has_more"]:
            return records, pages
        assert body["after_url"]
        url, query = EXPORT.format(key=key), {"cursor": body["after_cursor"], **(params or {})}
    raise AssertionError("export did not end")


def test_objects_between_them_have_every_field_type(client):
    objects = client.json("/api/v2/custom_objects")["custom_objects"]
    assert len(objects) >= 2
    types = set()
    for definition in objects:
        assert client.json(f"/api/v2/custom_objects/{definition['key']}")["custom_object"]["key"] == definition["key"]
        fields = client.walk_cursor(f"/api/v2/custom_objects/{definition['key']}/fields", "custom_object_fields")
        types |= {field["type"] for field in fields}
        check("custom_object_fields", fields)
    assert FIELD_TYPES <= types
    check("custom_objects", objects)
    client.get("/api/v2/custom_objects/nope", expect=404)


def test_records_list_and_count_show_live_records(client):
    for key in ("asset", "contract"):
        listed = client.walk_cursor(f"/api/v2/custom_objects/{key}/records", "custom_object_records")
        count = client.json(f"/api/v2/custom_objects/{key}/records/count")["count"]["value"]
        assert len(distinct_ids(listed)) == len(listed) == count
        assert not any(record["name"] == PLACEHOLDER for record in listed)
        check("custom_object_records", listed)
        by_update = client.walk_cursor(
            f"/api/v2/custom_objects/{key}/records", "custom_object_records", {"sort": "-updated_at"}
        )
        times = [record["updated_at"] for record in by_update]
        assert times == sorted(times, reverse=True) and len(by_update) == count


def test_the_export_reads_live_and_recently_deleted_records_as_the_summary_says(client):
    summary = client.summary()["resources"]
    for key in ("asset", "contract"):
        records, pages = walk_export(client, key, {"per_page": 50})
        assert len(distinct_ids(records)) == len(records) == summary[f"custom_object_{key}"]["total"]
        deleted = [record for record in records if record["name"] == PLACEHOLDER]
        assert len(deleted) == summary[f"custom_object_{key}"]["deleted"]
        assert all(set(record["custom_object_fields"].values()) == {PLACEHOLDER} for record in deleted)
        assert pages[-1]["after_url"] is None and pages[-1]["after_cursor"]
        assert all(len(page["custom_object_records"]) <= 50 for page in pages)
        times = [record["updated_at"] for record in records]
        assert times == sorted(times)
        live, _ = walk_export(client, key, {"filter[exclude_deleted]": "true"})
        assert len(live) == len(records) - len(deleted)
    asset = client.json(EXPORT.format(key="asset"), {"start_time": 0})["custom_object_records"]
    numbers = [
        record["custom_object_fields"]["units"]
        for record in asset
        if record["name"] != PLACEHOLDER and record["custom_object_fields"]["units"] is not None
    ]
    assert numbers and all(isinstance(number, str) for number in numbers)  # as Zendesk's example sends them


def test_a_change_appears_after_the_saved_cursor_and_a_deletion_as_placeholders(client):
    _, pages = walk_export(client, "contract")
    cursor = pages[-1]["after_cursor"]
    changed = client.mutate({"custom_object_records:contract": {"update": 1, "delete": 1, "create": 1}})[
        "custom_object_records:contract"
    ]
    time.sleep(1.5)  # past the hold-back, in whole seconds
    body = client.json(EXPORT.format(key="contract"), {"cursor": cursor})
    got = {record["id"]: record for record in body["custom_object_records"]}
    assert set(got) == {*changed["update"], *changed["delete"], *changed["create"]}
    (deleted,) = changed["delete"]
    assert got[deleted]["name"] == PLACEHOLDER
    assert body["meta"]["has_more"] is False


def test_the_export_refuses_what_zendesk_refuses(client):
    client.get(EXPORT.format(key="nope"), {"start_time": 0}, expect=404)
    client.get(EXPORT.format(key="asset"), {"start_time": int(time.time()) + 10_000}, expect=400)
    client.get(EXPORT.format(key="asset"), {"cursor": "not-a-cursor"}, expect=400)
    body = client.json(EXPORT.format(key="asset"), {"start_time": 0, "per_page": 5000})
    assert len(body["custom_object_records"]) <= 1000


def test_the_export_has_ten_requests_a_minute_of_its_own():
    with running_sandbox("--tickets", "30", "--seed", "5", "--rate-limit", "0", "--holdback", "2") as info:
        session = requests.Session()
        session.auth = (info["email"] + "/token", info["api_token"])
        statuses = [
            session.get(info["url"] + EXPORT.format(key=key), params={"start_time": 0}, timeout=30).status_code
            for key in ["asset", "contract"] * 6
        ]
        assert statuses[:10] == [200] * 10 and statuses[10] == 429  # shared by every object
        tickets = session.get(info["url"] + "/api/v2/incremental/tickets/cursor", params={"start_time": 0}, timeout=30)
        assert tickets.status_code == 200  # the other exports keep their own window


# ---- Zendesk's OpenAPI description -----------------------------------------------------------------------
class _Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
    pass


_Loader.add_constructor("tag:yaml.org,2002:value", lambda loader, node: loader.construct_scalar(node))


def _openapi_to_jsonschema(document, node, depth=0):
    """An OAS 3.0 schema as plain JSON schema: $refs resolved, `nullable` as a null type."""
    if depth > 30:
        return {}
    if isinstance(node, list):
        return [_openapi_to_jsonschema(document, item, depth + 1) for item in node]
    if not isinstance(node, dict):
        return node
    if "$ref" in node:
        target = document
        for part in node["$ref"].split("/")[1:]:
            target = target[part]
        return _openapi_to_jsonschema(document, target, depth + 1)
    out = {
        key: _openapi_to_jsonschema(document, value, depth + 1)
        for key, value in node.items()
        if key not in ("example", "examples", "nullable", "readOnly", "required")
    }
    if node.get("nullable") and "type" in out:
        out["type"] = [out["type"], "null"]
    if "properties" in out:
        out["properties"] = {
            key: _openapi_to_jsonschema(document, value, depth + 1) for key, value in node["properties"].items()
        }
    return out


@pytest.mark.oas
def test_answers_are_valid_against_zendesks_description(oas_dir, client):
    document = yaml.load((oas_dir / "support-api.yaml").read_text(), Loader=_Loader)

    def validate(path_template, path, params=None):
        operation = document["paths"][path_template]["get"]
        schema = operation["responses"]["200"]["content"]["application/json"]["schema"]
        jsonschema.validate(client.json(path, params), _openapi_to_jsonschema(document, schema))

    validate("/api/v2/custom_objects", "/api/v2/custom_objects")
    validate("/api/v2/custom_objects/{custom_object_key}/fields", "/api/v2/custom_objects/asset/fields")
    validate(
        "/api/v2/custom_objects/{custom_object_key}/records",
        "/api/v2/custom_objects/asset/records",
        {"page[size]": 100},
    )
    validate("/api/v2/custom_objects/{custom_object_key}/records/count", "/api/v2/custom_objects/asset/records/count")
    validate(
        "/api/v2/incremental/custom_objects/{custom_object_key}/cursor", EXPORT.format(key="asset"), {"start_time": 0}
    )
