"""Every Help Center, Talk and Chat record the sandbox serves, and every ticket comment attachment, conforms
to the connector's stream schemas (read as JSON files: the sandbox and the connector never import each other)."""

import pytest

from sandbox_client import SCHEMAS, Client, check
from sandbox_fixture import running_sandbox


HC, VOICE, CHAT = "/api/v2/help_center", "/api/v2/channels/voice", "/api/v2/chat"

pytestmark = [
    pytest.mark.process,
    pytest.mark.skipif(not SCHEMAS.is_dir(), reason="the connector's stream schemas are not there yet"),
]


@pytest.fixture(scope="module")
def info():
    with running_sandbox(
        "--tickets", "400", "--seed", "4", "--rate-limit", "0", "--export-rate-limit", "100000"
    ) as info:
        yield info


@pytest.fixture(scope="module")
def client(info):
    return Client(info)


@pytest.fixture(scope="module")
def chat(info):
    c = Client(info, "none")
    c.session.headers["Authorization"] = f"Bearer {info['chat_access_token']}"
    return c


LISTED = [  # stream, path, key
    ("articles", f"{HC}/incremental/articles?start_time=0", "articles"),
    ("sections", f"{HC}/sections?per_page=100", "sections"),
    ("categories", f"{HC}/categories?per_page=100", "categories"),
    ("user_segments", f"{HC}/user_segments", "user_segments"),
    ("permission_groups", "/api/v2/guide/permission_groups", "permission_groups"),
    ("topics", "/api/v2/community/topics", "topics"),
    ("posts", "/api/v2/community/posts?per_page=100", "posts"),
    ("calls", f"{VOICE}/stats/incremental/calls?start_time=0", "calls"),
    ("legs", f"{VOICE}/stats/incremental/legs?start_time=0", "legs"),
    ("phone_numbers", f"{VOICE}/phone_numbers", "phone_numbers"),
    ("addresses", f"{VOICE}/addresses", "addresses"),
    ("greetings", f"{VOICE}/greetings", "greetings"),
    ("greeting_categories", f"{VOICE}/greeting_categories", "greeting_categories"),
    ("ivrs", f"{VOICE}/ivr", "ivrs"),
    ("lines", f"{VOICE}/lines", "lines"),
    ("agents_activity", f"{VOICE}/stats/agents_activity", "agents_activity"),
]
SINGLE = [  # stream, path, key
    ("current_queue_activity", f"{VOICE}/stats/current_queue_activity", "current_queue_activity"),
    ("account_overview", f"{VOICE}/stats/account_overview", "account_overview"),
    ("agents_overview", f"{VOICE}/stats/agents_overview", "agents_overview"),
    ("talk_settings", f"{VOICE}/settings", "settings"),
]
CHAT_ARRAYS = [
    ("chat_agents", "agents"),
    ("chat_departments", "departments"),
    ("chat_goals", "goals"),
    ("chat_roles", "roles"),
    ("chat_shortcuts", "shortcuts"),
    ("chat_skills", "skills"),
    ("chat_triggers", "triggers"),
]


@pytest.mark.parametrize("stream,path,key", LISTED, ids=[s[0] for s in LISTED])
def test_listed_records_conform(client, stream, path, key):
    check(stream, client.json(path)[key])


@pytest.mark.parametrize("stream,path,key", SINGLE, ids=[s[0] for s in SINGLE])
def test_single_objects_conform(client, stream, path, key):
    check(stream, [client.json(path)[key]])


@pytest.mark.parametrize("stream,path", CHAT_ARRAYS, ids=[s[0] for s in CHAT_ARRAYS])
def test_chat_arrays_conform(chat, stream, path):
    check(stream, chat.json(f"{CHAT}/{path}"))


def test_chat_objects_conform(chat):
    check("chats", chat.json(f"{CHAT}/incremental/chats", {"start_time": 0, "limit": 200})["chats"])
    bans = chat.json(f"{CHAT}/bans")
    check("chat_bans", bans["visitor"] + bans["ip_address"])
    check("chat_accounts", [chat.json(f"{CHAT}/account")])
    check("chat_routing_settings", [chat.json(f"{CHAT}/routing_settings/account")["data"]])


def test_per_parent_records_conform(client):
    articles = client.json(f"{HC}/articles", {"per_page": 100})["articles"]
    comments, votes, comment_votes, attachments = [], [], [], []
    for a in articles:
        got = client.json(f"{HC}/articles/{a['id']}/comments")["comments"]
        comments += got
        votes += client.json(f"{HC}/articles/{a['id']}/votes")["votes"]
        for c in got:
            comment_votes += client.json(f"{HC}/articles/{a['id']}/comments/{c['id']}/votes")["votes"]
        attachments += client.json(f"{HC}/articles/{a['id']}/attachments")["article_attachments"]
    check("article_comments", comments)
    check("article_votes", votes)
    check("article_comment_votes", comment_votes)
    check("article_attachments", attachments)
    posts = client.json("/api/v2/community/posts", {"per_page": 100})["posts"]
    comments, votes, comment_votes = [], [], []
    for p in posts:
        got = client.json(f"/api/v2/community/posts/{p['id']}/comments")["comments"]
        comments += got
        votes += client.json(f"/api/v2/community/posts/{p['id']}/votes")["votes"]
        for c in got:
            comment_votes += client.json(f"/api/v2/community/posts/{p['id']}/comments/{c['id']}/votes")["votes"]
    check("post_comments", comments)
    check("post_votes", votes)
    check("post_comment_votes", comment_votes)


def test_ticket_comments_with_attachments_conform(client):
    comments = []
    for t in client.json("/api/v2/tickets", {"per_page": 100})["tickets"]:
        comments += client.json(f"/api/v2/tickets/{t['id']}/comments")["comments"]
    assert any(c["attachments"] for c in comments)
    check("ticket_comments", comments)
