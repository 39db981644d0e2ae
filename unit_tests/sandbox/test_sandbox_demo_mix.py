"""The demo account's ticket mix, as a real account of that size has it: a third of the tickets over messaging
(no public comment beyond the first: the conversation is in the conversation log), tickets from chats and calls
(each linked from its chat or call, with the via source Zendesk gives them), and deletions recent enough for
`/deleted_tickets` to list them until the 30-day purge."""

import calendar
import time
from collections import Counter

import pytest

from sandbox_client import Client, distinct_ids
from sandbox_fixture import running_sandbox

pytestmark = pytest.mark.process  # starts the sandbox

DEMO = ("--seed", "42", "--tickets", "500", "--time-scale", "20", "--rate-limit", "0", "--export-rate-limit", "0")
MESSAGING = {"native_messaging", "whatsapp", "messenger"}
VOICE = "/api/v2/channels/voice"


def epoch(iso: str) -> int:
    return calendar.timegm(time.strptime(iso, "%Y-%m-%dT%H:%M:%SZ"))


@pytest.fixture(scope="module")
def client():
    with running_sandbox(*DEMO) as info:
        yield Client(info)


@pytest.fixture(scope="module")
def tickets(client):
    return {t["id"]: t for t in client.walk_cursor_export("/api/v2/incremental/tickets/cursor", "tickets")}


def by_channel(tickets: dict, channels: set) -> list[dict]:
    return [t for t in tickets.values() if t["via"]["channel"] in channels]


def walk_calls(client) -> list[dict]:
    calls, url, params = [], f"{VOICE}/stats/incremental/calls", {"start_time": 0}
    for _ in range(1000):
        body = client.json(url, params)
        calls.extend(body["calls"])
        if body["count"] < 1000:  # a short page ends Talk's export (Zendesk's documented stop rule)
            return calls
        url, params = body["next_page"], None
    raise AssertionError("call export did not end")


def walk_chats(info) -> list[dict]:
    chat = Client(info, scheme="none")
    chat.session.headers["Authorization"] = f"Bearer {info['chat_access_token']}"
    chats, url, params = [], "/api/v2/chat/incremental/chats", {"start_time": 0, "fields": "chats(*)"}
    for _ in range(1000):
        body = chat.json(url, params)
        if body["count"] == 0:
            return chats
        chats.extend(body["chats"])
        url, params = body["next_page"], None
    raise AssertionError("chat export did not end")


def test_a_third_of_the_tickets_come_over_messaging_and_every_channel_has_some(tickets):
    channels = Counter(t["via"]["channel"] for t in tickets.values())
    messaging = sum(channels[c] for c in MESSAGING)
    assert 0.28 <= messaging / len(tickets) <= 0.40, channels
    for channel in ("email", "web", "api", "chat", "voice"):
        assert channels[channel] >= 5, (channel, channels)
    assert all(t["from_messaging_channel"] == (t["via"]["channel"] in MESSAGING) for t in tickets.values())


def test_messaging_tickets_carry_no_public_comment_beyond_the_first(client, tickets):
    conversations = [t for t in by_channel(tickets, MESSAGING) if t["status"] != "deleted"]
    checked = 0
    for ticket in conversations[:40]:
        comments = client.json(f"/api/v2/tickets/{ticket['id']}/comments")["comments"]
        assert comments[0]["public"] and not any(c["public"] for c in comments[1:]), ticket["id"]
        log = client.json(f"/api/v2/tickets/{ticket['id']}/conversation_log")["events"]
        messages = [e for e in log if e["type"] == "Messaging::ConversationMessage"]
        assert len(messages) == len(comments)  # the conversation itself is in the log
        checked += len(comments) > 1
    assert checked >= 5
    others = [t for t in tickets.values() if t["via"]["channel"] == "web" and t["status"] != "deleted"]
    assert any(
        sum(c["public"] for c in client.json(f"/api/v2/tickets/{t['id']}/comments")["comments"]) > 1
        for t in others[:20]
    ), "tickets from other channels keep their public replies"


def test_voice_tickets_are_linked_from_the_calls_that_created_them(client, tickets):
    voice = by_channel(tickets, {"voice"})
    calls = {c["ticket_id"]: c for c in walk_calls(client) if c["ticket_id"] is not None}
    assert voice
    for ticket in voice:
        call = calls[ticket["id"]]  # the call that created it links to it
        source = ticket["via"]["source"]
        assert source["rel"] == ("voicemail" if call["voicemail"] else call["direction"])
        outbound = call["direction"] == "outbound"
        line, caller = (source["from"], source["to"]) if outbound else (source["to"], source["from"])
        assert line["phone"] == call["phone_number"]
        assert caller["phone"].startswith("+") and caller["formatted_phone"].startswith("+1 (")
        assert call["customer_id"] == ticket["requester_id"]
        assert call["completion_status"] in ("completed", "abandoned_in_voicemail")
    first = client.json(f"/api/v2/tickets/{voice[0]['id']}/comments")["comments"][0]
    assert first["via"]["channel"] == "voice"


def test_chat_tickets_are_the_tickets_chats_became(client, tickets):
    chats = walk_chats(client.info)
    linked = {c["zendesk_ticket_id"]: c for c in chats if c["zendesk_ticket_id"] is not None}
    chat_tickets = by_channel(tickets, {"chat"})
    assert chat_tickets and {t["id"] for t in chat_tickets} == set(linked)
    for ticket in chat_tickets:
        offline = linked[ticket["id"]]["type"] == "offline_msg"
        assert ticket["via"]["source"]["rel"] == ("chat_offline_message" if offline else None)


def test_recent_deletions_are_listed_and_exported_as_deleted(client, tickets):
    listed = client.walk_cursor("/api/v2/deleted_tickets", "deleted_tickets")
    summary = client.summary()["resources"]["deleted_tickets"]["endpoints"]["/api/v2/deleted_tickets"]
    assert len(listed) >= 3 and len(listed) == summary
    window = 30 * 86400 / 20  # 30 Zendesk-days at the demo's clock
    for record in listed:
        assert time.time() - window <= epoch(record["deleted_at"]) <= time.time()
        assert tickets[record["id"]]["status"] == "deleted"
    assert distinct_ids(listed) <= {i for i, t in tickets.items() if t["status"] == "deleted"}
    for record in listed[:3]:
        client.get(f"/api/v2/tickets/{record['id']}", expect=404)


def test_recent_deletions_can_be_turned_off():
    with running_sandbox(*DEMO, "--recent-deletions", "0") as info:
        assert Client(info).walk_cursor("/api/v2/deleted_tickets", "deleted_tickets") == []
