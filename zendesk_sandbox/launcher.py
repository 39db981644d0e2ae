"""Start a sandbox in a subprocess and wait for its ready line: for tests, the benchmark and the demo.

with running_sandbox("--tickets", "200") as info:
    info["url"], info["config"], info["process"]
"""

from __future__ import annotations

import contextlib
import json
import os
import selectors
import subprocess
import sys
import time
from pathlib import Path
from typing import IO, Any, Dict, Iterator, Sequence, cast

PROJECT_ROOT = Path(__file__).resolve().parent.parent
START_TIMEOUT = 60.0


def start_sandbox(
    cli_args: Sequence[str],
    timeout: float = START_TIMEOUT,
    stderr: Any = subprocess.PIPE,
    python: str = sys.executable,
    own_session: bool = False,
) -> Dict[str, Any]:
    """Launch `python -m zendesk_sandbox serve --port 0 ARGS` (a `--port` among ARGS wins) and return its ready
    line as a dict, with the running process under "process". `own_session` keeps a terminal's Ctrl-C from
    reaching the sandbox before its owner has stopped it."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(PROJECT_ROOT), env.get("PYTHONPATH")]))
    port = [] if "--port" in cli_args else ["--port", "0"]
    command = [python, "-m", "zendesk_sandbox", "serve", *port, *map(str, cli_args)]
    process = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=stderr, env=env, cwd=str(PROJECT_ROOT), start_new_session=own_session
    )
    try:
        info = json.loads(_ready_line(process, timeout))
    except BaseException:
        stop_sandbox(process)
        raise
    info["process"] = process
    return info


def stop_sandbox(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    for stream in (process.stdout, process.stderr):
        if stream:
            stream.close()


@contextlib.contextmanager
def running_sandbox(*cli_args: str, timeout: float = START_TIMEOUT) -> Iterator[Dict[str, Any]]:
    info = start_sandbox(cli_args, timeout)
    try:
        yield info
    finally:
        stop_sandbox(info["process"])


def _ready_line(process: subprocess.Popen, timeout: float) -> str:
    stdout = cast(IO[bytes], process.stdout)  # started with stdout=PIPE
    selector = selectors.DefaultSelector()
    selector.register(stdout, selectors.EVENT_READ)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if selector.select(timeout=0.2):
            line = stdout.readline()
            if line.strip():
                return line.decode()
        if process.poll() is not None:
            detail = process.stderr.read().decode()[-2000:] if process.stderr and process.stderr.readable() else ""
            raise RuntimeError(f"sandbox exited with {process.returncode}: {detail}")
    raise TimeoutError(f"sandbox did not print its ready line within {timeout} s")
