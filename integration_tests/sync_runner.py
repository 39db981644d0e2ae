"""Runs the connector's real entrypoint as a subprocess and collects what it prints, for end-to-end tests."""

from __future__ import annotations

import json
import random
import subprocess
import sys
import tempfile
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Dict, Iterable, List, Optional, Set

import orjson
import requests

PROJECT_ROOT = Path(__file__).resolve().parent.parent
ENTRYPOINT = [sys.executable, str(PROJECT_ROOT / "main.py")]


@dataclass
class SyncOutput:
    messages: List[Dict[str, Any]]
    returncode: int
    stderr: str = ""
    records: Dict[str, List[Dict[str, Any]]] = field(default_factory=lambda: defaultdict(list))
    states: Dict[str, Dict[str, Any]] = field(default_factory=dict)
    state_messages: List[Dict[str, Any]] = field(default_factory=list)

    def __post_init__(self) -> None:
        for message in self.messages:
            if message["type"] == "RECORD":
                self.records[message["record"]["stream"]].append(message["record"]["data"])
            elif message["type"] == "STATE":
                stream_state = message["state"]["stream"]
                self.states[stream_state["stream_descriptor"]["name"]] = stream_state.get("stream_state") or {}
                self.state_messages.append(message["state"])

    def of_type(self, kind: str) -> List[Dict[str, Any]]:
        return [message for message in self.messages if message["type"] == kind]

    def traces(self, kind: str) -> List[Dict[str, Any]]:
        return [message["trace"] for message in self.of_type("TRACE") if message["trace"]["type"] == kind]

    def statuses(self, stream: str) -> List[str]:
        return [
            trace["stream_status"]["status"]
            for trace in self.traces("STREAM_STATUS")
            if trace["stream_status"]["stream_descriptor"]["name"] == stream
        ]

    def logs(self, level: Optional[str] = None) -> List[str]:
        return [m["log"]["message"] for m in self.of_type("LOG") if level is None or m["log"]["level"] == level]

    def state_list(self) -> List[Dict[str, Any]]:
        """The latest STATE of every stream, as the platform would pass it back with --state."""
        return [
            {"type": "STREAM", "stream": {"stream_descriptor": {"name": name}, "stream_state": state}}
            for name, state in self.states.items()
        ]


def parse_lines(lines: Iterable[str]) -> List[Dict[str, Any]]:
    messages = []
    for line in lines:
        line = line.strip()
        if line.startswith("{"):
            try:
                messages.append(orjson.loads(line))
            except orjson.JSONDecodeError:
                continue  # a line cut by a kill
    return messages


def run_connector(
    command: str,
    config: Dict[str, Any],
    catalog: Optional[Dict[str, Any]] = None,
    state: Optional[List[Dict[str, Any]]] = None,
    timeout: float = 600,
    workdir: Optional[Path] = None,
) -> SyncOutput:
    workdir = Path(workdir or tempfile.mkdtemp(prefix="zendesk-e2e-"))
    args = [*ENTRYPOINT, command, "--config", _write(workdir / "config.json", config)]
    if catalog is not None:
        args += ["--catalog", _write(workdir / "catalog.json", catalog)]
    if state is not None:
        args += ["--state", _write(workdir / "state.json", state)]
    completed = subprocess.run(args, capture_output=True, text=True, timeout=timeout, cwd=PROJECT_ROOT)
    return SyncOutput(parse_lines(completed.stdout.splitlines()), completed.returncode, completed.stderr)


def discovered_catalog(config: Dict[str, Any]) -> List[Dict[str, Any]]:
    """Discover's streams. Like the platform, keeps a config the connector updated (a rotated OAuth token)."""
    output = run_connector("discover", config)
    for control in output.of_type("CONTROL"):
        config.clear()
        config.update(control["control"]["connectorConfig"]["config"])
    catalogs = output.of_type("CATALOG")
    assert catalogs, f"discover printed no catalog: {output.messages[-3:]} {output.stderr[-2000:]}"
    return catalogs[0]["catalog"]["streams"]


