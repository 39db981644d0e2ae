"""Which of Zendesk's described paths the connector reads, and the docs' coverage table rendered from the registry
and the exclusion rows (coverage_exclusions.py), so the documentation cannot drift from the code.

    python -m source_zendesk_support.registry.coverage_docs
"""

from __future__ import annotations

import re
from collections import defaultdict
from typing import Dict, List

from .coverage_exclusions import EXCLUDED, Why
from .table import ALL_STREAMS

_PARAMETER = re.compile(r"\{[^}]*\}")
_RECORD_KEY = re.compile(r"\{(\w+_)?(id|key)\}")


def shape(path: str) -> str:
    """A path with its parameters unnamed, so `tickets/{ticket_id}/x` (Zendesk) and `tickets/{parent_id}/x` (a row)
    compare equal; a Help Center list's optional locale segment is dropped."""
    path = path.removeprefix("/").removeprefix("api/v2/").removesuffix(".json")
    path = path.replace("help_center/{locale}/", "help_center/")
    return _PARAMETER.sub("{}", path)


def names_one_record(path: str) -> bool:
    """`tickets/{ticket_id}`: the path's last segment is a record's id or key."""
    return bool(_RECORD_KEY.fullmatch(path.rstrip("/").rsplit("/", 1)[-1]))


def streams_reading() -> Dict[str, List[str]]:
    """Each path shape a stream requests, with the streams requesting it: its own path, and for a per-parent
    stream the parent list it walks and the list between them."""
    read: Dict[str, List[str]] = defaultdict(list)
    for spec in ALL_STREAMS:
        paths = [spec.path]
        if spec.parents:
            paths += [spec.parents.path] + ([spec.parents.via] if spec.parents.via else [])
        for path in paths:
            if spec.name not in read[shape(path)]:
                read[shape(path)].append(spec.name)
    return dict(read)


def render() -> str:
    by_reason: Dict[Why, List[str]] = defaultdict(list)
    for path, why in EXCLUDED.items():
        by_reason[why].append(path)
    rows = ["| Not read because | Paths | Zendesk paths (under `/api/v2/`) |", "|---|---|---|"]
    for why in Why:
        paths = sorted(by_reason.get(why, []))
        rows.append(f"| {why.value} | {len(paths)} | {', '.join(f'`{path}`' for path in paths)} |")
    return "\n".join(rows)


if __name__ == "__main__":
    print(render())
