"""`make demo`: the connector end to end against a generated Zendesk account, through the real entrypoint.

Starts the sandbox, runs spec, check, discover and a full read of every stream as `python main.py ...`
subprocesses, changes the account, then reads incrementally from the saved state. Prints a line per stream as
it completes and a summary after each read; every message the connector printed is kept in .demo/.
The sandbox is stopped on exit, also on Ctrl-C.
"""
from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from zendesk_sandbox.launcher import start_sandbox, stop_sandbox

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / ".demo"
CONNECTOR = [sys.executable, str(ROOT / "main.py")]
# Unbuffered so records arrive as they are read and the per-stream times mean something.
CONNECTOR_ENV = {**os.environ, "PYTHONUNBUFFERED": "1"}


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--tickets", type=int, default=500, help="size of the generated account")
    parser.add_argument("--time-scale", type=float, default=20.0,
                        help="sandbox clock speed: rate-limit windows and the export hold-back pass this much faster")
    parser.add_argument("--holdback", type=float, default=60.0,
                        help="Zendesk-seconds the incremental exports hold back at their head (Zendesk: 60)")
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
        request = urllib.request.Request(self.url + path, data=data, method="POST" if data else "GET",
                                         headers={"Content-Type": "application/json"})
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


@dataclass
class StreamProgress:
    records: int = 0
    started: float | None = None
    seconds: float | None = None
    status: str = "-"
    state: Any = None


@dataclass
class ReadReport:
    streams: dict[str, StreamProgress] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    states: dict[str, dict] = field(default_factory=dict)  # latest per-stream STATE message
    exit_code: int = 0
    seconds: float = 0.0


def read(name: str, config: Path, catalog: Path, state: Path | None = None) -> ReadReport:
    """Run `read`, printing a line per stream as it completes; keep every message in .demo/NAME.jsonl."""
    args = ["read", "--config", str(config), "--catalog", str(catalog)] + (["--state", str(state)] if state else [])
    report, started = ReadReport(), time.monotonic()
    with open(OUT / f"{name}.jsonl", "w") as kept, open(OUT / f"{name}.stderr.log", "w") as stderr:
        process = subprocess.Popen([*CONNECTOR, *args], stdout=subprocess.PIPE, stderr=stderr, text=True, cwd=ROOT,
                                   env=CONNECTOR_ENV)
        for line in process.stdout:
            kept.write(line)
            if line.startswith("{"):
                observe(json.loads(line), report)
        report.exit_code = process.wait()
    report.seconds = time.monotonic() - started
    return report


def observe(message: dict, report: ReadReport) -> None:
    kind = message.get("type")
    if kind == "RECORD":
        report.streams.setdefault(message["record"]["stream"], StreamProgress()).records += 1
    elif kind == "STATE":
        state = message["state"]
        if state.get("type") == "STREAM":
            stream = state["stream"]["stream_descriptor"]["name"]
            report.states[stream] = state
            report.streams.setdefault(stream, StreamProgress()).state = state["stream"].get("stream_state")
    elif kind == "TRACE":
        trace = message["trace"]
        if trace.get("type") == "STREAM_STATUS":
            status = trace["stream_status"]
            stream = status["stream_descriptor"]["name"]
            progress = report.streams.setdefault(stream, StreamProgress())
            progress.status = status["status"]
            if status["status"] == "STARTED":
                progress.started = time.monotonic()
            elif status["status"] in ("COMPLETE", "INCOMPLETE"):
                progress.seconds = time.monotonic() - (progress.started or time.monotonic())
                print("    " + row(stream, progress), flush=True)
        elif trace.get("type") == "ERROR":
            report.errors.append(trace["error"].get("message", "?"))
            print(f"    ERROR: {trace['error'].get('message')}", flush=True)


def row(stream: str, progress: StreamProgress) -> str:
    state = json.dumps(progress.state, separators=(",", ":")) if progress.state is not None else "-"
    if len(state) > 58:
        state = state[:55] + "..."
    seconds = f"{progress.seconds:6.1f}s" if progress.seconds is not None else "      -"
    return f"{stream:32} {progress.records:>7} {seconds}  {progress.status:10} {state}"


