"""Records from the JSON:API documents of Zendesk's agent availability APIs: a resource's attributes become the
record's columns, and the resources it refers to in the document's `included` are nested in it."""

from __future__ import annotations

from typing import Any, Dict, Iterable, List, Mapping, Tuple

from .extractors import UnexpectedShape, _array, _kind, _object

Included = Dict[Tuple[Any, Any], Mapping[str, Any]]


def _included(body: Mapping[str, Any]) -> Included:
    """The compound document's resources by (type, id)."""
    out: Included = {}
    for position, resource in enumerate(_array(body.get("included"), "'included'")):
        resource = _object(resource, f"resource {position} of 'included'")
        out[(resource.get("type"), resource.get("id"))] = resource
    return out


def _related(resource: Mapping[str, Any], name: str, included: Included) -> List[Mapping[str, Any]]:
    """The included resources a relationship names, in its order; one the document does not hold is left out."""
    relationships = _object(resource.get("relationships") or {}, "'relationships'")
    relation = _object(relationships.get(name) or {}, f"relationship '{name}'")
    out = []
    for position, ref in enumerate(_array(relation.get("data"), f"'{name}' data")):
        ref = _object(ref, f"reference {position} of '{name}'")
        found = included.get((ref.get("type"), ref.get("id")))
        if found is not None:
            out.append(found)
    return out


def _flat(resource: Mapping[str, Any]) -> Dict[str, Any]:
    return {"id": resource.get("id"), **_object(resource.get("attributes") or {}, "'attributes'")}


def agent_availabilities(body: Any, items: Any) -> Iterable[Mapping[str, Any]]:
    """One record per agent: the availability's attributes as columns, its channels from `included` nested with
    the work items each lists (only those on this page: the first page of a channel's work items)."""
    included = _included(_object(body, "the agent availabilities page"))
    for position, resource in enumerate(items or []):
        resource = _object(resource, f"availability {position} of 'data'")
        record = _flat(resource)
        if record.get("agent_id") is None:
            raise UnexpectedShape(f"Zendesk sent availability {resource.get('id')!r} without an agent_id")
        record["channels"] = [
            {**_flat(channel), "work_items": [_flat(item) for item in _related(channel, "work_items", included)]}
            for channel in _related(resource, "channels", included)
        ]
        yield record


def unified_agent_statuses(body: Any, items: Any) -> Iterable[Mapping[str, Any]]:
    """One record per unified status, `kind` saying whether Zendesk provides it (default) or an admin made it
    (custom). The two lists stand beside `links` and `meta` as Zendesk describes the answer; a JSON:API `data`
    object holding them is read the same way."""
    body = _object(body, "the unified agent statuses page")
    lists = body.get("data") if isinstance(body.get("data"), Mapping) else body
    if "default" not in lists and "custom" not in lists:
        raise UnexpectedShape(
            f"Zendesk sent {_kind(body.get('data', body))} with neither 'default' nor 'custom' where the unified "
            "statuses belong"
        )
    for kind in ("default", "custom"):
        for position, status in enumerate(_array(lists.get(kind), f"'{kind}'")):
            status = _object(status, f"status {position} of '{kind}'")
            record = {**_flat(status), "kind": kind, "type": status.get("type")}
            if "updated_at" in status:
                record["updated_at"] = status.get("updated_at")
            yield record
