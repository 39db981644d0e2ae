"""One generated Zendesk account: its collections, the overlay of mutations, and its ground truth."""

from __future__ import annotations

import random

from .config_objects import ConfigObjects
from .custom_objects import CustomObjects
from .people import Change, Organizations, Users
from .pools import Pools
from .setup_lists import SetupLists
from .products import mutator as product_mutator
from .tickets import TicketChange, Tickets

DAY = 86400
# The mutation resource of one custom object's records: "custom_object_records:asset"
CUSTOM_OBJECT_RECORDS = "custom_object_records:"
HISTORY_YEARS = 2


class Account:
    def __init__(self, settings, clock, base_url: str):
        self.settings = settings
        self.clock = clock
        self.base_url = base_url.rstrip("/")
        now = clock.now()
        # the generated history ends at the anchor, always at least 10 minutes before the real "now"
        self.anchor = int(min(settings.anchor, now - 600))
        self.history_start = self.anchor - HISTORY_YEARS * 365 * DAY
        # counted back from the anchor, not the real clock, so (seed, anchor) fully determines the data;
        # since the anchor is in the past, every archived ticket is also closed > 120 days before now
        self.archive_cutoff = int(self.anchor - settings.archive_days * DAY)
        self.pools = Pools(settings.seed)
        self.organizations = Organizations(
            self, settings.organizations_count, self.history_start - 200 * DAY, self.anchor
        )
        self.users = Users(self, settings.users_count, self.history_start - 100 * DAY, self.anchor)
        self.config = ConfigObjects(self)
        self.setup = SetupLists(self)
        self.tickets = Tickets(self, settings.tickets, self.history_start, self.anchor)
        self.tickets.delete_recently(settings.recent_deletions_count, now)
        self.custom_objects = CustomObjects(self)
        self.mutations = 0
        self.version = 0

    # ---- time -------------------------------------------------------------------------------------
    def now(self) -> int:
        return int(self.clock.now())

    def export_cutoff(self) -> int:
        """Records changed at or after this second are held back from the incremental exports."""
        return int(self.clock.now() - self.settings.holdback / self.settings.time_scale)

    # ---- mutations ----------------------------------------------------------------------------------
    def mutate(self, spec: dict) -> dict:
        result: dict = {}
        for resource, actions in spec.items():
            handler = {
                "tickets": self._mutate_tickets,
                "users": self._mutate_users,
                "organizations": self._mutate_organizations,
            }.get(resource) or product_mutator(self, resource)
            if (
                handler is None
                and resource.startswith(CUSTOM_OBJECT_RECORDS)
                and resource[len(CUSTOM_OBJECT_RECORDS) :] in self.custom_objects.by_key
            ):
                handler = self._custom_object_mutator(resource[len(CUSTOM_OBJECT_RECORDS) :])
            if handler is None:
                raise ValueError(
                    f"mutations of {resource!r} are not supported (tickets, users, organizations, "
                    "articles, posts, calls, chats, custom_object_records:<key>)"
                )
            if not isinstance(actions, dict):
                raise ValueError(f"{resource}: expected an object of action counts")
            result[resource] = {}
            for action in ("create", "update", "delete", "touch"):
                n = int(actions.get(action, 0) or 0)
                if n:
                    self.mutations += 1
                    rng = random.Random(self.settings.seed * 1_000_003 + self.mutations)
                    result[resource][action] = handler(action, n, rng)
            unknown = set(actions) - {"create", "update", "delete", "touch"}
            if unknown:
                raise ValueError(f"{resource}: unknown actions {sorted(unknown)}")
        self.version += 1
        self.tickets._changed_order = None
        self.users._changed_order = None
        self.organizations._changed_order = None
        return result

    def _custom_object_mutator(self, key: str):
        return lambda action, n, rng: self.custom_objects.mutate(key, action, n, rng)

    @staticmethod
    def _pick(candidates: list[int], n: int, rng: random.Random) -> list[int]:
        return sorted(rng.sample(candidates, min(n, len(candidates))))

    def _mutate_tickets(self, action: str, n: int, rng: random.Random) -> list[int]:
        t, now = self.tickets, self.now()
        if action == "create":
            out = []
            for _ in range(n):
                i = t.next_id
                t.next_id += 1
                t.changes[i] = TicketChange(created_at=now, updated_at=now, generated=now, status="new")
                t.changes[i].extra_metric_events.extend(
                    [(now, "reply_time", "activate"), (now, "agent_work_time", "activate")]
                )
                out.append(i)
            return out
        targets = self._pick(t.live_ids(), n, rng)
        for i in targets:
            change = t.changes.get(i)
            if change is None:
                change = t.changes[i] = TicketChange(updated_at=None, generated=now)
            before = t.status(i)
            change.generated = now
            if action == "update":
                change.escalated = t.from_ai_agent(i)  # an agent's update takes the conversation over from the AI agent
                after = rng.choice(["open", "pending", "solved"])
                change.status = after
                change.updated_at = now
                change.extra_audits.append((now, before, after, rng.random() < 0.8))
                change.extra_metric_events.append((now, "agent_work_time", "update_status"))
                if after == "solved":
                    change.extra_metric_events.append((now, "requester_wait_time", "fulfill"))
            elif action == "delete":
                change.deleted_at = now
                change.updated_at = now
                change.extra_metric_events.append((now, "agent_work_time", "fulfill"))
            # touch: a system update that moves only generated_timestamp
        return targets

    def _mutate_people(self, coll, action: str, n: int, rng: random.Random) -> list[int]:
        now = self.now()
        if action == "create":
            out = []
            for _ in range(n):
                k = coll.next_index
                coll.next_index += 1
                coll.changes[k] = Change(created_at=now, updated_at=now, generated=now)
                out.append(coll.id_base + k)
            return out
        # the owner and the test agent keep their tokens: never mutate users 1 and 2
        targets = self._pick([k for k in coll.active_indexes() if k > 2 or coll is not self.users], n, rng)
        for k in targets:
            change = coll.changes.get(k) or Change(created_at=None, updated_at=now, generated=now)
            change.updated_at = change.generated = now
            if action == "delete":
                change.deleted_at = now
            change.revision += 1
            coll.changes[k] = change
        return [coll.id_base + k for k in targets]

    def _mutate_users(self, action, n, rng):
        return self._mutate_people(self.users, action, n, rng)

    def _mutate_organizations(self, action, n, rng):
        return self._mutate_people(self.organizations, action, n, rng)
