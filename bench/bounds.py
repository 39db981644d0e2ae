"""The least the Zendesk API allows: how many requests a stream's data needs, and how long those take under limits.

Written from Zendesk's documented paging and rate limits, not from the connector's code, so that a connector
choosing a poor endpoint shows up as a gap instead of moving the bound with it.

- Incremental exports return up to 1000 items a page; streams that read the same export (tickets and
  ticket_metrics via the metric_sets sideload, users and user_identities via identities, ticket_events and
  ticket_comments via comment_events) share its pages, so those pages count once.
- Cursor and offset lists return up to 100 records a page; a list that fits one page still costs one request.
- The last page of an export is the one whose `end_of_stream` is true; the sandbox (like Zendesk) sets it on
  the page that holds the last item, so no extra empty page is needed. An empty export still costs one request.
- Schedules have no bulk holiday endpoint: one request per schedule on top of the list.
- Help Center, Talk and Chat: the article export and Talk's and Chat's exports page by 1000, Help Center and Talk
  lists by 100, Chat's `since_id` lists by 100. Talk's exports never say they are done (`next_page` is never
  null): a client stops on the empty page, one more request. Chat's export and `since_id` lists stop on a short
  page: a full last page needs one more request. Help Center's comments, votes and attachments exist only per
  article, post or comment: at least one request per parent.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Dict, Iterable, List, Mapping, Optional

EXPORT_PAGE = 1000
LIST_PAGE = 100
SINGLE = 0  # the whole list in one response


@dataclass(frozen=True)
class Source:
    """Where Zendesk serves a stream's records most cheaply."""

    endpoint: str  # path as the sandbox's /_sandbox/summary and /_sandbox/stats name it
    page_size: int  # EXPORT_PAGE, LIST_PAGE or SINGLE
    resource: str  # key in /_sandbox/summary["resources"] whose endpoint count sizes the pages
    count: str = "endpoint"  # "endpoint": the summary's count for `endpoint`; "total": every record incl. deleted
    per_parent: Optional[str] = None  # extra path requested once per record of the list (no bulk endpoint)
    end: str = "flag"  # how a client knows it is done: "flag" on the last page, "short" page, "empty" page
    parents: Optional[str] = None  # per-parent endpoint: the endpoint (in summary resources) listing the parents


def _export(path: str, resource: str) -> Source:
    return Source(f"/api/v2/incremental/{path}", EXPORT_PAGE, resource)


def _list(path: str, resource: str, **kw) -> Source:
    return Source(f"/api/v2/{path}", LIST_PAGE, resource, **kw)


def _single(path: str, resource: str, **kw) -> Source:
    return Source(f"/api/v2/{path}", SINGLE, resource, **kw)


def _children(path: str, resource: str, parents: str) -> Source:
    return _list(path, resource, parents=parents)


TICKETS_EXPORT = _export("tickets/cursor", "tickets")
USERS_EXPORT = _export("users/cursor", "users")
EVENTS_EXPORT = _export("ticket_events", "ticket_events")

