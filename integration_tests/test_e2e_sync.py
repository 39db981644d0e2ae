"""End to end: the real entrypoint (python main.py) against the real sandbox over loopback HTTP.

Counts are compared with the sandbox's ground truth (/_sandbox/summary); incremental re-syncs with the records
the sandbox says it changed (/_sandbox/mutate); killed syncs resume from their last STATE without loss.
"""

from __future__ import annotations

import time
from typing import Any, Dict

import pytest
import requests

from conftest import running_sandbox
from ground_truth import NO_GROUND_TRUTH, expected_count
from sync_runner import configured_catalog, discovered_catalog, distinct, read_through_kills, run_connector

pytestmark = pytest.mark.e2e

SANDBOX_ARGS = ["--seed", "11", "--tickets", "400", "--plan", "enterprise", "--holdback", "20", "--time-scale", "10"]


@pytest.fixture(scope="module")
def sandbox():
    with running_sandbox(*SANDBOX_ARGS) as info:
        yield info


@pytest.fixture(scope="module")
def catalog_streams(sandbox):
    return discovered_catalog(sandbox["config"])


def summary_of(sandbox) -> Dict[str, Any]:
    return requests.get(f"{sandbox['url']}/_sandbox/summary", timeout=30).json()


def test_full_refresh_of_every_stream_matches_the_sandbox(sandbox, catalog_streams):
    output = run_connector("read", sandbox["config"], configured_catalog(catalog_streams, incremental=False))
    assert output.returncode == 0, output.stderr[-3000:]
    summary = summary_of(sandbox)
    mismatches = {}
    for stream in catalog_streams:
        name = stream["name"]
        keys = stream.get("source_defined_primary_key")
        if name in NO_GROUND_TRUTH:
            assert output.records.get(name), name
            continue
        records = output.records.get(name, [])
        got = len(distinct(records, keys)) if keys else len(records)
        want = expected_count(summary, name)
        if got != want:
            mismatches[name] = (got, want)
        assert "COMPLETE" in output.statuses(name) or "INCOMPLETE" in output.statuses(name), name
    assert not mismatches, f"(records read, sandbox truth) per stream: {mismatches}"
    assert not output.traces("ERROR"), output.traces("ERROR")


def test_incremental_resync_returns_exactly_the_changed_records(sandbox, catalog_streams):
    names = ["tickets", "users", "organizations", "ticket_events", "ticket_comments", "ticket_metrics", "ticket_audits"]
    catalog = configured_catalog(catalog_streams, names)
    first = run_connector("read", sandbox["config"], catalog)
    assert first.returncode == 0, first.stderr[-3000:]
    time.sleep(3)  # past the sandbox's hold-back, so the first sync has seen everything before the changes
    changed = requests.post(
        f"{sandbox['url']}/_sandbox/mutate",
        json={
            "tickets": {"create": 3, "update": 5, "delete": 1},
            "users": {"update": 2},
            "organizations": {"update": 2},
        },
        timeout=30,
    ).json()
    time.sleep(3)  # the changes leave the hold-back window
    second = run_connector("read", sandbox["config"], catalog, state=first.state_list())
    assert second.returncode == 0, second.stderr[-3000:]
    ticket_ids = {record["id"] for record in second.records["tickets"]}
    expected_tickets = {
        ticket_id for action in ("create", "update", "delete") for ticket_id in changed["tickets"][action]
    }
    assert ticket_ids == expected_tickets
    assert {record["id"] for record in second.records["users"]} == set(changed["users"]["update"])
    assert set(changed["organizations"]["update"]) <= {record["id"] for record in second.records["organizations"]}
    assert {c["ticket_id"] for c in second.records["ticket_comments"]} <= expected_tickets
    # An unchanged account costs one request per export: a third sync reads nothing new.
    time.sleep(3)
    third = run_connector("read", sandbox["config"], catalog, state=second.state_list())
    assert third.returncode == 0
    assert not third.records.get("tickets") and not third.records.get("users")


def test_sync_killed_at_random_points_resumes_without_loss(tmp_path):
    names = [
        "tickets",
        "users",
        "ticket_events",
        "ticket_comments",
        "organizations",
        "ticket_audits",
        "ticket_metric_events",
        "articles",
        "article_comments",
        "calls",
        "legs",
        "chats",
        "side_conversations",
    ]
    with running_sandbox(
        "--seed", "5", "--tickets", "2500", "--plan", "enterprise", "--rate-limit", "0", "--export-rate-limit", "0"
    ) as info:
        streams = discovered_catalog(info["config"])
        catalog = configured_catalog(streams, names)
        keys = {s["name"]: s.get("source_defined_primary_key") or [["id"]] for s in streams}
        reference = run_connector("read", info["config"], catalog)
        assert reference.returncode == 0
        seen = read_through_kills(info["config"], catalog, keys, 5, tmp_path)
        for name in names:
            assert distinct(reference.records[name], keys[name]) <= seen[name], f"{name} lost records across kills"


PRODUCT_STREAMS = ["articles", "article_comments", "article_votes", "post_comments", "calls", "legs", "chats"]


def test_help_center_talk_and_chat_resync_returns_the_changes(sandbox, catalog_streams):
    catalog = configured_catalog(catalog_streams, PRODUCT_STREAMS)
    first = run_connector("read", sandbox["config"], catalog)
    assert first.returncode == 0, first.stderr[-3000:]
    time.sleep(3)
    changed = requests.post(
        f"{sandbox['url']}/_sandbox/mutate",
        json={"articles": {"update": 2}, "calls": {"create": 3}, "chats": {"create": 2}},
        timeout=30,
    ).json()
    time.sleep(3)
    second = run_connector("read", sandbox["config"], catalog, state=first.state_list())
    assert second.returncode == 0, second.stderr[-3000:]
    assert {r["id"] for r in second.records["articles"]} == set(changed["articles"]["update"])
    assert set(changed["calls"]["create"]) <= {r["id"] for r in second.records["calls"]}
    assert {r["id"] for r in second.records["chats"]} == set(changed["chats"]["create"])
    # Children are read again only under the articles that changed, and (at least once) under those of the
    # first sync's last second, which the Help Center export always serves again.
    newest = max(article["updated_at"] for article in first.records["articles"])
    boundary = {article["id"] for article in first.records["articles"] if article["updated_at"] == newest}
    assert {c["article_id"] for c in second.records["article_comments"]} <= set(
        changed["articles"]["update"]
    ) | boundary
    assert len(second.records["calls"]) < len(first.records["calls"])


def test_products_missing_from_the_account_are_skipped_with_a_warning_each():
    with running_sandbox(
        "--seed",
        "3",
        "--tickets",
        "60",
        "--without",
        "help_center,talk,chat",
        "--rate-limit",
        "0",
        "--export-rate-limit",
        "0",
    ) as info:
        config = info["config"]
        assert "chat_credentials" not in config  # no Chat on the account: no Chat token, so no Chat streams
        streams = discovered_catalog(config)
        assert not [stream for stream in streams if stream["name"].startswith("chat")]
        names = ["articles", "sections", "post_comments", "calls", "phone_numbers", "talk_settings", "tickets"]
        output = run_connector("read", config, configured_catalog(streams, names, incremental=False))
        assert output.returncode == 0, output.stderr[-3000:]
        assert output.records["tickets"] and output.statuses("tickets")[-1] == "COMPLETE"
        for name in names[:-1]:
            assert not output.records.get(name), name
            assert output.statuses(name)[-1] == "INCOMPLETE", (name, output.statuses(name))
            assert sum(f"'{name}' skipped" in line for line in output.logs("WARN")) == 1, name
