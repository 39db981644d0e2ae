"""Every stream the connector offers, one row each: what it is called, where Zendesk serves it, which stream class
(and so which page walker) reads it, and the options of that kind of stream.

Adding a Support list stream is one row here plus one schema file in schemas/. Tests and the README's stream table
are derived from these rows.
"""

from __future__ import annotations

from typing import Any, Dict, List, Optional

from ..paging.exports import CursorExportWalker, TimeExportWalker
from ..paging.lists import CursorPagesWalker
from ..records import extractors as extract
from ..foundation.clock import to_iso
from ..streams.chat import AgentTimelineStream, ChatExportStream, SinceIdStream
from ..streams.custom_objects import CustomObjectFieldsStream, CustomObjectsStream
from ..streams.children import ParentChildrenStream
from ..streams.exports import CursorExportStream, NextPageCursorExportStream, TimeExportStream
from ..streams.lists import CursorPagesStream, NamesStream, OffsetPagesStream, SchedulesStream, UnpagedStream
from ..streams.search import SearchExportStream
from ..streams.spec import (
    CountEstimate,
    ListedParents,
    ListOrder,
    NotCounted,
    Parents,
    StartFilter,
    StreamSpec,
    TimeProjection,
)


def since(param: str) -> StartFilter:
    return lambda start, end: {param: start}


# Zendesk takes no open-ended range here; 2100-01-01 stands for "no end".
NO_END = 4102444800


def created_at_range(start: int, end: Optional[int]) -> Dict[str, Any]:
    """audit_logs takes a [from, to] pair of ISO times."""
    return {"filter[created_at][]": [to_iso(start), to_iso(end or NO_END)]}


def offset_count(path: str) -> CountEstimate:
    """Lists without a count endpoint: their offset-paged first page of one item carries the list's `count`
    (Zendesk answers offset pages wherever page[size] is not sent)."""
    return CountEstimate(path, params={"per_page": 1}, when_more=True)


def _pages(
    name: str, path: str, list_key: Optional[str] = None, cursor: Optional[str] = "updated_at", **kw: Any
) -> StreamSpec:
    """A cursor-paged list; its row estimate is the list's offset count unless the row names a better one."""
    kw.setdefault("estimate", offset_count(path))
    return StreamSpec(
        name=name, path=path, family=CursorPagesStream, list_key=list_key or name, cursor_field=cursor, **kw
    )


def _offset(
    name: str, path: str, list_key: Optional[str] = None, cursor: Optional[str] = "updated_at", **kw: Any
) -> StreamSpec:
    return StreamSpec(
        name=name, path=path, family=OffsetPagesStream, list_key=list_key or name, cursor_field=cursor, **kw
    )


def _unpaged(
    name: str, path: str, list_key: Optional[str] = None, cursor: Optional[str] = "updated_at", **kw: Any
) -> StreamSpec:
    return StreamSpec(
        name=name,
        path=path,
        family=kw.pop("family", UnpagedStream),
        list_key=list_key or name,
        cursor_field=cursor,
        **kw,
    )


TICKET_EXPORT = "incremental/tickets/cursor"


# Per-ticket children: the account's ticket count, times the children per ticket of the first tickets visited.
PER_TICKET = CountEstimate("tickets/count", per="id")


def _side_conversations(name: str, cursor: str = "updated_at", **kw: Any) -> StreamSpec:
    return StreamSpec(
        name,
        "tickets/{parent_id}/side_conversations",
        ParentChildrenStream,
        "side_conversations",
        cursor_field=cursor,
        parents=Parents(TICKET_EXPORT, "tickets", "ticket_id", CursorExportWalker),
        params={"include": "events"},
        needs="the Collaboration add-on (side conversations)",
        suggested=False,
        estimate=PER_TICKET,
        **kw,
    )


