"""Talk (Voice) endpoints (API notes §3.6, §7.4): rows for the endpoint table."""
from __future__ import annotations

from . import errors
from .endpoint import Ctx, Endpoint
from .pagination import Sorted, offset_page, page_url, parse_int
from .product_pagination import EXPORT_MAX
from .products import talk, talk_gate

BIG = 1 << 62
VOICE = "/api/v2/channels/voice"


def talk_export(key: str, expand):
    """Talk's time export: {key, count, end_time, next_page}. next_page is never null: a client stops on count == 0.
    Records come from start_time on, pages end on a second boundary (end_time = last + 1, so nothing repeats)
    unless 1000 records share a second; the newest seconds are held back as on the Support exports."""
    def handle(ctx: Ctx) -> dict:
        raw = ctx.query.get("start_time")
        if raw is None or raw == "":
            raise errors.invalid_value("start_time is required")
        start = max(0, parse_int(raw, "start_time"))
        t = talk(ctx.account)
        cutoff = ctx.account.export_cutoff()
        records, last_ts, capped = [], None, False
        for ts, ks in by_second(t.calls.iter_after((start - 1, BIG)), cutoff):
            rows = [row for k in ks for row in expand(t, k)]
            if len(records) + len(rows) > EXPORT_MAX:
                if not records:  # one second holds more than a page: cut inside it
                    records, last_ts, capped = rows[:EXPORT_MAX], ts, True
                break
            records.extend(rows)
            last_ts = ts
        end_time = start if last_ts is None else (last_ts if capped else last_ts + 1)
        keep = {k: v for k, v in ctx.query.items() if k != "start_time"}
        return {key: records, "next_page": page_url(ctx.base, ctx.path, {**keep, "start_time": end_time}),
                "count": len(records), "end_time": end_time}
    return handle


def by_second(keyed, cutoff: int):
    """(ts, [k, ...]) per second, from (ts, k) pairs in time order, up to the hold-back cutoff."""
    group, group_ts = [], None
    for ts, k in keyed:
        if ts >= cutoff:
            break
        if group and ts != group_ts:
            yield group_ts, group
            group = []
        group_ts = ts
        group.append(k)
    if group:
        yield group_ts, group


def offset_list(key: str, records_of):
    def handle(ctx: Ctx) -> dict:
        records = records_of(talk(ctx.account))
        return offset_page(Sorted([(p,) for p in range(len(records))], records.__getitem__, "id"), key,
                           ctx.query, ctx.base, ctx.path)
    return handle


def single(key: str, build):
    return lambda ctx: {key: build(talk(ctx.account))}


def tk(path: str, resource: str, handle) -> Endpoint:
    return Endpoint(f"{VOICE}/{path}", resource, handle, gate=talk_gate)


_calls = talk_export("calls", lambda t, k: [t.call(k)])
_legs = talk_export("legs", lambda t, k: t.legs(k))

TALK_ENDPOINTS: list[Endpoint] = [
    tk("stats/incremental/calls", "calls", _calls),
    tk("incremental/calls", "calls", _calls),
    tk("stats/incremental/legs", "legs", _legs),
    tk("incremental/legs", "legs", _legs),
    tk("phone_numbers", "phone_numbers", offset_list("phone_numbers", lambda t: t.phone_numbers)),
    tk("addresses", "addresses", offset_list("addresses", lambda t: t.addresses)),
    tk("greetings", "greetings", offset_list("greetings", lambda t: t.greetings)),
    tk("greeting_categories", "greeting_categories", offset_list("greeting_categories",
                                                                 lambda t: t.greeting_categories)),
    tk("ivr", "ivrs", offset_list("ivrs", lambda t: t.ivrs)),
    tk("lines", "lines", offset_list("lines", lambda t: t.lines)),
    tk("stats/agents_activity", "agents_activity", offset_list("agents_activity", lambda t: t.agents_activity())),
    tk("stats/current_queue_activity", "current_queue_activity",
       single("current_queue_activity", lambda t: t.current_queue_activity())),
    tk("stats/account_overview", "account_overview", single("account_overview", lambda t: t.account_overview())),
    tk("stats/agents_overview", "agents_overview", single("agents_overview", lambda t: t.agents_overview())),
    tk("settings", "talk_settings", single("settings", lambda t: t.settings())),
]
