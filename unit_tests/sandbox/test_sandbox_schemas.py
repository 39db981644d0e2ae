"""Every record the sandbox serves conforms to the connector's stream schemas (read as JSON files; the
sandbox and the connector never import each other)."""

import pytest

from sandbox_client import SCHEMAS, Client, check, load_schema, undeclared
from sandbox_fixture import running_sandbox


STREAMS = [  # stream, endpoint, list key, params
    ("tickets", "/api/v2/incremental/tickets/cursor", "tickets", {"start_time": 0}),
    ("users", "/api/v2/incremental/users/cursor", "users", {"start_time": 0}),
    ("organizations", "/api/v2/incremental/organizations", "organizations", {"start_time": 0}),
    (
        "ticket_events",
        "/api/v2/incremental/ticket_events",
        "ticket_events",
        {"start_time": 0, "include": "comment_events"},
    ),
    ("ticket_metric_events", "/api/v2/incremental/ticket_metric_events", "ticket_metric_events", {"start_time": 0}),
    ("ticket_audits", "/api/v2/ticket_audits", "audits", {"page[size]": 100}),
    ("ticket_metrics", "/api/v2/ticket_metrics", "ticket_metrics", {"page[size]": 100}),
    ("ticket_skips", "/api/v2/skips", "skips", {}),
    ("ticket_activities", "/api/v2/activities", "activities", {}),
    ("satisfaction_ratings", "/api/v2/satisfaction_ratings", "satisfaction_ratings", {}),
    ("deleted_tickets", "/api/v2/deleted_tickets", "deleted_tickets", {}),
    ("groups", "/api/v2/groups", "groups", {}),
    ("group_memberships", "/api/v2/group_memberships", "group_memberships", {}),
    ("organization_memberships", "/api/v2/organization_memberships", "organization_memberships", {}),
    ("brands", "/api/v2/brands", "brands", {}),
    ("tags", "/api/v2/tags", "tags", {}),
    ("macros", "/api/v2/macros", "macros", {}),
    ("triggers", "/api/v2/triggers", "triggers", {}),
    ("automations", "/api/v2/automations", "automations", {}),
    ("views", "/api/v2/views", "views", {}),
    ("ticket_fields", "/api/v2/ticket_fields", "ticket_fields", {}),
    ("user_fields", "/api/v2/user_fields", "user_fields", {}),
    ("organization_fields", "/api/v2/organization_fields", "organization_fields", {}),
    ("ticket_forms", "/api/v2/ticket_forms", "ticket_forms", {}),
    ("sla_policies", "/api/v2/slas/policies", "sla_policies", {}),
    ("schedules", "/api/v2/business_hours/schedules", "schedules", {}),
    ("custom_roles", "/api/v2/custom_roles", "custom_roles", {}),
    ("custom_ticket_statuses", "/api/v2/custom_statuses", "custom_statuses", {}),
    ("audit_logs", "/api/v2/audit_logs", "audit_logs", {}),
    ("account_attributes", "/api/v2/routing/attributes", "attributes", {}),
    ("suspended_tickets", "/api/v2/suspended_tickets", "suspended_tickets", {}),
    ("requests", "/api/v2/requests", "requests", {}),
    ("targets", "/api/v2/targets", "targets", {}),
    ("sharing_agreements", "/api/v2/sharing_agreements", "sharing_agreements", {}),
    ("recipient_addresses", "/api/v2/recipient_addresses", "recipient_addresses", {}),
    ("dynamic_content", "/api/v2/dynamic_content/items", "items", {}),
    # coverage (b)
    ("routing_attribute_events", "/api/v2/incremental/routing/attributes", "attributes", {"start_time": 0}),
    (
        "routing_attribute_value_events",
        "/api/v2/incremental/routing/attribute_values",
        "attribute_values",
        {"start_time": 0},
    ),
    (
        "routing_instance_value_events",
        "/api/v2/incremental/routing/instance_values",
        "instance_values",
        {"start_time": 0},
    ),
    ("assets", "/api/v2/it_asset_management/assets", "assets", {"page[size]": 100}),
    ("asset_types", "/api/v2/it_asset_management/asset_types", "asset_types", {}),
    ("asset_locations", "/api/v2/it_asset_management/locations", "locations", {}),
    ("asset_statuses", "/api/v2/it_asset_management/statuses", "statuses", {}),
    ("article_labels", "/api/v2/help_center/articles/labels", "labels", {"page[size]": 100}),
]

