"""Requests as clients nobody here wrote send them, each with the answer Zendesk documents for it (the API
reference and its OpenAPI description): status, top-level key, the paging fields of its kind, and the error
body of a refusal. Where the sandbox answered otherwise, the sandbox was fixed, not this table."""

from __future__ import annotations

import base64
import gzip
import http.client
import json
import time
from urllib.parse import urlencode, urlsplit

import pytest

from sandbox_client import Client
from sandbox_fixture import running_sandbox

pytestmark = pytest.mark.process  # starts the sandbox

ARGS = ("--tickets", "2000", "--seed", "11", "--rate-limit", "0", "--export-rate-limit", "0")
TICKET = 1990  # a live ticket of this account (checked below)
MESSAGING_CHANNELS = {"native_messaging", "whatsapp", "messenger"}


# ---- the shapes Zendesk documents per paging kind and per error -------------------------------------------------
def offset_page(key: str, size: int | None = None):
    def check(body):
        assert {key, "next_page", "previous_page", "count"} <= set(body)
        assert isinstance(body["count"], int) and isinstance(body[key], list)
        if size is not None:
            assert len(body[key]) == min(size, body["count"])
            if body["next_page"]:
                assert f"per_page={size}" in body["next_page"]

    return check


def cursor_page(key: str, size: int | None = None):
    def check(body):
        assert isinstance(body[key], list) and {"has_more", "after_cursor", "before_cursor"} <= set(body["meta"])
        assert {"next", "prev"} <= set(body["links"]) and "next_page" not in body
        if size is not None:
            assert len(body[key]) <= size
            assert body["meta"]["has_more"] == (body["links"]["next"] is not None and len(body[key]) == size)

    return check


def time_export(key: str):
    def check(body):
        assert {key, "count", "end_time", "end_of_stream", "next_page"} <= set(body)
        assert body["count"] == len(body[key]) and "start_time=" in body["next_page"]

    return check


def cursor_export(key: str):
    def check(body):
        assert {key, "after_url", "after_cursor", "before_url", "before_cursor", "end_of_stream"} <= set(body)

    return check


def chat_export(key: str, microseconds: bool = False):
    def check(body):
        assert {key, "count", "end_time", "next_page"} <= set(body) and body["count"] == len(body[key])
        assert (body["end_time"] > 10**15) == microseconds

    return check


def error(code: str, description: str | None = None):
    """`{"error": CODE, "description": TEXT}`"""

    def check(body):
        assert set(body) == {"error", "description"} and body["error"] == code
        assert description is None or body["description"] == description

    return check


def errors(code: str, title: str | None = None):
    """`{"errors": [{"code": CODE, "title": TEXT, ...}]}`"""

    def check(body):
        assert set(body) == {"errors"} and body["errors"][0]["code"] == code
        assert title is None or body["errors"][0]["title"] == title

    return check


def show(key: str):
    return lambda body: isinstance(body[key], dict) and body[key]["id"]


def sideloads(check, *keys: str, field: str | None = None, of: str = "tickets"):
    def both(body):
        check(body)
        assert set(keys) <= set(body), sorted(body)
        assert field is None or all(field in record for record in body[of])

    return both


def ordered(check, key: str, field: str, descending: bool):
    def both(body):
        check(body)
        values = [record[field] for record in body[key]]
        assert len(values) > 1 and values == sorted(values, reverse=descending)

    return both


