"""Runs one connector command as a subprocess and measures it while its output streams past.

Nothing is kept but counters: records are counted per stream from each line's first bytes (a full JSON parse
of every record would put the benchmark's own CPU time on the 2 cores the connector runs on). STATE and TRACE
messages are parsed. Peak RSS is the kernel's: os.wait4 returns the child's ru_maxrss.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Collection, Dict, List, Optional, Set

import orjson

RECORD_PREFIX = b'{"type":"RECORD"'
STREAM_NAME = re.compile(rb'"stream":"([^"]+)"')


@dataclass
class StreamRun:
    records: int = 0
    started: Optional[float] = None
    finished: Optional[float] = None
    status: str = "-"
    state: Any = None

    @property
    def seconds(self) -> Optional[float]:
        if self.started is None or self.finished is None:
            return None
        return max(self.finished - self.started, 1e-6)

    @property
    def state_bytes(self) -> int:
        return len(orjson.dumps(self.state)) if self.state is not None else 0


@dataclass
class SyncRun:
    streams: Dict[str, StreamRun] = field(default_factory=dict)
    states: List[Dict[str, Any]] = field(default_factory=list)  # latest STATE per stream, as --state takes them
    errors: List[str] = field(default_factory=list)
    exit_code: Optional[int] = None
    seconds: float = 0.0
    peak_rss_bytes: int = 0
    cpu_seconds: float = 0.0  # user + system CPU of the connector process
    timed_out: bool = False
    started_at: float = 0.0  # time.monotonic() when the process was started
    ids: Dict[str, Set[Any]] = field(default_factory=dict)  # record ids of the streams asked for (ids_of)

    @property
    def records(self) -> int:
        return sum(s.records for s in self.streams.values())

    @property
    def state_bytes(self) -> int:
        return sum(s.state_bytes for s in self.streams.values())

    def stream(self, name: str) -> StreamRun:
        return self.streams.setdefault(name, StreamRun())


def write_json(path: Path, content: Any) -> str:
    path.write_text(json.dumps(content))
    return str(path)


def run_read(
    command: List[str],
    config: Dict,
    catalog: Dict,
    workdir: Path,
    *,
    state: Optional[List] = None,
    env: Optional[Dict[str, str]] = None,
    cwd: Optional[Path] = None,
    timeout: Optional[float] = None,
    stderr_path: Optional[Path] = None,
    progress=None,
    ids_of: Collection[str] = (),
) -> SyncRun:
    # Warnings, errors and error traces go to WORKDIR/messages.log (records are only counted).
    """`COMMAND read --config --catalog [--state]`, measured. `progress(stream, StreamRun)` on each completion;
    the ids of the records of the streams in `ids_of` are kept (re-syncs: a few records, parsed)."""
    args = [
        *command,
        "read",
        "--config",
        write_json(workdir / "config.json", config),
        "--catalog",
        write_json(workdir / "catalog.json", catalog),
    ]
    if state is not None:
        args += ["--state", write_json(workdir / "state.json", state)]
    run = SyncRun(ids={stream: set() for stream in ids_of})
    stderr = open(stderr_path, "wb") if stderr_path else tempfile.TemporaryFile()
    run.started_at = started = time.monotonic()
    process = subprocess.Popen(
        args, stdout=subprocess.PIPE, stderr=stderr, cwd=cwd, env=env, start_new_session=True, bufsize=1 << 20
    )
    timer = None
    if timeout:

        def _kill() -> None:
            run.timed_out = True
            process.kill()

        timer = threading.Timer(timeout, _kill)
        timer.start()
    try:
        states: Dict[str, Dict[str, Any]] = {}
        with open(workdir / "messages.log", "wb") as kept:
            for line in process.stdout:
                if _observe(line, run, states, progress):
                    kept.write(line)
        run.states = list(states.values())
        # wait4 rather than wait(): it returns the child's resource usage, whose ru_maxrss is its peak RSS (KiB).
        _, status, usage = os.wait4(process.pid, 0)
        process.returncode = os.waitstatus_to_exitcode(status)
        run.exit_code = process.returncode
        run.peak_rss_bytes = usage.ru_maxrss * 1024
        run.cpu_seconds = usage.ru_utime + usage.ru_stime
    finally:
        if timer:
            timer.cancel()
        if process.poll() is None:
            process.kill()
            process.wait()
        stderr.close()
    run.seconds = time.monotonic() - started
    return run


def _observe(line: bytes, run: SyncRun, states: Dict[str, Dict[str, Any]], progress) -> bool:
    """Counts the line into `run`; True for the lines worth keeping (warnings, errors)."""
    if line.startswith(RECORD_PREFIX):
        match = STREAM_NAME.search(line, 0, 300)
        if match:
            stream = run.stream(match.group(1).decode())
            stream.records += 1
            if stream.started is None:
                stream.started = time.monotonic()
            kept = run.ids.get(match.group(1).decode())
            if kept is not None:
                kept.add(orjson.loads(line)["record"]["data"].get("id"))
        return False
    if not line.startswith(b"{"):
        return bool(line.strip())
    try:
        message = orjson.loads(line)
    except orjson.JSONDecodeError:
        return True
    kind = message.get("type")
    if kind == "LOG":
        return message["log"].get("level") in ("WARN", "ERROR", "FATAL")
    if kind == "STATE":
        state = message["state"]
        if state.get("type") in (None, "STREAM") and "stream" in state:
            name = state["stream"]["stream_descriptor"]["name"]
            run.stream(name).state = state["stream"].get("stream_state")
            states[name] = {"type": "STREAM", "stream": state["stream"]}
        elif state.get("type") == "GLOBAL":
            states["__global__"] = state
    elif kind == "TRACE":
        trace = message["trace"]
        if trace.get("type") == "STREAM_STATUS":
            status = trace["stream_status"]
            name = status["stream_descriptor"]["name"]
            stream = run.stream(name)
            stream.status = status["status"]
            now = time.monotonic()
            if status["status"] == "STARTED" and stream.started is None:
                stream.started = now
            elif status["status"] in ("COMPLETE", "INCOMPLETE"):
                stream.finished = now
                if progress:
                    progress(name, stream)
        elif trace.get("type") == "ERROR":
            error = trace["error"]
            run.errors.append(str(error.get("internal_message") or error.get("message", "?"))[:300])
            return True
    return False
