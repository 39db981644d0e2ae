"""The Support API endpoint table: one row per path, binding it to a resource, a pagination family and a
plan gate. Adding a product (Help Center, Talk, Chat) means adding rows and a data module."""
from __future__ import annotations

import bisect
import calendar
import re
import time
from dataclasses import dataclass
from typing import Callable

from . import errors
from .data import ids
from .data.tickets import LAG
from .data.pools import mix
from .data.timeline import iso
from .pagination import (Sorted, cursor_export_page, cursor_page, decode_export_cursor, encode_cbp_cursor,
                         decode_cbp_cursor, encode_export_cursor, export_per_page, offset_page, page_url, parse_int,
                         time_export_page, wants_cursor)

BIG = 1 << 62


@dataclass
class Ctx:
    """What a handler needs from the request."""
    account: object
    query: dict
    params: dict
    path: str  # as requested (keeps a .json suffix)
    user_id: int
    role: str

    @property
    def base(self) -> str:
        return self.account.base_url


@dataclass(frozen=True)
class Endpoint:
    path: str
    resource: str
    handle: Callable[[Ctx], dict]
    admin_only: bool = False
    gate: Callable[[object], errors.ZendeskError | None] | None = None
    count: Callable[[object], int] | None = None  # ground truth: distinct records a full walk returns


# ---- gates ---------------------------------------------------------------------------------------------
def plan_at_least(plan: str, error=errors.forbidden_admin_only):
    def gate(settings):
        return None if settings.plan_at_least(plan) else error()
    return gate


def feature(name: str, error=errors.forbidden_admin_only):
    def gate(settings):
        return None if settings.has_feature(name) else error()
    return gate


def not_team(settings):
    return errors.invalid_endpoint() if settings.plan == "team" else None


def side_conversations_gate(settings):
    if settings.has_feature("side_conversations"):
        return None
    return errors.ZendeskError(403, b"", content_type="text/html; charset=utf-8")


# ---- helpers -------------------------------------------------------------------------------------------
SEARCH_CACHE_SIZE = 8


def cached(account, name: str, build):
    """Materialized key lists, rebuilt after each mutation (account.version). Search results are many and
    short-lived (one per query), so only the last few are kept."""
    cache = account.__dict__.setdefault("_list_cache", {})
    hit = cache.pop(name, None)
    if hit is not None and hit[0] == account.version:
        cache[name] = hit  # re-insert: most recently used last
        return hit[1]
    value = build()
    cache[name] = (account.version, value)
    searches = [k for k in cache if k.startswith("search:")]
    for k in searches[:-SEARCH_CACHE_SIZE]:
        del cache[k]
    return value


def listing(key: str, items: Callable[[Ctx], Sorted], cursor: bool = True, unpaged: bool = False,
            trailing_empty_page_quirk: bool = False, sideload: Callable[[Ctx, list], dict] | None = None):
    """A list endpoint: cursor pages when page[size]/page[after]/page[before] is sent, offset pages otherwise.
    `sideload(ctx, records)` adds arrays the endpoint always sends next to the list."""
    def handle(ctx: Ctx) -> dict:
        sorted_items = items(ctx)
        if cursor and wants_cursor(ctx.query):
            quirk = trailing_empty_page_quirk and ctx.account.settings.trailing_empty_page
            body = cursor_page(sorted_items, key, ctx.query, ctx.base, ctx.path, trailing_empty_page=quirk)
        else:
            body = offset_page(sorted_items, key, ctx.query, ctx.base, ctx.path, unpaged=unpaged)
        if sideload is not None:
            body.update(sideload(ctx, body[key]))
        return body
    return handle


def static(records_of, key_of=lambda r: (r["id"],), order="id"):
    return lambda ctx: Sorted.of_records(records_of(ctx.account), key_of, order)


