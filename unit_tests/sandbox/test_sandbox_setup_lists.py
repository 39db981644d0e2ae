"""The sandbox's setup lists (brand agents, deletion schedules, group SLAs, locales, macro categories, queues, ...):
each walks to the summary's count in the paging Zendesk gives it, conforms to the connector's schema and to
Zendesk's OpenAPI description, and answers behind the plan gate Zendesk puts it behind."""

from __future__ import annotations

import jsonschema
import pytest
import yaml

from sandbox_client import Client, check, distinct_ids
from sandbox_fixture import running_sandbox
from test_sandbox_custom_objects import _Loader, _openapi_to_jsonschema

pytestmark = pytest.mark.process  # starts the sandbox

ARGS = ("--tickets", "200", "--seed", "6", "--rate-limit", "0", "--export-rate-limit", "100000")

# stream, path, list key, paging: cursor (page[size] or offset), offset (offset pages only), single (one answer)
LISTS = [
    ("brand_agents", "/api/v2/brand_agents", "brand_agents", "cursor"),
    ("organization_subscriptions", "/api/v2/organization_subscriptions", "organization_subscriptions", "cursor"),
    ("trigger_categories", "/api/v2/trigger_categories", "trigger_categories", "cursor"),
    ("task_list_templates", "/api/v2/task_list_templates", "task_list_templates", "cursor"),
    ("workspaces", "/api/v2/workspaces", "workspaces", "offset"),
    ("resource_collections", "/api/v2/resource_collections", "resource_collections", "offset"),
    ("deletion_schedules", "/api/v2/deletion_schedules", "deletion_schedules", "single"),
    ("group_sla_policies", "/api/v2/group_slas/policies", "group_sla_policies", "single"),
    ("locales", "/api/v2/locales", "locales", "single"),
    ("queues", "/api/v2/queues", "queues", "single"),
    ("satisfaction_reasons", "/api/v2/satisfaction_reasons", "reasons", "single"),
    ("target_failures", "/api/v2/target_failures", "target_failures", "single"),
    ("ticket_form_statuses", "/api/v2/ticket_form_statuses", "ticket_form_statuses", "single"),
    (
        "monitored_twitter_handles",
        "/api/v2/channels/twitter/monitored_twitter_handles",
        "monitored_twitter_handles",
        "single",
    ),
]


@pytest.fixture(scope="module")
def client():
    with running_sandbox(*ARGS) as info:
        yield Client(info)


@pytest.fixture(scope="module")
def summary(client):
    return client.summary()


def count_of(summary, resource, path):
    return summary["resources"][resource]["endpoints"][path]


@pytest.mark.parametrize("stream,path,key,paging", LISTS, ids=[row[0] for row in LISTS])
def test_lists_walk_to_the_summary_count_and_conform(client, summary, stream, path, key, paging):
    want = count_of(summary, stream, path)
    assert want > 0
    if paging == "single":
        body = client.json(path)
        records = body[key]
        assert "meta" not in body
    else:
        records = client.walk_offset(path, key, per_page=2)
        if paging == "cursor":
            assert [r["id"] for r in client.walk_cursor(path, key, size=2)] == [r["id"] for r in records]
    assert len(records) == len(distinct_ids(records)) == want
    check(stream, records)


def test_deleted_users_conform(client, summary):
    records = client.walk_cursor("/api/v2/deleted_users", "deleted_users")
    assert len(records) == count_of(summary, "users", "/api/v2/deleted_users") > 0
    check("deleted_users", records)


def test_approval_requests_page_by_after_cursor_newest_first(client, summary):
    records, url, params = [], "/api/v2/approval_requests", {"page[size]": 2}
    for _ in range(10):
        body = client.json(url, params)
        records.extend(body["approval_requests"])
        if not body["meta"]["has_more"]:
            break
        assert "after_cursor=" in body["links"]["next"] and "page%5Bafter%5D" not in body["links"]["next"]
        url, params = body["links"]["next"], None
    assert (
        len(records)
        == len(distinct_ids(records))
        == count_of(summary, "approval_requests", "/api/v2/approval_requests")
    )
    stamps = [r["created_at"] for r in records]
    assert stamps == sorted(stamps, reverse=True)
    check("approval_requests", records)
    active = client.json("/api/v2/approval_requests", {"filter[status]": "active"})["approval_requests"]
    assert active and {r["status"] for r in active} == {"active"}


