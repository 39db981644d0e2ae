"""Where `make analytics` writes the streams: a PyAirbyte cache for DuckDB (a file) or PostgreSQL (a URL).

PyAirbyte 0.71's PostgreSQL cache loads each batch with pandas' `read_json`, whose date guessing turns any column
named like a date (`timestamp`, `*_at`, `*_time`) into datetimes: `ticket_comments.timestamp` holds Unix seconds in a
`bigint` column, which then refuses the batch. `PostgresCache` here loads the batch files itself, each value as the
record carried it, into the same tables with the same column types PyAirbyte declared; the rest of PyAirbyte's
PostgreSQL cache (merge by primary key, state, catalog) is unchanged.
"""

from __future__ import annotations

import gzip
from pathlib import Path
from urllib.parse import unquote, urlsplit

import orjson
from airbyte.caches import DuckDBCache
from airbyte.caches import PostgresCache as PyAirbytePostgresCache
from airbyte._processors.sql.postgres import PostgresSqlProcessor
from sqlalchemy import MetaData, Table

SCHEMA = "zendesk_support"  # the cache's schema; the dbt project reads the streams from here (ANALYTICS_AIRBYTE_SCHEMA)
BATCH_ROWS = 1000


class RecordTypedPostgresProcessor(PostgresSqlProcessor):
    """PyAirbyte's PostgreSQL processor, loading batch files without pandas' type guessing."""

    def _write_files_to_new_table(self, files: list[Path], stream_name: str, batch_id: str) -> str:
        table_name = self._create_table_for_loading(stream_name, batch_id)
        declared = {self.normalizer.normalize(name) for name in self._get_sql_column_definitions(stream_name)}
        table = Table(table_name, MetaData(), schema=self.sql_config.schema_name, autoload_with=self.get_sql_engine())
        with self.get_sql_engine().begin() as connection:
            for file_path in files:
                rows = []
                with gzip.open(file_path, "rb") if str(file_path).endswith(".gz") else open(file_path, "rb") as lines:
                    for line in lines:
                        record = orjson.loads(line)
                        rows.append(
                            {
                                column: value
                                for name, value in record.items()
                                if (column := self.normalizer.normalize(name)) in declared
                            }
                        )
                        if len(rows) >= BATCH_ROWS:
                            connection.execute(table.insert(), rows)
                            rows = []
                if rows:
                    connection.execute(table.insert(), rows)
        return table_name


class PostgresCache(PyAirbytePostgresCache):
    _sql_processor_class = RecordTypedPostgresProcessor


def postgres_cache(url: str, schema: str = SCHEMA) -> PostgresCache:
    """A cache for postgresql://user:password@host:port/database."""
    parts = urlsplit(url)
    if parts.scheme not in ("postgresql", "postgres") or not parts.hostname or not parts.path.strip("/"):
        raise ValueError("DESTINATION must read postgresql://user:password@host:port/database")
    return PostgresCache(
        host=parts.hostname,
        port=parts.port or 5432,
        username=unquote(parts.username or ""),
        password=unquote(parts.password or ""),
        database=parts.path.strip("/"),
        schema_name=schema,
    )


def duckdb_cache(path: Path, schema: str = SCHEMA) -> DuckDBCache:
    path.parent.mkdir(parents=True, exist_ok=True)
    return DuckDBCache(db_path=path, schema_name=schema)
