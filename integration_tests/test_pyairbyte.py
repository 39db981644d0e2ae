"""PyAirbyte runs the connector as a Python user would (README, "With PyAirbyte"): the installed executable, a DuckDB
cache, an incremental second read, and a rotating OAuth refresh token kept alive by config_change_callback.

PyAirbyte runs offline here (AIRBYTE_OFFLINE_MODE: no registry look-up, no telemetry), so nothing leaves loopback.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import pytest
import requests

from conftest import running_sandbox

# google-cloud libraries that PyAirbyte imports warn about Python 3.11 support ending: not ours to fix.
pytestmark = [pytest.mark.e2e, pytest.mark.timeout(900), pytest.mark.filterwarnings("ignore::FutureWarning")]

EXECUTABLE = Path(sys.executable).parent / "source-zendesk-support"  # the console script `make install` puts there
STREAMS = ["tickets", "users"]


def summary(info):
    return requests.get(f"{info['url']}/_sandbox/summary", timeout=30).json()


def test_a_first_read_then_an_incremental_read_into_duckdb(ab, tmp_path):
    assert EXECUTABLE.is_file(), f"{EXECUTABLE} missing: run `make install`"
    with running_sandbox("--seed", "12", "--tickets", "300", "--time-scale", "60") as info:
        source = ab.get_source("source-zendesk-support", local_executable=str(EXECUTABLE), config=info["config"])
        source.select_streams(STREAMS)
        cache = ab.get_default_cache()
        assert Path(cache.db_path).is_relative_to(os.environ["AIRBYTE_CACHE_ROOT"])

        first = source.read(cache=cache)
        truth = summary(info)["resources"]
        assert len(first["tickets"]) == truth["tickets"]["endpoints"]["/api/v2/incremental/tickets/cursor"]
        assert len(first["users"]) == truth["users"]["endpoints"]["/api/v2/incremental/users/cursor"]
        with cache.get_sql_engine().connect() as connection:  # the rows are in DuckDB, under the stream's name
            rows, ids, first_loaded = connection.exec_driver_sql(
                "select count(*), count(distinct id), max(_airbyte_extracted_at) from main.tickets"
            ).one()
        assert rows == ids == len(first["tickets"])

        time.sleep(2)
        changed = requests.post(f"{info['url']}/_sandbox/mutate", json={"tickets": {"update": 5}}, timeout=30).json()
        time.sleep(2)  # past the export's hold-back (60 Zendesk-seconds at --time-scale 60)
        second = source.read(cache=cache)
        # PyAirbyte kept the state in the cache and passed it back: only the changed tickets travel again,
        # and they replace their rows (the table keeps one row per id).
        assert 5 <= second.processed_records < len(first["tickets"]) / 10
        with cache.get_sql_engine().connect() as connection:
            reread = {
                row[0]
                for row in connection.exec_driver_sql(
                    "select id from main.tickets where _airbyte_extracted_at > ?", (first_loaded,)
                ).all()
            }
            rows_now = connection.exec_driver_sql("select count(*) from main.tickets").scalar()
        assert set(changed["tickets"]["update"]) <= reread and len(reread) <= second.processed_records
        assert rows_now == len(first["tickets"])


def test_a_rotating_refresh_token_survives_three_calls_with_config_change_callback(ab, tmp_path):
    # Access tokens live 2 Zendesk-seconds, so every call refreshes and Zendesk hands out a new refresh token.
    with running_sandbox(
        "--seed",
        "13",
        "--tickets",
        "100",
        "--time-scale",
        "60",
        "--config-auth",
        "oauth2_refresh",
        "--access-token-ttl",
        "2",
    ) as info:
        original = info["config"]
        saved = []

        def keep_new_config(new_config):
            saved.append(new_config)
            source.set_config(new_config)  # the next call must use the rotated token

        source = ab.get_source(
            "source-zendesk-support",
            local_executable=str(EXECUTABLE),
            config=original,
            config_change_callback=keep_new_config,
        )
        source.check()
        source.select_streams(["tickets"])
        cache = ab.new_local_cache("rotating", cache_dir=tmp_path / "cache")
        first = source.read(cache=cache)
        second = source.read(cache=cache)
        assert len(first["tickets"]) > 0 and second.processed_records == 0
        tokens = [config["credentials"]["refresh_token"] for config in saved]
        assert len(tokens) >= 3 and len(set(tokens)) == len(tokens), "each call should have rotated the token"
        assert original["credentials"]["refresh_token"] not in tokens

        # Without the callback the first refresh burns the only token the caller has.
        stale = ab.get_source("source-zendesk-support", local_executable=str(EXECUTABLE), config=original)
        with pytest.raises(ab.exceptions.AirbyteConnectorCheckFailedError):
            stale.check()
