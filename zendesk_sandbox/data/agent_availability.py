"""Omnichannel routing's agent availability: the account's unified statuses (Zendesk's four defaults and a few custom
ones) and every agent's current availability, as JSON:API resources: the agent, a channel resource per channel
(support, messaging, talk) and the work items assigned on each channel. Computed from (seed, agent) at the anchor:
a snapshot, not a history."""

from __future__ import annotations

from . import ids
from .pools import mix
from .timeline import iso

K_AVAILABILITY, K_CHANNEL, K_STATUS = 520, 521, 522
# Zendesk's default unified statuses: (id, name, description), the same on every account.
DEFAULT_STATUSES = [
    (2, "offline", "Can't receive work"),
    (3, "online", "Can receive work"),
    (4, "away", "Can only receive email tickets"),
    (5, "transfers_only", "Can only receive work from other agents"),
]
# Each default status's state on every channel (Zendesk's channel mapping: away is offline on all of them).
DEFAULT_CHANNEL_STATE = {
    "offline": "offline",
    "online": "online",
    "away": "offline",
    "transfers_only": "transfers_only",
}
# Custom unified statuses an admin made: (name, description, per-channel statuses).
CUSTOM_STATUSES = [
    ("In a meeting", "Temporarily unavailable but accepting emails", ("online", "away", "away")),
    ("Lunch", "Back within the hour", ("away", "away", "away")),
    ("Training", "Reading the new macros; email only", ("online", "offline", "offline")),
    ("Phones only", "Covering the phone queue", ("offline", "offline", "online")),
]
CUSTOM_STATUS_BASE = 360_000_000_000
CHANNELS = ("support", "messaging", "talk")
MAX_CAPACITY = {"support": 10, "messaging": 3, "talk": 1}
# Why an agent's status was last set (Zendesk's reasons).
REASONS = ["AGENT_STATUS_SWITCHER", "AGENT_STATUS_SWITCHER", "AGENT_LOGOUT", "AGENT_IDLE_TIMEOUT", "PUBLIC_API"]
WORK_REASONS = ["ASSIGNED", "ASSIGNED", "ACCEPTED", "OFFERED", "REOPENED", "ASSIGNED_TRANSFER"]


