"""The Support API endpoint table: one row per path, binding it to a resource, a handler (a paging kind of
paging/support.py over the records of a support/ module), a plan gate, and the count of distinct records a full
walk returns (support/ground_truth.py), which /_sandbox/summary reports. Help Center, Talk and Chat have tables
of their own (help_center.py, talk.py, chat.py beside this one)."""

from __future__ import annotations

from ..paging.endpoint import ENTERPRISE, Endpoint, feature, not_team, plan_at_least, side_conversations_gate
from ..paging.support import cursor_export, listing, time_export, unpaged
from ..support import configuration as config, custom_objects, exports, ground_truth as truth, people, search, tickets
from ..support import it_assets as itam, routing_exports as routing
from ..support.macro_attachments import macro_attachments
from ..support.task_lists import task_lists_listed, ticket_task_lists
from ..support.trigger_revisions import trigger_revisions
from ..data.trigger_revisions import revision_count
from ..data.macro_attachments import attachment_count
from ..support import setup_lists as setup
from ..support.account_settings import account_settings
from ..support import agent_availability as availability

ITAM = "/api/v2/it_asset_management"
ITAM_GATE = plan_at_least("professional")  # the add-on needs Suite Professional or above
OMNICHANNEL = feature("omnichannel_routing")


def _show(key: str, name: str):
    """`/api/v2/<name>/{<key>_id}`: one record of the configuration list `name`."""
    return config.show(key, config.config_records(name), f"{key}_id")


