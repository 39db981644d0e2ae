"""End to end: what a user sees of a read's progress. The real entrypoint (python main.py) reads every stream from
the sandbox over loopback; every stream that takes more than one page announces an ESTIMATE, and the read ends
with one summary line per stream whose counts agree with the records printed and the requests the sandbox served.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Any, Dict, List

import pytest
import requests

from conftest import running_sandbox
from sync_runner import configured_catalog, discovered_catalog, run_connector
from source_zendesk_support.paging.chat import CHAT_EXPORT_LIMIT
from source_zendesk_support.paging.exports import EXPORT_PAGE_SIZE
from source_zendesk_support.registry.table import ALL_STREAMS
from source_zendesk_support.streams.chat import AgentTimelineStream, ChatExportStream
from source_zendesk_support.streams.children import ParentChildrenStream
from source_zendesk_support.streams.lists import CursorPagesStream, ListStream
from source_zendesk_support.streams.search import SearchExportStream
from source_zendesk_support.streams.spec import NotCounted

pytestmark = pytest.mark.e2e

# 1,200 tickets: the ticket and ticket-event exports take more than one page of 1,000; the export windows last a
# second (clock x60), so a rate wait happens and is summed.
SANDBOX_ARGS = ["--seed", "42", "--tickets", "1200", "--plan", "enterprise", "--time-scale", "60", "--holdback", "20"]
LIST_PAGE_SIZE = 100
SUMMARY = re.compile(
    r"Stream (\w+) read summary: (\d+) records, (\d+) requests, (\d+) retries, ([\d.]+) s waited for rate windows\.$"
)
SPECS = {spec.name: spec for spec in ALL_STREAMS}


@pytest.fixture(scope="module")
def full_read():
    with running_sandbox(*SANDBOX_ARGS) as info:
        streams = discovered_catalog(info["config"])
        stats = lambda: requests.get(f"{info['url']}/_sandbox/stats", timeout=30).json()["total"]  # noqa: E731
        served_before = stats()
        output = run_connector("read", info["config"], configured_catalog(streams))
        served = stats() - served_before
        summary = requests.get(f"{info['url']}/_sandbox/summary", timeout=30).json()
        yield output, [s["name"] for s in streams], served, summary


def list_page_size(family: type) -> int:
    if issubclass(family, (ChatExportStream, AgentTimelineStream)):
        return CHAT_EXPORT_LIMIT
    if issubclass(family, SearchExportStream):
        return SearchExportStream.page_size
    return LIST_PAGE_SIZE


def multi_page_streams(records: Dict[str, List[Any]]) -> List[str]:
    """Streams whose records came on more than one page: a list of more than a page, an export one of whose readers
    got more than an export page (they share the export's pages), and every per-parent stream (a list per parent)."""
    per_export: Counter = Counter()
    for name, rows in records.items():
        spec = SPECS.get(name)
        if spec is not None and not issubclass(spec.family, ListStream):
            per_export[spec.path] = max(per_export[spec.path], len(rows))
    multi = []
    for name, rows in records.items():
        spec = SPECS.get(name)
        if spec is None or isinstance(spec.estimate, NotCounted):  # Zendesk counts these lists nowhere
            continue
        if issubclass(spec.family, ParentChildrenStream):
            multi.append(name)
        elif issubclass(spec.family, ListStream):
            if len(rows) > list_page_size(spec.family):
                multi.append(name)
        elif per_export[spec.path] > EXPORT_PAGE_SIZE:
            multi.append(name)
    return sorted(multi)


def test_every_stream_that_takes_more_than_one_page_shows_an_estimate(full_read):
    output, streams, _, summary = full_read
    assert output.returncode == 0, output.stderr[-3000:]
    estimates = {trace["estimate"]["name"]: trace["estimate"]["row_estimate"] for trace in output.traces("ESTIMATE")}
    multi = multi_page_streams(output.records)
    # The sizes make the point: the exports and the big lists are among them.
    assert {
        "tickets",
        "ticket_metrics",
        "ticket_events",
        "ticket_comments",
        "ticket_audits",
        "side_conversations",
    } <= set(multi)
    missing = [name for name in multi if not estimates.get(name)]
    assert not missing, f"multi-page streams without an ESTIMATE: {missing}"
    # Each estimate comes before the stream's first record.
    first_record: Dict[str, int] = {}
    first_estimate: Dict[str, int] = {}
    for position, message in enumerate(output.messages):
        if message["type"] == "RECORD":
            first_record.setdefault(message["record"]["stream"], position)
        elif message["type"] == "TRACE" and message["trace"]["type"] == "ESTIMATE":
            first_estimate.setdefault(message["trace"]["estimate"]["name"], position)
    counted_first = [
        name
        for name in ("tickets", "users", "organizations", "satisfaction_ratings")
        if first_estimate[name] > first_record[name]
    ]
    assert not counted_first, f"ESTIMATE after the first record: {counted_first}"
    # The estimates of streams counted one record per object are Zendesk's counts.
    resources = summary["resources"]
    assert estimates["users"] == resources["users"]["endpoints"]["/api/v2/users"]
    assert estimates["organizations"] == resources["organizations"]["endpoints"]["/api/v2/organizations"]
    assert estimates["satisfaction_ratings"] == len(output.records["satisfaction_ratings"])
    # Talk's exports, which Zendesk counts nowhere, project theirs from the time their first page covered: at least
    # what that page brought (their walk always asks once more, so they are projected even on one page of records).
    for name in ("calls", "legs"):
        assert estimates[name] >= len(output.records[name]) > 0, (name, estimates.get(name))


def test_the_read_ends_with_one_summary_line_per_stream(full_read):
    output, streams, served, _ = full_read
    lines = [m["log"]["message"] for m in output.of_type("LOG") if "read summary" in m["log"]["message"]]
    parsed = {}
    for line in lines:
        match = SUMMARY.match(line)
        assert match, line
        parsed[match.group(1)] = tuple(float(g) for g in match.groups()[1:])
    assert len(lines) == len(streams) and set(parsed) == set(streams)
    for name in streams:
        assert parsed[name][0] == len(output.records.get(name, [])), name
    # Every request the sandbox served for this read is counted for exactly one stream.
    assert sum(values[1] for values in parsed.values()) == served
    assert sum(values[3] for values in parsed.values()) > 0  # the export windows made someone wait
    # They come at the end: after the last record and the last stream status.
    last_record = max(i for i, m in enumerate(output.messages) if m["type"] in ("RECORD", "STATE"))
    first_line = min(
        i for i, m in enumerate(output.messages) if m["type"] == "LOG" and "read summary" in m["log"]["message"]
    )
    assert first_line > last_record


def test_every_cursor_paged_list_of_more_than_a_page_estimates_its_rows_from_its_offset_count():
    """Small pages make every list of more than five records take several pages: each shows an ESTIMATE (and only
    those), and one counted by its offset pages is the number of records a whole read brings."""
    lists = [
        spec.name
        for spec in ALL_STREAMS
        if issubclass(spec.family, CursorPagesStream)
        and not issubclass(spec.family, SearchExportStream)
        and not isinstance(spec.estimate, NotCounted)
    ]
    with running_sandbox("--seed", "42", "--tickets", "300", "--rate-limit", "0", "--export-rate-limit", "0") as info:
        config = {**info["config"], "page_size": 5}
        streams = [s for s in discovered_catalog(config) if s["name"] in lists]
        output = run_connector("read", config, configured_catalog(streams, incremental=False))
    assert output.returncode == 0, output.stderr[-3000:]
    estimates = {trace["estimate"]["name"]: trace["estimate"]["row_estimate"] for trace in output.traces("ESTIMATE")}
    read = {name: len(output.records.get(name, [])) for name in (s["name"] for s in streams)}
    several_pages = {name for name, count in read.items() if count > 5}
    assert {"macros", "tags", "ticket_skips", "organization_memberships", "audit_logs", "posts"} <= several_pages
    assert set(estimates) == several_pages, (sorted(several_pages ^ set(estimates)), read)
    counted = {name for name in several_pages if not SPECS[name].estimate.per}  # not scaled from a first page
    assert {name: estimates[name] for name in counted} == {name: read[name] for name in counted}
