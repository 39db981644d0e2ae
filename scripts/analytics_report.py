"""One HTML page from `make analytics`' summary (analytics.json): the headline figures, their charts (reply and
resolution time distributions, backlog over time, SLA breaches by policy) and the sync's own story (records and
requests per stream, seconds waited for Zendesk's rate limits). Plotly, its JavaScript inlined: the page works
offline. Runs in the analytics virtual environment (analytics/requirements.txt).

Usage: python scripts/analytics_report.py SUMMARY_JSON REPORT_HTML
"""

from __future__ import annotations

import html
import json
import sys
from pathlib import Path

import plotly.graph_objects as go
from plotly.offline import get_plotlyjs

from analytics_figures import CHART_IDS


def _draw(figure: go.Figure, div_id: str, title: str) -> str:
    figure.update_layout(title=title, height=380, margin={"t": 50, "l": 60, "r": 20, "b": 50}, template="plotly_white")
    return figure.to_html(full_html=False, include_plotlyjs=False, div_id=div_id)


def charts(summary: dict) -> list[str]:
    """The charts in CHART_IDS' order, each drawn into the element of that id."""
    figures = summary["figures"]
    backlog = go.Figure()
    for status in figures["backlog_by_status"]:
        days = [(day, n) for day, s, n in figures["backlog_over_time"] if s == status]
        backlog.add_trace(go.Scatter(x=[d for d, _ in days], y=[n for _, n in days], name=status, stackgroup="one"))
    policies = [f"{name} · {metric}" for name, metric, _, _ in figures["sla_by_policy"]]
    sla = go.Figure(
        [
            go.Bar(
                x=policies, y=[total - breached for _, _, total, breached in figures["sla_by_policy"]], name="achieved"
            ),
            go.Bar(x=policies, y=[breached for _, _, _, breached in figures["sla_by_policy"]], name="breached"),
        ]
    )
    sla.update_layout(barmode="stack")
    streams = summary["sync"]["streams"]
    names = sorted(streams)
    records = go.Figure(
        [
            go.Bar(x=names, y=[streams[n]["records"] for n in names], name="records"),
            go.Bar(x=names, y=[streams[n]["requests"] for n in names], name="requests"),
        ]
    )
    records.update_layout(barmode="group", yaxis_type="log")
    drawn = [
        (
            go.Figure(go.Histogram(x=[m / 60 for m in figures["first_reply_minutes"]], nbinsx=30)),
            "First reply time (calendar hours, per ticket)",
        ),
        (
            go.Figure(go.Histogram(x=[m / 60 for m in figures["resolution_minutes"]], nbinsx=30)),
            "Full resolution time (calendar hours, per solved ticket)",
        ),
        (backlog, "Backlog over time (unsolved tickets by status)"),
        (sla, "SLA targets by policy and metric"),
        (records, "The sync: records and requests per stream"),
        (
            go.Figure(go.Bar(x=names, y=[streams[n]["waited_seconds"] for n in names])),
            "The sync: seconds waited for Zendesk's rate limits, per stream",
        ),
    ]
    return [_draw(figure, div_id, title) for div_id, (figure, title) in zip(CHART_IDS, drawn, strict=True)]


def headline_table(summary: dict) -> str:
    f = summary["figures"]

    def hours(minutes):
        return "n/a" if minutes is None else f"{minutes / 60:.1f} h"

    rate = f["sla"]["breach_rate"]
    rows = [
        ("Tickets", f"{f['tickets']} ({f['solved_or_closed']} solved or closed)"),
        (
            "Median first reply",
            f"{hours(f['median_first_reply_minutes']['calendar'])} calendar, "
            f"{hours(f['median_first_reply_minutes']['business'])} business",
        ),
        (
            "Median full resolution",
            f"{hours(f['median_full_resolution_minutes']['calendar'])} calendar, "
            f"{hours(f['median_full_resolution_minutes']['business'])} business",
        ),
        ("SLA breach rate", "n/a" if rate is None else f"{rate:.1%} of {f['sla']['events']} SLA targets"),
        ("Backlog", ", ".join(f"{s} {n}" for s, n in f["backlog_by_status"].items())),
        ("Run", ", ".join(f"{phase} {seconds:.0f} s" for phase, seconds in summary["phases_seconds"].items())),
    ]
    return (
        "<table>"
        + "".join(f"<tr><th>{html.escape(k)}</th><td>{html.escape(v)}</td></tr>" for k, v in rows)
        + "</table>"
    )


def render(summary: dict) -> str:
    body = "\n".join(f'<section class="chart">{chart}</section>' for chart in charts(summary))
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Zendesk support analytics</title>
<style>body{{font-family:sans-serif;max-width:1100px;margin:2em auto;color:#222}}
table{{border-collapse:collapse;margin-bottom:2em}}\
th{{text-align:left;padding:4px 16px 4px 0}}td{{padding:4px 0}}</style>
<script>{get_plotlyjs()}</script></head>
<body><h1>Zendesk support analytics</h1>
<p>Built by fivetran/zendesk on the tables source-zendesk-support synced into {html.escape(summary["destination"])}.</p>
{headline_table(summary)}
{body}
</body></html>
"""


def main(summary_path: str, report_path: str) -> None:
    summary = json.loads(Path(summary_path).read_text())
    Path(report_path).write_text(render(summary))


if __name__ == "__main__":
    main(*sys.argv[1:3])
