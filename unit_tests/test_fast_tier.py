"""The fast tier's guard: under it, a test without the `process` marker cannot start a process or open a socket."""

from __future__ import annotations

import socket
import subprocess
import sys

import pytest

from fast_tier import LeftTheFastTier, refuse_processes_and_sockets


def test_the_guard_refuses_a_socket_and_a_process_naming_the_marker(monkeypatch):
    refuse_processes_and_sockets(monkeypatch)
    with pytest.raises(LeftTheFastTier, match="pytest.mark.process"):
        socket.create_connection(("127.0.0.1", 9), timeout=1)
    with pytest.raises(LeftTheFastTier, match="starts a process"):
        subprocess.run([sys.executable, "-c", "pass"])
    server = socket.socket()
    try:
        with pytest.raises(LeftTheFastTier, match="opens a socket"):
            server.bind(("127.0.0.1", 0))
    finally:
        server.close()
