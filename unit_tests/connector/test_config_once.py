"""The config file is read once, parsed once and its secrets registered once per command, through the real
entrypoint function (run.py's `run`), and a config in an earlier shape is still handed back migrated."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Dict, List

import pytest
import requests_mock

import source_zendesk_support.config.model as config_module
import source_zendesk_support.input_files as input_files
import source_zendesk_support.run as run_module
import source_zendesk_support.source as source_module
from source_zendesk_support.config.model import (
    AUTH_TYPES,
    AccessTokenCredentials,
    ApiTokenCredentials,
    ClientCredentials,
    RefreshTokenCredentials,
    parse_config,
)
from source_zendesk_support.http.auth import BUILDERS, build_authenticator

from .support import make_config, ok, url


@pytest.fixture
def calls(monkeypatch) -> Dict[str, int]:
    counted: Dict[str, int] = {"read": 0, "parse": 0, "register": 0}

    def counting(name: str, function: Any) -> Any:
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            counted[name] += 1
            return function(*args, **kwargs)

        return wrapper

    read, parse, register = (
        input_files.read_config_file,
        config_module.parse_config,
        config_module.register_config_secrets,
    )
    for module in (run_module, source_module):
        monkeypatch.setattr(module, "read_config_file", counting("read", read))
        monkeypatch.setattr(module, "parse_config", counting("parse", parse))
    monkeypatch.setattr(config_module, "register_config_secrets", counting("register", register))
    return counted


def _config_file(tmp_path, config: Dict[str, Any]) -> str:
    path = tmp_path / "config.json"
    path.write_text(json.dumps(config))
    return str(path)


def _answer_everything(mock: requests_mock.Mocker) -> None:
    mock.get(requests_mock.ANY, **ok({}))  # registered first: requests-mock tries the latest registration first
    mock.get(url("users/me"), **ok({"user": {"id": 1, "role": "admin"}}))
    mock.get(
        url("groups"),
        **ok({"groups": [{"id": 1, "name": "one", "updated_at": "2024-02-01T00:00:00Z"}], "meta": {"has_more": False}}),
    )
    mock.get(url("custom_objects"), **ok({"custom_objects": []}))


@pytest.mark.parametrize("command", ["check", "discover"])
def test_check_and_discover_read_parse_and_register_the_config_once(command, calls, tmp_path, capsys):
    path = _config_file(tmp_path, make_config())
    with requests_mock.Mocker() as mock:
        _answer_everything(mock)
        assert run_module.run([command, "--config", path]) == 0
    assert calls == {"read": 1, "parse": 1, "register": 1}


def test_read_reads_parses_and_registers_the_config_once(calls, tmp_path, capsys):
    path = _config_file(tmp_path, make_config())
    catalog = tmp_path / "catalog.json"
    catalog.write_text(
        json.dumps(
            {
                "streams": [
                    {
                        "stream": {"name": "groups", "json_schema": {}, "supported_sync_modes": ["full_refresh"]},
                        "sync_mode": "full_refresh",
                        "destination_sync_mode": "overwrite",
                    }
                ]
            }
        )
    )
    with requests_mock.Mocker() as mock:
        _answer_everything(mock)
        assert run_module.run(["read", "--config", path, "--catalog", str(catalog)]) == 0
    out = capsys.readouterr().out
    assert '"type":"RECORD"' in out.replace(" ", "")
    assert calls == {"read": 1, "parse": 1, "register": 1}


def test_a_config_in_an_earlier_shape_is_parsed_once_and_handed_back_migrated(calls, tmp_path, capsys):
    legacy = make_config()
    legacy["credentials"] = {"credentials": "api_token", "email": "admin@acme.example", "api_token": "zd-token-123456"}
    path = _config_file(tmp_path, legacy)
    with requests_mock.Mocker() as mock:
        _answer_everything(mock)
        assert run_module.run(["check", "--config", path]) == 0
    controls = [json.loads(line) for line in capsys.readouterr().out.splitlines() if '"CONTROL"' in line]
    assert len(controls) == 1
    assert controls[0]["control"]["connectorConfig"]["config"]["credentials"]["auth_type"] == "api_token"
    assert calls["parse"] == 1 and calls["read"] == 1


def test_each_auth_type_is_one_credentials_class_with_one_builder():
    kinds = {ApiTokenCredentials, AccessTokenCredentials, ClientCredentials, RefreshTokenCredentials}
    assert set(BUILDERS) == kinds and len(AUTH_TYPES) == len(kinds)
    samples: List[Dict[str, Any]] = [
        {"auth_type": "api_token", "email": "a@b.example", "api_token": "t0k3n-123456"},
        {"auth_type": "oauth2_access_token", "access_token": "access-123456"},
        {"auth_type": "oauth2_client_credentials", "client_id": "client-1", "client_secret": "secret-123456"},
        {
            "auth_type": "oauth2_refresh",
            "client_id": "client-1",
            "client_secret": "secret-123456",
            "refresh_token": "refresh-123456",
        },
    ]
    built = set()
    for credentials in samples:
        parsed = parse_config(make_config(credentials=credentials))
        assert type(parsed.credentials).__name__ in {kind.__name__ for kind in kinds}
        built.add(type(build_authenticator(parsed)).__name__)
    assert len(built) == 4


def test_a_missing_credential_field_is_named_from_its_class():
    from airbyte_cdk.utils.traced_exception import AirbyteTracedException

    with pytest.raises(AirbyteTracedException) as raised:
        parse_config(make_config(credentials={"auth_type": "oauth2_refresh", "client_id": "c", "client_secret": "s"}))
    assert raised.value.message == "'credentials.refresh_token' is required for auth_type 'oauth2_refresh'."


def test_the_spec_offers_exactly_the_auth_types_the_config_parses():
    """spec.json's credentials choices and the credentials classes change together (a new auth type is both)."""
    spec = json.loads((Path(run_module.__file__).parent / "spec.json").read_text())
    choices = spec["connectionSpecification"]["properties"]["credentials"]["oneOf"]
    assert sorted(choice["properties"]["auth_type"]["const"] for choice in choices) == sorted(AUTH_TYPES)