SUPPORT_ENDPOINTS: list[Endpoint] = [
    # incremental exports (admin only)
    Endpoint(
        "/api/v2/incremental/tickets",
        "tickets",
        time_export(
            "tickets",
            exports.ticket_rows,
            exports.build_export_ticket,
            exports.ticket_sideloads,
            deleted=exports.ticket_deleted,
        ),
        admin_only=True,
        count=truth.tickets_exported,
    ),
    Endpoint(
        "/api/v2/incremental/tickets/cursor",
        "tickets",
        cursor_export(
            "tickets",
            exports.ticket_rows_after,
            exports.build_export_ticket,
            exports.ticket_sideloads,
            deleted=exports.ticket_deleted,
        ),
        admin_only=True,
        count=truth.tickets_exported,
    ),
    Endpoint(
        "/api/v2/incremental/users",
        "users",
        time_export("users", exports.user_rows, exports.build_export_user, exports.user_sideloads),
        admin_only=True,
        count=truth.users_exported,
    ),
    Endpoint(
        "/api/v2/incremental/users/cursor",
        "users",
        cursor_export("users", exports.user_rows_after, exports.build_export_user, exports.user_sideloads),
        admin_only=True,
        count=truth.users_exported,
    ),
    Endpoint(
        "/api/v2/incremental/organizations",
        "organizations",
        time_export("organizations", exports.organization_rows, exports.build_export_organization),
        admin_only=True,
        count=truth.organizations_exported,
    ),
    Endpoint(
        "/api/v2/incremental/ticket_events",
        "ticket_events",
        time_export("ticket_events", exports.event_rows, exports.build_event),
        admin_only=True,
        count=truth.events_exported,
    ),
    Endpoint(
        "/api/v2/incremental/ticket_metric_events",
        "ticket_metric_events",
        exports.ticket_metric_events,
        admin_only=True,
        count=truth.metric_events_exported,
    ),
    Endpoint(
        "/api/v2/incremental/tickets/sample",
        "tickets",
        time_export("tickets", exports.ticket_rows, exports.build_export_ticket, max_rows=exports.SAMPLE_ROWS),
        admin_only=True,
    ),
    Endpoint(
        "/api/v2/incremental/users/sample",
        "users",
        time_export("users", exports.user_rows, exports.build_export_user, max_rows=exports.SAMPLE_ROWS),
        admin_only=True,
    ),
    Endpoint(
        "/api/v2/incremental/organizations/sample",
        "organizations",
        time_export(
            "organizations", exports.organization_rows, exports.build_export_organization, max_rows=exports.SAMPLE_ROWS
        ),
        admin_only=True,
    ),
    Endpoint(
        "/api/v2/incremental/ticket_events/sample",
        "ticket_events",
        time_export("ticket_events", exports.event_rows, exports.build_event, max_rows=exports.SAMPLE_ROWS),
        admin_only=True,
    ),
    # tickets and their children
    Endpoint(
        "/api/v2/tickets",
        "tickets",
        listing("tickets", tickets.ticket_items, sideload=exports.ticket_sideloads),
        count=truth.tickets_live,
    ),
    Endpoint("/api/v2/tickets/show_many", "tickets", tickets.tickets_show_many),
    Endpoint("/api/v2/tickets/{ticket_id}", "tickets", tickets.ticket_show),
    Endpoint(
        "/api/v2/tickets/{ticket_id}/comments",
        "ticket_comments",
        listing("comments", tickets.comment_items),
        count=truth.comments_listed,
    ),
    Endpoint(
        "/api/v2/tickets/{ticket_id}/audits",
        "ticket_audits",
        listing("audits", tickets.ticket_audit_items),
        count=truth.audits_of_tickets_listed,
    ),
    Endpoint(
        "/api/v2/tickets/{ticket_id}/metrics",
        "ticket_metrics",
        tickets.ticket_metric_show,
        count=truth.tickets_not_deleted,
    ),
    Endpoint("/api/v2/tickets/{ticket_id}/metric_events", "ticket_metric_events", tickets.metric_events_grouped),
    Endpoint(
        "/api/v2/tickets/{ticket_id}/conversation_log",
        "conversation_log",
        listing("events", tickets.conversation_log_items, offset=False),
        count=truth.conversation_log,
    ),
    Endpoint(
        "/api/v2/tickets/{ticket_id}/side_conversations",
        "side_conversations",
        listing("side_conversations", tickets.side_conversation_items, sideload=tickets.side_conversation_sideloads),
        gate=side_conversations_gate,
        count=truth.side_conversations,
    ),
    Endpoint(
        "/api/v2/ticket_audits", "ticket_audits", tickets.ticket_audits, admin_only=True, count=truth.audits_listed
    ),
    Endpoint(
        "/api/v2/ticket_metrics",
        "ticket_metrics",
        listing("ticket_metrics", tickets.ticket_metric_items),
        count=truth.tickets_live,
    ),
    Endpoint(
        "/api/v2/deleted_tickets",
        "deleted_tickets",
        listing("deleted_tickets", tickets.deleted_ticket_items),
        count=truth.deleted_tickets_listed,
    ),
    Endpoint(
        "/api/v2/satisfaction_ratings",
        "satisfaction_ratings",
        listing("satisfaction_ratings", tickets.satisfaction_items),
        admin_only=True,
        gate=feature("csat"),
        count=truth.satisfaction_ratings,
    ),
    Endpoint("/api/v2/skips", "ticket_skips", listing("skips", tickets.skip_items), count=truth.skips),
    Endpoint(
        "/api/v2/activities",
        "ticket_activities",
        listing(
            "activities", tickets.activity_items, trailing_empty_page_quirk=True, sideload=tickets.activity_sideloads
        ),
        count=truth.activities,
    ),
    Endpoint("/api/v2/requests", "requests", listing("requests", tickets.request_items), count=truth.requests),
    # people
    Endpoint("/api/v2/users", "users", listing("users", people.user_items), count=truth.users_live),
    Endpoint("/api/v2/users/me", "users", people.me),
    Endpoint("/api/v2/users/{user_id}", "users", people.user_show),
    Endpoint(
        "/api/v2/users/{user_id}/identities",
        "user_identities",
        listing("identities", people.identity_items),
        count=truth.identities_listed,
    ),
    Endpoint(
        "/api/v2/deleted_users",
        "users",
        listing("deleted_users", people.deleted_user_items),
        admin_only=True,
        count=truth.users_deleted,
    ),
    Endpoint(
        "/api/v2/organizations",
        "organizations",
        listing("organizations", people.organization_items),
        count=truth.organizations_live,
    ),
    Endpoint("/api/v2/organizations/{organization_id}", "organizations", people.organization_show),
    Endpoint(
        "/api/v2/organization_memberships",
        "organization_memberships",
        listing("organization_memberships", people.organization_membership_items),
        count=truth.organization_memberships,
    ),
    Endpoint("/api/v2/groups", "groups", listing("groups", people.group_items), count=truth.live_groups),
    Endpoint("/api/v2/groups/{group_id}", "groups", config.show("group", config.config_records("groups"), "group_id")),
    Endpoint(
        "/api/v2/group_memberships",
        "group_memberships",
        listing("group_memberships", config.config_list("group_memberships")),
        count=truth.config_count("group_memberships"),
    ),
    # configuration
    Endpoint(
        "/api/v2/ticket_fields",
        "ticket_fields",
        listing("ticket_fields", config.by_position("ticket_fields")),
        count=truth.config_count("ticket_fields"),
    ),
    Endpoint(
        "/api/v2/user_fields",
        "user_fields",
        listing("user_fields", config.by_position("user_fields")),
        count=truth.config_count("user_fields"),
    ),
    Endpoint(
        "/api/v2/organization_fields",
        "organization_fields",
        listing("organization_fields", config.by_position("organization_fields")),
        count=truth.config_count("organization_fields"),
    ),
    Endpoint(
        "/api/v2/ticket_forms",
        "ticket_forms",
        listing("ticket_forms", config.by_position("ticket_forms"), cursor=False, unpaged=True),
        gate=feature("ticket_forms"),
        count=truth.config_count("ticket_forms"),
    ),
    Endpoint(
        "/api/v2/brands", "brands", listing("brands", config.config_list("brands")), count=truth.config_count("brands")
    ),
    Endpoint(
        "/api/v2/tags",
        "tags",
        listing("tags", config.config_list("tags", lambda tag: (-tag["count"], tag["name"]), "-score,id")),
        count=truth.config_count("tags"),
    ),
    Endpoint(
        "/api/v2/macros",
        "macros",
        listing("macros", config.rule_items("macros", lambda rule: (rule["title"], rule["id"]), "title,id")),
        count=truth.config_count("macros"),
    ),
    Endpoint(
        "/api/v2/triggers",
        "triggers",
        listing(
            "triggers",
            config.rule_items(
                "triggers", lambda rule: (rule["position"], rule["title"], rule["id"]), "position,position,title,id"
            ),
        ),
        count=truth.config_count("triggers"),
    ),
    Endpoint(
        "/api/v2/automations",
        "automations",
        listing(
            "automations", config.rule_items("automations", lambda rule: (rule["position"], rule["id"]), "position,id")
        ),
        count=truth.config_count("automations"),
    ),
    Endpoint(
        "/api/v2/views",
        "views",
        listing("views", config.config_list("views", lambda view: (view["created_at"], view["id"]), "created_at,id")),
        count=truth.config_count("views"),
    ),
    # one record by id (clients fetch the field, form or rule a ticket names)
    Endpoint("/api/v2/ticket_fields/{ticket_field_id}", "ticket_fields", _show("ticket_field", "ticket_fields")),
    Endpoint("/api/v2/user_fields/{user_field_id}", "user_fields", _show("user_field", "user_fields")),
    Endpoint(
        "/api/v2/organization_fields/{organization_field_id}",
        "organization_fields",
        _show("organization_field", "organization_fields"),
    ),
    Endpoint(
        "/api/v2/ticket_forms/{ticket_form_id}",
        "ticket_forms",
        _show("ticket_form", "ticket_forms"),
        gate=feature("ticket_forms"),
    ),
    Endpoint("/api/v2/brands/{brand_id}", "brands", _show("brand", "brands")),
    Endpoint("/api/v2/macros/{macro_id}", "macros", _show("macro", "macros")),
    Endpoint("/api/v2/triggers/{trigger_id}", "triggers", _show("trigger", "triggers")),
    Endpoint("/api/v2/automations/{automation_id}", "automations", _show("automation", "automations")),
    Endpoint("/api/v2/views/{view_id}", "views", _show("view", "views")),
    Endpoint(
        "/api/v2/slas/policies",
        "sla_policies",
        listing("sla_policies", config.by_position("sla_policies"), cursor=False, unpaged=True),
        gate=plan_at_least("professional"),
        count=truth.config_count("sla_policies"),
    ),
    Endpoint(
        "/api/v2/business_hours/schedules",
        "schedules",
        unpaged("schedules", config.config_records("schedules")),
        gate=not_team,
        count=truth.config_count("schedules"),
    ),
    Endpoint(
        "/api/v2/business_hours/schedules/{schedule_id}/holidays",
        "schedule_holidays",
        config.schedule_holidays,
        gate=not_team,
        count=truth.holidays,
    ),
    Endpoint(
        "/api/v2/custom_roles",
        "custom_roles",
        listing("custom_roles", config.config_list("custom_roles"), cursor=False, unpaged=True),
        gate=ENTERPRISE,
        count=truth.config_count("custom_roles"),
    ),
    Endpoint(
        "/api/v2/custom_statuses",
        "custom_ticket_statuses",
        unpaged("custom_statuses", config.config_records("custom_statuses")),
        count=truth.config_count("custom_statuses"),
    ),
    Endpoint(
        "/api/v2/audit_logs",
        "audit_logs",
        config.audit_logs,
        admin_only=True,
        gate=ENTERPRISE,
        count=truth.config_count("audit_logs"),
    ),
    Endpoint(
        "/api/v2/routing/attributes",
        "account_attributes",
        listing("attributes", config.config_list("routing_attributes"), cursor=False),
        gate=ENTERPRISE,
        count=truth.config_count("routing_attributes"),
    ),
    Endpoint(
        "/api/v2/routing/attributes/definitions",
        "attribute_definitions",
        config.routing_definitions,
        gate=ENTERPRISE,
        count=truth.routing_definitions,
    ),
    Endpoint(
        "/api/v2/suspended_tickets",
        "suspended_tickets",
        listing("suspended_tickets", config.config_list("suspended_tickets")),
        count=truth.config_count("suspended_tickets"),
    ),
    Endpoint(
        "/api/v2/targets",
        "targets",
        listing("targets", config.config_list("targets"), cursor=False),
        count=truth.config_count("targets"),
    ),
    Endpoint(
        "/api/v2/sharing_agreements",
        "sharing_agreements",
        listing("sharing_agreements", config.config_list("sharing_agreements"), cursor=False),
        count=truth.config_count("sharing_agreements"),
    ),
    Endpoint(
        "/api/v2/recipient_addresses",
        "recipient_addresses",
        listing("recipient_addresses", config.config_list("recipient_addresses")),
        count=truth.config_count("recipient_addresses"),
    ),
    Endpoint(
        "/api/v2/dynamic_content/items",
        "dynamic_content",
        listing("items", config.config_list("dynamic_content")),
        count=truth.config_count("dynamic_content"),
    ),
    Endpoint("/api/v2/account/settings", "account_settings", account_settings, count=truth.one),
    # finished background jobs, newest first
    Endpoint(
        "/api/v2/job_statuses",
        "job_statuses",
        listing("job_statuses", config.config_list("job_statuses", config.newest_first, "-created_at,id")),
        count=truth.config_count("job_statuses"),
    ),
    # setup lists (data/setup_lists.py)
    Endpoint(
        "/api/v2/brand_agents",
        "brand_agents",
        listing("brand_agents", setup.setup_list("brand_agents")),
        admin_only=True,
        count=truth.setup_count("brand_agents"),
    ),
    Endpoint(
        "/api/v2/deletion_schedules",
        "deletion_schedules",
        unpaged("deletion_schedules", setup.setup_records("deletion_schedules")),
        admin_only=True,
        gate=plan_at_least("professional"),
        count=truth.setup_count("deletion_schedules"),
    ),
    Endpoint(
        "/api/v2/group_slas/policies",
        "group_sla_policies",
        listing(
            "group_sla_policies",
            setup.setup_list("group_sla_policies", lambda policy: (policy["position"],), "position"),
            cursor=False,
            unpaged=True,
        ),
        admin_only=True,
        gate=plan_at_least("professional"),
        count=truth.setup_count("group_sla_policies"),
    ),
    Endpoint(
        "/api/v2/locales",
        "locales",
        unpaged("locales", setup.setup_records("locales")),
        count=truth.setup_count("locales"),
    ),
    Endpoint("/api/v2/macros/categories", "macro_categories", config.macro_categories, count=truth.macro_categories),
    Endpoint(
        "/api/v2/organization_subscriptions",
        "organization_subscriptions",
        listing("organization_subscriptions", setup.setup_list("organization_subscriptions")),
        count=truth.setup_count("organization_subscriptions"),
    ),
    Endpoint(
        "/api/v2/queues",
        "queues",
        unpaged("queues", setup.setup_records("queues")),
        admin_only=True,
        gate=plan_at_least("professional"),
        count=truth.setup_count("queues"),
    ),
    # omnichannel routing's agent availability (JSON:API, cursor pages only); off: 403 as an admin-only page
    Endpoint(
        "/api/v2/agent_availabilities",
        "agent_availabilities",
        availability.agent_availabilities,
        admin_only=True,
        gate=OMNICHANNEL,
        count=availability.availabilities_count,
    ),
    Endpoint(
        "/api/v2/agent_availabilities/agent_statuses",
        "unified_agent_statuses",
        availability.unified_agent_statuses,
        admin_only=True,
        gate=OMNICHANNEL,
        count=availability.statuses_count,
    ),
    Endpoint(
        "/api/v2/satisfaction_reasons",
        "satisfaction_reasons",
        unpaged("reasons", setup.setup_records("satisfaction_reasons")),
        admin_only=True,
        gate=feature("csat"),
        count=truth.setup_count("satisfaction_reasons"),
    ),
    Endpoint(
        "/api/v2/target_failures",
        "target_failures",
        unpaged("target_failures", setup.setup_records("target_failures")),
        admin_only=True,
        count=truth.setup_count("target_failures"),
    ),
    Endpoint(
        "/api/v2/ticket_form_statuses",
        "ticket_form_statuses",
        unpaged("ticket_form_statuses", setup.setup_records("ticket_form_statuses")),
        gate=feature("ticket_forms"),
        count=truth.setup_count("ticket_form_statuses"),
    ),
    Endpoint(
        "/api/v2/trigger_categories",
        "trigger_categories",
        setup.trigger_categories,
        count=truth.setup_count("trigger_categories"),
    ),
    Endpoint(
        "/api/v2/workspaces",
        "workspaces",
        listing(
            "workspaces",
            setup.setup_list("workspaces", lambda space: (space["position"], space["id"]), "position,id"),
            cursor=False,
        ),
        gate=ENTERPRISE,
        count=truth.setup_count("workspaces"),
    ),
    Endpoint(
        "/api/v2/resource_collections",
        "resource_collections",
        listing("resource_collections", setup.setup_list("resource_collections"), cursor=False),
        admin_only=True,
        count=truth.setup_count("resource_collections"),
    ),
    Endpoint(
        "/api/v2/approval_requests",
        "approval_requests",
        setup.approval_requests,
        admin_only=True,
        gate=ENTERPRISE,
        count=truth.setup_count("approval_requests"),
    ),
    Endpoint(
        "/api/v2/channels/twitter/monitored_twitter_handles",
        "monitored_twitter_handles",
        unpaged("monitored_twitter_handles", setup.setup_records("monitored_twitter_handles")),
        count=truth.setup_count("monitored_twitter_handles"),
    ),
    Endpoint(
        "/api/v2/task_list_templates",
        "task_list_templates",
        listing("task_list_templates", setup.setup_list("task_list_templates")),
        count=truth.setup_count("task_list_templates"),
    ),
    Endpoint(
        "/api/v2/task_list_templates/{task_list_template_id}/tasks",
        "task_list_template_tasks",
        setup.template_tasks,
        count=setup.template_tasks_count,
    ),
    # custom objects: their records' export has a window of its own (ratelimit.py)
    Endpoint("/api/v2/custom_objects", "custom_objects", custom_objects.list_objects, count=truth.custom_objects),
    Endpoint("/api/v2/custom_objects/{custom_object_key}", "custom_objects", custom_objects.show_object),
    Endpoint(
        "/api/v2/custom_objects/{custom_object_key}/fields",
        "custom_object_fields",
        listing("custom_object_fields", custom_objects.field_items),
        count=truth.custom_object_fields,
    ),
    Endpoint(
        "/api/v2/custom_objects/{custom_object_key}/records", "custom_object_records", custom_objects.list_records
    ),
    Endpoint(
        "/api/v2/custom_objects/{custom_object_key}/records/count",
        "custom_object_records",
        custom_objects.count_records,
    ),
    Endpoint(
        "/api/v2/incremental/custom_objects/{custom_object_key}/cursor",
        "custom_object_records",
        custom_objects.export_records,
        admin_only=True,
    ),
    # coverage (b): skill-based routing changes, IT asset management (an add-on), macro attachments
    *[
        Endpoint(
            f"/api/v2/incremental/routing/{kind}",
            name,
            routing.routing_export(kind),
            admin_only=True,
            gate=ENTERPRISE,
            count=routing.exported(kind),
        )
        for kind, name in (
            ("attributes", "routing_attribute_events"),
            ("attribute_values", "routing_attribute_value_events"),
            ("instance_values", "routing_instance_value_events"),
        )
    ],
    Endpoint(
        f"{ITAM}/assets",
        "assets",
        itam.cursor_list("assets", lambda a: a.assets),
        gate=ITAM_GATE,
        count=itam.count_of(lambda a: a.assets),
    ),
    Endpoint(
        f"{ITAM}/asset_types",
        "asset_types",
        itam.whole("asset_types", lambda a: a.asset_types),
        gate=ITAM_GATE,
        count=itam.count_of(lambda a: a.asset_types),
    ),
    Endpoint(
        f"{ITAM}/asset_types/{{asset_type_id}}/fields",
        "asset_fields",
        itam.asset_fields,
        gate=ITAM_GATE,
        count=itam.fields_count,
    ),
    Endpoint(
        f"{ITAM}/locations",
        "asset_locations",
        itam.cursor_list("locations", lambda a: a.locations),
        gate=ITAM_GATE,
        count=itam.count_of(lambda a: a.locations),
    ),
    Endpoint(
        f"{ITAM}/statuses",
        "asset_statuses",
        itam.whole("statuses", lambda a: a.statuses),
        gate=ITAM_GATE,
        count=itam.count_of(lambda a: a.statuses),
    ),
    Endpoint("/api/v2/macros/{macro_id}/attachments", "macro_attachments", macro_attachments, count=attachment_count),
    Endpoint(
        "/api/v2/triggers/{trigger_id}/revisions",
        "trigger_revisions",
        trigger_revisions,
        gate=ENTERPRISE,
        count=revision_count,
    ),
    Endpoint("/api/v2/tickets/{ticket_id}/task_lists", "ticket_task_lists", ticket_task_lists, count=task_lists_listed),
    # search
    Endpoint("/api/v2/search/export", "search", search.search_export),
    Endpoint("/api/v2/search", "search", search.search),
    Endpoint("/api/v2/search/count", "search", search.search_count),
]
