"""A drop-in successor to Airbyte's Zendesk Support connector, through the real entrypoint against the sandbox:
every config shape Airbyte's connector accepted passes check, discover and read (and is migrated once, by a
CONTROL message), and every state format it wrote resumes the sync without reading a record before the saved
cursor again. The shapes are built from Airbyte's published spec and the declarative CDK's state format."""

from __future__ import annotations

import json
import math
import time
from typing import Any, Dict, List

import pytest

from conftest import running_sandbox
from sync_runner import SyncOutput, configured_catalog, run_connector
from source_zendesk_support.foundation.clock import to_epoch

pytestmark = pytest.mark.e2e

READ_STREAMS = ["groups", "tickets"]


@pytest.fixture(scope="module")
def sandbox():
    with running_sandbox(
        "--seed",
        "21",
        "--tickets",
        "150",
        "--holdback",
        "20",
        "--time-scale",
        "10",
        "--rate-limit",
        "0",
        "--export-rate-limit",
        "0",
    ) as info:
        yield info


def _base(sandbox: Dict[str, Any], credentials: Dict[str, Any], **extra: Any) -> Dict[str, Any]:
    return {
        "subdomain": sandbox["subdomain"],
        "base_url": sandbox["url"],
        "start_date": "2000-01-01T00:00:00Z",
        "credentials": credentials,
        **extra,
    }


def airbyte_configs(sandbox: Dict[str, Any]) -> Dict[str, Dict[str, Any]]:
    """Configs as Airbyte's connector saved them (4.x and 5.x), each pointed at the sandbox with base_url."""
    oauth = sandbox["oauth"]
    return {
        "4.x api_token, full host as subdomain, 40 workers": {
            **_base(
                sandbox,
                {"credentials": "api_token", "email": sandbox["email"], "api_token": sandbox["api_token"]},
                num_workers=40,
                ignore_pagination=False,
            ),
            "subdomain": f"{sandbox['subdomain']}.zendesk.com",
        },
        "0.x auth_method api_token": {key: value for key, value in _base(sandbox, {}).items() if key != "credentials"}
        | {"auth_method": {"auth_method": "api_token", "email": sandbox["email"], "api_token": sandbox["api_token"]}},
        "4.x oauth2.0 access token with its client": _base(
            sandbox,
            {
                "credentials": "oauth2.0",
                "access_token": sandbox["access_token"],
                "client_id": oauth["client_id"],
                "client_secret": oauth["client_secret"],
            },
        ),
        "4.x oauth2.0 whose access token Zendesk no longer accepts": _base(
            sandbox,
            {
                "credentials": "oauth2.0",
                "access_token": "revoked-" + "0" * 56,
                "client_id": oauth["client_id"],
                "client_secret": oauth["client_secret"],
            },
        ),
        "5.x oauth2_refresh": _base(
            sandbox,
            {
                "credentials": "oauth2_refresh",
                "client_id": oauth["client_id"],
                "client_secret": oauth["client_secret"],
                "refresh_token": oauth["refresh_token"],
                "access_token": "",
                "token_expiry_date": "",
            },
        ),
        "no start_date (Airbyte's two-year window)": {
            key: value
            for key, value in _base(
                sandbox, {"credentials": "api_token", "email": sandbox["email"], "api_token": sandbox["api_token"]}
            ).items()
            if key != "start_date"
        },
    }


def run_keeping_config(command: str, config: Dict[str, Any], **kwargs: Any) -> SyncOutput:
    """Like the platform: a CONTROL connectorConfig replaces the saved config before the next command."""
    output = run_connector(command, config, **kwargs)
    for control in output.of_type("CONTROL"):
        config.clear()
        config.update(control["control"]["connectorConfig"]["config"])
    return output


def _no_traceback(output: SyncOutput) -> None:
    assert "Traceback" not in json.dumps(output.messages) and "Traceback" not in output.stderr


