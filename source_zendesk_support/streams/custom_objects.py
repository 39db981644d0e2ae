"""Custom objects: the fields of every object, and one stream per object over its records' incremental export.

The objects an account has are found when the catalog is built (discover, and a read for the streams it names):
each gets a stream `custom_object_<key>` with a typed column per field of the object. The export
(/incremental/custom_objects/{key}/cursor) is a cursor export like the tickets' one and is read by the same walker;
its 10 requests a minute, shared by every object, are a window of the rate budget (http/rate_budget.py).
"""

from __future__ import annotations

from typing import Any, Dict, Iterable, List, Mapping, Optional
from urllib.parse import quote

from ..http.answer import FeatureUnavailable
from ..paging.lists import CursorPagesWalker
from ..records.deletion import PLACEHOLDERS
from .base import ZendeskStream
from .exports import CursorExportStream
from .lists import UnpagedStream
from .spec import CountEstimate, StreamSpec

STREAM_PREFIX = "custom_object_"
OBJECTS = "custom_objects"
FIELDS = "custom_object_fields"
RECORDS_SCHEMA = "custom_object_records"


def records_stream_name(key: str) -> str:
    return STREAM_PREFIX + key


def object_path(key: str) -> str:
    return f"custom_objects/{quote(key, safe='')}"


def fields_path(key: str) -> str:
    return object_path(key) + "/fields"


def read_object_fields(stream: ZendeskStream, key: str) -> Optional[List[Mapping[str, Any]]]:
    """The field definitions of one object, or None (with a warning naming it) when Zendesk does not show them."""
    walker = CursorPagesWalker(
        stream.fetcher,
        stream.fetcher.get,
        fields_path(key),
        lambda after: {"page[size]": 100},
        what=f"listing the fields of custom object '{key}' failed",
    )
    try:
        return [
            field for page in walker.pages() for field in (page.body.get(FIELDS) or []) if isinstance(field, Mapping)
        ]
    except FeatureUnavailable as gate:
        stream.logger.warning(
            f"Custom object '{key}' skipped: Zendesk answered HTTP {gate.status} for its fields. "
            "The object was removed, or the token's role may not read it; the rest of the sync continues."
        )
        return None


class CustomObjectsStream(UnpagedStream):
    """The object definitions, as listed once for the whole sync."""

    def read_pages(self, stream_slice):
        start, end = self.start_epoch(), self.end_epoch
        batch = [item for item in self.context.custom_objects.objects(self) if self.keep(item, start, end)]
        yield from batch
        message = self.final_checkpoint(self.newest_of(batch, self.saved_newest()))
        if message:
            yield message


class CustomObjectFieldsStream(ZendeskStream):
    """Every object's fields, each with its object's `custom_object_key`. Read whole at every sync."""

    paging = "cursor pages, per custom object"

    def read_pages(self, stream_slice):
        for definition in self.context.custom_objects.objects(self):
            key = definition.get("key")
            fields = self.context.custom_objects.fields(self, key) if isinstance(key, str) else None
            for field in fields or []:
                yield {**field, "custom_object_key": key}


class CustomObjectRecordsStream(CursorExportStream):
    """One custom object's records, through its incremental export. State: {"after_cursor", "updated_at"}."""

    paging = "cursor-based incremental export"


class RemovedCustomObjectStream(ZendeskStream):
    """A stream of the catalog whose object the account no longer has: it ends with a warning, its state kept."""

    paging = "none: the custom object was removed"

    def read_pages(self, stream_slice):
        self.context.unavailable_streams.add(self.name)
        self.logger.warning(
            f"Stream '{self.name}': the account has no custom object '{self.name[len(STREAM_PREFIX) :]}' any more "
            "(it was removed, renamed, or the token may not see it); nothing is read. "
            "Refresh the source schema in Airbyte."
        )
        yield self.checkpoint()


def records_spec(key: str, removed: bool = False) -> StreamSpec:
    """The row of one custom object's stream, built when the account's objects are listed."""
    return StreamSpec(
        name=records_stream_name(key),
        path=f"incremental/{object_path(key)}/cursor",
        family=RemovedCustomObjectStream if removed else CustomObjectRecordsStream,
        list_key="custom_object_records",
        cursor_field="updated_at",
        schema=RECORDS_SCHEMA,
        deletion_field=PLACEHOLDERS,
        needs=f"read access to the custom object '{key}'",
        suggested=False,
        estimate=CountEstimate(object_path(key) + "/records/count"),
    )


class CustomObjectCatalog:
    """The account's custom objects and their fields, listed once per sync (discover or read) and shared by the
    catalog, the definition streams and the typed columns."""

    def __init__(self) -> None:
        self._objects: Optional[List[Mapping[str, Any]]] = None
        self._fields: Dict[str, Optional[List[Mapping[str, Any]]]] = {}

    def objects(self, stream: ZendeskStream) -> List[Mapping[str, Any]]:
        """The objects, or none (with a warning) when the account's plan or the token's role shows none."""
        if self._objects is None:
            try:
                answer = stream.fetch(OBJECTS)
            except FeatureUnavailable as gate:
                stream.logger.warning(
                    f"Custom objects are not read: Zendesk answered HTTP {gate.status} for /api/v2/{OBJECTS} (the "
                    "account's plan or the token's role does not include them); the rest of the sync continues."
                )
                self._objects = []
                return self._objects
            body = answer.body if answer.ok and isinstance(answer.body, Mapping) else None
            listed = body.get(OBJECTS) if body is not None else None
            if not isinstance(listed, list):
                raise stream.fail(answer, f"listing the custom objects did not return a '{OBJECTS}' list")
            self._objects = [item for item in listed if isinstance(item, Mapping) and isinstance(item.get("key"), str)]
        return self._objects

    def fields(self, stream: ZendeskStream, key: str) -> Optional[List[Mapping[str, Any]]]:
        if key not in self._fields:
            self._fields[key] = read_object_fields(stream, key)
        return self._fields[key]

    def keys(self, stream: ZendeskStream) -> List[str]:
        return [item["key"] for item in self.objects(stream)]


def offered_object_specs(stream: ZendeskStream, taken: Iterable[str]) -> List[StreamSpec]:
    """A row for each object on the account, except one whose stream name a built-in stream already has."""
    taken = set(taken)
    specs = []
    assert stream.context.custom_objects is not None  # the source's context lists them
    for key in stream.context.custom_objects.keys(stream):
        if records_stream_name(key) in taken:
            stream.logger.warning(
                f"Custom object '{key}' is not offered: its stream name '{records_stream_name(key)}' "
                "is taken by a built-in stream."
            )
            continue
        specs.append(records_spec(key))
    return specs
