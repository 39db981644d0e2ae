"""End to end through main.py on the sandbox: AI-agent tickets, which Zendesk's ticket endpoints hide unless asked,
are read with everything that hangs off them; a connection whose state predates `tickets_handled_by` backfills the
ones it missed once, and a backfill killed halfway resumes with nothing lost and at most a page read twice."""

from __future__ import annotations

import json
import subprocess
from collections import Counter
from typing import Any, Dict, List

import pytest
import requests

from conftest import running_sandbox
from ground_truth import expected_count
from sync_runner import ENTRYPOINT, PROJECT_ROOT, configured_catalog, discovered_catalog, parse_lines, run_connector

pytestmark = pytest.mark.e2e

# Enough AI-agent tickets (a fifth) for the backfill to take more than one export page of 1000.
SANDBOX_ARGS = ["--seed", "13", "--tickets", "8000", "--rate-limit", "0", "--export-rate-limit", "0"]
STREAMS = ["tickets", "ticket_metrics", "ticket_comments", "ticket_events"]
EXPORT_PAGE = 1000


@pytest.fixture(scope="module")
def sandbox():
    with running_sandbox(*SANDBOX_ARGS) as info:
        yield info


@pytest.fixture(scope="module")
def summary(sandbox) -> Dict[str, Any]:
    return requests.get(f"{sandbox['url']}/_sandbox/summary", timeout=30).json()


@pytest.fixture(scope="module")
def catalog(sandbox):
    return configured_catalog(discovered_catalog(sandbox["config"]), STREAMS)


@pytest.fixture(scope="module")
def before_the_option(sandbox, catalog):
    """A sync as the connector made them before the option: human agents' tickets only, and a state that says
    nothing about which tickets it covers."""
    output = run_connector("read", {**sandbox["config"], "tickets_handled_by": "human_agents"}, catalog)
    assert output.returncode == 0, output.stderr[-3000:]
    states = output.state_list()
    for state in states:
        state["stream"]["stream_state"].pop("support_type_scope", None)
    return output, states


def ai_agent_ids(records: List[Dict[str, Any]]) -> set:
    return {record["id"] for record in records if record["support_type"] == "ai_agent"}


def state_of(states: List[Dict[str, Any]], name: str) -> Dict[str, Any]:
    return next(s["stream"]["stream_state"] for s in states if s["stream"]["stream_descriptor"]["name"] == name)


def test_a_sync_reads_every_ticket_the_sandbox_holds_ai_agent_ones_included(sandbox, summary, catalog):
    output = run_connector("read", sandbox["config"], catalog)
    assert output.returncode == 0, output.stderr[-3000:]
    tickets = output.records["tickets"]
    assert (
        len({t["id"] for t in tickets})
        == len(tickets)
        == expected_count(summary, "tickets")
        == summary["resources"]["tickets"]["total"]
    )
    assert len(ai_agent_ids(tickets)) == summary["resources"]["tickets"]["ai_agent"] > EXPORT_PAGE
    for name in ("ticket_metrics", "ticket_comments", "ticket_events"):
        assert len({r["id"] for r in output.records[name]}) == expected_count(summary, name), name
    ai = ai_agent_ids(tickets)
    assert {m["ticket_id"] for m in output.records["ticket_metrics"]} >= ai
    assert {c["ticket_id"] for c in output.records["ticket_comments"]} >= ai
    assert all(output.states[name]["support_type_scope"] == "all" for name in STREAMS)