# ---- the table: (what, path, query, status, documented shape) ----------------------------------------------------
# FUTURE and RECENT stand for an hour ahead and five seconds ago; USEC for now in microseconds.
TOO_RECENT = "Too recent start_time. Use a start_time older than 1 minute."
DEPTH = "Pagination requests using Offset Pagination are limited to page 100 or up to 10000 records (page * per_page)"
T = f"/api/v2/tickets/{TICKET}"
REQUESTS = [
    # offset pages: per_page up to 100, larger values served as 100; past page 100 refused
    ("offset per_page=1", "/api/v2/tickets.json", {"per_page": 1}, 200, offset_page("tickets", 1)),
    ("offset per_page=100", "/api/v2/tickets", {"per_page": 100}, 200, offset_page("tickets", 100)),
    ("offset per_page=101 is served as 100", "/api/v2/tickets", {"per_page": 101}, 200, offset_page("tickets", 100)),
    ("offset per_page=1000 is served as 100", "/api/v2/users.json", {"per_page": 1000}, 200, offset_page("users", 100)),
    ("offset default page", "/api/v2/organizations.json", {}, 200, offset_page("organizations")),
    ("offset page 101", "/api/v2/tickets.json", {"page": 101}, 400, errors("InvalidPaginationDepth", DEPTH)),
    (
        "offset page 100 (the last one allowed)",
        "/api/v2/users",
        {"page": 100, "per_page": 101},
        200,
        offset_page("users"),
    ),
    (
        "offset on search",
        "/api/v2/search.json",
        {"query": "type:ticket", "per_page": 101},
        200,
        offset_page("results", 100),
    ),
    # cursor pages: page[size] up to 100, beyond refused; bad cursors refused
    ("cursor page[size]=1", "/api/v2/users.json", {"page[size]": 1}, 200, cursor_page("users", 1)),
    ("cursor page[size]=100", "/api/v2/tickets", {"page[size]": 100}, 200, cursor_page("tickets", 100)),
    (
        "cursor page[size]=101",
        "/api/v2/users",
        {"page[size]": 101},
        400,
        error("InvalidPaginationParameter", "page[size] cannot be greater than 100"),
    ),
    (
        "cursor garbage page[after]",
        "/api/v2/organizations.json",
        {"page[size]": 10, "page[after]": "garbage"},
        400,
        error("InvalidPaginationParameter", "page[after] is not valid"),
    ),
    (
        "cursor metric events page[size]=101",
        "/api/v2/incremental/ticket_metric_events.json",
        {"start_time": 0, "page[size]": 101},
        400,
        error("InvalidPaginationParameter", "page[size] cannot be greater than 100"),
    ),
    ("conversation log: cursor pagination only", f"{T}/conversation_log.json", {}, 200, cursor_page("events")),
    # include= lists where the reference documents them
    (
        "tickets list include",
        "/api/v2/tickets.json",
        {"include": "users,groups,organizations,comment_count", "per_page": 5},
        200,
        sideloads(offset_page("tickets", 5), "users", "groups", "organizations", field="comment_count"),
    ),
    (
        "tickets cursor include",
        "/api/v2/tickets",
        {"include": "users,groups", "page[size]": 5},
        200,
        sideloads(cursor_page("tickets", 5), "users", "groups"),
    ),
    (
        "ticket show include",
        f"{T}.json",
        {"include": "users,groups"},
        200,
        sideloads(show("ticket"), "users", "groups"),
    ),
    (
        "show_many include",
        "/api/v2/tickets/show_many.json",
        {"ids": f"{TICKET},{TICKET - 1}", "include": "users"},
        200,
        sideloads(offset_page("tickets"), "users"),
    ),
    (
        "ticket export include",
        "/api/v2/incremental/tickets/cursor.json",
        {"start_time": 0, "per_page": 50, "include": "users,organizations,comment_count"},
        200,
        sideloads(cursor_export("tickets"), "users", "organizations", field="comment_count"),
    ),
    (
        "user export include",
        "/api/v2/incremental/users.json",
        {"start_time": 0, "include": "identities"},
        200,
        sideloads(time_export("users"), "identities"),
    ),
    (
        "ticket events include",
        "/api/v2/incremental/ticket_events.json",
        {"start_time": 0, "include": "comment_events"},
        200,
        time_export("ticket_events"),
    ),
    # sort_by/sort_order (offset) and sort=-field (cursor)
    (
        "sort_by updated_at desc",
        "/api/v2/tickets.json",
        {"sort_by": "updated_at", "sort_order": "desc", "per_page": 50},
        200,
        ordered(offset_page("tickets", 50), "tickets", "updated_at", descending=True),
    ),
    (
        "sort=-updated_at",
        "/api/v2/tickets.json",
        {"sort": "-updated_at", "page[size]": 50},
        200,
        ordered(cursor_page("tickets", 50), "tickets", "updated_at", descending=True),
    ),
    (
        "sort=updated_at",
        "/api/v2/tickets",
        {"sort": "updated_at", "page[size]": 50},
        200,
        ordered(cursor_page("tickets", 50), "tickets", "updated_at", descending=False),
    ),
    (
        "comments sort_order=desc",
        f"{T}/comments.json",
        {"sort_order": "desc"},
        200,
        ordered(offset_page("comments"), "comments", "created_at", descending=True),
    ),
    # exports: start_time in seconds; too recent or in the future refused
    ("time export from 0", "/api/v2/incremental/tickets.json", {"start_time": 0}, 200, time_export("tickets")),
    ("cursor export from 0", "/api/v2/incremental/tickets/cursor", {"start_time": 0}, 200, cursor_export("tickets")),
    ("org export", "/api/v2/incremental/organizations.json", {"start_time": 0}, 200, time_export("organizations")),
    (
        "time export start_time in the future",
        "/api/v2/incremental/tickets.json",
        {"start_time": "FUTURE"},
        400,
        error("StartTimeTooRecent", TOO_RECENT),
    ),
    (
        "time export start_time too recent",
        "/api/v2/incremental/users.json",
        {"start_time": "RECENT"},
        400,
        error("StartTimeTooRecent", TOO_RECENT),
    ),
    (
        "cursor export start_time in the future",
        "/api/v2/incremental/tickets/cursor.json",
        {"start_time": "FUTURE"},
        400,
        error("StartTimeTooRecent", TOO_RECENT),
    ),
    (
        "custom object export start_time too recent",
        "/api/v2/incremental/custom_objects/asset/cursor.json",
        {"start_time": "RECENT"},
        400,
        errors("StartTimeTooRecent", "start_time must be more than 60 seconds ago"),
    ),
    (
        "custom object export bad cursor",
        "/api/v2/incremental/custom_objects/asset/cursor",
        {"cursor": "bad"},
        400,
        errors("InvalidCursor", "cursor is invalid or expired"),
    ),
    ("export without start_time", "/api/v2/incremental/tickets.json", {}, 400, error("InvalidValue")),
    # Chat: seconds on the chat export, microseconds on the agent timeline
    ("chat export in seconds", "/api/v2/chat/incremental/chats", {"start_time": 0}, 200, chat_export("chats")),
    (
        "agent timeline in microseconds",
        "/api/v2/chat/incremental/agent_timeline",
        {"start_time": 1, "limit": 10},
        200,
        chat_export("agent_timeline", microseconds=True),
    ),
    (
        "agent timeline from now in microseconds",
        "/api/v2/chat/incremental/agent_timeline",
        {"start_time": "USEC"},
        200,
        chat_export("agent_timeline", microseconds=True),
    ),
    # one record, and what is not there
    ("ticket field by id", "/api/v2/ticket_fields/{ticket_field}.json", {}, 200, show("ticket_field")),
    ("article by id", "/api/v2/help_center/articles/{article}.json", {}, 200, show("article")),
    ("article by id under a locale", "/api/v2/help_center/en-us/articles/{article}", {}, 200, show("article")),
    ("post by id", "/api/v2/community/posts/{post}.json", {}, 200, show("post")),
    ("unknown post", "/api/v2/community/posts/1.json", {}, 404, error("RecordNotFound", "Not found")),
    ("unknown ticket", "/api/v2/tickets/99999999.json", {}, 404, error("RecordNotFound", "Not found")),
    ("unknown path", "/api/v2/no_such_thing.json", {}, 404, error("InvalidEndpoint", "Not found")),
    ("job statuses", "/api/v2/job_statuses.json", {}, 200, lambda body: isinstance(body["job_statuses"], list)),
]


