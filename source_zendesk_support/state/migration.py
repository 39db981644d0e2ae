"""Saved state in the formats Airbyte's Zendesk Support connector has written, turned into this connector's.

Applied once per sync, before any stream reads its state: a sync that follows one of Airbyte's resumes where
it stopped. Two layers:
- the state file's shape (legacy `{stream: state}` objects, LEGACY `data`, GLOBAL `stream_states`) becomes one
  STREAM message per stream (`normalize_state_messages`);
- each stream's blob (Airbyte's cursor names, the declarative per-partition format of per-parent streams) becomes
  the blob this connector writes (`migrate_stream_state`), and its time values are checked.
"""

from __future__ import annotations

import logging
import math
from typing import Any, Dict, Iterable, List, Mapping, Optional

from airbyte_cdk.models import (
    AirbyteStateBlob,
    AirbyteStateMessage,
    AirbyteStateMessageSerializer,
    AirbyteStateType,
    AirbyteStreamState,
    StreamDescriptor,
)

from ..config.model import config_error
from ..registry.table import StreamSpec
from ..foundation.clock import cursor_value, to_epoch, to_iso
from ..streams.scope_backfill import BACKFILL_KEY, SCOPE_KEY

logger = logging.getLogger("airbyte")

# Airbyte's cursor name -> this connector's, for streams where the two differ.
RENAMED_CURSORS: Dict[str, Dict[str, str]] = {
    "ticket_metrics": {"_ab_updated_at": "generated_timestamp", "updated_at": "generated_timestamp"},
    "ticket_comments": {"created_at": "timestamp"},
    "ticket_skips": {"updated_at": "created_at"},
}
# Per-parent streams: the parent stream whose saved position becomes `parent_start`.
PARENT_STREAMS: Dict[str, str] = {
    "article_attachments": "articles",
    "article_comments": "articles",
    "article_votes": "articles",
    "article_comment_votes": "articles",
    "post_comments": "posts",
    "post_votes": "posts",
    "post_comment_votes": "posts",
}
# Keys of this connector's own state besides the cursor field (see the families).
POSITION_KEYS = (
    "after_cursor",
    "page_after",
    "parent_start",
    "parent_cursor",
    "start_id",
    "start_micros",
    "resolved_start_date",
    SCOPE_KEY,
    BACKFILL_KEY,
)
LATEST_EPOCH = 253402300799  # 9999-12-31T23:59:59Z: any later "time" is not one


# --- the file's shape ----------------------------------------------------------------------------------
def _stream_message(name: str, blob: Any, namespace: Optional[str] = None) -> AirbyteStateMessage:
    return AirbyteStateMessage(
        type=AirbyteStateType.STREAM,
        stream=AirbyteStreamState(
            stream_descriptor=StreamDescriptor(name=name, namespace=namespace),
            stream_state=AirbyteStateBlob(dict(blob)) if isinstance(blob, Mapping) else None,
        ),
    )


def _legacy_streams(data: Mapping[str, Any], where: str) -> List[AirbyteStateMessage]:
    messages = []
    for name, blob in data.items():
        if not isinstance(blob, Mapping):
            raise config_error(
                f"{where}: the state of stream '{name}' must be a JSON object, got {type(blob).__name__}."
            )
        messages.append(_stream_message(name, blob))
    return messages


def normalize_state_messages(state: Any, where: str = "The state") -> List[AirbyteStateMessage]:
    """One STREAM message per stream, from any state file shape the Airbyte platform or connector has used."""
    if state in (None, {}, []):
        return []
    if isinstance(state, Mapping):  # the oldest shape: {"tickets": {...}, "users": {...}}
        return _legacy_streams(state, where)
    if not isinstance(state, list):
        raise config_error(
            f"{where} must be a JSON list of state messages (or an object of stream states), "
            f"got {type(state).__name__}."
        )
    messages: List[AirbyteStateMessage] = []
    for position, entry in enumerate(state):
        if not isinstance(entry, Mapping):
            raise config_error(f"{where}: entry {position} must be a JSON object, got {type(entry).__name__}.")
        kind = str(entry.get("type") or "").upper()
        if kind == "GLOBAL" or entry.get("global"):
            shared = (entry.get("global") or {}).get("shared_state")
            if shared:
                logger.warning(
                    f"{where}: the GLOBAL state's shared_state is not used by this connector "
                    "(its streams keep their own state)."
                )
            for stream in (entry.get("global") or {}).get("stream_states") or []:
                messages.append(_parsed_stream(stream, where, position))
        elif kind == "LEGACY" or (not kind and isinstance(entry.get("data"), Mapping) and not entry.get("stream")):
            messages.extend(_legacy_streams(entry.get("data") or {}, where))
        else:
            messages.append(_parsed_stream(entry.get("stream"), where, position))
    return messages


def _parsed_stream(stream: Any, where: str, position: int) -> AirbyteStateMessage:
    try:
        name = stream["stream_descriptor"]["name"]
        blob = stream.get("stream_state")
        if not isinstance(name, str) or (blob is not None and not isinstance(blob, Mapping)):
            raise TypeError
    except (KeyError, TypeError, AttributeError):
        raise config_error(
            f"{where}: entry {position} is not a stream state (stream_descriptor.name and an object stream_state)."
        ) from None
    message = AirbyteStateMessageSerializer.load(
        {"type": "STREAM", "stream": {"stream_descriptor": stream["stream_descriptor"]}}
    )
    assert message.stream is not None  # loaded from a stream entry
    message.stream.stream_state = AirbyteStateBlob(dict(blob)) if blob is not None else None
    return message