@pytest.mark.parametrize(
    "shape",
    list(
        airbyte_configs(
            {
                "subdomain": "s",
                "url": "u",
                "email": "e",
                "api_token": "t",
                "access_token": "a",
                "oauth": {"client_id": "c", "client_secret": "s", "refresh_token": "r"},
            }
        )
    ),
)
def test_every_airbyte_config_passes_check_discover_and_read(sandbox, shape):
    config = airbyte_configs(sandbox)[shape]
    check = run_keeping_config("check", config)
    status = check.of_type("CONNECTION_STATUS")
    assert status and status[0]["connectionStatus"]["status"] == "SUCCEEDED", (shape, status, check.stderr[-2000:])
    # Migrated once: the saved config now has this connector's shape (Airbyte's keys beside it).
    assert config["credentials"]["auth_type"] in ("api_token", "oauth2_access_token", "oauth2_refresh")
    assert config["subdomain"] == sandbox["subdomain"]

    discover = run_keeping_config("discover", config)
    catalogs = discover.of_type("CATALOG")
    assert catalogs, (shape, discover.messages[-3:])
    streams = catalogs[0]["catalog"]["streams"]
    assert {"tickets", "ticket_metrics", "users", "groups"} <= {stream["name"] for stream in streams}

    read = run_keeping_config("read", config, catalog=configured_catalog(streams, READ_STREAMS))
    assert read.returncode == 0 and not read.traces("ERROR"), (shape, read.traces("ERROR"), read.stderr[-2000:])
    assert read.records["tickets"]
    if "start_date" in config:
        assert read.records["groups"]
    else:
        two_years = time.time() - 730 * 86400
        assert all(record["generated_timestamp"] >= two_years - 86400 for record in read.records["tickets"])
    _no_traceback(read)


def test_a_migrated_config_is_emitted_once_and_then_left_alone(sandbox):
    config = airbyte_configs(sandbox)["4.x api_token, full host as subdomain, 40 workers"]
    config["exclude_deleted"] = True  # this connector's own earlier option
    first = run_connector("check", config)
    controls = first.of_type("CONTROL")
    assert len(controls) == 1
    migrated = controls[0]["control"]["connectorConfig"]["config"]
    assert migrated["credentials"] == {**config["credentials"], "auth_type": "api_token"}
    assert migrated["subdomain"] == sandbox["subdomain"] and migrated["deleted_records"] == "exclude"
    assert "exclude_deleted" not in migrated
    again = run_connector("check", migrated)
    assert not again.of_type("CONTROL")
    assert again.of_type("CONNECTION_STATUS")[0]["connectionStatus"]["status"] == "SUCCEEDED"


def test_a_legacy_oauth_token_renewed_by_its_client_is_saved_for_the_next_run(sandbox):
    config = airbyte_configs(sandbox)["4.x oauth2.0 whose access token Zendesk no longer accepts"]
    first = run_keeping_config(
        "read",
        config,
        catalog=configured_catalog(
            run_connector("discover", dict(config)).of_type("CATALOG")[0]["catalog"]["streams"], ["groups"]
        ),
    )
    assert first.returncode == 0 and first.records["groups"], first.stderr[-2000:]
    renewed = config["credentials"]["access_token"]
    assert renewed and not renewed.startswith("revoked-")  # the CONTROL message carried the renewed token
    assert renewed not in first.stderr and renewed not in json.dumps(first.of_type("LOG"))
    again = run_connector(
        "read",
        config,
        catalog=configured_catalog(
            run_connector("discover", dict(config)).of_type("CATALOG")[0]["catalog"]["streams"], ["groups"]
        ),
    )
    assert again.returncode == 0 and again.records["groups"]
    assert not [
        c
        for c in again.of_type("CONTROL")
        if c["control"]["connectorConfig"]["config"]["credentials"]["access_token"] != renewed
    ]  # used, not renewed


# --- state --------------------------------------------------------------------------------------------------
STATE_STREAMS = [
    "tickets",
    "ticket_metrics",
    "users",
    "ticket_comments",
    "ticket_skips",
    "article_comments",
    "post_comments",
]


@pytest.fixture(scope="module")
def first_sync(sandbox):
    """A full first read, to choose saved cursors in the middle of each stream's data."""
    config = dict(sandbox["config"])
    streams = run_connector("discover", config).of_type("CATALOG")[0]["catalog"]["streams"]
    catalog = configured_catalog(streams, STATE_STREAMS)
    output = run_connector("read", config, catalog=catalog)
    assert output.returncode == 0, output.stderr[-2000:]
    for name in STATE_STREAMS:
        assert len(output.records[name]) >= 4, f"the sandbox gave {name} too few records to test a resume"
    return config, catalog, output


