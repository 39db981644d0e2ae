"""A real PostgreSQL server for a test: Debian's binaries, a fresh cluster in a temporary directory, one loopback
port, stopped and removed afterwards. No mock database: the destination tests write to this.

`pg_ctl` refuses to run as root, so as root the cluster belongs to the `postgres` system user the Debian package
creates, and its commands run as that user.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

SERVER_USER = "postgres"  # created by Debian's postgresql-common; owns the cluster when we run as root
PASSWORD = "analytics"  # the cluster listens on loopback only and lives as long as the test


@dataclass(frozen=True)
class Postgres:
    host: str
    port: int
    user: str
    password: str
    database: str

    @property
    def url(self) -> str:
        return f"postgresql://{self.user}:{self.password}@{self.host}:{self.port}/{self.database}"


def binaries() -> Path | None:
    """Debian's server binaries (newest major version), or None when the postgresql package is not installed."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"), key=lambda p: int(Path(p).parts[-3]))
    return Path(found[-1]).parent if found else None


def unavailable_reason() -> str | None:
    if binaries() is None:
        return "PostgreSQL server binaries missing (/usr/lib/postgresql/*/bin): apt-get install postgresql"
    if os.geteuid() == 0:
        try:
            pwd.getpwnam(SERVER_USER)
        except KeyError:
            return f"running as root and no '{SERVER_USER}' user to own the cluster (pg_ctl refuses root)"
    return None


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _as_server_user(argv: list[str]) -> list[str]:
    return ["runuser", "-u", SERVER_USER, "--", *argv] if os.geteuid() == 0 else argv


@contextmanager
def running_postgres(timeout: float = 60) -> Iterator[Postgres]:
    reason = unavailable_reason()
    if reason:
        raise RuntimeError(reason)
    bin_dir = binaries()
    root = Path(tempfile.mkdtemp(prefix="zendesk-pg-"))
    data, log = root / "data", root / "server.log"
    pwfile = root / "pwfile"
    pwfile.write_text(PASSWORD + "\n")
    if os.geteuid() == 0:
        server = pwd.getpwnam(SERVER_USER)
        os.chown(root, server.pw_uid, server.pw_gid)
        os.chown(pwfile, server.pw_uid, server.pw_gid)
    user = SERVER_USER if os.geteuid() == 0 else pwd.getpwuid(os.geteuid()).pw_name
    port = _free_port()
    try:
        subprocess.run(
            _as_server_user(
                [
                    str(bin_dir / "initdb"),
                    "-D",
                    str(data),
                    "-U",
                    user,
                    "--pwfile",
                    str(pwfile),
                    "--auth",
                    "scram-sha-256",
                    "-E",
                    "UTF8",
                    "--locale",
                    "C.UTF-8",
                ]
            ),
            check=True,
            capture_output=True,
            timeout=timeout,
        )
        options = f"-c listen_addresses=127.0.0.1 -p {port} -c unix_socket_directories={root} -c fsync=off"
        subprocess.run(
            _as_server_user(
                [
                    str(bin_dir / "pg_ctl"),
                    "-D",
                    str(data),
                    "-l",
                    str(log),
                    "-o",
                    options,
                    "-w",
                    "-t",
                    str(int(timeout)),
                    "start",
                ]
            ),
            check=True,
            capture_output=True,
            timeout=timeout + 10,
        )
    except subprocess.CalledProcessError as failed:
        detail = (failed.stderr or b"").decode(errors="replace").strip()
        server_log = log.read_text(errors="replace")[-2000:] if log.exists() else ""
        shutil.rmtree(root, ignore_errors=True)
        raise RuntimeError(f"PostgreSQL did not start: {detail} {server_log}".strip()) from None
    try:
        yield Postgres(host="127.0.0.1", port=port, user=user, password=PASSWORD, database="postgres")
    finally:
        subprocess.run(
            _as_server_user([str(bin_dir / "pg_ctl"), "-D", str(data), "-m", "fast", "-w", "stop"]),
            capture_output=True,
            timeout=timeout,
        )
        shutil.rmtree(root, ignore_errors=True)
