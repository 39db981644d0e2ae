"""The /_sandbox/ control endpoints: ground truth (summary), mutations, and request statistics, behind a guard
that keeps web pages and rebound DNS names away from them."""
from __future__ import annotations

import ipaddress
from collections import Counter

import orjson
from aiohttp import web

from .data import tickets as tk
from .data.attachments import ticket_attachment_resource
from .data.timeline import iso
from .errors import invalid_endpoint, json_response
from .products import product_resources
from .ratelimit import is_sandbox_path
from .routing import normalize_path
from .support.tickets import activity_count

# Per action and resource in one POST /_sandbox/mutate: far above any test or benchmark (1% of 1M tickets is 10k),
# far below what would stall the event loop for minutes.
MAX_MUTATION_COUNT = 100_000
MUTATION_ACTIONS = ("create", "update", "delete", "touch")


class Stats:
    """Requests served, per path template and status (what a benchmark calls "requests made")."""

    def __init__(self):
        self.counts: Counter = Counter()

    def record(self, template: str, status) -> None:
        self.counts[(template, str(status))] += 1

    def as_json(self) -> dict:
        by_path: dict = {}
        for (template, status), n in sorted(self.counts.items()):
            by_path.setdefault(template, {})[status] = n
        return {"total": sum(self.counts.values()), "paths": by_path}


def _ticket_sum(t, per_shape_nondeleted: tk.Periodic, lo: int, hi: int, actual, include) -> int:
    """Sum of a per-ticket quantity over base ids lo..hi (non-deleted shapes) corrected for mutated tickets."""
    total = per_shape_nondeleted.total(lo, min(hi, t.count))
    for i in t.changes:
        if lo <= i <= t.count and not t.shape(i).deleted:
            total -= per_shape_nondeleted.values[i % tk.PERIOD]
        if include(i):
            total += actual(i)
    return total


