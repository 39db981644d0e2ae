"""Which tickets are read (`tickets_handled_by`): every request to an endpoint that takes support_type_scope names
one, the option is validated like the others, and a state saved before it gets a backfill of the AI-agent tickets
it missed, checkpointed and resumable, before the incremental read goes on from where it was."""

from __future__ import annotations

import itertools

import pytest
import requests_mock
from airbyte_cdk.models import FailureType, Status
from airbyte_cdk.utils.traced_exception import AirbyteTracedException
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from source_zendesk_support.config.model import parse_config
from source_zendesk_support.config.migration import migrate_config
from source_zendesk_support.http.ticket_scope import missed_scope, takes_scope, with_scope
from source_zendesk_support.registry.table import ALL_STREAMS
from source_zendesk_support.source import SourceZendeskSupport
from source_zendesk_support.state.migration import migrate_stream_state

from .fake_exports import CursorExport, TimeExport
from .support import (
    ALL,
    SPECS,
    data_requests,
    epoch,
    make_config,
    make_stream,
    ok,
    param,
    read_streams,
    run_stream,
    url,
    without_counts,
)

START = epoch("2024-01-01T00:00:00Z")
CURSOR_EXPORT = url("incremental/tickets/cursor")
EVENTS = url("incremental/ticket_events")
SCOPED = {
    "incremental/tickets/cursor",
    "incremental/tickets",
    "incremental/ticket_events",
    "deleted_tickets",
    "tickets",
}


# --- the parameter ------------------------------------------------------------------------------------------
def test_the_five_endpoints_zendesk_names_take_the_scope_and_no_other():
    assert {path for path in SCOPED if takes_scope(path)} == SCOPED
    for path in (
        "tickets/1/side_conversations",
        "ticket_audits",
        "incremental/ticket_metric_events",
        "tickets/count",
        "incremental/users/cursor",
        "search/export",
    ):
        assert not takes_scope(path), path
    assert takes_scope("http://127.0.0.1:1/api/v2/incremental/tickets/cursor.json?cursor=x")


def test_a_link_that_names_its_scope_keeps_it_and_one_that_does_not_gets_it():
    assert (
        with_scope(
            "https://a.zendesk.com/api/v2/deleted_tickets?page%5Bafter%5D=x&support_type_scope=ai_agent", None, "all"
        )
        == {}
    )
    assert with_scope("https://a.zendesk.com/api/v2/deleted_tickets?page%5Bafter%5D=x", None, "all") == {
        "support_type_scope": "all"
    }
    assert with_scope("https://a.zendesk.com/api/v2/ticket_audits", {"page[size]": 100}, "all") == {"page[size]": 100}


@pytest.mark.parametrize(
    "covered,wanted,missed",
    [
        ("agent", "all", "ai_agent"),
        ("agent", "ai_agent", "ai_agent"),
        ("ai_agent", "all", "agent"),
        ("ai_agent", "agent", "agent"),
        ("all", "agent", None),
        ("all", "all", None),
        ("agent", "agent", None),
    ],
)
def test_what_one_scope_misses_of_another(covered, wanted, missed):
    assert missed_scope(covered, wanted) == missed


def scoped_streams():
    return [
        spec.name for spec in ALL_STREAMS if takes_scope(spec.path) or (spec.parents and takes_scope(spec.parents.path))
    ]


def test_every_stream_over_the_ticket_endpoints_is_known():
    assert set(scoped_streams()) == {
        "tickets",
        "ticket_metrics",
        "ticket_events",
        "ticket_comments",
        "ticket_attachments",
        "ticket_field_history",
        "ticket_tag_history",
        "deleted_tickets",
        "side_conversations",
        "ticket_task_lists",
        "side_conversation_events",
        "side_conversation_recipients",
        "conversation_log",
    }


def _serve_everything(mocker):
    mocker.get(
        CURSOR_EXPORT,
        [
            ok(
                {
                    "tickets": [{"id": 1, "generated_timestamp": START + 5, "updated_at": "2024-01-01T00:00:05Z"}],
                    "after_cursor": "c1",
                    "end_of_stream": True,
                }
            )
        ],
    )
    mocker.get(EVENTS, [ok({"ticket_events": [], "count": 0, "end_of_stream": True, "end_time": START})])
    mocker.get(
        url("deleted_tickets"), [ok({"deleted_tickets": [], "meta": {"has_more": False}, "links": {"next": None}})]
    )
    mocker.get(url("tickets/1/side_conversations"), [ok({"side_conversations": [], "meta": {"has_more": False}})])
    mocker.get(url("tickets/1/task_lists"), [ok({"task_lists": [], "meta": {"has_more": False}})])


