"""Chat: its own bearer token (Support credentials get 401, the Chat token gets 401 on Support), the chat
export by (start_time, start_id), the agent timeline in microseconds, since_id lists, bare arrays, the
written connector config, mutations and the product gate."""

import json
import time

import pytest
import requests

from sandbox_client import Client
from sandbox_fixture import running_sandbox

ARGS = ("--tickets", "6000", "--seed", "9", "--rate-limit", "0", "--export-rate-limit", "100000", "--time-scale", "60")
CHAT = "/api/v2/chat"


class ChatClient(Client):
    def __init__(self, info):
        super().__init__(info, scheme="none")
        self.session.headers["Authorization"] = f"Bearer {info['chat_access_token']}"


@pytest.fixture(scope="module")
def info():
    with running_sandbox(*ARGS) as info:
        yield info


@pytest.fixture(scope="module")
def chat(info):
    return ChatClient(info)


@pytest.fixture(scope="module")
def summary(chat):
    return chat.summary()["resources"]


def walk_chats(chat, start_time=0, start_id=None, limit=1000):
    records, pages, url = [], 0, f"{CHAT}/incremental/chats"
    params = {
        "start_time": start_time,
        "limit": limit,
        "fields": "chats(*)",
        **({"start_id": start_id} if start_id else {}),
    }
    for _ in range(10000):
        body = chat.json(url, params)
        pages += 1
        assert set(body) == {"chats", "count", "end_time", "end_id", "next_page"}
        assert body["count"] == len(body["chats"]) and body["next_page"]
        if body["count"] == 0:
            return records, pages
        assert body["end_id"] == body["chats"][-1]["id"]
        records.extend(body["chats"])
        url, params = body["next_page"], None
    raise AssertionError("chat export did not end")


def epoch(iso):
    import calendar

    return calendar.timegm(time.strptime(iso[:19], "%Y-%m-%dT%H:%M:%S"))


def test_ready_line_and_config_carry_the_chat_token(info):
    token = info["chat_access_token"]
    assert token and token not in (info["api_token"], info["access_token"])
    assert info["config"]["chat_credentials"] == {"access_token": token}


@pytest.mark.process
def test_support_credentials_get_401_on_chat_and_the_chat_token_on_support(info, chat):
    for scheme in ("api_token", "bearer"):
        r = Client(info, scheme).get(f"{CHAT}/agents", expect=401)
        assert r.json()["error"] == "invalid_token"
    Client(info, "none").get(f"{CHAT}/agents", expect=401)
    chat.get("/api/v2/tickets", expect=401)
    chat.get(f"{CHAT}/agents", expect=200)


@pytest.mark.process
@pytest.mark.parametrize("limit", [1000, 37])
def test_chat_export_walks_to_the_summary(chat, summary, limit):
    records, pages = walk_chats(chat, limit=limit)
    assert len(records) == len({r["id"] for r in records}) == summary["chats"]["endpoints"][f"{CHAT}/incremental/chats"]
    assert pages > 2
    keys = [(epoch(r["update_timestamp"]), r["id"]) for r in records]
    assert keys == sorted(keys)
    assert all(isinstance(r["id"], str) for r in records)


@pytest.mark.process
def test_chat_export_resumes_from_end_time_and_end_id(chat):
    records, _ = walk_chats(chat, limit=1000)
    body = chat.json(f"{CHAT}/incremental/chats", {"start_time": 0, "limit": 250})
    rest, _ = walk_chats(chat, start_time=body["end_time"], start_id=body["end_id"], limit=1000)
    assert body["chats"] + rest == records


@pytest.mark.process
def test_chats_have_history_agents_and_tickets(chat, info):
    records, _ = walk_chats(chat)
    support = Client(info)
    with_agents = [c for c in records if c["agent_ids"]]
    assert with_agents and all(c["history"] for c in records)
    for c in with_agents[:5]:
        assert support.json(f"/api/v2/users/{c['agent_ids'][0]}")["user"]["role"] in ("agent", "admin")
        assert c["count"]["total"] == sum(1 for e in c["history"] if e["type"] == "chat.msg")
    linked = [c for c in records if c["zendesk_ticket_id"]]
    assert linked
    for c in linked[:3]:
        support.get(f"/api/v2/tickets/{c['zendesk_ticket_id']}")


