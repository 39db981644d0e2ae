"""Records that are not simply a page's list: sideloads and nested objects, taken without extra requests.

Each extractor gets the page body and the page's list items (already de-duplicated) and yields records.
"""

from __future__ import annotations

from typing import Any, Callable, Dict, Iterable, List, Mapping, Tuple

from ..foundation.clock import to_epoch
from ..foundation.log_policy import kind_of

Extractor = Callable[[Mapping[str, Any], List[Mapping[str, Any]]], Iterable[Mapping[str, Any]]]


class UnexpectedShape(ValueError):
    """A nested object not shaped as Zendesk documents it: the stream fails with this message."""


def tickets_without_metric_sets(body: Mapping[str, Any], items: List[Mapping[str, Any]]) -> Iterable[Mapping[str, Any]]:
    # The export is requested with include=metric_sets so tickets and ticket_metrics read the same pages.
    for ticket in items:
        if "metric_set" in ticket:
            ticket = dict(ticket)
            del ticket["metric_set"]
        yield ticket


def metric_sets(body: Mapping[str, Any], items: List[Mapping[str, Any]]) -> Iterable[Mapping[str, Any]]:
    for ticket in items:
        metric_set = ticket.get("metric_set")
        if metric_set:
            record = {
                **metric_set,
                "ticket_id": metric_set.get("ticket_id", ticket.get("id")),
                "generated_timestamp": ticket.get("generated_timestamp"),
            }
            updated = to_epoch(metric_set.get("updated_at"))
            if (
                updated is not None
            ):  # the column Airbyte's connector kept for this stream's cursor: tables keep it filled
                record["_ab_updated_at"] = updated
            yield record


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


# Keys every ticket child event carries; any other key of a Create/Change event is the field it sets.
_EVENT_ENVELOPE = {
    "id",
    "via",
    "via_reference_id",
    "event_type",
    "previous_value",
    "type",
    "added_tags",
    "removed_tags",
}
_HISTORY_EVENTS = ("Create", "Change")


def _history_row(event: Mapping[str, Any], child: Mapping[str, Any], field: str, old: Any, new: Any) -> Dict[str, Any]:
    return {
        "event_id": child.get("id"),
        "audit_id": event.get("id"),
        "ticket_id": event.get("ticket_id"),
        "author_id": event.get("updater_id"),
        "created_at": event.get("created_at"),
        "timestamp": event.get("timestamp"),
        "event_type": child.get("event_type"),
        "field": field,
        "old_value": old,
        "new_value": new,
    }


def _changed_fields(child: Mapping[str, Any]) -> Iterable[tuple]:
    """(field, old, new) for each field a Create/Change child event sets; custom fields come as a nested map."""
    for key, value in child.items():
        if key in _EVENT_ENVELOPE:
            continue
        if isinstance(value, Mapping) and key in ("custom_ticket_fields", "custom_fields"):
            previous = child.get("previous_value")
            if not isinstance(previous, Mapping):
                previous = {}
            for field_id, field_value in value.items():
                yield f"custom_field_{field_id}", previous.get(field_id), field_value
        else:
            yield key, child.get("previous_value"), value


def field_history(body: Mapping[str, Any], items: List[Mapping[str, Any]]) -> Iterable[Mapping[str, Any]]:
    for event in items:
        for child in event.get("child_events") or []:
            if child.get("event_type") not in _HISTORY_EVENTS:
                continue
            for field, old, new in _changed_fields(child):
                if field != "tags":
                    yield _history_row(event, child, field, old, new)


def tag_history(body: Mapping[str, Any], items: List[Mapping[str, Any]]) -> Iterable[Mapping[str, Any]]:
    for event in items:
        for child in event.get("child_events") or []:
            if child.get("event_type") in _HISTORY_EVENTS and (
                "tags" in child or "added_tags" in child or "removed_tags" in child
            ):
                old, new = child.get("previous_value") or [], child.get("tags") or []
                row = _history_row(event, child, "tags", old, new)
                row["added_tags"] = child.get("added_tags") or [tag for tag in new if tag not in old]
                row["removed_tags"] = child.get("removed_tags") or [tag for tag in old if tag not in new]
                yield row