def parse_time(value: str) -> int | None:
    """A search/filter time: epoch seconds, ISO 8601 (Z) or a date."""
    value = value.strip().strip('"')
    if value.isdigit():
        return int(value)
    for fmt in ("%Y-%m-%dT%H:%M:%SZ", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d"):
        try:
            return calendar.timegm(time.strptime(value.replace("+00:00", "Z") if fmt.endswith("Z") else value, fmt))
        except ValueError:
            continue
    return None


def ticket_index(ctx: Ctx, name: str = "ticket_id") -> int:
    try:
        i = int(ctx.params[name])
    except ValueError:
        raise errors.record_not_found() from None
    t = ctx.account.tickets
    if not t.exists(i) or t.is_deleted(i):
        raise errors.record_not_found()
    return i


def user_index(ctx: Ctx, name: str = "user_id") -> int:
    try:
        k = ctx.account.users.index_of(int(ctx.params[name]))
    except ValueError:
        k = None
    if k is None or ctx.account.users.is_deleted(k):
        raise errors.record_not_found()
    return k


def require_start_time(ctx: Ctx) -> int:
    raw = ctx.query.get("start_time")
    if raw is None or raw == "":
        raise errors.invalid_value("start_time is required")
    start = parse_int(raw, "start_time")
    if start >= ctx.account.export_cutoff():
        raise errors.start_time_too_recent(legacy=ctx.account.settings.too_recent_mode == "422")
    return max(0, start)


def includes(ctx: Ctx) -> set[str]:
    return {v.strip() for v in ctx.query.get("include", "").split(",") if v.strip()}


# ---- tickets ---------------------------------------------------------------------------------------------
TICKET_SORTS = {"id": ("nice_id", False, None), "updated_at": ("updated_at,id", False, "u"),
                "-updated_at": ("-updated_at,-id", True, "u"), "created_at": ("created_at,id", False, "c"),
                "-created_at": ("-created_at,-id", True, "c"), "-id": ("-nice_id", True, None)}


def ticket_items(ctx: Ctx) -> Sorted:
    a, t = ctx.account, ctx.account.tickets
    sort = ctx.query.get("sort", "id")
    if "sort_by" in ctx.query:  # offset flavour: sort_by + sort_order
        sort = ("-" if ctx.query.get("sort_order") == "desc" else "") + ctx.query["sort_by"]
    if sort not in TICKET_SORTS:
        sort = "id"
    order, desc, field = TICKET_SORTS[sort]
    sign = -1 if desc else 1

    def build_keys():
        live = t.live_ids()
        if field is None:
            keys = [(sign * i,) for i in live]
        else:
            ts = t.updated_ts if field == "u" else t.created_ts
            keys = [(sign * ts(i), sign * i) for i in live]
        keys.sort()
        return keys
    keys = cached(a, f"tickets:{sort}", build_keys)
    return Sorted(keys, lambda p: t.ticket(abs(keys[p][-1])), order)


def ticket_show(ctx: Ctx) -> dict:
    return {"ticket": ctx.account.tickets.ticket(ticket_index(ctx))}


def tickets_count(ctx: Ctx) -> dict:
    return {"count": {"value": len(cached(ctx.account, "tickets:id", lambda: [(i,) for i in ctx.account.tickets.live_ids()])),
                      "refreshed_at": iso(ctx.account.now()).replace("Z", "+00:00")}}


def comment_items(ctx: Ctx) -> Sorted:
    i = ticket_index(ctx)
    comments = ctx.account.tickets.comments(i)
    if ctx.query.get("sort") == "-created_at" or ctx.query.get("sort_order") == "desc":
        return Sorted.of_records(comments, lambda c: (-calendar.timegm(time.strptime(c["created_at"], "%Y-%m-%dT%H:%M:%SZ")), -c["id"]),
                                 "-created_at,-id")
    return Sorted([(c["id"],) for c in comments], comments.__getitem__, "created_at,id")


def ticket_audit_items(ctx: Ctx) -> Sorted:
    i = ticket_index(ctx)
    audits = ctx.account.tickets.audits(i)
    return Sorted([(x["id"],) for x in audits], audits.__getitem__, "created_at,id")


def all_audit_keys(account):
    t = account.tickets
    keys = [(spec[0], ids.AUDIT + i * ids.PER_TICKET + spec[1]) for i in t.live_ids() for spec in t.audits_spec(i)]
    keys.sort()
    return keys


def build_audit(account, key):
    t = account.tickets
    n = key[1] - ids.AUDIT
    i, j = divmod(n, ids.PER_TICKET)
    _rng, requester, _s, assignee, *_ = t.people(i)
    return t.audit(i, t.audits_spec(i)[j], requester, assignee)


def ticket_audits(ctx: Ctx) -> dict:
    """CBP with page[size]; otherwise the legacy cursor (newest first, limit, before/after cursors)."""
    a = ctx.account
    keys = cached(a, "ticket_audits", lambda: all_audit_keys(a))
    if wants_cursor(ctx.query):
        return cursor_page(Sorted(keys, lambda p: build_audit(a, keys[p]), "created_at,id"), "audits", ctx.query,
                           ctx.base, ctx.path)
    limit = min(1000, max(1, parse_int(ctx.query.get("limit"), "limit", 1000)))
    end = len(keys)
    if ctx.query.get("cursor"):
        end = bisect.bisect_left(keys, decode_cbp_cursor(ctx.query["cursor"], "created_at,id", "cursor"))
    start = max(0, end - limit)
    page = [build_audit(a, keys[p]) for p in range(end - 1, start - 1, -1)]
    before = encode_cbp_cursor("created_at,id", keys[start]) if page and start > 0 else None
    after = encode_cbp_cursor("created_at,id", keys[end - 1]) if page else None
    keep = {k: v for k, v in ctx.query.items() if k != "cursor"}
    return {"audits": page, "before_cursor": before, "after_cursor": after,
            "before_url": page_url(ctx.base, ctx.path, {**keep, "cursor": before}) if before else None,
            "after_url": None}


def ticket_metric_show(ctx: Ctx) -> dict:
    return {"ticket_metric": ctx.account.tickets.metric(ticket_index(ctx))}


def ticket_metric_items(ctx: Ctx) -> Sorted:
    a, t = ctx.account, ctx.account.tickets
    keys = cached(a, "ticket_metrics", lambda: sorted((-t.created_ts(i), i) for i in t.live_ids()))
    return Sorted(keys, lambda p: t.metric(keys[p][1]), "-created_at,id")


def side_conversation_items(ctx: Ctx) -> Sorted:
    i = ticket_index(ctx)
    t = ctx.account.tickets
    convs = [t.side_conversation(i)] if i <= t.count and t.shape(i).side_conversation else []
    return Sorted([(c["created_at"], c["id"]) for c in convs], convs.__getitem__, "created_at,id")


def metric_events_grouped(ctx: Ctx) -> dict:
    i = ticket_index(ctx)
    t = ctx.account.tickets
    out: dict = {}
    for spec in t.metric_events_spec(i):
        out.setdefault(spec[3], []).append(t.metric_event(spec))
    return out


def by_time_sort(ctx: Ctx, fields: dict) -> tuple | None:
    """`sort_by=<field>&sort_order=asc|desc` of a ticket list Zendesk sorts by a time: ((name, time of a ticket
    id), descending?), or None for the list's default order (Zendesk ignores a field it does not sort by)."""
    field = fields.get(ctx.query.get("sort_by", ""))
    return (field, ctx.query.get("sort_order") == "desc") if field else None


def time_sorted_keys(ids_, sort: tuple | None) -> tuple[list[tuple], str]:
    """Cursor keys of ticket ids in the order `sort` asks for; the id is always the last key element."""
    if sort is None:
        return [(i,) for i in ids_], "nice_id"
    (name, ts), desc = sort
    sign = -1 if desc else 1
    return sorted((sign * ts(i), sign * i) for i in ids_), f"{'-' if desc else ''}{name},{'-' if desc else ''}id"


def deleted_ticket_items(ctx: Ctx) -> Sorted:
    """Deleted tickets until they are purged (the purge moves with the clock, so this list is not cached)."""
    a, t = ctx.account, ctx.account.tickets
    sort = by_time_sort(ctx, {"deleted_at": ("deleted_at", t.deleted_at)})
    keys, order = time_sorted_keys(t.recoverable_deleted_ids(), sort)

    def build(p):
        i = abs(keys[p][-1])
        rec = t.ticket(i)
        ch = t.changes.get(i)
        return {"id": i, "subject": rec["subject"], "description": rec["description"],
                "actor": {"id": a.users.admin_id(), "name": "Admin"}, "deleted_at": iso(t.deleted_at(i)),
                "previous_state": "solved" if ch is None else "open"}
    return Sorted(keys, build, order)


def satisfaction_items(ctx: Ctx) -> Sorted:
    a, t = ctx.account, ctx.account.tickets
    keys = cached(a, "csat", lambda: [(t.generated_base_ts(i), ids.SATISFACTION + i)
                                      for i in t.ids_with_shape(lambda s: s.csat in ("good", "bad"))
                                      if t.has_csat(i)])
    lo = parse_int(ctx.query.get("start_time"), "start_time", None)
    hi = parse_int(ctx.query.get("end_time"), "end_time", None)
    score = ctx.query.get("score")
    sel = [k for k in keys if (lo is None or k[0] >= lo) and (hi is None or k[0] < hi)] if lo or hi else keys
    if score:
        sel = [k for k in sel if t.shape(k[1] - ids.SATISFACTION).csat == score]
    return Sorted(sel, lambda p: t.satisfaction_rating(sel[p][1] - ids.SATISFACTION), "created_at,id")


def skip_items(ctx: Ctx) -> Sorted:
    a, t = ctx.account, ctx.account.tickets
    keys = cached(a, "skips", lambda: [(t.base_audit_times(i)[0] + 60, ids.SKIP + i)
                                       for i in t.ids_with_shape(lambda s: s.skipped and not s.deleted)])
    lo = parse_int(ctx.query.get("start_time"), "start_time", None)
    sel = [k for k in keys if k[0] >= lo] if lo else keys
    if ctx.query.get("sort_order") == "desc":
        sel = sorted(((-k[0], -k[1]) for k in sel))
        return Sorted(sel, lambda p: t.skip(-sel[p][1] - ids.SKIP), "-created_at,-id")
    return Sorted(sel, lambda p: t.skip(sel[p][1] - ids.SKIP), "created_at,id")


ACTIVITY_WINDOW = 30 * 86400


def activity_keys(account):
    t = account.tickets
    # Zendesk keeps ~30 days of activities; counted back from the newest generated ticket so that a
    # reproducible account of any size has some
    since = t.timeline.at(t.count) - ACTIVITY_WINDOW
    first = t.timeline.first_at_or_after(since, 1, t.count)
    live = [i for i in range(first, t.count + 1) if not t.shape(i).deleted]
    live += [i for i, ch in t.changes.items() if ch.created_at is not None and ch.deleted_at is None]
    return sorted((-t.created_ts(i), i) for i in live)


def activity_items(ctx: Ctx) -> Sorted:
    a, t = ctx.account, ctx.account.tickets
    keys = cached(a, "activities", lambda: activity_keys(a))
    lo = parse_int(ctx.query.get("start_time") or ctx.query.get("since"), "start_time", None)
    sel = [k for k in keys if -k[0] >= lo] if lo else keys

    def build(p):
        ts, i = -sel[p][0], sel[p][1]
        rec = t.ticket(i)
        actor = a.users.user(2)
        user = a.users.user(max(1, (rec["assignee_id"] or ids.USER + 2) - ids.USER))
        aid = ids.config_id(40, i)
        return {"url": f"{a.base_url}/api/v2/activities/{aid}.json", "id": aid,
                "title": f"{actor['name']} assigned ticket #{i} to you.", "verb": "tickets.assignment",
                "user_id": user["id"], "actor_id": actor["id"], "created_at": iso(ts), "updated_at": iso(ts),
                "object": {"ticket": {"id": i, "subject": rec["subject"]}},
                "target": {"ticket": {"id": i, "subject": rec["subject"]}}, "user": user, "actor": actor}
    return Sorted(sel, build, "-created_at,id")


def activity_sideloads(ctx: Ctx, records: list) -> dict:
    """/activities always sends the page's actors and users, each once, next to the activities."""
    def distinct(people):
        return list({p["id"]: p for p in people}.values())
    return {"actors": distinct(r["actor"] for r in records), "users": distinct(r["user"] for r in records)}


def request_items(ctx: Ctx) -> Sorted:
    a, t = ctx.account, ctx.account.tickets
    sort = by_time_sort(ctx, {"updated_at": ("updated_at", t.updated_ts), "created_at": ("created_at", t.created_ts)})
    ids_ = cached(a, "requests", lambda: [i for i in t.live_ids() if i % 50 == 0 and i <= t.count])
    keys, order = time_sorted_keys(ids_ if ctx.user_id == a.users.admin_id() else [], sort)

    def build(p):
        rec = t.ticket(abs(keys[p][-1]))
        return {"url": f"{a.base_url}/api/v2/requests/{rec['id']}.json", "id": rec["id"], "status": rec["status"],
                "priority": rec["priority"], "type": rec["type"], "subject": rec["subject"],
                "description": rec["description"], "organization_id": rec["organization_id"], "via": rec["via"],
                "custom_fields": rec["custom_fields"], "fields": rec["custom_fields"], "requester_id": rec["requester_id"],
                "collaborator_ids": [], "email_cc_ids": [], "is_public": True, "due_at": rec["due_at"],
                "can_be_solved_by_me": False, "solved": rec["status"] in ("solved", "closed"),
                "ticket_form_id": rec["ticket_form_id"], "recipient": rec["recipient"], "followup_source_id": None,
                "assignee_id": rec["assignee_id"], "group_id": rec["group_id"],
                "custom_status_id": rec["custom_status_id"], "created_at": rec["created_at"],
                "updated_at": rec["updated_at"]}
    return Sorted(keys, build, "id" if sort is None else order)


def rule_items(kind: str, key_of, order: str):
    """Macros, triggers or automations, with the fields Zendesk sends only when `include=` names them."""
    def items(ctx: Ctx) -> Sorted:
        config = ctx.account.config
        wanted = [name for name in config.RULE_SIDELOADS[kind] if name in includes(ctx)]
        rules = [{**r, **{name: config.rule_sideload(r, name) for name in wanted}} for r in getattr(config, kind)]
        return Sorted.of_records(rules, key_of, order)
    return items


# ---- users and organizations --------------------------------------------------------------------------
def user_items(ctx: Ctx) -> Sorted:
    a, u = ctx.account, ctx.account.users
    keys = cached(a, "users", lambda: [(u.id_base + k,) for k in u.active_indexes()])
    return Sorted(keys, lambda p: u.user(keys[p][0] - u.id_base), "id")


def deleted_user_items(ctx: Ctx) -> Sorted:
    a, u = ctx.account, ctx.account.users
    keys = cached(a, "deleted_users", lambda: [(u.id_base + k,) for k in u.deleted_indexes()])
    return Sorted(keys, lambda p: u.deleted_user(keys[p][0] - u.id_base), "id")


def identity_items(ctx: Ctx) -> Sorted:
    k = user_index(ctx)
    idents = ctx.account.users.identities(k)
    return Sorted([(x["id"],) for x in idents], idents.__getitem__, "id")


def organization_items(ctx: Ctx) -> Sorted:
    a, o = ctx.account, ctx.account.organizations
    if ctx.query.get("sort") == "updated_at":
        keys = cached(a, "orgs:u", lambda: sorted((o.updated_ts(k), o.id_base + k) for k in o.active_indexes()))
        return Sorted(keys, lambda p: o.organization(keys[p][1] - o.id_base), "updated_at,id")
    keys = cached(a, "orgs", lambda: [(o.id_base + k,) for k in o.active_indexes()])
    return Sorted(keys, lambda p: o.organization(keys[p][0] - o.id_base), "id")


def org_membership_items(ctx: Ctx) -> Sorted:
    a, u = ctx.account, ctx.account.users
    keys = cached(a, "org_memberships", lambda: [(ids.ORG_MEMBERSHIP + k,) for k in u.active_indexes()
                                                 if u.organization_index(k) is not None])
    return Sorted(keys, lambda p: u.organization_membership(keys[p][0] - ids.ORG_MEMBERSHIP), "id")


def group_items(ctx: Ctx) -> Sorted:
    groups = ctx.account.config.groups
    if ctx.query.get("exclude_deleted", "true") != "false":
        groups = [g for g in groups if not g["deleted"]]
    return Sorted.of_records(groups, lambda g: (g["name"], g["id"]), "name,id")


# ---- incremental exports ----------------------------------------------------------------------------
def insertion_order(rows, seed: int):
    """Zendesk orders records inside one second by internal insertion order, not by id (e.g. 28, 29, 37, 30).
    Rows arrive (ts, id)-sorted; each second's group is re-ordered by a stable hash standing in for it."""
    group: list = []
    for row in rows:
        if group and row[0] != group[0][0]:
            group.sort(key=lambda r: mix(seed, 77, hash(r[1:3])))
            yield from group
            group = []
        group.append(row)
    group.sort(key=lambda r: mix(seed, 77, hash(r[1:3])))
    yield from group


def time_export(key: str, rows_from: Callable, build: Callable, sideload: Callable | None = None,
                max_rows: int | None = None, deleted: Callable | None = None):
    """A time-export endpoint. rows_from(ctx, start) yields (ts, ...) ascending; build(ctx, row) -> record."""
    def handle(ctx: Ctx) -> dict:
        start = require_start_time(ctx)
        per_page = export_per_page(ctx.query)
        cap = 1000
        if max_rows is not None:
            per_page, cap = max_rows, max_rows
        rows = insertion_order(rows_from(ctx, start), ctx.account.settings.seed)
        if deleted is not None and ctx.query.get("exclude_deleted") == "true":
            rows = (r for r in rows if not deleted(ctx, r))
        page, end_time, eos = time_export_page(rows, start, per_page, ctx.account.export_cutoff(), hard_cap=cap)
        records = [build(ctx, row) for row in page]
        keep = {k: v for k, v in ctx.query.items() if k != "start_time"}
        body = {key: records}
        if sideload:
            body.update(sideload(ctx, records))
        body.update({"next_page": page_url(ctx.base, ctx.path, {**keep, "start_time": end_time}),
                     "count": len(records), "end_of_stream": eos, "end_time": end_time})
        return body
    return handle


def cursor_export(key: str, rows_after: Callable, build: Callable, sideload: Callable | None = None,
                  deleted: Callable | None = None):
    """A cursor-export endpoint. rows_after(ctx, (ts, id)) yields (ts, id) strictly after the keyset."""
    def handle(ctx: Ctx) -> dict:
        if ctx.query.get("cursor"):
            after = decode_export_cursor(ctx.query["cursor"])
        else:
            after = (require_start_time(ctx), 0)
        per_page = export_per_page(ctx.query)
        rows = rows_after(ctx, after)
        if deleted is not None and ctx.query.get("exclude_deleted") == "true":
            rows = (r for r in rows if not deleted(ctx, r))
        page, last, eos = cursor_export_page(rows, after, per_page, ctx.account.export_cutoff())
        records = [build(ctx, row) for row in page]
        cursor = encode_export_cursor(*last)
        keep = {k: v for k, v in ctx.query.items() if k not in ("cursor", "start_time")}
        body = {key: records}
        if sideload:
            body.update(sideload(ctx, records))
        body.update({"after_url": page_url(ctx.base, ctx.path, {**keep, "cursor": cursor}), "before_url": None,
                     "after_cursor": cursor, "before_cursor": None, "end_of_stream": eos})
        return body
    return handle


def ticket_rows(ctx, start):
    return ctx.account.tickets.iter_export((start, 0))


def ticket_rows_after(ctx, after):
    return ctx.account.tickets.iter_export(after)


def build_export_ticket(ctx, row):
    return ctx.account.tickets.ticket(row[1], export=True, metric_set="metric_sets" in includes(ctx))


def ticket_sideloads(ctx, records):
    inc = includes(ctx)
    a = ctx.account
    out = {}
    if "users" in inc:
        wanted = sorted({r[f] for r in records for f in ("requester_id", "submitter_id", "assignee_id") if r[f]})
        out["users"] = [a.users.user(uid - ids.USER) for uid in wanted]
    if "organizations" in inc:
        wanted = sorted({r["organization_id"] for r in records if r["organization_id"]})
        out["organizations"] = [a.organizations.organization(oid - ids.ORGANIZATION) for oid in wanted]
    if "groups" in inc:
        wanted = {r["group_id"] for r in records}
        out["groups"] = [g for g in a.config.groups if g["id"] in wanted]
    if "comment_count" in inc:
        for r in records:
            r["comment_count"] = sum(1 for s in a.tickets.audits_spec(r["id"]) if s[5] is not None)
    return out


def user_rows(ctx, start):
    return ctx.account.users.iter_export((start, 0))


def build_export_user(ctx, row):
    return ctx.account.users.user(row[1] - ids.USER, export=True)


def user_sideloads(ctx, records):
    if "identities" not in includes(ctx):
        return {}
    u = ctx.account.users
    return {"identities": [x for r in records for x in u.identities(r["id"] - ids.USER)]}


def org_rows(ctx, start):
    return ctx.account.organizations.iter_export((start, 0))


def build_export_org(ctx, row):
    return ctx.account.organizations.organization(row[1] - ids.ORGANIZATION, export=True)


def event_rows(ctx, start):
    return ctx.account.tickets.iter_events((start - 1, BIG, BIG))


def build_event(ctx, row):
    t = ctx.account.tickets
    ts, i, j = row[:3]
    return t.ticket_event(i, t.audits_spec(i)[j], "comment_events" in includes(ctx))


def metric_event_rows(ctx, start):
    return ctx.account.tickets.iter_metric_events((start - 1, BIG, BIG))


def build_metric_event(ctx, row):
    return ctx.account.tickets.metric_event(row)


_time_metric_events = time_export("ticket_metric_events", metric_event_rows, build_metric_event)


def ticket_metric_events(ctx: Ctx) -> dict:
    """Time-based without page[size]; cursor pages (size <= 100) with it."""
    if not wants_cursor(ctx.query):
        return _time_metric_events(ctx)
    size = parse_int(ctx.query.get("page[size]"), "page[size]", 100)
    if size > 100:
        raise errors.pagination_parameter("page[size] cannot be greater than 100")
    order = "time,id"
    if ctx.query.get("page[after]"):
        key = decode_cbp_cursor(ctx.query["page[after]"], order, "after")
        after = (key[0], (key[1] - ids.METRIC_EVENT) // ids.PER_TICKET, (key[1] - ids.METRIC_EVENT) % ids.PER_TICKET)
    else:
        after = (require_start_time(ctx) - 1, BIG, BIG)
    cutoff = ctx.account.export_cutoff()
    rows = []
    for row in ctx.account.tickets.iter_metric_events(after):
        if row[0] >= cutoff or len(rows) > size:
            break
        rows.append(row)
    has_more = len(rows) > size
    rows = rows[:size]
    records = [build_metric_event(ctx, r) for r in rows]
    keep = {k: v for k, v in ctx.query.items() if k not in ("page[after]", "start_time")}
    if rows:
        last = rows[-1]
        cur = encode_cbp_cursor(order, (last[0], ids.METRIC_EVENT + last[1] * ids.PER_TICKET + last[2]))
        first = rows[0]
        bcur = encode_cbp_cursor(order, (first[0], ids.METRIC_EVENT + first[1] * ids.PER_TICKET + first[2]))
        nxt = page_url(ctx.base, ctx.path, {**keep, "page[after]": cur})
    else:
        cur = bcur = nxt = None
    return {"ticket_metric_events": records, "meta": {"has_more": has_more, "after_cursor": cur,
                                                       "before_cursor": bcur},
            "links": {"prev": None, "next": nxt if has_more else None}}


SAMPLE_ROWS = 50


# ---- search -------------------------------------------------------------------------------------------
SEARCH_TERM = re.compile(r'(\w+)(>=|<=|:|>|<)("[^"]*"|\S+)')


def parse_query(query: str):
    """Filters of a search query: type, status, and created/updated comparisons."""
    kind, filters = None, []
    if (query or "").count('"') % 2:
        raise errors.invalid_search("unbalanced quotes in the query")
    for name, op, value in SEARCH_TERM.findall(query or ""):
        if name == "type" and op == ":":
            kind = value
        elif name in ("created", "updated", "created_at", "updated_at"):
            ts = parse_time(value)
            if ts is None:  # Zendesk refuses a date it cannot read rather than ignoring the condition
                raise errors.invalid_search(f"'{name}{op}{value}' is not a valid date")
            filters.append((name[0], op, ts))
        elif name == "status":
            filters.append(("s", op, value))
    return kind, filters


def _passes(filters, created, updated, status=None) -> bool:
    for field, op, value in filters:
        if field == "s":
            if status is None or (op == ":" and status != value) or (op == "<" and False):
                return False
            continue
        v = created if field == "c" else updated
        if op == ">=" and not v >= value or op == ">" and not v > value or op == "<" and not v < value \
                or op == "<=" and not v <= value or op == ":" and not value <= v < value + 86400:
            return False
    return True


def search_keys(account, kind: str, filters) -> list[tuple]:
    """(-created_at, id) of matching records: newest first, ties by id ascending. Deleted records excluded."""
    if kind == "ticket":
        t = account.tickets
        statuses = any(f[0] == "s" for f in filters)
        base = range(*ticket_search_range(t, filters))
        updated_needed = any(f[0] == "u" for f in filters)
        at, shapes, changes, period = t.timeline.at, t.shapes, t.changes, len(t.shapes)
        out = []
        for i in base:  # fast path: unchanged base tickets, computing only what the filters need
            if i in changes or shapes[i % period].deleted:
                continue
            created = at(i)
            if filters and not _passes(filters, created, t.updated_ts(i) if updated_needed else 0,
                                       t.status(i) if statuses else None):
                continue
            out.append((-created, i))
        for i in changes:
            if t.exists(i) and not t.is_deleted(i) and _passes(filters, t.created_ts(i), t.updated_ts(i),
                                                               t.status(i) if statuses else None):
                out.append((-t.created_ts(i), i))
        out.sort()
        return out
    if kind in ("user", "organization"):
        coll = account.users if kind == "user" else account.organizations
        return sorted((-coll.created_ts(k), coll.id_base + k) for k in coll.active_indexes()
                      if _passes(filters, coll.created_ts(k), coll.updated_ts(k)))
    if kind == "group":
        out = []
        for g in account.config.groups:
            c, u = parse_time(g["created_at"]), parse_time(g["updated_at"])
            if not g["deleted"] and _passes(filters, c, u):
                out.append((-c, g["id"]))
        return sorted(out)
    return []


def ticket_search_range(t, filters) -> tuple[int, int]:
    """Base ticket ids that can match time filters: created_at(i) and generated_timestamp(i) are monotone in i
    and created <= updated <= generated, so each bound becomes a binary search. Changed tickets are checked
    separately."""
    lo, hi = 1, t.count + 1
    first = t.timeline.first_at_or_after
    for field, op, value in filters:
        if field == "s":
            continue
        if op in (">=", ">", ":"):
            bound = value + (1 if op == ">" else 0)
            if field == "c":
                lo = max(lo, first(bound, 1, t.count))
            else:  # updated >= X needs generated >= X
                lo = max(lo, first(bound, 1, t.count + LAG) - LAG)
        if op in ("<", "<=", ":"):
            bound = value + (1 if op == "<=" else 86400 if op == ":" else 0)
            hi = min(hi, first(bound, 1, t.count))  # created < X is needed by both created/updated < X
    return max(1, lo), max(max(1, lo), hi)


def search_record(account, kind: str, record_id: int) -> dict:
    if kind == "ticket":
        rec = account.tickets.ticket(record_id)
    elif kind == "user":
        rec = account.users.user(record_id - ids.USER)
    elif kind == "organization":
        rec = account.organizations.organization(record_id - ids.ORGANIZATION)
    else:
        rec = next(g for g in account.config.groups if g["id"] == record_id)
    return {**rec, "result_type": kind}


SEARCH_EXPORT_TYPES = ("ticket", "user", "organization", "group")


def search_export(ctx: Ctx) -> dict:
    """The type comes from filter[type] or from a `type:` term in the query, as Zendesk accepts both."""
    q_kind, filters = parse_query(ctx.query.get("query", ""))
    kind = ctx.query.get("filter[type]") or q_kind
    if q_kind and kind != q_kind:
        raise errors.invalid_value(f"filter[type]={kind} and type:{q_kind} in the query disagree")
    if kind not in SEARCH_EXPORT_TYPES:
        raise errors.invalid_value("filter[type] (or type: in the query) is required and must be one of ticket, "
                                   "user, organization, group")
    a = ctx.account
    keys = cached(a, f"search:{kind}:{filters}", lambda: search_keys(a, kind, filters))
    items = Sorted(keys, lambda p: search_record(a, kind, keys[p][1]), "created_at,id")
    body = cursor_page(items, "results", ctx.query, ctx.base, ctx.path, max_size=1000)
    body["facets"] = None
    body["links"]["prev"] = None  # the search export only pages forward
    return body


def search(ctx: Ctx) -> dict:
    kind, filters = parse_query(ctx.query.get("query", ""))
    kind = kind or "ticket"
    page = max(1, parse_int(ctx.query.get("page"), "page", 1))
    per_page = min(100, max(1, parse_int(ctx.query.get("per_page"), "per_page", 100)))
    if page * per_page > 1000:
        raise errors.search_too_deep()
    a = ctx.account
    keys = cached(a, f"search:{kind}:{filters}", lambda: search_keys(a, kind, filters))
    items = Sorted(keys, lambda p: search_record(a, kind, keys[p][1]), "created_at,id")
    body = offset_page(items, "results", ctx.query, ctx.base, ctx.path)
    body["facets"] = None
    return body


def search_count(ctx: Ctx) -> dict:
    kind, filters = parse_query(ctx.query.get("query", ""))
    a = ctx.account
    return {"count": len(cached(a, f"search:{kind or 'ticket'}:{filters}",
                                lambda: search_keys(a, kind or "ticket", filters)))}


# ---- misc ---------------------------------------------------------------------------------------------
def me(ctx: Ctx) -> dict:
    return {"user": ctx.account.users.user(ctx.user_id - ids.USER)}


def user_show(ctx: Ctx) -> dict:
    return {"user": ctx.account.users.user(user_index(ctx))}


def account_settings(ctx: Ctx) -> dict:
    s = ctx.account.settings
    return {"settings": {
        "active_features": {"customer_satisfaction": s.has_feature("csat"), "business_hours": s.plan != "team",
                            "ticket_forms": s.has_feature("ticket_forms"), "on_hold_status": True,
                            "user_tagging": True, "ticket_tagging": True, "topic_suggestion": False,
                            "voice": s.has_feature("talk"), "explore": True, "good_data_and_explore": False,
                            "sandbox": False, "side_conversations": s.has_feature("side_conversations"),
                            "organization_access_enabled": True},
        "api": {"accepted_api_agreement": True, "api_password_access": str(s.allow_password_auth).lower(),
                "api_token_access": "true"},
        "tickets": {"comments_public_by_default": True, "list_newest_comments_first": True,
                    "collaboration": True, "private_attachments": False, "agent_collision": True,
                    "tagging": True, "list_empty_views": True, "maximum_personal_views_to_list": 8,
                    "status_hold": True, "email_attachments": False, "default_solved_ticket_reassignment_strategy": "none",
                    "has_color_text": True, "emoji_autocompletion": True},
        "localization": {"locale_ids": [1]},
        "billing": {"backend": "zuora"},
        "brands": {"default_brand_id": ctx.account.config.brands[0]["id"], "require_brand_on_new_tickets": False},
        "routing": {"enabled": s.plan_at_least("enterprise"), "autorouting_tag": "", "max_email_capacity": 0,
                    "max_messaging_capacity": 0, "reassignment_messaging_enabled": False,
                    "reassignment_messaging_timeout": 30, "reassignment_talk_timeout": 30},
        "limits": {"attachment_size": 52428800},
        "user": {"tagging": True, "time_zone_selection": True, "language_selection": True,
                 "multiple_organizations": False, "agent_created_welcome_emails": True,
                 "end_user_phone_number_validation": False, "have_gravatars_enabled": True}}}


def schedule_holidays(ctx: Ctx) -> dict:
    try:
        sid = int(ctx.params["schedule_id"])
    except ValueError:
        raise errors.record_not_found() from None
    holidays = ctx.account.config.holidays.get(sid)
    if holidays is None:
        raise errors.record_not_found()
    return {"holidays": holidays}


def simple_show(key: str, records_of, id_name: str):
    def handle(ctx: Ctx) -> dict:
        for r in records_of(ctx.account):
            if str(r["id"]) == ctx.params[id_name]:
                return {key: r}
        raise errors.record_not_found()
    return handle


def organization_show(ctx: Ctx) -> dict:
    o = ctx.account.organizations
    try:
        k = o.index_of(int(ctx.params["organization_id"]))
    except ValueError:
        k = None
    if k is None or o.is_deleted(k):
        raise errors.record_not_found()
    return {"organization": o.organization(k)}


def unpaged(key: str, records_of):
    return lambda ctx: {key: records_of(ctx.account)}


# ---- the table ---------------------------------------------------------------------------------------
C = lambda a: a.config  # noqa: E731
ENTERPRISE = plan_at_least("enterprise")

SUPPORT_ENDPOINTS: list[Endpoint] = [
    # incremental exports (admin only)
    Endpoint("/api/v2/incremental/tickets", "tickets",
             time_export("tickets", ticket_rows, build_export_ticket, ticket_sideloads,
                         deleted=lambda ctx, r: ctx.account.tickets.is_deleted(r[1])), admin_only=True),
    Endpoint("/api/v2/incremental/tickets/cursor", "tickets",
             cursor_export("tickets", ticket_rows_after, build_export_ticket, ticket_sideloads,
                           deleted=lambda ctx, r: ctx.account.tickets.is_deleted(r[1])), admin_only=True),
    Endpoint("/api/v2/incremental/users", "users", time_export("users", user_rows, build_export_user,
                                                               user_sideloads), admin_only=True),
    Endpoint("/api/v2/incremental/users/cursor", "users",
             cursor_export("users", lambda ctx, after: ctx.account.users.iter_export(after), build_export_user,
                           user_sideloads), admin_only=True),
    Endpoint("/api/v2/incremental/organizations", "organizations",
             time_export("organizations", org_rows, build_export_org), admin_only=True),
    Endpoint("/api/v2/incremental/ticket_events", "ticket_events",
             time_export("ticket_events", event_rows, build_event), admin_only=True),
    Endpoint("/api/v2/incremental/ticket_metric_events", "ticket_metric_events", ticket_metric_events,
             admin_only=True),
    Endpoint("/api/v2/incremental/tickets/sample", "tickets",
             time_export("tickets", ticket_rows, build_export_ticket, max_rows=SAMPLE_ROWS), admin_only=True),
    Endpoint("/api/v2/incremental/users/sample", "users",
             time_export("users", user_rows, build_export_user, max_rows=SAMPLE_ROWS), admin_only=True),
    Endpoint("/api/v2/incremental/organizations/sample", "organizations",
             time_export("organizations", org_rows, build_export_org, max_rows=SAMPLE_ROWS), admin_only=True),
    Endpoint("/api/v2/incremental/ticket_events/sample", "ticket_events",
             time_export("ticket_events", event_rows, build_event, max_rows=SAMPLE_ROWS), admin_only=True),
    # tickets and their children
    Endpoint("/api/v2/tickets", "tickets", listing("tickets", ticket_items)),
    Endpoint("/api/v2/tickets/count", "tickets", tickets_count),
    Endpoint("/api/v2/tickets/{ticket_id}", "tickets", ticket_show),
    Endpoint("/api/v2/tickets/{ticket_id}/comments", "ticket_comments", listing("comments", comment_items)),
    Endpoint("/api/v2/tickets/{ticket_id}/audits", "ticket_audits", listing("audits", ticket_audit_items)),
    Endpoint("/api/v2/tickets/{ticket_id}/metrics", "ticket_metrics", ticket_metric_show),
    Endpoint("/api/v2/tickets/{ticket_id}/metric_events", "ticket_metric_events", metric_events_grouped),
    Endpoint("/api/v2/tickets/{ticket_id}/side_conversations", "side_conversations",
             listing("side_conversations", side_conversation_items), gate=side_conversations_gate),
    Endpoint("/api/v2/ticket_audits", "ticket_audits", ticket_audits, admin_only=True),
    Endpoint("/api/v2/ticket_metrics", "ticket_metrics", listing("ticket_metrics", ticket_metric_items)),
    Endpoint("/api/v2/deleted_tickets", "deleted_tickets", listing("deleted_tickets", deleted_ticket_items)),
    Endpoint("/api/v2/satisfaction_ratings", "satisfaction_ratings",
             listing("satisfaction_ratings", satisfaction_items), admin_only=True, gate=feature("csat")),
    Endpoint("/api/v2/skips", "ticket_skips", listing("skips", skip_items)),
    Endpoint("/api/v2/activities", "ticket_activities",
             listing("activities", activity_items, trailing_empty_page_quirk=True, sideload=activity_sideloads)),
    Endpoint("/api/v2/requests", "requests", listing("requests", request_items)),
    # people
    Endpoint("/api/v2/users", "users", listing("users", user_items)),
    Endpoint("/api/v2/users/me", "users", me),
    Endpoint("/api/v2/users/{user_id}", "users", user_show),
    Endpoint("/api/v2/users/{user_id}/identities", "user_identities", listing("identities", identity_items)),
    Endpoint("/api/v2/deleted_users", "users", listing("deleted_users", deleted_user_items), admin_only=True),
    Endpoint("/api/v2/organizations", "organizations", listing("organizations", organization_items)),
    Endpoint("/api/v2/organizations/{organization_id}", "organizations", organization_show),
    Endpoint("/api/v2/organization_memberships", "organization_memberships",
             listing("organization_memberships", org_membership_items)),
    Endpoint("/api/v2/groups", "groups", listing("groups", group_items)),
    Endpoint("/api/v2/groups/{group_id}", "groups", simple_show("group", lambda a: C(a).groups, "group_id")),
    Endpoint("/api/v2/group_memberships", "group_memberships",
             listing("group_memberships", static(lambda a: C(a).group_memberships))),
    # configuration
    Endpoint("/api/v2/ticket_fields", "ticket_fields",
             listing("ticket_fields", static(lambda a: C(a).ticket_fields, lambda r: (r["position"], r["id"]),
                                             "position,id"))),
    Endpoint("/api/v2/user_fields", "user_fields",
             listing("user_fields", static(lambda a: C(a).user_fields, lambda r: (r["position"], r["id"]),
                                           "position,id"))),
    Endpoint("/api/v2/organization_fields", "organization_fields",
             listing("organization_fields", static(lambda a: C(a).organization_fields,
                                                   lambda r: (r["position"], r["id"]), "position,id"))),
    Endpoint("/api/v2/ticket_forms", "ticket_forms",
             listing("ticket_forms", static(lambda a: C(a).ticket_forms, lambda r: (r["position"], r["id"]),
                                            "position,id"), cursor=False, unpaged=True),
             gate=feature("ticket_forms")),
    Endpoint("/api/v2/brands", "brands", listing("brands", static(lambda a: C(a).brands))),
    Endpoint("/api/v2/tags", "tags", listing("tags", static(lambda a: C(a).tags, lambda r: (-r["count"], r["name"]),
                                                           "-score,id"))),
    Endpoint("/api/v2/macros", "macros", listing("macros", rule_items(
        "macros", lambda r: (r["title"], r["id"]), "title,id"))),
    Endpoint("/api/v2/triggers", "triggers", listing("triggers", rule_items(
        "triggers", lambda r: (r["position"], r["title"], r["id"]), "position,position,title,id"))),
    Endpoint("/api/v2/automations", "automations", listing("automations", rule_items(
        "automations", lambda r: (r["position"], r["id"]), "position,id"))),
    Endpoint("/api/v2/views", "views", listing("views", static(lambda a: C(a).views,
                                                               lambda r: (r["created_at"], r["id"]), "created_at,id"))),
    Endpoint("/api/v2/slas/policies", "sla_policies",
             listing("sla_policies", static(lambda a: C(a).sla_policies, lambda r: (r["position"], r["id"]),
                                            "position,id"), cursor=False, unpaged=True),
             gate=plan_at_least("professional")),
    Endpoint("/api/v2/business_hours/schedules", "schedules", unpaged("schedules", lambda a: C(a).schedules),
             gate=not_team),
    Endpoint("/api/v2/business_hours/schedules/{schedule_id}/holidays", "schedule_holidays", schedule_holidays,
             gate=not_team),
    Endpoint("/api/v2/custom_roles", "custom_roles",
             listing("custom_roles", static(lambda a: C(a).custom_roles), cursor=False, unpaged=True),
             gate=ENTERPRISE),
    Endpoint("/api/v2/custom_statuses", "custom_ticket_statuses",
             unpaged("custom_statuses", lambda a: C(a).custom_statuses)),
    Endpoint("/api/v2/audit_logs", "audit_logs", lambda ctx: audit_logs(ctx), admin_only=True, gate=ENTERPRISE),
    Endpoint("/api/v2/routing/attributes", "account_attributes",
             listing("attributes", static(lambda a: C(a).routing_attributes, lambda r: (r["id"],)), cursor=False),
             gate=ENTERPRISE),
    Endpoint("/api/v2/routing/attributes/definitions", "attribute_definitions",
             lambda ctx: {"definitions": ctx.account.config.routing_definitions}, gate=ENTERPRISE),
    Endpoint("/api/v2/suspended_tickets", "suspended_tickets",
             listing("suspended_tickets", static(lambda a: C(a).suspended_tickets))),
    Endpoint("/api/v2/targets", "targets", listing("targets", static(lambda a: C(a).targets), cursor=False)),
    Endpoint("/api/v2/sharing_agreements", "sharing_agreements",
             listing("sharing_agreements", static(lambda a: C(a).sharing_agreements), cursor=False)),
    Endpoint("/api/v2/recipient_addresses", "recipient_addresses",
             listing("recipient_addresses", static(lambda a: C(a).recipient_addresses))),
    Endpoint("/api/v2/dynamic_content/items", "dynamic_content",
             listing("items", static(lambda a: C(a).dynamic_content))),
    Endpoint("/api/v2/account/settings", "account_settings", account_settings),
    # search
    Endpoint("/api/v2/search/export", "search", search_export),
    Endpoint("/api/v2/search", "search", search),
    Endpoint("/api/v2/search/count", "search", search_count),
]


def audit_logs(ctx: Ctx) -> dict:
    logs = ctx.account.config.audit_logs
    bounds = ctx.query.getall("filter[created_at][]", []) if hasattr(ctx.query, "getall") else []
    if len(bounds) == 2:
        lo, hi = parse_time(bounds[0]), parse_time(bounds[1])
        logs = [r for r in logs if lo <= parse_time(r["created_at"]) <= hi]
    for name in ("source_type", "action", "actor_id"):
        wanted = ctx.query.get(f"filter[{name}]")
        if wanted:
            logs = [r for r in logs if str(r[name]) == wanted]
    if ctx.query.get("sort") == "created_at":
        items = Sorted.of_records(logs, lambda r: (r["created_at"], r["id"]), "created_at,id")
    else:
        items = Sorted.of_records(logs, lambda r: (-parse_time(r["created_at"]), -r["id"]), "-created_at,-id")
    if wants_cursor(ctx.query):
        return cursor_page(items, "audit_logs", ctx.query, ctx.base, ctx.path)
    return offset_page(items, "audit_logs", ctx.query, ctx.base, ctx.path)
