"""Stream schemas: valid draft-07, `$ref`s resolvable by the CDK loader, our conventions, and real shapes.

The schemas live in source_zendesk_support/schemas/<stream>.json, shared parts in schemas/shared/.
The CDK's ResourceSchemaLoader resolves a `$ref` against the package directory and then maps it into
schemas/shared/, so a ref is the bare file name (`"via.json"`); `"shared/via.json"` would be looked up
as schemas/shared/shared/via.json and fail.
"""

import importlib
import json
from pathlib import Path

import pytest
from airbyte_cdk.sources.utils.schema_helpers import ResourceSchemaLoader
from jsonschema import Draft7Validator

from source_zendesk_support.registry.table import ALL_STREAMS
from source_zendesk_support.streams.custom_objects import records_spec

PACKAGE = "source_zendesk_support"
REPO = Path(__file__).resolve().parents[1]
SCHEMAS = REPO / PACKAGE / "schemas"
SHARED = SCHEMAS / "shared"


def _key(spec):
    key = spec.primary_key
    return () if key is None else (key,) if isinstance(key, str) else tuple(key)


# Every stream the connector offers, with the primary key its schema must mark non-nullable: from the registry.
# Each custom object's stream, found at discover, shares one schema file.
OFFERED = ALL_STREAMS + [records_spec("example")]
STREAMS = {spec.schema or spec.name: _key(spec) for spec in OFFERED}
# Streams whose records the connector may mark with a deletion time.
DELETABLE = {spec.schema or spec.name for spec in OFFERED if spec.deletion_field}

ALL_FILES = sorted(SCHEMAS.glob("*.json")) + sorted(SHARED.glob("*.json"))

try:  # validate records the way the CDK's standard read test does: strict integers, date-time checked
    from airbyte_cdk.test.standard_tests._read_assertions import RecordFormatChecker, StrictIntegerDraft7Validator
except ImportError:  # the CDK moved them: plain draft-7 with its default format checks
    from jsonschema import FormatChecker as RecordFormatChecker

    StrictIntegerDraft7Validator = Draft7Validator


def record_validator(schema):
    return StrictIntegerDraft7Validator(schema, format_checker=RecordFormatChecker())


@pytest.fixture(scope="module")
def loader():
    package = importlib.import_module(PACKAGE)
    if not getattr(package, "__file__", None):
        pytest.fail(f"{PACKAGE} has no __init__.py: the CDK's ResourceSchemaLoader needs a regular package")
    return ResourceSchemaLoader(PACKAGE)


@pytest.fixture(scope="module")
def resolved(loader):
    cache = {}

    def get(stream):
        if stream not in cache:
            cache[stream] = loader.get_schema(stream)
        return cache[stream]

    return get


def load_raw(path):
    return json.loads(Path(path).read_text())


def walk(node, path=()):
    """Yield (path, subschema) for every schema node below and including `node`."""
    if isinstance(node, dict):
        yield path, node
        for key, value in node.get("properties", {}).items():
            yield from walk(value, path + (key,))
        if isinstance(node.get("items"), dict):
            yield from walk(node["items"], path + ("[]",))


def types_of(node):
    typ = node.get("type", [])
    return [typ] if isinstance(typ, str) else list(typ)


# ------------------------------------------------------------------ files and refs


def test_every_stream_has_exactly_one_schema_file():
    on_disk = {p.stem for p in SCHEMAS.glob("*.json")}
    assert sorted(set(STREAMS) - on_disk) == [], "streams without a schema"
    assert sorted(on_disk - set(STREAMS)) == [], "schema files for no known stream"


@pytest.mark.parametrize("path", ALL_FILES, ids=lambda p: str(p.relative_to(SCHEMAS)))
def test_file_is_valid_draft7(path):
    Draft7Validator.check_schema(load_raw(path))


def refs_in(node):
    if isinstance(node, dict):
        if "$ref" in node:
            yield node["$ref"]
        for value in node.values():
            yield from refs_in(value)
    elif isinstance(node, list):
        for value in node:
            yield from refs_in(value)


@pytest.mark.parametrize("path", ALL_FILES, ids=lambda p: str(p.relative_to(SCHEMAS)))
def test_refs_name_an_existing_shared_file(path):
    for ref in refs_in(load_raw(path)):
        assert "/" not in ref, f"{ref}: the CDK loader maps refs into schemas/shared/, use the bare file name"
        assert (SHARED / ref).is_file(), f"{ref} not found in schemas/shared/"


