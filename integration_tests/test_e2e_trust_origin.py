"""Issue 13, credentials and origins, through main.py against the sandbox: a link or redirect to another origin
never carries the account's credentials there, a Zendesk API link on another host is re-based onto the configured
origin, and the token endpoint follows no redirect."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import running_sandbox
from trust_harness import (
    Sandbox,
    catalog_for,
    hostile_sandbox,
    leaks,
    names_stream,
    no_traceback,
    other_origin,
    run_bounded,
    secrets_of,
)

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(180)]

SANDBOX_ARGS = ("--seed", "13", "--tickets", "300", "--rate-limit", "0", "--export-rate-limit", "0")


@pytest.fixture(scope="module")
def hostile():
    with hostile_sandbox(*SANDBOX_ARGS) as sandbox:
        yield sandbox


def _read(sandbox: Sandbox, names, spec: str, config=None, deadline: float = 60.0):
    sandbox.faults(spec)
    config = config or sandbox.config
    return run_bounded("read", config, catalog_for(sandbox.streams, names), deadline=deadline)


def _complete_with_a_warning(run, stream: str, expected: int, key: str = "id") -> None:
    assert run.stopped is None and run.returncode == 0, run.describe()
    assert len({record[key] for record in run.records[stream]}) == expected, run.describe()
    assert any(stream in line for line in run.logs("WARN")), run.describe()


# (stream, fault glob, the summary's resource and endpoint). Each family hands out its own kind of link.
FOLLOWED_LINKS = {
    "offset next_page": ("targets", "/api/v2/targets*", "targets", "/api/v2/targets"),
    "cursor links.next": ("ticket_audits", "/api/v2/ticket_audits*", "ticket_audits", "/api/v2/ticket_audits"),
}
# The export families build each next request from end_time / after_cursor, never from the body's link: a link
# to another origin there must stay unused.
EXPORT_LINKS = {
    "time export next_page": (
        "organizations",
        "/api/v2/incremental/organizations*",
        "organizations",
        "/api/v2/incremental/organizations",
    ),
    "cursor export after_url": (
        "tickets",
        "/api/v2/incremental/tickets/cursor*",
        "tickets",
        "/api/v2/incremental/tickets/cursor",
    ),
}


@pytest.mark.parametrize("case", list(FOLLOWED_LINKS))
def test_a_link_to_another_port_is_re_based_and_no_credentials_reach_it(hostile, case):
    stream, glob, resource, endpoint = FOLLOWED_LINKS[case]
    with other_origin() as elsewhere:
        run = _read(hostile, [stream], f"foreign-link:{glob}:port={elsewhere.port}:count=1")
        assert not elsewhere.with_credentials(secrets_of(hostile.config)), elsewhere.seen
        assert not elsewhere.seen, "a request went to the other origin"
    _complete_with_a_warning(run, stream, hostile.expected(resource, endpoint))


def test_a_child_link_to_another_port_carries_no_credentials_there(hostile):
    """A per-parent child list (side conversations of each ticket) claims one more page on another port. Re-based,
    it may be a page the stream has just read: completing or failing by name are both honest outcomes."""
    with other_origin() as elsewhere:
        run = _read(
            hostile,
            ["side_conversations"],
            f"foreign-link:/api/v2/tickets/*/side_conversations*:port={elsewhere.port}:count=1",
        )
        assert not elsewhere.seen, elsewhere.seen
    assert run.stopped is None and no_traceback(run), run.describe()
    expected = hostile.expected("side_conversations", "/api/v2/tickets/{ticket_id}/side_conversations")
    complete = len({record["id"] for record in run.records["side_conversations"]}) == expected
    assert complete or names_stream(run, "side_conversations"), run.describe()


@pytest.mark.parametrize("case", list(EXPORT_LINKS))
def test_an_export_link_to_another_port_is_never_followed(hostile, case):
    stream, glob, resource, endpoint = EXPORT_LINKS[case]
    with other_origin() as elsewhere:
        run = _read(hostile, [stream], f"foreign-link:{glob}:port={elsewhere.port}:count=1")
        assert not elsewhere.seen, elsewhere.seen
    assert run.stopped is None and run.returncode == 0, run.describe()
    assert len({record["id"] for record in run.records[stream]}) == hostile.expected(resource, endpoint)


def test_a_brand_host_mapped_link_is_re_based_onto_the_configured_host(hostile):
    """Zendesk hands out links on a brand's own domain: here another loopback host on the sandbox's port."""
    port = int(hostile.url.rsplit(":", 1)[1])
    with other_origin("127.0.0.2", port) as brand_host:
        run = _read(hostile, ["ticket_audits"], "foreign-link:/api/v2/ticket_audits*:host=127.0.0.2:count=2")
        assert not brand_host.seen, brand_host.seen
    _complete_with_a_warning(run, "ticket_audits", hostile.expected("ticket_audits", "/api/v2/ticket_audits"))


def test_a_link_off_the_api_on_another_origin_carries_no_credentials_there(hostile):
    """Not a Zendesk API path: nothing to re-base. Whatever the connector does, the other origin sees no secret."""
    with other_origin() as elsewhere:
        run = _read(
            hostile,
            ["ticket_audits"],
            f"foreign-link:/api/v2/ticket_audits*:port={elsewhere.port}:link_path=/collect:count=1",
        )
        assert not elsewhere.with_credentials(secrets_of(hostile.config)), elsewhere.seen
    assert run.stopped is None, run.describe()


def test_a_link_off_the_api_on_another_origin_is_refused_by_name(hostile):
    with other_origin() as elsewhere:
        run = _read(
            hostile,
            ["ticket_audits"],
            f"foreign-link:/api/v2/ticket_audits*:port={elsewhere.port}:link_path=/collect:count=1",
        )
        assert not elsewhere.seen, elsewhere.seen
    assert run.stopped is None and names_stream(run, "ticket_audits"), run.describe()
    assert no_traceback(run), run.describe()


def test_an_api_redirect_to_another_origin_is_refused_with_a_clear_error(hostile):
    with other_origin() as elsewhere:
        run = _read(hostile, ["groups"], f"redirect:/api/v2/groups*:port={elsewhere.port}")
        assert not elsewhere.with_credentials(secrets_of(hostile.config)), elsewhere.seen
        assert not elsewhere.seen, elsewhere.seen
    assert run.stopped is None and names_stream(run, "groups"), run.describe()
    assert any("redirect" in message.lower() for message in run.error_messages()), run.describe()


def _oauth_config(hostile: Sandbox) -> dict:
    oauth = hostile.info["oauth"]
    return {
        **hostile.config,
        "credentials": {
            "auth_type": "oauth2_refresh",
            "client_id": oauth["client_id"],
            "client_secret": oauth["client_secret"],
            "refresh_token": oauth["refresh_token"],
        },
    }


def test_token_refresh_does_not_follow_a_307_to_another_host(hostile):
    config = _oauth_config(hostile)
    with other_origin() as elsewhere:
        hostile.faults(f"redirect:/oauth/tokens*:status=307:port={elsewhere.port}")
        run = run_bounded("check", config, deadline=60)
        assert not elsewhere.with_credentials(secrets_of(config)), [r["body"][:80] for r in elsewhere.seen]
        assert not elsewhere.seen, elsewhere.seen
    status = run.of_type("CONNECTION_STATUS")
    assert status and status[0]["connectionStatus"]["status"] == "FAILED", run.describe()
    assert "redirect" in status[0]["connectionStatus"]["message"].lower(), run.describe()
    assert not leaks(run, secrets_of(config)), leaks(run, secrets_of(config))


def test_token_refresh_refuses_a_302_instead_of_carrying_on_without_a_token(hostile):
    config = _oauth_config(hostile)
    hostile.faults("redirect:/oauth/tokens*:status=302:method=POST")
    hostile.reset_stats()
    run = run_bounded("read", config, catalog_for(hostile.streams, ["groups"]), deadline=60)
    stats = hostile.stats()
    assert stats.get("/oauth/tokens") == {"302": 1}, stats  # one POST, no GET that followed it
    assert not any(path.startswith("/api/") for path in stats), stats  # no request went out without a token
    assert run.stopped is None and run.returncode != 0, run.describe()
    assert any("redirect" in message.lower() for message in run.error_messages()), run.describe()


def _self_signed(tmp: Path) -> tuple[str, str]:
    cert, key = tmp / "cert.pem", tmp / "key.pem"
    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "1",
            "-keyout",
            str(key),
            "-out",
            str(cert),
            "-subj",
            "/CN=127.0.0.1",
            "-addext",
            "subjectAltName=IP:127.0.0.1",
        ],
        check=True,
        capture_output=True,
        timeout=60,
    )
    return str(cert), str(key)


@pytest.mark.skipif(shutil.which("openssl") is None, reason="openssl is needed for the TLS sandbox")
def test_an_https_to_http_downgrade_is_not_followed(tmp_path):
    cert, key = _self_signed(tmp_path)
    with running_sandbox(*SANDBOX_ARGS, "--tls-cert", cert, "--tls-key", key) as info:
        tls = Sandbox(info, verify=cert)
        config = tls.config
        assert config["base_url"].startswith("https://")
        env = {"REQUESTS_CA_BUNDLE": cert, "SSL_CERT_FILE": cert}
        with other_origin() as plain:
            tls.faults(f"foreign-link:/api/v2/ticket_audits*:scheme=http:port={plain.port}:count=1")
            streams = [
                {
                    "name": "ticket_audits",
                    "json_schema": {},
                    "supported_sync_modes": ["full_refresh"],
                    "source_defined_primary_key": [["id"]],
                }
            ]
            run = run_bounded("read", config, catalog_for(streams, ["ticket_audits"]), deadline=60, env=env)
            assert not plain.with_credentials(secrets_of(config)), plain.seen
            assert not plain.seen, plain.seen
        _complete_with_a_warning(run, "ticket_audits", tls.expected("ticket_audits", "/api/v2/ticket_audits"))
