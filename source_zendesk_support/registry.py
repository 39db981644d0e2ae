"""Every stream the connector offers, one row each: what it is called, where Zendesk serves it and how it pages.

Adding a stream is one row here plus one schema file in schemas/. A row's `family` names the class that
knows how that kind of Zendesk endpoint pages (see streams/families.py).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, List, Mapping, Optional, Union

CURSOR_EXPORT = "cursor_export"  # /incremental/{x}/cursor: after_cursor, end_of_stream, no duplicates
TIME_EXPORT = "time_export"  # /incremental/{x}?start_time=: end_time, duplicates at page boundaries
CURSOR_PAGES = "cursor_pages"  # page[size]/page[after], meta.has_more
OFFSET_PAGES = "offset_pages"  # page/per_page, next_page, count
UNPAGED = "unpaged"  # the whole list (or a single object) in one response
CHAT_EXPORT = "chat_export"  # /chat/incremental/...: start_time + start_id, end_time + end_id
SINCE_ID = "since_id"  # Chat lists: since_id=<last id + 1> until an empty page
PARENT_CHILDREN = "parent_children"  # /tickets/{id}/..., /articles/{id}/...: for parents changed since the last sync


@dataclass(frozen=True)
class StreamSpec:
    name: str
    path: str
    family: str
    list_key: str
    primary_key: Union[str, List[str], None] = "id"
    cursor_field: Optional[str] = None
    params: Mapping[str, Any] = field(default_factory=dict)
    # Builds the stream's records from a page when they are not simply the page's list (sideloads, nested events).
    extract: Optional[str] = None
    # Field of the exported list items whose value drives the state (when records are derived from them).
    export_cursor: Optional[str] = None
    # Cursor pages: the query parameter that makes Zendesk filter by time server-side (epoch seconds).
    start_param: Optional[str] = None
    # Cursor pages: the order of records by cursor_field, when Zendesk guarantees one.
    order: Optional[str] = None
    # Cursor pages of an append-only list: the next sync resumes from the last page's cursor.
    resume_from_page_cursor: bool = False
    # Per-parent lists: where the parents come from, their list key, the key children get, and an
    # intermediate list (comments) for votes on comments.
    parent: Optional[str] = None
    parent_list_key: Optional[str] = None
    parent_key: Optional[str] = None
    via: Optional[str] = None
    product: str = "support"
    schema: Optional[str] = None
    deletion_field: Optional[str] = None
    suggested: bool = True

    @property
    def state_cursor(self) -> Optional[str]:
        return self.export_cursor or self.cursor_field


def _pages(name: str, path: str, list_key: Optional[str] = None, cursor: Optional[str] = "updated_at", **kw: Any) -> StreamSpec:
    return StreamSpec(name=name, path=path, family=CURSOR_PAGES, list_key=list_key or name, cursor_field=cursor, **kw)


def _offset(name: str, path: str, list_key: Optional[str] = None, cursor: Optional[str] = "updated_at", **kw: Any) -> StreamSpec:
    return StreamSpec(name=name, path=path, family=OFFSET_PAGES, list_key=list_key or name, cursor_field=cursor, **kw)


def _unpaged(name: str, path: str, list_key: Optional[str] = None, cursor: Optional[str] = "updated_at", **kw: Any) -> StreamSpec:
    return StreamSpec(name=name, path=path, family=UNPAGED, list_key=list_key or name, cursor_field=cursor, **kw)


TICKET_EXPORT = "incremental/tickets/cursor"
USER_EXPORT = "incremental/users/cursor"
TICKET_EVENT_EXPORT = "incremental/ticket_events"

SUPPORT_STREAMS: List[StreamSpec] = [
    # Incremental exports: every change, archived and deleted records included, 1000 per page.
    StreamSpec("tickets", TICKET_EXPORT, CURSOR_EXPORT, "tickets", cursor_field="generated_timestamp",
               params={"include": "metric_sets"}, extract="tickets_without_metric_sets", deletion_field="status"),
    StreamSpec("ticket_metrics", TICKET_EXPORT, CURSOR_EXPORT, "tickets", cursor_field="generated_timestamp",
               params={"include": "metric_sets"}, extract="metric_sets"),
    StreamSpec("users", USER_EXPORT, CURSOR_EXPORT, "users", cursor_field="updated_at",
               params={"include": "identities"}, extract="users_only", deletion_field="active"),
    StreamSpec("user_identities", USER_EXPORT, CURSOR_EXPORT, "users", cursor_field="updated_at",
               params={"include": "identities"}, extract="identities", export_cursor="updated_at"),
    StreamSpec("organizations", "incremental/organizations", TIME_EXPORT, "organizations", cursor_field="updated_at",
               deletion_field="deleted_at"),
    StreamSpec("ticket_events", TICKET_EVENT_EXPORT, TIME_EXPORT, "ticket_events", cursor_field="timestamp",
               params={"include": "comment_events"}),
    StreamSpec("ticket_comments", TICKET_EVENT_EXPORT, TIME_EXPORT, "ticket_events", cursor_field="timestamp",
               params={"include": "comment_events"}, extract="comment_events"),
    StreamSpec("ticket_attachments", TICKET_EVENT_EXPORT, TIME_EXPORT, "ticket_events", cursor_field="timestamp",
               params={"include": "comment_events"}, extract="ticket_attachments"),
    StreamSpec("ticket_field_history", TICKET_EVENT_EXPORT, TIME_EXPORT, "ticket_events", cursor_field="timestamp",
               params={"include": "comment_events"}, extract="field_history", primary_key=["event_id", "field"]),
    StreamSpec("ticket_tag_history", TICKET_EVENT_EXPORT, TIME_EXPORT, "ticket_events", cursor_field="timestamp",
               params={"include": "comment_events"}, extract="tag_history", primary_key="event_id"),
    StreamSpec("ticket_metric_events", "incremental/ticket_metric_events", TIME_EXPORT, "ticket_metric_events",
               cursor_field="time", deletion_field="deleted"),
    # Cursor pages.
    _pages("ticket_audits", "ticket_audits", "audits", cursor="created_at", order="asc", resume_from_page_cursor=True),
    _pages("ticket_activities", "activities", "activities", start_param="start_time", order="desc"),
    # Skips never change once recorded: newest first, a re-sync stops at the first one it already has.
    _pages("ticket_skips", "skips", "skips", cursor="created_at", params={"sort_order": "desc"}, order="desc"),
    _pages("satisfaction_ratings", "satisfaction_ratings", start_param="start_time"),
    _pages("deleted_tickets", "deleted_tickets", cursor="deleted_at", deletion_field="always"),
    _pages("audit_logs", "audit_logs", cursor="created_at", params={"sort": "created_at"}, order="asc",
           start_param="filter[created_at][]"),
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
    _pages("requests", "requests"),
    _pages("dynamic_content", "dynamic_content/items", "items"),
    # Offset pages (Zendesk offers no cursor pages for these).
    _offset("ticket_forms", "ticket_forms", deletion_field="deleted_at"),
    _offset("custom_roles", "custom_roles"),
    _offset("sharing_agreements", "sharing_agreements"),
    _offset("targets", "targets", cursor="created_at"),
    # One response holds the whole list.
    _unpaged("sla_policies", "slas/policies"),
    _unpaged("schedules", "business_hours/schedules", extract="schedules_with_holidays"),
    _unpaged("custom_ticket_statuses", "custom_statuses", "custom_statuses"),
    _unpaged("account_attributes", "routing/attributes", "attributes"),
    _unpaged("attribute_definitions", "routing/attributes/definitions", "definitions", cursor=None, primary_key=None,
             extract="attribute_definitions"),
    # Per ticket, only for tickets changed since the last sync (Zendesk has no account-wide list).
    StreamSpec("side_conversations", "tickets/{parent_id}/side_conversations", PARENT_CHILDREN, "side_conversations",
               cursor_field="updated_at", parent=TICKET_EXPORT, parent_list_key="tickets", parent_key="ticket_id",
               suggested=False),
    # Airbyte 5.5's opt-in stream of this name: tickets from the search index (lags behind; `tickets` is complete).
    StreamSpec("tickets_search", "search/export", CURSOR_PAGES, "results", cursor_field="updated_at",
               params={"filter[type]": "ticket"}, schema="tickets", suggested=False),
]

def _children(name: str, path: str, list_key: str, parent: str, parent_list_key: str, parent_key: str, **kw: Any) -> StreamSpec:
    return StreamSpec(name=name, path=path, family=PARENT_CHILDREN, list_key=list_key, cursor_field="updated_at", parent=parent,
                      parent_list_key=parent_list_key, parent_key=parent_key, product="help_center", **kw)


ARTICLE_EXPORT = "help_center/incremental/articles"
ARTICLE = "help_center/articles/{parent_id}"
POSTS = "community/posts"
POST = "community/posts/{parent_id}"

HELP_CENTER_STREAMS: List[StreamSpec] = [
    StreamSpec("articles", ARTICLE_EXPORT, TIME_EXPORT, "articles", cursor_field="updated_at", product="help_center"),
    _pages("categories", "help_center/categories", product="help_center"),
    _pages("sections", "help_center/sections", product="help_center"),
    _pages("topics", "community/topics", product="help_center"),
    _pages("posts", POSTS, product="help_center"),
    _pages("user_segments", "help_center/user_segments", product="help_center"),
    _pages("permission_groups", "guide/permission_groups", product="help_center"),
    _children("article_attachments", ARTICLE + "/attachments", "article_attachments", ARTICLE_EXPORT, "articles", "article_id"),
    _children("article_comments", ARTICLE + "/comments", "comments", ARTICLE_EXPORT, "articles", "article_id"),
    _children("article_votes", ARTICLE + "/votes", "votes", ARTICLE_EXPORT, "articles", "article_id"),
    _children("article_comment_votes", ARTICLE + "/comments/{child_id}/votes", "votes", ARTICLE_EXPORT, "articles",
              "article_id", via=ARTICLE + "/comments"),
    _children("post_comments", POST + "/comments", "comments", POSTS, "posts", "post_id"),
    _children("post_votes", POST + "/votes", "votes", POSTS, "posts", "post_id"),
    _children("post_comment_votes", POST + "/comments/{child_id}/votes", "votes", POSTS, "posts", "post_id",
              via=POST + "/comments"),
]

VOICE = "channels/voice/"
TALK_STREAMS: List[StreamSpec] = [
    StreamSpec("calls", VOICE + "stats/incremental/calls", TIME_EXPORT, "calls", cursor_field="updated_at", product="talk"),
    StreamSpec("legs", VOICE + "stats/incremental/legs", TIME_EXPORT, "legs", cursor_field="updated_at", product="talk"),
    _offset("phone_numbers", VOICE + "phone_numbers", cursor=None, product="talk"),
    _offset("addresses", VOICE + "addresses", cursor=None, product="talk"),
    _offset("greetings", VOICE + "greetings", cursor=None, product="talk"),
    _offset("greeting_categories", VOICE + "greeting_categories", cursor=None, product="talk"),
    _offset("ivrs", VOICE + "ivr", "ivrs", cursor=None, product="talk"),
    _offset("lines", VOICE + "lines", cursor=None, product="talk"),
    _offset("agents_activity", VOICE + "stats/agents_activity", cursor=None, primary_key="agent_id", product="talk"),
    _unpaged("current_queue_activity", VOICE + "stats/current_queue_activity", cursor=None, primary_key=None, product="talk"),
    _unpaged("account_overview", VOICE + "stats/account_overview", cursor=None, primary_key=None, product="talk"),
    _unpaged("agents_overview", VOICE + "stats/agents_overview", cursor=None, primary_key=None, product="talk"),
    _unpaged("talk_settings", VOICE + "settings", "settings", cursor=None, primary_key=None, product="talk"),
]


def _chat_list(name: str, path: str, **kw: Any) -> StreamSpec:
    return StreamSpec(name=name, path="chat/" + path, family=kw.pop("family", UNPAGED), list_key=kw.pop("list_key", ""),
                      product="chat", **kw)


CHAT_STREAMS: List[StreamSpec] = [
    StreamSpec("chats", "chat/incremental/chats", CHAT_EXPORT, "chats", cursor_field="update_timestamp",
               params={"fields": "chats(*)"}, product="chat"),
    _chat_list("chat_agents", "agents", family=SINCE_ID),
    _chat_list("chat_bans", "bans", family=SINCE_ID, extract="chat_bans"),
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
