"""trigger_revisions: the revisions of triggers changed since the last sync, through Zendesk's older cursor scheme
(newest first; before_url leads to older revisions and is null on the last page)."""

from __future__ import annotations

from .support import epoch, make_stream, ok, param, run_stream, url

TRIGGERS = url("triggers")
START = epoch("2024-01-01T00:00:00Z")


def trigger(trigger_id: int, updated: str):
    return {"id": trigger_id, "title": f"Trigger {trigger_id}", "updated_at": updated}


def revision(revision_id: int, created: str):
    return {"id": revision_id, "author_id": 1, "created_at": created, "snapshot": {}, "diff": {}}


def revisions_page(revisions, before_url=None):
    return ok(
        {
            "trigger_revisions": revisions,
            "before_url": before_url,
            "after_url": None,
            "before_cursor": None,
            "after_cursor": None,
            "count": len(revisions),
        }
    )


def test_revisions_of_changed_triggers_are_read_through_before_url(api):
    api.get(
        TRIGGERS,
        [
            ok(
                {
                    "triggers": [trigger(1, "2024-03-01T00:00:00Z"), trigger(2, "2024-01-05T00:00:00Z")],
                    "meta": {"has_more": False},
                    "links": {"next": None},
                }
            )
        ],
    )
    older = url("triggers/1/revisions") + "?cursor=older&limit=2"
    newest = [revision(13, "2024-03-01T00:00:00Z"), revision(12, "2024-02-01T00:00:00Z")]
    api.get(
        url("triggers/1/revisions"),
        [revisions_page(newest, older), revisions_page([revision(11, "2024-01-02T00:00:00Z")])],
    )
    saved = {"parent_start": epoch("2024-02-01T00:00:00Z"), "created_at": "2024-02-01T00:00:00Z"}
    records, states, _ = run_stream(make_stream("trigger_revisions", state=saved))
    assert [(r["id"], r["trigger_id"]) for r in records] == [(13, 1), (12, 1), (11, 1)]
    paths = [request.path for request in api.request_history]
    assert paths == [
        "/api/v2/triggers",
        "/api/v2/triggers/1/revisions",
        "/api/v2/triggers/1/revisions",
    ]  # not trigger 2
    assert param(api.request_history[2], "cursor") == "older"
    assert states[-1]["parent_start"] == epoch("2024-03-01T00:00:00Z")


def test_a_list_in_the_newer_schemes_is_not_followed_by_a_before_url(api):
    api.get(
        TRIGGERS,
        [
            ok(
                {
                    "triggers": [trigger(1, "2024-03-01T00:00:00Z")],
                    "meta": {"has_more": False},
                    "links": {"next": None},
                    "before_url": url("triggers?cursor=x"),
                }
            )
        ],
    )
    api.get(url("triggers/1/revisions"), [revisions_page([revision(13, "2024-03-01T00:00:00Z")])])
    records, _, _ = run_stream(make_stream("trigger_revisions"))
    assert [r["id"] for r in records] == [13] and len(api.request_history) == 2
