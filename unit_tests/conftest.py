"""The OpenAPI checks (marker `oas`) compare schemas and list keys with Zendesk's own OpenAPI description.

The description is reference material kept beside the repository, in ../shared/reference/zendesk-oas (or where
ZENDESK_OAS_DIR points). Where it exists, as in CI and on development machines, the checks run. Where it does
not (a plain clone), they are deselected and the run says so in one line, instead of a hundred silent skips.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from fast_tier import FAST_TIER, refuse_processes_and_sockets

REPO = Path(__file__).resolve().parents[1]
OAS_DIR = Path(os.environ.get("ZENDESK_OAS_DIR", REPO.parent / "shared" / "reference" / "zendesk-oas"))
_left_out: list = []


@pytest.fixture(scope="session")
def oas_dir() -> Path:
    return OAS_DIR


def pytest_collection_modifyitems(config, items):
    if OAS_DIR.is_dir():
        return
    _left_out[:] = [item for item in items if item.get_closest_marker("oas")]
    if _left_out:
        items[:] = [item for item in items if not item.get_closest_marker("oas")]
        config.hook.pytest_deselected(items=_left_out)


def pytest_terminal_summary(terminalreporter):
    if _left_out:
        terminalreporter.write_line(
            f"OpenAPI checks not run ({len(_left_out)} deselected): Zendesk's OpenAPI description is not at {OAS_DIR}; "
            "put it there or set ZENDESK_OAS_DIR."
        )


# --- the fast tier: under `make test-fast` a test without the `process` marker starts no process, opens no socket
@pytest.fixture(autouse=True)
def _fast_tier_guard(request, monkeypatch):
    if FAST_TIER and not request.node.get_closest_marker("process"):
        refuse_processes_and_sockets(monkeypatch)
    yield
