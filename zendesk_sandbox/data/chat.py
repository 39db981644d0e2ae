"""Chat (Live Chat) data: chats with their full history (lazy, about 1 chat per 5 tickets, served by the
account's agents, some turned into tickets), the agent timeline (lazy), and the small objects: agents,
bans, departments (the Support groups), goals, roles, shortcuts, skills, triggers, account, routing settings.

Chat ids are strings, as on Zendesk ("2611.10000123.Sx7..."): the part after the date is the chat index,
zero-padded, so (update time, id) sorts like (update time, index) inside one second."""

from __future__ import annotations

from typing import cast

from .pools import mix
from .series import Series
from .timeline import iso

BAN_VISITOR, BAN_IP, GOAL, SHORTCUT, SKILL, TRIGGER, ROLE = (
    40_000_000_000,
    40_100_000_000,
    40_200_000_000,
    40_300_000_000,
    40_400_000_000,
    40_500_000_000,
    40_600_000_000,
)
K_CHAT = 501
TOKEN_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
STATUSES = ["online", "away", "invisible", "offline"]


def chat_count(tickets: int) -> int:
    return max(20, tickets // 5)


def timeline_count(tickets: int) -> int:
    return max(20, tickets // 10)


class Chat:
    def __init__(self, account):
        self.support_account = account
        s = account.settings
        self.seed = s.seed
        self.chats = Series(chat_count(s.tickets), account.history_start, account.anchor, burst=4)
        self.timeline = Series(timeline_count(s.tickets), account.history_start, account.anchor, burst=3)
        users = account.users
        self.agent_indexes = list(range(1, users.n_agents + 1))
        self.departments = [self._department(g) for g in account.config.groups if not g["deleted"]]
        self.bans_visitor = [self._ban(BAN_VISITOR + n, "visitor", n) for n in range(1, 6)]
        self.bans_ip = [self._ban(BAN_IP + n, "ip_address", n) for n in range(1, 4)]
        self.roles = [
            {
                "id": ROLE + n,
                "name": name,
                "description": desc,
                "enabled": True,
                "permissions": {
                    "visitors_seen": "all",
                    "proactive_chatting": "listen-join",
                    "edit_visitor_information": n < 3,
                    "edit_visitor_notes": True,
                    "view_past_chats": "all" if n < 3 else "own",
                    "edit_chat_tags": True,
                    "manage_bans": "account" if n == 1 else "none",
                    "access_analytics": "account" if n < 3 else "none",
                    "view_monitor": "account",
                    "edit_department_agents": n == 1,
                    "set_agent_chat_limit": n == 1,
                    "manage_shortcuts": "account",
                },
                "members_count": 1 if n == 1 else max(0, len(self.agent_indexes) - 1) if n == 2 else 0,
            }
            for n, (name, desc) in enumerate(
                [
                    ("Administrator", "Manages the whole account"),
                    ("Agent", "Answers chats"),
                    ("Supervisor", "Monitors chats"),
                ],
                1,
            )
        ]
        self.goals = [
            {
                "id": GOAL + n,
                "name": name,
                "description": f"Visitors who reach the {name.lower()} page",
                "enabled": True,
                "attribution_model": "last_touch",
                "attribution_period": 30,
                "settings": {
                    "conditions": [
                        {"operator": "equals", "type": "url", "value": f"https://www.example.com/{name.lower()}"}
                    ]
                },
            }
            for n, name in enumerate(["Checkout", "Signup"], 1)
        ]
        pools = account.pools
        self.shortcuts = [
            {
                "id": SHORTCUT + n,
                "name": f"greet{n}",
                "message": pools.sentences[n % len(pools.sentences)],
                "options": "Yes/No" if n % 2 else "",
                "tags": [f"shortcut_{n}"],
                "scope": "all",
                "departments": [],
                "agents": [],
            }
            for n in range(1, 6)
        ]
        self.skills = [
            {
                "id": SKILL + n,
                "name": name,
                "description": f"{name} speakers",
                "enabled": True,
                "members": [users.admin_id() + k for k in range(1, len(self.agent_indexes), n + 1)][:10],
            }
            for n, name in enumerate(["English", "German", "French", "Billing"], 1)
        ]
        self.triggers = [
            {
                "id": TRIGGER + n,
                "name": f"Trigger {n}",
                "description": "Greets visitors",
                "enabled": n != 4,
                "definition": {
                    "event": "chat_requested",
                    "condition": ["and", ["eq", "visitor_page_url", "x"]],
                    "actions": [["sendMessageToVisitor", "Bot", "Hello"]],
                },
            }
            for n in range(1, 5)
        ]

    # ---- small objects ----------------------------------------------------------------------------
    def _department(self, group):
        members = [self.support_account.users.admin_id() + k for k in range(1, len(self.agent_indexes), 3)][:20]
        return {
            "id": group["id"],
            "name": group["name"],
            "description": group["description"] or "",
            "enabled": True,
            "members": members,
            "settings": {"chat_enabled": True, "support_group_id": group["id"]},
        }

    def _ban(self, bid, kind, n):
        pools = self.support_account.pools
        created = iso(self.support_account.anchor - n * 86400 * 9)
        if kind == "ip_address":
            return {
                "id": bid,
                "type": "ip_address",
                "ip_address": pools.ips[n % len(pools.ips)],
                "reason": "Spam",
                "created_at": created,
            }
        return {
            "id": bid,
            "type": "visitor",
            "visitor_id": f"{n}.{mix(self.seed, 502, n) % 10**8}",
            "visitor_name": f"Visitor {n}",
            "reason": "Abusive language",
            "created_at": created,
        }

    def agents(self) -> list[dict]:
        """Chat agents: the account's agents and admins, with their Support user ids, in id order."""
        users = self.support_account.users
        out = []
        for k in self.agent_indexes:
            if users.is_deleted(k):
                continue
            u = users.user(k)
            first, _, last = u["name"].partition(" ")
            h = mix(self.seed, 503, k)
            admin = u["role"] == "admin"
            out.append(
                {
                    "id": u["id"],
                    "email": u["email"],
                    "display_name": u["name"],
                    "first_name": first,
                    "last_name": last,
                    "enabled": True,
                    "role_id": ROLE + (1 if admin else 2),
                    "roles": {"administrator": admin, "owner": k == 1},
                    "departments": [d["id"] for d in self.departments[: 1 + h % 2]],
                    "enabled_departments": [d["id"] for d in self.departments[:1]],
                    "skills": [SKILL + 1],
                    "scope": "all",
                    "create_date": u["created_at"],
                    "last_login": u["updated_at"],
                    "login_count": 10 + h % 500,
                }
            )
        return out

    # ---- chats ------------------------------------------------------------------------------------
    def chat_id(self, k: int) -> str:
        ts = self.chats.base_created_ts(k, 1) if k > self.chats.count else self.chats.timeline.at(k)
        h = mix(self.seed, K_CHAT, k)
        token = "".join(TOKEN_CHARS[(h >> (6 * n)) % len(TOKEN_CHARS)] for n in range(10))
        return f"{iso(ts)[2:4]}{iso(ts)[5:7]}.{k:010d}.{token}"

    def sort_key(self, k: int) -> tuple[int, str]:
        return self.chats.updated_ts(k), self.chat_id(k)

    def is_offline(self, k: int) -> bool:
        """An offline message (left while no agent was online) rather than a chat."""
        return mix(self.seed, K_CHAT + 1, k) % 9 == 0

    def chat(self, k: int) -> dict:
        h = mix(self.seed, K_CHAT + 1, k)
        users, pools = self.support_account.users, self.support_account.pools
        updated = self.chats.updated_ts(k)
        offline = self.is_offline(k)
        duration = 0 if offline else 60 + h % 1500
        base_end = self.chats.timeline.at(k)  # an update (a tag, a rating) does not move the conversation
        start = self.chats.base_created_ts(k, 1) if k > self.chats.count else base_end - duration - 30
        end = start + duration
        agent_id = None if offline else users.agent_id((h >> 10) & 0xFFF)
        agent = users.user(agent_id - users.id_base) if agent_id else None
        visitor_user = users.end_user_id((h >> 24) & 0xFFFFF)
        visitor = users.user(visitor_user - users.id_base)
        department = self.departments[(h >> 44) % len(self.departments)] if self.departments else None
        history = [
            {
                "type": "chat.memberjoin",
                "name": visitor["name"],
                "nick": f"visitor:{k}",
                "channel": "#chat",
                "timestamp": iso(start),
            }
        ]
        n_msgs = 0 if offline else 2 + (h >> 4) % 6
        for m in range(n_msgs):
            by_agent = m % 2 == 1
            history.append(
                {
                    "type": "chat.msg",
                    "name": cast(dict, agent)["name"] if by_agent else visitor["name"],  # messages: online, an agent
                    "nick": f"agent:{agent_id}" if by_agent else f"visitor:{k}",
                    "msg": pools.sentences[(h + m * 13) % len(pools.sentences)],
                    "channel": "#chat",
                    "options": "",
                    "msg_id": f"{start + m}.{m}",
                    "timestamp": iso(start + 20 + m * duration // max(1, n_msgs)),
                }
            )
        if agent is not None:
            history.insert(
                1,
                {
                    "type": "chat.memberjoin",
                    "name": agent["name"],
                    "nick": f"agent:{agent_id}",
                    "channel": "#chat",
                    "timestamp": iso(start + 15),
                },
            )
        visitor_msgs = sum(1 for e in history if e["type"] == "chat.msg" and e["nick"].startswith("visitor"))
        agent_msgs = sum(1 for e in history if e["type"] == "chat.msg" and e["nick"].startswith("agent"))
        # the rule is the tickets', which know the chats they came from (their channel is `chat`)
        ticket = self.support_account.tickets.chat_ticket(k)
        rating = ["good", "bad", None, None][(h >> 50) % 4]
        return {
            "id": self.chat_id(k),
            "type": "offline_msg" if offline else "chat",
            "timestamp": iso(start),
            "end_timestamp": None if offline else iso(end),
            "update_timestamp": iso(updated),
            "duration": duration,
            "started_by": "visitor",
            "visitor": {
                "id": f"{k}.{h % 10**7}",
                "name": visitor["name"],
                "email": visitor["email"],
                "phone": "",
                "notes": "",
            },
            "session": {
                "browser": "Chrome",
                "city": pools.cities[h % len(pools.cities)],
                "country_code": "US",
                "country_name": "United States",
                "region": "California",
                "platform": "Mac OS",
                "ip": pools.ips[h % len(pools.ips)],
                "user_agent": "Mozilla/5.0",
                "start_date": iso(start),
                "end_date": iso(end),
                "id": f"{start}.{k}",
            },
            "agent_ids": [str(agent_id)] if agent_id else [],
            "agent_names": [agent["name"]] if agent else [],
            "department_id": department["id"] if department else None,
            "department_name": department["name"] if department else None,
            "history": history,
            "count": {"visitor": visitor_msgs, "agent": agent_msgs, "total": visitor_msgs + agent_msgs},
            "rating": rating,
            "comment": "Thanks!" if rating == "good" else None,
            "tags": [pools.words[(h >> 30) % len(pools.words)]] if h % 3 else [],
            "missed": offline,
            "unread": False,
            "triggered": h % 5 == 0,
            "triggered_response": False,
            "zendesk_ticket_id": ticket,
            "conversions": [],
            "engagements": [
                {
                    "id": f"{self.chat_id(k)}.1",
                    "agent_id": str(agent_id),
                    "agent_name": agent["name"],
                    "agent_full_name": agent["name"],
                    "department_id": department["id"] if department else None,
                    "timestamp": iso(start + 15),
                    "duration": duration,
                    "accepted": True,
                    "assigned": True,
                    "started_by": "visitor",
                    "rating": rating,
                    "comment": None,
                    "count": {"visitor": visitor_msgs, "agent": agent_msgs, "total": visitor_msgs + agent_msgs},
                    "response_time": {"first": 15, "avg": 20, "max": 40},
                    "skills_requested": [],
                    "skills_fulfilled": True,
                }
            ]
            if agent
            else [],
            "response_time": {"first": 15, "avg": 20, "max": 40} if agent else None,
            "webpath": [
                {"from": "", "to": "https://www.example.com/pricing", "title": "Pricing", "timestamp": iso(start - 30)}
            ],
            "deleted": self.chats.is_deleted(k),
        }

    # ---- agent timeline ---------------------------------------------------------------------------
    def timeline_micros(self, k: int) -> int:
        """Entry k starts at a distinct microsecond (its burst position picks the millisecond)."""
        tl = self.timeline
        return tl.updated_ts(k) * 1_000_000 + ((k - 1) % tl.timeline.burst) * 1000

    def timeline_entry(self, k: int) -> dict:
        h = mix(self.seed, 504, k)
        users = self.support_account.users
        agent_k = 1 + (h % len(self.agent_indexes))
        micros = self.timeline_micros(k)
        seconds, us = divmod(micros, 1_000_000)
        return {
            "agent_id": users.id_base + agent_k,
            "start_time": f"{iso(seconds)[:-1]}.{us:06d}Z",
            "status": STATUSES[(h >> 8) % len(STATUSES)],
            "duration": float(60 + (h >> 16) % 7200),
            "engagement_count": (h >> 32) % 6,
        }

    # ---- account --------------------------------------------------------------------------------
    def account(self) -> dict:
        s = self.support_account.settings
        return {
            "account_key": f"{mix(self.seed, 505, 1) % 10**12:x}",
            "status": "active",
            "plan": {
                "name": s.plan,
                "price": 0,
                "max_agents": 1000,
                "max_departments": "unlimited",
                "max_concurrent_chats": "unlimited",
                "max_history_search_days": "unlimited",
                "max_advanced_triggers": "unlimited",
                "max_basic_triggers": "unlimited",
                "analytics": True,
                "file_upload": True,
                "rest_api": True,
                "goals": 5,
                "high_load": True,
                "integrations": True,
                "ip_restriction": True,
                "monitoring": True,
                "operating_hours": True,
                "sla": True,
                "support": True,
                "unbranding": True,
                "agent_leaderboard": True,
                "agent_reports": True,
                "chat_reports": True,
                "daily_reports": True,
                "email_reports": True,
                "widget_customization": "full",
                "long_desc": "",
                "short_desc": "",
            },
            "billing": {
                "first_name": "Admin",
                "last_name": "Owner",
                "company": "Sandbox",
                "email": f"admin@{s.subdomain}.example.com",
                "phone": "",
                "address1": "",
                "address2": "",
                "city": "",
                "state": "",
                "postal_code": "",
                "country_code": "US",
                "additional_info": "",
                "cycle": 1,
            },
            "create_date": iso(self.support_account.history_start),
            "zopim_id": mix(self.seed, 505, 2) % 10**8,
        }

    def routing_settings(self) -> dict:
        return {
            "routing_mode": "assigned",
            "chat_limit": {"enabled": True, "allow_agent_override": False, "limit": 3, "limit_type": "account"},
            "skill_routing": {"enabled": True, "max_wait_time": 30},
            "reassignment": {"enabled": True, "timeout": 30},
            "auto_idle": {"enabled": False, "reassignments_before_idle": 3, "new_status": "away"},
            "auto_accept": {"enabled": False},
        }
