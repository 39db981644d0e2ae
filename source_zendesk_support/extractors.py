"""Records that are not simply a page's list: sideloads and nested objects, taken without extra requests.

Each extractor gets the page body and the page's list items (already de-duplicated) and yields records.
"""
from __future__ import annotations

from typing import Any, Callable, Dict, Iterable, List, Mapping

Extractor = Callable[[Mapping[str, Any], List[Mapping[str, Any]]], Iterable[Mapping[str, Any]]]


def tickets_without_metric_sets(body: Mapping[str, Any], items: List[Mapping[str, Any]]) -> Iterable[Mapping[str, Any]]:
    # The export is requested with include=metric_sets so tickets and ticket_metrics read the same pages.
    for ticket in items:
        if "metric_set" in ticket:
            ticket = {key: value for key, value in ticket.items() if key != "metric_set"}
        yield ticket


def metric_sets(body: Mapping[str, Any], items: List[Mapping[str, Any]]) -> Iterable[Mapping[str, Any]]:
    for ticket in items:
        metric_set = ticket.get("metric_set")
        if metric_set:
            yield {**metric_set, "ticket_id": metric_set.get("ticket_id", ticket.get("id")), "generated_timestamp": ticket.get("generated_timestamp")}


def users_only(body: Mapping[str, Any], items: List[Mapping[str, Any]]) -> Iterable[Mapping[str, Any]]:
    return items


def identities(body: Mapping[str, Any], items: List[Mapping[str, Any]]) -> Iterable[Mapping[str, Any]]:
    return body.get("identities") or []


def comment_events(body: Mapping[str, Any], items: List[Mapping[str, Any]]) -> Iterable[Mapping[str, Any]]:
    for event in items:
        for child in event.get("child_events") or []:
            if child.get("event_type") == "Comment" or child.get("type") in ("Comment", "VoiceComment"):
                yield {
                    **child,
                    "ticket_id": event.get("ticket_id"),
                    "audit_id": event.get("id"),
                    "created_at": child.get("created_at") or event.get("created_at"),
                    "timestamp": event.get("timestamp"),
                    "event_type": child.get("event_type", "Comment"),
                }


def attribute_definitions(body: Mapping[str, Any], items: Any) -> Iterable[Mapping[str, Any]]:
    definitions = body.get("definitions") or {}
    for condition in ("all", "any"):
        for definition in definitions.get(f"conditions_{condition}") or []:
            yield {**definition, "condition": condition}


EXTRACTORS: Dict[str, Extractor] = {
    "tickets_without_metric_sets": tickets_without_metric_sets,
    "metric_sets": metric_sets,
    "users_only": users_only,
    "identities": identities,
    "comment_events": comment_events,
    "attribute_definitions": attribute_definitions,
}
