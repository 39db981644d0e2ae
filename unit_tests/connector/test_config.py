"""Config validation: every malformed config becomes a config_error naming the field, never a traceback."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from airbyte_cdk.models import FailureType, Status
from airbyte_cdk.test.entrypoint_wrapper import discover
from airbyte_cdk.utils.traced_exception import AirbyteTracedException

from source_zendesk_support.config.model import DEFAULT_NUM_WORKERS, parse_config
from source_zendesk_support.source import SourceZendeskSupport

from .support import API_TOKEN, EMAIL, make_config, read_streams


def config_error_of(config) -> str:
    with pytest.raises(AirbyteTracedException) as raised:
        parse_config(config)
    assert raised.value.failure_type == FailureType.config_error
    return raised.value.message


def test_valid_config_defaults():
    now = datetime(2026, 6, 1, 12, 0, tzinfo=timezone.utc)
    parsed = parse_config(make_config(start_date=None, num_workers=None, base_url=None), now=now)
    assert parsed.base_url == "https://acme.zendesk.com"
    assert parsed.api_url == "https://acme.zendesk.com/api/v2/"
    assert parsed.start == now - timedelta(days=730)  # Airbyte's default window: two years back
    assert parsed.deleted_records == "keep"
    assert parsed.list_page_size == 100
    assert parsed.end is None
    assert parsed.num_workers == DEFAULT_NUM_WORKERS
    assert parsed.auth_type == "api_token"


def test_full_host_as_subdomain_is_reduced_to_the_subdomain():
    assert parse_config(make_config(subdomain="acme.zendesk.com", base_url=None)).base_url == "https://acme.zendesk.com"


def test_non_mapping_config():
    assert "JSON object" in config_error_of(["not", "a", "mapping"])


@pytest.mark.parametrize(
    "subdomain",
    [
        None,
        "",
        42,
        "acme.example.com",
        "evil.com/x",
        "a_b",
        "-acme",
        "acme-",
        "acme@evil",
        "acme.zendesk.com.evil.net",
        "a" * 64,
        "acme/..",
        "acme?x=1",
        "acme#frag",
        " ",
    ],
)
def test_bad_subdomain(subdomain):
    assert "'subdomain'" in config_error_of(
        make_config(subdomain=subdomain) if subdomain is not None else make_config(subdomain=None)
    )


@pytest.mark.parametrize(
    "base_url",
    [
        "http://evil.example.com",  # neither loopback nor Zendesk
        "https://acme.zendesk.com.evil.net",  # looks like Zendesk, is not
        "http://acme.zendesk.com",  # Zendesk only over https
        "https://a.b.zendesk.com",  # not a single subdomain label
        "http://127.0.0.1.evil.net",
        "http://localhost.evil.net",
        "http://0.0.0.0:8080",
        "http://10.0.0.1",
        "http://user:pw@127.0.0.1:8080",  # credentials in the URL
        "ftp://127.0.0.1",
        "http://127.0.0.1:8080/api/v2",  # a path
        "http://127.0.0.1:8080?x=1",
        "http://127.0.0.1:8080#frag",
        "not a url",
        12345,
    ],
)
def test_base_url_not_loopback_nor_zendesk(base_url):
    assert "'base_url'" in config_error_of(make_config(base_url=base_url))


@pytest.mark.parametrize(
    "base_url,expected",
    [
        ("http://127.0.0.1:8080", "http://127.0.0.1:8080"),
        ("http://127.0.0.1:8080/", "http://127.0.0.1:8080"),
        ("http://localhost:9", "http://localhost:9"),
        ("http://[::1]:8080", "http://[::1]:8080"),
        ("http://127.5.6.7", "http://127.5.6.7"),
        ("https://proxy.zendesk.com", "https://proxy.zendesk.com"),
    ],
)
def test_base_url_accepted(base_url, expected):
    assert parse_config(make_config(base_url=base_url)).base_url == expected


@pytest.mark.parametrize(
    "credentials",
    [
        {"auth_type": "password", "email": EMAIL, "password": "hunter2"},
        {"auth_type": "basic", "email": EMAIL, "password": "hunter2"},
        {
            "auth_type": "api_token",
            "email": EMAIL,
            "password": "hunter2",
        },  # old configs: api_token kind carrying a password
        {"email": EMAIL, "password": "hunter2"},
    ],
)
def test_password_auth_is_refused_with_what_to_use_instead(credentials):
    message = config_error_of(make_config(credentials=credentials))
    assert "Password authentication was removed" in message
    assert "oauth2_refresh" in message and "api_token" in message
    assert "hunter2" not in message


@pytest.mark.parametrize("auth_type", ["saml", "oauth3", "", None, 7])
def test_unknown_auth_type(auth_type):
    message = config_error_of(make_config(credentials={"auth_type": auth_type, "access_token": "x"}))
    assert "'credentials.auth_type'" in message


def test_missing_credentials():
    assert "'credentials'" in config_error_of(make_config(credentials=None))
    assert "'credentials'" in config_error_of(make_config(credentials="token"))


@pytest.mark.parametrize(
    "credentials,field",
    [
        ({"auth_type": "api_token", "email": EMAIL}, "api_token"),
        ({"auth_type": "api_token", "api_token": API_TOKEN}, "email"),
        ({"auth_type": "oauth2_refresh", "client_id": "c", "client_secret": "s"}, "refresh_token"),
        ({"auth_type": "oauth2_refresh", "client_id": "c", "refresh_token": "r"}, "client_secret"),
        ({"auth_type": "oauth2_client_credentials", "client_secret": "s"}, "client_id"),
        ({"auth_type": "oauth2_access_token", "access_token": "  "}, "access_token"),
        ({"auth_type": "oauth2_access_token", "access_token": 5}, "access_token"),
    ],
)
def test_missing_credential_field_is_named(credentials, field):
    assert f"'credentials.{field}'" in config_error_of(make_config(credentials=credentials))


def test_legacy_auth_type_names_still_work():
    assert (
        parse_config(make_config(credentials={"credentials": "oauth2.0", "access_token": "x"})).auth_type
        == "oauth2_access_token"
    )


@pytest.mark.parametrize(
    "field,value",
    [
        ("start_date", "yesterday"),
        ("start_date", "2024-13-01T00:00:00Z"),
        ("start_date", "2024-02-30T00:00:00Z"),
        ("start_date", 1700000000),
        ("end_date", "01/02/2024"),
        ("end_date", ["2024-01-01T00:00:00Z"]),
    ],
)
def test_bad_dates(field, value):
    assert f"'{field}'" in config_error_of(make_config(**{field: value}))


@pytest.mark.parametrize("end", ["2023-12-31T00:00:00Z", "2024-01-01T00:00:00Z"])
def test_end_not_after_start(end):
    message = config_error_of(make_config(end_date=end))
    assert "'end_date'" in message and "'start_date'" in message


def test_end_before_default_start():
    assert "'end_date'" in config_error_of(make_config(start_date=None, end_date="1999-01-01T00:00:00Z"))


def test_dates_with_offsets_are_converted_to_utc():
    parsed = parse_config(make_config(start_date="2024-01-01T02:00:00+02:00", end_date="2024-02-01T00:00:00Z"))
    assert parsed.start == datetime(2024, 1, 1, tzinfo=timezone.utc)


@pytest.mark.parametrize("workers", [0, -1, 41, "4", True, 1.5, None])
def test_num_workers_out_of_range_or_wrong_type(workers):
    config = make_config()
    config["num_workers"] = workers
    assert "'num_workers'" in config_error_of(config)


@pytest.mark.parametrize("workers", [1, 21, 40])
def test_num_workers_bounds_accepted(workers):
    assert parse_config(make_config(num_workers=workers)).num_workers == workers


# --- through the entrypoint: an Airbyte config_error, not a traceback ---------------------------------------
@pytest.mark.parametrize(
    "overrides,named",
    [
        ({"end_date": "2020-01-01T00:00:00Z"}, "'end_date'"),
        ({"base_url": "http://evil.example.com"}, "'base_url'"),
        ({"subdomain": "evil.com/"}, "evil.com/"),  # caught by the spec's pattern first
        ({"num_workers": 50}, "50"),
        ({"backoff_base_seconds": "abc"}, "'backoff_base_seconds'"),
    ],
)
def test_read_with_bad_config_reports_config_error(overrides, named):
    output = read_streams(["groups"], config=make_config(**overrides), expect_failure=True)
    errors = [m.trace.error for m in output.errors]
    assert errors and all(error.failure_type == FailureType.config_error for error in errors)
    assert any(named in error.message for error in errors)
    assert not output.records


def test_password_config_through_the_entrypoint_says_what_to_use_and_hides_the_password():
    config = make_config(credentials={"auth_type": "password", "email": EMAIL, "password": "hunter2-distinctive"})
    output = read_streams(["groups"], config=config, expect_failure=True)
    messages = [m.trace.error.message for m in output.errors]
    assert any("Password authentication was removed" in message for message in messages)
    assert all("hunter2-distinctive" not in str(m) for m in output.get_message_iterator())


def test_discover_with_bad_config_reports_config_error():
    config = make_config(end_date="2020-01-01T00:00:00Z")
    output = discover(SourceZendeskSupport(config=config), config, expecting_exception=True)
    errors = [m.trace.error for m in output.errors]
    assert errors and errors[0].failure_type == FailureType.config_error and "'end_date'" in errors[0].message


def test_check_with_bad_config_fails_with_the_field_named():
    source = SourceZendeskSupport()
    status = source.check(None, make_config(credentials={"auth_type": "password", "email": EMAIL, "password": "p"}))
    assert status.status == Status.FAILED and "Password authentication was removed" in status.message
    status = source.check(None, make_config(start_date="2024-05-01T00:00:00Z", end_date="2024-04-01T00:00:00Z"))
    assert status.status == Status.FAILED
    assert "'end_date'" in status.message
