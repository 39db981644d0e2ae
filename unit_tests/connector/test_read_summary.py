"""The end of a read: one log line per stream with its records, requests, retries and seconds waited for
rate windows."""

from __future__ import annotations

import re

from source_zendesk_support.sync import read_tally

from .support import epoch, make_config, no_offset_count, ok, read_streams, url

START = epoch("2024-01-01T00:00:00Z")
SUMMARY = re.compile(
    r"Stream (\w+) read summary: (\d+) records, (\d+) requests, (\d+) retries, ([\d.]+) s waited for rate windows\."
)


def summaries(output):
    return {
        m.group(1): (int(m.group(2)), int(m.group(3)), int(m.group(4)), float(m.group(5)))
        for m in (SUMMARY.match(log.log.message) for log in output.logs)
        if m
    }


def test_each_stream_of_a_read_gets_one_summary_line_counting_records_requests_retries_and_rate_waits(
    api, clock, monkeypatch
):
    monkeypatch.setattr(read_tally.time, "monotonic", lambda: clock.now().timestamp())
    api.get(
        url("macros"),
        [
            {"status_code": 429, "headers": {"Retry-After": "7", "Content-Type": "text/plain"}, "text": "Rate limited"},
            ok(
                {
                    "macros": [{"id": 1, "updated_at": "2024-01-02T00:00:00Z"}],
                    "meta": {"has_more": True, "after_cursor": "m1"},
                    "links": {"next": url("macros?page[after]=m1")},
                }
            ),
            ok({"macros": [{"id": 2, "updated_at": "2024-01-02T00:00:00Z"}], "meta": {"has_more": False}}),
        ],
    )
    no_offset_count(api, "macros")
    api.get(url("groups"), **ok({"groups": [], "meta": {"has_more": False}}))
    output = read_streams(["macros", "groups"], config=make_config(num_workers=2))
    lines = summaries(output)
    assert set(lines) == {"macros", "groups"}
    records, requests, retries, waited = lines["macros"]
    assert (records, requests, retries) == (2, 4, 1)  # two pages, one rate-limited retry, the row estimate's count
    assert 7 <= waited < 8  # the Retry-After Zendesk asked for
    assert lines["groups"] == (0, 1, 0, 0.0)
    assert len([log for log in output.logs if "read summary" in log.log.message]) == 2


def test_a_read_that_fails_still_ends_with_the_summary(api):
    api.get(url("macros"), **ok({"macros": "not a list", "meta": {"has_more": False}}))
    output = read_streams(["macros"], expect_failure=True)
    assert "macros" in summaries(output)