def test_every_shared_file_is_used():
    used = {ref for path in ALL_FILES for ref in refs_in(load_raw(path))}
    assert sorted(p.name for p in SHARED.glob("*.json") if p.name not in used) == []


@pytest.mark.parametrize("stream", sorted(STREAMS))
def test_cdk_loader_resolves_every_ref(resolved, stream):
    schema = resolved(stream)
    assert list(refs_in(schema)) == []
    Draft7Validator.check_schema(schema)


# ------------------------------------------------------------------ conventions


@pytest.mark.parametrize("stream", sorted(STREAMS))
def test_conventions(resolved, stream):
    schema = resolved(stream)
    assert schema["type"] == "object"
    assert schema.get("$schema", "").startswith("http://json-schema.org/draft-07/schema")
    primary_key = STREAMS[stream]
    for key in primary_key:
        assert "null" not in types_of(schema["properties"][key]), f"primary key {key} must not be nullable"
    for path, node in walk(schema):
        where = ".".join(path) or "<root>"
        if "object" in types_of(node):
            assert node.get("additionalProperties") is True, f"{where}: objects stay open"
        if not path or (len(path) == 1 and path[0] in primary_key):
            continue
        assert "null" in types_of(node), f"{where}: every property is nullable"
        if path[-1].endswith("_at") and "string" in types_of(node):
            assert node.get("format") == "date-time", f"{where}: timestamps are date-time"


@pytest.mark.parametrize("stream", sorted(DELETABLE))
def test_deletable_streams_carry_the_deletion_marker(resolved, stream):
    marker = resolved(stream)["properties"]["_ab_cdc_deleted_at"]
    assert marker == {"type": ["null", "string"], "format": "date-time"}


@pytest.mark.parametrize("shared, stream", [("ticket.json", "tickets"), ("user.json", "users")])
def test_shared_copies_list_the_same_fields_as_their_stream(shared, stream):
    """ticket_skips embeds a whole ticket and activities whole users: keep those copies in step."""
    stream_fields = set(load_raw(SCHEMAS / f"{stream}.json")["properties"]) - {"_ab_cdc_deleted_at"}
    assert set(load_raw(SHARED / shared)["properties"]) == stream_fields


# ------------------------------------------------------------------ records (our own, in Zendesk's shapes)