def ticket_resources(account) -> dict:
    t = account.tickets
    settings = account.settings
    cutoff = account.export_cutoff()
    shapes = t.shapes
    nd = lambda f: tk.Periodic([0 if s.deleted else f(s) for s in shapes])  # noqa: E731
    total = t.next_id - 1
    mutation_deleted = sum(1 for i, ch in t.changes.items() if ch.deleted_at is not None)
    deleted = t.sum_deleted.total(1, t.count) + mutation_deleted
    fu = t.first_unarchived
    archived = (fu - 1) - t.sum_deleted.total(1, fu - 1)
    live = total - deleted - archived
    first_out = t.timeline.first_at_or_after(cutoff, 1, t.count + tk.LAG) - tk.LAG - 1
    base_in = max(0, min(t.count, first_out))
    exported = base_in - sum(1 for i in t.changes if i <= base_in) + \
        sum(1 for ch in t.changes.values() if ch.generated < cutoff)
    not_deleted = lambda i: not t.is_deleted(i)  # noqa: E731
    is_live = t.is_live
    n_comments = lambda i: sum(1 for s in t.audits_spec(i) if s[5] is not None)  # noqa: E731
    n_audits = lambda i: len(t.audits_spec(i))  # noqa: E731
    comments_all = t.sum_comments.total(1, t.count) + sum(
        n_comments(i) - (shapes[i % tk.PERIOD].n_comments if i <= t.count else 0) for i in t.changes)
    audits_all = t.sum_audits.total(1, t.count) + sum(
        n_audits(i) - (shapes[i % tk.PERIOD].n_audits if i <= t.count else 0) for i in t.changes)
    events_exported = audits_all - sum(1 for i in t.changes for s in t.audits_spec(i) if s[0] >= cutoff)
    metric_events_all = t.sum_metric_events.total(1, t.count) + sum(
        len(ch.extra_metric_events) for ch in t.changes.values())
    metric_events_exported = metric_events_all - sum(
        1 for ch in t.changes.values() for e in ch.extra_metric_events if e[0] >= cutoff)
    csat = t.sum_csat_archived.total(1, fu - 1) + t.sum_csat_live.total(fu, t.count)
    side = _ticket_sum(t, nd(lambda s: int(s.side_conversation)), 1, t.count,
                       lambda i: int(i <= t.count and t.shape(i).side_conversation), not_deleted)
    skips = t.sum_skips.total(1, t.count)
    activities = activity_count(account)
    requests = sum(1 for i in t.live_ids() if i % 50 == 0 and i <= t.count)
    side_gate = settings.has_feature("side_conversations")
    return {
        "tickets": {"total": total, "live": live, "archived": archived, "deleted": deleted, "endpoints": {
            "/api/v2/incremental/tickets": exported, "/api/v2/incremental/tickets/cursor": exported,
            "/api/v2/tickets": live, "/api/v2/search/export": total - deleted}},
        "deleted_tickets": {"total": deleted, "live": deleted, "archived": 0, "deleted": 0,
                            "endpoints": {"/api/v2/deleted_tickets": t.recoverable_deleted_count()}},
        "ticket_comments": {"total": comments_all, **_split(), "endpoints": {
            "/api/v2/tickets/{ticket_id}/comments": _ticket_sum(t, nd(lambda s: s.n_comments), 1, t.count,
                                                                 n_comments, not_deleted)}},
        "ticket_audits": {"total": audits_all, **_split(), "endpoints": {
            "/api/v2/ticket_audits": _ticket_sum(t, nd(lambda s: s.n_audits), fu, t.count, n_audits, is_live),
            "/api/v2/tickets/{ticket_id}/audits": _ticket_sum(t, nd(lambda s: s.n_audits), 1, t.count, n_audits,
                                                               not_deleted)}},
        "ticket_events": {"total": audits_all, **_split(), "endpoints": {
            "/api/v2/incremental/ticket_events": events_exported}},
        "ticket_metrics": {"total": total, "live": live, "archived": archived, "deleted": deleted, "endpoints": {
            "/api/v2/ticket_metrics": live, "/api/v2/tickets/{ticket_id}/metrics": total - deleted}},
        "ticket_metric_events": {"total": metric_events_all, **_split(), "endpoints": {
            "/api/v2/incremental/ticket_metric_events": metric_events_exported}},
        "satisfaction_ratings": {"total": csat, **_split(), "endpoints": {
            "/api/v2/satisfaction_ratings": csat if settings.has_feature("csat") else 0}},
        "side_conversations": {"total": side, **_split(), "endpoints": {
            "/api/v2/tickets/{ticket_id}/side_conversations": side if side_gate else 0}},
        "ticket_skips": {"total": skips, **_split(), "endpoints": {"/api/v2/skips": skips}},
        "ticket_activities": {"total": activities, **_split(), "endpoints": {"/api/v2/activities": activities}},
        "requests": {"total": requests, **_split(), "endpoints": {"/api/v2/requests": requests}},
    }


def _split(live=None, archived=0, deleted=0) -> dict:
    return {"live": live, "archived": archived, "deleted": deleted}


def people_resources(account) -> dict:
    cutoff = account.export_cutoff()
    out = {}
    for name, coll, path in (("users", account.users, "users"), ("organizations", account.organizations,
                                                                 "organizations")):
        total = coll.next_index - 1
        deleted = len(coll.deleted_indexes())
        exported = sum(1 for k in range(1, coll.next_index) if coll.export_ts(k) < cutoff)
        endpoints = {f"/api/v2/{path}": total - deleted, f"/api/v2/incremental/{path}": exported,
                     "/api/v2/search/export": total - deleted}
        if name == "users":
            endpoints["/api/v2/incremental/users/cursor"] = exported
            endpoints["/api/v2/deleted_users"] = deleted
        out[name] = {"total": total, "live": total - deleted, "archived": 0, "deleted": deleted,
                     "endpoints": endpoints}
    u = account.users
    active = u.active_indexes()
    identities = sum(1 + (k % 3 == 0) for k in active)
    out["user_identities"] = {"total": u.identity_count(1, u.next_index - 1), "live": identities, "archived": 0,
                              "deleted": u.identity_count(1, u.next_index - 1) - identities,
                              "endpoints": {"/api/v2/users/{user_id}/identities": identities}}
    memberships = sum(1 for k in active if u.organization_index(k) is not None)
    out["organization_memberships"] = {"total": memberships, **_split(memberships),
                                       "endpoints": {"/api/v2/organization_memberships": memberships}}
    return out


