"""Secrets never reach the output: records, logs, traces, errors, or anything printed to stdout."""

from __future__ import annotations

import base64

import orjson
from airbyte_cdk.models import AirbyteMessageSerializer, Type
from airbyte_cdk.test.entrypoint_wrapper import _run_command, make_file

from source_zendesk_support.source import SourceZendeskSupport

from .support import API_TOKEN, BASE, EMAIL, make_config, ok, raw, read_streams, url

BASIC = base64.b64encode(f"{EMAIL}/token:{API_TOKEN}".encode()).decode()


def everything(output, captured: str) -> str:
    """Every emitted message exactly as it would be written out, plus whatever was printed directly."""
    return "\n".join(
        [orjson.dumps(AirbyteMessageSerializer.dump(m)).decode() for m in output.get_message_iterator()] + [captured]
    )


def test_api_token_never_appears_in_any_message(api, capfd):
    api.get(
        url("groups"), [ok({"groups": [{"id": 1, "updated_at": "2024-01-02T00:00:00Z"}], "meta": {"has_more": False}})]
    )
    api.get(url("ticket_fields"), [raw("server exploded", 500)] * 20)  # exhausts retries: errors with request details
    api.get(
        url("macros"), [raw("I'm a teapot", 418, {"Content-Type": "text/plain"})]
    )  # logged with the request and headers
    output = read_streams(["groups", "ticket_fields", "macros"], expect_failure=True)
    assert output.errors, "the failures above must have produced error messages to scan"
    text = everything(output, capfd.readouterr().out + capfd.readouterr().err)
    assert "teapot" in text and "Exhausted available request attempts" in text  # the scan covers the failures' details
    assert API_TOKEN not in text and BASIC not in text
    assert records_seen(output) == 1


def test_api_token_never_appears_when_it_is_refused(api, capfd):
    api.get(url("incremental/tickets/cursor"), [ok({"error": "Couldn't authenticate you"}, status=401)])
    output = read_streams(["tickets"], expect_failure=True)
    text = everything(output, capfd.readouterr().out)
    assert "refused the credentials" in text
    assert API_TOKEN not in text and BASIC not in text


def records_seen(output) -> int:
    return len(output.records)


def test_oauth_secrets_travel_only_in_the_control_message(api, capfd):
    api.post(
        f"{BASE}/oauth/tokens",
        [ok({"access_token": "ACCESS-distinct-77", "refresh_token": "REFRESH-distinct-88", "expires_in": 1800})],
    )
    api.get(url("groups"), [raw("boom", 418, {"Content-Type": "text/plain"})])
    config = make_config(
        credentials={
            "auth_type": "oauth2_refresh",
            "client_id": "CLIENT-ID-distinct-11",
            "client_secret": "CLIENT-SECRET-distinct-22",
            "refresh_token": "REFRESH-distinct-00",
        }
    )
    output = read_streams(["groups"], config=config, expect_failure=True)
    captured = capfd.readouterr().out
    control_lines = [line for line in captured.splitlines() if '"type":"CONTROL"' in line.replace(" ", "")]
    assert control_lines, "the rotated refresh token must be handed to the platform"
    rest = everything(output, "\n".join(line for line in captured.splitlines() if line not in control_lines))
    for secret in ("CLIENT-SECRET-distinct-22", "REFRESH-distinct-00", "REFRESH-distinct-88", "ACCESS-distinct-77"):
        assert secret not in rest, secret


def test_check_and_discover_do_not_print_the_token(api, capfd, tmp_path):
    api.get(url("users/me.json"), [ok({"error": "Couldn't authenticate you"}, status=401)])
    config_file = make_file(tmp_path / "config.json", make_config())
    outputs = [
        _run_command(SourceZendeskSupport(), [command, "--config", config_file, "--debug"])
        for command in ("check", "discover")
    ]
    text = "\n".join(everything(output, "") for output in outputs) + capfd.readouterr().out
    assert API_TOKEN not in text and BASIC not in text
    assert any(m.type == Type.CATALOG for m in outputs[1].get_message_iterator())


def test_debug_read_does_not_print_the_token(api, capfd):
    api.get(url("groups"), [raw("", 503), ok({"groups": [], "meta": {"has_more": False}})])
    from airbyte_cdk.test.catalog_builder import CatalogBuilder
    from airbyte_cdk.models import SyncMode
    from airbyte_cdk.test.entrypoint_wrapper import read

    config = make_config()
    output = read(
        SourceZendeskSupport(config=config),
        config,
        CatalogBuilder().with_stream("groups", SyncMode.full_refresh).build(),
        debug=True,
    )
    text = everything(output, capfd.readouterr().out)
    assert API_TOKEN not in text and BASIC not in text


SECRET_NAMES = {"client_secret", "refresh_token", "access_token", "api_token", "password", "client_id"}


def _properties(node, path=""):
    if isinstance(node, dict):
        for name, value in (node.get("properties") or {}).items():
            yield f"{path}.{name}", name, value
            yield from _properties(value, f"{path}.{name}")
        for key in ("oneOf", "anyOf", "allOf"):
            for position, branch in enumerate(node.get(key) or []):
                yield from _properties(branch, f"{path}[{position}]")
        if isinstance(node.get("items"), dict):
            yield from _properties(node["items"], f"{path}[]")