USER_EXPORT = "incremental/users/cursor"
TICKET_EVENT_EXPORT = "incremental/ticket_events"
METRIC_SETS = {"include": "metric_sets"}
COMMENT_EVENTS = {"include": "comment_events"}
ENTERPRISE = "the Enterprise plan"
TICKET_FORMS = "multiple ticket forms turned on"
CONDITION_KEY = ["ticket_form_id", "parent_field_id", "value", "child_field_id"]
# Zendesk's counts, for the platform's row estimates: one record per counted object, or several (`per`).
TICKETS_COUNT = CountEstimate("tickets/count")
EVENTS_PER_TICKET = CountEstimate("tickets/count", per="ticket_id")
USERS_COUNT = CountEstimate("users/count")
PROJECTED = TimeProjection()
PER_LISTED_PARENT = ListedParents()
# Lists paged by cursor only, with no count endpoint: Zendesk counts them nowhere.
UNCOUNTED = NotCounted()


NEWEST_UPDATED = {"sort_by": "updated_at", "sort_order": "desc"}
OMNICHANNEL = "omnichannel routing (agent availability and unified agent statuses)"
ITAM = "it_asset_management/"
ITAM_ADDON = "IT asset management (an add-on)"


def _routing_export(name: str, kind: str) -> StreamSpec:
    """A skill-based routing export: change events (create, update, delete; associate, unassociate), so an id
    recurs once per change."""
    return StreamSpec(
        name,
        f"incremental/routing/{kind}",
        NextPageCursorExportStream,
        kind,
        cursor_field="time",
        primary_key=["id", "type", "time"],
        needs="skills-based routing (Enterprise plan)",
    )


