"""Talk (Voice) endpoints (API notes §3.6, §7.4): rows for the endpoint table."""

from __future__ import annotations

from ..paging.endpoint import Ctx, Endpoint
from ..paging.support import Sorted, offset_pages
from ..paging.products import talk_time_export
from ..add_ons import gates
from ..add_ons.gates import talk, talk_gate

VOICE = "/api/v2/channels/voice"


def call_rows_after(ctx: Ctx, after: tuple):
    return talk(ctx.account).calls.iter_after(after)


def offset_list(key: str, records_of):
    def handle(ctx: Ctx) -> dict:
        records = records_of(talk(ctx.account))
        return offset_pages(
            Sorted([(position,) for position in range(len(records))], records.__getitem__, "id"),
            key,
            ctx.query,
            ctx.base,
            ctx.path,
        )

    return handle


def single(key: str, build):
    return lambda ctx: {key: build(talk(ctx.account))}


def talk_row(path: str, resource: str, handle, count=None) -> Endpoint:
    return Endpoint(f"{VOICE}/{path}", resource, handle, count=count, gate=talk_gate)


def talk_list_row(path: str, key: str) -> Endpoint:
    """A Talk list served in offset pages under `key`, the resource of that name, counted by its length."""
    return talk_row(path, key, offset_list(key, lambda voice: getattr(voice, key)), count=gates.talk_list(key))


calls_export = talk_time_export("calls", call_rows_after, lambda ctx, index: [talk(ctx.account).call(index)])
legs_export = talk_time_export("legs", call_rows_after, lambda ctx, index: talk(ctx.account).legs(index))

TALK_ENDPOINTS: list[Endpoint] = [
    talk_row("stats/incremental/calls", "calls", calls_export, count=gates.calls_exported),
    talk_row("incremental/calls", "calls", calls_export, count=gates.calls_exported),
    talk_row("stats/incremental/legs", "legs", legs_export, count=gates.legs_exported),
    talk_row("incremental/legs", "legs", legs_export),
    talk_list_row("phone_numbers", "phone_numbers"),
    talk_list_row("addresses", "addresses"),
    talk_list_row("greetings", "greetings"),
    talk_list_row("greeting_categories", "greeting_categories"),
    talk_list_row("ivr", "ivrs"),
    talk_list_row("lines", "lines"),
    talk_row(
        "stats/agents_activity",
        "agents_activity",
        offset_list("agents_activity", lambda voice: voice.agents_activity()),
        count=gates.talk_agents_activity,
    ),
    talk_row(
        "stats/current_queue_activity",
        "current_queue_activity",
        single("current_queue_activity", lambda voice: voice.current_queue_activity()),
        count=gates.one,
    ),
    talk_row(
        "stats/account_overview",
        "account_overview",
        single("account_overview", lambda voice: voice.account_overview()),
        count=gates.one,
    ),
    talk_row(
        "stats/agents_overview",
        "agents_overview",
        single("agents_overview", lambda voice: voice.agents_overview()),
        count=gates.one,
    ),
    talk_row("settings", "talk_settings", single("settings", lambda voice: voice.settings()), count=gates.one),
]
