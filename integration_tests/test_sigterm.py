"""The connector stops promptly on SIGTERM even as PID 1, as it runs in its image (`docker stop`).

The kernel spares PID 1 from SIGTERM's default action, so without a handler the process would keep running
until killed. The test runs main.py as PID 1 of a new PID namespace (`unshare`, which needs root, like the
container test) while it waits on a server that never answers, and sends it SIGTERM.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from sync_runner import ENTRYPOINT, PROJECT_ROOT

UNSHARE = [shutil.which("unshare") or "unshare", "--pid", "--fork", "--kill-child"]


def _can_unshare() -> bool:
    try:
        return subprocess.run([*UNSHARE, "true"], capture_output=True, timeout=10).returncode == 0
    except (OSError, subprocess.TimeoutExpired):
        return False


@pytest.mark.skipif(not _can_unshare(), reason="needs `unshare --pid` (root) to run the connector as PID 1")
def test_sigterm_stops_the_connector_running_as_pid_1(tmp_path: Path):
    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen(8)
    port = silent.getsockname()[1]
    config = {
        "subdomain": "acme",
        "base_url": f"http://127.0.0.1:{port}",
        "start_date": "2024-01-01T00:00:00Z",
        "credentials": {"auth_type": "api_token", "email": "a@acme.example", "api_token": "t" * 20},
        "request_timeout_seconds": 600,
    }
    catalog = {
        "streams": [
            {
                "stream": {"name": "groups", "json_schema": {}, "supported_sync_modes": ["full_refresh"]},
                "sync_mode": "full_refresh",
                "destination_sync_mode": "overwrite",
            }
        ]
    }
    (tmp_path / "config.json").write_text(json.dumps(config))
    (tmp_path / "catalog.json").write_text(json.dumps(catalog))
    process = subprocess.Popen(
        [
            *UNSHARE,
            *ENTRYPOINT,
            "read",
            "--config",
            str(tmp_path / "config.json"),
            "--catalog",
            str(tmp_path / "catalog.json"),
        ],
        cwd=PROJECT_ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        silent.settimeout(60)
        connection, _ = silent.accept()  # the connector is now waiting for an answer that never comes
        connector = int(Path(f"/proc/{process.pid}/task/{process.pid}/children").read_text().split()[0])
        started = time.monotonic()
        os.kill(connector, signal.SIGTERM)
        returncode = process.wait(timeout=10)
        stopped_after = time.monotonic() - started
        connection.close()
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        silent.close()
    assert returncode == 128 + signal.SIGTERM
    assert stopped_after < 3, f"took {stopped_after:.1f} s to stop"
    print(f"stopped {stopped_after:.2f} s after SIGTERM", file=sys.stderr)