SUPPORT_STREAMS: List[StreamSpec] = [
    # Incremental exports: every change, archived and deleted records included, 1000 per page.
    StreamSpec(
        "tickets",
        TICKET_EXPORT,
        CursorExportStream,
        "tickets",
        cursor_field="generated_timestamp",
        params=METRIC_SETS,
        extract=extract.tickets_without_metric_sets,
        deletion_field="status",
        estimate=TICKETS_COUNT,
    ),
    StreamSpec(
        "ticket_metrics",
        TICKET_EXPORT,
        CursorExportStream,
        "tickets",
        cursor_field="generated_timestamp",
        params=METRIC_SETS,
        extract=extract.metric_sets,
        estimate=TICKETS_COUNT,
    ),
    StreamSpec(
        "users",
        USER_EXPORT,
        CursorExportStream,
        "users",
        cursor_field="updated_at",
        params={"include": "identities"},
        extract=extract.users_only,
        deletion_field="active",
        estimate=USERS_COUNT,
    ),
    StreamSpec(
        "user_identities",
        USER_EXPORT,
        CursorExportStream,
        "users",
        cursor_field="updated_at",
        params={"include": "identities"},
        extract=extract.identities,
        export_cursor="updated_at",
        estimate=CountEstimate("users/count", per="id"),
    ),
    StreamSpec(
        "organizations",
        "incremental/organizations",
        TimeExportStream,
        "organizations",
        cursor_field="updated_at",
        deletion_field="deleted_at",
        estimate=CountEstimate("organizations/count"),
    ),
    StreamSpec(
        "ticket_events",
        TICKET_EVENT_EXPORT,
        TimeExportStream,
        "ticket_events",
        cursor_field="timestamp",
        params=COMMENT_EVENTS,
        estimate=EVENTS_PER_TICKET,
    ),
    StreamSpec(
        "ticket_comments",
        TICKET_EVENT_EXPORT,
        TimeExportStream,
        "ticket_events",
        cursor_field="timestamp",
        params=COMMENT_EVENTS,
        extract=extract.comment_events,
        estimate=EVENTS_PER_TICKET,
    ),
    StreamSpec(
        "ticket_attachments",
        TICKET_EVENT_EXPORT,
        TimeExportStream,
        "ticket_events",
        cursor_field="timestamp",
        params=COMMENT_EVENTS,
        extract=extract.ticket_attachments,
        estimate=EVENTS_PER_TICKET,
    ),
    StreamSpec(
        "ticket_field_history",
        TICKET_EVENT_EXPORT,
        TimeExportStream,
        "ticket_events",
        cursor_field="timestamp",
        params=COMMENT_EVENTS,
        extract=extract.field_history,
        primary_key=["event_id", "field"],
        estimate=EVENTS_PER_TICKET,
    ),
    StreamSpec(
        "ticket_tag_history",
        TICKET_EVENT_EXPORT,
        TimeExportStream,
        "ticket_events",
        cursor_field="timestamp",
        params=COMMENT_EVENTS,
        extract=extract.tag_history,
        primary_key="event_id",
        estimate=EVENTS_PER_TICKET,
    ),
    StreamSpec(
        "ticket_metric_events",
        "incremental/ticket_metric_events",
        TimeExportStream,
        "ticket_metric_events",
        cursor_field="time",
        deletion_field="deleted",
        estimate=EVENTS_PER_TICKET,
    ),
    # Cursor pages.
    _pages(
        "ticket_audits",
        "ticket_audits",
        "audits",
        cursor="created_at",
        pages=ListOrder("asc", resume_from_page_cursor=True),
        estimate=EVENTS_PER_TICKET,
    ),
    _pages(
        "ticket_activities",
        "activities",
        "activities",
        pages=ListOrder("desc", since("start_time")),
        estimate=CountEstimate("activities/count"),
    ),
    # Skips never change once recorded: newest first, a re-sync stops at the first one it already has.
    _pages(
        "ticket_skips", "skips", "skips", cursor="created_at", params={"sort_order": "desc"}, pages=ListOrder("desc")
    ),
    _pages(
        "satisfaction_ratings",
        "satisfaction_ratings",
        pages=ListOrder(start_filter=since("start_time")),
        needs="customer satisfaction ratings turned on",
        estimate=CountEstimate("satisfaction_ratings/count"),
    ),
    # Newest first (Zendesk sorts these by a time on request): a re-sync stops at the first record it already has.
    _pages(
        "deleted_tickets",
        "deleted_tickets",
        cursor="deleted_at",
        params={"sort_by": "deleted_at", "sort_order": "desc"},
        pages=ListOrder("desc"),
        deletion_field="always",
    ),
    _pages(
        "audit_logs",
        "audit_logs",
        cursor="created_at",
        params={"sort": "created_at"},
        pages=ListOrder("asc", created_at_range),
        needs=ENTERPRISE,
    ),
    _pages("groups", "groups", params={"exclude_deleted": "false"}, deletion_field="deleted"),
    _pages("group_memberships", "group_memberships"),
    _pages("organization_memberships", "organization_memberships"),
    _pages("ticket_fields", "ticket_fields"),
    _pages("user_fields", "user_fields"),
    _pages("organization_fields", "organization_fields"),
    _pages("brands", "brands", deletion_field="is_deleted"),
    _pages("tags", "tags", cursor=None, primary_key="name"),
    _pages("macros", "macros"),
    _pages("triggers", "triggers"),
    _pages("automations", "automations"),
    _pages("views", "views"),
    _pages("recipient_addresses", "recipient_addresses"),
    _pages("suspended_tickets", "suspended_tickets", cursor="created_at"),
    _pages("requests", "requests", params=NEWEST_UPDATED, pages=ListOrder("desc")),
    _pages("dynamic_content", "dynamic_content/items", "items"),
    # Offset pages (Zendesk offers no cursor pages for these).
    _offset("ticket_forms", "ticket_forms", deletion_field="deleted_at", needs=TICKET_FORMS),
    # One row per child field of each condition set, from the same pages as ticket_forms (no request of their own).
    _offset(
        "ticket_form_agent_conditions",
        "ticket_forms",
        "ticket_forms",
        cursor=None,
        primary_key=CONDITION_KEY,
        extract=extract.agent_conditions,
        needs=TICKET_FORMS,
    ),
    _offset(
        "ticket_form_end_user_conditions",
        "ticket_forms",
        "ticket_forms",
        cursor=None,
        primary_key=CONDITION_KEY,
        extract=extract.end_user_conditions,
        needs=TICKET_FORMS,
    ),
    _offset("custom_roles", "custom_roles", needs=ENTERPRISE),
    _offset("sharing_agreements", "sharing_agreements"),
    _offset("targets", "targets", cursor="created_at"),
    # One response holds the whole list.
    _unpaged("sla_policies", "slas/policies", needs="the Professional plan or above"),
    # Schedules carry their holidays, read one schedule at a time.
    _unpaged(
        "schedules",
        "business_hours/schedules",
        family=SchedulesStream,
        needs="business hours (Professional plan or above)",
    ),
    _unpaged("custom_ticket_statuses", "custom_statuses", "custom_statuses"),
    _unpaged("account_attributes", "routing/attributes", "attributes", needs=ENTERPRISE),
    _unpaged(
        "attribute_definitions",
        "routing/attributes/definitions",
        "definitions",
        cursor=None,
        primary_key=None,
        extract=extract.attribute_definitions,
        needs=ENTERPRISE,
    ),
    # The account's setup lists: Zendesk filters none of them by time, so each is read whole (one request for most)
    # and filtered by time on the client.
    _pages("brand_agents", "brand_agents"),
    _pages("deleted_users", "deleted_users", deletion_field="always"),
    _pages("organization_subscriptions", "organization_subscriptions", cursor="created_at"),
    _pages(
        "trigger_categories",
        "trigger_categories",
        params={"include": "rule_counts", "sort": "-updated_at"},
        pages=ListOrder("desc"),
    ),
    # Cursor pages only (no offset page carries a count), and Zendesk counts them nowhere: no row estimate.
    _pages("task_list_templates", "task_list_templates", estimate=None),
    # The steps of the templates changed since the last sync.
    StreamSpec(
        "task_list_template_tasks",
        "task_list_templates/{parent_id}/tasks",
        ParentChildrenStream,
        "tasks",
        cursor_field="updated_at",
        parents=Parents("task_list_templates", "task_list_templates", "task_list_template_id", CursorPagesWalker),
        estimate=PER_LISTED_PARENT,
    ),
    _pages("approval_requests", "approval_requests", cursor="created_at", needs="approval workflows", estimate=None),
    _offset("workspaces", "workspaces", needs="contextual workspaces (Enterprise plan)"),
    _offset("resource_collections", "resource_collections"),
    _unpaged("deletion_schedules", "deletion_schedules", needs="data deletion schedules (Professional plan or above)"),
    _unpaged("group_sla_policies", "group_slas/policies", needs="the Professional plan or above"),
    _unpaged("locales", "locales"),
    _unpaged(
        "macro_categories", "macros/categories", "categories", cursor=None, primary_key="name", family=NamesStream
    ),
    _unpaged("queues", "queues", needs="omnichannel routing queues (Professional plan or above)"),
    _unpaged(
        "satisfaction_reasons",
        "satisfaction_reasons",
        "reasons",
        deletion_field="deleted_at",
        needs="customer satisfaction ratings turned on",
    ),
    # Omnichannel routing's agent availability (JSON:API, cursor pages only): every agent's current status, a
    # snapshot read whole, and the unified statuses agents can be in.
    _pages(
        "agent_availabilities",
        "agent_availabilities",
        "data",
        cursor=None,
        primary_key="agent_id",
        extract=extract.agent_availabilities,
        needs=OMNICHANNEL,
        estimate=UNCOUNTED,
    ),
    # The default and the custom statuses come as two lists beside the paging fields: the whole body is the item.
    StreamSpec(
        "unified_agent_statuses",
        "agent_availabilities/agent_statuses",
        CursorPagesStream,
        "",
        extract=extract.unified_agent_statuses,
        needs=OMNICHANNEL,
        estimate=UNCOUNTED,
    ),
    _unpaged("target_failures", "target_failures", cursor="created_at"),
    _unpaged("ticket_form_statuses", "ticket_form_statuses", cursor=None, needs=TICKET_FORMS),
    _unpaged("monitored_twitter_handles", "channels/twitter/monitored_twitter_handles"),
    # One record: the account's settings.
    _unpaged("account_settings", "account/settings", "settings", cursor=None, primary_key=None),
    # Custom objects: their definitions and fields (each object's records are a stream of their own, found at
    # discover: streams/custom_objects.py).
    _unpaged("custom_objects", "custom_objects", primary_key="key", family=CustomObjectsStream),
    StreamSpec(
        "custom_object_fields", "custom_objects/{parent_id}/fields", CustomObjectFieldsStream, "custom_object_fields"
    ),
    # Per ticket, only for tickets changed since the last sync (Zendesk has no account-wide list). One page of a
    # ticket's side conversations, with their events sideloaded, serves the three streams.
    _side_conversations("side_conversations"),
    _side_conversations("side_conversation_events", cursor="created_at", extract=extract.side_conversation_events),
    _side_conversations(
        "side_conversation_recipients",
        primary_key=["side_conversation_id", "recipient"],
        extract=extract.side_conversation_recipients,
    ),
    # Per messaging ticket changed since the last sync: its messages, bot replies and comments, in order.
    StreamSpec(
        "conversation_log",
        "tickets/{parent_id}/conversation_log",
        ParentChildrenStream,
        "events",
        cursor_field="created_at",
        estimate=PER_TICKET,
        parents=Parents(TICKET_EXPORT, "tickets", "ticket_id", CursorExportWalker, only=extract.from_messaging),
    ),
    # Coverage (b): skill-based routing changes, IT asset management, per-parent Support lists.
    # Every change of routing attributes, their values and the agents and tickets they are set on, as events.
    _routing_export("routing_attribute_events", "attributes"),
    _routing_export("routing_attribute_value_events", "attribute_values"),
    _routing_export("routing_instance_value_events", "instance_values"),
    _pages("assets", ITAM + "assets", needs=ITAM_ADDON, estimate=UNCOUNTED),
    _unpaged("asset_types", ITAM + "asset_types", needs=ITAM_ADDON),
    StreamSpec(
        "asset_fields",
        ITAM + "asset_types/{parent_id}/fields",
        ParentChildrenStream,
        "fields",
        cursor_field="updated_at",
        primary_key=["asset_type_id", "id"],
        needs=ITAM_ADDON,
        estimate=PER_LISTED_PARENT,
        parents=Parents(ITAM + "asset_types", "asset_types", "asset_type_id", CursorPagesWalker),
    ),
    _pages("asset_locations", ITAM + "locations", "locations", needs=ITAM_ADDON, estimate=UNCOUNTED),
    _unpaged("asset_statuses", ITAM + "statuses", "statuses", needs=ITAM_ADDON),
    # The attachments of macros changed since the last sync (one uploaded onto an unchanged macro waits for a full
    # refresh: reading every macro's on every sync is the only other way).
    StreamSpec(
        "macro_attachments",
        "macros/{parent_id}/attachments",
        ParentChildrenStream,
        "macro_attachments",
        cursor_field="created_at",
        parents=Parents("macros", "macros", "macro_id", CursorPagesWalker),
        estimate=PER_LISTED_PARENT,
    ),
    # Every change of a trigger leaves a revision: the revisions of triggers changed since the last sync.
    StreamSpec(
        "trigger_revisions",
        "triggers/{parent_id}/revisions",
        ParentChildrenStream,
        "trigger_revisions",
        cursor_field="created_at",
        parents=Parents("triggers", "triggers", "trigger_id", CursorPagesWalker),
        needs=ENTERPRISE,
        estimate=PER_LISTED_PARENT,
    ),
    # Per ticket like side_conversations: only tickets changed since the last sync (opt-in).
    StreamSpec(
        "ticket_task_lists",
        "tickets/{parent_id}/task_lists",
        ParentChildrenStream,
        "task_lists",
        cursor_field="updated_at",
        parents=Parents(TICKET_EXPORT, "tickets", "ticket_id", CursorExportWalker),
        suggested=False,
        estimate=CountEstimate("tickets/count", per="id"),
    ),
    # Airbyte 5.5's opt-in stream of this name: tickets from the search index (lags behind; `tickets` is complete).
    StreamSpec(
        "tickets_search",
        "search/export",
        SearchExportStream,
        "results",
        cursor_field="updated_at",
        params={"filter[type]": "ticket"},
        schema="tickets",
        suggested=False,
        estimate=CountEstimate("search/count", params={"query": "type:ticket"}),
    ),
]

