"""Discover a connector's streams and build the configured catalog the benchmark reads."""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Dict, Iterable, List, Optional

import orjson

from .sync import write_json


def discover(
    command: List[str], config: Dict, workdir: Path, env: Optional[Dict[str, str]] = None, cwd: Optional[Path] = None
) -> List[Dict]:
    args = [*command, "discover", "--config", write_json(workdir / "discover-config.json", config)]
    completed = subprocess.run(args, capture_output=True, cwd=cwd, env=env, timeout=600)
    for line in completed.stdout.splitlines():
        if line.startswith(b'{"type":"CATALOG"'):
            return orjson.loads(line)["catalog"]["streams"]
    raise RuntimeError(
        f"discover printed no catalog (exit {completed.returncode}): "
        f"{completed.stdout[-800:].decode(errors='replace')} {completed.stderr[-1500:].decode(errors='replace')}"
    )


def configured_catalog(streams: List[Dict], names: Iterable[str]) -> Dict:
    """The named streams, incremental where they can be (so a second read resumes from state)."""
    wanted = set(names)
    configured = []
    for stream in streams:
        if stream["name"] not in wanted:
            continue
        incremental = "incremental" in stream.get("supported_sync_modes", [])
        key = stream.get("source_defined_primary_key") or []
        configured.append(
            {
                "stream": stream,
                "sync_mode": "incremental" if incremental else "full_refresh",
                "destination_sync_mode": "append_dedup" if incremental and key else "overwrite",
                "cursor_field": stream.get("default_cursor_field") or [] if incremental else [],
                "primary_key": key,
            }
        )
    return {"streams": configured}
