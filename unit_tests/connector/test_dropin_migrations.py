"""Configs and states saved by Airbyte's Zendesk Support connector: the spec accepts them as saved, the config
migration rewrites them once, and the state migration turns each format into this connector's."""

from __future__ import annotations

import json
from importlib import resources

import pytest
from airbyte_cdk.models import FailureType
from airbyte_cdk.utils.traced_exception import AirbyteTracedException
from jsonschema import Draft7Validator

from source_zendesk_support.config.model import parse_config
from source_zendesk_support.config.migration import migrate_config, needs_migration
from source_zendesk_support.registry.table import ALL_STREAMS
from source_zendesk_support.state.migration import migrate_stream_state, normalize_state_messages

from .support import make_config, make_stream, ok, param, read_streams, records_of, run_stream, url, warnings_of

SPECS = {spec.name: spec for spec in ALL_STREAMS}
SPEC = json.loads(resources.files("source_zendesk_support").joinpath("spec.json").read_text())

AIRBYTE_CONFIGS = {
    "api_token": {
        "subdomain": "acme",
        "start_date": "2023-01-01T00:00:00Z",
        "num_workers": 3,
        "credentials": {"credentials": "api_token", "email": "a@acme.example", "api_token": "T" * 40},
    },
    "oauth2.0": {
        "subdomain": "acme",
        "start_date": "2023-01-01T00:00:00Z",
        "credentials": {
            "credentials": "oauth2.0",
            "access_token": "A" * 64,
            "client_id": "cid",
            "client_secret": "S" * 40,
        },
    },
    "oauth2.0 token only": {"subdomain": "acme", "credentials": {"credentials": "oauth2.0", "access_token": "A" * 64}},
    "oauth2_refresh": {
        "subdomain": "acme.zendesk.com",
        "num_workers": 40,
        "ignore_pagination": True,
        "credentials": {
            "credentials": "oauth2_refresh",
            "client_id": "cid",
            "client_secret": "S" * 40,
            "refresh_token": "R" * 40,
            "access_token": "A" * 64,
            "token_expiry_date": "2026-12-01T00:00:00Z",
        },
    },
}


@pytest.mark.parametrize("name", AIRBYTE_CONFIGS)
def test_the_spec_accepts_airbytes_configs_as_saved_and_as_migrated(name):
    validator = Draft7Validator(SPEC["connectionSpecification"])
    config = AIRBYTE_CONFIGS[name]
    assert not list(validator.iter_errors(config)), name
    assert not list(validator.iter_errors(migrate_config(config))), name


@pytest.mark.parametrize(
    "name,auth_type,refreshes",
    [
        ("api_token", "api_token", False),
        ("oauth2.0", "oauth2_access_token", True),  # its client gets a new token when Zendesk refuses the old one
        ("oauth2.0 token only", "oauth2_access_token", False),
        ("oauth2_refresh", "oauth2_refresh", True),
    ],
)
def test_airbyte_credentials_mean_the_same_here(name, auth_type, refreshes):
    parsed = parse_config(AIRBYTE_CONFIGS[name])
    assert parsed.auth_type == auth_type and parsed.can_refresh_token == refreshes
    assert parsed.subdomain == "acme"


def test_migration_keeps_airbytes_keys_beside_ours_and_is_idempotent():
    config = AIRBYTE_CONFIGS["oauth2_refresh"]
    migrated = migrate_config(config)
    assert migrated["credentials"] == {**config["credentials"], "auth_type": "oauth2_refresh"}
    assert migrated["subdomain"] == "acme"
    assert needs_migration(config) and not needs_migration(migrated)
    assert config["subdomain"] == "acme.zendesk.com"  # the input is not modified


AIRBYTE_0X_CONFIG = {
    "subdomain": "acme",
    "start_date": "2021-01-01T00:00:00Z",
    "auth_method": {"auth_method": "api_token", "email": "a@acme.example", "api_token": "T" * 40},
}


def test_airbytes_0x_auth_method_becomes_credentials_holding_the_token_once():
    migrated = migrate_config(AIRBYTE_0X_CONFIG)
    assert migrated["credentials"] == {
        "credentials": "api_token",
        "auth_type": "api_token",
        "email": "a@acme.example",
        "api_token": "T" * 40,
    }
    assert "auth_method" not in migrated and not needs_migration(migrated)
    assert not list(Draft7Validator(SPEC["connectionSpecification"]).iter_errors(migrated))
    parsed = parse_config(AIRBYTE_0X_CONFIG)
    assert parsed.auth_type == "api_token" and parsed.subdomain == "acme"


def test_an_auth_method_beside_credentials_or_of_an_unknown_kind_is_left_for_validation():
    beside = {**AIRBYTE_CONFIGS["api_token"], "auth_method": {"auth_method": "api_token", "api_token": "X" * 40}}
    assert migrate_config(beside)["credentials"]["api_token"] == "T" * 40
    unknown = {"subdomain": "acme", "auth_method": {"auth_method": "password", "email": "e", "password": "p" * 8}}
    assert "credentials" not in migrate_config(unknown)
    with pytest.raises(Exception, match="credentials"):
        parse_config(unknown)