ARTICLE_EXPORT = "help_center/incremental/articles"
ARTICLE = "help_center/articles/{parent_id}"
POSTS = "community/posts"
POST = "community/posts/{parent_id}"
ARTICLES = Parents(ARTICLE_EXPORT, "articles", "article_id", TimeExportWalker)
POSTS_LIST = Parents(POSTS, "posts", "post_id", CursorPagesWalker, newest_first=NEWEST_UPDATED)
ARTICLES_COUNT = CountEstimate("help_center/articles", params={"per_page": 1})
PER_ARTICLE = CountEstimate("help_center/articles", per="id", params={"per_page": 1})
PER_POST = CountEstimate("community/posts", per="id", params={"per_page": 1})


def _children(name: str, path: str, list_key: str, parents: Parents, **kw: Any) -> StreamSpec:
    return StreamSpec(
        name=name,
        path=path,
        family=ParentChildrenStream,
        list_key=list_key,
        cursor_field="updated_at",
        parents=parents,
        product="help_center",
        **kw,
    )


def _subscriptions(name: str, parents_path: str, parents_key: str, child_key: str) -> StreamSpec:
    return StreamSpec(
        name=name,
        path=parents_path + "/{parent_id}/subscriptions",
        family=ParentChildrenStream,
        list_key="subscriptions",
        parents=Parents(parents_path, parents_key, child_key, CursorPagesWalker),
        product="help_center",
        suggested=False,
        estimate=PER_LISTED_PARENT,
    )