@pytest.mark.parametrize(
    "choice,scope", [(None, "all"), ("all", "all"), ("human_agents", "agent"), ("ai_agents", "ai_agent")]
)
@pytest.mark.parametrize("stream", scoped_streams())
def test_every_request_to_a_ticket_endpoint_names_the_configured_scope(api, stream, choice, scope):
    _serve_everything(api)
    run_stream(make_stream(stream, config=make_config(tickets_handled_by=choice)))
    sent = [request for request in api.request_history if takes_scope(request.url)]
    assert sent, stream
    assert all(request.qs.get("support_type_scope") == [scope] for request in sent), [r.url for r in sent]
    others = [request for request in api.request_history if not takes_scope(request.url)]
    assert all("support_type_scope" not in request.qs for request in others)


def test_a_later_page_link_gets_the_scope_too(api):
    link = url("deleted_tickets.json?page%5Bafter%5D=N1")
    api.get(
        url("deleted_tickets"),
        [
            ok(
                {
                    "deleted_tickets": [{"id": 1, "deleted_at": "2024-01-03T00:00:00Z"}],
                    "meta": {"has_more": True, "after_cursor": "N1"},
                    "links": {"next": link},
                }
            )
        ],
    )
    api.get(
        url("deleted_tickets.json"),
        [
            ok(
                {
                    "deleted_tickets": [{"id": 2, "deleted_at": "2024-01-02T00:00:00Z"}],
                    "meta": {"has_more": False},
                    "links": {"next": None},
                }
            )
        ],
    )
    records, _, _ = run_stream(make_stream("deleted_tickets", incremental=False))
    assert [r["id"] for r in records] == [1, 2]
    assert [request.qs.get("support_type_scope") for request in data_requests(api)] == [["all"], ["all"]]


# --- the option ---------------------------------------------------------------------------------------------
def test_the_option_is_a_dropdown_whose_default_reads_every_ticket():
    option = SourceZendeskSupport().spec(None).connectionSpecification["properties"]["tickets_handled_by"]
    assert option["enum"] == ["all", "human_agents", "ai_agents"] and option["default"] == "all"
    assert parse_config(make_config()).ticket_scope == "all"


def test_an_old_config_is_left_as_it_was_and_reads_every_ticket():
    old = make_config()
    assert "tickets_handled_by" not in migrate_config(old)
    assert parse_config(migrate_config(old)).ticket_scope == "all"


@pytest.mark.parametrize("bad", ["bots", "", 1, ["all"], "agent"])
def test_a_bad_choice_is_a_config_error_naming_the_field(bad):
    with pytest.raises(AirbyteTracedException) as raised:
        parse_config(make_config(tickets_handled_by=bad))
    assert raised.value.failure_type == FailureType.config_error
    assert "'tickets_handled_by'" in raised.value.message and "human_agents" in raised.value.message


def test_check_and_read_refuse_a_bad_choice_by_name(api):
    status = SourceZendeskSupport().check(None, make_config(tickets_handled_by="bots"))
    assert status.status == Status.FAILED and "tickets_handled_by" in status.message
    assert not api.request_history
    output = read_streams(["tickets"], config=make_config(tickets_handled_by="bots"), expect_failure=True)
    errors = [m.trace.error for m in output.errors]
    assert errors and errors[0].failure_type == FailureType.config_error and "tickets_handled_by" in errors[0].message


# --- the backfill of a state saved before the option -------------------------------------------------------------
def test_a_state_saved_before_the_option_reads_the_missed_ai_agent_tickets_then_goes_on(api):
    old_cursor = START + 50
    api.get(
        CURSOR_EXPORT,
        [
            ok(
                {
                    "tickets": [
                        {"id": 3, "generated_timestamp": START + 10},
                        {"id": 7, "generated_timestamp": START + 50},
                        {"id": 9, "generated_timestamp": START + 60},
                    ],
                    "after_cursor": "b1",
                    "end_of_stream": False,
                }
            ),
            ok(
                {
                    "tickets": [{"id": 11, "generated_timestamp": START + 70}],
                    "after_cursor": "c9",
                    "end_of_stream": True,
                }
            ),
        ],
    )
    records, states, items = run_stream(
        make_stream("tickets", state={"after_cursor": "c8", "generated_timestamp": old_cursor})
    )
    backfill, rest = api.request_history
    assert param(backfill, "support_type_scope") == "ai_agent" and param(backfill, "start_time") == str(START)
    assert param(rest, "support_type_scope") == "all" and param(rest, "cursor") == "c8"
    # The AI-agent tickets up to the saved cursor (id 9 is later: the incremental read gets it), then the rest.
    assert [r["id"] for r in records] == [3, 7, 11]
    # The backfill's last checkpoint (its bounded read forgets the cursor there) is superseded by the one that ends it.
    assert states[0] == {**ALL, "after_cursor": "c8", "generated_timestamp": old_cursor}  # the backfill is done
    assert states[-1] == {**ALL, "after_cursor": "c9", "generated_timestamp": START + 70}
    assert [kind for kind, _ in items] == ["RECORD", "RECORD", "STATE", "RECORD", "STATE"]