@pytest.mark.parametrize("exclude_deleted,mode", [(True, "exclude"), (False, "mark")])
def test_exclude_deleted_becomes_deleted_records_with_the_same_behaviour(exclude_deleted, mode):
    migrated = migrate_config(make_config(exclude_deleted=exclude_deleted))
    assert migrated["deleted_records"] == mode and "exclude_deleted" not in migrated


@pytest.mark.parametrize("subdomain", ["https://acme.zendesk.com/", "acme.zendesk.com", "ACME.zendesk.com"])
def test_full_hosts_reduce_to_the_subdomain(subdomain):
    assert parse_config(make_config(subdomain=subdomain)).subdomain.lower() == "acme"


def test_a_token_expiry_that_is_not_a_date_names_the_field_without_the_secret():
    credentials = {**AIRBYTE_CONFIGS["oauth2_refresh"]["credentials"], "token_expiry_date": "garbage"}
    with pytest.raises(AirbyteTracedException) as raised:
        parse_config({**AIRBYTE_CONFIGS["oauth2_refresh"], "credentials": credentials})
    assert raised.value.failure_type == FailureType.config_error
    assert "'credentials.token_expiry_date'" in raised.value.message and "R" * 40 not in raised.value.message


def test_the_typed_config_never_shows_a_secret():
    parsed = parse_config(AIRBYTE_CONFIGS["oauth2_refresh"])
    assert "S" * 40 not in repr(parsed) and "R" * 40 not in repr(parsed) and "A" * 64 not in repr(parsed)


# --- state ------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "stream,airbyte,ours",
    [
        ("ticket_metrics", {"_ab_updated_at": 1704067200}, {"generated_timestamp": 1704067200}),
        ("ticket_metrics", {"_ab_updated_at": "1704067200"}, {"generated_timestamp": 1704067200}),
        ("ticket_comments", {"created_at": "2024-01-01T00:00:00Z"}, {"timestamp": 1704067200}),
        ("ticket_skips", {"updated_at": "2024-01-01T00:00:00Z"}, {"created_at": "2024-01-01T00:00:00Z"}),
        ("tickets", {"generated_timestamp": 1704067200}, {"generated_timestamp": 1704067200}),
        ("users", {"updated_at": 1704067200}, {"updated_at": "2024-01-01T00:00:00Z"}),
        ("users", {"updated_at": "2024-01-01T00:00:00.000000Z"}, {"updated_at": "2024-01-01T00:00:00Z"}),
        (
            "tickets",
            {"after_cursor": "abc", "generated_timestamp": 5},
            {"after_cursor": "abc", "generated_timestamp": 5},
        ),
    ],
)
def test_stream_states(stream, airbyte, ours):
    assert migrate_stream_state(SPECS[stream], airbyte) == ours


def test_per_partition_state_of_a_per_parent_stream():
    state = {
        "use_global_cursor": False,
        "states": [
            {"partition": {"article_id": 1, "parent_slice": {}}, "cursor": {"updated_at": "2024-03-01T00:00:00Z"}},
            {"partition": {"article_id": 2, "parent_slice": {}}, "cursor": {"updated_at": "2024-02-01T00:00:00Z"}},
        ],
        "state": {"updated_at": "2024-03-01T00:00:00Z"},
        "lookback_window": 0,
        "parent_state": {"articles": {"updated_at": "2024-03-05T00:00:00Z"}},
    }
    # The earliest partition cursor: no article's comments newer than it are skipped.
    assert migrate_stream_state(SPECS["article_comments"], state) == {
        "updated_at": "2024-02-01T00:00:00Z",
        "parent_start": 1709596800,
    }


def test_votes_on_comments_find_the_articles_position_nested_in_the_comments_state():
    state = {
        "state": {"updated_at": "2024-03-01T00:00:00Z"},
        "parent_state": {
            "article_comments": {
                "state": {"updated_at": "2024-01-01T00:00:00Z"},
                "parent_state": {"articles": {"updated_at": 1709596800}},
            }
        },
    }
    assert migrate_stream_state(SPECS["article_comment_votes"], state) == {
        "updated_at": "2024-03-01T00:00:00Z",
        "parent_start": 1709596800,
    }


@pytest.mark.parametrize("value", [1e20, float("nan"), float("inf"), {"a": 1}, [1], "garbage", -5, True])
def test_a_cursor_that_is_not_a_time_is_a_config_error_naming_stream_and_field(value):
    with pytest.raises(AirbyteTracedException) as raised:
        migrate_stream_state(SPECS["tickets"], {"generated_timestamp": value})
    assert raised.value.failure_type == FailureType.config_error
    assert "'tickets'" in raised.value.message and "generated_timestamp" in raised.value.message