HELP_CENTER_STREAMS: List[StreamSpec] = [
    StreamSpec(
        "articles",
        ARTICLE_EXPORT,
        TimeExportStream,
        "articles",
        cursor_field="updated_at",
        product="help_center",
        estimate=ARTICLES_COUNT,
    ),
    _pages("categories", "help_center/categories", product="help_center"),
    _pages("sections", "help_center/sections", product="help_center"),
    _pages("topics", "community/topics", product="help_center"),
    _pages("posts", POSTS, params=NEWEST_UPDATED, pages=ListOrder("desc"), product="help_center"),
    _pages("user_segments", "help_center/user_segments", product="help_center"),
    _pages("permission_groups", "guide/permission_groups", product="help_center"),
    _children("article_attachments", ARTICLE + "/attachments", "article_attachments", ARTICLES, estimate=PER_ARTICLE),
    _children("article_comments", ARTICLE + "/comments", "comments", ARTICLES, estimate=PER_ARTICLE),
    _children("article_votes", ARTICLE + "/votes", "votes", ARTICLES, estimate=PER_ARTICLE),
    _children(
        "article_comment_votes",
        ARTICLE + "/comments/{child_id}/votes",
        "votes",
        Parents(ARTICLE_EXPORT, "articles", "article_id", TimeExportWalker, via=ARTICLE + "/comments"),
        estimate=PER_ARTICLE,
    ),
    _children("post_comments", POST + "/comments", "comments", POSTS_LIST, estimate=PER_POST),
    _children("post_votes", POST + "/votes", "votes", POSTS_LIST, estimate=PER_POST),
    _children(
        "post_comment_votes",
        POST + "/comments/{child_id}/votes",
        "votes",
        Parents(POSTS, "posts", "post_id", CursorPagesWalker, via=POST + "/comments", newest_first=NEWEST_UPDATED),
        estimate=PER_POST,
    ),
    # Coverage (b): labels, locales and article translations.
    _pages("article_labels", "help_center/articles/labels", "labels", product="help_center"),
    # The enabled locales come as bare strings beside the default one: the whole body is the page's one item.
    StreamSpec(
        "help_center_locales",
        "help_center/locales",
        UnpagedStream,
        "",
        primary_key="locale",
        extract=extract.help_center_locales,
        product="help_center",
    ),
    _children("article_translations", ARTICLE + "/translations", "translations", ARTICLES, estimate=PER_ARTICLE),
    # Subscribing changes neither the section nor the topic, so no change filter finds new subscriptions: every
    # parent is read on every sync (opt-in; sections and topics are few).
    _subscriptions("section_subscriptions", "help_center/sections", "sections", "section_id"),
    _subscriptions("topic_subscriptions", "community/topics", "topics", "topic_id"),
]