# --- each stream's blob ----------------------------------------------------------------------------------
def _epoch(stream: str, field: str, value: Any) -> int:
    """A saved time as epoch seconds, or a config_error naming the stream and field."""
    problem = None
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        problem = f"a {type(value).__name__}"
    elif isinstance(value, float) and not math.isfinite(value):
        problem = repr(value)
    else:
        epoch = to_epoch(value)
        if epoch is None:
            problem = repr(value)
        elif not 0 <= epoch <= LATEST_EPOCH:
            problem = repr(value)
        else:
            return epoch
    raise config_error(
        f"The saved state of stream '{stream}' holds {field} = {problem}, which is not a time. Reset that stream in "
        f"Airbyte (or fix the state file) so it starts again from start_date."
    )


def _partition_cursor(stream: str, field: str, blob: Mapping[str, Any]) -> Optional[int]:
    """The earliest child cursor Airbyte saved: no parent's children older than it were left unread."""
    values = []
    for entry in blob.get("states") or []:
        cursor = entry.get("cursor") if isinstance(entry, Mapping) else None
        if isinstance(cursor, Mapping) and cursor.get(field) is not None:
            values.append(_epoch(stream, field, cursor[field]))
    overall = blob.get("state")
    if isinstance(overall, Mapping) and overall.get(field) is not None:
        values.append(_epoch(stream, field, overall[field]))
    return min(values) if values else None


def _parent_position(stream: str, parent: str, parent_state: Any) -> Optional[int]:
    """The saved position of the parent stream, wherever the per-partition format nests it."""
    if not isinstance(parent_state, Mapping):
        return None
    own = parent_state.get(parent)
    if isinstance(own, Mapping):
        for field in ("updated_at", "generated_timestamp"):
            if own.get(field) is not None:
                return _epoch(stream, f"parent_state.{parent}.{field}", own[field])
    for (
        nested
    ) in parent_state.values():  # e.g. votes on comments: {"article_comments": {"parent_state": {"articles": ...}}}
        if isinstance(nested, Mapping):
            found = _parent_position(stream, parent, nested.get("parent_state"))
            if found is not None:
                return found
    return None


def _from_per_partition(spec: StreamSpec, blob: Mapping[str, Any]) -> Dict[str, Any]:
    field = spec.cursor_field or "updated_at"
    migrated: Dict[str, Any] = {}
    newest = _partition_cursor(spec.name, field, blob)
    if newest is not None:
        migrated[field] = cursor_value(field, newest)
    parent = PARENT_STREAMS.get(spec.name)
    position = _parent_position(spec.name, parent, blob.get("parent_state")) if parent else None
    if position is not None:
        migrated["parent_start"] = position
    elif parent:
        logger.warning(
            f"Stream {spec.name}: the saved state has no position of its parent stream {parent}; every {parent} since "
            f"start_date is visited again, and only their children newer than the saved cursor are emitted."
        )
    return migrated


def recognised_keys(spec: StreamSpec) -> List[str]:
    return [key for key in (spec.state_cursor, spec.cursor_field, *POSITION_KEYS) if key]


def migrate_stream_state(spec: StreamSpec, blob: Mapping[str, Any]) -> Dict[str, Any]:
    """This connector's state for one stream, from its own or Airbyte's. An empty result reads from start_date."""
    if not blob:
        return {}
    if any(key in blob for key in ("states", "parent_state")) or isinstance(blob.get("state"), Mapping):
        migrated = _from_per_partition(spec, blob)
    else:
        migrated = dict(blob)
        for theirs, ours in RENAMED_CURSORS.get(spec.name, {}).items():
            if theirs in migrated and ours not in migrated and theirs != spec.state_cursor:
                migrated[ours] = migrated.pop(theirs)
    cursor = spec.state_cursor
    if cursor and migrated.get(cursor) is not None:
        migrated[cursor] = cursor_value(cursor, _epoch(spec.name, cursor, migrated[cursor]))
    if migrated.get("parent_start") is not None:
        migrated["parent_start"] = _epoch(spec.name, "parent_start", migrated["parent_start"])
    if migrated.get("resolved_start_date") is not None:  # a relative start_date as resolved at the first sync
        migrated["resolved_start_date"] = to_iso(
            _epoch(spec.name, "resolved_start_date", migrated["resolved_start_date"])
        )
    known = recognised_keys(spec)
    if not any(key in migrated for key in known):
        logger.warning(
            f"Stream {spec.name}: the saved state has keys {sorted(blob)} and none this connector recognises "
            f"({', '.join(known)}); it will re-read the stream from start_date."
        )
        return {}
    return migrated


def migrate_states(
    messages: Iterable[AirbyteStateMessage], specs: Mapping[str, StreamSpec]
) -> List[AirbyteStateMessage]:
    """Every stream's state in this connector's format; states of streams it does not offer are left as they are."""
    migrated = []
    for message in messages:
        stream = message.stream
        spec = specs.get(stream.stream_descriptor.name) if stream is not None else None
        if stream is None or spec is None or stream.stream_state is None:
            migrated.append(message)
            continue
        blob = migrate_stream_state(spec, dict(stream.stream_state.__dict__))
        migrated.append(_stream_message(spec.name, blob, stream.stream_descriptor.namespace))
    return migrated