CURSORS = {  # stream -> the field its records are compared on (Airbyte's cursor, or what it maps to here)
    "tickets": "generated_timestamp",
    "ticket_metrics": "generated_timestamp",
    "users": "updated_at",
    "ticket_comments": "created_at",
    "ticket_skips": "created_at",
    "article_comments": "updated_at",
    "post_comments": "updated_at",
}


# Streams over the ticket endpoints among CURSORS -> the field naming their ticket.
BACKFILLED = {"tickets": "id", "ticket_metrics": "ticket_id", "ticket_comments": "ticket_id"}


def _middle(records: List[Dict[str, Any]], field: str) -> int:
    values = sorted(to_epoch(record[field]) for record in records if record.get(field) is not None)
    return values[len(values) // 2]


def _iso(epoch: int) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(epoch))


def airbyte_stream_states(first: SyncOutput) -> Dict[str, Dict[str, Any]]:
    """Each stream's state in the format Airbyte's connector writes, saved in the middle of the first sync's data."""
    middle = {name: _middle(first.records[name], field) for name, field in CURSORS.items()}
    articles = max(to_epoch(record["updated_at"]) for record in first.records["article_comments"]) + 1
    posts = max(to_epoch(record["updated_at"]) for record in first.records["post_comments"]) + 1

    def per_partition(stream: str, parent: str, key: str, cursor: int, parent_cursor: int) -> Dict[str, Any]:
        parents = sorted({record[key] for record in first.records[stream]})
        return {
            "use_global_cursor": False,
            "states": [
                {"partition": {key: parent_id, "parent_slice": {}}, "cursor": {"updated_at": _iso(cursor)}}
                for parent_id in parents
            ],
            "state": {"updated_at": _iso(cursor)},
            "lookback_window": 0,
            "parent_state": {parent: {"updated_at": _iso(parent_cursor)}},
        }

    return {
        "tickets": {"generated_timestamp": middle["tickets"]},
        "ticket_metrics": {"_ab_updated_at": middle["ticket_metrics"]},
        "users": {"updated_at": _iso(middle["users"])},
        "ticket_comments": {"created_at": _iso(middle["ticket_comments"])},
        "ticket_skips": {"updated_at": _iso(middle["ticket_skips"])},
        # Every parent already read up to after its newest change: only newer comments may come back.
        "article_comments": per_partition(
            "article_comments", "articles", "article_id", middle["article_comments"], articles
        ),
        "post_comments": per_partition("post_comments", "posts", "post_id", middle["post_comments"], posts),
    }


def state_files(states: Dict[str, Dict[str, Any]]) -> Dict[str, Any]:
    """The same states in each shape a state file has had."""
    stream_messages = [
        {"type": "STREAM", "stream": {"stream_descriptor": {"name": name}, "stream_state": state}}
        for name, state in states.items()
    ]
    return {
        "per-stream messages": stream_messages,
        "legacy object": states,
        "LEGACY message": [{"type": "LEGACY", "data": states}],
        "GLOBAL message": [{"type": "GLOBAL", "global": {"stream_states": [m["stream"] for m in stream_messages]}}],
    }


@pytest.mark.parametrize("shape", list(state_files({})))
def test_airbyte_states_resume_without_reading_before_the_saved_cursor(first_sync, shape):
    config, catalog, first = first_sync
    states = airbyte_stream_states(first)
    resumed = run_connector("read", dict(config), catalog=catalog, state=state_files(states)[shape])
    assert resumed.returncode == 0 and not resumed.traces("ERROR"), (resumed.traces("ERROR"), resumed.stderr[-2000:])
    assert not [line for line in resumed.logs("WARN") if "re-read" in line]
    # Airbyte's connector never asked for AI-agent tickets: the ticket streams backfill those (and only those) once.
    ai_agent = {record["id"] for record in first.records["tickets"] if record["support_type"] == "ai_agent"}
    for name, field in CURSORS.items():
        saved = states[name]
        saved_cursor = (
            to_epoch(next(iter(saved.values()))) if "state" not in saved else to_epoch(saved["state"]["updated_at"])
        )
        earlier = [record for record in resumed.records[name] if to_epoch(record[field]) < saved_cursor]
        if name in BACKFILLED:
            ticket_of = BACKFILLED[name]
            backfilled = [record for record in earlier if record[ticket_of] in ai_agent]
            assert backfilled, f"{name}: the AI-agent tickets before the saved cursor were not backfilled ({shape})"
            assert len({record["id"] for record in backfilled}) == len(backfilled), (
                f"{name}: backfilled twice ({shape})"
            )
            earlier = [record for record in earlier if record[ticket_of] not in ai_agent]
        assert not earlier, f"{name}: {len(earlier)} records before the saved cursor were read again ({shape})"
        if name in ("tickets", "ticket_metrics", "users", "ticket_comments", "ticket_skips"):
            kept = [record for record in first.records[name] if to_epoch(record[field]) >= saved_cursor]
            assert resumed.records[name] or not kept, f"{name}: nothing read after the saved cursor"
        assert resumed.states.get(name), f"{name}: no state written"


