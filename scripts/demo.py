"""`make demo`: the connector end to end against a generated Zendesk account, through the real entrypoint.

Starts the sandbox, runs spec, check, discover and a full read of every stream as `python main.py ...`
subprocesses, changes the account, then reads incrementally from the state saved by
`python -m source_zendesk_support.state_file`. While a read runs it says every few seconds how far it is; after
it, one table: the full read's records against the sandbox's ground truth with a verdict, the incremental read's
new or changed records against the unchanged ones its inclusive cursors send again. Every message the connector
printed is kept in .demo/.
The sandbox is stopped on exit, also on Ctrl-C.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import signal
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from zendesk_sandbox.launcher import start_sandbox, stop_sandbox

from ground_truth import expected_count, record_key

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / ".demo"
CONNECTOR = [sys.executable, str(ROOT / "main.py")]
# Unbuffered so records arrive as they are read and the per-stream times mean something.
CONNECTOR_ENV = {**os.environ, "PYTHONUNBUFFERED": "1"}


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--tickets", type=int, default=500, help="size of the generated account")
    parser.add_argument(
        "--time-scale",
        type=float,
        default=20.0,
        help="sandbox clock speed: rate-limit windows and the export hold-back pass this much faster",
    )
    parser.add_argument(
        "--holdback",
        type=float,
        default=60.0,
        help="Zendesk-seconds the incremental exports hold back at their head (Zendesk: 60)",
    )
    return parser.parse_args()


# ---------------------------------------------------------------------------------------------- sandbox


class Sandbox:
    """The sandbox as a child process in its own session, so Ctrl-C reaches us and we stop it cleanly."""

    def __init__(self, *cli_args: str):
        self.log = open(OUT / "sandbox.log", "w")
        try:
            self.info: dict[str, Any] = start_sandbox(cli_args, stderr=self.log, own_session=True)
        except (RuntimeError, TimeoutError):
            self.log.close()
            sys.exit(f"the sandbox did not start; see {OUT / 'sandbox.log'}")
        self.process = self.info.pop("process")
        self.url = self.info["url"].rstrip("/")

    def call(self, path: str, payload: dict | None = None) -> Any:
        data = json.dumps(payload).encode() if payload is not None else None
        request = urllib.request.Request(
            self.url + path, data=data, method="POST" if data else "GET", headers={"Content-Type": "application/json"}
        )
        with urllib.request.urlopen(request, timeout=30) as response:
            return json.loads(response.read() or b"null")

    def stop(self) -> None:
        stop_sandbox(self.process)
        self.log.close()


# ---------------------------------------------------------------------------------------------- connector runs


def run_command(name: str, *args: str) -> list[dict]:
    """Run one connector command, keep its messages in .demo/NAME.jsonl, return them."""
    started = time.monotonic()
    result = subprocess.run([*CONNECTOR, *args], capture_output=True, text=True, cwd=ROOT, env=CONNECTOR_ENV)
    (OUT / f"{name}.jsonl").write_text(result.stdout)
    messages = [json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")]
    if result.returncode != 0:
        print(f"  {name}: exit code {result.returncode}\n{result.stderr[-1500:]}")
    print(f"  {name}: {time.monotonic() - started:.1f} s, {len(messages)} messages -> .demo/{name}.jsonl")
    return messages


SUMMARY = re.compile(r"Stream (\w+) read summary: (\d+) records, (\d+) requests, (\d+) retries, ([\d.]+) s waited")
NO_CURSOR = {"__ab_no_cursor_state_message": True}  # the CDK's marker for a stream read whole: there is no cursor
PROGRESS_EVERY = 2.0  # seconds between progress lines while a read runs


@dataclass
class StreamProgress:
    records: int = 0
    keys: dict = field(default_factory=dict)  # primary key -> digest of the record as last read
    estimate: int | None = None
    requests: int | None = None
    retries: int | None = None
    waited: float | None = None
    status: str = "-"
    state: Any = None


@dataclass
class ReadReport:
    streams: dict[str, StreamProgress] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    states: dict[str, dict] = field(default_factory=dict)  # latest per-stream STATE message
    exit_code: int = 0
    seconds: float = 0.0

    def stream(self, name: str) -> StreamProgress:
        return self.streams.setdefault(name, StreamProgress())

    @property
    def done(self) -> int:
        return sum(1 for p in self.streams.values() if p.status in ("COMPLETE", "INCOMPLETE"))


def read(name: str, config: Path, catalog: Path, keys: dict[str, list], state: Path | None = None) -> ReadReport:
    """Run `read`, saying every few seconds how far it is; keep every message in .demo/NAME.jsonl."""
    args = ["read", "--config", str(config), "--catalog", str(catalog)] + (["--state", str(state)] if state else [])
    report, started, said = ReadReport(), time.monotonic(), time.monotonic()
    with open(OUT / f"{name}.jsonl", "w") as kept, open(OUT / f"{name}.stderr.log", "w") as stderr:
        process = subprocess.Popen(
            [*CONNECTOR, *args], stdout=subprocess.PIPE, stderr=stderr, text=True, cwd=ROOT, env=CONNECTOR_ENV
        )
        for line in process.stdout:
            kept.write(line)
            if line.startswith("{"):
                observe(json.loads(line), report, keys)
            if time.monotonic() - said >= PROGRESS_EVERY:
                said = time.monotonic()
                total = sum(p.records for p in report.streams.values())
                print(f"  ... {report.done} of {len(keys)} streams done, {total:,} records so far", flush=True)
        report.exit_code = process.wait()
    report.seconds = time.monotonic() - started
    return report


def observe(message: dict, report: ReadReport, keys: dict[str, list]) -> None:
    kind = message.get("type")
    if kind == "RECORD":
        record = message["record"]
        progress = report.stream(record["stream"])
        progress.records += 1
        data = record["data"]
        progress.keys[record_key(data, keys.get(record["stream"], []))] = hash(json.dumps(data, sort_keys=True))
    elif kind == "STATE":
        state = message["state"]
        if state.get("type") == "STREAM":
            stream = state["stream"]["stream_descriptor"]["name"]
            report.states[stream] = state
            report.stream(stream).state = state["stream"].get("stream_state")
    elif kind == "LOG":
        summary = SUMMARY.match(message["log"].get("message", ""))
        if summary:
            progress = report.stream(summary.group(1))
            progress.requests, progress.retries = int(summary.group(3)), int(summary.group(4))
            progress.waited = float(summary.group(5))
    elif kind == "TRACE":
        trace = message["trace"]
        if trace.get("type") == "STREAM_STATUS":
            status = trace["stream_status"]
            report.stream(status["stream_descriptor"]["name"]).status = status["status"]
        elif trace.get("type") == "ESTIMATE":
            report.stream(trace["estimate"]["name"]).estimate = trace["estimate"].get("row_estimate")
        elif trace.get("type") == "ERROR":
            report.errors.append(trace["error"].get("message", "?"))
            print(f"  ERROR: {trace['error'].get('message')}", flush=True)


def short_state(state: Any) -> str:
    if state is None:
        return "-"
    if state == NO_CURSOR:
        return "(read whole, no cursor)"
    text = json.dumps(state, separators=(",", ":"))
    return text if len(text) <= 44 else text[:41] + "..."


def number(value: Any, spec: str = "") -> str:
    return "-" if value is None else format(value, spec)


def name_width(report: ReadReport) -> int:
    return max(map(len, report.streams), default=0)


def print_full_read(report: ReadReport, summary: dict) -> None:
    """One table: records read against the sandbox's truth, the estimate the connector gave, what it cost."""
    matched, compared, unknown = 0, 0, []
    width = name_width(report)
    print(
        f"    {'stream':{width}} {'records':>7} {'truth':>6}    {'estimate':>8} {'requests':>8} {'retries':>7} "
        f"{'waited':>6}  {'status':10} final state"
    )
    for name in sorted(report.streams):
        progress = report.streams[name]
        truth = expected_count(summary, name)
        if truth is None:
            unknown.append(name)
            verdict = " "
        else:
            compared += 1
            matched += len(progress.keys) == truth
            verdict = "ok" if len(progress.keys) == truth else "NO"
        print(
            f"    {name:{width}} {len(progress.keys):>7} {number(truth):>6} {verdict:>2} "
            f"{number(progress.estimate):>8} "
            f"{number(progress.requests):>8} {number(progress.retries):>7} {number(progress.waited, '.1f'):>5}s  "
            f"{progress.status:10} {short_state(progress.state)}"
        )
    total = sum(p.records for p in report.streams.values())
    print(
        f"\n  Full read: {total:,} records from {len(report.streams)} streams in {report.seconds:.1f} s, "
        f"exit code {report.exit_code}, {len(report.errors)} errors."
    )
    print(
        f"  Verdict: records read equal the sandbox's ground truth on {matched} of {compared} streams"
        + (f" ({', '.join(unknown)}: the sandbox keeps no count)" if unknown else "")
        + "."
    )
    estimated = sum(1 for p in report.streams.values() if p.estimate is not None)
    print(
        f"  Row estimates (ESTIMATE messages, from Zendesk's counts) came for {estimated} streams; the platform shows\n"
        f"  them as progress. The summary columns come from the connector's last log lines, one per stream."
    )


