"""The fast tier (`make test-fast`): the unit tests that start no process and open no socket. Under it, a test
that tries either fails at once, naming the marker it lacks, so the tier stays what it says."""

from __future__ import annotations

import os
import socket
import subprocess

FAST_TIER = os.environ.get("ZENDESK_TEST_TIER") == "fast"


class LeftTheFastTier(AssertionError):
    pass


def _refuse(what: str):
    def refused(*args, **kwargs):
        raise LeftTheFastTier(
            f"this test {what}: mark it `@pytest.mark.process` (the fast tier starts no process and opens no socket)"
        )

    return refused


def refuse_processes_and_sockets(monkeypatch) -> None:
    for method in ("connect", "connect_ex", "bind"):
        monkeypatch.setattr(socket.socket, method, _refuse("opens a socket"))
    monkeypatch.setattr(subprocess.Popen, "__init__", _refuse("starts a process"))
