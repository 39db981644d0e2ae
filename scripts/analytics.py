"""`make analytics`: sync a Zendesk account into DuckDB or PostgreSQL with PyAirbyte, build fivetran/zendesk on the
tables with dbt (analytics/), print the figures a support lead looks at first, and write them as one HTML page.

Without --config it starts the sandbox's demo account and syncs that. The DuckDB file (default
.demo/zendesk.duckdb) keeps PyAirbyte's state, so a second run syncs incrementally; PostgreSQL likewise.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import re
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator

ROOT = Path(__file__).resolve().parent.parent
PROJECT = ROOT / "analytics"
sys.path.insert(0, str(Path(__file__).resolve().parent))

import analytics_figures  # noqa: E402
import time_zone_seed  # noqa: E402

# The streams the dbt project's layout models read (analytics/models/layout/_sources.yml).
STREAMS = [
    "tickets",
    "ticket_comments",
    "ticket_field_history",
    "ticket_metric_events",
    "ticket_forms",
    "users",
    "organizations",
    "groups",
    "brands",
    "schedules",
    "sla_policies",
    "audit_logs",
    "chats",
]
DEMO_ACCOUNT = ("--seed", "42", "--tickets", "200", "--time-scale", "60")
PACKAGES = ("zendesk", "fivetran_utils", "dbt_utils", "spark_utils")  # as packages.yml names them
VENDOR_DIRS = [
    os.environ.get("ANALYTICS_VENDOR", ""),
    str(ROOT.parent / "shared" / "vendor" / "dbt"),
    "/work/shared/vendor/dbt",
]


@dataclass
class Run:
    out: Path
    destination: str | None
    started: float = field(default_factory=time.monotonic)
    phases: dict[str, float] = field(default_factory=dict)

    @contextlib.contextmanager
    def phase(self, name: str, doing: str) -> Iterator[None]:
        print(f"[analytics] {name}: {doing}", flush=True)
        began = time.monotonic()
        yield
        self.phases[name] = time.monotonic() - began
        print(f"[analytics] {name}: done in {self.phases[name]:.1f} s", flush=True)


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--config", type=Path, help="the connector's config file (default: the sandbox demo account)")
    parser.add_argument(
        "--destination",
        default=os.environ.get("DESTINATION") or None,
        help="postgresql://user:password@host:port/database (default: DuckDB at --duckdb)",
    )
    parser.add_argument("--duckdb", type=Path, default=ROOT / ".demo" / "zendesk.duckdb")
    parser.add_argument("--out", type=Path, default=ROOT / ".demo", help="where report.html and the logs go")
    parser.add_argument("--dbt", default=os.environ.get("DBT") or str(ROOT / ".venv-dbt" / "bin" / "dbt"))
    args = parser.parse_args()
    if os.sep in args.dbt:  # a path (make passes one relative to the repository); dbt runs from analytics/
        args.dbt = str(Path(args.dbt).resolve())
    return args


# ------------------------------------------------------------------------------------------------- sync


@contextlib.contextmanager
def account(config_path: Path | None, out: Path) -> Iterator[tuple[dict, str | None]]:
    """The connector config, and the sandbox URL when it is the demo account."""
    if config_path is not None:
        yield json.loads(config_path.read_text()), None
        return
    from zendesk_sandbox.launcher import start_sandbox, stop_sandbox

    with open(out / "analytics-sandbox.log", "w") as log:
        info = start_sandbox(DEMO_ACCOUNT, stderr=log)
        try:
            yield info["config"], info["url"]
        finally:
            stop_sandbox(info["process"])


def make_cache(args: argparse.Namespace):
    # PyAirbyte reads its settings when imported: offline (no registry look-up, no telemetry), logs under --out.
    os.environ.setdefault("AIRBYTE_OFFLINE_MODE", "1")
    os.environ.setdefault("DO_NOT_TRACK", "1")
    os.environ.setdefault("AIRBYTE_LOGGING_ROOT", str(args.out / "pyairbyte-logs"))
    import destinations

    if args.destination:
        return destinations.postgres_cache(args.destination)
    return destinations.duckdb_cache(args.duckdb)


# The connector's last log line per stream (source_zendesk_support/sync/read_tally.py).
READ_SUMMARY = re.compile(
    r"Stream (\w+) read summary: (\d+) records, (\d+) requests, (\d+) retries, "
    r"([\d.]+) s waited for rate windows"
)


def sync(config: dict, cache, out: Path) -> dict[str, Any]:
    """A PyAirbyte read of STREAMS into the cache (incremental from the state the cache keeps), and what the
    connector said it took per stream."""
    import airbyte

    executable = Path(sys.executable).parent / "source-zendesk-support"
    source = airbyte.get_source("source-zendesk-support", local_executable=str(executable), config=config)
    source.select_streams(STREAMS)
    began = time.time()
    result = source.read(cache=cache)
    return {"processed_records": result.processed_records, "streams": read_summaries(out, began)}


def read_summaries(out: Path, since: float) -> dict[str, dict[str, float]]:
    """Per stream: records, requests, retries and seconds waited, from the connector log PyAirbyte kept."""
    logs = [
        path for path in (out / "pyairbyte-logs").rglob("source-zendesk-support-log-*") if path.stat().st_mtime >= since
    ]
    streams: dict[str, dict[str, float]] = {}
    for path in logs:
        for match in READ_SUMMARY.finditer(path.read_text(errors="replace")):
            name, records, requests, retries, waited = match.groups()
            streams[name] = {
                "records": int(records),
                "requests": int(requests),
                "retries": int(retries),
                "waited_seconds": float(waited),
            }
    return streams


# -------------------------------------------------------------------------------------------------- dbt


def place_packages(dbt: str, env: dict) -> str:
    """The four packages in analytics/dbt_packages: a vendored copy when there is one, else `dbt deps`."""
    target = PROJECT / "dbt_packages"
    if all((target / name / "dbt_project.yml").is_file() for name in PACKAGES):
        return "already in place"
    for vendor in (Path(d) for d in VENDOR_DIRS if d):
        if all((vendor / name / "dbt_project.yml").is_file() for name in PACKAGES):
            target.mkdir(exist_ok=True)
            for name in PACKAGES:
                shutil.rmtree(target / name, ignore_errors=True)
                shutil.copytree(vendor / name, target / name)
            return f"copied from {vendor}"
    run_dbt(dbt, ["deps"], env)
    return "installed with dbt deps"


def dbt_env(args: argparse.Namespace, cache) -> dict:
    from urllib.parse import unquote, urlsplit

    env = {
        **os.environ,
        "DBT_PROFILES_DIR": str(PROJECT),
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
        "ANALYTICS_AIRBYTE_SCHEMA": cache.schema_name,
    }
    if args.destination:
        url = urlsplit(args.destination)
        env.update(
            ANALYTICS_TARGET="postgresql",
            ANALYTICS_PG_HOST=url.hostname or "127.0.0.1",
            ANALYTICS_PG_PORT=str(url.port or 5432),
            ANALYTICS_PG_USER=unquote(url.username or ""),
            ANALYTICS_PG_PASSWORD=unquote(url.password or ""),
            ANALYTICS_PG_DATABASE=url.path.strip("/"),
        )
    else:
        env.update(ANALYTICS_TARGET="duckdb", ANALYTICS_DUCKDB_PATH=str(args.duckdb.resolve()))
    return env


def run_dbt(dbt: str, arguments: list[str], env: dict) -> dict[str, int]:
    """One dbt command; its node results by status (from target/run_results.json). Fails on any error."""
    if not Path(dbt).is_file() and shutil.which(dbt) is None:
        raise SystemExit(f"analytics: dbt not found at {dbt}: run `make analytics` (it installs .venv-dbt) or set DBT")
    completed = subprocess.run(
        [dbt, "--no-use-colors", *arguments], cwd=PROJECT, env=env, capture_output=True, text=True
    )
    results_file = PROJECT / "target" / "run_results.json"
    statuses: dict[str, int] = {}
    if arguments[0] != "deps" and results_file.is_file():
        for result in json.loads(results_file.read_text()).get("results", []):
            statuses[result["status"]] = statuses.get(result["status"], 0) + 1
    if completed.returncode != 0:
        tail = "\n".join(completed.stdout.splitlines()[-40:])
        raise SystemExit(f"analytics: dbt {' '.join(arguments)} failed (exit {completed.returncode}):\n{tail}")
    return statuses


def build(dbt: str, env: dict) -> dict[str, dict[str, int]]:
    """Seeds, our layout models (with their tests), then fivetran/zendesk's models and tests on them. Two builds:
    the package reads our tables as dbt sources, which dbt does not order after the models that make them."""
    return {
        "seed": run_dbt(dbt, ["seed"], env),
        "layout": run_dbt(dbt, ["build", "--exclude", "package:zendesk", "resource_type:seed"], env),
        "zendesk": run_dbt(dbt, ["build", "--select", "package:zendesk"], env),
    }


# ----------------------------------------------------------------------------------------------- report


def destination_label(args: argparse.Namespace) -> str:
    if not args.destination:
        return f"DuckDB ({args.duckdb.name})"
    from urllib.parse import urlsplit

    url = urlsplit(args.destination)
    return f"PostgreSQL ({url.hostname}:{url.port or 5432}/{url.path.strip('/')})"


def report(args: argparse.Namespace, summary: Path, page: Path) -> None:
    """The HTML page, drawn by scripts/analytics_report.py in the analytics environment (it has plotly)."""
    python = Path(args.dbt).parent / "python"
    completed = subprocess.run(
        [
            str(python if python.is_file() else sys.executable),
            str(Path(__file__).resolve().parent / "analytics_report.py"),
            str(summary),
            str(page),
        ],
        capture_output=True,
        text=True,
    )
    if completed.returncode != 0:
        raise SystemExit(f"analytics: the report failed: {completed.stderr.strip().splitlines()[-1:]}")
    print(f"[analytics] report: {page}", flush=True)


# ------------------------------------------------------------------------------------------------- main


def main() -> int:
    args = parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    run = Run(out=args.out, destination=args.destination)
    where = "PostgreSQL" if args.destination else f"DuckDB at {args.duckdb}"
    with account(args.config, args.out) as (config, sandbox_url):
        cache = make_cache(args)
        with run.phase("sync", f"{len(STREAMS)} streams into {where}"):
            synced = sync(config, cache, args.out)
    cache.get_sql_engine().dispose()  # DuckDB admits one writing process: dbt's, next
    env = dbt_env(args, cache)
    with run.phase("dbt", "fivetran/zendesk on the synced tables"):
        time_zone_seed.write_seeds(PROJECT / "seeds")
        placed = place_packages(args.dbt, env)
        results = build(args.dbt, env)
    print(
        f"[analytics] dbt packages {placed}; "
        + "; ".join(
            f"{step}: " + ", ".join(f"{n} {status}" for status, n in sorted(counts.items()))
            for step, counts in results.items()
        ),
        flush=True,
    )
    with run.phase("figures", "headline figures and report"):
        figures = analytics_figures.headline(cache.get_sql_engine())
        cache.get_sql_engine().dispose()
        analytics_figures.print_headline(figures)
        summary = {
            "phases_seconds": run.phases,
            "records_synced": synced["processed_records"],
            "sync": synced,
            "dbt": results,
            "figures": figures,
            "destination": destination_label(args),
        }
        (args.out / "analytics.json").write_text(json.dumps(summary, indent=2, default=str))
        report(args, args.out / "analytics.json", args.out / "report.html")
    print(
        f"[analytics] wall time {time.monotonic() - run.started:.1f} s "
        f"(sync {run.phases['sync']:.1f} s, dbt {run.phases['dbt']:.1f} s)",
        flush=True,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