VOICE = "channels/voice/"
TALK_STREAMS: List[StreamSpec] = [
    StreamSpec(
        "calls",
        VOICE + "stats/incremental/calls",
        TimeExportStream,
        "calls",
        cursor_field="updated_at",
        product="talk",
        estimate=PROJECTED,
    ),
    StreamSpec(
        "legs",
        VOICE + "stats/incremental/legs",
        TimeExportStream,
        "legs",
        cursor_field="updated_at",
        product="talk",
        estimate=PROJECTED,
    ),
    _offset("phone_numbers", VOICE + "phone_numbers", cursor=None, product="talk"),
    _offset("addresses", VOICE + "addresses", cursor=None, product="talk"),
    _offset("greetings", VOICE + "greetings", cursor=None, product="talk"),
    _offset("greeting_categories", VOICE + "greeting_categories", cursor=None, product="talk"),
    _offset("ivrs", VOICE + "ivr", "ivrs", cursor=None, product="talk"),
    # Menus and their routes come inside each IVR: read from the same pages, no request of their own.
    _offset("ivr_menus", VOICE + "ivr", "ivrs", cursor=None, product="talk", extract=extract.ivr_menus),
    _offset("ivr_routes", VOICE + "ivr", "ivrs", cursor=None, product="talk", extract=extract.ivr_routes),
    _offset("lines", VOICE + "lines", cursor=None, product="talk"),
    _offset("agents_activity", VOICE + "stats/agents_activity", cursor=None, primary_key="agent_id", product="talk"),
    _unpaged(
        "current_queue_activity", VOICE + "stats/current_queue_activity", cursor=None, primary_key=None, product="talk"
    ),
    _unpaged("account_overview", VOICE + "stats/account_overview", cursor=None, primary_key=None, product="talk"),
    _unpaged("agents_overview", VOICE + "stats/agents_overview", cursor=None, primary_key=None, product="talk"),
    _unpaged("talk_settings", VOICE + "settings", "settings", cursor=None, primary_key=None, product="talk"),
]


