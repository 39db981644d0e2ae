"""End to end through main.py: two custom objects of different shapes read through the sandbox's real export,
typed, and a record deleted between two syncs handled per deleted_records."""

from __future__ import annotations

import time

import pytest
import requests

from conftest import running_sandbox
from sync_runner import configured_catalog, discovered_catalog, run_connector

pytestmark = pytest.mark.e2e

NAMES = ["custom_object_asset", "custom_object_contract"]


def test_two_objects_read_typed_and_a_deletion_between_syncs_is_marked():
    with running_sandbox("--seed", "7", "--tickets", "50", "--holdback", "2", "--time-scale", "10") as sandbox:
        config = {**sandbox["config"], "deleted_records": "mark"}
        streams = discovered_catalog(config)
        catalog = configured_catalog(streams, NAMES)
        first = run_connector("read", config, catalog)
        assert first.returncode == 0, first.stderr[-3000:]
        resources = requests.get(f"{sandbox['url']}/_sandbox/summary", timeout=30).json()["resources"]
        for name in NAMES:
            assert len({record["id"] for record in first.records[name]}) == resources[name]["total"] > 0
        asset = next(stream for stream in streams if stream["name"] == "custom_object_asset")
        units = next(
            column
            for column, schema in asset["json_schema"]["properties"].items()
            if "'Units'" in schema.get("description", "")
        )
        assert any(isinstance(record.get(units), int) for record in first.records["custom_object_asset"])
        time.sleep(2)
        changed = requests.post(
            f"{sandbox['url']}/_sandbox/mutate", json={"custom_object_records:contract": {"delete": 1}}, timeout=30
        ).json()
        time.sleep(2)
        second = run_connector("read", config, catalog, state=first.state_list())
        assert second.returncode == 0, second.stderr[-3000:]
        (deleted,) = second.records["custom_object_contract"]
        assert deleted["id"] == changed["custom_object_records:contract"]["delete"][0]
        assert deleted["_ab_cdc_deleted_at"] and "[DELETED]" not in str(deleted)
        assert not second.records.get("custom_object_asset")