SOURCES: Dict[str, Source] = {
    "tickets": TICKETS_EXPORT,
    "ticket_metrics": TICKETS_EXPORT,
    "users": USERS_EXPORT,
    "user_identities": USERS_EXPORT,
    "organizations": _export("organizations", "organizations"),
    "ticket_events": EVENTS_EXPORT,
    "ticket_comments": EVENTS_EXPORT,
    "ticket_attachments": EVENTS_EXPORT,
    "ticket_field_history": EVENTS_EXPORT,
    "ticket_tag_history": EVENTS_EXPORT,
    "ticket_metric_events": _export("ticket_metric_events", "ticket_metric_events"),
    "ticket_audits": _list("ticket_audits", "ticket_audits"),
    "ticket_activities": _list("activities", "ticket_activities"),
    "ticket_skips": _list("skips", "ticket_skips"),
    "satisfaction_ratings": _list("satisfaction_ratings", "satisfaction_ratings"),
    "deleted_tickets": _list("deleted_tickets", "deleted_tickets"),
    "audit_logs": _list("audit_logs", "audit_logs"),
    "groups": _list("groups", "groups", count="total"),  # exclude_deleted=false lists deleted groups too
    "group_memberships": _list("group_memberships", "group_memberships"),
    "organization_memberships": _list("organization_memberships", "organization_memberships"),
    "ticket_fields": _list("ticket_fields", "ticket_fields"),
    "user_fields": _list("user_fields", "user_fields"),
    "organization_fields": _list("organization_fields", "organization_fields"),
    "brands": _list("brands", "brands"),
    "tags": _list("tags", "tags"),
    "macros": _list("macros", "macros"),
    "triggers": _list("triggers", "triggers"),
    "automations": _list("automations", "automations"),
    "views": _list("views", "views"),
    "recipient_addresses": _list("recipient_addresses", "recipient_addresses"),
    "suspended_tickets": _list("suspended_tickets", "suspended_tickets"),
    "requests": _list("requests", "requests"),
    "dynamic_content": _list("dynamic_content/items", "dynamic_content"),
    "ticket_forms": _list("ticket_forms", "ticket_forms"),
    # rows derived from the ticket_forms pages: the same endpoint, sized by the forms it lists
    "ticket_form_agent_conditions": _list("ticket_forms", "ticket_forms"),
    "ticket_form_end_user_conditions": _list("ticket_forms", "ticket_forms"),
    "custom_roles": _list("custom_roles", "custom_roles"),
    "sharing_agreements": _list("sharing_agreements", "sharing_agreements"),
    "targets": _list("targets", "targets"),
    "sla_policies": _single("slas/policies", "sla_policies"),
    "schedules": _single(
        "business_hours/schedules", "schedules", per_parent="/api/v2/business_hours/schedules/{schedule_id}/holidays"
    ),
    "custom_ticket_statuses": _single("custom_statuses", "custom_ticket_statuses"),
    "account_attributes": _single("routing/attributes", "account_attributes"),
    "attribute_definitions": _single("routing/attributes/definitions", "attribute_definitions"),
    # The account's setup lists: cursor or offset pages of 100, or the whole list in one answer.
    "brand_agents": _list("brand_agents", "brand_agents"),
    "deleted_users": _list("deleted_users", "users"),
    "organization_subscriptions": _list("organization_subscriptions", "organization_subscriptions"),
    "trigger_categories": _list("trigger_categories", "trigger_categories"),
    "task_list_templates": _list("task_list_templates", "task_list_templates"),
    "approval_requests": _list("approval_requests", "approval_requests"),
    "workspaces": _list("workspaces", "workspaces"),
    "resource_collections": _list("resource_collections", "resource_collections"),
    "deletion_schedules": _single("deletion_schedules", "deletion_schedules"),
    "group_sla_policies": _single("group_slas/policies", "group_sla_policies"),
    "locales": _single("locales", "locales"),
    "macro_categories": _single("macros/categories", "macro_categories"),
    "queues": _single("queues", "queues"),
    "satisfaction_reasons": _single("satisfaction_reasons", "satisfaction_reasons"),
    "target_failures": _single("target_failures", "target_failures"),
    "ticket_form_statuses": _single("ticket_form_statuses", "ticket_form_statuses"),
    "monitored_twitter_handles": _single("channels/twitter/monitored_twitter_handles", "monitored_twitter_handles"),
    "account_settings": _single("account/settings", "account_settings"),
    # Agent availability: JSON:API cursor pages of up to 100 agents; the unified statuses fit one page.
    "agent_availabilities": _list("agent_availabilities", "agent_availabilities"),
    "unified_agent_statuses": _single("agent_availabilities/agent_statuses", "unified_agent_statuses"),
    # Per ticket: Zendesk has no account-wide list, so one request per ticket with any (not in the default set).
    "side_conversations": Source("/api/v2/tickets/{ticket_id}/side_conversations", SINGLE, "tickets", count="total"),
    "ticket_task_lists": Source("/api/v2/tickets/{ticket_id}/task_lists", SINGLE, "tickets", count="total"),
    # Coverage (b). The routing exports page by a cursor in next_page and end on an empty page.
    **{
        name: Source(f"/api/v2/incremental/routing/{kind}", EXPORT_PAGE, name, end="empty")
        for name, kind in (
            ("routing_attribute_events", "attributes"),
            ("routing_attribute_value_events", "attribute_values"),
            ("routing_instance_value_events", "instance_values"),
        )
    },
    "assets": _list("it_asset_management/assets", "assets"),
    "asset_locations": _list("it_asset_management/locations", "asset_locations"),
    "asset_types": _single("it_asset_management/asset_types", "asset_types"),
    "asset_statuses": _single("it_asset_management/statuses", "asset_statuses"),
    "asset_fields": _children("it_asset_management/asset_types/{asset_type_id}/fields", "asset_fields", "asset_types"),
    "macro_attachments": _children("macros/{macro_id}/attachments", "macro_attachments", "macros"),
    "trigger_revisions": _children("triggers/{trigger_id}/revisions", "trigger_revisions", "triggers"),
}

