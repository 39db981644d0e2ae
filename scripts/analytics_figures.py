"""The figures a support lead looks at first, read from fivetran/zendesk's models (schema analytics_zendesk) with
SQL both DuckDB and PostgreSQL run, and printed as a short table."""

from __future__ import annotations

from typing import Any

MODELS = "analytics_zendesk"
UNSOLVED = ("new", "open", "pending", "hold")
# The report's charts (scripts/analytics_report.py), by the id of the element each is drawn in.
CHART_IDS = ["first-reply", "resolution", "backlog", "sla", "sync-records", "sync-waits"]


def _median(column: str) -> str:
    return f"percentile_cont(0.5) within group (order by {column})"


def headline(engine) -> dict[str, Any]:
    metrics = f"{MODELS}.zendesk__ticket_metrics"
    with engine.connect() as connection:

        def one(sql: str) -> Any:
            return connection.exec_driver_sql(sql).one()

        def rows(sql: str) -> list:
            return [tuple(row) for row in connection.exec_driver_sql(sql).all()]

        tickets, solved = one(
            f"select count(*), count(case when status in ('solved', 'closed') then 1 end) from {metrics}"
        )
        reply_calendar, reply_business, resolution_calendar, resolution_business = one(
            f"select {_median('first_reply_time_calendar_minutes')}, {_median('first_reply_time_business_minutes')}, "
            f"{_median('final_resolution_calendar_minutes')}, {_median('full_resolution_business_minutes')} "
            f"from {metrics}"
        )
        sla_events, sla_breaches = one(
            f"select count(*), count(case when is_sla_breach then 1 end) from {MODELS}.zendesk__sla_policies"
        )
        backlog = dict(rows(f"select status, count(*) from {metrics} where status in {UNSOLVED} group by status"))
        return {
            "tickets": tickets,
            "solved_or_closed": solved,
            "median_first_reply_minutes": {"calendar": _num(reply_calendar), "business": _num(reply_business)},
            "median_full_resolution_minutes": {
                "calendar": _num(resolution_calendar),
                "business": _num(resolution_business),
            },
            "sla": {
                "events": sla_events,
                "breaches": sla_breaches,
                "breach_rate": round(sla_breaches / sla_events, 4) if sla_events else None,
            },
            "backlog_by_status": {status: backlog.get(status, 0) for status in UNSOLVED},
            # for the report's charts
            "first_reply_minutes": [
                _num(v)
                for (v,) in rows(
                    f"select first_reply_time_calendar_minutes from {metrics} "
                    f"where first_reply_time_calendar_minutes is not null"
                )
            ],
            "resolution_minutes": [
                _num(v)
                for (v,) in rows(
                    f"select final_resolution_calendar_minutes from {metrics} "
                    f"where final_resolution_calendar_minutes is not null"
                )
            ],
            "backlog_over_time": [
                (str(day), status, n)
                for day, status, n in rows(
                    f"select date_day, status, count(*) from {MODELS}.zendesk__ticket_backlog "
                    f"where status in {UNSOLVED} group by date_day, status order by date_day"
                )
            ],
            "sla_by_policy": [
                (name or "(none)", metric, total, breached)
                for name, metric, total, breached in rows(
                    f"select sla_policy_name, metric, count(*), count(case when is_sla_breach then 1 end) "
                    f"from {MODELS}.zendesk__sla_policies group by sla_policy_name, metric order by 1, 2"
                )
            ],
        }


def _num(value: Any) -> float | None:
    return None if value is None else round(float(value), 1)


def print_headline(figures: dict[str, Any]) -> None:
    reply, resolution, sla = (
        figures["median_first_reply_minutes"],
        figures["median_full_resolution_minutes"],
        figures["sla"],
    )
    rate = "n/a" if sla["breach_rate"] is None else f"{sla['breach_rate']:.1%}"
    lines = [
        ("tickets", f"{figures['tickets']} ({figures['solved_or_closed']} solved or closed)"),
        ("median first reply", f"{_hours(reply['calendar'])} calendar, {_hours(reply['business'])} business hours"),
        (
            "median full resolution",
            f"{_hours(resolution['calendar'])} calendar, {_hours(resolution['business'])} business hours",
        ),
        ("SLA breach rate", f"{rate} ({sla['breaches']} of {sla['events']} SLA targets)"),
        ("backlog by status", ", ".join(f"{status} {n}" for status, n in figures["backlog_by_status"].items())),
    ]
    width = max(len(label) for label, _ in lines)
    for label, text in lines:
        print(f"  {label:<{width}}  {text}")


def _hours(minutes: float | None) -> str:
    return "n/a" if minutes is None else f"{minutes / 60:.1f} h"