def _chat_list(name: str, path: str, **kw: Any) -> StreamSpec:
    return StreamSpec(
        name=name,
        path="chat/" + path,
        family=kw.pop("family", UnpagedStream),
        list_key=kw.pop("list_key", ""),
        product="chat",
        **kw,
    )


CHAT_STREAMS: List[StreamSpec] = [
    StreamSpec(
        "chats",
        "chat/incremental/chats",
        ChatExportStream,
        "chats",
        cursor_field="update_timestamp",
        params={"fields": "chats(*)"},
        product="chat",
        estimate=PROJECTED,
    ),
    StreamSpec(
        "chat_agent_timeline",
        "chat/incremental/agent_timeline",
        AgentTimelineStream,
        "agent_timeline",
        cursor_field="start_time",
        primary_key=["agent_id", "start_time"],
        product="chat",
        estimate=PROJECTED,
    ),
    _chat_list("chat_agents", "agents", family=SinceIdStream),
    _chat_list("chat_bans", "bans", family=SinceIdStream, extract=extract.chat_bans),
    _chat_list("chat_departments", "departments"),
    _chat_list("chat_shortcuts", "shortcuts"),
    _chat_list("chat_triggers", "triggers"),
    _chat_list("chat_goals", "goals"),
    _chat_list("chat_skills", "skills"),
    _chat_list("chat_roles", "roles"),
    _chat_list("chat_accounts", "account", primary_key="account_key"),
    _chat_list("chat_routing_settings", "routing_settings/account", list_key="data", primary_key=None),
]

ALL_STREAMS: List[StreamSpec] = SUPPORT_STREAMS + HELP_CENTER_STREAMS + TALK_STREAMS + CHAT_STREAMS
