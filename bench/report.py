"""Tables of a benchmark run (Markdown pipe tables: readable in a terminal and in docs/)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Dict, List, Mapping, Optional, Sequence

from .bounds import SOURCES, EndpointBound, stream_of_path
from .sync import SyncRun


def table(header: Sequence[str], rows: Sequence[Sequence], align: Optional[str] = None) -> List[str]:
    align = align or "l" + "r" * (len(header) - 1)
    cells = [[str(c) for c in header]] + [[_cell(c) for c in row] for row in rows]
    widths = [max(len(r[i]) for r in cells) for i in range(len(header))]

    def fmt(r: Sequence[str]) -> str:
        return "| " + " | ".join(c.ljust(w) if a == "l" else c.rjust(w) for c, w, a in zip(r, widths, align)) + " |"

    rule = "|" + "|".join(("-" * (w + 1) + ":") if a == "r" else ("-" * (w + 2)) for w, a in zip(widths, align)) + "|"
    return [fmt(cells[0]), rule] + [fmt(r) for r in cells[1:]]


def _cell(value) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:,.1f}" if value < 1e5 else f"{value:,.0f}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def mb(n_bytes: int) -> str:
    return f"{n_bytes / 1e6:,.0f} MB"


@dataclass
class RunFigures:
    """What one read measured, with the bounds it is held against."""

    label: str
    run: SyncRun
    requests_by_path: Dict[str, Dict[str, int]]
    bounds: Dict[str, EndpointBound] = field(default_factory=dict)
    min_wall_seconds: Optional[float] = None

    @property
    def requests(self) -> int:
        return sum(sum(statuses.values()) for statuses in self.requests_by_path.values())

    @property
    def throttled(self) -> int:
        return sum(statuses.get("429", 0) for statuses in self.requests_by_path.values())

    @property
    def min_requests(self) -> Optional[int]:
        return sum(b.min_requests for b in self.bounds.values()) if self.bounds else None

    def requests_of(self, path: str) -> int:
        return sum(self.requests_by_path.get(path, {}).values())


def expected_records(stream: str, summary: Mapping) -> Optional[int]:
    source, resource = SOURCES.get(stream), summary["resources"].get(stream)
    if source is None or resource is None:
        return None
    if source.count == "total":
        return resource["total"]
    return resource["endpoints"].get(source.endpoint, resource["total"])


def stream_table(figures: RunFigures, streams: Sequence[str], summary: Optional[Mapping]) -> List[str]:
    """Per stream: records (and the sandbox's count), requests against the minimum, speed, state size."""
    run, seen = figures.run, set()
    requests_by_stream: Dict[str, int] = {}
    unmapped: Dict[str, int] = {}
    for path in figures.requests_by_path:
        owner = stream_of_path(path, streams)
        if owner is None:
            unmapped[path] = figures.requests_of(path)
        else:
            requests_by_stream[owner] = requests_by_stream.get(owner, 0) + figures.requests_of(path)
    rows = []
    for stream in streams:
        s = run.streams.get(stream)
        source = SOURCES.get(stream)
        shared = source is not None and source.endpoint in seen
        if source is not None:
            seen.add(source.endpoint)
        bound = (
            sum(b.min_requests for b in figures.bounds.values() if b.streams[0] == stream) if figures.bounds else None
        )
        records = s.records if s else 0
        seconds = s.seconds if s else None
        # when the stream's first message came, seconds after the process started: shows who waited for whom
        start = s.started - run.started_at if s and s.started is not None and run.started_at else None
        rows.append(
            [
                stream,
                records,
                expected_records(stream, summary) if summary else None,
                "shared" if shared else requests_by_stream.get(stream, 0),
                "shared" if shared else bound,
                records / seconds if seconds and records else None,
                start,
                seconds,
                s.state_bytes if s else 0,
                s.status if s else "not run",
            ]
        )
    for path, n in sorted(unmapped.items()):
        rows.append([f"(other) {path}", None, None, n, None, None, None, None, None, ""])
    run_seconds = run.seconds or 1e-9
    rows.append(
        [
            "**total**",
            run.records,
            None,
            figures.requests,
            figures.min_requests,
            run.records / run_seconds,
            None,
            run_seconds,
            run.state_bytes,
            f"exit {run.exit_code}",
        ]
    )
    return table(
        [
            "stream",
            "records",
            "sandbox count",
            "requests",
            "min requests",
            "records/s",
            "from s",
            "seconds",
            "state bytes",
            "status",
        ],
        rows,
        "lrrrrrrrrl",
    )


def totals_line(figures: RunFigures) -> str:
    run = figures.run
    parts = [f"{run.records:,} records", f"{figures.requests:,} requests"]
    if figures.min_requests:
        parts.append(f"min {figures.min_requests:,} ({figures.requests / figures.min_requests:.3f}x)")
    parts += [f"{run.records / max(run.seconds, 1e-9):,.0f} records/s", f"wall {run.seconds:,.1f} s"]
    if figures.min_wall_seconds is not None:
        ratio = run.seconds / figures.min_wall_seconds if figures.min_wall_seconds > 0 else float("inf")
        parts.append(f"bound {figures.min_wall_seconds:,.1f} s ({ratio:.2f}x)")
    parts += [
        f"peak RSS {mb(run.peak_rss_bytes)}",
        f"state {run.state_bytes:,} B",
        f"429s {figures.throttled}",
        f"exit {run.exit_code}",
    ]
    if run.errors:
        parts.append(f"{len(run.errors)} errors: {run.errors[0][:120]}")
    if run.timed_out:
        parts.append("TIMED OUT (killed)")
    return f"{figures.label}: " + ", ".join(parts)


def requests_table(figures: RunFigures) -> List[str]:
    rows = [
        [path, figures.requests_of(path), ", ".join(f"{k}: {v}" for k, v in sorted(s.items()))]
        for path, s in sorted(figures.requests_by_path.items())
    ]
    return table(["path", "requests", "by status"], rows, "lrl")


def side_by_side(ours: RunFigures, peer: Optional[RunFigures], streams: Sequence[str], peer_note: str) -> List[str]:
    rows = []
    for stream in streams:
        a = ours.run.streams.get(stream)
        b = peer.run.streams.get(stream) if peer else None
        rows.append(
            [
                stream,
                a.records if a else 0,
                (b.records if b else 0) if peer else None,
                _rate(a),
                _rate(b) if peer else None,
            ]
        )
    o, p = ours.run, peer.run if peer else None
    rows.append(["**total records**", o.records, p.records if p else None, None, None])
    rows.append(
        [
            "**records/s (total / wall)**",
            None,
            None,
            o.records / max(o.seconds, 1e-9),
            (p.records / max(p.seconds, 1e-9)) if p else None,
        ]
    )
    rows.append(["**wall seconds**", None, None, o.seconds, p.seconds if p else None])
    rows.append(["**requests**", ours.requests, peer.requests if peer else None, None, None])
    rows.append(
        ["**peak RSS MB**", round(o.peak_rss_bytes / 1e6), round(p.peak_rss_bytes / 1e6) if p else None, None, None]
    )
    rows.append(["**state bytes**", o.state_bytes, p.state_bytes if p else None, None, None])
    lines = table(
        ["stream", "records (ours)", f"records ({peer_note})", "records/s (ours)", f"records/s ({peer_note})"],
        rows,
        "lrrrr",
    )
    if p is not None and (p.timed_out or p.exit_code):
        lines.append(
            f"\n{peer_note}: exit {p.exit_code}{', killed at the time limit' if p.timed_out else ''}"
            f"{'; first error: ' + p.errors[0][:200] if p.errors else ''}"
        )
    return lines


def _rate(s) -> Optional[float]:
    return s.records / s.seconds if s and s.seconds and s.records else None