def ticket_attachments(body: Mapping[str, Any], items: List[Mapping[str, Any]]) -> Iterable[Mapping[str, Any]]:
    for comment in comment_events(body, items):
        for attachment in comment.get("attachments") or []:
            yield {
                **attachment,
                "ticket_id": comment.get("ticket_id"),
                "comment_id": comment.get("id"),
                "audit_id": comment.get("audit_id"),
                "created_at": comment.get("created_at"),
                "timestamp": comment.get("timestamp"),
            }


def chat_bans(body: Any, items: Any) -> Iterable[Mapping[str, Any]]:
    for kind in ("visitor", "ip_address"):
        for ban in (body.get(kind) if isinstance(body, Mapping) else None) or []:
            yield {**ban, "type": ban.get("type", kind)}


def from_messaging(ticket: Mapping[str, Any]) -> bool:
    """A ticket whose via type is a messaging channel (web and mobile messaging, WhatsApp, Messenger, SMS, ...),
    as Zendesk flags it: its conversation lives in the conversation log, not in its comments."""
    return ticket.get("from_messaging_channel") is True


def side_conversation_events(body: Any, items: Any) -> Iterable[Mapping[str, Any]]:
    """The events Zendesk sideloads beside a page of side conversations (include=events)."""
    events = body.get("events") if isinstance(body, Mapping) else None
    for event in events if isinstance(events, list) else []:
        if isinstance(event, Mapping):
            yield event


def side_conversation_recipients(body: Any, items: Any) -> Iterable[Mapping[str, Any]]:
    """Who each side conversation went to (its participants), with the conversation's id and update time."""
    for conversation in items or []:
        if not isinstance(conversation, Mapping):
            continue
        for participant in conversation.get("participants") or []:
            if isinstance(participant, Mapping):
                yield {
                    **participant,
                    "recipient": recipient_of(participant),
                    "side_conversation_id": conversation.get("id"),
                    "updated_at": conversation.get("updated_at"),
                }


def recipient_of(participant: Mapping[str, Any]) -> str:
    """One name per recipient whatever its kind (an email address, a Slack channel, a group, an agent, a user):
    with the conversation's id, the recipient row's key."""
    if participant.get("email"):
        return str(participant["email"]).lower()
    if participant.get("slack_channel_id"):
        return f"slack:{participant.get('slack_workspace_id')}/{participant['slack_channel_id']}"
    for kind in ("support_group_id", "support_agent_id", "user_id"):
        if participant.get(kind) is not None:
            return f"{kind[:-3]}:{participant[kind]}"
    return "unknown"


def ivr_menus(body: Any, items: Any) -> Iterable[Mapping[str, Any]]:
    """The menus inside each IVR of the list, with the IVR's id; their routes are a stream of their own."""
    for ivr in items or []:
        for menu in (ivr.get("menus") if isinstance(ivr, Mapping) else None) or []:
            if isinstance(menu, Mapping):
                yield {**{key: value for key, value in menu.items() if key != "routes"}, "ivr_id": ivr.get("id")}


def ivr_routes(body: Any, items: Any) -> Iterable[Mapping[str, Any]]:
    """The routes inside each menu of each IVR, with the ids of both."""
    for ivr in items or []:
        for menu in (ivr.get("menus") if isinstance(ivr, Mapping) else None) or []:
            for route in (menu.get("routes") if isinstance(menu, Mapping) else None) or []:
                if isinstance(route, Mapping):
                    yield {**route, "ivr_id": ivr.get("id"), "ivr_menu_id": menu.get("id")}


