"""Issue 13, endless loops, through main.py against the sandbox: a link, cursor or end_time that repeats or does
not advance fails its stream, by name, in under 30 seconds at default settings.

The cases run side by side (module fixture) so that, while the defense is missing, the suite waits one deadline
rather than one per case. Faults are global to a sandbox, so cases whose streams share an endpoint get their own."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack
from typing import Dict

import pytest

from conftest import running_sandbox
from sync_runner import discovered_catalog
from trust_harness import Run, Sandbox, catalog_for, no_traceback, run_bounded, stream_failed

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(240)]

DETECT_WITHIN = 30.0  # seconds, the bound at default settings
DEADLINE = DETECT_WITHIN + 5
SANDBOX_ARGS = ("--seed", "23", "--tickets", "2500", "--rate-limit", "0", "--export-rate-limit", "0")

# case: (sandbox group, stream, fault). One fault rule per endpoint in a group, so the runs do not disturb
# each other. side_conversations reads the ticket export for its parents, and a fault rule's memory is shared by
# every client of its sandbox: its group has no ticket-export fault.
CASES = {
    "offset next_page equal to the current URL": ("a", "targets", "repeat-next:/api/v2/targets*"),
    "cursor list links.next and after_cursor unchanged with has_more": (
        "a",
        "ticket_audits",
        "repeat-next:/api/v2/ticket_audits*:after=1",
    ),
    "cursor export after_cursor repeats": ("a", "tickets", "repeat-next:/api/v2/incremental/tickets/cursor*:after=1"),
    "time export end_time does not advance": (
        "a",
        "organizations",
        "stuck-end-time:/api/v2/incremental/organizations*",
    ),
    "cursor export after_cursor alternates": ("b", "tickets", "alternate-cursor:/api/v2/incremental/tickets/cursor*"),
    "per-parent child next link equal to the current URL": (
        "c",
        "side_conversations",
        "repeat-next:/api/v2/tickets/*/side_conversations*",
    ),
}


@pytest.fixture(scope="module")
def loop_runs() -> Dict[str, Run]:
    groups = sorted({group for group, _, _ in CASES.values()})
    with ExitStack() as stack:
        sandboxes = {group: Sandbox(stack.enter_context(running_sandbox(*SANDBOX_ARGS))) for group in groups}
        streams = discovered_catalog(sandboxes["a"].config)
        for group, sandbox in sandboxes.items():
            sandbox.faults(";".join(fault for g, _, fault in CASES.values() if g == group))

        def run(case: str) -> Run:
            group, stream, _ = CASES[case]
            return run_bounded("read", sandboxes[group].config, catalog_for(streams, [stream]), deadline=DEADLINE)

        with ThreadPoolExecutor(max_workers=len(CASES)) as pool:
            return dict(zip(CASES, pool.map(run, CASES)))


@pytest.mark.parametrize("case", list(CASES))
def test_a_loop_fails_its_stream_by_name_in_under_30_seconds(loop_runs, case):
    _, stream, _ = CASES[case]
    run = loop_runs[case]
    print(f"TIMING loop {case!r}: {run.elapsed:.1f}s, stopped={run.stopped}, records={len(run.records[stream])}")
    assert run.stopped is None and run.elapsed < DETECT_WITHIN, run.describe()
    assert stream_failed(run, stream), run.describe()
    assert no_traceback(run), run.describe()