def print_incremental_read(report: ReadReport, full: ReadReport, changed: dict) -> None:
    """One table of the streams that read anything: new or changed records, and re-sent unchanged ones."""
    width = name_width(report)
    print(
        f"    {'stream':{width}} {'records':>7} {'new/changed':>11} {'unchanged':>9} {'requests':>8}  "
        f"{'status':10} final state"
    )
    quiet = 0
    for name in sorted(report.streams):
        progress = report.streams[name]
        if not progress.records:
            quiet += 1
            continue
        before = full.streams.get(name, StreamProgress()).keys
        resent = sum(1 for key, digest in progress.keys.items() if before.get(key) == digest)
        print(
            f"    {name:{width}} {progress.records:>7} {len(progress.keys) - resent:>11} {resent:>9} "
            f"{number(progress.requests):>8}  {progress.status:10} {short_state(progress.state)}"
        )
    total = sum(p.records for p in report.streams.values())
    print(f"    ({quiet} more streams read nothing new)")
    print(
        f"\n  Incremental read: {total:,} records from {len(report.streams)} streams in {report.seconds:.1f} s, "
        f"exit code {report.exit_code}, {len(report.errors)} errors."
    )
    for stream, key in (("tickets", "id"), ("users", "id")):
        wanted = {json.dumps([i]) for action in changed.get(stream, {}).values() for i in action}
        got = set(report.streams.get(stream, StreamProgress()).keys)
        print(
            f"  Verdict: {stream}: {len(wanted & got)} of the {len(wanted)} the sandbox changed were read"
            f"{', none missed' if wanted <= got else ', SOME MISSED'}; {len(got - wanted)} others."
        )
    print(
        "  Unchanged records sent again are the price of inclusive cursors: a stream starts again AT its saved\n"
        "  time, not after it, because Zendesk can add another record in that same second after the read. A list\n"
        "  without a time filter on Zendesk's side re-sends the records of its saved second, and a stream read whole\n"
        "  re-sends everything. Destinations that dedupe by primary key (append_dedup) keep one copy."
    )


