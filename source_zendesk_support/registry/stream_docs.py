"""Prints the README's stream table from the registry, so the documentation cannot drift from the code.

python -m source_zendesk_support.registry.stream_docs
"""

from __future__ import annotations

from .table import ALL_STREAMS
from ..streams.spec import StreamSpec


def _endpoint(spec: StreamSpec) -> str:
    query = "&".join(f"{key}={value}" for key, value in spec.params.items())
    path = f"/api/v2/{spec.path}" + (f"?{query}" if query else "")
    if spec.parents:
        path += f" (parents from /api/v2/{spec.parents.path})"
    return f"`{path}`"


def _modes(spec: StreamSpec) -> str:
    return "full refresh, incremental" if spec.cursor_field else "full refresh"


def render() -> str:
    rows = [
        "| Stream | Product | Sync modes | Cursor | Primary key | Endpoint | Paging |",
        "|---|---|---|---|---|---|---|",
    ]
    for spec in ALL_STREAMS:
        key = spec.primary_key if isinstance(spec.primary_key, str) else ", ".join(spec.primary_key or []) or "none"
        rows.append(
            f"| {spec.name} | {spec.product} | {_modes(spec)} | {spec.cursor_field or '-'} | {key} | "
            f"{_endpoint(spec)} | {spec.family.paging} |"
        )
    return "\n".join(rows)


if __name__ == "__main__":
    print(render())
