"""What the issue-13 end-to-end tests share: the real entrypoint under a deadline and a memory watch, a second
loopback listener playing "the other origin", a leak detector for secrets and their fragments, and a module-wide
sandbox whose faults are swapped per test."""

from __future__ import annotations

import base64
import contextlib
import http.server
import json
import os
import re
import signal
import subprocess
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Dict, Iterable, Iterator, List, Optional

import requests

from sync_runner import ENTRYPOINT, PROJECT_ROOT, SyncOutput, parse_lines

FRAGMENT = 6  # the shortest piece of a secret that must never be printed
MEMORY_KILL_MB = 700  # a run above this is stopped at once: the bound under test is far lower, the machine is shared


# ---- the entrypoint, bounded ---------------------------------------------------------------------------------------


@dataclass
class Run(SyncOutput):
    elapsed: float = 0.0
    peak_rss_mb: float = 0.0
    stopped: Optional[str] = None  # why the harness killed it ("deadline" or "memory"), None if it ended itself
    stdout_lines: List[str] = field(default_factory=list)

    def error_messages(self) -> List[str]:
        return [
            " ".join(str(trace["error"].get(part) or "") for part in ("message", "internal_message"))
            for trace in self.traces("ERROR")
        ]

    def describe(self) -> str:
        tail = [line[:400] for line in self.stdout_lines if '"RECORD"' not in line][-12:]
        return (
            f"stopped={self.stopped} rc={self.returncode} elapsed={self.elapsed:.1f}s peak={self.peak_rss_mb:.0f}MB\n"
            + "\n".join(tail)
            + "\nstderr: "
            + self.stderr[-1500:]
        )


def _rss_mb(pid: int) -> float:
    try:
        with open(f"/proc/{pid}/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def run_bounded(
    command: str,
    config: Any,
    catalog: Optional[Dict[str, Any]] = None,
    state: Any = None,
    deadline: float = 60.0,
    env: Optional[Dict[str, str]] = None,
    config_text: Optional[str] = None,
) -> Run:
    """main.py COMMAND as a subprocess, killed at `deadline` seconds or above MEMORY_KILL_MB. Peak RSS is the child's
    own high-water mark (VmHWM), polled: it only grows, so a spike between two polls shows at the next one. Not
    wait4's ru_maxrss: Linux carries the forking process's peak across exec into it, so in a long test session it
    reports the size of pytest, not of the connector."""
    workdir = Path(tempfile.mkdtemp(prefix="zendesk-trust-"))
    config_path = workdir / "config.json"
    config_path.write_text(config_text if config_text is not None else json.dumps(config))
    args = [*ENTRYPOINT, command, "--config", str(config_path)]
    if catalog is not None:
        (workdir / "catalog.json").write_text(json.dumps(catalog))
        args += ["--catalog", str(workdir / "catalog.json")]
    if state is not None:
        (workdir / "state.json").write_text(json.dumps(state))
        args += ["--state", str(workdir / "state.json")]
    out_path, err_path = workdir / "stdout", workdir / "stderr"
    started = time.monotonic()
    with open(out_path, "wb") as out, open(err_path, "wb") as err:
        process = subprocess.Popen(
            args, stdout=out, stderr=err, cwd=PROJECT_ROOT, env={**os.environ, **(env or {})}, start_new_session=True
        )
    stopped, peak, status, usage = None, 0.0, 0, None
    while True:
        pid, status, usage = os.wait4(process.pid, os.WNOHANG)
        if pid:
            break
        peak = max(peak, _rss_mb(process.pid))
        if stopped is None and peak > MEMORY_KILL_MB:
            stopped = "memory"
        elif stopped is None and time.monotonic() - started > deadline:
            stopped = "deadline"
        if stopped:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            pid, status, usage = os.wait4(process.pid, 0)
            break
        time.sleep(0.05)
    process.returncode = os.waitstatus_to_exitcode(status)
    elapsed = time.monotonic() - started
    stdout = out_path.read_text(errors="replace")
    lines = stdout.splitlines()
    run = Run(parse_lines(lines), process.returncode, err_path.read_text(errors="replace"))
    run.elapsed, run.stopped, run.stdout_lines = elapsed, stopped, lines
    run.peak_rss_mb = peak
    return run


# ---- what a run must never print -----------------------------------------------------------------------------------


def secrets_of(config: Dict[str, Any]) -> List[str]:
    """Every secret of a config, with the forms a server can echo: Basic's base64 of email/token:TOKEN."""
    credentials = config.get("credentials") or {}
    values = [
        credentials.get(name) for name in ("api_token", "password", "access_token", "refresh_token", "client_secret")
    ]
    values.append((config.get("chat_credentials") or {}).get("access_token"))
    if credentials.get("api_token") and credentials.get("email"):
        values.append(base64.b64encode(f"{credentials['email']}/token:{credentials['api_token']}".encode()).decode())
    if credentials.get("password") and credentials.get("email"):
        values.append(base64.b64encode(f"{credentials['email']}:{credentials['password']}".encode()).decode())
    return [value for value in values if isinstance(value, str) and len(value) >= FRAGMENT]


