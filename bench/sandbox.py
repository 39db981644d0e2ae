"""The sandbox as a child process: start it, ask it for ground truth and request counts, change it, stop it."""
from __future__ import annotations

import json
import os
import selectors
import ssl
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any, Dict, List, Optional

ROOT = Path(__file__).resolve().parent.parent
# `python -m` from the project root works whether or not the editable install maps the sandbox package.
SANDBOX_COMMAND = [sys.executable, "-m", "zendesk_sandbox", "serve"]
START_TIMEOUT = 120.0


class Sandbox:
    def __init__(self, args: List[str], log_path: Path, ca_file: Optional[str] = None):
        self.log = open(log_path, "w")
        env = {**os.environ, "PYTHONPATH": str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", "")}
        self.process = subprocess.Popen([*SANDBOX_COMMAND, *args], stdout=subprocess.PIPE, stderr=self.log,
                                        text=True, cwd=ROOT, env=env, start_new_session=True)
        selector = selectors.DefaultSelector()
        selector.register(self.process.stdout, selectors.EVENT_READ)
        line = self.process.stdout.readline() if selector.select(timeout=START_TIMEOUT) else ""
        # The sandbox's rate windows are counted from about now: the bound for a run needs the offset.
        self.ready_at = time.monotonic()
        if not line.strip():
            self.stop()
            raise RuntimeError(f"the sandbox did not start (args {args}); see {log_path}")
        self.info: Dict[str, Any] = json.loads(line)
        self.url = self.info["url"].rstrip("/")
        self._ssl = ssl.create_default_context(cafile=ca_file) if ca_file else None

    def call(self, path: str, payload: Optional[dict] = None) -> Any:
        data = json.dumps(payload).encode() if payload is not None else None
        method = "POST" if payload is not None else "GET"
        request = urllib.request.Request(self.url + path, data=data, method=method,
                                         headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=300, context=self._ssl) as response:
            return json.loads(response.read() or b"null")

    def summary(self) -> Dict[str, Any]:
        return self.call("/_sandbox/summary")

    def reset_stats(self) -> None:
        self.call("/_sandbox/stats/reset", {})

    def requests_by_path(self) -> Dict[str, Dict[str, int]]:
        """Requests served since the last reset, per path template and status (control routes left out)."""
        paths = self.call("/_sandbox/stats").get("paths", {})
        return {path: statuses for path, statuses in paths.items() if not path.startswith("/_sandbox/")}

    def mutate(self, spec: Dict[str, Any]) -> Any:
        return self.call("/_sandbox/mutate", spec)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log.close()

    def __enter__(self) -> "Sandbox":
        return self

    def __exit__(self, *exc) -> None:
        self.stop()


def sandbox_args(tickets: int, seed: int, *, cpu_bound: bool, plan: str, time_scale: float,
                 subdomain: Optional[str] = None, port: int = 0, tls: Optional[tuple] = None,
                 host: Optional[str] = None) -> List[str]:
    args = ["--port", str(port), "--seed", str(seed), "--tickets", str(tickets), "--plan", plan,
            "--time-scale", str(time_scale)]
    if cpu_bound:
        args += ["--rate-limit", "0", "--export-rate-limit", "0"]
    if subdomain:
        args += ["--subdomain", subdomain]
    if tls:
        args += ["--tls-cert", tls[0], "--tls-key", tls[1]]
    if host:
        args += ["--host", host]  # the sandbox's links (next_page, after_url) use this name
    return args
