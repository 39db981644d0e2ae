"""The real console entrypoint, as the platform runs it: spec, and check against a closed loopback port."""

from __future__ import annotations

import pytest

import json
import socket
import subprocess
import sys
from pathlib import Path

pytestmark = pytest.mark.process  # starts the sandbox or the entrypoint, or opens a socket

REPO = Path(__file__).resolve().parents[2]


def run_connector(*args: str, timeout: int = 60) -> list:
    completed = subprocess.run(
        [sys.executable, str(REPO / "main.py"), *args], capture_output=True, text=True, timeout=timeout, cwd=REPO
    )
    messages = []
    for line in completed.stdout.splitlines():
        try:
            messages.append(json.loads(line))
        except ValueError:
            pass
    return messages


def closed_loopback_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]  # released on close: nothing listens there


def test_spec_prints_one_spec_message():
    specs = [m for m in run_connector("spec") if m.get("type") == "SPEC"]
    assert len(specs) == 1
    assert "subdomain" in specs[0]["spec"]["connectionSpecification"]["properties"]


def test_check_against_an_unreachable_host_fails_in_plain_words(tmp_path):
    config = {
        "subdomain": "acme",
        "base_url": f"http://127.0.0.1:{closed_loopback_port()}",
        "credentials": {"auth_type": "api_token", "email": "a@acme.example", "api_token": "tok-proc-7731"},
    }
    path = tmp_path / "config.json"
    path.write_text(json.dumps(config))
    messages = run_connector("check", "--config", str(path))
    statuses = [m["connectionStatus"] for m in messages if m.get("type") == "CONNECTION_STATUS"]
    assert len(statuses) == 1 and statuses[0]["status"] == "FAILED"
    assert "Could not reach" in statuses[0]["message"]
    assert "tok-proc-7731" not in json.dumps(messages)
