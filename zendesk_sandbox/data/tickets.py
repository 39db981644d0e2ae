"""Tickets and everything hanging off them (comments, audits, ticket events, metrics, metric events, CSAT,
side conversations, skips), computed on demand from (seed, ticket id) plus a small overlay of mutations.

Base ticket i is created at T.at(i) and last changed at T.at(i + LAG); its audits fall between. Per-ticket
"shape" (number of comments, priority, deleted, ...) comes from a table indexed by i % PERIOD, so totals over
any id range are closed-form (the summary of a 1M-ticket account costs nothing).
"""

from __future__ import annotations

import heapq
import random
from dataclasses import dataclass, field, replace

from . import ids, products
from .attachments import attachments
from .chat import chat_count
from .periodic import PERIOD, Periodic
from .pools import mix, rng_for
from .talk import call_count
from .timeline import Timeline, iso, iter_keyset, merge_children

LAG = 24  # ticket i is last updated when ticket i + LAG is created
BREACH_LAG = LAG + 4
KIND_SHAPE, KIND_TICKET = 11, 12
KIND_SUPPORT_TYPE = 13  # its own draw, so the other shape fields are what they were before AI-agent tickets
# The share of generated tickets an AI agent handled (read-only messaging conversations; never mutated into
# being, since /_sandbox/mutate creates tickets as an agent would).
AI_AGENT_SHARE = 0.2
AI_AGENT_CHANNEL = ("native_messaging", "Messaging")
# Human agents' conversations over messaging (web and mobile messaging, WhatsApp, Messenger): with the AI agents',
# about a third of the account's tickets. Their own draw, like the AI agents' share.
KIND_MESSAGING = 14
MESSAGING_SHARE = 0.17
MESSAGING_CHANNELS = [AI_AGENT_CHANNEL, ("whatsapp", "WhatsApp"), ("messenger", "Facebook Messenger")]
PURGE_AFTER = 30 * 86400  # Zendesk-seconds a deleted ticket stays recoverable (and on /deleted_tickets)
# Recent deletions: tickets deleted in the Zendesk-days before start-up, so /deleted_tickets lists some, as on a
# real account (every deletion of the generated history is older than the purge once the anchor is a month back).
RECENT_DELETION_DAYS = 25
# Tickets from Talk and Chat: a chat that became a ticket (1 chat in 4) makes it a chat ticket; of the tickets a
# call is linked to, this share (in percent) were created by that call (the rest are calls about a ticket that
# came another way). Their own draws, so the shapes stay what they were.
KIND_CHAT_TICKET, KIND_VOICE = 15, 16
VOICE_PERCENT_OF_CALLED = 60
CALLS_MAKING_TICKETS = ("completed", "abandoned_in_voicemail")  # abandoned calls make none (Talk's default)

STATUSES_LIVE = ["new", "open", "open", "open", "pending", "pending", "hold", "solved", "solved", "closed"]
PRIORITIES = [None, "low", "normal", "normal", "normal", "high", "urgent"]
TYPES = [None, "question", "incident", "problem", "task", "question"]
CHANNELS = [("web", "Web form"), ("email", "Mail"), ("api", "Web service"), ("email", "Mail"), ("web", "Web form")]
CSAT_SCORES = ["unoffered", "offered", "good", "good", "bad"]
METRICS_ACTIVATED = ["agent_work_time", "pausable_update_time", "reply_time", "requester_wait_time"]


@dataclass(frozen=True)
class Shape:
    n_comments: int
    priority: str | None
    type: str | None
    live_status: str
    sla: bool
    deleted: bool
    system_update: bool
    csat: str
    side_conversation: bool
    skipped: bool
    channel: tuple
    ai_agent: bool = False
    messaging: bool = False  # the conversation came over a messaging channel (AI-agent ones always do)

    @property
    def n_audits(self) -> int:
        return self.n_comments + 1

    @property
    def n_metric_events(self) -> int:
        return 4 + (1 if self.n_comments > 1 else 0) + 3 + (2 if self.sla else 0)


def build_shapes(seed: int) -> list[Shape]:
    shapes = []
    for r in range(PERIOD):
        rng = rng_for(seed, KIND_SHAPE, r)
        ai_agent = rng_for(seed, KIND_SUPPORT_TYPE, r).random() < AI_AGENT_SHARE
        messaging_draw = rng_for(seed, KIND_MESSAGING, r)
        messaging = messaging_draw.random() < MESSAGING_SHARE
        priority = rng.choice(PRIORITIES)
        shape = Shape(
            n_comments=rng.choice([1, 1, 2, 2, 3, 3, 4, 5]),
            priority=priority,
            type=rng.choice(TYPES),
            live_status=rng.choice(STATUSES_LIVE),
            sla=priority in ("high", "urgent"),
            deleted=rng.random() < 0.02,
            system_update=rng.random() < 0.12,
            csat=rng.choice(CSAT_SCORES),
            side_conversation=rng.random() < 0.1,
            skipped=rng.random() < 0.05,
            channel=rng.choice(CHANNELS),
        )
        if ai_agent:
            # A conversation the AI agent handles: read-only for agents (nobody skips it or opens a side
            # conversation on it), on the messaging channel.
            shape = replace(
                shape, ai_agent=True, messaging=True, side_conversation=False, skipped=False, channel=AI_AGENT_CHANNEL
            )
        elif messaging:
            shape = replace(shape, messaging=True, channel=messaging_draw.choice(MESSAGING_CHANNELS))
        shapes.append(shape)
    return shapes


