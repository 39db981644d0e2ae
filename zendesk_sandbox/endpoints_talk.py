"""Talk (Voice) endpoints (API notes §3.6, §7.4): rows for the endpoint table."""
from __future__ import annotations

from .endpoint import Ctx, Endpoint
from .pagination import Sorted, offset_pages
from .product_pagination import talk_time_export
from . import products
from .products import talk, talk_gate

VOICE = "/api/v2/channels/voice"


def call_rows_after(ctx: Ctx, after: tuple):
    return talk(ctx.account).calls.iter_after(after)


def offset_list(key: str, records_of):
    def handle(ctx: Ctx) -> dict:
        records = records_of(talk(ctx.account))
        return offset_pages(Sorted([(position,) for position in range(len(records))], records.__getitem__, "id"),
                            key, ctx.query, ctx.base, ctx.path)
    return handle


def single(key: str, build):
    return lambda ctx: {key: build(talk(ctx.account))}


def talk_row(path: str, resource: str, handle, count=None) -> Endpoint:
    return Endpoint(f"{VOICE}/{path}", resource, handle, count=count, gate=talk_gate)


calls_export = talk_time_export("calls", call_rows_after, lambda ctx, index: [talk(ctx.account).call(index)])
legs_export = talk_time_export("legs", call_rows_after, lambda ctx, index: talk(ctx.account).legs(index))

TALK_ENDPOINTS: list[Endpoint] = [
    talk_row("stats/incremental/calls", "calls", calls_export, count=products.calls_exported),
    talk_row("incremental/calls", "calls", calls_export, count=products.calls_exported),
    talk_row("stats/incremental/legs", "legs", legs_export, count=products.legs_exported),
    talk_row("incremental/legs", "legs", legs_export),
    talk_row("phone_numbers", "phone_numbers",
             offset_list("phone_numbers", lambda voice: voice.phone_numbers),
             count=products.talk_list("phone_numbers")),
    talk_row("addresses", "addresses",
             offset_list("addresses", lambda voice: voice.addresses),
             count=products.talk_list("addresses")),
    talk_row("greetings", "greetings",
             offset_list("greetings", lambda voice: voice.greetings),
             count=products.talk_list("greetings")),
    talk_row("greeting_categories", "greeting_categories",
             offset_list("greeting_categories", lambda voice: voice.greeting_categories),
             count=products.talk_list("greeting_categories")),
    talk_row("ivr", "ivrs", offset_list("ivrs", lambda voice: voice.ivrs), count=products.talk_list("ivrs")),
    talk_row("lines", "lines", offset_list("lines", lambda voice: voice.lines), count=products.talk_list("lines")),
    talk_row("stats/agents_activity", "agents_activity",
             offset_list("agents_activity", lambda voice: voice.agents_activity()),
             count=products.talk_agents_activity),
    talk_row("stats/current_queue_activity", "current_queue_activity",
             single("current_queue_activity", lambda voice: voice.current_queue_activity()), count=products.one),
    talk_row("stats/account_overview", "account_overview",
             single("account_overview", lambda voice: voice.account_overview()),
             count=products.one),
    talk_row("stats/agents_overview", "agents_overview",
             single("agents_overview", lambda voice: voice.agents_overview()),
             count=products.one),
    talk_row("settings", "talk_settings", single("settings", lambda voice: voice.settings()), count=products.one),
]