def test_an_unrecognised_state_is_named_and_re_read(first_sync):
    config, catalog, first = first_sync
    tickets = configured_catalog([s["stream"] for s in catalog["streams"]], ["tickets"])
    state = [{"type": "STREAM", "stream": {"stream_descriptor": {"name": "tickets"}, "stream_state": {"last_sync": 5}}}]
    output = run_connector("read", dict(config), catalog=tickets, state=state)
    assert output.returncode == 0
    warnings = [line for line in output.logs("WARN") if "tickets" in line and "re-read" in line]
    assert warnings and "last_sync" in warnings[0]
    assert len(output.records["tickets"]) == len(first.records["tickets"])


@pytest.mark.parametrize("value", [1e20, math.nan, {"at": 1}, "garbage"])
def test_a_state_value_that_is_not_a_time_is_a_config_error_naming_it(first_sync, value):
    config, catalog, _ = first_sync
    tickets = configured_catalog([s["stream"] for s in catalog["streams"]], ["tickets"])
    state = [
        {
            "type": "STREAM",
            "stream": {"stream_descriptor": {"name": "tickets"}, "stream_state": {"generated_timestamp": value}},
        }
    ]
    output = run_connector("read", dict(config), catalog=tickets, state=state)
    errors = output.traces("ERROR")
    assert output.returncode == 1 and errors and not output.records
    assert errors[0]["error"]["failure_type"] == "config_error"
    assert "'tickets'" in errors[0]["error"]["message"] and "generated_timestamp" in errors[0]["error"]["message"]
    _no_traceback(output)


# --- config errors (issue 13 item 5) -----------------------------------------------------------------------
def _bad_configs(sandbox: Dict[str, Any]) -> Dict[str, Any]:
    good = sandbox["config"]
    return {
        "not an object": ([1, 2], "config file"),
        "backoff_base_seconds abc": ({**good, "backoff_base_seconds": "abc"}, "'backoff_base_seconds'"),
        "token_expiry_date garbage": (
            {
                **good,
                "credentials": {
                    "auth_type": "oauth2_refresh",
                    "client_id": "c",
                    "client_secret": "s",
                    "refresh_token": "r",
                    "token_expiry_date": "garbage",
                },
            },
            "'credentials.token_expiry_date'",
        ),
        "num_workers 41": ({**good, "num_workers": 41}, "'num_workers'"),
        "password": (
            {**good, "credentials": {"auth_type": "password", "email": "a@b.c", "password": "hunter2-never-echoed"}},
            "Password authentication was removed",
        ),
        "unknown deletes option": ({**good, "deleted_records": "purge"}, "'deleted_records'"),
    }


@pytest.mark.parametrize("case", list(_bad_configs({"config": {}})))
def test_every_bad_config_is_a_config_error_naming_the_field_in_check_and_read(sandbox, case):
    config, named = _bad_configs(sandbox)[case]
    check = run_connector("check", config)
    status = check.of_type("CONNECTION_STATUS")
    assert check.returncode == 0 and status and status[0]["connectionStatus"]["status"] == "FAILED", (
        case,
        check.messages,
    )
    assert named in status[0]["connectionStatus"]["message"]
    read = run_connector(
        "read",
        config,
        catalog=configured_catalog(
            [{"name": "groups", "json_schema": {}, "supported_sync_modes": ["full_refresh"]}], incremental=False
        ),
    )
    errors = read.traces("ERROR")
    assert read.returncode == 1 and errors and errors[0]["error"]["failure_type"] == "config_error"
    assert named in errors[0]["error"]["message"]
    for output in (check, read):
        _no_traceback(output)
        assert "hunter2" not in json.dumps(output.messages) + output.stderr
