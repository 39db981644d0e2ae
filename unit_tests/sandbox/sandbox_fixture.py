"""Run a Zendesk sandbox in a subprocess for a test: `with running_sandbox("--tickets", "200") as info: ...`.

`info` is the JSON line the sandbox prints (url, credentials, connector config) plus `process`. Importable as
`sandbox_fixture` from this directory or as `unit_tests.sandbox.sandbox_fixture` from the project root."""
from __future__ import annotations

import contextlib
import json
import os
import selectors
import subprocess
import sys
import time
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[2]
START_TIMEOUT = 60.0


@contextlib.contextmanager
def running_sandbox(*cli_args: str, timeout: float = START_TIMEOUT):
    """Start `python -m zendesk_sandbox serve --port 0 ARGS`, yield its ready line, stop it on exit."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(PROJECT_ROOT), env.get("PYTHONPATH")]))
    cmd = [sys.executable, "-m", "zendesk_sandbox", "serve", "--port", "0", *map(str, cli_args)]
    process = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, cwd=str(PROJECT_ROOT))
    try:
        line = _read_line(process, timeout)
        info = json.loads(line)
        info["process"] = process
        yield info
    finally:
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


def _read_line(process: subprocess.Popen, timeout: float) -> str:
    selector = selectors.DefaultSelector()
    selector.register(process.stdout, selectors.EVENT_READ)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if selector.select(timeout=0.2):
            line = process.stdout.readline()
            if line:
                return line.decode()
        if process.poll() is not None:
            raise RuntimeError(f"sandbox exited with {process.returncode}: {process.stderr.read().decode()[-2000:]}")
    process.kill()
    raise TimeoutError(f"sandbox did not print its ready line within {timeout} s")
