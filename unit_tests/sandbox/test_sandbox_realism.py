"""Shapes real Zendesk accounts send that the documentation does not promise (issue 16): sideloads, typed rule
values, view execution columns, role configuration, photos, audit locations, comment addresses, fields sent only
on request, the search export's `type:` term and the 30-day purge of deleted tickets."""

import time
from datetime import datetime, timezone

import pytest

from sandbox_client import Client, distinct_ids
from sandbox_fixture import running_sandbox

pytestmark = pytest.mark.process  # starts the sandbox or the entrypoint, or opens a socket


@pytest.fixture(scope="module")
def client():
    with running_sandbox("--tickets", "300", "--seed", "5", "--rate-limit", "0", "--export-rate-limit", "0") as info:
        yield Client(info)


def test_activities_sideload_their_actors_and_users(client):
    body = client.json("/api/v2/activities", {"page[size]": 50})
    assert body["activities"]
    for key, field in (("actors", "actor_id"), ("users", "user_id")):
        sideloaded = body[key]
        assert len(distinct_ids(sideloaded)) == len(sideloaded)  # each person once
        assert distinct_ids(sideloaded) == {a[field] for a in body["activities"]}
    offset = client.json("/api/v2/activities", {"per_page": 10})
    assert {"actors", "users"} <= set(offset)


def test_recipient_addresses_carry_a_domain_verification_code(client):
    addresses = client.json("/api/v2/recipient_addresses")["recipient_addresses"]
    assert addresses and all(
        isinstance(a["domain_verification_code"], str) and a["domain_verification_code"] for a in addresses
    )


def _rule_values(client) -> list:
    values = []
    for path, key in (
        ("/api/v2/triggers", "triggers"),
        ("/api/v2/automations", "automations"),
        ("/api/v2/macros", "macros"),
        ("/api/v2/views", "views"),
    ):
        for rule in client.json(path)[key]:
            values += [a["value"] for a in rule["actions"]] if "actions" in rule else []
            for part in ("all", "any"):
                values += [c["value"] for c in rule.get("conditions", {}).get(part, [])]
    return values


def test_business_rule_values_are_strings_booleans_numbers_and_lists(client):
    values = _rule_values(client)
    kinds = {type(v) for v in values}
    assert {str, bool, int, list} <= kinds
    assert any(isinstance(v, list) and all(isinstance(t, str) for t in v) for v in values)  # tags, notifications


def test_custom_roles_configuration_has_the_full_key_set(client):
    roles = client.json("/api/v2/custom_roles")["custom_roles"]
    assert roles and all(len(r["configuration"]) >= 25 for r in roles)
    assert {"ticket_access", "manage_business_rules", "view_deleted_tickets", "light_agent"} <= set(
        roles[0]["configuration"]
    )


def test_view_execution_has_columns_fields_group_and_sort(client):
    views = client.json("/api/v2/views")["views"]
    for view in views:
        execution = view["execution"]
        for part in ("columns", "fields"):
            assert execution[part] and all({"id", "title", "filterable", "sortable"} <= set(c) for c in execution[part])
        for by, obj in (("group_by", "group"), ("sort_by", "sort")):
            if execution[by] is None:
                assert execution[obj] is None
            else:
                assert execution[obj]["id"] == execution[by]
                assert {"filterable", "sortable", "order"} <= set(execution[obj])
    assert any(v["execution"]["group"] is None for v in views) and any(v["execution"]["group"] for v in views)


def test_users_with_a_photo_carry_an_attachment_with_thumbnails(client):
    users = client.walk_cursor("/api/v2/users", "users")
    with_photo = [u for u in users if u["photo"] is not None]
    assert with_photo and len(with_photo) < len(users)
    for u in with_photo:
        photo = u["photo"]
        assert photo["content_type"].startswith("image/") and photo["width"] and photo["content_url"]
        assert photo["thumbnails"] and photo["thumbnails"][0]["width"] < photo["width"]


def test_web_audits_carry_their_location(client):
    audits = client.json("/api/v2/ticket_audits", {"page[size]": 100})["audits"]
    web = [a for a in audits if a["via"]["channel"] == "web"]
    mailed = [a for a in audits if a["via"]["channel"] == "email"]
    assert web and mailed
    for audit in web:
        system = audit["metadata"]["system"]
        assert system["location"] and isinstance(system["latitude"], float) and isinstance(system["longitude"], float)
    for audit in mailed:  # a mail has no browser location, but its message identifiers
        system = audit["metadata"]["system"]
        assert system["message_id"] and "location" not in system
    for audit in audits:
        if audit["via"]["channel"] == "rule":
            assert audit["metadata"]["system"] == {}


def test_comments_carry_attachments_and_the_address_mail_was_sent_to(client):
    comments = []
    for ticket in client.json("/api/v2/tickets", {"page[size]": 100})["tickets"]:
        comments += client.json(f"/api/v2/tickets/{ticket['id']}/comments")["comments"]
    assert all(isinstance(c["attachments"], list) for c in comments)
    assert any(c["attachments"] for c in comments)
    mailed = [c for c in comments if c["via"]["channel"] == "email"]
    assert mailed
    for comment in mailed:
        source = comment["via"]["source"]
        assert source["to"]["address"].startswith("support@") and source["from"]["address"]