class AgentAvailability:
    def __init__(self, account) -> None:
        self.account = account
        self.seed = account.settings.seed
        self.anchor = account.anchor
        self.base = account.base_url
        memberships: dict[int, list[int]] = {}
        for membership in account.config.group_memberships:
            memberships.setdefault(membership["user_id"], []).append(membership["group_id"])
        self.groups_of = memberships
        self.skill_ids = [
            f"{mix(self.seed, K_STATUS, n) & 0xFFFFFFFF:08x}-9993-49f8-9850-{n:012x}" for n in range(1, 7)
        ]
        self.statuses = self._statuses()

    # ---- unified statuses -----------------------------------------------------------------------------------
    def _statuses(self) -> dict[str, list[dict]]:
        default = [
            {"id": sid, "type": "agent_status", "attributes": {"name": name, "description": description}}
            for sid, name, description in DEFAULT_STATUSES
        ]
        custom = []
        groups = self.account.config.group_ids
        for n, (name, description, channel_states) in enumerate(CUSTOM_STATUSES, 1):
            custom.append(
                {
                    "id": CUSTOM_STATUS_BASE + n,
                    "type": "agent_status",
                    "attributes": {
                        "name": name,
                        "description": description,
                        "channels": dict(zip(CHANNELS, channel_states)),
                        # an empty list: every agent may use it
                        "group_ids": [] if n % 2 else sorted(groups[: 1 + n % len(groups)]),
                    },
                    "updated_at": iso(self.anchor - (n * 86_413) % (90 * 86_400)),
                }
            )
        return {"default": default, "custom": custom}

    def status_count(self) -> int:
        return len(self.statuses["default"]) + len(self.statuses["custom"])

    def _status_of(self, h: int) -> tuple[int, str, tuple[str, ...]]:
        """An agent's unified status: mostly the defaults, now and then a custom one."""
        custom = self.statuses["custom"]
        pick = h % (len(DEFAULT_STATUSES) * 3 + len(custom))
        if pick < len(DEFAULT_STATUSES) * 3:
            sid, name, _ = DEFAULT_STATUSES[[0, 1, 1, 1, 2, 3, 1, 0, 1, 2, 1, 1][pick]]
            return sid, name, tuple(DEFAULT_CHANNEL_STATE[name] for _ in CHANNELS)
        status = custom[pick - len(DEFAULT_STATUSES) * 3]
        channels = status["attributes"]["channels"]
        return status["id"], status["attributes"]["name"], tuple(channels[c] for c in CHANNELS)

    # ---- agents ---------------------------------------------------------------------------------------------
    def agent_ids(self) -> list[int]:
        """Every agent and admin of the account, one availability each."""
        return [ids.USER + k for k in range(1, self.account.users.n_agents + 1)]

    def resources(self, agent_id: int) -> tuple[dict, list[dict]]:
        """The agent's availability resource, and the channels and work items it refers to (the `included`)."""
        k = agent_id - ids.USER
        h = mix(self.seed, K_AVAILABILITY, k)
        status_id, status_name, channel_states = self._status_of(h)
        changed = self.anchor - h % 28_800
        own_id = f"agent_availabilities|{agent_id}"
        included: list[dict] = []
        channel_refs = []
        tickets = self.account.settings.tickets
        for c, (channel, state) in enumerate(zip(CHANNELS, channel_states)):
            hc = mix(self.seed, K_CHANNEL, k * 8 + c)
            channel_id = f"{own_id}|channels|{channel}"
            count = 0 if state == "offline" else hc % (MAX_CAPACITY[channel] + 1)
            items = []
            for j in range(count):
                ticket = max(1, tickets - (hc >> 8) % max(1, min(tickets, 400)) - j)
                items.append(
                    {
                        "id": f"{channel_id}|work_items|{ticket}",
                        "type": "work_items",
                        "attributes": {
                            "added_at": iso_micro(changed - 60 * (j + 1) - hc % 600, hc),
                            "reason": WORK_REASONS[(hc >> (4 + j)) % len(WORK_REASONS)],
                        },
                    }
                )
            included.append(
                {
                    "id": channel_id,
                    "type": "channels",
                    "attributes": {
                        "name": channel,
                        "status": state,
                        "max_capacity": MAX_CAPACITY[channel],
                        "work_item_count": count,
                        "updated_at": iso_micro(changed - hc % 3_600, hc),
                    },
                    "relationships": {
                        "work_items": {
                            "data": [{"id": item["id"], "type": "work_items"} for item in items],
                            "links": {"next": None, "prev": None},
                            "meta": {"has_more": False},
                        }
                    },
                }
            )
            included.extend(items)
            channel_refs.append({"id": channel_id, "type": "channels"})
        skills = [{"id": self.skill_ids[(h >> (8 + s)) % len(self.skill_ids)]} for s in range(h % 3)]
        resource = {
            "id": own_id,
            "type": "agent_availabilities",
            "attributes": {
                "agent_id": agent_id,
                "agent_status": {
                    "id": status_id,
                    "name": status_name,
                    "reason": REASONS[(h >> 16) % len(REASONS)],
                    "updated_at": iso_micro(changed, h),
                },
                "group_ids": sorted(self.groups_of.get(agent_id, [])),
                "skills": list({skill["id"]: skill for skill in skills}.values()),
                "version": 1 + (h >> 20) % 400,
            },
            "links": {"self": f"{self.base}/api/v2/agent_availabilities/{agent_id}"},
            "relationships": {"channels": {"data": channel_refs}},
        }
        return resource, included


def iso_micro(ts: int, h: int) -> str:
    """An ISO time with microseconds, as the agent availability API writes them."""
    return f"{iso(ts)[:-1]}.{h % 1_000_000:06d}Z"


def agent_availability(account) -> AgentAvailability:
    """One per account, kept with it (the group memberships it reads do not change)."""
    value = account.__dict__.get("_agent_availability")
    if value is None:
        value = account.__dict__["_agent_availability"] = AgentAvailability(account)
    return value