@pytest.fixture(scope="module")
def info():
    with running_sandbox(*ARGS) as info:
        yield info


@pytest.fixture(scope="module")
def client(info):
    client = Client(info, ticket_scope=None)  # as a client unaware of support_type_scope
    client.get(f"/api/v2/tickets/{TICKET}")  # the table's ticket is live
    return client


def chat_client(info) -> Client:
    chat = Client(info, scheme="none")
    chat.session.headers["Authorization"] = f"Bearer {info['chat_access_token']}"
    return chat


def concrete(client: Client, path: str, query: dict) -> tuple[str, dict]:
    now = int(time.time())
    values = {"FUTURE": now + 3600, "RECENT": now - 5, "USEC": (now - 3600) * 10**6}
    first = {
        "ticket_field": ("/api/v2/ticket_fields", "ticket_fields"),
        "article": ("/api/v2/help_center/articles", "articles"),
        "post": ("/api/v2/community/posts", "posts"),
    }
    for name, (listing, key) in first.items():
        if "{" + name + "}" in path:
            path = path.replace("{" + name + "}", str(client.json(listing)[key][0]["id"]))
    return path, {name: values.get(value, value) for name, value in query.items()}


@pytest.mark.parametrize("what,path,query,status,shape", REQUESTS, ids=[row[0] for row in REQUESTS])
def test_documented_request(info, client, what, path, query, status, shape):
    path, query = concrete(client, path, query)
    asker = chat_client(info) if path.startswith("/api/v2/chat/") else client
    response = asker.get(path, query, expect=status)
    assert response.headers["Content-Type"].startswith("application/json"), what
    assert shape(response.json()) is not False, what