VIA_WEB = {"channel": "web", "source": {"from": {}, "to": {}, "rel": None}}
ATTACHMENT = {
    "id": 498483,
    "file_name": "crash.log",
    "content_url": "https://acme.zendesk.com/attachments/crash.log",
    "mapped_content_url": "https://support.acme.com/attachments/crash.log",
    "content_type": "text/plain",
    "size": 2532,
    "width": None,
    "height": None,
    "inline": False,
    "deleted": False,
    "thumbnails": [],
}
GOOD_RECORDS = [
    (
        "tickets",
        {
            "id": 35436,
            "url": "https://acme.zendesk.com/api/v2/tickets/35436.json",
            "status": "deleted",
            "subject": "Help",
            "generated_timestamp": 1790201555,
            "created_at": "2026-01-05T10:00:00Z",
            "updated_at": "2026-01-05T11:00:00Z",
            "via": {"channel": 4, "source": {"rel": "voicemail"}},
            "tags": ["vip"],
            "custom_fields": [
                {"id": 27642, "value": ["opt_a", "opt_b"]},
                {"id": 27648, "value": 3.5},
                {"id": 27649, "value": True},
                {"id": 27650, "value": None},
            ],
            "satisfaction_rating": {"score": "unoffered"},
            "assignee_id": 28835714737428,
            "due_at": None,
            "organization_id": 2**53 + 1,  # ids past JSON's exact-integer range are still integers
            "collaborator_ids": [],
            "_ab_cdc_deleted_at": "2026-01-05T11:00:00Z",
        },
    ),
    (
        "users",
        {
            "id": 28835714737428,
            "name": "Ann",
            "email": None,
            "active": False,
            "role": "end-user",
            "photo": {**ATTACHMENT, "thumbnails": [dict(ATTACHMENT, id=498484)]},
            "user_fields": {"plan": "gold", "seats": 3},
            "_ab_cdc_deleted_at": "2026-01-05T11:00:00Z",
        },
    ),
    (
        "ticket_comments",
        {
            "id": 1274,
            "type": "Comment",
            "author_id": 123123,
            "body": "Thanks",
            "html_body": "<p>Thanks</p>",
            "plain_body": "Thanks",
            "public": True,
            "attachments": [ATTACHMENT],
            "via": VIA_WEB,
            "metadata": {
                "system": {"client": "curl", "ip_address": "1.2.3.4", "latitude": -37.0, "longitude": 144.9},
                "custom": {},
            },
            "ticket_id": 7,
            "audit_id": 9001,
            "created_at": "2026-01-05T10:00:00Z",
            "timestamp": 1767607200,
            "event_type": "Comment",
        },
    ),
    (
        "ticket_comments",
        {
            "id": 1275,
            "type": "VoiceComment",
            "via": "Voicemail",
            "via_reference_id": None,
            "ticket_id": 7,
            "audit_id": 9004,
            "timestamp": 1767607200,
            "event_type": "Comment",
        },
    ),
    (
        "ticket_events",
        {
            "id": 9001,
            "ticket_id": 7,
            "timestamp": 1767607200,
            "created_at": "2026-01-05T10:00:00Z",
            "updater_id": -1,
            "via": "Web form",
            "event_type": "Audit",
            "system": {"client": "Mozilla"},
            "child_events": [
                {"id": 9002, "event_type": "Change", "status": "solved", "previous_value": "open", "via": "Web form"},
                {"id": 9003, "event_type": "Change", "tags": ["a"], "previous_value": ["a", "b"]},
            ],
        },
    ),
    (
        "ticket_audits",
        {
            "id": 9001,
            "ticket_id": 7,
            "author_id": 5,
            "created_at": "2026-01-05T10:00:00Z",
            "via": VIA_WEB,
            "metadata": {"system": {}, "custom": {}},
            "events": [
                {
                    "id": 1,
                    "type": "Change",
                    "field_name": "group_id",
                    "value": "28835702984212",
                    "previous_value": None,
                },
                {
                    "id": 2,
                    "type": "Notification",
                    "recipients": [5, 6],
                    "subject": "Hi",
                    "via": {"channel": "rule", "source": {"from": {"id": 1, "title": "Notify"}, "rel": "trigger"}},
                },
            ],
        },
    ),
    (
        "ticket_metrics",
        {
            "id": 33,
            "ticket_id": 7,
            "reply_time_in_minutes": {"business": None, "calendar": 10},
            "generated_timestamp": 1790201555,
            "solved_at": None,
        },
    ),
    (
        "ticket_metric_events",
        {
            "id": 1,
            "ticket_id": 7,
            "metric": "reply_time",
            "instance_id": 1,
            "type": "apply_sla",
            "time": "2026-01-05T10:00:00Z",
            "sla": {"target": 60, "business_hours": False, "policy": {"id": 3, "title": "Gold", "description": None}},
        },
    ),
    (
        "ticket_skips",
        {
            "id": 1,
            "ticket_id": 7,
            "user_id": 5,
            "reason": "busy",
            "ticket": {"id": 7, "status": "open", "via": VIA_WEB, "tags": []},
        },
    ),
    (
        "ticket_activities",
        {
            "id": 1,
            "verb": "tickets.assignment",
            "user": {"id": 5, "name": "Ann"},
            "actor": None,
            "object": {"ticket": {"id": 7}},
        },
    ),
    (
        "deleted_tickets",
        {
            "id": 581,
            "subject": "Bye",
            "actor": {"id": 5, "name": "Ann"},
            "deleted_at": "2026-01-05T10:00:00Z",
            "previous_state": "open",
        },
    ),
    (
        "side_conversations",
        {
            "id": "8566255a-3b2e-11ea-9ad5-db93c9af07d9",
            "ticket_id": 7,
            "state": "open",
            "participants": [{"user_id": 5, "name": "Ann", "email": "ann@example.com"}],
        },
    ),
    ("tags", {"name": "vip", "count": 14}),
    (
        "triggers",
        {
            "id": 25,
            "title": "Notify",
            "actions": [{"field": "notification_user", "value": ["requester_id", "Hi", "Body"]}],
            "conditions": {"all": [{"field": "status", "operator": "is", "value": "open"}], "any": []},
        },
    ),
    (
        "sla_policies",
        {
            "id": 1,
            "title": "Gold",
            "filter": {"all": [], "any": []},
            "policy_metrics": [
                {"priority": "high", "metric": "first_reply_time", "target": 30, "business_hours": False}
            ],
        },
    ),
    (
        "schedules",
        {
            "id": 1,
            "name": "Office",
            "time_zone": "Pacific Time (US & Canada)",
            "intervals": [{"start_time": 1980, "end_time": 2460}],
            "holidays": [{"id": 2, "name": "New Year", "start_date": "2026-01-01", "end_date": "2026-01-01"}],
        },
    ),
    ("account_attributes", {"id": "15821cba-7326-11e8-b07e-950ba849aa27", "name": "Language"}),
    ("attribute_definitions", {"condition": "all", "subject": "number_of_incidents", "title": "Incidents"}),
    (
        "chats",
        {
            "id": "1707.2.XYZ",
            "type": "chat",
            "timestamp": "2026-01-05T10:00:00Z",
            "visitor": {"id": "1.2", "name": "Visitor 1"},
            "history": [{"type": "chat.msg", "msg": "hi"}],
            "count": {"agent": 1, "visitor": 1, "total": 2},
            "agent_ids": ["361012"],
        },
    ),
    ("chat_accounts", {"account_key": "abc123", "status": "active", "plan": {"name": "lite"}}),
    ("agents_activity", {"agent_id": 5, "name": "Ann", "via": "client", "calls_accepted": 3}),
    (
        "ticket_field_history",
        {
            "event_id": 9002,
            "ticket_id": 7,
            "field": "status",
            "old_value": "open",
            "new_value": "solved",
            "audit_id": 9001,
            "timestamp": 1767607200,
        },
    ),
    (
        "ticket_tag_history",
        {"event_id": 9003, "ticket_id": 7, "field": "tags", "old_value": ["a", "b"], "new_value": ["a"]},
    ),
    (
        "ticket_attachments",
        {
            "id": 498483,
            "ticket_id": 7,
            "comment_id": 1274,
            "file_name": "crash.log",
            "thumbnails": [],
            "created_at": "2026-01-05T10:00:00Z",
        },
    ),
]

