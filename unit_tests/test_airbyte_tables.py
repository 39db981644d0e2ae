"""Tables carried over from Airbyte's connector: same streams, keys and columns; every difference documented.

The fixture lists, for each stream Airbyte's connector shares with this one, its primary key, cursor and top-level
fields with their types. docs/migrating-tables-and-columns.md lists where our types and cursors differ; these tests
fail on a missing stream or column, and on a difference the guide does not list (or lists wrongly).
"""

import json
import re
from pathlib import Path

import pytest
from airbyte_cdk.sources.utils.schema_helpers import ResourceSchemaLoader

from source_zendesk_support.registry.table import ALL_STREAMS

REPO = Path(__file__).resolve().parents[1]
AIRBYTE = json.loads((REPO / "unit_tests" / "fixtures" / "airbyte_schema_fields.json").read_text())["streams"]
GUIDE = (REPO / "docs" / "migrating-tables-and-columns.md").read_text()
OURS = {spec.name: spec for spec in ALL_STREAMS}


@pytest.fixture(scope="module")
def schema_of():
    loader, cache = ResourceSchemaLoader("source_zendesk_support"), {}

    def get(stream):
        if stream not in cache:
            spec = OURS[stream]
            cache[stream] = loader.get_schema(spec.schema or spec.name)
        return cache[stream]

    return get


def type_name(node):
    """A schema node's type in the fixture's notation: null left out, 'date-time' for timestamps, 'a|b' for unions."""
    types = node.get("type", [])
    types = [types] if isinstance(types, str) else list(types)
    names = sorted(
        "date-time" if t == "string" and node.get("format") == "date-time" else t for t in types if t != "null"
    )
    return "|".join(names)


def guide_table(marker):
    """Rows of the guide's table between <!-- {marker}:start --> and <!-- {marker}:end -->, header left out."""
    block = re.search(rf"<!-- {marker}:start -->\n(.*?)<!-- {marker}:end -->", GUIDE, re.S)
    assert block, f"the guide has no {marker} table"
    rows = [re.split(r"(?<!\\)\|", line.strip().strip("|")) for line in block.group(1).splitlines()[2:]]
    return [[cell.strip().replace("\\|", "|") for cell in row] for row in rows]


def test_the_fixture_covers_airbytes_streams():
    assert len(AIRBYTE) == 41 and all(entry["fields"] for entry in AIRBYTE.values())


@pytest.mark.parametrize("stream", sorted(AIRBYTE))
def test_every_airbyte_stream_is_offered_with_the_same_primary_key(stream):
    assert stream in OURS, f"Airbyte's {stream} has no stream of that name here"
    key = OURS[stream].primary_key
    key = None if key is None else [key] if isinstance(key, str) else list(key)
    assert key == AIRBYTE[stream]["primary_key"]


@pytest.mark.parametrize("stream", sorted(AIRBYTE))
def test_every_airbyte_column_is_declared_under_its_name(schema_of, stream):
    ours = schema_of(stream)["properties"]
    missing = sorted(set(AIRBYTE[stream]["fields"]) - set(ours))
    assert missing == [], f"{stream}: a migrated table would lose these columns"


def test_every_type_difference_is_in_the_guide_and_nowhere_else(schema_of):
    actual = {
        (stream, field): (theirs, type_name(schema_of(stream)["properties"][field]))
        for stream, entry in AIRBYTE.items()
        for field, theirs in entry["fields"].items()
        if field in schema_of(stream)["properties"] and type_name(schema_of(stream)["properties"][field]) != theirs
    }
    documented = {
        (stream, field): (theirs, ours) for stream, field, theirs, ours, why in guide_table("type-differences")
    }
    assert documented == actual


def test_every_cursor_difference_is_in_the_guide_and_nowhere_else():
    actual = {
        stream: (entry["cursor_field"] or "-", OURS[stream].cursor_field or "-")
        for stream, entry in AIRBYTE.items()
        if entry["cursor_field"] != OURS[stream].cursor_field
    }
    documented = {stream: (theirs, ours) for stream, theirs, ours, why in guide_table("cursor-differences")}
    assert documented == actual


def test_every_documented_difference_says_why():
    for row in guide_table("type-differences") + guide_table("cursor-differences"):
        assert len(row[-1]) > 10, f"{row}: no reason given"


def test_tickets_search_is_offered_as_airbyte_5_5_did():
    spec = OURS["tickets_search"]
    assert (spec.primary_key, spec.cursor_field, spec.suggested) == ("id", "updated_at", False)
    assert spec.path == "search/export" and spec.params == {"filter[type]": "ticket"} and spec.schema == "tickets"
