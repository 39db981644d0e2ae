"""Skill-based routing's change log: every create, update and delete of the account's routing attributes and
their values, and every value set on (associated with) or taken off an agent or a ticket, in time order. The
incremental routing exports page through it. Built on first use and kept on the account."""

from __future__ import annotations

import calendar
import time

from .pools import mix
from .timeline import iso

K_ROUTING = 411
DAY = 86400
VALUES = {
    "Language": ["English", "German", "Spanish", "French", "Japanese"],
    "Skill level": ["Beginner", "Intermediate", "Expert"],
}
# An attribute tried out and deleted again, with its one value: the export keeps its deletions.
RETIRED = ("Region", ["EMEA"])
MAX_AGENTS, MAX_TICKETS = 200, 300


def _epoch(stamp: str) -> int:
    return calendar.timegm(time.strptime(stamp, "%Y-%m-%dT%H:%M:%SZ"))


class RoutingChanges:
    def __init__(self, account) -> None:
        self.account = account
        self.seed = account.settings.seed
        self.attributes: list[tuple[int, int, dict]] = []
        self.attribute_values: list[tuple[int, int, dict]] = []
        self.instance_values: list[tuple[int, int, dict]] = []
        self._build()
        for events in (self.attributes, self.attribute_values, self.instance_values):
            events.sort(key=lambda event: (event[0], event[1]))

    def _uuid(self, part: int, n: int) -> str:
        return f"{n:08x}-7c{part:02x}-11ee-a2b7-{self.seed:012x}"

    def _event(self, events: list, at: int, record: dict, kind: str) -> None:
        events.append((at, len(events), {**record, "time": iso(at), "type": kind}))

    def _build(self) -> None:
        anchor = self.account.anchor
        values = []  # (value id, created) of live values, for the associations
        for attribute in self.account.config.routing_attributes:
            created, updated = _epoch(attribute["created_at"]), _epoch(attribute["updated_at"])
            row = {"id": attribute["id"], "name": attribute["name"]}
            self._event(self.attributes, created, row, "create")
            if updated > created:
                self._event(self.attributes, updated, row, "update")
            for j, name in enumerate(VALUES.get(attribute["name"], []), 1):
                value_id = self._uuid(0x2E, len(self.attribute_values) + 1)
                at = created + j * 3600
                value = {"id": value_id, "attribute_id": attribute["id"], "name": name}
                self._event(self.attribute_values, at, value, "create")
                if j % 3 == 2:
                    self._event(self.attribute_values, min(anchor, at + 30 * DAY), value, "update")
                values.append((value_id, at))
        name, retired_values = RETIRED
        born = self.account.history_start + 10 * DAY
        retired = {"id": self._uuid(0x2D, 99), "name": name}
        self._event(self.attributes, born, retired, "create")
        for j, value_name in enumerate(retired_values, 1):
            value = {"id": self._uuid(0x2E, 900 + j), "attribute_id": retired["id"], "name": value_name}
            self._event(self.attribute_values, born + j * 60, value, "create")
            self._event(self.attribute_values, born + 20 * DAY, value, "delete")
        self._event(self.attributes, born + 20 * DAY, retired, "delete")
        self._associations(values, anchor)

    def _associations(self, values: list[tuple[str, int]], anchor: int) -> None:
        if not values:
            return
        users = self.account.users
        agents = min(MAX_AGENTS, users.n_agents - 1)
        for r in range(agents):
            self._associate(values, r, str(users.agent_id(r)), "agent", anchor)
        for ticket in range(1, min(self.account.settings.tickets, MAX_TICKETS) + 1, 3):
            self._associate(values, MAX_AGENTS + ticket, str(ticket), "ticket", anchor)

    def _associate(self, values: list[tuple[str, int]], n: int, instance_id: str, kind: str, anchor: int) -> None:
        h = mix(self.seed, K_ROUTING, n)
        value_id, since = values[h % len(values)]
        at = min(anchor, since + DAY + (h >> 8) % (200 * DAY))
        row = {"id": self._uuid(0x2F, n), "attribute_value_id": value_id, "instance_id": instance_id}
        self._event(self.instance_values, at, row, f"associate_{kind}")
        if h % 7 == 0:
            self._event(self.instance_values, min(anchor, at + 45 * DAY), row, f"unassociate_{kind}")

    def events(self, kind: str) -> list[tuple[int, int, dict]]:
        return {
            "attributes": self.attributes,
            "attribute_values": self.attribute_values,
            "instance_values": self.instance_values,
        }[kind]


def routing_changes(account) -> RoutingChanges:
    value = account.__dict__.get("_routing_changes")
    if value is None:
        value = account.__dict__["_routing_changes"] = RoutingChanges(account)
    return value
