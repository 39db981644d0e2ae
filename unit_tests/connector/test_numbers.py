"""Every number a server sends is read strictly and bounded: headers (Retry-After in both forms, the rate-limit
numbers), a page's paging fields, and ids compared by value."""

from __future__ import annotations

import math
from datetime import datetime, timezone

import pytest
from hypothesis import given, settings, strategies as st

from source_zendesk_support.foundation.numbers import (
    MAX_EPOCH,
    MAX_SECONDS,
    BadNumber,
    count_field,
    epoch_field,
    header_count,
    header_seconds,
    plain_number,
    retry_after_seconds,
    same_id,
)

NOW = datetime(2026, 1, 1, tzinfo=timezone.utc)


@pytest.mark.parametrize("value, expected", [("0", 0), ("17", 17), (" 5 ", 5), ("1.5", 1.5), (30, 30), (2.5, 2.5)])
def test_a_plain_number_is_read(value, expected):
    assert plain_number(value, "ratelimit-reset", MAX_SECONDS) == expected


@pytest.mark.parametrize(
    "value, why",
    [
        ("inf", "not a plain"),
        ("nan", "not a plain"),
        ("1e20", "not a plain"),
        ("-5", "not a plain"),
        ("0x10", "not a plain"),
        ("", "not a plain"),
        ("1" * 400, "not a finite"),
        (math.inf, "not a finite"),
        (math.nan, "not a finite"),
        (-1, "negative"),
        (10**30, "not a finite"),
        (True, "not a number"),
        ([1], "not a number"),
        (str(MAX_SECONDS + 1), "beyond the largest accepted"),
    ],
)
def test_a_number_that_cannot_be_used_is_named(value, why):
    with pytest.raises(BadNumber) as bad:
        plain_number(value, "ratelimit-reset", MAX_SECONDS, header=True)
    assert why in str(bad.value) and str(bad.value).startswith("Zendesk sent ratelimit-reset: ")


def test_headers_absent_are_none_and_present_are_bounded():
    assert header_seconds({}, "ratelimit-reset") is None and header_count({}, "ratelimit-limit") is None
    assert header_count({"ratelimit-limit": "700"}, "ratelimit-limit") == 700
    with pytest.raises(BadNumber, match="ratelimit-reset: 1e20"):
        header_seconds({"ratelimit-reset": "1e20"}, "ratelimit-reset")


@pytest.mark.parametrize(
    "value, seconds",
    [
        ("120", 120),
        ("Thu, 01 Jan 2026 00:02:00 GMT", 120),
        ("Wed, 31 Dec 2025 00:00:00 GMT", 0),
        ("1000000000000", 1e12),  # any finite wait: the caller's cap refuses it by name
    ],
)
def test_retry_after_in_either_form(value, seconds):
    assert retry_after_seconds({"Retry-After": value}, now=NOW) == seconds


@pytest.mark.parametrize("value", ["soon", "inf", "nan", "-1", "1" * 400, "Thu, 99 Foo 2099 00:00:00 GMT"])
def test_retry_after_that_is_no_wait_is_named(value):
    with pytest.raises(BadNumber, match="Retry-After: "):
        retry_after_seconds({"Retry-After": value}, now=NOW)


def test_a_paging_time_is_unix_seconds_a_date_can_hold():
    assert epoch_field({"end_time": 1700000000}, "end_time") == 1700000000
    assert epoch_field({"end_time": None}, "end_time") is None and epoch_field({}, "end_time") is None
    for bad in (MAX_EPOCH + 1, 9 * 10**18, -1, "soon", math.inf):
        with pytest.raises(BadNumber, match="end_time"):
            epoch_field({"end_time": bad}, "end_time")
    with pytest.raises(BadNumber):
        count_field(-3)


def test_ids_are_compared_by_value_whatever_their_json_type():
    assert same_id("123") == same_id(123) == same_id(123.0)
    assert same_id("abc") == "abc" and same_id(None) is None and same_id(True) is True
    assert same_id("1" * 40) == "1" * 40  # not a number that fits an id: itself


ANY_VALUE = st.one_of(
    st.text(max_size=40),
    st.from_regex(r"\A[0-9eE.+\- ]{0,25}\Z"),
    st.integers(),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
    st.none(),
)
HTTP_DATES = st.builds(
    lambda d, text: f"{d:%a, %d %b %Y %H:%M:%S} {text}",
    st.datetimes(min_value=datetime(1, 1, 1), max_value=datetime(9999, 12, 31)),
    st.sampled_from(["GMT", "+0000", "-1200", "UT", "", "XYZ"]),
)


@settings(max_examples=800, deadline=None)
@given(ANY_VALUE)
def test_any_value_is_a_bounded_finite_number_or_a_named_bad_number(value):
    try:
        number = plain_number(value, "ratelimit-reset", MAX_SECONDS)
    except BadNumber as bad:
        assert str(bad).startswith("Zendesk sent ratelimit-reset ")
        return
    assert math.isfinite(number) and 0 <= number <= MAX_SECONDS


@settings(max_examples=800, deadline=None)
@given(st.one_of(st.text(max_size=40), HTTP_DATES, st.from_regex(r"\A[0-9.]{1,400}\Z")))
def test_any_retry_after_is_a_finite_wait_or_a_named_bad_number(value):
    try:
        seconds = retry_after_seconds({"Retry-After": value}, now=NOW)
    except BadNumber as bad:
        assert str(bad).startswith("Zendesk sent Retry-After: ")
        return
    assert seconds is not None and math.isfinite(seconds) and seconds >= 0