def configured_catalog(catalog: dict) -> dict:
    """Every discovered stream, incremental where it can be, so the second read resumes from state."""
    streams = []
    for stream in catalog["streams"]:
        incremental = "incremental" in stream.get("supported_sync_modes", [])
        streams.append(
            {
                "stream": stream,
                "sync_mode": "incremental" if incremental else "full_refresh",
                "destination_sync_mode": "append_dedup"
                if incremental and stream.get("source_defined_primary_key")
                else "overwrite",
                "cursor_field": stream.get("default_cursor_field", []) if incremental else [],
                "primary_key": stream.get("source_defined_primary_key") or [],
            }
        )
    return {"streams": streams}


# ---------------------------------------------------------------------------------------------- the demo


def demo(args: argparse.Namespace) -> int:
    print(f"1. Sandbox: seed {args.seed}, {args.tickets} tickets, clock x{args.time_scale}")
    sandbox = Sandbox(
        "--seed",
        str(args.seed),
        "--tickets",
        str(args.tickets),
        "--time-scale",
        str(args.time_scale),
        "--holdback",
        str(args.holdback),
    )
    try:
        print(f"  listening on {sandbox.url} (subdomain {sandbox.info.get('subdomain')})")
        config = OUT / "config.json"
        config.write_text(json.dumps(sandbox.info["config"], indent=2))

        print("2. spec, check, discover through `python main.py`")
        [spec] = [m for m in run_command("spec", "spec") if m["type"] == "SPEC"] or [None]
        if spec:
            print(f"  spec: {len(spec['spec']['connectionSpecification']['properties'])} config fields")
        statuses = [
            m["connectionStatus"]
            for m in run_command("check", "check", "--config", str(config))
            if m["type"] == "CONNECTION_STATUS"
        ]
        print(
            f"  check: {statuses[0]['status'] if statuses else 'no status'} {statuses[0].get('message') or ''}"
            if statuses
            else "  check: no CONNECTION_STATUS"
        )
        catalogs = [
            m["catalog"] for m in run_command("discover", "discover", "--config", str(config)) if m["type"] == "CATALOG"
        ]
        if not catalogs:
            print("  discover returned no catalog; stopping")
            return 1
        catalog_path = OUT / "configured_catalog.json"
        catalog_path.write_text(json.dumps(configured_catalog(catalogs[0]), indent=2))
        incremental = sum(1 for s in catalogs[0]["streams"] if "incremental" in s.get("supported_sync_modes", []))
        print(f"  discover: {len(catalogs[0]['streams'])} streams ({incremental} incremental)")

        keys = {s["stream"]["name"]: s["primary_key"] for s in configured_catalog(catalogs[0])["streams"]}
        print("3. Full read of every stream")
        full = read("read-full", config, catalog_path, keys)
        summary = sandbox.call("/_sandbox/summary")
        (OUT / "sandbox-summary.json").write_text(json.dumps(summary, indent=2))
        print_full_read(full, summary)
        print("  The sandbox's counts are in .demo/sandbox-summary.json. The next read's state file, as in the README:")
        print("    python -m source_zendesk_support.state_file < .demo/read-full.jsonl > .demo/state.json")
        state_path = OUT / "state.json"
        with open(OUT / "read-full.jsonl") as output, open(state_path, "w") as state_file:
            subprocess.run(
                [sys.executable, "-m", "source_zendesk_support.state_file"],
                stdin=output,
                stdout=state_file,
                check=True,
                cwd=ROOT,
            )

        print("4. Changing the account")
        change = {"tickets": {"create": 5, "update": 10, "delete": 2}, "users": {"create": 3, "update": 4}}
        changed = sandbox.call("/_sandbox/mutate", change)
        print(
            f"  mutate {json.dumps(change)}: "
            + "; ".join(
                f"{stream} {action} {len(ids)}"
                for stream, actions in changed.items()
                for action, ids in actions.items()
            )
        )
        settle = args.holdback / args.time_scale + 1.0
        print(f"  waiting {settle:.1f} s: exports hold back their last {args.holdback:.0f} Zendesk-seconds")
        time.sleep(settle)

        print("5. Incremental read from the saved state")
        incremental_report = read("read-incremental", config, catalog_path, keys, state_path)
        print_incremental_read(incremental_report, full, changed)
        print(f"\nMessages, configs and logs are in {OUT.relative_to(ROOT)}/")
        failed = full.exit_code or incremental_report.exit_code
        return 1 if failed else 0
    finally:
        sandbox.stop()
        print("sandbox stopped")


def _interrupt(signum, frame) -> None:
    raise KeyboardInterrupt


def main() -> int:
    args = parse_args()
    OUT.mkdir(exist_ok=True)
    # SIGTERM behaves like Ctrl-C so the `finally` above stops the sandbox either way.
    signal.signal(signal.SIGTERM, _interrupt)
    try:
        return demo(args)
    except KeyboardInterrupt:
        print("\ninterrupted")
        return 130


if __name__ == "__main__":
    os.chdir(ROOT)
    sys.exit(main())