def leaks(run: Run, secrets: Iterable[str]) -> List[str]:
    """Lines (LOG, TRACE, CONNECTION_STATUS, anything not a record or the platform's CONTROL, and stderr) holding a
    secret or any FRAGMENT-long piece of one."""
    pieces = {secret[i : i + FRAGMENT] for secret in secrets for i in range(len(secret) - FRAGMENT + 1)}
    found = []
    for line in run.stdout_lines + run.stderr.splitlines():
        if '"type": "RECORD"' in line or '"type":"RECORD"' in line or '"CONTROL"' in line:
            continue
        hit = next((piece for piece in pieces if piece in line), None)
        if hit:
            found.append(f"{hit!r} in {line[:300]}")
    return found


def names_stream(run: Run, stream: str) -> bool:
    """An ERROR trace names the stream (the message a user sees)."""
    pattern = re.compile(rf"\b{re.escape(stream)}\b")
    return any(pattern.search(message) for message in run.error_messages())


def stream_failed(run: Run, stream: str) -> bool:
    statuses = run.statuses(stream)
    return names_stream(run, stream) and (not statuses or statuses[-1] == "INCOMPLETE")


def no_traceback(run: Run) -> bool:
    """Nothing a user reads (LOG lines, the error's message and internal_message, CONNECTION_STATUS, stderr) shows
    a traceback or a raw Python exception. A TRACE's stack_trace field is the platform's debugging aid: not read."""
    texts = (
        run.logs()
        + run.error_messages()
        + [m["connectionStatus"].get("message") or "" for m in run.of_type("CONNECTION_STATUS")]
        + [run.stderr]
    )
    text = "\n".join(texts)
    return "Traceback (most recent call last)" not in text and not any(
        name in text
        for name in ("AttributeError", "RecursionError", "KeyError", "TypeError", "OverflowError", "ValueError")
    )


# ---- the other origin ----------------------------------------------------------------------------------------------


class _Recorder(http.server.BaseHTTPRequestHandler):
    def _answer(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        self.server.seen.append(
            {
                "method": self.command,
                "path": self.path,
                "headers": dict(self.headers),
                "body": body.decode(errors="replace"),
            }
        )
        self.send_response(404)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(b'{"error":"InvalidEndpoint","description":"the other origin"}')

    do_GET = do_POST = do_PUT = do_DELETE = do_HEAD = _answer

    def log_message(self, *args) -> None:
        pass


@dataclass
class Listener:
    host: str
    port: int
    seen: List[Dict[str, Any]]

    def with_credentials(self, secrets: Iterable[str] = ()) -> List[Dict[str, Any]]:
        """Requests that carried an Authorization header or any secret in their body."""
        secrets = list(secrets)
        return [
            r
            for r in self.seen
            if any(k.lower() == "authorization" for k in r["headers"])
            or any(secret in r["body"] or secret in r["path"] for secret in secrets)
        ]


@contextlib.contextmanager
def other_origin(host: str = "127.0.0.1", port: int = 0) -> Iterator[Listener]:
    """A loopback HTTP listener standing for another host: it records every request and answers 404."""
    server = http.server.ThreadingHTTPServer((host, port), _Recorder)
    server.seen = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield Listener(host, server.server_address[1], server.seen)
    finally:
        server.shutdown()
        server.server_close()


# ---- one sandbox per module, faults swapped per test -----------------------------------------------------------------


class Sandbox:
    def __init__(self, info: Dict[str, Any], verify: Any = True):
        self.info = info
        self.url = info["url"]
        self.verify = verify  # the CA file of a TLS sandbox

    @property
    def config(self) -> Dict[str, Any]:
        return json.loads(json.dumps(self.info["config"]))

    def faults(self, spec: str) -> None:
        """Replace the active fault rules."""
        requests.delete(f"{self.url}/_sandbox/faults", timeout=30, verify=self.verify).raise_for_status()
        if spec:
            requests.post(
                f"{self.url}/_sandbox/faults", json={"spec": spec}, timeout=30, verify=self.verify
            ).raise_for_status()

    def reset_stats(self) -> None:
        requests.post(f"{self.url}/_sandbox/stats/reset", json={}, timeout=30, verify=self.verify).raise_for_status()

    def stats(self) -> Dict[str, Any]:
        return requests.get(f"{self.url}/_sandbox/stats", timeout=30, verify=self.verify).json()["paths"]

    def expected(self, resource: str, endpoint: str) -> int:
        summary = requests.get(f"{self.url}/_sandbox/summary", timeout=30, verify=self.verify).json()
        return summary["resources"][resource]["endpoints"][endpoint]


def catalog_for(streams: List[Dict[str, Any]], names: Iterable[str], incremental: bool = False) -> Dict[str, Any]:
    from sync_runner import configured_catalog

    return configured_catalog(streams, list(names), incremental=incremental)


@contextlib.contextmanager
def hostile_sandbox(*args: str) -> Iterator["Sandbox"]:
    """A sandbox for a module of trust-boundary cases, its catalog discovered once, its faults cleared after."""
    from conftest import running_sandbox  # the one way the e2e tests start a sandbox
    from sync_runner import discovered_catalog

    with running_sandbox(*args) as info:
        sandbox = Sandbox(info)
        sandbox.streams = discovered_catalog(sandbox.config)
        yield sandbox
        sandbox.faults("")
