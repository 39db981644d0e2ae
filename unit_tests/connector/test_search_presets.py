"""Named presets for search_queries: each expands to the Zendesk query it stands for; a wrong entry is a
config_error naming what is wrong; configs written before the presets stay valid."""

from __future__ import annotations

from datetime import date, datetime, timezone

import pytest
from airbyte_cdk.utils.traced_exception import AirbyteTracedException

from source_zendesk_support.config.model import parse_config
from source_zendesk_support.config.search_presets import PRESETS, PresetProblem, expand_preset
from source_zendesk_support.streams.search import search_specs

from .support import make_config

TODAY = date(2026, 3, 15)

EXPANSIONS = {
    "open_tickets": ("ticket", "status:open"),
    "closed_tickets": ("ticket", "status:closed"),
    "unsolved_tickets": ("ticket", "status<solved"),
    "unassigned_tickets": ("ticket", "status<solved assignee:none"),
    "tickets_solved_last_7_days": ("ticket", "solved>=2026-03-08"),
    "users_created_last_30_days": ("user", "created>=2026-02-13"),
    "organizations_created_this_year": ("organization", "created>=2026-01-01"),
}


@pytest.mark.parametrize("name", sorted(EXPANSIONS))
def test_each_preset_expands_to_its_query(name):
    assert expand_preset(name, TODAY) == EXPANSIONS[name]


@pytest.mark.parametrize(
    "group, query",
    [
        ("Support", "status<solved group:Support"),
        ("360001", "status<solved group:360001"),
        (" Tier 2 ", 'status<solved group:"Tier 2"'),
    ],
)
def test_unsolved_tickets_by_group_names_its_group(group, query):
    assert expand_preset("unsolved_tickets_by_group", TODAY, group) == ("ticket", query)


def test_every_preset_has_a_test_of_its_expansion():
    assert set(PRESETS) == set(EXPANSIONS) | {"unsolved_tickets_by_group"}


@pytest.mark.parametrize(
    "name, group, problem",
    [
        ("unsolved_tickets_by_group", None, "needs 'group'"),
        ("unsolved_tickets_by_group", 'A "quoted" group', "double quote"),
        ("open_tickets", "Support", "takes no 'group'"),
    ],
)
def test_a_wrong_group_is_named(name, group, problem):
    with pytest.raises(PresetProblem, match=problem):
        expand_preset(name, TODAY, group)


def _parsed(*entries):
    return parse_config(make_config(search_queries=list(entries)), now=datetime(2026, 3, 15, 8, tzinfo=timezone.utc))


def test_a_preset_entry_becomes_a_search_stream_named_after_it():
    parsed = _parsed(
        {"preset": "open_tickets"},
        {"preset": "organizations_created_this_year", "name": "new_orgs"},
        {"preset": "unsolved_tickets_by_group", "group": "Tier 2", "name": "tier2"},
    )
    specs = {spec.name: spec for spec in search_specs(parsed.search_queries)}
    assert specs["search_open_tickets"].params == {"query": "status:open", "filter[type]": "ticket"}
    assert specs["search_new_orgs"].params == {"query": "created>=2026-01-01", "filter[type]": "organization"}
    assert specs["search_new_orgs"].schema == "organizations"
    assert specs["search_tier2"].params["query"] == 'status<solved group:"Tier 2"'


def test_an_unknown_preset_is_a_config_error_naming_it_and_the_presets():
    with pytest.raises(AirbyteTracedException) as error:
        _parsed({"preset": "open_tikets"})
    message = error.value.message
    assert "'open_tikets'" in message and "open_tickets" in message and "search_queries[0]" in message


@pytest.mark.parametrize(
    "entry, problem",
    [
        ({"preset": "open_tickets", "query": "status:open"}, "either 'query' or 'preset'"),
        ({"preset": "open_tickets", "type": "user"}, "searches tickets"),
        ({"preset": 7}, "must be the name of a preset"),
        ({"name": "mine", "query": "status:open", "group": "Support"}, "'group' goes with a preset"),
        ({"preset": "open_tickets", "name": "Open Tickets"}, "'name' must be lower-case"),
    ],
)
def test_a_wrong_preset_entry_is_named(entry, problem):
    with pytest.raises(AirbyteTracedException, match=problem):
        _parsed(entry)


def test_two_entries_may_not_share_a_stream_name():
    with pytest.raises(AirbyteTracedException, match="share the name 'open_tickets'"):
        _parsed({"preset": "open_tickets"}, {"name": "open_tickets", "query": "status:open"})


def test_queries_written_out_stay_valid():
    parsed = _parsed(
        {"name": "vip_open", "query": "status:open tags:vip", "type": "ticket"},
        {"name": "all_users", "query": "role:end-user", "type": "user"},
    )
    assert [(q.name, q.query, q.type, q.preset) for q in parsed.search_queries] == [
        ("vip_open", "status:open tags:vip", "ticket", None),
        ("all_users", "role:end-user", "user", None),
    ]


def test_the_docs_show_every_preset_with_its_query():
    from pathlib import Path

    docs = (Path(__file__).resolve().parents[2] / "docs" / "zendesk-support.md").read_text()
    for name, preset in PRESETS.items():
        row = next((line for line in docs.splitlines() if line.startswith(f"| `{name}` |")), None)
        assert row is not None, f"docs/zendesk-support.md shows no preset {name}"
        assert f"| {preset.type} |" in row and preset.query.split("{")[0] in row, row
