"""PyAirbyte writes the connector's streams into a real PostgreSQL server (started for the session on loopback) as
`make analytics` does (scripts/destinations.py): a full read, an incremental read merged by primary key, deleted
records marked as the deleted_records option says, custom fields as typed columns and nested objects as JSON.
Also the DuckDB cache read twice with every stream selected, the case that once stopped on the second read."""

from __future__ import annotations

import sys
import time
from pathlib import Path

import pytest
import requests

from conftest import running_sandbox
from ground_truth import expected_count

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.process,
    pytest.mark.timeout(900),
    pytest.mark.filterwarnings("ignore::FutureWarning"),
]

EXECUTABLE = Path(sys.executable).parent / "source-zendesk-support"
STREAMS = ["tickets", "ticket_comments", "users"]


@pytest.fixture(scope="module")
def destinations():
    import destinations  # scripts/, on sys.path from conftest

    return destinations


def truth(info: dict, stream: str) -> int:
    count = expected_count(requests.get(f"{info['url']}/_sandbox/summary", timeout=30).json(), stream)
    assert count is not None, f"the sandbox keeps no count of {stream}"
    return count


def test_full_then_incremental_read_into_postgresql(ab, destinations, postgres):
    assert EXECUTABLE.is_file(), f"{EXECUTABLE} missing: run `make install`"
    with running_sandbox("--seed", "14", "--tickets", "150", "--time-scale", "60") as info:
        config = {**info["config"], "deleted_records": "mark"}
        source = ab.get_source("source-zendesk-support", local_executable=str(EXECUTABLE), config=config)
        source.select_streams(STREAMS)
        cache = destinations.postgres_cache(postgres.url, schema="pyairbyte_incremental")
        schema = cache.schema_name

        source.read(cache=cache)
        engine = cache.get_sql_engine()
        with engine.connect() as db:

            def scalar(sql: str):
                return db.exec_driver_sql(sql).scalar()

            tickets = scalar(f"select count(*) from {schema}.tickets")
            assert tickets == scalar(f"select count(distinct id) from {schema}.tickets") == truth(info, "tickets")
            assert scalar(f"select count(*) from {schema}.ticket_comments") == truth(info, "ticket_comments")
            # The integer Unix-seconds `timestamp` column keeps its name and type, and says the same as created_at.
            assert (
                scalar(
                    f"select data_type from information_schema.columns where table_schema = '{schema}' "
                    "and table_name = 'ticket_comments' and column_name = 'timestamp'"
                )
                == "bigint"
            )
            assert (
                scalar(
                    f"select count(*) from {schema}.ticket_comments "
                    "where timestamp <> extract(epoch from created_at)::bigint"
                )
                == 0
            )
            column_types = dict(
                db.exec_driver_sql(
                    f"select column_name, data_type from information_schema.columns where table_schema = '{schema}' "
                    "and table_name = 'tickets'"
                ).all()
            )
            custom = {t for name, t in column_types.items() if name.startswith("custom_field_")}
            assert {"date", "numeric", "boolean", "bigint"} <= custom, custom  # typed, not all text
            assert column_types["via"] == column_types["tags"] == "json"
            channels = {
                row[0] for row in db.exec_driver_sql(f"select distinct via ->> 'channel' from {schema}.tickets")
            }
            assert channels and None not in channels
            loaded_before = scalar(f"select max(_airbyte_extracted_at) from {schema}.tickets")

        time.sleep(2)
        changed = requests.post(
            f"{info['url']}/_sandbox/mutate", json={"tickets": {"update": 5, "delete": 2}}, timeout=30
        ).json()["tickets"]
        time.sleep(2)  # past the export's hold-back
        second = source.read(cache=cache)
        assert 0 < second.processed_records < tickets
        with engine.connect() as db:
            assert db.exec_driver_sql(f"select count(*), count(distinct id) from {schema}.tickets").one() == (
                tickets,
                tickets,
            )  # merged by primary key: the changed tickets replaced their rows
            reread = {
                row[0]
                for row in db.exec_driver_sql(
                    f"select id from {schema}.tickets where _airbyte_extracted_at > %(t)s", {"t": loaded_before}
                )
            }
            assert set(changed["update"]) | set(changed["delete"]) <= reread
            marked = {
                row[0]
                for row in db.exec_driver_sql(f"select id from {schema}.tickets where _ab_cdc_deleted_at is not null")
            }
            assert set(changed["delete"]) <= marked  # deleted_records=mark: the row says it is deleted
        engine.dispose()


def test_every_stream_twice_into_the_same_duckdb_cache(ab, destinations, tmp_path):
    # Two reads of all the streams into one DuckDB file, each as its own cache object, as two `make analytics` runs.
    with running_sandbox("--seed", "15", "--tickets", "120", "--time-scale", "60") as info:
        source = ab.get_source("source-zendesk-support", local_executable=str(EXECUTABLE), config=info["config"])
        source.select_all_streams()
        first = source.read(cache=destinations.duckdb_cache(tmp_path / "zendesk.duckdb"))
        assert len(first["tickets"]) == truth(info, "tickets")
        time.sleep(2)
        cache = destinations.duckdb_cache(tmp_path / "zendesk.duckdb")
        second = source.read(cache=cache)
        assert second.processed_records < first.processed_records
        with cache.get_sql_engine().connect() as db:
            streams = db.exec_driver_sql(
                f"select count(*), count(distinct table_name) from {cache.schema_name}._airbyte_streams"
            ).one()
        assert streams[0] == streams[1] >= len(source.get_selected_streams())
