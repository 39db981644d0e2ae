"""tickets_search through the real entrypoint: offered opt-in like Airbyte's, every indexed ticket once, then only
changes."""

from __future__ import annotations

import time

import pytest
import requests

from conftest import running_sandbox
from sync_runner import configured_catalog, discovered_catalog, run_connector

pytestmark = pytest.mark.e2e


def test_tickets_search_reads_the_index_then_only_what_changed():
    with running_sandbox("--seed", "5", "--tickets", "300", "--time-scale", "60") as info:
        config = info["config"]
        streams = discovered_catalog(config)
        (stream,) = [s for s in streams if s["name"] == "tickets_search"]
        assert stream["source_defined_primary_key"] == [["id"]] and stream["default_cursor_field"] == ["updated_at"]
        assert stream["supported_sync_modes"] == ["full_refresh", "incremental"]
        catalog = configured_catalog(streams, ["tickets_search"])

        first = run_connector("read", config, catalog)
        assert first.returncode == 0, first.stderr[-3000:]
        summary = requests.get(f"{info['url']}/_sandbox/summary", timeout=30).json()
        ids = [record["id"] for record in first.records["tickets_search"]]
        assert len(ids) == len(set(ids)) == summary["resources"]["tickets"]["endpoints"]["/api/v2/search/export"]
        assert not any(record.get("status") == "deleted" for record in first.records["tickets_search"])
        saved = first.states["tickets_search"]["updated_at"]
        assert saved == max(record["updated_at"] for record in first.records["tickets_search"])

        time.sleep(2)
        changed = requests.post(f"{info['url']}/_sandbox/mutate", json={"tickets": {"update": 4}}, timeout=30).json()
        time.sleep(2)
        second = run_connector("read", config, catalog, state=first.state_list())
        assert second.returncode == 0, second.stderr[-3000:]
        again = second.records["tickets_search"]
        assert set(changed["tickets"]["update"]) <= {record["id"] for record in again}
        assert all(record["updated_at"] >= saved for record in again)  # nothing from before the saved cursor
        assert len(again) < len(ids) / 10
        assert second.states["tickets_search"]["updated_at"] > saved