@pytest.mark.parametrize(
    "path,query",
    [
        (f"/api/v2/tickets/{TICKET}", {}),
        (f"/api/v2/tickets/{TICKET}/comments", {}),
        ("/api/v2/tickets", {"page[size]": 3}),
        ("/api/v2/incremental/tickets/cursor", {"start_time": 0, "per_page": 3}),
        ("/api/v2/channels/voice/stats/incremental/calls", {"start_time": 0}),
        ("/api/v2/help_center/articles", {"per_page": 3}),
        ("/api/v2/users/me", {}),
    ],
)
def test_every_path_answers_the_same_with_and_without_json(client, path, query):
    plain = client.get(path, query).json()
    suffixed = client.get(path + ".json", query).json()
    assert json.dumps(plain).replace(".json", "") == json.dumps(suffixed).replace(".json", "")


def test_following_cursor_links_reads_every_record_once(client):
    total = client.json("/api/v2/users/count")["count"]["value"]
    seen, url, params = [], "/api/v2/users.json", {"page[size]": 100}
    while url:
        body = client.json(url, params)
        seen.extend(user["id"] for user in body["users"])
        url = body["links"]["next"] if body["meta"]["has_more"] else None
        params = None
    assert len(seen) == len(set(seen)) == total


def test_offset_next_page_links_read_every_ticket_once(client):
    seen, url, params = [], "/api/v2/tickets.json", {"per_page": 100}
    while url:
        body = client.json(url, params)
        seen.extend(ticket["id"] for ticket in body["tickets"])
        url, params, count = body["next_page"], None, body["count"]
    assert len(seen) == len(set(seen)) == count


# ---- the transport: HTTP/1.1 keep-alive and Accept-Encoding --------------------------------------------------
def connection(info) -> tuple[http.client.HTTPConnection, dict]:
    url = urlsplit(info["url"])
    token = base64.b64encode(f"{info['email']}/token:{info['api_token']}".encode()).decode()
    return http.client.HTTPConnection(url.hostname, url.port, timeout=30), {"Authorization": f"Basic {token}"}


def test_several_requests_share_one_kept_alive_connection(info):
    conn, headers = connection(info)
    paths = ["/api/v2/tickets.json?per_page=5", "/api/v2/users/me.json", "/api/v2/groups", "/api/v2/no_such_thing"]
    sockets = []
    for path in paths * 2:
        conn.request("GET", path, headers=headers)
        response = conn.getresponse()
        body = response.read()
        assert response.version == 11 and json.loads(body)
        assert response.getheader("Connection", "keep-alive").lower() != "close"
        sockets.append(conn.sock)
    assert all(sock is sockets[0] for sock in sockets)  # http.client reconnects only when the server closed
    conn.close()


@pytest.mark.parametrize(
    "accept,gzipped", [("gzip", True), ("gzip, deflate, br", True), ("identity", False), (None, False)]
)
def test_accept_encoding(info, accept, gzipped):
    conn, headers = connection(info)
    conn.putrequest("GET", "/api/v2/tickets.json?per_page=100", skip_accept_encoding=True)
    for name, value in {**headers, **({"Accept-Encoding": accept} if accept else {})}.items():
        conn.putheader(name, value)
    conn.endheaders()
    response = conn.getresponse()
    raw = response.read()
    assert response.status == 200
    assert (response.getheader("Content-Encoding") == "gzip") == gzipped
    body = json.loads(gzip.decompress(raw) if gzipped else raw)
    assert len(body["tickets"]) == 100
    conn.close()


def test_the_demo_mix_is_seen_through_a_documented_client_walk(client):
    """A client that reads tickets with include=comment_count sees messaging tickets with comments (the first one
    public) and chat and voice tickets beside them."""
    body = client.json("/api/v2/incremental/tickets/cursor.json", {"start_time": 0, "include": "comment_count"})
    channels = {ticket["via"]["channel"] for ticket in body["tickets"]}
    assert {"chat", "voice", "email", "web"} <= channels and channels & MESSAGING_CHANNELS
    assert all(ticket["comment_count"] >= 1 for ticket in body["tickets"])


def test_sort_by_query_keeps_its_parameters_on_the_next_page(client):
    body = client.json("/api/v2/tickets.json", {"sort_by": "created_at", "sort_order": "desc", "per_page": 10})
    query = dict(part.split("=", 1) for part in urlsplit(body["next_page"]).query.split("&"))
    assert query["sort_by"] == "created_at" and query["sort_order"] == "desc" and query["page"] == "2"
    assert urlencode({"per_page": 10}) in body["next_page"]