def help_center_locales(body: Any, items: Any) -> Iterable[Mapping[str, Any]]:
    """One row per enabled Help Center locale (Zendesk lists them as bare strings), marking the default one."""
    body = _object(body, "the Help Center's locales")
    default = body.get("default_locale")
    for position, locale in enumerate(_array(body.get("locales"), "'locales'")):
        if not isinstance(locale, str) or not locale:
            raise UnexpectedShape(
                f"Zendesk sent {kind_of(locale)} as locale {position} of 'locales' where a locale code belongs"
            )
        yield {"locale": locale, "default": locale == default}


# --- JSON:API documents (the agent availability APIs): a resource's attributes become the record's columns, and
# the resources it refers to in the document's `included` are nested in it.
JsonApiIncluded = Dict[Tuple[Any, Any], Mapping[str, Any]]


def _included(body: Mapping[str, Any]) -> JsonApiIncluded:
    """The compound document's resources by (type, id)."""
    out: JsonApiIncluded = {}
    for position, resource in enumerate(_array(body.get("included"), "'included'")):
        resource = _object(resource, f"resource {position} of 'included'")
        out[(resource.get("type"), resource.get("id"))] = resource
    return out


def _related(resource: Mapping[str, Any], name: str, included: JsonApiIncluded) -> List[Mapping[str, Any]]:
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
            "Zendesk sent an answer with neither 'default' nor 'custom' where the unified statuses belong"
        )
    for kind in ("default", "custom"):
        for position, status in enumerate(_array(lists.get(kind), f"'{kind}'")):
            status = _object(status, f"status {position} of '{kind}'")
            record = {**_flat(status), "kind": kind, "type": status.get("type")}
            if "updated_at" in status:
                record["updated_at"] = status.get("updated_at")
            yield record


def _object(value: Any, what: str) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise UnexpectedShape(f"Zendesk sent {kind_of(value)} as {what} where an object belongs")
    return value


def _array(value: Any, what: str) -> List[Any]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise UnexpectedShape(f"Zendesk sent {kind_of(value)} as {what} where a list belongs")
    return value


def _present(value: Any, what: str, belongs: str = "an id") -> Any:
    if value is None or isinstance(value, (Mapping, list)):
        raise UnexpectedShape(f"Zendesk sent {kind_of(value)} as {what} where {belongs} belongs")
    return value


def condition_value(value: Any) -> Any:
    """The parent field's value as text, so one column holds a drop-down's tag and a checkbox's true/false."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return value if value is None or isinstance(value, str) else str(value)


def _condition_rows(key: str, with_statuses: bool) -> Extractor:
    """One row per child field of each condition set under a ticket form's `key`."""

    def extract(body: Mapping[str, Any], items: List[Mapping[str, Any]]) -> Iterable[Mapping[str, Any]]:
        for form in items:
            form = _object(form, "a ticket form")
            form_id = _present(form.get("id"), "a ticket form's id")
            where = f"ticket form {form_id}'s {key}"
            for n, condition in enumerate(_array(form.get(key), where)):
                condition = _object(condition, f"{where}[{n}]")
                parent_id = _present(condition.get("parent_field_id"), f"{where}[{n}].parent_field_id")
                for k, child in enumerate(_array(condition.get("child_fields"), f"{where}[{n}].child_fields")):
                    child = _object(child, f"{where}[{n}].child_fields[{k}]")
                    row = {
                        "ticket_form_id": form_id,
                        "parent_field_id": parent_id,
                        "parent_field_type": condition.get("parent_field_type"),
                        "value": condition_value(_present(condition.get("value"), f"{where}[{n}].value", "a value")),
                        "child_field_id": _present(child.get("id"), f"{where}[{n}].child_fields[{k}].id"),
                        "is_required": child.get("is_required"),
                    }
                    if with_statuses:
                        statuses = child.get("required_on_statuses")
                        if statuses is not None:
                            _object(statuses, f"{where}[{n}].child_fields[{k}].required_on_statuses")
                        row["required_on_statuses"] = statuses
                    yield row

    return extract


agent_conditions = _condition_rows("agent_conditions", with_statuses=True)
end_user_conditions = _condition_rows("end_user_conditions", with_statuses=False)