def config_resources(account) -> dict:
    c, s = account.config, account.settings
    enterprise = s.plan_at_least("enterprise")
    live_groups = sum(1 for g in c.groups if not g["deleted"])
    rows = {
        # resource: (records, endpoint path, count under the current plan)
        "group_memberships": (c.group_memberships, "/api/v2/group_memberships", None),
        "ticket_fields": (c.ticket_fields, "/api/v2/ticket_fields", None),
        "user_fields": (c.user_fields, "/api/v2/user_fields", None),
        "organization_fields": (c.organization_fields, "/api/v2/organization_fields", None),
        "ticket_forms": (c.ticket_forms, "/api/v2/ticket_forms", None if s.has_feature("ticket_forms") else 0),
        "brands": (c.brands, "/api/v2/brands", None),
        "tags": (c.tags, "/api/v2/tags", None),
        "macros": (c.macros, "/api/v2/macros", None),
        "triggers": (c.triggers, "/api/v2/triggers", None),
        "automations": (c.automations, "/api/v2/automations", None),
        "views": (c.views, "/api/v2/views", None),
        "sla_policies": (c.sla_policies, "/api/v2/slas/policies", None if s.plan_at_least("professional") else 0),
        "schedules": (c.schedules, "/api/v2/business_hours/schedules", 0 if s.plan == "team" else None),
        "custom_roles": (c.custom_roles, "/api/v2/custom_roles", None if enterprise else 0),
        "custom_ticket_statuses": (c.custom_statuses, "/api/v2/custom_statuses", None),
        "audit_logs": (c.audit_logs, "/api/v2/audit_logs", None if enterprise else 0),
        "account_attributes": (c.routing_attributes, "/api/v2/routing/attributes", None if enterprise else 0),
        # one record per definition, listed under conditions_all and conditions_any
        "attribute_definitions": (c.routing_definitions["conditions_all"] + c.routing_definitions["conditions_any"],
                                  "/api/v2/routing/attributes/definitions", None if enterprise else 0),
        "suspended_tickets": (c.suspended_tickets, "/api/v2/suspended_tickets", None),
        "targets": (c.targets, "/api/v2/targets", None),
        "sharing_agreements": (c.sharing_agreements, "/api/v2/sharing_agreements", None),
        "recipient_addresses": (c.recipient_addresses, "/api/v2/recipient_addresses", None),
        "dynamic_content": (c.dynamic_content, "/api/v2/dynamic_content/items", None),
    }
    out = {name: {"total": len(recs), "live": len(recs), "archived": 0, "deleted": 0,
                  "endpoints": {path: len(recs) if n is None else n}}
           for name, (recs, path, n) in rows.items()}
    holidays = sum(len(v) for v in c.holidays.values())
    out["schedule_holidays"] = {"total": holidays, **_split(holidays), "endpoints": {
        "/api/v2/business_hours/schedules/{schedule_id}/holidays": 0 if s.plan == "team" else holidays}}
    out["groups"] = {"total": len(c.groups), "live": live_groups, "archived": 0,
                     "deleted": len(c.groups) - live_groups, "endpoints": {"/api/v2/groups": live_groups,
                                                                           "/api/v2/search/export": live_groups}}
    return out


# each section maps resource name -> counts; a product (Help Center, Talk, Chat) appends its own
SUMMARY_SECTIONS = [ticket_resources, people_resources, config_resources, product_resources,
                    lambda account: {"ticket_attachments": ticket_attachment_resource(account)}]