BAD_RECORDS = [
    ("tickets", {"id": "35436"}, "id"),  # ids are integers, even above 2**53
    ("tickets", {"id": None}, "id"),  # the primary key is never null
    ("tickets", {"id": 1, "tags": "vip"}, "tags"),
    ("tickets", {"id": 1, "via": {"channel": ["web"]}}, "channel"),
    ("ticket_comments", {"id": 1, "attachments": [{"id": 1, "size": "big"}]}, "size"),
    ("ticket_metrics", {"id": 1, "reply_time_in_minutes": {"calendar": "10"}}, "calendar"),
    ("tags", {"name": None, "count": 1}, "name"),
    ("chats", {"id": 1707}, "id"),  # chat ids are strings
    ("ticket_events", {"id": 1, "timestamp": "2026-01-05T10:00:00Z"}, "timestamp"),
    ("ticket_events", {"id": 1, "timestamp": 1767607200.0}, "timestamp"),  # destinations want whole integers
    ("groups", {"id": 1, "created_at": "yesterday"}, "created_at"),
    ("schedules", {"id": 1, "holidays": [{"start_date": "25/12/2026"}]}, "start_date"),
]


@pytest.mark.parametrize("stream, record", GOOD_RECORDS, ids=[s for s, _ in GOOD_RECORDS])
def test_record_in_zendesks_shape_validates(resolved, stream, record):
    errors = [f"{list(e.absolute_path)}: {e.message}" for e in record_validator(resolved(stream)).iter_errors(record)]
    assert errors == []


@pytest.mark.parametrize("stream, record, culprit", BAD_RECORDS, ids=[f"{s}-{c}" for s, _, c in BAD_RECORDS])
def test_record_with_a_wrong_type_is_rejected(resolved, stream, record, culprit):
    errors = list(record_validator(resolved(stream)).iter_errors(record))
    assert errors, "the schema accepted a record it should reject"
    assert any(culprit in [str(p) for p in e.absolute_path] for e in errors)


# ------------------------------------------------------------------ Zendesk's own examples (marker oas: they run where
# the OpenAPI description is, ../shared/reference/zendesk-oas or ZENDESK_OAS_DIR, as in CI; where it is absent
# conftest.py deselects them and one line of the run says so)