def test_the_upgrade_reads_the_missed_ai_agent_tickets_once_and_nothing_else(
    sandbox, summary, catalog, before_the_option
):
    old, states = before_the_option
    assert not ai_agent_ids(old.records["tickets"])  # what the connector saw before the option
    upgraded = run_connector("read", sandbox["config"], catalog, state=states)
    assert upgraded.returncode == 0, upgraded.stderr[-3000:]
    tickets = upgraded.records["tickets"]
    ai = ai_agent_ids(tickets)
    assert len(ai) == summary["resources"]["tickets"]["ai_agent"]
    assert len(tickets) == len(ai)  # each AI-agent ticket once, no human agent's ticket again
    assert {t["id"] for t in old.records["tickets"]} | ai == {t["id"] for t in tickets} | {
        t["id"] for t in old.records["tickets"]
    }
    assert len({t["id"] for t in old.records["tickets"]} | ai) == summary["resources"]["tickets"]["total"]
    for name in ("ticket_metrics", "ticket_comments", "ticket_events"):
        ids = [r["id"] for r in upgraded.records[name]]
        assert len(ids) == len(set(ids)), name
        assert {r["ticket_id"] for r in upgraded.records[name]} >= ai, name
        # Besides them, only what every incremental sync of a time export reads again: its saved second.
        saved = state_of(states, name).get("timestamp")
        others = [r for r in upgraded.records[name] if r["ticket_id"] not in ai]
        assert all(saved is not None and r["timestamp"] >= saved for r in others), name
        assert len(set(ids) | {r["id"] for r in old.records[name]}) == expected_count(summary, name), name
    assert any("tickets_handled_by" in line for line in upgraded.logs("INFO"))
    for name in STREAMS:
        assert upgraded.states[name]["support_type_scope"] == "all" and "scope_backfill" not in upgraded.states[name]
    again = run_connector("read", sandbox["config"], catalog, state=upgraded.state_list())
    assert again.returncode == 0 and not again.records.get("tickets") and not again.records.get("ticket_metrics")


def _read_killed_in_backfill(config, catalog, state, workdir) -> List[Dict[str, Any]]:
    """Run a read and SIGKILL it right after the first STATE of `tickets` that holds a backfill's progress."""
    (workdir / "config.json").write_text(json.dumps(config))
    (workdir / "catalog.json").write_text(json.dumps(catalog))
    (workdir / "state.json").write_text(json.dumps(state))
    args = [
        *ENTRYPOINT,
        "read",
        "--config",
        str(workdir / "config.json"),
        "--catalog",
        str(workdir / "catalog.json"),
        "--state",
        str(workdir / "state.json"),
    ]
    process = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, cwd=PROJECT_ROOT)
    lines = []
    for line in process.stdout:
        lines.append(line)
        if (
            line.startswith('{"type":"STATE"')
            and '"tickets"' in line
            and "scope_backfill" in line
            and '"after_cursor"' in line.split("scope_backfill", 1)[1]
        ):
            process.kill()
            break
    process.wait()
    return parse_lines(lines)


def test_a_backfill_killed_halfway_resumes_with_nothing_lost(sandbox, summary, catalog, before_the_option, tmp_path):
    _, states = before_the_option
    messages = _read_killed_in_backfill(sandbox["config"], catalog, states, tmp_path)
    first = [m["record"]["data"] for m in messages if m["type"] == "RECORD" and m["record"]["stream"] == "tickets"]
    saved = {s["stream"]["stream_descriptor"]["name"]: s for s in states}
    for message in messages:
        if message["type"] == "STATE":
            saved[message["state"]["stream"]["stream_descriptor"]["name"]] = message["state"]
    killed_state = state_of(list(saved.values()), "tickets")
    assert killed_state["scope_backfill"]["state"].get("after_cursor"), "killed before the backfill checkpointed"
    resumed = run_connector("read", sandbox["config"], catalog, state=list(saved.values()))
    assert resumed.returncode == 0, resumed.stderr[-3000:]
    second = resumed.records["tickets"]
    want = summary["resources"]["tickets"]["ai_agent"]
    assert all(t["support_type"] == "ai_agent" for t in first + second)
    assert len(ai_agent_ids(first) | ai_agent_ids(second)) == want  # nothing lost
    repeated = sum((Counter(t["id"] for t in first + second) - Counter(set(t["id"] for t in first + second))).values())
    assert repeated <= EXPORT_PAGE  # at most the page the kill cut short
    assert resumed.states["tickets"]["support_type_scope"] == "all"
