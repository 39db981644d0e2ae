"""A relative start_date (P30D, 2 weeks): its grammar, the spec accepting it beside ISO dates, and its resolution
once per stream, kept in the stream's state so later syncs start from the same moment."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from importlib import resources

import pytest
from airbyte_cdk.utils.traced_exception import AirbyteTracedException
from jsonschema import Draft7Validator

from source_zendesk_support.config.model import parse_config, relative_period
from source_zendesk_support.foundation.clock import to_epoch, to_iso
from source_zendesk_support.state.migration import migrate_stream_state
from source_zendesk_support.streams.base import RESOLVED_START

from .support import SPECS, make_config, make_stream, ok, read_streams, states_of, url

NOW = datetime(2026, 12, 4, 12, 0, 0, tzinfo=timezone.utc)
DAY = 86400


@pytest.mark.parametrize(
    "value, days",
    [
        ("P30D", 30),
        ("P1D", 1),
        ("P2W", 14),
        ("30 days", 30),
        ("1 day", 1),
        ("7 days", 7),
        ("2 weeks", 14),
        ("1 week", 7),
    ],
)
def test_relative_periods(value, days):
    assert relative_period(value) == timedelta(days=days)
    parsed = parse_config(make_config(start_date=value), now=NOW)
    assert parsed.start == NOW - timedelta(days=days) and parsed.start_period == timedelta(days=days)


@pytest.mark.parametrize(
    "value", ["P30", "30d", "P1M", "P1Y", "-7 days", "7  days", "7 Days", "PT30H", "thirty days", "P0D", "0 days"]
)
def test_anything_else_is_a_config_error_naming_the_forms(value):
    with pytest.raises(AirbyteTracedException) as error:
        parse_config(make_config(start_date=value), now=NOW)
    assert "start_date" in error.value.message and repr(value) in error.value.message


def test_iso_dates_stay_absolute_and_no_start_date_is_the_two_year_window():
    assert parse_config(make_config(start_date="2024-01-01T00:00:00Z"), now=NOW).start_period is None
    default = parse_config(make_config(start_date=None), now=NOW)
    assert default.start == NOW - timedelta(days=730) and default.start_period == timedelta(days=730)


def test_a_period_past_a_hundred_years_is_refused():
    with pytest.raises(AirbyteTracedException, match="36500 days"):
        parse_config(make_config(start_date="P36501D"), now=NOW)


def test_the_spec_accepts_both_forms_and_nothing_else():
    spec = json.loads(resources.files("source_zendesk_support").joinpath("spec.json").read_text())[
        "connectionSpecification"
    ]
    validator = Draft7Validator(spec["properties"]["start_date"])
    for good in ("2020-01-01T00:00:00Z", "P30D", "P2W", "30 days", "7 days", "2 weeks", "1 day"):
        assert validator.is_valid(good), good
    for bad in ("2020-01-01", "P1M", "30d", "yesterday"):
        assert not validator.is_valid(bad), bad


def _epoch_days_ago(days: int) -> int:
    return int((datetime.now(timezone.utc) - timedelta(days=days)).timestamp())


def test_the_first_sync_resolves_the_period_and_keeps_it_in_the_state(api):
    api.get(url("ticket_forms"), [ok({"ticket_forms": [], "next_page": None})])
    output = read_streams(["ticket_forms"], config=make_config(start_date="P30D"))
    resolved = to_epoch(states_of(output, "ticket_forms")[-1][RESOLVED_START])
    assert abs(resolved - _epoch_days_ago(30)) < 120


def test_a_later_sync_starts_from_the_saved_moment_not_from_the_period_before_it():
    # The first sync resolved P7D ten days ago: that moment stays the start, so nothing changed in between is skipped.
    first_resolved = _epoch_days_ago(17)
    stream = make_stream(
        "ticket_forms", config=make_config(start_date="P7D"), state={RESOLVED_START: to_iso(first_resolved)}
    )
    assert stream.start_epoch() == first_resolved
    assert stream.state[RESOLVED_START] == to_iso(first_resolved)


def test_a_saved_cursor_older_than_the_period_is_never_skipped():
    # A stream synced before with an ISO start_date (or Airbyte's state) switches to P7D: it resumes from its cursor.
    cursor = _epoch_days_ago(20)
    stream = make_stream("ticket_forms", config=make_config(start_date="P7D"), state={"updated_at": to_iso(cursor)})
    assert stream.start_epoch() == cursor
    assert to_epoch(stream.state[RESOLVED_START]) == cursor


def test_full_refresh_counts_back_from_each_sync_and_saves_nothing():
    stream = make_stream("ticket_forms", config=make_config(start_date="P7D"), incremental=False)
    assert abs(stream.start_epoch() - _epoch_days_ago(7)) < 120
    assert RESOLVED_START not in stream.state


def test_an_iso_start_date_adds_nothing_to_the_state():
    stream = make_stream("ticket_forms", config=make_config(start_date="2024-01-01T00:00:00Z"))
    assert stream.start_epoch() == to_epoch("2024-01-01T00:00:00Z") and RESOLVED_START not in stream.state


def test_a_state_holding_only_the_resolved_moment_is_recognised_and_a_bad_one_named():
    spec = SPECS["tickets"]
    assert migrate_stream_state(spec, {RESOLVED_START: "2026-11-01T00:00:00Z"}) == {
        RESOLVED_START: "2026-11-01T00:00:00Z"
    }
    with pytest.raises(AirbyteTracedException, match=RESOLVED_START):
        migrate_stream_state(spec, {RESOLVED_START: "soon"})