# OpenAPI example name -> (stream, key holding the record or list of records in the example body)
OAS_EXAMPLES = {
    "support-api": {
        "TicketsResponseExample": ("tickets", "tickets"),
        "TimeBasedExportIncrementalTicketsResponseExample": ("tickets", "tickets"),
        "CursorBasedExportIncrementalTicketsResponseExample": ("tickets", "tickets"),
        "UsersResponseExample": ("users", "users"),
        "TimeBasedExportIncrementalUsersResponseExample": ("users", "users"),
        "UserIdentitiesResponseExample": ("user_identities", "identities"),
        "ExportIncrementalOrganizationsResponseExample": ("organizations", "organizations"),
        "GroupsResponseExample": ("groups", "groups"),
        "GroupMembershipsResponseExample": ("group_memberships", "group_memberships"),
        "OrganizationMembershipsResponseExample": ("organization_memberships", "organization_memberships"),
        "OrganizationFieldsResponseExample": ("organization_fields", "organization_fields"),
        "UserFieldsResponseExample": ("user_fields", "user_fields"),
        "TicketFieldsResponseExample": ("ticket_fields", "ticket_fields"),
        "TicketFormsResponseExample": ("ticket_forms", "ticket_forms"),
        "TicketCommentsResponseExample": ("ticket_comments", "comments"),
        "TicketAuditsResponseExample": ("ticket_audits", "audits"),
        "ExportIncrementalTicketEventsResponseExample": ("ticket_events", "ticket_events"),
        "TicketMetricsResponseExample": ("ticket_metrics", "ticket_metrics"),
        "TicketMetricEventsResponseExample": ("ticket_metric_events", "ticket_metric_events"),
        "ActivitiesResponseExample": ("ticket_activities", "activities"),
        "TicketSkipResponseExample": ("ticket_skips", "skips"),
        "SatisfactionRatingsResponseExample": ("satisfaction_ratings", "satisfaction_ratings"),
        "ListDeletedTicketsResponseExample": ("deleted_tickets", "deleted_tickets"),
        "BrandsResponseExample": ("brands", "brands"),
        "TagsResponseExample": ("tags", "tags"),
        "MacrosResponseExample": ("macros", "macros"),
        "TriggersResponseExample": ("triggers", "triggers"),
        "AutomationsResponseExample": ("automations", "automations"),
        "ViewsResponseExample": ("views", "views"),
        "SLAPoliciesResponseExample": ("sla_policies", "sla_policies"),
        "CustomRolesResponseExample": ("custom_roles", "custom_roles"),
        "CustomStatusesResponseExample": ("custom_ticket_statuses", "custom_statuses"),
        "AuditLogsResponseExample": ("audit_logs", "audit_logs"),
        "SkillBasedRoutingAttributesResponseExample": ("account_attributes", "attributes"),
        "SuspendedTicketsResponseExample": ("suspended_tickets", "suspended_tickets"),
        "RequestsResponseExample": ("requests", "requests"),
        "TargetsResponseExample": ("targets", "targets"),
        "SharingAgreementsResponseExample": ("sharing_agreements", "sharing_agreements"),
        "SupportAddressesResponseExample": ("recipient_addresses", "recipient_addresses"),
        "DynamicContentsResponseExample": ("dynamic_content", "items"),
        # the account's setup lists
        "BrandAgentsResponseExample": ("brand_agents", "brand_agents"),
        "DeletedUsersResponseExample": ("deleted_users", "deleted_users"),
        "GetDeletionSchedulesResponseExample": ("deletion_schedules", "deletion_schedules"),
        "GroupSLAPoliciesResponseExample": ("group_sla_policies", "group_sla_policies"),
        "LocalesResponseExample": ("locales", "locales"),
        "OrganizationSubscriptionsResponseExample": ("organization_subscriptions", "organization_subscriptions"),
        "QueuesResponseExample": ("queues", "queues"),
        "SatisfactionReasonsResponseExample": ("satisfaction_reasons", "reasons"),
        "TargetFailuresResponseExample": ("target_failures", "target_failures"),
        "TicketFormStatusesResponseExample": ("ticket_form_statuses", "ticket_form_statuses"),
        "ResourceCollectionsResponseExample": ("resource_collections", "resource_collections"),
        "ApprovalRequestsListResponseExample": ("approval_requests", "approval_requests"),
        "TwitterChannelsResponseExample": ("monitored_twitter_handles", "monitored_twitter_handles"),
        "TaskListTemplatesResponseExample": ("task_list_templates", "task_list_templates"),
        "TasksByTaskListTemplateIdResponseExample": ("task_list_template_tasks", "tasks"),
        "AccountSettingsResponseExample": ("account_settings", "settings"),
        "IncrementalSkillBasedRoutingAttributesExample": ("routing_attribute_events", "attributes"),
        "IncrementalSkillBasedRoutingAttributeValuesExample": ("routing_attribute_value_events", "attribute_values"),
        "IncrementalSkillBasedRoutingInstanceValuesExample": ("routing_instance_value_events", "instance_values"),
        "ItamAssetsIndexResponseExample": ("assets", "assets"),
        "ItamAssetTypesIndexResponseExample": ("asset_types", "asset_types"),
        "ItamAssetLocationsIndexResponseExample": ("asset_locations", "locations"),
        "ItamAssetStatusesIndexResponseExample": ("asset_statuses", "statuses"),
        "MacroAttachmentsResponseExample": ("macro_attachments", "macro_attachments"),
        "TriggerRevisionsResponseExample": ("trigger_revisions", "trigger_revisions"),
        "TaskListByTicketIdResponseExample": ("ticket_task_lists", "task_lists"),
    },
    "help-center-api": {
        "ArticlesResponseExample": ("articles", "articles"),
        "ArticleAttachmentsResponseExample": ("article_attachments", "article_attachments"),
        "CommentsResponseExample": ("article_comments", "comments"),
        "VoteResponseExample": ("article_votes", "vote"),
        "CategoriesResponseExample": ("categories", "categories"),
        "SectionsResponseExample": ("sections", "sections"),
        "TopicsResponseExample": ("topics", "topics"),
        "PostsResponseExample": ("posts", "posts"),
        "PostCommentsResponseExample": ("post_comments", "comments"),
        "UserSegmentsResponseExample": ("user_segments", "user_segments"),
        "ArticleLabelsResponseExample": ("article_labels", "labels"),
        "TranslationsResponseExample": ("article_translations", "translations"),
        "SectionSubscriptionsResponseExample": ("section_subscriptions", "subscriptions"),
        "TopicSubscriptionsResponseExample": ("topic_subscriptions", "subscriptions"),
    },
}
# Slips in Zendesk's hand-written examples that real responses do not have: (example, field) -> why ignored.
OAS_EXAMPLE_SLIPS = {
    ("ListDeletedTicketsResponseExample", "deleted_at"): "written 20140704T15:37:04Z; responses use 2014-07-04T…",
}
OAS_CASES = [(doc, name, *target) for doc, table in OAS_EXAMPLES.items() for name, target in table.items()]


