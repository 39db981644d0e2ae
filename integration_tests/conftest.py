"""Fixtures shared by the integration tests: a sandbox process on loopback, and the CDK standard-test hooks."""
from __future__ import annotations

import json
import selectors
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

# The standard suite's options (--read-scenarios, ...), its fixtures and its scenario parametrization.
from airbyte_cdk.test.standard_tests.pytest_hooks import (  # noqa: F401
    connector_base_image_override,
    connector_image_override,
    pytest_addoption,
    pytest_generate_tests,
    read_from_streams,
    read_scenarios,
)

PROJECT_ROOT = Path(__file__).resolve().parent.parent
SANDBOX_COMMAND = [str(Path(sys.executable).with_name("zendesk-sandbox")), "serve"]
SANDBOX_START_TIMEOUT = 60.0


@contextmanager
def running_sandbox(*cli_args: str) -> Iterator[dict[str, Any]]:
    """Start `zendesk-sandbox serve --port 0 ARGS`, yield its ready line (a dict), stop it with SIGTERM."""
    with tempfile.TemporaryFile(mode="w+") as stderr:
        process = subprocess.Popen(
            [*SANDBOX_COMMAND, "--port", "0", *cli_args],
            stdout=subprocess.PIPE, stderr=stderr, text=True, cwd=PROJECT_ROOT,
        )
        try:
            yield _ready_line(process, stderr)
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def _ready_line(process: subprocess.Popen, stderr) -> dict[str, Any]:
    """The first JSON line the sandbox prints; fail with its stderr if it exits or stays silent."""
    selector = selectors.DefaultSelector()
    selector.register(process.stdout, selectors.EVENT_READ)
    if selector.select(timeout=SANDBOX_START_TIMEOUT):
        line = process.stdout.readline()
        if line.strip():
            return json.loads(line)
    stderr.seek(0)
    raise RuntimeError(
        f"sandbox did not print its ready line (exit code {process.poll()}): {stderr.read()[-2000:]}"
    )


# Sandbox for the standard suite and the container test: big enough that every stream has records (basic_read
# demands it; 300 tickets left ticket_activities empty), and a fast clock so export rate windows and the
# hold-back at the head of the incremental exports last about a second of real time.
SESSION_SANDBOX_ARGS = ("--seed", "42", "--tickets", "500", "--time-scale", "60")


@pytest.fixture(scope="session")
def sandbox() -> Iterator[dict[str, Any]]:
    with running_sandbox(*SESSION_SANDBOX_ARGS) as info:
        yield info