def test_a_backfill_cut_short_resumes_from_its_own_position(api):
    state = {
        "after_cursor": "c8",
        "generated_timestamp": START + 50,
        "scope_backfill": {
            "support_type_scope": "ai_agent",
            "until": START + 50,
            "state": {"after_cursor": "b1", "generated_timestamp": START + 20},
        },
    }
    api.get(
        CURSOR_EXPORT,
        [
            ok(
                {"tickets": [{"id": 7, "generated_timestamp": START + 40}], "after_cursor": "b2", "end_of_stream": True}
            ),
            ok({"tickets": [], "after_cursor": "c8", "end_of_stream": True}),
        ],
    )
    records, states, _ = run_stream(make_stream("tickets", state=state))
    resumed, rest = api.request_history
    assert (param(resumed, "cursor"), param(resumed, "support_type_scope")) == ("b1", "ai_agent")
    assert (param(rest, "cursor"), param(rest, "support_type_scope")) == ("c8", "all")
    assert [r["id"] for r in records] == [7]
    assert states[-1] == {**ALL, "after_cursor": "c8", "generated_timestamp": START + 50}


@pytest.mark.parametrize(
    "state,config,backfills",
    [
        ({"generated_timestamp": START + 5}, {"tickets_handled_by": "human_agents"}, False),  # it already covers them
        ({**ALL, "generated_timestamp": START + 5}, {}, False),
        (
            {"support_type_scope": "agent", "generated_timestamp": START + 5},
            {},
            True,
        ),  # narrower, saved by this version
        (
            {"support_type_scope": "ai_agent", "generated_timestamp": START + 5},
            {"tickets_handled_by": "ai_agents"},
            False,
        ),
        ({}, {}, False),  # a first sync reads everything from start_date
    ],
)
def test_only_a_state_that_missed_tickets_gets_a_backfill(api, state, config, backfills):
    api.get(CURSOR_EXPORT, [ok({"tickets": [], "after_cursor": "c1", "end_of_stream": True})] * 2)
    _, states, _ = run_stream(make_stream("tickets", config=make_config(**config), state=state))
    scopes = [param(request, "support_type_scope") for request in api.request_history]
    assert ("ai_agent" in scopes and len(scopes) == 2) == backfills, scopes
    assert states[-1]["support_type_scope"] == parse_config(make_config(**config)).ticket_scope


def test_time_export_backfill_stops_the_second_before_the_saved_start(api):
    saved = START + 300
    fake = TimeExport(
        [(1, START + 10), (2, START + 299), (3, START + 300), (4, START + 400)],
        "ticket_events",
        "timestamp",
        fill=10,
        cap=10,
        ai_ids=frozenset({1, 2, 3, 4}),
    )
    api.get(EVENTS, text=fake)
    records, states, _ = run_stream(make_stream("ticket_events", state={"timestamp": saved}))
    assert fake.scopes[0] == "ai_agent" and fake.requests[0] == START
    assert fake.scopes[-1] == "all" and fake.requests[-1] >= saved
    assert sorted(r["id"] for r in records) == [1, 2, 3, 4]  # 3 and 4 from the incremental read, from `saved` on
    assert len(records) == 4
    assert states[-1]["support_type_scope"] == "all" and "scope_backfill" not in states[-1]


def test_deleted_tickets_backfill_lists_the_ai_agent_ones_up_to_the_saved_time(api):
    def listed(*rows):
        return ok(
            {
                "deleted_tickets": [{"id": i, "deleted_at": at} for i, at in rows],
                "meta": {"has_more": False},
                "links": {"next": None},
            }
        )

    api.get(
        url("deleted_tickets"),
        [
            listed((9, "2024-01-09T00:00:00Z"), (4, "2024-01-04T00:00:00Z")),
            listed((8, "2024-01-08T00:00:00Z"), (5, "2024-01-05T00:00:00Z")),
        ],
    )
    records, states, _ = run_stream(make_stream("deleted_tickets", state={"deleted_at": "2024-01-06T00:00:00Z"}))
    backfill, rest = data_requests(api)
    assert param(backfill, "support_type_scope") == "ai_agent" and param(rest, "support_type_scope") == "all"
    assert [r["id"] for r in records] == [4, 8]  # the AI-agent one up to the saved time, then what is newer
    assert states[-1] == {**ALL, "deleted_at": "2024-01-08T00:00:00Z"}