def yaml_loader():
    """Zendesk's YAML has a bare `=` (YAML 1.1 'value' tag) and unquoted timestamps: keep both as strings."""
    yaml = pytest.importorskip("yaml")

    class Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
        pass

    Loader.add_constructor("tag:yaml.org,2002:value", lambda loader, node: loader.construct_scalar(node))
    Loader.yaml_implicit_resolvers = {
        first: [r for r in resolvers if r[0] != "tag:yaml.org,2002:timestamp"]
        for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }
    return yaml, Loader


@pytest.fixture(scope="module")
def oas_examples(oas_dir):
    cache = {}

    def get(doc):
        if doc not in cache:
            path = oas_dir / f"{doc}.yaml"
            if not path.is_file():
                pytest.fail(f"{path} is missing from Zendesk's OpenAPI description")
            yaml, loader = yaml_loader()
            with path.open() as handle:
                cache[doc] = yaml.load(handle, Loader=loader)["components"]["examples"]
        return cache[doc]

    return get


@pytest.mark.oas
@pytest.mark.parametrize("doc, example, stream, key", OAS_CASES, ids=[c[1] for c in OAS_CASES])
def test_zendesk_example_validates(resolved, oas_examples, doc, example, stream, key):
    body = oas_examples(doc)[example]["value"]
    records = body[key] if isinstance(body[key], list) else [body[key]]
    assert records, f"{example} holds no {key}"
    validator = record_validator(resolved(stream))
    errors = [
        f"{list(e.absolute_path)}: {e.message}"
        for record in records
        for e in validator.iter_errors(record)
        if (example, e.absolute_path[-1] if e.absolute_path else None) not in OAS_EXAMPLE_SLIPS
    ]
    assert errors == []


# ----------------------------------------------------------------- Zendesk's object descriptions (marker oas, as above)