def test_trigger_categories_sort_and_count_their_triggers(client):
    newest_first = client.walk_cursor(
        "/api/v2/trigger_categories", "trigger_categories", {"sort": "-updated_at", "include": "rule_counts"}, size=1
    )
    stamps = [c["updated_at"] for c in newest_first]
    assert stamps == sorted(stamps, reverse=True) and len(newest_first) == 3
    triggers = client.walk_cursor("/api/v2/triggers", "triggers")
    for category in newest_first:
        mine = [t for t in triggers if t["category_id"] == category["id"]]
        assert category["active_count"] == sum(t["active"] for t in mine)
        assert category["inactive_count"] == sum(not t["active"] for t in mine)
    assert "active_count" not in client.json("/api/v2/trigger_categories")["trigger_categories"][0]
    client.get("/api/v2/trigger_categories", {"sort": "colour"}, expect=400)


def test_macro_categories_are_the_title_prefixes_of_the_macros(client, summary):
    categories = client.json("/api/v2/macros/categories")["categories"]
    titles = [m["title"] for m in client.walk_cursor("/api/v2/macros", "macros")]
    assert categories == sorted({title.split("::")[0] for title in titles if "::" in title})
    assert len(categories) == count_of(summary, "macro_categories", "/api/v2/macros/categories") > 0


def test_account_settings_is_one_record(client, summary):
    settings = client.json("/api/v2/account/settings")["settings"]
    assert isinstance(settings, dict) and settings["active_features"]
    check("account_settings", [settings])
    assert count_of(summary, "account_settings", "/api/v2/account/settings") == 1


def test_records_point_at_the_account(client):
    """Brand agents name agents and brands of the account; form statuses its forms and custom statuses."""
    agents = {u["id"] for u in client.walk_cursor("/api/v2/users", "users") if u["role"] != "end-user"}
    brands = {b["id"] for b in client.json("/api/v2/brands")["brands"]}
    memberships = client.json("/api/v2/brand_agents")["brand_agents"]
    assert {m["user_id"] for m in memberships} <= agents and {m["brand_id"] for m in memberships} <= brands
    forms = {f["id"] for f in client.json("/api/v2/ticket_forms")["ticket_forms"]}
    statuses = {s["id"] for s in client.json("/api/v2/custom_statuses")["custom_statuses"]}
    pairs = client.json("/api/v2/ticket_form_statuses")["ticket_form_statuses"]
    assert {p["ticket_form_id"] for p in pairs} == forms and {p["custom_status_id"] for p in pairs} == statuses
    category_ids = {c["id"] for c in client.json("/api/v2/trigger_categories")["trigger_categories"]}
    assert {t["category_id"] for t in client.walk_cursor("/api/v2/triggers", "triggers")} <= category_ids


OAS_PATHS = [row[1] for row in LISTS] + [
    "/api/v2/approval_requests",
    "/api/v2/macros/categories",
    "/api/v2/account/settings",
    "/api/v2/deleted_users",
]


@pytest.mark.oas
def test_answers_are_valid_against_zendesks_description(oas_dir, client):
    document = yaml.load((oas_dir / "support-api.yaml").read_text(), Loader=_Loader)
    for path in OAS_PATHS:
        operation = document["paths"][path]["get"]
        schema = _openapi_to_jsonschema(
            document, operation["responses"]["200"]["content"]["application/json"]["schema"]
        )
        if path == "/api/v2/ticket_form_statuses":  # a slip: the description caps the account's list at one item
            del schema["properties"]["ticket_form_statuses"]["maxItems"]
        if path == "/api/v2/deleted_users":  # its text says a permanently deleted user's email is null, and
            # shared_phone_number is the users' boolean
            user = schema["properties"]["deleted_users"]["items"]["properties"]
            user["email"]["type"] = ["string", "null"]
            user["shared_phone_number"]["type"] = ["boolean", "string", "null"]
        jsonschema.validate(client.json(path), schema)


def test_plans_without_them_refuse_the_gated_lists():
    with running_sandbox("--tickets", "40", "--plan", "team", "--features", "help_center", "--rate-limit", "0") as info:
        team = Client(info)
        for path in (
            "/api/v2/workspaces",
            "/api/v2/approval_requests",
            "/api/v2/group_slas/policies",
            "/api/v2/queues",
            "/api/v2/deletion_schedules",
            "/api/v2/satisfaction_reasons",
            "/api/v2/ticket_form_statuses",
        ):
            team.get(path, expect=403)
        summary = team.summary()["resources"]
        assert summary["workspaces"]["endpoints"]["/api/v2/workspaces"] == 0
        assert summary["workspaces"]["total"] > 0  # the records exist, the plan hides them
        team.get("/api/v2/locales")
