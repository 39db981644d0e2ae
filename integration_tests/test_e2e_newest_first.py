"""End to end: lists read newest first (deleted_tickets, requests, posts and the posts under their children) pick up
every change and deletion on a re-sync while reading only down to the first record the last sync already had."""

from __future__ import annotations

import time

import pytest
import requests

from conftest import running_sandbox
from sync_runner import configured_catalog, discovered_catalog, run_connector

pytestmark = pytest.mark.e2e

STREAMS = ["deleted_tickets", "requests", "posts", "post_comments"]
PAGE_SIZE = 10


def _stats(info):
    return requests.get(f"{info['url']}/_sandbox/stats", timeout=30).json()["paths"]


def _served(stats, path):
    return sum((stats.get(path) or {}).values())


def test_a_resync_of_newest_first_lists_reads_the_changes_and_stops_at_the_records_it_has():
    with running_sandbox(
        "--seed", "7", "--tickets", "2000", "--plan", "enterprise", "--rate-limit", "0", "--export-rate-limit", "0"
    ) as info:
        config = {**info["config"], "page_size": PAGE_SIZE}
        catalog = configured_catalog(discovered_catalog(config), STREAMS)
        requests.post(f"{info['url']}/_sandbox/mutate", json={"tickets": {"delete": 3}}, timeout=30)
        first = run_connector("read", config, catalog)
        assert first.returncode == 0, first.stderr[-3000:]
        full_reads = _stats(info)
        time.sleep(1.1)  # the changes below happen in a later second than anything the first sync read
        changed = requests.post(
            f"{info['url']}/_sandbox/mutate",
            json={"tickets": {"update": 150, "delete": 2}, "posts": {"update": 2, "delete": 1}},
            timeout=30,
        ).json()
        requests.post(f"{info['url']}/_sandbox/stats/reset", json={}, timeout=30)
        second = run_connector("read", config, catalog, state=first.state_list())
        assert second.returncode == 0, second.stderr[-3000:]
        resync_reads = _stats(info)

        ids = {stream: {record["id"] for record in second.records[stream]} for stream in STREAMS}
        assert set(changed["tickets"]["delete"]) <= ids["deleted_tickets"]
        changed_requests = set(changed["tickets"]["update"]) & {record["id"] for record in first.records["requests"]}
        assert changed_requests and changed_requests <= ids["requests"]
        assert set(changed["posts"]["update"]) <= ids["posts"]
        assert not set(changed["posts"]["delete"]) & ids["posts"]
        # Children are read again only under the changed posts and those of the first sync's newest second (the
        # saved time is inclusive).
        newest = max(post["updated_at"] for post in first.records["posts"])
        boundary = {post["id"] for post in first.records["posts"] if post["updated_at"] == newest}
        assert {c["post_id"] for c in second.records["post_comments"]} <= set(changed["posts"]["update"]) | boundary
        # The old records' pages are never asked for again: one page of requests, and of posts for the posts
        # stream and for the posts' children, where the first sync read them all.
        assert _served(full_reads, "/api/v2/requests") >= 2 and _served(resync_reads, "/api/v2/requests") == 1
        assert (
            _served(full_reads, "/api/v2/community/posts") >= 8
            and _served(resync_reads, "/api/v2/community/posts") == 2
        )
        assert not [line for line in second.logs("WARN") if "newest first" in line]  # Zendesk's order held