# stream -> (OpenAPI document, component schemas describing its records)
OAS_OBJECTS = {
    "tickets": ("support-api", ["TicketObject"]),
    "users": ("support-api", ["UserForAdmin", "UserForEndUser"]),
    "user_identities": ("support-api", ["UserIdentityObject"]),
    "organizations": ("support-api", ["OrganizationObject"]),
    "groups": ("support-api", ["GroupObject"]),
    "group_memberships": ("support-api", ["GroupMembershipObject"]),
    "organization_memberships": ("support-api", ["OrganizationMembershipObject"]),
    "organization_fields": ("support-api", ["OrganizationFieldObject"]),
    "user_fields": ("support-api", ["UserFieldObject"]),
    "ticket_fields": ("support-api", ["TicketFieldObject"]),
    "ticket_forms": ("support-api", ["TicketFormObject"]),
    "ticket_comments": ("support-api", ["TicketCommentObject"]),
    "ticket_audits": ("support-api", ["TicketAuditObject"]),
    "ticket_metrics": ("support-api", ["TicketMetricObject"]),
    "ticket_metric_events": (
        "support-api",
        [
            "TicketMetricEventBaseObject",
            "TicketMetricEventSLAObject",
            "TicketMetricEventUpdateStatusObject",
            "TicketMetricEventBreachObject",
        ],
    ),
    "ticket_activities": ("support-api", ["ActivityObject"]),
    "ticket_skips": ("support-api", ["TicketSkipObject"]),
    "satisfaction_ratings": ("support-api", ["SatisfactionRatingObject"]),
    "brands": ("support-api", ["BrandObject"]),
    "tags": ("support-api", ["TagListTagObject"]),
    "macros": ("support-api", ["MacroObject"]),
    "triggers": ("support-api", ["TriggerObject"]),
    "automations": ("support-api", ["AutomationObject"]),
    "views": ("support-api", ["ViewObject"]),
    "sla_policies": ("support-api", ["SLAPolicyObject"]),
    "custom_roles": ("support-api", ["CustomRoleObject"]),
    "custom_ticket_statuses": ("support-api", ["CustomStatusObject"]),
    "audit_logs": ("support-api", ["AuditLogObject"]),
    "account_attributes": ("support-api", ["SkillBasedRoutingAttributeObject"]),
    "suspended_tickets": ("support-api", ["SuspendedTicketObject"]),
    "requests": ("support-api", ["RequestObject"]),
    "targets": ("support-api", ["TargetObject"]),
    "sharing_agreements": ("support-api", ["SharingAgreementObject"]),
    "recipient_addresses": ("support-api", ["SupportAddressObject"]),
    "dynamic_content": ("support-api", ["DynamicContentObject"]),
    "brand_agents": ("support-api", ["BrandAgentObject"]),
    "deleted_users": ("support-api", ["DeletedUserObject"]),
    "deletion_schedules": ("support-api", ["DeletionSchedule"]),
    "group_sla_policies": ("support-api", ["GroupSLAPolicyObject"]),
    "locales": ("support-api", ["LocaleObject"]),
    "organization_subscriptions": ("support-api", ["OrganizationSubscriptionObject"]),
    "queues": ("support-api", ["QueueObject"]),
    "satisfaction_reasons": ("support-api", ["SatisfactionReasonObject"]),
    "target_failures": ("support-api", ["TargetFailureObject"]),
    "ticket_form_statuses": ("support-api", ["TicketFormStatusObject"]),
    "trigger_categories": ("support-api", ["TriggerCategory", "TriggerCategoryRuleCounts"]),
    "workspaces": ("support-api", ["WorkspaceObject"]),
    "resource_collections": ("support-api", ["ResourceCollectionObject"]),
    "monitored_twitter_handles": ("support-api", ["TwitterChannelObject"]),
    "task_list_templates": ("support-api", ["TaskListTemplateObject"]),
    "account_settings": ("support-api", ["AccountSettingsObject"]),
    "articles": ("help-center-api", ["Article"]),
    "article_attachments": ("help-center-api", ["ArticleAttachment"]),
    "article_comments": ("help-center-api", ["Comment"]),
    "article_votes": ("help-center-api", ["Vote"]),
    "article_comment_votes": ("help-center-api", ["Vote"]),
    "post_votes": ("help-center-api", ["Vote"]),
    "post_comment_votes": ("help-center-api", ["Vote"]),
    "categories": ("help-center-api", ["Category"]),
    "sections": ("help-center-api", ["Section"]),
    "topics": ("help-center-api", ["Topic"]),
    "posts": ("help-center-api", ["Post"]),
    "post_comments": ("help-center-api", ["PostComment"]),
    "user_segments": ("help-center-api", ["UserSegment"]),
    "routing_attribute_events": ("support-api", ["IncrementalSkillBasedRoutingAttribute"]),
    "routing_attribute_value_events": ("support-api", ["IncrementalSkillBasedRoutingAttributeValue"]),
    "routing_instance_value_events": ("support-api", ["IncrementalSkillBasedRoutingInstanceValue"]),
    "assets": ("support-api", ["ItamAsset"]),
    "asset_types": ("support-api", ["ItamAssetType"]),
    "asset_fields": ("support-api", ["ItamAssetField"]),
    "asset_locations": ("support-api", ["ItamAssetLocation"]),
    "asset_statuses": ("support-api", ["ItamAssetStatus"]),
    "macro_attachments": ("support-api", ["MacroAttachmentObject"]),
    "ticket_task_lists": ("support-api", ["TaskListObject"]),
    "article_labels": ("help-center-api", ["Label"]),
    "article_translations": ("help-center-api", ["Translation"]),
    "section_subscriptions": ("help-center-api", ["ContentSubscription"]),
    "topic_subscriptions": ("help-center-api", ["ContentSubscription"]),
}
# Properties Zendesk describes that never come back in a read.
NOT_IN_RESPONSES = {
    "tickets": {"comment"},  # the comment to add when creating or updating
    "ticket_comments": {"add_short_url", "channel_back", "channel_source_id", "translate_to", "uploads"},
    "triggers": {"all", "any"},  # legacy spelling of conditions, accepted on write
    "targets": {"password"},
    "article_attachments": {"file"},  # the upload
}
OAS_TYPE_NAMES = {"integer", "number", "string", "boolean", "array", "object"}


