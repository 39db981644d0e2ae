"""Airbyte's published Zendesk connector, installed from PyPI into its own venv, pointed at the sandbox.

That connector always calls https://{subdomain}.zendesk.com, so reaching the sandbox needs:
- a self-signed certificate for that host name (openssl), trusted through REQUESTS_CA_BUNDLE;
- an /etc/hosts line sending the name to 127.0.0.1 (added with a marker, removed afterwards);
- the sandbox serving TLS on port 443 (root).
Any step that fails makes `setup()` return the reason instead; the benchmark then prints it and skips the column.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, List, Optional

BENCH = Path(__file__).resolve().parent
VENV = BENCH / ".peer-venv"
PACKAGE = "airbyte-source-zendesk-support==4.9.1"
# 4.9.1 needs airbyte-cdk<7 and Python <3.12 (pendulum<3 is an sdist there).
PEER_PYTHON = ["python3.11"]
HOSTS = Path("/etc/hosts")
HOSTS_MARKER = "# zendesk-bench peer"
SUBDOMAIN = "zdbench"
NAME = "airbyte 4.9.1"


@dataclass
class Peer:
    command: List[str]
    cert: str
    key: str
    host: str

    def env(self) -> Dict[str, str]:
        return {**os.environ, "REQUESTS_CA_BUNDLE": self.cert, "SSL_CERT_FILE": self.cert}

    def config(self, sandbox_info: Dict) -> Dict:
        return {
            "subdomain": SUBDOMAIN,
            "start_date": "2000-01-01T00:00:00Z",
            "credentials": {
                "credentials": "api_token",
                "email": sandbox_info["email"],
                "api_token": sandbox_info["api_token"],
            },
        }


def install(log) -> Optional[str]:
    """Install the peer into bench/.peer-venv once; the reason it failed, or None."""
    entry = VENV / "bin" / "source-zendesk-support"
    if entry.exists():
        return None
    python = next((p for p in PEER_PYTHON if shutil.which(p)), None)
    if python is None:
        return "no python3.11 on PATH for the peer's venv (it needs Python <3.12)"
    for step in (
        [python, "-m", "venv", str(VENV)],
        [str(VENV / "bin" / "pip"), "install", "--disable-pip-version-check", PACKAGE],
    ):
        done = subprocess.run(step, stdout=log, stderr=subprocess.STDOUT)
        if done.returncode:
            return f"`{' '.join(step)}` failed (exit {done.returncode}); see the log"
    return None if entry.exists() else "the peer package installed no source-zendesk-support entrypoint"


def make_certificate(workdir: Path, host: str, log) -> Optional[str]:
    cert, key = workdir / "peer-cert.pem", workdir / "peer-key.pem"
    if cert.exists() and key.exists():
        return None
    if not shutil.which("openssl"):
        return "openssl not found"
    done = subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "2",
            "-keyout",
            str(key),
            "-out",
            str(cert),
            "-subj",
            f"/CN={host}",
            "-addext",
            f"subjectAltName=DNS:{host},IP:127.0.0.1",
        ],
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    return None if done.returncode == 0 else f"openssl failed (exit {done.returncode})"


def trust_certificate(cert: Path) -> Optional[str]:
    """Add the certificate to the peer venv's certifi bundle: its CDK sends prepared requests with
    Session.send(), which never reads REQUESTS_CA_BUNDLE. Only this private venv is changed."""
    bundles = list(VENV.glob("lib/python*/site-packages/certifi/cacert.pem"))
    if not bundles:
        return "no certifi bundle in the peer's venv"
    pem = cert.read_text()
    for bundle in bundles:
        if pem not in bundle.read_text():
            with bundle.open("a") as f:
                f.write("\n# zendesk-bench sandbox certificate\n" + pem)
    return None


def add_hosts_entry(host: str) -> Optional[str]:
    line = f"127.0.0.1 {host} {HOSTS_MARKER}\n"
    try:
        text = HOSTS.read_text()
        if line not in text:
            with HOSTS.open("a") as f:
                f.write(("" if text.endswith("\n") else "\n") + line)
    except OSError as error:
        return f"cannot add '{line.strip()}' to {HOSTS}: {error}"
    return None


def remove_hosts_entry() -> None:
    try:
        lines = HOSTS.read_text().splitlines(keepends=True)
        kept = [line for line in lines if HOSTS_MARKER not in line]
        if kept != lines:
            HOSTS.write_text("".join(kept))
    except OSError:
        pass


def setup(workdir: Path) -> tuple:
    """(Peer, None) when everything is in place, else (None, reason)."""
    host = f"{SUBDOMAIN}.zendesk.com"
    if os.geteuid() != 0:
        return None, "not root: cannot serve on port 443 or edit /etc/hosts"
    with open(workdir / "peer-setup.log", "ab") as log:
        for step in (
            lambda: install(log),
            lambda: make_certificate(workdir, host, log),
            lambda: trust_certificate(workdir / "peer-cert.pem"),
            lambda: add_hosts_entry(host),
        ):
            reason = step()
            if reason:
                return None, reason
    peer = Peer(
        [str(VENV / "bin" / "source-zendesk-support")],
        str(workdir / "peer-cert.pem"),
        str(workdir / "peer-key.pem"),
        host,
    )
    return peer, None


OUR_COMMAND = [sys.executable, str(BENCH.parent / "main.py")]
