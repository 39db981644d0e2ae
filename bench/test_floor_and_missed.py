"""The floor loop and the missed-change check: `python -m pytest bench/test_floor_and_missed.py` (no sandbox)."""

import gzip
import io

import orjson

from bench import floor, missed_changes


def test_the_floor_writes_one_record_line_per_record_of_gzipped_and_plain_pages():
    pages = [
        (gzip.compress(orjson.dumps({"tickets": [{"id": 1}, {"id": 2}]})), "gzip"),
        (orjson.dumps({"tickets": [{"id": 3}]}), ""),
    ]
    out = io.BytesIO()
    count, seconds = floor.floor_pass(pages, "tickets", out)
    lines = out.getvalue().splitlines()
    assert count == 3 and seconds >= 0
    assert [orjson.loads(line)["record"]["data"]["id"] for line in lines] == [1, 2, 3]
    assert all(orjson.loads(line)["type"] == "RECORD" for line in lines)


def test_records_due_since_the_saved_cursor_and_not_emitted_are_missed(monkeypatch):
    listed = [
        {"id": 1, "updated_at": "2024-01-01T00:00:00Z"},
        {"id": 2, "updated_at": "2024-01-05T00:00:00Z"},
        {"id": 3, "updated_at": "2024-01-09T00:00:00Z"},
    ]
    monkeypatch.setattr(missed_changes, "whole_list", lambda *args: listed)
    states = [
        {
            "type": "STREAM",
            "stream": {
                "stream_descriptor": {"name": "requests"},
                "stream_state": {"updated_at": "2024-01-05T00:00:00Z"},
            },
        }
    ]
    config = {"start_date": "2000-01-01T00:00:00Z"}
    assert missed_changes.missed("http://x", config, ["requests", "groups"], states, {"requests": {3}}) == {
        "requests": {"due": 2, "missed": 1}
    }
    # Nothing saved yet: everything since start_date is due.
    assert missed_changes.missed("http://x", config, ["requests"], [], {"requests": {1, 2, 3}}) == {
        "requests": {"due": 3, "missed": 0}
    }