@pytest.fixture(scope="module")
def oas_components(oas_dir):
    cache = {}

    def get(doc):
        if doc not in cache:
            path = oas_dir / f"{doc}.yaml"
            if not path.is_file():
                pytest.fail(f"{path} is missing from Zendesk's OpenAPI description")
            yaml, loader = yaml_loader()
            with path.open() as handle:
                cache[doc] = yaml.load(handle, Loader=loader)["components"]["schemas"]
        return cache[doc]

    return get


def oas_properties(components, schema):
    """Readable properties of an OpenAPI schema, with allOf/anyOf/oneOf variants merged."""
    while "$ref" in schema:
        schema = components[schema["$ref"].rsplit("/", 1)[-1]]
    props = {name: sub for name, sub in (schema.get("properties") or {}).items() if not sub.get("writeOnly")}
    for combinator in ("allOf", "anyOf", "oneOf"):
        for variant in schema.get(combinator, []):
            for name, sub in oas_properties(components, variant).items():
                props.setdefault(name, sub)
    return props


@pytest.mark.oas
@pytest.mark.parametrize("stream", sorted(OAS_OBJECTS))
def test_every_field_zendesk_describes_is_declared_with_its_type(resolved, oas_components, stream):
    doc, names = OAS_OBJECTS[stream]
    components = oas_components(doc)
    ours = resolved(stream)["properties"]
    missing, mistyped = [], []
    for name in names:
        for field, sub in oas_properties(components, components[name]).items():
            if field in NOT_IN_RESPONSES.get(stream, set()):
                continue
            if field not in ours:
                missing.append(field)
                continue
            while "$ref" in sub:
                sub = components[sub["$ref"].rsplit("/", 1)[-1]]
            described = sub.get("type")
            if described in OAS_TYPE_NAMES and described not in types_of(ours[field]):
                mistyped.append(f"{field}: Zendesk says {described}, we say {ours[field].get('type')}")
    assert missing == []
    assert mistyped == []


def test_registry_cursor_fields_are_in_their_schemas():
    for spec in ALL_STREAMS:
        name = spec.schema or spec.name
        properties = load_raw(SCHEMAS / f"{name}.json")["properties"]
        if spec.cursor_field:
            assert spec.cursor_field in properties, f"{name}: cursor field {spec.cursor_field} not in the schema"


def test_catalog_passes_the_cdk_standard_suites_schema_checks(resolved):
    """Every check the CDK's discover test runs on schemas, enforced or not, finds nothing."""
    checks = pytest.importorskip("airbyte_cdk.test.standard_tests._catalog_checks")
    from airbyte_cdk.models import AirbyteCatalog, AirbyteStream, SyncMode

    streams = [
        AirbyteStream(
            name=name,
            json_schema=resolved(name),
            supported_sync_modes=[SyncMode.full_refresh],
            source_defined_primary_key=[[field] for field in key] or None,
        )
        for name, key in STREAMS.items()
    ]
    problems = checks.find_catalog_problems(AirbyteCatalog(streams=streams))
    assert {check.name: found for check, found in problems.items()} == {}
