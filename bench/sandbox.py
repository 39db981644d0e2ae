"""The sandbox as a child process: start it, ask it for ground truth and request counts, change it, stop it."""

from __future__ import annotations

import json
import ssl
import time
import urllib.request
from pathlib import Path
from typing import Any, Dict, List, Optional

from zendesk_sandbox.launcher import start_sandbox, stop_sandbox

ROOT = Path(__file__).resolve().parent.parent
START_TIMEOUT = 120.0


class Sandbox:
    def __init__(self, args: List[str], log_path: Path, ca_file: Optional[str] = None):
        self.log = open(log_path, "w")
        try:
            self.info: Dict[str, Any] = start_sandbox(args, START_TIMEOUT, stderr=self.log, own_session=True)
        except (RuntimeError, TimeoutError):
            self.log.close()
            raise RuntimeError(f"the sandbox did not start (args {args}); see {log_path}") from None
        self.process = self.info.pop("process")
        # The sandbox's rate windows are counted from about now: the bound for a run needs the offset.
        self.ready_at = time.monotonic()
        self.url = self.info["url"].rstrip("/")
        self._ssl = ssl.create_default_context(cafile=ca_file) if ca_file else None

    def call(self, path: str, payload: Optional[dict] = None) -> Any:
        data = json.dumps(payload).encode() if payload is not None else None
        method = "POST" if payload is not None else "GET"
        request = urllib.request.Request(
            self.url + path, data=data, method=method, headers={"Content-Type": "application/json"}
        )
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
        stop_sandbox(self.process)
        self.log.close()

    def __enter__(self) -> "Sandbox":
        return self

    def __exit__(self, *exc) -> None:
        self.stop()


def sandbox_args(
    tickets: int,
    seed: int,
    *,
    cpu_bound: bool,
    plan: str,
    time_scale: float,
    subdomain: Optional[str] = None,
    port: int = 0,
    tls: Optional[tuple] = None,
    host: Optional[str] = None,
    compression: bool = True,
) -> List[str]:
    args = [
        "--port",
        str(port),
        "--seed",
        str(seed),
        "--tickets",
        str(tickets),
        "--plan",
        plan,
        "--time-scale",
        str(time_scale),
    ]
    if not compression:
        args.append("--no-compression")  # the sandbox gzips by default, as Zendesk does
    if cpu_bound:
        args += ["--rate-limit", "0", "--export-rate-limit", "0"]
    if subdomain:
        args += ["--subdomain", subdomain]
    if tls:
        args += ["--tls-cert", tls[0], "--tls-key", tls[1]]
    if host:
        args += ["--host", host]  # the sandbox's links (next_page, after_url) use this name
    return args
