"""Small in-memory models of Zendesk's two incremental export protocols, served through requests-mock callbacks.

They follow the documented rules (../shared/reference/zendesk-api-notes.md §3.3-3.4) closely enough to drive
property tests: time-based pages finish their last second up to a hard cap, repeat that second on the next page
when the cap cut it, and end with end_time = last timestamp; cursor pages are an exact (timestamp, id) keyset.
"""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass, field
from typing import Any, Dict, List, Tuple
from urllib.parse import parse_qs, urlparse

JSON = {"Content-Type": "application/json; charset=utf-8"}


def _query(request) -> Dict[str, str]:
    return {key: values[0] for key, values in parse_qs(urlparse(request.url).query).items()}


def _in_scope(query: Dict[str, str], record_id: int, ai_ids) -> bool:
    """Zendesk's support_type_scope: without it only human agents' tickets (and their events) are served."""
    scope = query.get("support_type_scope", "agent")
    return scope == "all" or (record_id in ai_ids) == (scope == "ai_agent")


@dataclass
class TimeExport:
    """records: (id, timestamp) in Zendesk's order (by timestamp, insertion order inside a second)."""

    records: List[Tuple[int, int]]
    list_key: str
    cursor_field: str
    fill: int  # a page holds at least this many records when there are that many
    cap: int  # ... and never more than this many (Zendesk's 1000)
    requests: List[int] = field(default_factory=list)
    ai_ids: frozenset = frozenset()  # records of AI-agent tickets, served only to a scope that asks for them
    scopes: List[str] = field(default_factory=list)

    def record(self, record_id: int, ts: int) -> Dict[str, Any]:
        return {"id": record_id, self.cursor_field: ts, "ticket_id": record_id % 7}

    def __call__(self, request, context) -> str:
        context.headers.update(JSON)
        query = _query(request)
        start = int(query["start_time"])
        self.requests.append(start)
        self.scopes.append(query.get("support_type_scope"))
        eligible = [(i, ts) for i, ts in self.records if ts >= start and _in_scope(query, i, self.ai_ids)]
        taken = eligible[: self.fill]
        rest = eligible[len(taken) :]
        while rest and taken and rest[0][1] == taken[-1][1] and len(taken) < self.cap:
            taken.append(rest.pop(0))
        if not taken:
            body = {"count": 0, "end_of_stream": True, "end_time": start}
        elif not rest:
            body = {"count": len(taken), "end_of_stream": True, "end_time": taken[-1][1]}
        elif rest[0][1] == taken[-1][1]:  # the cap cut a second: it is sent again from its start
            body = {"count": len(taken), "end_of_stream": False, "end_time": taken[-1][1]}
        else:
            body = {"count": len(taken), "end_of_stream": False, "end_time": taken[-1][1] + 1}
        body[self.list_key] = [self.record(i, ts) for i, ts in taken]
        body["next_page"] = f"{request.url.split('?')[0]}?start_time={body['end_time']}"
        return json.dumps(body)


def _cursor(ts: int, record_id: int) -> str:
    return base64.b64encode(f"{ts}.0||{record_id}|".encode()).decode()


def _uncursor(cursor: str) -> Tuple[int, int]:
    text = base64.b64decode(cursor.encode()).decode()
    ts, _, rest = text.partition(".0||")
    return int(ts), int(rest.rstrip("|"))


@dataclass
class CursorExport:
    """records: (id, timestamp); served in strict (timestamp, id) order, `page` per request."""

    records: List[Tuple[int, int]]
    list_key: str
    cursor_field: str
    page: int
    requests: List[Dict[str, str]] = field(default_factory=list)
    ai_ids: frozenset = frozenset()  # AI-agent tickets, served only to a scope that asks for them

    def __call__(self, request, context) -> str:
        context.headers.update(JSON)
        query = _query(request)
        self.requests.append(query)
        ordered = sorted((r for r in self.records if _in_scope(query, r[0], self.ai_ids)), key=lambda r: (r[1], r[0]))
        if "cursor" in query:
            position = _uncursor(query["cursor"])
            eligible = [r for r in ordered if (r[1], r[0]) > position]
        else:
            eligible = [r for r in ordered if r[1] >= int(query["start_time"])]
        taken = eligible[: self.page]
        last = taken[-1] if taken else None
        if last is None and "cursor" in query:
            after = query["cursor"]
        elif last is None:
            after = _cursor(int(query["start_time"]) - 1, 2**62)
        else:
            after = _cursor(last[1], last[0])
        return json.dumps(
            {
                self.list_key: [{"id": i, self.cursor_field: ts} for i, ts in taken],
                "after_cursor": after,
                "after_url": f"{request.url.split('?')[0]}?cursor={after}",
                "before_cursor": None,
                "end_of_stream": len(eligible) <= self.page,
            }
        )


@dataclass
class ArticleExport:
    """Help Center's article export: pages of at most `cap`, end_time = next start_time = the last record's second."""

    records: List[Tuple[int, int]]
    cap: int
    requests: List[int] = field(default_factory=list)

    def __call__(self, request, context) -> str:
        from datetime import datetime, timezone

        context.headers.update(JSON)
        start = int(_query(request)["start_time"])
        self.requests.append(start)
        taken = [(i, ts) for i, ts in self.records if ts >= start][: self.cap]
        if not taken:
            return json.dumps({"articles": [], "count": 0, "end_time": None, "next_page": None})
        iso = lambda ts: datetime.fromtimestamp(ts, tz=timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")  # noqa: E731
        end_time = taken[-1][1]
        return json.dumps(
            {
                "articles": [{"id": i, "updated_at": iso(ts)} for i, ts in taken],
                "count": len(taken),
                "end_time": end_time,
                "next_page": f"{request.url.split('?')[0]}?start_time={end_time}",
            }
        )