pytestmark = pytest.mark.skipif(not SCHEMAS.is_dir(), reason="the connector's stream schemas are not there yet")


@pytest.fixture(scope="module")
def client():
    with running_sandbox(
        "--tickets", "150", "--seed", "4", "--rate-limit", "0", "--export-rate-limit", "100000"
    ) as info:
        client = Client(info)
        client.mutate({"tickets": {"delete": 3}})  # the generated deletions are past the 30-day purge
        yield client


@pytest.mark.process
@pytest.mark.parametrize("stream,path,key,params", STREAMS, ids=[s[0] for s in STREAMS])
def test_listed_records_conform(client, stream, path, key, params):
    check(stream, client.json(path, params)[key])


@pytest.mark.process
def test_per_parent_records_conform(client):
    tickets = client.walk_cursor("/api/v2/tickets", "tickets")
    comments, sides = [], []
    for t in tickets[:60]:
        comments += client.json(f"/api/v2/tickets/{t['id']}/comments")["comments"]
        sides += client.json(f"/api/v2/tickets/{t['id']}/side_conversations")["side_conversations"]
    check("ticket_comments", comments)
    check("side_conversations", sides)
    users = client.json("/api/v2/users", {"page[size]": 30})["users"]
    check(
        "user_identities", [i for u in users for i in client.json(f"/api/v2/users/{u['id']}/identities")["identities"]]
    )
    types = client.json("/api/v2/it_asset_management/asset_types")["asset_types"]
    check(
        "asset_fields",
        [
            {**f, "asset_type_id": t["id"]}
            for t in types
            for f in client.json(f"/api/v2/it_asset_management/asset_types/{t['id']}/fields")["fields"]
        ],
    )
    macros = client.json("/api/v2/macros", {"page[size]": 100})["macros"]
    check(
        "macro_attachments",
        [
            {**a, "macro_id": m["id"]}
            for m in macros
            for a in client.json(f"/api/v2/macros/{m['id']}/attachments")["macro_attachments"]
        ],
    )
    check(
        "ticket_task_lists",
        [t for ticket in tickets[:60] for t in client.json(f"/api/v2/tickets/{ticket['id']}/task_lists")["task_lists"]],
    )
    sections = client.json("/api/v2/help_center/sections", {"page[size]": 100})["sections"]
    check(
        "section_subscriptions",
        [
            {**x, "section_id": s["id"]}
            for s in sections
            for x in client.json(f"/api/v2/help_center/sections/{s['id']}/subscriptions")["subscriptions"]
        ],
    )
    topics = client.json("/api/v2/community/topics", {"page[size]": 100})["topics"]
    check(
        "topic_subscriptions",
        [
            {**x, "topic_id": t["id"]}
            for t in topics
            for x in client.json(f"/api/v2/community/topics/{t['id']}/subscriptions")["subscriptions"]
        ],
    )
    articles = client.json("/api/v2/help_center/articles", {"page[size]": 30})["articles"]
    check(
        "article_translations",
        [
            {**t, "article_id": a["id"]}
            for a in articles
            for t in client.json(f"/api/v2/help_center/articles/{a['id']}/translations")["translations"]
        ],
    )


SEARCH_SCHEMAS = {"ticket": "tickets", "user": "users", "organization": "organizations", "group": "groups"}


@pytest.mark.process
@pytest.mark.parametrize("kind", sorted(SEARCH_SCHEMAS))
def test_search_export_results_conform(client, kind):
    """Search query streams read the search export with the schema of the type they search."""
    check(SEARCH_SCHEMAS[kind], client.json("/api/v2/search/export", {"query": "", "filter[type]": kind})["results"])


def test_a_field_the_schema_does_not_declare_is_reported():
    """The check above can fail: an extra field anywhere in a record is named with its path."""
    schema = load_schema("views")
    view = {
        "id": 1,
        "execution": {
            "columns": [{"id": "subject", "title": "Subject", "colour": "red"}],
            "group": {"id": "status", "sortable": True},
        },
        "surprise": 1,
    }
    assert sorted(undeclared(schema, view)) == ["execution.columns.[].colour", "surprise"]
    users = load_schema("users")  # user_fields is a free-form map: any key is declared
    assert undeclared(users, {"id": 1, "user_fields": {"anything": 1}, "photo": None}) == []
    assert undeclared(users, {"id": 1, "photo": {"id": 2, "thumbnails": [{"id": 3, "extra": 1}]}}) == [
        "photo.thumbnails.[].extra"
    ]