def test_side_conversations_backfill_visits_the_ai_agent_tickets_then_goes_on_from_the_parent_cursor(api):
    api.get(
        CURSOR_EXPORT,
        [
            ok(
                {
                    "tickets": [{"id": 4, "updated_at": "2024-01-02T00:00:00Z"}],
                    "after_cursor": "B1",
                    "end_of_stream": True,
                }
            ),
            ok(
                {
                    "tickets": [{"id": 6, "updated_at": "2024-01-03T00:00:00Z"}],
                    "after_cursor": "P2",
                    "end_of_stream": True,
                }
            ),
        ],
    )
    for ticket_id in (4, 6):
        api.get(
            url(f"tickets/{ticket_id}/side_conversations"),
            [
                ok(
                    {
                        "side_conversations": [{"id": f"s{ticket_id}", "updated_at": "2024-01-03T00:00:00Z"}],
                        "meta": {"has_more": False},
                    }
                )
            ],
        )
    records, states, _ = run_stream(
        make_stream("side_conversations", state={"parent_cursor": "P1", "updated_at": "2024-01-01T00:00:00Z"})
    )
    exports = [r for r in api.request_history if takes_scope(r.url)]
    assert [(param(r, "support_type_scope"), param(r, "cursor")) for r in exports] == [
        ("ai_agent", None),
        ("all", "P1"),
    ]
    assert [r["id"] for r in records] == ["s4", "s6"]
    assert states[-1]["parent_cursor"] == "P2" and states[-1]["support_type_scope"] == "all"


def test_the_scope_markers_survive_the_state_migration():
    state = {
        "after_cursor": "c8",
        "generated_timestamp": START + 5,
        "scope_backfill": {"support_type_scope": "ai_agent", "until": START + 5, "state": {}},
    }
    assert migrate_stream_state(SPECS["tickets"], state) == state
    assert migrate_stream_state(SPECS["deleted_tickets"], {**ALL}) == ALL


# --- property: killed after any state, the upgrade loses no ticket and repeats at most a page ---------------------
PROPERTY_SETTINGS = settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@st.composite
def accounts(draw):
    ids, records, ts = itertools.count(1), [], START + 5
    for _ in range(draw(st.integers(1, 12))):
        ts += draw(st.integers(0, 3))
        records.append((next(ids), ts))
    ai = frozenset(i for i, _ in records if draw(st.booleans()))
    return records, ai, draw(st.integers(1, 4))


def _sync(fake, state, **config):
    with requests_mock.Mocker() as mocker:
        without_counts(mocker)
        mocker.get(CURSOR_EXPORT, text=fake)
        return run_stream(make_stream("tickets", config=make_config(**config), state=state))


@PROPERTY_SETTINGS
@given(accounts(), st.data())
def test_an_upgrade_killed_anywhere_loses_nothing(account, data):
    records, ai, page = account
    fake = lambda: CursorExport(records, "tickets", "generated_timestamp", page, ai_ids=ai)  # noqa: E731
    # The connector before the option read human agents' tickets only, to the end; its state said nothing of them.
    before, old_states, _ = _sync(
        CursorExport(records, "tickets", "generated_timestamp", 1000, ai_ids=ai), {}, tickets_handled_by="human_agents"
    )
    old = {key: value for key, value in old_states[-1].items() if key != "support_type_scope"}
    assert {r["id"] for r in before} == {i for i, _ in records if i not in ai}
    emitted, _, items = _sync(fake(), old)
    assert sorted(r["id"] for r in emitted) == sorted(ai)  # each missed one once, no human agent's ticket again
    kill_at = data.draw(st.sampled_from([n for n, (kind, _) in enumerate(items) if kind == "STATE"]))
    first = [value["id"] for kind, value in items[: kill_at + 1] if kind == "RECORD"]
    resumed, states, _ = _sync(fake(), items[kill_at][1])
    again = [r["id"] for r in resumed]
    assert set(first) | set(again) == set(ai)
    # At most the page the kill cut short, and (a resume from the very checkpoint that ends the backfill) the
    # AI-agent tickets of the saved cursor's own second, which the saved cursor cannot tell apart.
    same_second = {i for i, ts in records if i in ai and ts == old.get("generated_timestamp")}
    assert len(first) + len(again) - len(ai) <= page + len(same_second)
    assert states[-1]["support_type_scope"] == "all"
