"""The command-line contract: one JSON line on stdout, --write-config, --config-auth, clean SIGTERM."""

import json
import signal
import subprocess
import sys
from pathlib import Path

import pytest
import requests

from sandbox_fixture import PROJECT_ROOT, running_sandbox

pytestmark = pytest.mark.process  # starts the sandbox or the entrypoint, or opens a socket

READY_KEYS = {
    "url",
    "subdomain",
    "email",
    "api_token",
    "agent_email",
    "agent_api_token",
    "access_token",
    "oauth",
    "config",
}


def test_ready_line_has_the_contract_keys():
    with running_sandbox("--tickets", "30", "--subdomain", "acme") as info:
        assert READY_KEYS <= set(info)
        assert info["url"].startswith("http://127.0.0.1:")
        assert info["subdomain"] == "acme" and info["email"].startswith("admin@")
        assert {"client_id", "client_secret", "refresh_token"} <= set(info["oauth"])
        assert info["config"] == {
            "subdomain": "acme",
            "base_url": info["url"],
            "start_date": "2000-01-01T00:00:00Z",
            "credentials": {"auth_type": "api_token", "email": info["email"], "api_token": info["api_token"]},
            "chat_credentials": {"access_token": info["chat_access_token"]},
        }
        assert (
            requests.get(
                info["url"] + "/api/v2/users/me", auth=(info["email"] + "/token", info["api_token"]), timeout=10
            ).status_code
            == 200
        )


@pytest.mark.parametrize(
    "auth,keys",
    [
        ("oauth2_refresh", {"auth_type", "client_id", "client_secret", "refresh_token"}),
        ("oauth2_client_credentials", {"auth_type", "client_id", "client_secret"}),
        ("oauth2_access_token", {"auth_type", "access_token"}),
    ],
)
def test_write_config_with_each_auth(tmp_path, auth, keys):
    path = tmp_path / "config.json"
    with running_sandbox("--tickets", "10", "--write-config", str(path), "--config-auth", auth) as info:
        written = json.loads(path.read_text())
        assert written == info["config"]
        assert set(written["credentials"]) == keys and written["credentials"]["auth_type"] == auth


def test_console_script_starts_and_stops_on_sigterm():
    script = Path(sys.executable).parent / "zendesk-sandbox"
    if not script.exists():
        pytest.skip("console script not installed")
    proc = subprocess.Popen(
        [str(script), "serve", "--port", "0", "--tickets", "10"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=str(PROJECT_ROOT),
    )
    try:
        info = json.loads(proc.stdout.readline())
        assert requests.get(info["url"] + "/_sandbox/summary", timeout=10).status_code == 200
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=10) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.stdout.close()
        proc.stderr.close()


def test_same_seed_same_data():
    bodies = []
    for _ in range(2):
        with running_sandbox("--tickets", "50", "--seed", "11") as info:
            r = requests.get(
                info["url"] + "/api/v2/incremental/tickets",
                params={"start_time": 0},
                auth=(info["email"] + "/token", info["api_token"]),
                timeout=10,
            )
            bodies.append(r.text.replace(info["url"], "URL"))
    assert bodies[0] == bodies[1]


def test_tls(tmp_path):
    import shutil

    if not shutil.which("openssl"):
        pytest.skip("openssl not available")
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-keyout",
            str(key),
            "-out",
            str(cert),
            "-days",
            "1",
            "-subj",
            "/CN=127.0.0.1",
            "-addext",
            "subjectAltName=IP:127.0.0.1",
        ],
        check=True,
        capture_output=True,
    )
    with running_sandbox("--tickets", "10", "--tls-cert", str(cert), "--tls-key", str(key)) as info:
        assert info["url"].startswith("https://127.0.0.1:")
        r = requests.get(
            info["url"] + "/api/v2/users/me",
            auth=(info["email"] + "/token", info["api_token"]),
            verify=str(cert),
            timeout=10,
        )
        assert r.status_code == 200