def summary(account) -> dict:
    s = account.settings
    resources = {}
    for section in SUMMARY_SECTIONS:
        resources.update(section(account))
    for r in resources.values():
        if r["live"] is None:
            r["live"] = r["total"]
    return {"account": {"subdomain": s.subdomain, "plan": s.plan, "features": list(s.features),
                        "high_volume": s.high_volume, "seed": s.seed, "now": iso(account.now()),
                        "anchor": iso(account.anchor), "export_cutoff": account.export_cutoff(),
                        "archive_cutoff": iso(account.archive_cutoff)},
            "resources": resources}


def is_loopback_name(host: str) -> bool:
    host = host.strip("[]").lower()
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _host_name(host_header: str) -> str:
    """The host of a Host header, without its port ('[::1]:80' -> '::1', 'a:80' -> 'a')."""
    if host_header.startswith("["):
        return host_header[1:].split("]", 1)[0]
    return host_header.rsplit(":", 1)[0] if host_header.count(":") == 1 else host_header


def _refused(status: int, error: str, description: str) -> web.Response:
    return json_response({"error": error, "description": description}, status)


def make_control_guard(settings):
    """Control requests need a loopback Host header (or the --host name the operator chose), so a DNS name
    rebound to 127.0.0.1 cannot reach them from a browser; and a POST needs an application/json body, which a
    cross-site form or a no-cors fetch cannot send."""
    own_host = (getattr(settings, "host", "") or "").lower()

    @web.middleware
    async def control_guard(request: web.Request, handler):
        if not is_sandbox_path(request.path):
            return await handler(request)
        name = _host_name(request.host or "").lower()
        if not (is_loopback_name(name) or name == own_host):
            return _refused(403, "ForbiddenHost", f"control endpoints answer only a loopback Host header, "
                                                  f"not {name!r}")
        if request.method in ("POST", "PUT", "PATCH") and request.content_type != "application/json":
            return _refused(415, "UnsupportedMediaType", "control endpoints take only Content-Type: "
                                                         f"application/json, not {request.content_type!r}")
        return await handler(request)

    return control_guard


def checked_mutation(spec) -> dict:
    """The mutation spec, or ValueError naming the first field that is not a whole count within bounds."""
    if not isinstance(spec, dict):
        raise ValueError("expected a JSON object such as {\"tickets\": {\"create\": 5}}")
    for resource, actions in spec.items():
        if not isinstance(actions, dict):
            raise ValueError(f"{resource}: expected an object of action counts")
        for action, count in actions.items():
            if action not in MUTATION_ACTIONS:
                continue  # Account.mutate names unknown actions
            if isinstance(count, bool) or not isinstance(count, int) or not 0 <= count <= MAX_MUTATION_COUNT:
                raise ValueError(f"{resource}.{action} must be a whole number from 0 to {MAX_MUTATION_COUNT}, "
                                 f"got {count!r}")
    return spec


async def handle(request: web.Request) -> web.Response:
    app = request.app
    path = normalize_path(request.path)
    account = app["account"]
    if path == "/_sandbox/summary" and request.method == "GET":
        return json_response(summary(account))
    if path == "/_sandbox/mutate" and request.method == "POST":
        try:
            spec = checked_mutation(orjson.loads(await request.read() or b"{}"))
            return json_response(account.mutate(spec))
        except (ValueError, orjson.JSONDecodeError) as e:
            return json_response({"error": "InvalidMutation", "description": str(e)}, 400)
    if path == "/_sandbox/stats" and request.method == "GET":
        return json_response(app["stats"].as_json())
    if path == "/_sandbox/stats/reset" and request.method == "POST":
        app["stats"].counts.clear()
        return json_response({"reset": True})
    if path == "/_sandbox/health":
        return json_response({"ok": True})
    return invalid_endpoint().response()