def test_an_unrecognised_state_falls_back_to_a_full_read_with_a_warning(caplog):
    assert migrate_stream_state(SPECS["tickets"], {"last_sync": 5}) == {}
    assert any(
        "tickets" in record.message and "re-read" in record.message and "last_sync" in record.message
        for record in caplog.records
    )


@pytest.mark.parametrize(
    "state",
    [
        {"tickets": {"generated_timestamp": 5}},
        [{"type": "LEGACY", "data": {"tickets": {"generated_timestamp": 5}}}],
        [
            {
                "type": "GLOBAL",
                "global": {
                    "shared_state": {},
                    "stream_states": [
                        {"stream_descriptor": {"name": "tickets"}, "stream_state": {"generated_timestamp": 5}}
                    ],
                },
            }
        ],
        [
            {
                "type": "STREAM",
                "stream": {"stream_descriptor": {"name": "tickets"}, "stream_state": {"generated_timestamp": 5}},
            }
        ],
    ],
)
def test_every_state_file_shape_becomes_stream_messages(state):
    (message,) = normalize_state_messages(state)
    assert message.stream.stream_descriptor.name == "tickets"
    assert message.stream.stream_state.__dict__ == {"generated_timestamp": 5}


@pytest.mark.parametrize(
    "state,named",
    [
        ("text", "must be a JSON list"),
        ([1], "entry 0"),
        ([{"type": "STREAM", "stream": {"stream_state": {}}}], "entry 0"),
        ({"tickets": [1]}, "'tickets'"),
    ],
)
def test_a_malformed_state_file_is_a_config_error(state, named):
    with pytest.raises(AirbyteTracedException) as raised:
        normalize_state_messages(state, where="The state file s.json")
    assert raised.value.failure_type == FailureType.config_error
    assert named in raised.value.message and "s.json" in raised.value.message


# --- through the source: unknown streams, and states of streams not synced ----------------------------------
def test_an_unknown_stream_in_the_catalog_is_named_with_the_stream_it_probably_meant(api):
    api.get(url("groups"), [ok({"groups": [], "meta": {"has_more": False}, "links": {}})])
    output = read_streams(["Tickets", "groups"], expect_failure=True)
    warnings = [line for line in warnings_of(output) if "'Tickets'" in line]
    assert warnings and "did you mean 'tickets'" in warnings[0]


def test_a_bad_state_of_a_stream_not_synced_does_not_fail_the_sync(api):
    api.get(
        url("groups"),
        [ok({"groups": [{"id": 1, "updated_at": "2024-02-01T00:00:00Z"}], "meta": {"has_more": False}, "links": {}})],
    )
    output = read_streams(["groups"], state={"tickets": {"generated_timestamp": "garbage"}})
    assert not output.errors and [r["id"] for r in records_of(output, "groups")] == [1]


def test_advanced_auth_fills_fields_of_the_refresh_token_variant():
    advanced = SPEC["advanced_auth"]
    assert advanced["auth_flow_type"] == "oauth2.0" and advanced["predicate_key"] == ["credentials", "auth_type"]
    (variant,) = [
        v
        for v in SPEC["connectionSpecification"]["properties"]["credentials"]["oneOf"]
        if v["properties"]["auth_type"]["const"] == advanced["predicate_value"]
    ]
    oauth = advanced["oauth_config_specification"]
    paths = [
        field["path_in_connector_config"]
        for section in ("complete_oauth_output_specification", "complete_oauth_server_output_specification")
        for field in oauth[section]["properties"].values()
    ]
    assert all(path[0] == "credentials" and path[1] in variant["properties"] for path in paths)
    assert set(variant["required"]) <= {path[1] for path in paths}
    assert oauth["oauth_user_input_from_connector_config_specification"]["properties"]["subdomain"][
        "path_in_connector_config"
    ] == ["subdomain"]


@pytest.mark.parametrize("page_size,asked", [(None, "100"), (25, "25")])
def test_page_size_is_asked_of_cursor_and_offset_lists(api, page_size, asked):
    api.get(url("groups"), [ok({"groups": [], "meta": {"has_more": False}, "links": {}})])
    api.get(url("custom_roles"), [ok({"custom_roles": [], "next_page": None, "count": 0})])
    config = make_config(page_size=page_size)
    for name in ("groups", "custom_roles"):
        run_stream(make_stream(name, config=config))
    assert param(api.request_history[0], "page[size]") == asked
    assert param(api.request_history[1], "per_page") == asked


def test_ignore_pagination_is_accepted_and_says_it_reads_every_page(api):
    api.get(
        url("groups"),
        [ok({"groups": [{"id": 1, "updated_at": "2024-02-01T00:00:00Z"}], "meta": {"has_more": False}, "links": {}})],
    )
    output = read_streams(["groups"], config=make_config(ignore_pagination=True))
    assert not output.errors and [r["id"] for r in records_of(output, "groups")] == [1]
    assert any("ignore_pagination" in line and "every page" in line for line in warnings_of(output))