@pytest.mark.process
def test_agent_timeline_is_in_microseconds(chat, summary):
    url, params, records = f"{CHAT}/incremental/agent_timeline", {"start_time": 0, "limit": 500}, []
    for _ in range(1000):
        body = chat.json(url, params)
        assert body["count"] == len(body["agent_timeline"]) and body["next_page"]
        if body["count"] == 0:
            break
        assert body["end_time"] > 10**15, "microseconds"
        records.extend(body["agent_timeline"])
        url, params = body["next_page"], None
    assert len(records) == summary["agent_timeline"]["endpoints"][f"{CHAT}/incremental/agent_timeline"]
    starts = [r["start_time"] for r in records]
    assert len(set(starts)) == len(starts) and starts == sorted(starts)
    late = chat.json(url.split("?")[0], {"start_time": epoch(records[-1]["start_time"]) * 10**6 + 10**12})
    assert late["count"] == 0


@pytest.mark.process
def test_agents_page_by_since_id_until_empty(chat, summary):
    seen, since = [], 0
    for _ in range(100):
        page = chat.json(f"{CHAT}/agents", {"since_id": since, "limit": 3})
        assert isinstance(page, list)
        if not page:
            break
        assert len(page) <= 3
        seen.extend(page)
        since = page[-1]["id"] + 1
    assert len(seen) == len({a["id"] for a in seen}) == summary["chat_agents"]["endpoints"][f"{CHAT}/agents"]


@pytest.mark.process
def test_bans_page_by_since_id(chat, summary):
    body = chat.json(f"{CHAT}/bans")
    assert set(body) == {"visitor", "ip_address"}
    seen, since = [], 0
    while True:
        body = chat.json(f"{CHAT}/bans", {"since_id": since, "limit": 2})
        page = body["visitor"] + body["ip_address"]
        if not page:
            break
        seen.extend(page)
        since = max(b["id"] for b in page) + 1
    assert len(seen) == summary["chat_bans"]["endpoints"][f"{CHAT}/bans"]


@pytest.mark.parametrize(
    "path,resource",
    [
        ("departments", "chat_departments"),
        ("goals", "chat_goals"),
        ("roles", "chat_roles"),
        ("shortcuts", "chat_shortcuts"),
        ("skills", "chat_skills"),
        ("triggers", "chat_triggers"),
    ],
)
@pytest.mark.process
def test_bare_arrays(chat, summary, path, resource):
    body = chat.json(f"{CHAT}/{path}")
    assert isinstance(body, list) and len(body) == summary[resource]["endpoints"][f"{CHAT}/{path}"] > 0


@pytest.mark.process
def test_account_and_routing_settings(chat):
    account = chat.json(f"{CHAT}/account")
    assert {"account_key", "status", "plan", "billing", "create_date"} <= set(account)
    routing = chat.json(f"{CHAT}/routing_settings/account")
    assert list(routing) == ["data"] and isinstance(routing["data"], dict)


@pytest.mark.process
def test_mutations_move_chats_to_the_end():
    with running_sandbox(*ARGS, "--holdback", "0") as info:
        chat = ChatClient(info)
        result = chat.mutate({"chats": {"create": 2, "update": 3, "delete": 1}})
        time.sleep(1.1)
        summary = chat.summary()["resources"]
        records, _ = walk_chats(chat)
        assert len(records) == summary["chats"]["endpoints"][f"{CHAT}/incremental/chats"]
        changed = set(result["chats"]["create"]) | set(result["chats"]["update"]) | set(result["chats"]["delete"])
        assert {r["id"] for r in records[-6:]} == changed
        deleted = [r for r in records if r["deleted"]]
        assert [r["id"] for r in deleted] == result["chats"]["delete"]
        assert summary["chats"]["deleted"] == 1


@pytest.mark.process
def test_chat_off_answers_404_and_prints_no_token(tmp_path):
    config = tmp_path / "config.json"
    with running_sandbox(*ARGS, "--without", "chat", "--write-config", str(config)) as info:
        assert "chat_access_token" not in info
        assert "chat_credentials" not in json.loads(config.read_text())
        support = Client(info)
        for path in ("incremental/chats?start_time=0", "agents", "bans", "departments", "account"):
            r = support.get(f"{CHAT}/{path}", expect=404)
            assert r.json() == {"error": "InvalidEndpoint", "description": "Not found"}
        resources = support.summary()["resources"]
        for name in ("chats", "agent_timeline", "chat_agents", "chat_bans", "chat_departments", "chat_accounts"):
            assert set(resources[name]["endpoints"].values()) == {0}, name
        assert requests.get(info["url"] + f"{CHAT}/agents", timeout=10).status_code == 401
