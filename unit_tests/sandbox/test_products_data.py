"""Help Center, Talk and Chat data in-process: deterministic from the seed, sized from the ticket count, lazy
enough that a 1M-ticket account builds them instantly."""

import time

from zendesk_sandbox.foundation.clock import SandboxClock
from zendesk_sandbox.data.account import Account
from zendesk_sandbox.add_ons.gates import chat, help_center, product_resources, talk
from zendesk_sandbox.foundation.settings import SandboxSettings


def account(tickets=2000, seed=3):
    return Account(SandboxSettings(tickets=tickets, seed=seed), SandboxClock(), "http://sandbox.test")


def sample(a):
    hc, t, c = help_center(a), talk(a), chat(a)
    return [
        hc.article(5),
        hc.article_comments(7),
        hc.post(3),
        hc.post_comments(4),
        hc.article_attachments(9),
        t.call(11),
        t.legs(12),
        t.phone_numbers,
        t.ivrs,
        c.chat(13),
        c.timeline_entry(14),
        c.agents(),
    ]


def test_same_seed_same_data_other_seed_other_data():
    assert sample(account()) == sample(account())
    assert sample(account()) != sample(account(seed=4))


def test_sizes_follow_the_ticket_count():
    small, big = product_resources(account(1000)), product_resources(account(100_000))
    for name in ("articles", "posts", "calls", "legs", "chats", "agent_timeline"):
        assert 0 < small[name]["total"] < big[name]["total"], name
    assert big["calls"]["total"] == 30_000 and big["chats"]["total"] == 20_000


def test_a_million_tickets_is_lazy():
    a = account(1_000_000)
    started = time.perf_counter()
    resources = product_resources(a)
    assert time.perf_counter() - started < 5
    assert resources["calls"]["total"] == 300_000
    assert talk(a).call(299_999)["id"] and chat(a).chat(199_999)["id"]


def test_calls_and_chats_belong_to_the_account():
    a = account()
    t, c = talk(a), chat(a)
    agents = {a.users.user(k)["id"] for k in range(1, a.users.n_agents + 1)}
    for k in range(1, 200):
        call = t.call(k)
        assert call["agent_id"] is None or call["agent_id"] in agents
        assert call["ticket_id"] is None or 1 <= call["ticket_id"] <= a.tickets.count
        assert call["created_at"] <= call["updated_at"]
        record = c.chat(k)
        assert all(int(x) in agents for x in record["agent_ids"])
        assert record["timestamp"] <= record["update_timestamp"]
    hc = help_center(a)
    sections = {s["id"] for s in hc.sections}
    assert all(hc.article(k)["section_id"] in sections and hc.article(k)["author_id"] in agents for k in range(1, 50))