@dataclass
class TicketChange:
    """Overlay state of a ticket changed through /_sandbox/mutate."""

    created_at: int | None = None  # set for tickets created by a mutation
    updated_at: int | None = None
    generated: int = 0
    deleted_at: int | None = None
    status: str | None = None
    priority: str | None = None
    extra_audits: list = field(default_factory=list)  # (ts, status_before, status_after, comment_public)
    extra_metric_events: list = field(default_factory=list)  # (ts, metric, type)
    escalated: bool = False  # an AI-agent ticket a human agent took over: an ordinary ticket from then on


class Tickets:
    def __init__(self, account, count: int, start: int, end: int):
        self.account = account
        self.seed = account.settings.seed
        self.count = count
        self.timeline = Timeline(count, BREACH_LAG, start, end)
        self.shapes = build_shapes(self.seed)
        self.changes: dict[int, TicketChange] = {}
        self.next_id = count + 1
        self.version = 0
        self._changed_order: list[tuple[int, int]] | None = None
        self.archive_cutoff = int(account.archive_cutoff)
        # base tickets below this id are closed and archived (their last change is older than the cutoff)
        self.first_unarchived = self.timeline.first_at_or_after(self.archive_cutoff, 1, count + LAG) - LAG
        self.first_unarchived = max(1, self.first_unarchived)
        self.sum_deleted = Periodic([int(s.deleted) for s in self.shapes])
        self.sum_comments = Periodic([s.n_comments for s in self.shapes])
        self.sum_audits = Periodic([s.n_audits for s in self.shapes])
        self.sum_metric_events = Periodic([s.n_metric_events for s in self.shapes])
        self.sum_csat_archived = Periodic([int(s.csat in ("good", "bad") and not s.deleted) for s in self.shapes])
        self.sum_csat_live = Periodic(
            [
                int(s.csat in ("good", "bad") and not s.deleted and s.live_status in ("solved", "closed"))
                for s in self.shapes
            ]
        )
        self.sum_side = Periodic([int(s.side_conversation and not s.deleted) for s in self.shapes])
        self.sum_skips = Periodic([int(s.skipped and not s.deleted) for s in self.shapes])
        self.sum_ai_agent = Periodic([int(s.ai_agent) for s in self.shapes])
        settings = account.settings
        self.n_calls = call_count(count) if settings.has_feature("talk") else 0
        self.n_chats = chat_count(count) if settings.has_feature("chat") else 0

    # ---- identity and state -------------------------------------------------------------------
    def shape(self, i: int) -> Shape:
        return self.shapes[i % PERIOD]

    def from_ai_agent(self, i: int) -> bool:
        """A conversation an AI agent took first: generated tickets of an AI-agent shape only."""
        return i <= self.count and self.shape(i).ai_agent

    def from_messaging(self, i: int) -> bool:
        """Generated tickets of a messaging shape (tickets created through /_sandbox/mutate come from the web)."""
        return i <= self.count and self.shape(i).messaging

    def is_ai_agent(self, i: int) -> bool:
        """Handled by an AI agent (support_type "ai_agent"): until a human agent takes the conversation over."""
        change = self.changes.get(i)
        return self.from_ai_agent(i) and not (change is not None and change.escalated)

    def ai_agent_count(self) -> int:
        escalated = sum(1 for i, change in self.changes.items() if change.escalated and self.from_ai_agent(i))
        return self.sum_ai_agent.total(1, self.count) - escalated

    def exists(self, i: int) -> bool:
        return 1 <= i < self.next_id

    def created_ts(self, i: int) -> int:
        change = self.changes.get(i)
        if change is not None and change.created_at is not None:
            return change.created_at
        return self.timeline.at(i)

    def base_audit_times(self, i: int) -> list[int]:
        n = self.shape(i).n_comments
        at = self.timeline.at
        return [at(i + (j * LAG) // n) for j in range(n + 1)]

    def generated_base_ts(self, i: int) -> int:
        """When base ticket i last changed in the generated history (its final audit)."""
        return self.timeline.at(i + LAG)

    def generated_ts(self, i: int) -> int:
        change = self.changes.get(i)
        if change is not None:
            return change.generated
        return self.timeline.at(i + LAG)

    def updated_ts(self, i: int) -> int:
        change = self.changes.get(i)
        if change is not None and change.updated_at is not None:
            return change.updated_at
        shape = self.shape(i)
        # a system update (automation) moves generated_timestamp but not updated_at: then the ticket was last
        # updated by the audit before it (audit j of n happens at at(i + j * LAG // n))
        if shape.system_update:
            n = shape.n_comments
            return self.timeline.at(i + ((n - 1) * LAG) // n)
        return self.timeline.at(i + LAG)

    def is_deleted(self, i: int) -> bool:
        change = self.changes.get(i)
        if change is not None:
            return change.deleted_at is not None or (change.created_at is None and self.shape(i).deleted)
        return i <= self.count and self.shape(i).deleted

    def is_archived(self, i: int) -> bool:
        if i in self.changes or i > self.count:
            return False
        return i < self.first_unarchived and not self.shape(i).deleted

    def is_live(self, i: int) -> bool:
        """Listed by /tickets: exists, not deleted, not archived."""
        return self.exists(i) and not self.is_deleted(i) and not self.is_archived(i)

    def status(self, i: int) -> str:
        if self.is_deleted(i):
            return "deleted"
        change = self.changes.get(i)
        if change is not None and change.status:
            return change.status
        if change is None and i < self.first_unarchived:
            return "closed"
        if change is not None and change.created_at is not None:
            return "new"
        return self.shape(i).live_status

    # ---- channels: Talk calls and chats -------------------------------------------------------
    def call_ticket(self, k: int) -> int | None:
        """The ticket call k is linked to: one of the same period, or none for 1 call in 8."""
        if k % 8 == 5 or not self.n_calls:
            return None
        return _scaled(k, self.n_calls, self.count)

    def chat_ticket(self, k: int) -> int | None:
        """The ticket chat k became (1 chat in 4): one of the same period that came over no messaging channel."""
        if not self.n_chats or mix(self.seed, KIND_CHAT_TICKET, k) % 4:
            return None
        i = _scaled(k, self.n_chats, self.count)
        return None if self.from_messaging(i) else i

    def _linked_from(self, i: int, n_from: int, link) -> int | None:
        """The first record k of n_from whose link(k) is ticket i (the links scale k onto the ticket ids: with
        fewer records than tickets, only the two neighbours of i * n_from / count can map to i)."""
        count = self.count
        first = i * n_from // count
        if n_from <= count:  # no clamping to do: test the scaling inline, the cheap test first
            for k in (first, first + 1):
                if 1 <= k <= n_from and round(k * count / n_from) == i and link(k) == i:
                    return k
            return None
        for k in range(max(1, first - 2), min(n_from, first + 3) + 1):
            if _scaled(k, n_from, count) == i and link(k) == i:
                return k
        return None

    def chat_of(self, i: int) -> int | None:
        """The chat that ticket i came from (its channel is then `chat`)."""
        if i > self.count or not self.n_chats or self.from_messaging(i):
            return None
        return self._linked_from(i, self.n_chats, self.chat_ticket)

    def voice_call_of(self, i: int) -> int | None:
        """The call that created ticket i (its channel is then `voice`): an answered call or a voicemail."""
        if i > self.count or not self.n_calls or self.from_messaging(i) or self.chat_of(i) is not None:
            return None
        return self._call_that_made(i)

    def _call_that_made(self, i: int) -> int | None:
        """voice_call_of for a ticket already known to come from neither messaging nor a chat."""
        if not self.n_calls or mix(self.seed, KIND_VOICE, i) % 100 >= VOICE_PERCENT_OF_CALLED:
            return None
        k = self._linked_from(i, self.n_calls, self.call_ticket)
        if k is None or products.talk(self.account).call_facts(k)[2] not in CALLS_MAKING_TICKETS:
            return None
        return k

    def channel(self, i: int) -> str:
        """The ticket's via.channel: its shape's, unless a chat or a call created it. Tickets created through
        /_sandbox/mutate come from the web, email or the API, never from messaging."""
        return self._origin(i)[0]

    def _origin(self, i: int) -> tuple[str, int | None]:
        """(via.channel, the chat or call that created the ticket, if one did)."""
        shape = self.shape(i)
        if i > self.count:
            return ("web" if shape.messaging else shape.channel[0]), None
        if shape.messaging:
            return shape.channel[0], None
        chat = self.chat_of(i)
        if chat is not None:
            return "chat", chat
        call = self._call_that_made(i)
        if call is not None:
            return "voice", call
        return shape.channel[0], None

    def via(self, i: int) -> dict:
        """The ticket's via object, with the source Zendesk gives a chat (`chat_offline_message` for an offline
        message) and a call (both numbers, and whether it was inbound, outbound or a voicemail)."""
        channel, origin = self._origin(i)
        if channel == "chat" and origin is not None:
            offline = products.chat(self.account).is_offline(origin)
            return {
                "channel": "chat",
                "source": {"from": {}, "to": {}, "rel": "chat_offline_message" if offline else None},
            }
        if channel == "voice" and origin is not None:
            return {"channel": "voice", "source": self.call_source(i, origin)}
        return {"channel": channel, "source": {"from": {}, "to": {}, "rel": None}}

    def call_source(self, i: int, k: int) -> dict:
        """via.source of ticket i, which call k created."""
        talk = products.talk(self.account)
        line, direction = talk.call_line(k)
        voicemail = talk.call_facts(k)[2] == "abandoned_in_voicemail"
        caller = self.account.pools.phones[mix(self.seed, KIND_VOICE + 100, i) % len(self.account.pools.phones)]
        requester = self.people(i)[1]
        customer = {
            "phone": caller,
            "formatted_phone": _formatted_phone(caller),
            "name": self.account.users.name(self.account.users.index_of(requester)),
        }
        number = {"phone": line["number"], "formatted_phone": line["display_number"], "name": line["nickname"]}
        outbound = direction == "outbound"
        return {
            "from": number if outbound else customer,
            "to": customer if outbound else number,
            "rel": "voicemail" if voicemail else direction,
        }

    # ---- ordering for the exports -------------------------------------------------------------
    def changed_order(self) -> list[tuple[int, int]]:
        if self._changed_order is None:
            self._changed_order = sorted((change.generated, i) for i, change in self.changes.items())
        return self._changed_order

    def iter_export(self, after: tuple[int, int]):
        """(generated_timestamp, id) of every ticket, ascending, strictly after the keyset `after`."""
        return iter_keyset(self.timeline, self.count, self.changes, self.changed_order(), after, LAG)

    # ---- counts (ground truth) ------------------------------------------------------------------
    def live_ids(self) -> list[int]:
        changed = self.changes
        shapes = self.shapes
        out = [
            i
            for i in range(self.first_unarchived, self.count + 1)
            if i not in changed and not shapes[i % PERIOD].deleted
        ]
        out.extend(i for i in changed if not self.is_deleted(i))
        out.sort()
        return out

    def ids_with_shape(self, predicate) -> list[int]:
        """Base ticket ids whose shape satisfies predicate, ascending (walks residues, not every id)."""
        out: list[int] = []
        for r, shape in enumerate(self.shapes):
            if predicate(shape):
                out.extend(range(r or PERIOD, self.count + 1, PERIOD))
        out.sort()
        return out

    def deleted_at(self, i: int) -> int:
        """When ticket i was deleted: base tickets by their last generated change."""
        change = self.changes.get(i)
        return change.deleted_at if change is not None and change.deleted_at else self.generated_ts(i)

    def purge_cutoff(self) -> int:
        """Tickets deleted before this second are purged: gone from /deleted_tickets, still `status: deleted`
        in the exports. Counted on the sandbox clock, in Zendesk-days."""
        return int(self.account.clock.now() - PURGE_AFTER / self.account.settings.time_scale)

    def _first_unpurged_base(self, cutoff: int) -> int:
        # a base ticket's deletion time at(i + LAG) is monotone in i: the purge boundary is one id
        return max(1, self.timeline.first_at_or_after(cutoff, 1, self.count + LAG) - LAG)

    def recoverable_deleted_ids(self) -> list[int]:
        """Deleted tickets not yet purged (what /deleted_tickets lists), ascending."""
        cutoff = self.purge_cutoff()
        first = self._first_unpurged_base(cutoff)
        out = [i for i in range(first, self.count + 1) if i not in self.changes and self.shapes[i % PERIOD].deleted]
        out.extend(i for i in self.changes if self.is_deleted(i) and self.deleted_at(i) >= cutoff)
        out.sort()
        return out

    def recoverable_deleted_count(self) -> int:
        """len(recoverable_deleted_ids()), closed-form over the base tickets (mutations never touch a base
        ticket that is already deleted)."""
        cutoff = self.purge_cutoff()
        base = self.sum_deleted.total(self._first_unpurged_base(cutoff), self.count)
        return base + sum(1 for i in self.changes if self.is_deleted(i) and self.deleted_at(i) >= cutoff)

    def delete_recently(self, n: int, now: float) -> list[int]:
        """Delete n live tickets at times spread over the RECENT_DELETION_DAYS Zendesk-days before `now`, as a
        deletion through /_sandbox/mutate would (an overlay change). The ids follow the seed; the times follow the
        clock, rounded down to the hour (or the Zendesk-day, when shorter) so runs started close together agree."""
        scale = self.account.settings.time_scale
        quantum = max(1, min(3600, int(86400 / scale)))
        end = int(now) // quantum * quantum
        span = RECENT_DELETION_DAYS * 86400 / scale
        rng = random.Random(f"{self.seed}:recent-deletions")
        low, attempts = self.first_unarchived, 0
        chosen: set[int] = set()
        while len(chosen) < n and attempts < 50 * n and low <= self.count:
            attempts += 1
            i = rng.randint(low, self.count)
            if i not in chosen and i not in self.changes and not self.shape(i).deleted:
                chosen.add(i)
        out = []
        for rank, i in enumerate(sorted(chosen)):
            ts = int(end - span * (len(chosen) - rank) / (len(chosen) + 1))
            if ts <= self.generated_ts(i):  # a ticket is deleted after its last change
                continue
            change = self.changes[i] = TicketChange(updated_at=ts, generated=ts, deleted_at=ts)
            change.extra_metric_events.append((ts, "agent_work_time", "fulfill"))
            out.append(i)
        self._changed_order = None
        return out

    # ---- records -------------------------------------------------------------------------------
    def url(self, path: str) -> str:
        return f"{self.account.base_url}/api/v2/{path}.json"

    def people(self, i: int):
        """(hash, requester, submitter, assignee, organization, group, brand, form) for ticket i."""
        h = mix(self.seed, KIND_TICKET, i)
        users = self.account.users
        requester = users.admin_id() if i % 50 == 0 else users.end_user_id(h & 0xFFFFF)
        assignee = users.agent_id((h >> 20) & 0xFFF)
        org = users.organization_of(requester)
        config = self.account.config
        group = config.group_ids[(h >> 32) % len(config.group_ids)]
        brand = config.brand_ids[(h >> 40) % len(config.brand_ids)]
        form = config.form_ids[(h >> 48) % len(config.form_ids)]
        return h, requester, requester, assignee, org, group, brand, form

    def ticket(self, i: int, export: bool = False, metric_set: bool = False) -> dict:
        shape = self.shape(i)
        h, requester, submitter, assignee, org, group, brand, form = self.people(i)
        h2 = mix(self.seed, KIND_TICKET + 100, i)
        pools = self.account.pools
        change = self.changes.get(i)
        created = self.created_ts(i)
        updated = self.updated_ts(i)
        status = self.status(i)
        priority = change.priority if change is not None and change.priority else shape.priority
        subject = pools.subjects[h2 % len(pools.subjects)]
        description = pools.paragraphs[(h2 >> 10) % len(pools.paragraphs)]
        words = pools.words
        tags = sorted({words[(h2 >> (22 + 8 * k)) % len(words)] for k in range((h2 >> 20) & 3)})
        custom_fields = self.account.config.ticket_field_values(mix(self.seed, KIND_TICKET + 200, i), i)
        via = self.via(i)
        channel = via["channel"]
        ai_agent = self.is_ai_agent(i)
        csat = None
        if self.account.settings.has_feature("csat"):
            if self.has_csat(i):
                csat = {"id": ids.SATISFACTION + i, "score": shape.csat, "comment": None, "reason": None}
            else:
                csat = {"score": "unoffered" if shape.csat != "offered" else "offered"}
        record = {
            "url": self.url(f"tickets/{i}"),
            "id": i,
            "external_id": None if i % 7 else f"ext-{i}",
            "via": via,
            "created_at": iso(created),
            "updated_at": iso(updated),
            "generated_timestamp": self.generated_ts(i),
            "type": shape.type,
            "subject": subject,
            "raw_subject": subject,
            "description": description,
            "priority": priority,
            "status": status,
            "custom_status_id": self.account.config.custom_status_id(status),
            "recipient": None if channel != "email" else f"support@{self.account.settings.subdomain}.example.com",
            "requester_id": requester,
            "submitter_id": submitter,
            "assignee_id": assignee if status != "new" and not ai_agent else None,
            "organization_id": org,
            "group_id": group,
            "collaborator_ids": [],
            "follower_ids": [],
            "email_cc_ids": [],
            "forum_topic_id": None,
            "problem_id": None,
            "has_incidents": shape.type == "problem",
            "is_public": True,
            "due_at": iso(created + 7 * 86400) if shape.type == "task" else None,
            "tags": tags,
            "custom_fields": custom_fields,
            "satisfaction_rating": csat,
            "sharing_agreement_ids": [],
            "fields": custom_fields,
            "followup_ids": [],
            "ticket_form_id": form,
            "brand_id": brand,
            "allow_channelback": False,
            "allow_attachments": True,
            "from_messaging_channel": self.from_messaging(i),
            "encoded_id": _encoded_id(i),
            "support_type": "ai_agent" if ai_agent else "agent",
            "satisfaction_probability": None,
        }
        if not export:
            del record["generated_timestamp"]
        if metric_set:
            record["metric_set"] = self.metric(i)
        return record

    # ---- audits and comments -------------------------------------------------------------------
    def audits_spec(self, i: int) -> list[tuple]:
        """(ts, j, kind, status_before, status_after, comment_public) per audit of ticket i, oldest first.
        kind: create | reply | final | system | mutation."""
        out: list[tuple] = []
        change = self.changes.get(i)
        if i <= self.count:
            shape = self.shape(i)
            times = self.base_audit_times(i)
            n = shape.n_comments
            final_status = "closed" if i < self.first_unarchived else shape.live_status
            if shape.deleted:
                final_status = "solved"
            status = "new" if n == 1 and final_status == "new" else "open"
            out.append((times[0], 0, "create", None, status, True))
            for j in range(1, n):
                after = "pending" if j % 2 else "open"
                # over messaging the conversation lives in the conversation log: later comments are notes
                out.append((times[j], j, "reply", status, after, j % 3 != 2 and not shape.messaging))
                status = after
            kind = "system" if shape.system_update else "final"
            out.append((times[n], n, kind, status, final_status if kind == "final" else status, None))
        elif change is not None and change.created_at is not None:
            out.append((change.created_at, 0, "create", None, "new", True))
        if change is not None:
            base = len(out)
            for k, (ts, before, after, public) in enumerate(change.extra_audits):
                out.append((ts, base + k, "mutation", before, after, public))
        return out

    def comment_from(self, i: int, spec: tuple, requester: int, assignee: int) -> dict:
        ts, j, kind, _b, _a, public = spec
        pools = self.account.pools
        body = pools.paragraphs[(i * 31 + j * 7) % len(pools.paragraphs)]
        author = requester if j % 2 == 0 else assignee
        return {
            "id": ids.COMMENT + i * ids.PER_TICKET + j,
            "type": "Comment",
            "author_id": author,
            "body": body,
            "html_body": f'<div class="zd-comment" dir="auto"><p>{body}</p></div>',
            "plain_body": body,
            "public": bool(public),
            "attachments": attachments(self.account, i, j),
            "audit_id": ids.AUDIT + i * ids.PER_TICKET + j,
            "via": self.comment_via(i, j, author),
            "metadata": {"system": self.change_system(i, j), "custom": {}},
            "created_at": iso(ts),
        }

    def by_mail(self, i: int, j: int) -> bool:
        """The requester's comments (even j) on an email ticket come by mail; the rest is typed in a browser."""
        return j % 2 == 0 and self.channel(i) == "email"

    def comment_via(self, i: int, j: int, author: int) -> dict:
        """A mailed comment names its sender and the support address it was sent to (`to.address`); an AI-agent
        ticket's messages come over messaging."""
        if self.from_messaging(i):
            return {"channel": self.shape(i).channel[0], "source": {"from": {}, "to": {}, "rel": None}}
        if j == 0 and i <= self.count:
            channel = self.channel(i)
            if channel in ("chat", "voice"):  # the chat transcript, the call's details
                return self.via(i)
        if not self.by_mail(i, j):
            return {"channel": "web", "source": {"from": {}, "to": {}, "rel": None}}
        users = self.account.users
        k = author - ids.USER
        sub = self.account.settings.subdomain
        return {
            "channel": "email",
            "source": {
                "from": {"address": users.email(k), "name": users.name(k)},
                "to": {"name": sub.title(), "address": f"support@{sub}.zendesk.com", "email_ccs": []},
                "rel": None,
            },
        }

    def change_system(self, i: int, j: int) -> dict:
        """metadata.system of change j of ticket i: a mail's identifiers, or for a change made in a browser its
        client, IP address and where that address is."""
        if self.by_mail(i, j):
            token = f"{mix(self.seed, KIND_TICKET + 300, i * 64 + j):016x}"
            return {
                "message_id": f"<{token}@mail.example.com>",
                "email_id": token.upper()[:26],
                "raw_email_identifier": f"{i}/{token}.eml",
                "json_email_identifier": f"{i}/{token}.json",
            }
        pools = self.account.pools
        location, latitude, longitude = pools.places[(i * 7 + j) % len(pools.places)]
        return {
            "client": "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
            "Chrome/124.0 Safari/537.36",
            "ip_address": pools.ips[(i + j) % len(pools.ips)],
            "location": location,
            "latitude": latitude,
            "longitude": longitude,
        }

    def comments(self, i: int) -> list[dict]:
        _rng, requester, _s, assignee, *_ = self.people(i)
        return [self.comment_from(i, spec, requester, assignee) for spec in self.audits_spec(i) if spec[5] is not None]

    def conversation_log(self, i: int) -> list[dict]:
        """/tickets/{id}/conversation_log: each comment as a ticket event and, for a conversation over messaging,
        each message as the messaging platform recorded it (the bot's, on an AI agent's conversation)."""
        _rng, requester, _s, assignee, *_ = self.people(i)
        messaging, bot = self.from_messaging(i), self.from_ai_agent(i)
        events = []
        for spec in self.audits_spec(i):
            if spec[5] is None:
                continue
            comment = self.comment_from(i, spec, requester, assignee)
            j = spec[1]
            user = comment["author_id"] == requester
            author = {
                "type": "user" if user else "agent",
                "zen:support:user_id": comment["author_id"],
                "display_name": None,
            }
            events.append(
                {
                    "id": f"{comment['id']:026x}",
                    "type": "Comment",
                    "reference": f"zen:ticket_event:{comment['id']}",
                    "created_at": comment["created_at"],
                    "author": author,
                    "content": {"type": "html", "body": comment["html_body"]},
                    "metadata": {"public": comment["public"], "ticket_version": j, "system": {}, "custom": {}},
                    "attachments": comment["attachments"],
                }
            )
            if messaging:
                sent_by_bot = bot and not user
                message_author = (
                    {"type": "bot", "zen:support:user_id": -1, "display_name": "AI agent"}
                    if sent_by_bot
                    else {**author, "zen:sunco:user_id": f"{comment['author_id']:024x}"}
                )
                events.append(
                    {
                        "id": f"{comment['id']:025x}m",
                        "type": "Messaging::ConversationMessage",
                        "reference": f"zen:sunco:conversation_message:{mix(self.seed, 77, comment['id']):024x}",
                        "created_at": comment["created_at"],
                        "received_at": comment["created_at"],
                        "author": message_author,
                        "content": {"type": "text", "text": comment["plain_body"]},
                        "metadata": {"ticket_version": j, "system": {}, "custom": {}},
                        "attachments": [],
                        "source": {"type": "zd:answerBot" if sent_by_bot else self.shape(i).channel[0]},
                    }
                )
        return events

    def audit_events(self, i: int, spec: tuple, requester: int, assignee: int) -> list[dict]:
        ts, j, kind, before, after, public = spec
        base = ids.EVENT + (i * ids.PER_TICKET + j) * 16
        events = []
        if public is not None:
            c = self.comment_from(i, spec, requester, assignee)
            events.append(
                {
                    "id": c["id"],
                    "type": "Comment",
                    "author_id": c["author_id"],
                    "body": c["body"],
                    "html_body": c["html_body"],
                    "plain_body": c["plain_body"],
                    "public": c["public"],
                    "attachments": c["attachments"],
                    "audit_id": c["audit_id"],
                }
            )
        if kind == "create":
            shape = self.shape(i)
            events.append({"id": base + 1, "type": "Create", "field_name": "status", "value": after})
            events.append({"id": base + 2, "type": "Create", "field_name": "priority", "value": shape.priority})
            events.append({"id": base + 3, "type": "Create", "field_name": "requester_id", "value": str(requester)})
            if after != "new":  # created open: with its assignee (a new ticket has none yet)
                events.append({"id": base + 4, "type": "Create", "field_name": "assignee_id", "value": str(assignee)})
        elif kind == "system":
            events.append(
                {
                    "id": base + 1,
                    "type": "Change",
                    "field_name": "tags",
                    "value": ["auto_reminder"],
                    "previous_value": [],
                }
            )
        elif before != after:
            events.append(
                {"id": base + 1, "type": "Change", "field_name": "status", "value": after, "previous_value": before}
            )
        if kind in ("reply", "mutation") and public:
            events.append(
                {
                    "id": base + 5,
                    "type": "Notification",
                    "subject": "[{{ticket.account}}] Re: {{ticket.title}}",
                    "body": "Your request has been updated.",
                    "recipients": [requester],
                }
            )
        return events

    def audit(self, i: int, spec: tuple, requester: int, assignee: int) -> dict:
        ts, j, kind, *_ = spec
        system = kind == "system"
        return {
            "id": ids.AUDIT + i * ids.PER_TICKET + j,
            "ticket_id": i,
            "created_at": iso(ts),
            "author_id": -1 if system else (requester if j % 2 == 0 else assignee),
            "metadata": {"system": {} if system else self.change_system(i, j), "custom": {}},
            "via": {"channel": "rule", "source": {"from": {}, "to": {}, "rel": "automation"}}
            if system
            else self.comment_via(i, j, requester if j % 2 == 0 else assignee),
            "events": self.audit_events(i, spec, requester, assignee),
        }

    def audits(self, i: int) -> list[dict]:
        _rng, requester, _s, assignee, *_ = self.people(i)
        return [self.audit(i, spec, requester, assignee) for spec in self.audits_spec(i)]

    def ticket_event(self, i: int, spec: tuple, comment_events: bool) -> dict:
        _rng, requester, _s, assignee, *_ = self.people(i)
        ts, j, kind, *_ = spec
        system = kind == "system"
        children = []
        for e in self.audit_events(i, spec, requester, assignee):
            child = {
                "id": e["id"],
                "via": "Rule" if system else "Web form",
                "via_reference_id": None,
                "event_type": e["type"],
            }
            if e["type"] == "Comment":
                child.update({"comment_present": True, "comment_public": e["public"]})
                if comment_events:
                    child.update(
                        {
                            "body": e["body"],
                            "html_body": e["html_body"],
                            "public": e["public"],
                            "author_id": e["author_id"],
                            "attachments": e["attachments"],
                            "audit_id": e["audit_id"],
                            "type": "Comment",
                        }
                    )
            elif e["type"] in ("Create", "Change"):
                # An audit event's value is text; the ticket events export gives an id field as a number.
                child[e["field_name"]] = int(e["value"]) if e["field_name"] == "assignee_id" else e["value"]
                if e["type"] == "Change":
                    child["previous_value"] = e["previous_value"]
            else:
                child["recipients"] = e.get("recipients", [])
            children.append(child)
        return {
            "id": ids.AUDIT + i * ids.PER_TICKET + j,
            "ticket_id": i,
            "timestamp": ts,
            "created_at": iso(ts),
            "updater_id": -1 if system else (requester if j % 2 == 0 else assignee),
            "via": "Rule" if system else "Web form",
            "via_reference_id": None,
            "system": {} if system else self.change_system(i, j),
            "merged_ticket_ids": [],
            "event_type": "Audit",
            "child_events": children,
        }

    def iter_events(self, after: tuple):
        """(ts, ticket, j) of every audit of every ticket, ascending, strictly after `after`."""
        return self._iter_children(after, lambda i: [(s[0], i, s[1]) for s in self.audits_spec(i)], LAG)

    def _iter_children(self, after: tuple, children_of, max_lag: int):
        """Children of all tickets in (ts, ticket, j) order: lazily merged base children, plus the few
        children added by mutations (kept sorted in memory)."""
        at = self.timeline.at
        first = max(1, self.timeline.first_at_or_after(after[0], 1, self.count + max_lag) - max_lag)
        changed = self.changes

        def base_children(i):
            if i in changed:
                return [c for c in children_of(i) if c[2] < self._base_n(i)]
            return children_of(i)

        base_iter = merge_children(first, self.count, base_children, at)
        extra = sorted(c for i in changed for c in children_of(i) if c[2] >= self._base_n(i))
        for c in heapq.merge(base_iter, extra):
            if c[:3] > after[:3]:
                yield c

    def _base_n(self, i: int) -> int:
        return self.shape(i).n_audits if i <= self.count else 0

    # ---- metrics and metric events -------------------------------------------------------------
    def metric(self, i: int) -> dict:
        specs = self.audits_spec(i)
        created = specs[0][0]
        replies = sum(1 for s in specs if s[2] == "reply")
        first_reply = specs[1][0] if len(specs) > 2 else None
        status = self.status(i)
        last = specs[-1][0]
        solved = last if status in ("solved", "closed") else None

        def minutes(a, b):
            return None if a is None or b is None else max(0, (b - a) // 60)

        rt = minutes(created, first_reply)
        ft = minutes(created, solved)
        return {
            "url": self.url(f"ticket_metrics/{ids.METRIC + i}"),
            "id": ids.METRIC + i,
            "ticket_id": i,
            "created_at": iso(created),
            "updated_at": iso(last),
            "group_stations": 1,
            "assignee_stations": 1,
            "reopens": 0,
            "replies": replies,
            "assignee_updated_at": iso(specs[1][0]) if len(specs) > 1 else None,
            "requester_updated_at": iso(created),
            "status_updated_at": iso(last),
            "initially_assigned_at": iso(created),
            "assigned_at": iso(created),
            "solved_at": iso(solved),
            "latest_comment_added_at": iso(max(s[0] for s in specs if s[5] is not None)),
            "custom_status_updated_at": iso(last),
            "reply_time_in_minutes": {"calendar": rt, "business": rt},
            "reply_time_in_seconds": {"calendar": None if rt is None else rt * 60},
            "first_resolution_time_in_minutes": {"calendar": ft, "business": ft},
            "full_resolution_time_in_minutes": {"calendar": ft, "business": ft},
            "agent_wait_time_in_minutes": {"calendar": 0, "business": 0},
            "requester_wait_time_in_minutes": {"calendar": ft, "business": ft},
            "on_hold_time_in_minutes": {"calendar": 0, "business": 0},
        }

    def metric_events_spec(self, i: int) -> list[tuple]:
        """(ts, ticket, j, metric, type) of ticket i's metric events."""
        out = []
        if i <= self.count:
            shape = self.shape(i)
            times = self.base_audit_times(i)
            j = 0
            for m in METRICS_ACTIVATED:
                out.append((times[0], i, j, m, "activate"))
                j += 1
            if shape.n_comments > 1:
                out.append((times[1], i, j, "reply_time", "fulfill"))
                j += 1
            final_type = (
                "fulfill" if shape.live_status in ("solved", "closed") or i < self.first_unarchived else "pause"
            )
            for m in ("agent_work_time", "requester_wait_time", "pausable_update_time"):
                out.append((times[-1], i, j, m, final_type))
                j += 1
            if shape.sla:
                out.append((times[0], i, j, "reply_time", "apply_sla"))
                j += 1
                # the breach fires after the ticket's last update: metric events can be newer than updated_at
                out.append((self.timeline.at(i + BREACH_LAG), i, j, "periodic_update_time", "breach"))
                j += 1
        change = self.changes.get(i)
        if change is not None:
            j = 64
            for ts, metric, typ in change.extra_metric_events:
                out.append((ts, i, j, metric, typ))
                j += 1
        out.sort()
        return out

    def metric_event(self, spec: tuple) -> dict:
        ts, i, j, metric, typ = spec
        ev = {
            "id": ids.METRIC_EVENT + i * ids.PER_TICKET + j,
            "ticket_id": i,
            "metric": metric,
            "instance_id": 1,
            "type": typ,
            "time": iso(ts),
        }
        if typ == "apply_sla":
            policies = self.account.config.sla_policies
            policy = policies[0] if policies else {"id": None, "title": None, "description": None}
            ev["sla"] = {
                "target": 60,
                "target_in_seconds": 3600,
                "business_hours": False,
                "policy": {"id": policy["id"], "title": policy["title"], "description": policy["description"]},
            }
        if typ == "update_status":
            ev["status"] = {"calendar": 30, "business": 30}
        ev["deleted"] = False
        return ev

    def iter_metric_events(self, after: tuple):
        """Metric event specs ascending by (ts, ticket, j), strictly after `after`."""
        ts0 = after[0]
        at = self.timeline.at
        first = max(1, self.timeline.first_at_or_after(ts0, 1, self.count + BREACH_LAG) - BREACH_LAG)
        changed = self.changes

        def base_children(i):
            specs = self.metric_events_spec(i)
            return [s for s in specs if s[2] < 64] if i in changed else specs

        base_iter = merge_children(first, self.count, base_children, at)
        extra = sorted(s for i in changed for s in self.metric_events_spec(i) if s[2] >= 64 or i > self.count)
        for s in heapq.merge(base_iter, extra):
            if s[:3] <= after[:3]:
                continue
            yield s

    # ---- satisfaction, side conversations, skips -----------------------------------------------
    def satisfaction_rating(self, i: int) -> dict:
        shape = self.shape(i)
        _rng, requester, _s, assignee, _o, group, *_ = self.people(i)
        ts = self.generated_base_ts(i) if i <= self.count else self.created_ts(i)
        return {
            "url": self.url(f"satisfaction_ratings/{ids.SATISFACTION + i}"),
            "id": ids.SATISFACTION + i,
            "assignee_id": assignee,
            "group_id": group,
            "requester_id": requester,
            "ticket_id": i,
            "score": shape.csat,
            "comment": "Thanks, quick answer"
            if shape.csat == "good"
            else ("Still not fixed" if shape.csat == "bad" else None),
            "reason": None if shape.csat != "bad" else "The issue was not resolved",
            "reason_id": None if shape.csat != "bad" else 1001,
            "reason_code": 0 if shape.csat != "bad" else 1001,
            "created_at": iso(ts),
            "updated_at": iso(ts),
        }

    def side_conversation(self, i: int) -> dict:
        ts = self.base_audit_times(i)
        sid = self.side_conversation_id(i)
        pools = self.account.pools
        return {
            "url": self.url(f"tickets/{i}/side_conversations/{sid}"),
            "id": sid,
            "ticket_id": i,
            "subject": pools.subjects[(i * 13) % len(pools.subjects)],
            "preview_text": pools.sentences[(i * 7) % len(pools.sentences)],
            "state": "closed",
            "participants": self.side_conversation_participants(i),
            "created_at": iso(ts[0]),
            "updated_at": iso(ts[-1]),
            "message_added_at": iso(ts[-1]),
            "state_updated_at": iso(ts[-1]),
            "external_ids": {},
        }

    def side_conversation_id(self, i: int) -> str:
        return f"{i:08x}-5c1d-11ef-a2d1-{self.seed:012x}"

    def side_conversation_participants(self, i: int) -> list[dict]:
        """The agent who opened it and the outside address it went to (a vendor, a partner)."""
        _rng, requester, _s, assignee, *_ = self.people(i)
        users = self.account.users
        k = users.index_of(assignee)
        outside = f"partner{i % 17}@vendor{i % 5}.example.com"
        return [
            {"user_id": assignee, "name": users.name(k), "email": users.email(k)},
            {"user_id": None, "name": f"Partner {i % 17}", "email": outside},
        ]

    def side_conversation_events(self, i: int) -> list[dict]:
        """Its create event and one reply per later audit time, as include=events sideloads them."""
        ts = self.base_audit_times(i)
        sid = self.side_conversation_id(i)
        agent, outside = self.side_conversation_participants(i)
        pools = self.account.pools
        events = []
        for k, at in enumerate(ts):
            sender, receiver = (agent, outside) if k % 2 == 0 else (outside, agent)
            events.append(
                {
                    "id": f"{sid[:8]}-{k:04x}-e0e0-{self.seed:012x}",
                    "side_conversation_id": sid,
                    "ticket_id": i,
                    "actor": sender,
                    "type": "create" if k == 0 else "reply",
                    "via": "email",
                    "created_at": iso(at),
                    "updates": {},
                    "message": {
                        "subject": pools.subjects[(i * 13) % len(pools.subjects)],
                        "preview_text": pools.sentences[(i * 7 + k) % len(pools.sentences)],
                        "body": pools.sentences[(i * 7 + k) % len(pools.sentences)],
                        "html_body": None,
                        "from": sender,
                        "to": [receiver],
                        "external_ids": {},
                        "attachments": [],
                    },
                }
            )
        return events

    def skip(self, i: int) -> dict:
        _rng, _r, _s, assignee, *_ = self.people(i)
        ts = self.base_audit_times(i)[0] + 60
        return {
            "id": ids.SKIP + i,
            "ticket_id": i,
            "user_id": assignee,
            "reason": "I have no idea.",
            "created_at": iso(ts),
            "updated_at": iso(ts),
            "ticket": self.ticket(i),
        }

    def has_csat(self, i: int) -> bool:
        """Base tickets only: rated if solved or closed (archived tickets are closed) and not deleted."""
        if i > self.count:
            return False
        shape = self.shape(i)
        return (
            shape.csat in ("good", "bad")
            and not shape.deleted
            and (i < self.first_unarchived or shape.live_status in ("solved", "closed"))
        )


def _scaled(k: int, n_from: int, n_to: int) -> int:
    """Record k of n_from mapped onto the same period of n_to records (both timelines span the history)."""
    return max(1, min(n_to, round(k * n_to / max(1, n_from))))


def _formatted_phone(number: str) -> str:
    return f"+1 ({number[2:5]}) {number[5:8]}-{number[8:12]}"


def _encoded_id(i: int) -> str:
    alphabet = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
    n, out = i * 7919 + 104729, ""
    while n:
        n, r = divmod(n, len(alphabet))
        out = alphabet[r] + out
    return f"{out[:3]}-{out[3:7] or 'Q'}"
