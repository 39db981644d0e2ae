"""The /_sandbox/ control endpoints: ground truth (summary), mutations, and request statistics, behind a guard
that keeps web pages and rebound DNS names away from them."""

from __future__ import annotations

import ipaddress
from collections import Counter

import orjson
from aiohttp import web

from ..data.attachments import ticket_attachment_resource
from ..data.timeline import iso
from ..foundation.errors import invalid_endpoint, json_response
from ..add_ons.gates import product_resources
from .ratelimit import is_sandbox_path
from ..foundation.routing import normalize_path
from ..support import ground_truth as truth
from ..tables.combined import ENDPOINT_TABLES

# Per action and resource in one POST /_sandbox/mutate: far above any test or benchmark (1% of 1M tickets is 10k),
# far below what would stall the event loop for minutes.
MAX_MUTATION_COUNT = 100_000
MUTATION_ACTIONS = ("create", "update", "delete", "touch")


class Stats:
    """Requests served, per path template and status (what a benchmark calls "requests made")."""

    def __init__(self) -> None:
        self.counts: Counter = Counter()

    def record(self, template: str, status) -> None:
        self.counts[(template, str(status))] += 1

    def as_json(self) -> dict:
        by_path: dict = {}
        for (template, status), n in sorted(self.counts.items()):
            by_path.setdefault(template, {})[status] = n
        return {"total": sum(self.counts.values()), "paths": by_path}


def _resource(
    total: int, live: int | None = None, archived: int = 0, deleted: int = 0, endpoints: dict | None = None
) -> dict:
    """A resource's totals; `endpoints` holds only counts of endpoints whose row names another resource (the
    search export); each table row's own count is added by `summary`."""
    return {"total": total, "live": live, "archived": archived, "deleted": deleted, "endpoints": endpoints or {}}


def ticket_resources(account) -> dict:
    total, deleted = truth.tickets_total(account), truth.tickets_deleted(account)
    archived = truth.tickets_archived(account)
    live = total - deleted - archived
    audits = truth.audits_total(account)
    # The ticket endpoints' counts are of a walk that asks for every ticket (support_type_scope=all);
    # `ai_agent` is how many of the tickets an AI agent handled (left out of a walk without the scope).
    return {
        "tickets": {
            **_resource(total, live, archived, deleted, {"/api/v2/search/export": total - deleted}),
            "ai_agent": account.tickets.ai_agent_count(),
        },
        "deleted_tickets": _resource(deleted),
        "ticket_comments": _resource(truth.comments_total(account)),
        "ticket_audits": _resource(audits),
        "ticket_events": _resource(audits),
        "ticket_metrics": _resource(total, live, archived, deleted),
        "ticket_metric_events": _resource(truth.metric_events_total(account)),
        "satisfaction_ratings": _resource(truth.satisfaction_ratings(account)),
        "side_conversations": _resource(truth.side_conversations(account)),
        # sideloaded with include=events, and the participants of each conversation
        "side_conversation_events": _resource(truth.side_conversation_events(account)),
        "side_conversation_recipients": _resource(truth.side_conversation_recipients(account)),
    }


def people_resources(account) -> dict:
    resources = {}
    for name, people in (("users", account.users), ("organizations", account.organizations)):
        total, deleted = truth.people_total(people), truth.people_deleted(people)
        resources[name] = _resource(total, deleted=deleted, endpoints={"/api/v2/search/export": total - deleted})
    users = account.users
    every_identity = users.identity_count(1, users.next_index - 1)
    live_identities = truth.identities_listed(account)
    resources["user_identities"] = _resource(every_identity, live_identities, deleted=every_identity - live_identities)
    return resources


def config_resources(account) -> dict:
    groups = account.config.groups
    live_groups = truth.live_groups(account)
    resources = {
        "groups": _resource(
            len(groups),
            live_groups,
            deleted=len(groups) - live_groups,
            endpoints={"/api/v2/search/export": live_groups},
        )
    }
    forms_served = account.settings.has_feature("ticket_forms")
    for name, key in (
        ("ticket_form_agent_conditions", "agent_conditions"),
        ("ticket_form_end_user_conditions", "end_user_conditions"),
    ):
        rows = account.config.condition_rows(key)  # one per child field of each condition set, read from /ticket_forms
        resources[name] = _resource(rows, endpoints={"/api/v2/ticket_forms": rows if forms_served else 0})
    return resources


def custom_object_resources(account) -> dict:
    """Each object's records, under the connector's stream name: what the export shows (live records, and those
    deleted in its 30-day window)."""
    objects = account.custom_objects
    resources = {}
    for key in objects.by_key:
        exported, live = objects.exported_count(key), objects.live_count(key)
        resources[f"custom_object_{key}"] = _resource(exported, live, deleted=exported - live)
    return resources


# resource name -> totals, for resources whose total is not simply the count of their endpoint; a product
# (Help Center, Talk, Chat) appends its own
SUMMARY_SECTIONS = [
    ticket_resources,
    people_resources,
    config_resources,
    product_resources,
    custom_object_resources,
    lambda account: {"ticket_attachments": ticket_attachment_resource(account)},
]


def _table_counts(account, resources: dict) -> None:
    """The count of every table row that has one, under its resource: 0 where the plan gate refuses the path.
    A resource no section describes totals what its first row counts."""
    settings = account.settings
    for table in ENDPOINT_TABLES:
        for row in table:
            if row.count is None:
                continue
            count = row.count(account)
            resource = resources.setdefault(row.resource, _resource(count))
            refused = row.gate is not None and row.gate(settings) is not None
            resource["endpoints"][row.path] = 0 if refused else count


def summary(account) -> dict:
    settings = account.settings
    resources = {}
    for section in SUMMARY_SECTIONS:
        resources.update(section(account))
    _table_counts(account, resources)
    for resource in resources.values():
        if resource["live"] is None:
            resource["live"] = resource["total"] - resource["deleted"] - resource["archived"]
    return {
        "account": {
            "subdomain": settings.subdomain,
            "plan": settings.plan,
            "features": list(settings.features),
            "high_volume": settings.high_volume,
            "seed": settings.seed,
            "now": iso(account.now()),
            "anchor": iso(account.anchor),
            "export_cutoff": account.export_cutoff(),
            "archive_cutoff": iso(account.archive_cutoff),
        },
        "resources": resources,
    }


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
            return _refused(403, "ForbiddenHost", f"control endpoints answer only a loopback Host header, not {name!r}")
        if request.method in ("POST", "PUT", "PATCH") and request.content_type != "application/json":
            return _refused(
                415,
                "UnsupportedMediaType",
                f"control endpoints take only Content-Type: application/json, not {request.content_type!r}",
            )
        return await handler(request)

    return control_guard


def checked_mutation(spec) -> dict:
    """The mutation spec, or ValueError naming the first field that is not a whole count within bounds."""
    if not isinstance(spec, dict):
        raise ValueError('expected a JSON object such as {"tickets": {"create": 5}}')
    for resource, actions in spec.items():
        if not isinstance(actions, dict):
            raise ValueError(f"{resource}: expected an object of action counts")
        for action, count in actions.items():
            if action not in MUTATION_ACTIONS:
                continue  # Account.mutate names unknown actions
            if isinstance(count, bool) or not isinstance(count, int) or not 0 <= count <= MAX_MUTATION_COUNT:
                raise ValueError(
                    f"{resource}.{action} must be a whole number from 0 to {MAX_MUTATION_COUNT}, got {count!r}"
                )
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