def configured_catalog(
    streams: List[Dict[str, Any]], names: Optional[Iterable[str]] = None, incremental: bool = True
) -> Dict[str, Any]:
    wanted = set(names) if names is not None else None
    configured = []
    for stream in streams:
        if wanted is not None and stream["name"] not in wanted:
            continue
        can_increment = "incremental" in stream["supported_sync_modes"]
        mode = "incremental" if incremental and can_increment else "full_refresh"
        configured.append(
            {
                "stream": stream,
                "sync_mode": mode,
                "destination_sync_mode": "append_dedup" if mode == "incremental" else "overwrite",
                **({"cursor_field": stream.get("default_cursor_field") or []} if mode == "incremental" else {}),
                **(
                    {"primary_key": stream["source_defined_primary_key"]}
                    if stream.get("source_defined_primary_key")
                    else {}
                ),
            }
        )
    return {"streams": configured}


def primary_key_of(record: Dict[str, Any], key_paths: List[List[str]]) -> Any:
    return tuple(record.get(path[0]) for path in key_paths)


def _write(path: Path, content: Any) -> str:
    path.write_text(json.dumps(content))
    return str(path)


def read_killed_after_states(
    config: Dict[str, Any], catalog: Dict[str, Any], state, kill_after_states: int, workdir
) -> tuple:
    """Run a read and SIGKILL it right after its n-th STATE line; return (messages, finished)."""
    (workdir / "config.json").write_text(json.dumps(config))
    (workdir / "catalog.json").write_text(json.dumps(catalog))
    args = [*ENTRYPOINT, "read", "--config", str(workdir / "config.json"), "--catalog", str(workdir / "catalog.json")]
    if state is not None:
        (workdir / "state.json").write_text(json.dumps(state))
        args += ["--state", str(workdir / "state.json")]
    process = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, cwd=PROJECT_ROOT)
    lines, states_seen = [], 0
    for line in process.stdout:
        lines.append(line)
        if '"type":"STATE"' in line.replace(" ", ""):
            states_seen += 1
            if states_seen >= kill_after_states:
                process.kill()
                break
    process.wait()
    return parse_lines(lines), process.returncode == 0


def distinct(records: List[Dict[str, Any]], key_paths: List[List[str]]) -> Set:
    """Records by their primary key (a record read twice counts once)."""
    return {tuple(json.dumps(record.get(path[0]), sort_keys=True) for path in key_paths) for record in records}


def read_through_kills(
    config: Dict[str, Any], catalog: Dict[str, Any], keys: Dict[str, Any], seed: int, workdir, kills: int = 8
) -> Dict[str, Set]:
    """Read, SIGKILL the read at a random STATE `kills` times, resuming each time from the last STATE of each
    stream, then let one run finish; return every stream's records by key across all the runs."""
    rng = random.Random(seed)
    seen: Dict[str, Set] = defaultdict(set)
    states: Dict[str, Any] = {}
    for attempt in range(kills + 22):
        state = [
            {"type": "STREAM", "stream": {"stream_descriptor": {"name": n}, "stream_state": s}}
            for n, s in states.items()
        ]
        kill_after = rng.randint(1, 12) if attempt < kills else 10**9
        messages, finished = read_killed_after_states(config, catalog, state or None, kill_after, workdir)
        for message in messages:
            if message["type"] == "RECORD":
                name = message["record"]["stream"]
                seen[name] |= distinct([message["record"]["data"]], keys[name])
            elif message["type"] == "STATE":
                stream_state = message["state"]["stream"]
                states[stream_state["stream_descriptor"]["name"]] = stream_state["stream_state"]
        if finished:
            return seen
    raise AssertionError(f"the sync never finished within {kills + 22} resumed runs")


def sandbox_api(sandbox: Dict[str, Any], path: str, params: Optional[Dict[str, Any]] = None) -> Any:
    """The sandbox's own answer to a GET, asked with the account's API token (what a test compares a read with)."""
    credentials = sandbox["config"]["credentials"]
    auth = (f"{credentials['email']}/token", credentials["api_token"])
    response = requests.get(f"{sandbox['url']}{path}", params=params, auth=auth, timeout=30)
    response.raise_for_status()
    return response.json()
