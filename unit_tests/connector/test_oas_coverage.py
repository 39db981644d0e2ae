"""Every list Zendesk describes is read by a stream or excluded with a reason (coverage_exclusions.py).

The descriptions are reference material beside the repository (see unit_tests/conftest.py: marker `oas`). A path
Zendesk adds to them fails here until it is placed: a registry row reads it, or a row of EXCLUDED says why not.
"""

from __future__ import annotations

import pytest

from source_zendesk_support.registry.coverage_exclusions import EXCLUDED, IN_PROGRESS_ELSEWHERE
from source_zendesk_support.registry.coverage_docs import names_one_record, shape, streams_reading

from .test_list_keys_against_oas import FILES, _load


def _get_paths(document) -> list:
    return sorted(
        path.removeprefix("/api/v2/").removesuffix(".json") for path, item in document["paths"].items() if "get" in item
    )


@pytest.fixture(scope="module")
def described(oas_dir) -> dict:
    return {product: _get_paths(_load(oas_dir, product)) for product in FILES}


@pytest.mark.oas
@pytest.mark.parametrize("product", sorted(FILES))
def test_every_described_list_is_read_or_excluded(described, product):
    read = streams_reading()
    unplaced = [
        path
        for path in described[product]
        if not names_one_record(path)
        and shape(path) not in read
        and path not in EXCLUDED
        and path not in IN_PROGRESS_ELSEWHERE
    ]
    assert not unplaced, (
        "paths no stream reads and coverage_exclusions.EXCLUDED does not explain; add a stream "
        "or a row with its reason:\n" + "\n".join(unplaced)
    )


@pytest.mark.oas
def test_every_exclusion_names_a_described_list_no_stream_reads(described):
    paths = {path for product in FILES for path in described[product]}
    read = streams_reading()
    placed = list(EXCLUDED) + sorted(IN_PROGRESS_ELSEWHERE)
    assert not [path for path in placed if path not in paths], "rows for paths Zendesk does not describe"
    assert not {path: read[shape(path)] for path in placed if shape(path) in read}, (
        "read by a stream: remove the row (from IN_PROGRESS_ELSEWHERE once that stream is merged)"
    )
    assert not [path for path in placed if names_one_record(path)], "single-record paths need no row"
    assert not IN_PROGRESS_ELSEWHERE & set(EXCLUDED), "a path is either excluded or in progress elsewhere"


def test_paths_compare_by_shape():
    assert shape("/api/v2/tickets/{ticket_id}/side_conversations.json") == shape(
        "tickets/{parent_id}/side_conversations"
    )
    assert shape("help_center/{locale}/categories") == shape("help_center/categories")
    assert shape("help_center/articles/{article_id}/translations/{locale}") != shape(
        "help_center/articles/{x}/translations"
    )
    assert names_one_record("tickets/{ticket_id}") and names_one_record("custom_objects/{custom_object_key}")
    assert not names_one_record("tickets/{ticket_id}/audits")
    assert not names_one_record("help_center/articles/{article_id}/translations/{locale}")


def test_every_stream_path_counts_as_read():
    read = streams_reading()
    assert read[shape("incremental/tickets/cursor")] == [  # its parents
        "tickets",
        "ticket_metrics",
        "side_conversations",
        "side_conversation_events",
        "side_conversation_recipients",
        "conversation_log",
        "ticket_task_lists",
    ]
    assert "article_comment_votes" in read[shape("help_center/articles/{id}/comments")]  # the list it walks through