HC, ARTICLE, POST = "help_center/", "help_center/articles/{article_id}/", "community/posts/{post_id}/"
VOICE = "channels/voice/"
SOURCES.update(
    {
        "articles": Source("/api/v2/help_center/incremental/articles", EXPORT_PAGE, "articles"),
        "categories": _list(HC + "categories", "categories"),
        "sections": _list(HC + "sections", "sections"),
        "topics": _list("community/topics", "topics"),
        "posts": _list("community/posts", "posts"),
        "user_segments": _list(HC + "user_segments", "user_segments"),
        "permission_groups": _list("guide/permission_groups", "permission_groups"),
        "article_attachments": _children(ARTICLE + "attachments", "article_attachments", "articles"),
        "article_comments": _children(ARTICLE + "comments", "article_comments", "articles"),
        "article_votes": _children(ARTICLE + "votes", "article_votes", "articles"),
        "article_comment_votes": _children(
            ARTICLE + "comments/{comment_id}/votes", "article_comment_votes", "article_comments"
        ),
        "post_comments": _children(POST + "comments", "post_comments", "posts"),
        "post_votes": _children(POST + "votes", "post_votes", "posts"),
        "post_comment_votes": _children(POST + "comments/{comment_id}/votes", "post_comment_votes", "post_comments"),
        "article_labels": _list(HC + "articles/labels", "article_labels"),
        "help_center_locales": _single(HC + "locales", "help_center_locales"),
        "article_translations": _children(ARTICLE + "translations", "article_translations", "articles"),
        "section_subscriptions": _children(
            HC + "sections/{section_id}/subscriptions", "section_subscriptions", "sections"
        ),
        "topic_subscriptions": _children("community/topics/{topic_id}/subscriptions", "topic_subscriptions", "topics"),
        "calls": Source(f"/api/v2/{VOICE}stats/incremental/calls", EXPORT_PAGE, "calls", end="empty"),
        "legs": Source(f"/api/v2/{VOICE}stats/incremental/legs", EXPORT_PAGE, "legs", end="empty"),
        **{
            name: _list(VOICE + path, name)
            for name, path in (
                ("phone_numbers", "phone_numbers"),
                ("addresses", "addresses"),
                ("greetings", "greetings"),
                ("greeting_categories", "greeting_categories"),
                ("ivrs", "ivr"),
                ("lines", "lines"),
                ("agents_activity", "stats/agents_activity"),
            )
        },
        **{
            name: _single(VOICE + path, name)
            for name, path in (
                ("current_queue_activity", "stats/current_queue_activity"),
                ("account_overview", "stats/account_overview"),
                ("agents_overview", "stats/agents_overview"),
                ("talk_settings", "settings"),
            )
        },
        "chats": Source("/api/v2/chat/incremental/chats", EXPORT_PAGE, "chats", end="short"),
        "chat_agents": Source("/api/v2/chat/agents", LIST_PAGE, "chat_agents", end="short"),
        "chat_bans": Source("/api/v2/chat/bans", LIST_PAGE, "chat_bans", end="short"),
        **{
            name: _single("chat/" + path, name)
            for name, path in (
                ("chat_departments", "departments"),
                ("chat_shortcuts", "shortcuts"),
                ("chat_triggers", "triggers"),
                ("chat_goals", "goals"),
                ("chat_skills", "skills"),
                ("chat_roles", "roles"),
                ("chat_accounts", "account"),
                ("chat_routing_settings", "routing_settings/account"),
            )
        },
    }
)

# Streams whose only source is one request per parent record, or opt-in ones read whole per parent on every
# sync: left out unless asked for.
PER_PARENT_STREAMS = {"side_conversations", "ticket_task_lists", "section_subscriptions", "topic_subscriptions"}


def expected_items(source: Source, summary: Mapping) -> int:
    """How many items the source's endpoint serves, from the sandbox's ground truth."""
    resource = summary["resources"].get(source.resource) or {}
    if source.count == "total":
        return int(resource.get("total", 0))
    return int((resource.get("endpoints") or {}).get(source.endpoint, 0))


def pages_needed(items: int, page_size: int, end: str = "flag") -> int:
    if page_size == SINGLE:
        return 1
    if end == "short":  # done on a page shorter than the page size: a full last page needs one more
        return items // page_size + 1
    if end == "empty":  # done only on an empty page
        return math.ceil(items / page_size) + 1
    return max(1, math.ceil(items / page_size))