def print_summary(title: str, report: ReadReport) -> None:
    total = sum(p.records for p in report.streams.values())
    print(f"\n  {title}: {total} records from {len(report.streams)} streams in {report.seconds:.1f} s"
          f" (exit code {report.exit_code}, {len(report.errors)} errors)")
    print(f"    {'stream':32} {'records':>7} {'time':>7}  {'status':10} final state")
    for stream in sorted(report.streams):
        print("    " + row(stream, report.streams[stream]))


def configured_catalog(catalog: dict) -> dict:
    """Every discovered stream, incremental where it can be, so the second read resumes from state."""
    streams = []
    for stream in catalog["streams"]:
        incremental = "incremental" in stream.get("supported_sync_modes", [])
        streams.append({
            "stream": stream,
            "sync_mode": "incremental" if incremental else "full_refresh",
            "destination_sync_mode": "append_dedup" if incremental and stream.get("source_defined_primary_key")
            else "overwrite",
            "cursor_field": stream.get("default_cursor_field", []) if incremental else [],
            "primary_key": stream.get("source_defined_primary_key") or [],
        })
    return {"streams": streams}


# ---------------------------------------------------------------------------------------------- the demo


def demo(args: argparse.Namespace) -> int:
    print(f"1. Sandbox: seed {args.seed}, {args.tickets} tickets, clock x{args.time_scale}")
    sandbox = Sandbox("--seed", str(args.seed), "--tickets", str(args.tickets),
                      "--time-scale", str(args.time_scale), "--holdback", str(args.holdback))
    try:
        print(f"  listening on {sandbox.url} (subdomain {sandbox.info.get('subdomain')})")
        config = OUT / "config.json"
        config.write_text(json.dumps(sandbox.info["config"], indent=2))

        print("2. spec, check, discover through `python main.py`")
        [spec] = [m for m in run_command("spec", "spec") if m["type"] == "SPEC"] or [None]
        if spec:
            print(f"  spec: {len(spec['spec']['connectionSpecification']['properties'])} config fields")
        statuses = [m["connectionStatus"] for m in run_command("check", "check", "--config", str(config))
                    if m["type"] == "CONNECTION_STATUS"]
        print(f"  check: {statuses[0]['status'] if statuses else 'no status'} {statuses[0].get('message') or ''}"
              if statuses else "  check: no CONNECTION_STATUS")
        catalogs = [m["catalog"] for m in run_command("discover", "discover", "--config", str(config))
                    if m["type"] == "CATALOG"]
        if not catalogs:
            print("  discover returned no catalog; stopping")
            return 1
        catalog_path = OUT / "configured_catalog.json"
        catalog_path.write_text(json.dumps(configured_catalog(catalogs[0]), indent=2))
        incremental = sum(1 for s in catalogs[0]["streams"] if "incremental" in s.get("supported_sync_modes", []))
        print(f"  discover: {len(catalogs[0]['streams'])} streams ({incremental} incremental)")

        print("3. Full read of every stream")
        full = read("read-full", config, catalog_path)
        print_summary("full read", full)
        state_path = OUT / "state.json"
        state_path.write_text(json.dumps(list(full.states.values()), indent=2))
        print(f"  saved the state of {len(full.states)} streams -> .demo/state.json")

        print("4. Changing the account")
        change = {"tickets": {"create": 5, "update": 10, "delete": 2}, "users": {"create": 3, "update": 4}}
        print(f"  mutate {json.dumps(change)} -> {json.dumps(sandbox.call('/_sandbox/mutate', change))[:200]}")
        settle = args.holdback / args.time_scale + 1.0
        print(f"  waiting {settle:.1f} s: exports hold back their last {args.holdback:.0f} Zendesk-seconds")
        time.sleep(settle)

        print("5. Incremental read from the saved state")
        incremental_report = read("read-incremental", config, catalog_path, state_path)
        print_summary("incremental read", incremental_report)
        try:
            print(f"\n  sandbox ground truth (/_sandbox/summary): {json.dumps(sandbox.call('/_sandbox/summary'))[:600]}")
        except OSError as error:
            print(f"  (no summary: {error})")
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