def test_every_credential_in_the_spec_is_an_airbyte_secret():
    spec = SourceZendeskSupport().spec(None).connectionSpecification
    found = [(path, value) for path, name, value in _properties(spec) if name in SECRET_NAMES]
    assert found, "the spec must declare the credentials"
    for path, value in found:
        assert value.get("airbyte_secret") is True, f"{path} is not marked airbyte_secret"


def test_debug_logs_written_straight_to_stdout_do_not_carry_the_credentials(api, capfd, tmp_path):
    """With --debug the CDK logs every request's headers through the logger's own stdout handler (capfd cannot
    see it; capfd can). The Basic header is the token in base64, so it must be masked like the token itself."""
    api.get(url("ticket_fields"), [ok({"ticket_fields": [], "meta": {"has_more": False}})])
    api.get(url("user_fields"), [ok({"user_fields": [], "meta": {"has_more": False}})])
    api.get(url("organization_fields"), [ok({"organization_fields": [], "meta": {"has_more": False}})])
    api.get(url("groups"), [ok({"groups": [], "meta": {"has_more": False}})])
    config_file = make_file(tmp_path / "config.json", make_config())
    _run_command(SourceZendeskSupport(), ["discover", "--config", config_file, "--debug"])
    captured = capfd.readouterr()
    text = captured.out + captured.err
    assert "Making outbound API request" in text, (
        "the debug request log must have been produced for this test to mean anything"
    )
    assert API_TOKEN not in text and BASIC not in text


def test_debug_logs_do_not_carry_a_static_oauth_access_token(api, capfd, tmp_path):
    api.get(url("ticket_fields"), [ok({"ticket_fields": [], "meta": {"has_more": False}})])
    api.get(url("user_fields"), [ok({"user_fields": [], "meta": {"has_more": False}})])
    api.get(url("organization_fields"), [ok({"organization_fields": [], "meta": {"has_more": False}})])
    config = make_config(credentials={"auth_type": "oauth2_access_token", "access_token": "STATIC-ACCESS-distinct-55"})
    _run_command(
        SourceZendeskSupport(), ["discover", "--config", make_file(tmp_path / "config.json", config), "--debug"]
    )
    captured = capfd.readouterr()
    assert "Making outbound API request" in captured.out + captured.err
    assert "STATIC-ACCESS-distinct-55" not in captured.out + captured.err


def test_debug_read_with_oauth_refresh_keeps_every_token_out_of_the_logs(api, capfd):
    from airbyte_cdk.models import SyncMode
    from airbyte_cdk.test.catalog_builder import CatalogBuilder
    from airbyte_cdk.test.entrypoint_wrapper import read

    api.post(
        f"{BASE}/oauth/tokens",
        [ok({"access_token": "ACCESS-dbg-31", "refresh_token": "REFRESH-dbg-32", "expires_in": 1800})],
    )
    api.get(url("groups"), [raw("", 503), ok({"groups": [], "meta": {"has_more": False}})])
    config = make_config(
        credentials={
            "auth_type": "oauth2_refresh",
            "client_id": "CLIENT-ID-dbg-33",
            "client_secret": "CLIENT-SECRET-dbg-34",
            "refresh_token": "REFRESH-dbg-30",
        }
    )
    output = read(
        SourceZendeskSupport(config=config),
        config,
        CatalogBuilder().with_stream("groups", SyncMode.full_refresh).build(),
        debug=True,
    )
    captured = capfd.readouterr()
    lines = (captured.out + captured.err).splitlines()
    assert any("Making outbound API request" in line for line in lines)
    outside_control = "\n".join(line for line in lines if '"type":"CONTROL"' not in line.replace(" ", ""))
    rest = everything(output, outside_control)
    for secret in ("ACCESS-dbg-31", "REFRESH-dbg-32", "REFRESH-dbg-30", "CLIENT-SECRET-dbg-34"):
        assert secret not in rest, secret


def test_the_cdk_filter_gets_only_secrets_long_enough_and_keeps_them_after_the_entrypoint_sets_it_up():
    """One registration (parse_config's): one-letter values would make the CDK mask every such letter of its
    messages, and the CDK's own set-up would replace the list, dropping what was registered before."""
    from airbyte_cdk.utils.airbyte_secrets_utils import filter_secrets

    from source_zendesk_support.config.model import parse_config
    from source_zendesk_support.run import ZendeskEntrypoint

    config = make_config()
    config["credentials"] = {
        "auth_type": "oauth2_refresh",
        "client_id": "c",
        "client_secret": "s",
        "refresh_token": "refresh-token-kept-secret",
    }
    parse_config(config)
    ZendeskEntrypoint.set_up_secret_filter(config, SourceZendeskSupport().spec(None).connectionSpecification)
    text = "credentials.client_secret refresh-token-kept-secret"
    assert filter_secrets(text) == "credentials.client_secret ****"