def parent_count(source: Source, summary: Mapping) -> int:
    """Records of the parent list (articles, posts, their comments) from the sandbox's ground truth."""
    parent = SOURCES.get(source.parents)
    return expected_items(parent, summary) if parent else int(summary["resources"][source.parents]["total"])


@dataclass
class EndpointBound:
    endpoint: str
    streams: List[str]
    items: int
    min_requests: int


def minimum_requests(streams: Iterable[str], summary: Mapping) -> Dict[str, EndpointBound]:
    """Per endpoint (shared by the streams reading it): the fewest requests that return all its items."""
    bounds: Dict[str, EndpointBound] = {}
    for stream in streams:
        source = SOURCES.get(stream)
        if source is None:
            continue
        if source.endpoint in bounds:
            bounds[source.endpoint].streams.append(stream)
            continue
        if stream in ("side_conversations", "ticket_task_lists"):
            # one request per ticket that is not deleted (the list of tickets comes from the shared ticket export)
            items = int(summary["resources"]["tickets"]["total"]) - int(summary["resources"]["tickets"]["deleted"])
            bounds[source.endpoint] = EndpointBound(source.endpoint, [stream], items, items)
            continue
        items = expected_items(source, summary)
        if source.parents:
            # at least one request per parent, more where a parent has over a page of children
            needed = max(parent_count(source, summary), pages_needed(items, source.page_size))
        else:
            needed = pages_needed(items, source.page_size, source.end)
        bounds[source.endpoint] = EndpointBound(source.endpoint, [stream], items, needed)
        if source.per_parent:
            parents = items
            bounds[source.per_parent] = EndpointBound(source.per_parent, [stream], parents, parents)
    return bounds


def export_read_by(stream: str) -> Optional[str]:
    """The incremental export a stream reads: its own, or (children) the one its parents come from."""
    source = SOURCES.get(stream)
    while source is not None:
        if "/incremental/" in source.endpoint:
            return source.endpoint
        source = SOURCES.get(source.parents) if source.parents else None
    return None


def stream_of_path(path: str, streams: Iterable[str]) -> Optional[str]:
    """The first selected stream that reads `path` (shared export paths go to the first of their streams)."""
    for stream in streams:
        source = SOURCES.get(stream)
        if source and (source.endpoint == path or source.per_parent == path):
            return stream
    return None


# ---------------------------------------------------------------------------------------------- rate limits


@dataclass(frozen=True)
class Limits:
    """Requests per Zendesk-minute (0 = off) and the length of a Zendesk-minute in real seconds."""

    account: int
    exports: int
    window_seconds: float

    @property
    def buckets(self) -> Dict[str, int]:
        # Zendesk: exports 10/min (30 with High Volume); /incremental/users/cursor reports its own bucket with
        # twice that; /deleted_tickets 10/min. Every request also counts against the account bucket.
        on = lambda limit: limit if self.account else 0  # noqa: E731 - endpoint buckets go with the account
        return {
            "account": self.account,
            "exports": self.exports,
            "exports_cursor_users": 2 * self.exports,
            "deleted_tickets": on(10),
            "help_center": self.account,
            "chat": on(200),
        }


def buckets_of(path: str) -> List[str]:
    # Help Center is counted apart from Support with the same limit, Chat on its own 200/min; Talk is Support.
    if path.startswith(("/api/v2/help_center/", "/api/v2/community/", "/api/v2/guide/")):
        return ["help_center"]
    if path.startswith("/api/v2/chat/"):
        return ["chat"]
    if path.startswith("/api/v2/channels/voice/stats/incremental/"):
        return ["account", "exports"]
    if path == "/api/v2/incremental/users/cursor":
        return ["account", "exports_cursor_users"]
    if path.startswith("/api/v2/incremental/"):
        return ["account", "exports"]
    if path == "/api/v2/deleted_tickets":
        return ["account", "deleted_tickets"]
    return ["account"]


def minimum_wall_seconds(requests_by_path: Mapping[str, int], limits: Limits, offset_in_window: float = 0.0) -> float:
    """Fewest real seconds that many requests need under fixed per-minute windows.

    Zendesk's windows are fixed: a bucket of L requests serves at most L per window, so N requests need
    ceil(N / L) windows and the last of them can be sent no earlier than the start of window ceil(N / L).
    A run that begins `offset_in_window` seconds into a window gets the rest of that window first.
    """
    windows = 1
    for bucket, limit in limits.buckets.items():
        if not limit:
            continue
        n = sum(count for path, count in requests_by_path.items() if bucket in buckets_of(path))
        windows = max(windows, math.ceil(n / limit))
    return max(0.0, (windows - 1) * limits.window_seconds - offset_in_window)
