"""`python -m source_zendesk_support.state_file`: a read's output into the state file of the next read."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from source_zendesk_support.input_files import read_state_file

pytestmark = pytest.mark.process  # starts the sandbox or the entrypoint, or opens a socket


def state_line(stream: str, value: dict) -> str:
    return json.dumps(
        {
            "type": "STATE",
            "state": {"type": "STREAM", "stream": {"stream_descriptor": {"name": stream}, "stream_state": value}},
        }
    )


OUTPUT = "\n".join(
    [
        json.dumps({"type": "LOG", "log": {"level": "INFO", "message": "Starting syncing"}}),
        state_line("tickets", {"after_cursor": "c1", "generated_timestamp": 10}),
        json.dumps({"type": "RECORD", "record": {"stream": "tickets", "data": {"id": 1}, "emitted_at": 1}}),
        state_line("macros", {"updated_at": "2024-01-01T00:00:00Z"}),
        state_line("tickets", {"after_cursor": "c2", "generated_timestamp": 20}),
        "not json at all",
        '{"type": "STATE", "state": {"type": "STR',  # cut short by a kill
    ]
)


def test_the_last_state_of_each_stream_becomes_a_state_file_the_connector_reads(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "source_zendesk_support.state_file"],
        input=OUTPUT,
        capture_output=True,
        text=True,
        check=True,
    )
    states = json.loads(result.stdout)
    assert [(s["stream"]["stream_descriptor"]["name"], s["stream"]["stream_state"]) for s in states] == [
        ("tickets", {"after_cursor": "c2", "generated_timestamp": 20}),
        ("macros", {"updated_at": "2024-01-01T00:00:00Z"}),
    ]
    assert "2 streams" in result.stderr
    path = tmp_path / "state.json"
    path.write_text(result.stdout)
    parsed = read_state_file(str(path))
    assert {s.stream.stream_descriptor.name for s in parsed} == {"tickets", "macros"}


def test_merge_keeps_the_streams_this_read_did_not_checkpoint(tmp_path):
    old = tmp_path / "old.json"
    old.write_text(
        json.dumps(
            [
                json.loads(state_line("users", {"updated_at": 5}))["state"],
                json.loads(state_line("tickets", {"after_cursor": "c0"}))["state"],
            ]
        )
    )
    out = tmp_path / "out.jsonl"
    out.write_text(OUTPUT)
    result = subprocess.run(
        [sys.executable, "-m", "source_zendesk_support.state_file", str(out), "--merge", str(old)],
        capture_output=True,
        text=True,
        check=True,
    )
    states = {s["stream"]["stream_descriptor"]["name"]: s["stream"]["stream_state"] for s in json.loads(result.stdout)}
    assert states == {
        "users": {"updated_at": 5},
        "tickets": {"after_cursor": "c2", "generated_timestamp": 20},
        "macros": {"updated_at": "2024-01-01T00:00:00Z"},
    }
