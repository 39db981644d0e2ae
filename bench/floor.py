"""CPU per record against a bare floor, on the same pages in the same run.

The floor is the least any connector must do with an export page: decompress it as it came off the wire, parse it
with orjson and write each record as an Airbyte RECORD line. The connector is the real entrypoint reading only
that stream; its start-up CPU (the less of two reads of the same stream that find nothing) is taken out.
Both are CPU time (user + system) of one process, so the shared cores' load counts less than it does in wall time.
"""

from __future__ import annotations

import base64
import gzip
import os
import time
import urllib.request
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, List, Mapping, Optional, Tuple

import orjson

from .catalog import configured_catalog
from .report import table
from .sync import run_read

# stream -> (export path, list key, query of its first page, how the next page is named); the ticket exports for
# every ticket, as the connector asks for them (support_type_scope=all)
FLOOR_STREAMS: Dict[str, Tuple[str, str, Dict[str, str], str]] = {
    "tickets": (
        "incremental/tickets/cursor",
        "tickets",
        {"include": "metric_sets", "per_page": "1000", "support_type_scope": "all"},
        "after_url",
    ),
    "ticket_events": (
        "incremental/ticket_events",
        "ticket_events",
        {"include": "comment_events", "per_page": "1000", "support_type_scope": "all"},
        "next_page",
    ),
    "users": ("incremental/users/cursor", "users", {"include": "identities", "per_page": "1000"}, "after_url"),
}
START_TIME = 946684800  # the sandbox config's start_date, 2000-01-01
FLOOR_REPEATS = 3  # the floor's fastest of three passes over the same pages


@dataclass
class FloorFigures:
    stream: str
    pages: int
    floor_records: int
    floor_us: float  # CPU µs per record
    connector_records: int
    connector_us: float
    connector_cpu_s: float
    startup_cpu_s: float

    @property
    def ratio(self) -> Optional[float]:
        """None when the records cost less CPU than the start-up varies by (too few records to tell)."""
        if not self.floor_us or self.connector_cpu_s - self.startup_cpu_s < 0.5:
            return None
        return self.connector_us / self.floor_us


def _auth_header(config: Mapping) -> str:
    credentials = config["credentials"]
    token = base64.b64encode(f"{credentials['email']}/token:{credentials['api_token']}".encode()).decode()
    return f"Basic {token}"


def fetch_pages(base_url: str, config: Mapping, stream: str) -> List[Tuple[bytes, str]]:
    """The export's pages as they come off the wire (body, Content-Encoding), first to last."""
    path, _key, params, next_key = FLOOR_STREAMS[stream]
    query = "&".join(f"{k}={v}" for k, v in {**params, "start_time": str(START_TIME)}.items())
    url: Optional[str] = f"{base_url}/api/v2/{path}?{query}"
    pages = []
    while url:
        request = urllib.request.Request(
            url, headers={"Authorization": _auth_header(config), "Accept-Encoding": "gzip"}
        )
        with urllib.request.urlopen(request, timeout=300) as response:
            raw, encoding = response.read(), response.headers.get("Content-Encoding", "")
        pages.append((raw, encoding))
        body = orjson.loads(gzip.decompress(raw) if encoding == "gzip" else raw)
        url = None if body.get("end_of_stream") else body.get(next_key)
    return pages


def floor_pass(pages: List[Tuple[bytes, str]], stream: str, out) -> Tuple[int, float]:
    """(records, CPU seconds): decompress, parse, one RECORD line per record."""
    key = FLOOR_STREAMS[stream][1]
    dumps, write = orjson.dumps, out.write
    started = time.process_time()
    count = 0
    for raw, encoding in pages:
        data = zlib.decompress(raw, 16 + zlib.MAX_WBITS) if encoding == "gzip" else raw
        emitted_at = int(time.time() * 1000)
        for record in orjson.loads(data)[key]:
            write(dumps({"type": "RECORD", "record": {"stream": stream, "data": record, "emitted_at": emitted_at}}))
            write(b"\n")
            count += 1
    out.flush()
    return count, time.process_time() - started


def measure_floor(pages: List[Tuple[bytes, str]], stream: str) -> Tuple[int, float]:
    with open(os.devnull, "wb", buffering=1 << 20) as out:
        runs = [floor_pass(pages, stream, out) for _ in range(FLOOR_REPEATS)]
    return runs[0][0], min(seconds for _, seconds in runs)


def connector_cpu(
    command: List[str], config: Dict, discovered: List[Dict], stream: str, workdir: Path
) -> Tuple[int, float]:
    """(records, CPU seconds) of the connector reading only `stream` from the start."""
    catalog = configured_catalog(discovered, [stream])
    run = run_read(command, config, catalog, workdir, stderr_path=workdir / "stderr.log")
    if run.exit_code != 0:
        raise RuntimeError(f"the connector exited {run.exit_code} reading {stream}: {run.errors[:3]}")
    return run.records, run.cpu_seconds


def startup_config(config: Dict) -> Dict:
    """The same config, starting now: the read finds nothing and measures the start-up alone."""
    now = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(time.time() - 5))
    return {**config, "start_date": now}


def measure(
    sandbox, command: List[str], config: Dict, discovered: List[Dict], streams: List[str], workdir: Path
) -> List[FloorFigures]:
    figures = []
    for stream in streams:
        here = workdir / f"floor-{stream}"
        here.mkdir(parents=True, exist_ok=True)
        pages = fetch_pages(sandbox.url, config, stream)
        floor_records, floor_seconds = measure_floor(pages, stream)
        startup = min(connector_cpu(command, startup_config(config), discovered, stream, here)[1] for _ in range(2))
        records, cpu = connector_cpu(command, config, discovered, stream, here)
        figures.append(
            FloorFigures(
                stream,
                len(pages),
                floor_records,
                floor_seconds / max(floor_records, 1) * 1e6,
                records,
                max(cpu - startup, 0.0) / max(records, 1) * 1e6,
                cpu,
                startup,
            )
        )
    return figures


def floor_table(figures: List[FloorFigures]) -> List[str]:
    rows = [
        (
            f.stream,
            f.pages,
            f.floor_records,
            f"{f.floor_us:.1f}",
            f.connector_records,
            f"{f.connector_us:.1f}",
            f"{f.startup_cpu_s:.2f}",
            f"**{f.ratio:.2f}x**" if f.ratio else "- (too few records)",
        )
        for f in figures
    ]
    return table(
        [
            "stream",
            "pages",
            "floor records",
            "floor µs/record",
            "connector records",
            "connector µs/record",
            "start-up CPU s (taken out)",
            "connector / floor",
        ],
        rows,
    )