USAGE = {"usage_1h", "usage_24h", "usage_7d", "usage_30d"}
RULE_EXTRAS = {
    "macros": USAGE | {"app_installation", "categories", "permissions"},
    "triggers": USAGE | {"app_installation", "permissions"},
    "automations": USAGE | {"app_installation", "permissions"},
}


@pytest.mark.parametrize("kind", sorted(RULE_EXTRAS))
def test_rule_usage_and_permissions_only_on_request(client, kind):
    extras = RULE_EXTRAS[kind]
    plain = client.json(f"/api/v2/{kind}")[kind]
    assert plain and not any(extras & set(r) for r in plain)
    week = client.json(f"/api/v2/{kind}", {"include": "usage_7d"})[kind]
    assert all(extras & set(r) == {"usage_7d"} and isinstance(r["usage_7d"], int) for r in week)
    every = client.json(f"/api/v2/{kind}", {"include": ",".join(sorted(extras)), "page[size]": 100})[kind]
    assert all(extras <= set(r) for r in every)


def test_permanently_deleted_only_on_the_users_export(client):
    exported = client.json("/api/v2/incremental/users", {"start_time": 0})["users"]
    assert exported and all(u["permanently_deleted"] is False for u in exported)
    cursor = client.json("/api/v2/incremental/users/cursor", {"start_time": 0})["users"]
    assert cursor and all("permanently_deleted" in u for u in cursor)
    listed = client.json("/api/v2/users", {"page[size]": 100})["users"]
    shown = client.json(f"/api/v2/users/{listed[0]['id']}")["user"]
    found = client.json("/api/v2/search/export", {"query": "", "filter[type]": "user"})["results"]
    sideloaded = client.json("/api/v2/incremental/tickets/cursor", {"start_time": 0, "include": "users"})["users"]
    for records in (listed, [shown], found, sideloaded):
        assert records and not any("permanently_deleted" in u for u in records)


def test_search_export_takes_type_in_the_query(client):
    by_filter = client.json("/api/v2/search/export", {"query": "status:open", "filter[type]": "ticket"})
    by_term = client.json("/api/v2/search/export", {"query": "type:ticket status:open"})
    assert by_filter["results"] and distinct_ids(by_term["results"]) == distinct_ids(by_filter["results"])
    assert all(r["result_type"] == "ticket" for r in by_term["results"])
    both = client.json("/api/v2/search/export", {"query": "type:user", "filter[type]": "user"})
    assert both["results"] and all(r["result_type"] == "user" for r in both["results"])
    client.get("/api/v2/search/export", {"query": "type:user", "filter[type]": "ticket"}, expect=400)
    client.get("/api/v2/search/export", {"query": "status:open"}, expect=400)


def test_deleted_tickets_are_purged_after_30_days_on_the_sandbox_clock():
    # a Zendesk day lasts 86400 / X real seconds: at this scale the 30 days pass in 2 s
    scale = str(30 * 86400 // 2)
    with running_sandbox(
        "--tickets",
        "300",
        "--seed",
        "6",
        "--time-scale",
        scale,
        "--rate-limit",
        "0",
        "--export-rate-limit",
        "0",
        "--recent-deletions",
        "0",
    ) as info:
        client = Client(info)
        assert client.walk_cursor("/api/v2/deleted_tickets", "deleted_tickets") == []  # generated ones: purged
        deleted = client.mutate({"tickets": {"delete": 3}})["tickets"]["delete"]
        listed = client.walk_cursor("/api/v2/deleted_tickets", "deleted_tickets")
        assert distinct_ids(listed) == set(deleted)
        assert client.summary()["resources"]["deleted_tickets"]["endpoints"]["/api/v2/deleted_tickets"] == 3
        time.sleep(3.5)  # whole seconds: deleted at second S, purged once the cutoff passes S
        assert client.walk_cursor("/api/v2/deleted_tickets", "deleted_tickets") == []
        assert client.summary()["resources"]["deleted_tickets"]["endpoints"]["/api/v2/deleted_tickets"] == 0
        exported = {t["id"]: t for t in client.walk_cursor_export("/api/v2/incremental/tickets/cursor", "tickets")}
        assert all(exported[i]["status"] == "deleted" for i in deleted)  # the exports still report them
        for i in deleted:
            client.get(f"/api/v2/tickets/{i}", expect=404)


def test_recent_generated_deletions_are_listed_until_their_purge():
    now = datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    with running_sandbox(
        "--tickets", "2000", "--seed", "7", "--anchor", now, "--rate-limit", "0", "--export-rate-limit", "0"
    ) as info:
        client = Client(info)
        listed = client.walk_cursor("/api/v2/deleted_tickets", "deleted_tickets")
        exported = client.walk_cursor_export("/api/v2/incremental/tickets/cursor", "tickets")
        deleted_in_export = {t["id"] for t in exported if t["status"] == "deleted"}
        summary = client.summary()["resources"]["deleted_tickets"]
        assert listed and len(listed) == summary["endpoints"]["/api/v2/deleted_tickets"]
        assert distinct_ids(listed) < deleted_in_export  # the older ones are purged, yet still exported
        cutoff = time.time() - 30 * 86400
        for record in listed:
            deleted_at = datetime.strptime(record["deleted_at"], "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=timezone.utc)
            assert deleted_at.timestamp() >= cutoff - 5
